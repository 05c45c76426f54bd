""" "Now" in a live run, kept up to date task by task, equals the same answer from scratch.

``state_at(now)`` and ``open_slices(now)`` are asked every frame; with 100,000 tasks
they update only the tasks that the records since the last frame touched (and
remember each queued handle's ready time). These tests record a real run (the
traced runner, 1,500 tasks gathered), feed its records to a new recording in
batches of random size, ask after every batch, and compare with a recording fed
the same records at once. Then every instant of the batch-fed recording must equal
the saved one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from loopviz.api import record
from loopviz.model import Recording
from loopviz.protocol import encode_messages, encode_records, encode_strings

SCENARIO = Path(__file__).parents[1] / "hostile" / "many_tasks.py"


@pytest.fixture(scope="module")
def run() -> Recording:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOOPVIZ_TASKS", "1500")
        rec = record(SCENARIO, timeout=60)
    assert rec.event_count > 20_000, rec.event_count
    return rec


def _start(run: Recording) -> Recording:
    rec = Recording()
    rec.feed(encode_strings(sorted(run.strings().items())))
    rec.feed(encode_messages(list(run._store.messages.all)))
    return rec


def _fresh(run: Recording, n: int) -> Recording:
    rec = _start(run)
    rec.feed(encode_records(run.records(0, n)))
    return rec


def _same_slices(a: object, b: object) -> None:
    assert set(a.columns) == set(b.columns)
    for state in a.columns:
        for f in ("lane", "start", "end", "ref"):
            x, y = getattr(a[state], f), getattr(b[state], f)
            assert x.dtype == y.dtype
            np.testing.assert_array_equal(x, y, err_msg=f"{state.name} {f}")


def _same_state(a: object, b: object) -> None:
    np.testing.assert_array_equal(a.task_ids, b.task_ids)
    np.testing.assert_array_equal(a.task_states, b.task_states)
    np.testing.assert_array_equal(a.task_awaiting, b.task_awaiting)
    assert a.tasks == b.tasks
    assert a.loops == b.loops
    assert a.futures == b.futures


def test_now_after_every_batch_equals_from_scratch(run: Recording) -> None:
    rec = _start(run)
    rng = np.random.default_rng(8)
    lo, batches, waited = 0, 0, 0
    while lo < run.event_count:
        # Mostly frame-sized batches, now and then a big one (a rebuild from scratch).
        size = int(rng.integers(1, 4_000 if rng.random() < 0.9 else 30_000))
        hi = min(run.event_count, lo + size)
        rec.feed(encode_records(run.records(lo, hi)))
        lo = hi
        fresh = _fresh(run, hi)
        now = rec.duration
        for t in (now, now + 0.5):
            _same_state(rec.state_at(t), fresh.state_at(t))
            _same_slices(rec.open_slices(t), fresh.open_slices(t))
        # Asked twice with nothing new: the remembered answer, unchanged.
        _same_state(rec.state_at(now), fresh.state_at(now))
        waited = max(waited, int((rec.state_at(now).task_states == 2).sum()))
        batches += 1
    assert batches > 10
    assert waited > 100, "the run never had many tasks waiting at once"


def test_every_instant_equals_the_recording_fed_at_once(run: Recording) -> None:
    rec = _start(run)
    rng = np.random.default_rng(3)
    lo = 0
    while lo < run.event_count:
        hi = min(run.event_count, lo + int(rng.integers(1, 5_000)))
        rec.feed(encode_records(run.records(lo, hi)))
        rec.state_at(rec.duration)
        rec.open_slices(rec.duration)
        lo = hi
    for t in np.linspace(0, run.duration, 40).tolist():
        _same_state(rec.state_at(t), run.state_at(t))
        assert rec.state_at(t).ready == run.state_at(t).ready
    _same_slices(rec.open_slices(), run.open_slices())


def test_the_soonest_timers_are_those_of_the_whole_list(run: Recording) -> None:
    """A state cut at 5 timers shows the first 5 of the full list (by deadline, ties in
    creation order), and counts them all."""
    seen = 0
    for t in np.linspace(0, run.duration, 60).tolist():
        cut, whole = run.state_at(t, limit=5), run.state_at(t, limit=10**6)
        for a, b in zip(cut.loops, whole.loops, strict=True):
            assert a.timer_count == b.timer_count == len(b.timers)
            assert a.timers == b.timers[:5]
            deadlines = [e.deadline for e in b.timers]
            assert deadlines == sorted(deadlines)
            seen = max(seen, b.timer_count)
    assert seen > 100, "never many timers pending at once"
