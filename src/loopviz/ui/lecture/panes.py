"""Hand one instant of a recording to every pane: the single path both live frames and
the cursor take, so a pane can never show another moment than its neighbours.

The caller asks ``rec.state_at(t)`` once and passes the answer here; no pane
asks the model itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loopviz.model import LoopState, Recording

if TYPE_CHECKING:
    from loopviz.ui.main_window import MainWindow


def show_instant(
    window: MainWindow,
    rec: Recording,
    state: LoopState,
    *,
    live: bool,
    animate: bool = True,
    tables: bool = True,
    source: bool = True,
) -> None:
    """Show ``state`` (the state of ``rec`` at ``state.t``) in every pane.

    ``live``: a run seen as it happens (the banner's counter runs, the console shows
    everything); otherwise the cursor's instant (the banner holds the stall's length
    so far, the console hides what was printed later). ``tables``/``source`` let a
    live frame skip the costly panes between their 10 Hz refreshes.
    """
    w = window
    t = state.t
    if live:
        w.stall_banner.show_stall(state.stall, t)
    else:
        w.stall_banner.show_stall(state.stall, t, live=False, so_far=True)
    w.console.follow(rec, state)
    if live:
        w.console.show_until(None)
    else:
        # At the very end the closing line ("main() returned …") shows too.
        at_end = rec.outcome is not None and t >= rec.duration
        w.console.show_until(None if at_end else t)
    w.ready_queue.show_state(state, animate)
    if source:
        w.source.show_state(state)
    if tables:
        for pane in (w.tasks, w.futures, w.coroutines):
            pane.show_state(state)
