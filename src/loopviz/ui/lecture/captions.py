"""The caption under the chart: what the step at the cursor did, in plain words.

``loopviz.model.captions.caption_at`` writes the sentence; until it exists (it
is built alongside) the caption names the handle that runs at the cursor, or
says the loop is idle — never blank, never an error.
"""

from __future__ import annotations

from loopviz.model import LoopState, Recording
from loopviz.ui.lecture.steps import Steps


def caption_for(rec: Recording, t: float, steps: Steps | None, state: LoopState) -> str:
    """The sentence for the cursor at ``t`` (``state`` is ``rec.state_at(t)``, for the fallback)."""
    try:
        from loopviz.model.captions import caption_at
    except ImportError:
        return _plain(state)
    try:
        return caption_at(rec, t, steps)  # type: ignore[arg-type]
    except Exception as exc:  # a caption must never take the window down
        return f"{_plain(state)} (caption unavailable: {type(exc).__name__})"


def _plain(state: LoopState) -> str:
    running = state.running
    if running is not None:
        return f"running {running.label}" if running.label else "running a callback"
    if any(loop.idle for loop in state.loops):
        return "the loop waits in select() for I/O or the next timer"
    return "between handles"
