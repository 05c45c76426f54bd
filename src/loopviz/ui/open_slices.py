"""The slices still going on at one instant, listed once per frame for every view that asks.

Why: with 100,000 tasks waiting, listing the open slices costs tens of
milliseconds, and in a live frame both the timeline (bars drawn up to "now")
and the tasks table (each task's time so far) need them for the same instant.
"""

from __future__ import annotations

import weakref

from loopviz.model import Recording, SliceBatch

_last: tuple[weakref.ref[Recording], int, float, SliceBatch] | None = None


def open_slices_at(rec: Recording, now: float) -> SliceBatch:
    """``rec.open_slices(now)``, remembered until the recording or ``now`` changes."""
    global _last
    if _last is not None:
        ref, version, at, batch = _last
        if ref() is rec and version == rec.version and at == now:
            return batch
    batch = rec.open_slices(now)
    _last = (weakref.ref(rec), rec.version, now, batch)
    return batch
