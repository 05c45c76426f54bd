"""The status bar's run summary: state, elapsed time, tasks alive, handles, busy %, events."""

from __future__ import annotations

from loopviz.model import Recording
from loopviz.ui.cost_throttle import CostThrottle


class StatusLine:
    """Formats the status text; cheap enough for every frame of a big live run."""

    def __init__(self) -> None:
        self._version = self._counted = -1
        self._handles = 0
        self._busy = 0.0
        self._alive = self._tasks = 0
        self._counts_due = CostThrottle()
        """Every task's info costs with 100,000 of them: counted now and then while growing."""

    def text(self, recording: Recording, t: float, *, running: bool, stopping: bool) -> str:
        state = "Stopping…" if stopping else ("Running" if running else "Finished")
        if recording.version != self._version:
            # Not recording.stats(): that rescans the whole run (40-100 ms at 1M events,
            # in the middle of a frame); handle_totals() only adds what arrived since.
            # The task counts too are made once per change, not once per frame.
            self._version = recording.version
            self._handles, self._busy = recording.handle_totals()
        if self._counted != recording.version and self._counts_due.due(force=not running):
            began = self._counts_due.start()
            self._counted = recording.version
            tasks = recording.tasks()
            self._alive = sum(1 for task in tasks if task.done is None)
            self._tasks = len(tasks)
            self._counts_due.ran(began)
        return (
            f"{state} · {t:.2f} s · {self._alive} of {self._tasks} tasks alive · "
            f"{self._handles:,} handles run · loop busy {self._busy * 100:.0f} % · "
            f"{recording.event_count:,} events"
        )


def cursor_text(t: float, step: int, steps: int, *, running: bool, source: str = "") -> str:
    """Lecture mode's status: "Finished · at 1.234 s · step 57 of 212".

    ``step`` is 0-based (-1: before the first handle run); ``source`` names an
    opened recording file instead of "Finished".
    """
    state = "Running — paused on the cursor (End: back to live)" if running else "Finished"
    if source:
        state = f"Recording {source}"
    where = f"step {step + 1} of {steps}" if step >= 0 else f"before the first of {steps} steps"
    return f"{state} · at {t:.3f} s · {where}"
