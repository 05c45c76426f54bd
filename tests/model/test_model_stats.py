"""The statistics panel: where time went and how long handles queued."""

from __future__ import annotations

import pytest
from model_lessons import blocking_requests, create_task, record


def test_per_task_time_and_steps():
    rec = record(create_task().w)
    stats = rec.stats()
    assert stats.duration == pytest.approx(2.0, abs=0.01)
    by_name = {t.name: t for t in stats.tasks}
    assert by_name["Task-1"].steps == 3
    assert by_name["Task-1"].waiting == pytest.approx(2.0, abs=0.01)
    for name in ("Task-2", "Task-3", "Task-4", "Task-5", "Task-6"):
        t = by_name[name]
        assert t.steps == 2
        assert t.waiting == pytest.approx(1.0, abs=0.01)
        assert 0 < t.running < 0.001
        assert t.running + t.ready + t.waiting == pytest.approx(1.0, abs=0.01)
    assert stats.busy < 0.01
    [loop] = stats.loops
    assert loop.idle_time == pytest.approx(2.0, abs=0.01)
    assert loop.handles == stats.latency.count
    lat = stats.latency
    assert 0 <= lat.p50 <= lat.p90 <= lat.p99 <= lat.max < 0.001
    assert stats.events == rec.event_count


def test_a_stall_dominates_the_summary():
    rec = record(blocking_requests(block=1.5).w)
    stats = rec.stats()
    assert stats.busy == pytest.approx(1.5 / stats.duration, abs=0.05)
    assert stats.longest_handle.label == "Task-1 · wakeup ← sleep"
    assert stats.longest_handle.begin == pytest.approx(0.5, abs=0.01)
    assert stats.stall_time == pytest.approx(1.5, abs=0.01)
    ticker = next(t for t in stats.tasks if t.name == "ticker")
    assert ticker.steps > 900
