"""The status bar's run summary: state, elapsed time, tasks alive, handles, busy %, events."""

from __future__ import annotations

import time

from loopviz.model import Recording

MIN_INTERVAL = 0.1
"""Seconds between recomputing the run statistics during a live run, at the least."""
COST_FACTOR = 10
"""Statistics scan the whole recording: recompute no more often than 10x their cost, so
they never take more than a tenth of the GUI's time on a big run."""


class StatusLine:
    """Formats the status text; statistics are cached so a frame stays cheap on big runs."""

    def __init__(self) -> None:
        self._stats_at = 0.0
        self._stats_version = -1
        self._handles = 0
        self._busy = 0.0
        self._interval = MIN_INTERVAL

    def text(self, recording: Recording, t: float, *, running: bool, stopping: bool) -> str:
        state = "Stopping…" if stopping else ("Running" if running else "Finished")
        tasks = recording.tasks()
        alive = sum(1 for task in tasks if task.done is None)
        self._refresh_stats(recording, force=not running)
        return (
            f"{state} · {t:.2f} s · {alive} of {len(tasks)} tasks alive · "
            f"{self._handles:,} handles run · loop busy {self._busy * 100:.0f} % · "
            f"{recording.event_count:,} events"
        )

    def _refresh_stats(self, recording: Recording, *, force: bool) -> None:
        now = time.monotonic()
        if recording.version == self._stats_version:
            return
        if not force and now - self._stats_at < self._interval:
            return
        self._stats_at = now
        self._stats_version = recording.version
        # stats()'s two numbers, kept up to date incrementally (work proportional to what
        # arrived since the last call) instead of a rescan of the whole recording, which
        # costs 40-100 ms at 1M events and lands in the middle of a frame.
        self._handles, self._busy = recording.handle_totals()
