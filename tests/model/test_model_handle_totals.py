"""The status bar's live numbers agree with the full statistics, batch after batch."""

from __future__ import annotations

import pytest

from loopviz.model import Recording
from loopviz.model.synthetic import mixed_workload


def test_handle_totals_match_stats_at_every_batch() -> None:
    frames = mixed_workload(tasks=20, rounds=30, stall_every=50).frames()
    recording = Recording()
    handles = 0
    for batch in frames:
        recording.feed(batch)
        handles, busy = recording.handle_totals()
        stats = recording.stats()
        assert handles == sum(loop.handles for loop in stats.loops)
        assert busy == pytest.approx(stats.busy, abs=1e-9)
    assert handles > 100
