"""The words for a timeline slice, with a blocking step said where it blocked the loop.

``Recording.describe_slice`` names a step by the line it *paused* at, which for
a blocking step is the ``await`` after the blocking call (line 60 for a stall at
line 57). The Gantt chart and the Chrome-trace export ask this describer instead:
for a BLOCKING slice it finds the stall of that handle run and names the line
that held the loop — "blocked at lesson.py:57 requests.get(...)" — and, when the
loop was held inside a plain function the coroutine called, the line seen there.
"""

from __future__ import annotations

from loopviz.model.describe import blocking_step_text
from loopviz.model.recording import Recording
from loopviz.model.slices import State
from loopviz.model.stall_caller import inside_text
from loopviz.model.stalls import Stall
from loopviz.protocol import LOOP_SHIFT

SERIAL_COLUMN = 2
"""A handle run's record holds the handle's serial here (as ``Stall.serial`` does)."""


class SliceDescriber:
    """``describer(state, ref) -> str``: for :meth:`GanttView.set_describe` and the exports."""

    def __init__(self, recording: Recording) -> None:
        self.recording = recording
        self._stalls: dict[tuple[int, int], Stall] = {}
        self._key: tuple[int, float | None] = (-1, None)

    def __call__(self, state: int, ref: int) -> str:
        rec = self.recording
        text = rec.describe_slice(State(state), int(ref))
        if state != State.BLOCKING:
            return text
        stall = self.stall_of(int(ref))
        if stall is None:
            return text
        words = blocking_step_text(text, stall)
        inside = inside_text(stall)
        if not inside or words == text:
            return words
        blocked, sep, rest = words.partition("\n")
        return f"{blocked}\n{inside}{sep}{rest}"

    def stall_of(self, ref: int) -> Stall | None:
        """The stall of the handle run whose record is ``ref`` (None if none is known)."""
        rec = self.recording
        if not 0 <= ref < rec.event_count:
            return None
        stalls = rec.stalls()
        key = (len(stalls), stalls[-1].end if stalls else None)
        if key != self._key:  # a stall was added, or the last one ended
            self._key = key
            self._stalls = {(s.loop, s.serial): s for s in stalls}
        row = rec.records(ref, ref + 1)
        if not len(row):
            return None
        loop = int(row[0, 0]) >> LOOP_SHIFT
        return self._stalls.get((loop, int(row[0, SERIAL_COLUMN])))
