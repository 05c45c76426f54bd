"""The status bar's run summary: state, elapsed time, tasks alive, handles, busy %, events.

And, once a recording limit is reached, what was reached and when: the run goes
on in summary mode, and a user looking at a timeline that stopped growing must
read why in the window, not only in the console.
"""

from __future__ import annotations

from typing import Any

from loopviz.model import Recording
from loopviz.ui.units import format_time


class StatusLine:
    """Formats the status text; cheap enough for every frame of a big live run."""

    def __init__(self) -> None:
        self._version = self._counted = -1
        self._handles = 0
        self._busy = 0.0
        self._alive = self._tasks = 0

    def text(self, recording: Recording, t: float, *, running: bool, stopping: bool) -> str:
        state = "Stopping…" if stopping else ("Running" if running else "Finished")
        if recording.version != self._version:
            # Not recording.stats(): that rescans the whole run (40-100 ms at 1M events,
            # in the middle of a frame); handle_totals() only adds what arrived since.
            # The task counts too are made once per change, not once per frame.
            self._version = recording.version
            self._handles, self._busy = recording.handle_totals()
        if self._counted != recording.version:
            # Counted in the model's columns: listing 100,000 tasks each frame froze the window.
            self._counted = recording.version
            self._alive, self._tasks = recording.task_counts()
        text = (
            f"{state} · {t:.2f} s · {self._alive} of {self._tasks} tasks alive · "
            f"{self._handles:,} handles run · loop busy {self._busy * 100:.0f} % · "
            f"{recording.event_count:,} events"
        )
        limit = recording.limit_reached
        if limit is not None:
            text += f" · ⚠ {limit_status(limit, recording.start_ns)}"
        return text


def _limit_at(limit: dict[str, Any], start_ns: int) -> str:
    """When the limit was reached, in seconds of the run ("" if the message does not say)."""
    t = limit.get("t")
    if not isinstance(t, int) or not start_ns:
        return ""
    return format_time(max(0.0, (t - start_ns) / 1e9))


def _figure(limit: dict[str, Any]) -> str:
    value = limit.get("limit")
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else "its"


def limit_status(limit: dict[str, Any], start_ns: int) -> str:
    """The status line's few words ("500-event limit reached at 0.004 s"); the notice above
    the timeline says the rest."""
    at = _limit_at(limit, start_ns)
    when = f" at {at}" if at else ""
    what = limit.get("what")
    if what == "events":
        return f"{_figure(limit)}-event limit reached{when}"
    if what == "buffer":
        return f"events too fast to keep{when}"
    if what == "output":
        return f"{_figure(limit)}-line output limit reached{when}"
    return f"recording limit reached{when}"


def limit_notice(limit: dict[str, Any], start_ns: int, *, running: bool) -> str:
    """The notice above the timeline: what was reached, when, and that the run went on."""
    at = _limit_at(limit, start_ns)
    when = f" at {at}" if at else ""
    goes_on = "The run goes on" if running else "The run went on"
    what = limit.get("what")
    if what == "events":
        return (
            f"Recording limit reached{when}: {_figure(limit)} events kept in full. "
            f"{goes_on}; from there only its summary is recorded (tasks, how they ended, "
            "stalls, output)."
        )
    if what == "buffer":
        return (
            f"The scenario made events faster than loopviz could take them{when} "
            f"({_figure(limit)} waiting). {goes_on}; from there only its summary is recorded."
        )
    if what == "output":
        return (
            f"Printed-line limit reached{when}: {_figure(limit)} lines kept. "
            f"{goes_on}; further output is counted, not kept."
        )
    if what == "messages":
        return (
            f"More than {_figure(limit)} messages (exceptions, stall samples){when}. "
            f"{goes_on}; further ones are counted, not kept."
        )
    return f"A recording limit was reached{when} ({what}). {goes_on}."


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
