"""The step index of a live recording: extended batch by batch, equal to one built at once,
and never keeping a recording alive after the app dropped it."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from tests.model.two_loops import two_loop_stream

from loopviz.model import Recording
from loopviz.model.steps import StepIndex
from loopviz.model.synthetic import mixed_workload
from loopviz.protocol import KIND_MASK, EventKind

FIELDS = ("begins", "ends", "loops", "rows", "tasks", "prev_of_task")


def assert_same(a: StepIndex, b: StepIndex) -> None:
    assert len(a) == len(b)
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_array_equal(a.iteration_starts(), b.iteration_starts())
    assert a.notables() == b.notables()


@pytest.fixture(scope="module")
def frames() -> list[bytes]:
    return mixed_workload(tasks=30, rounds=40, seed=3, stall_every=50).frames(batch_ns=2_000_000)


@pytest.mark.parametrize("every", [1, 3, 17, 1000])
def test_an_index_extended_batch_by_batch_equals_one_built_at_once(
    frames: list[bytes], every: int
) -> None:
    live = Recording()
    handed_out = []
    for k, frame in enumerate(frames):
        live.feed(frame)
        if k % every == 0:
            handed_out.append((StepIndex.of(live), len(StepIndex(live))))
    grown = StepIndex.of(live)
    at_once = StepIndex(live)
    assert len(at_once) > 1000
    assert_same(grown, at_once)
    # Built from the file's bytes in one go, too.
    whole = Recording()
    whole.feed(b"".join(frames))
    assert_same(grown, StepIndex.of(whole))
    # An index handed out earlier still shows the recording as it was then.
    for old, n in handed_out:
        assert len(old) == n
        assert np.all(np.isfinite(old.ends)) and np.all(old.ends >= old.begins)


def test_a_run_still_going_ends_now_and_then_where_it_ended(frames: list[bytes]) -> None:
    whole = Recording()
    whole.feed(b"".join(frames))
    final = StepIndex.of(whole)
    records = whole.records()
    run_begins = np.flatnonzero((records[:, 0] & KIND_MASK) == EventKind.RUN_BEGIN)
    cut = int(run_begins[len(run_begins) // 2]) + 1  # just after a run began
    live = Recording()
    live.add_messages(whole.messages()[:1])
    live.add_strings(whole.strings().items())
    live.add_records(records[:cut])
    before = StepIndex.of(live)
    going = np.flatnonzero(final.ends[: len(before)] > live.duration)
    assert len(going), "a run was going when the batch ended"
    assert np.all(before.ends[going] == live.duration), "a run still going ends now"
    live.advance_to(live.end_ns + 500_000_000)
    later = StepIndex.of(live)
    assert later is not before
    np.testing.assert_allclose(later.ends[going], live.duration)
    assert np.all(before.ends[going] < later.ends[going]), "the earlier index is unchanged"
    live.add_records(records[cut:])
    done = StepIndex.of(live)
    np.testing.assert_array_equal(done.ends[going], final.ends[going])
    assert_same(done, StepIndex(live))


def test_two_loops_batch_by_batch_equal_at_once() -> None:
    w = two_loop_stream()
    live = Recording()
    for frame in w.frames(batch_ns=1_000_000):
        live.feed(frame)
        StepIndex.of(live)
    assert set(StepIndex.of(live).loops.tolist()) == {1, 2}
    assert_same(StepIndex.of(live), StepIndex(live))


def test_an_unchanged_recording_answers_the_same_index(frames: list[bytes]) -> None:
    rec = Recording()
    rec.feed(b"".join(frames))
    assert StepIndex.of(rec) is StepIndex.of(rec)


def test_a_recording_is_freed_after_its_index_was_asked_for(frames: list[bytes]) -> None:
    rec = Recording()
    rec.feed(b"".join(frames))
    steps = StepIndex.of(rec)
    assert steps.next_notable(0.0) is not None
    gone = weakref.ref(rec)
    del rec
    gc.collect()
    assert gone() is None, "the step index kept the recording alive"
    # The index outlives it harmlessly: runs still step, no notable texts to build.
    assert steps.next_run(0.0) is not None


@pytest.mark.parametrize("budget", [1, 7, 250])
def test_an_index_taken_in_a_budget_at_a_time_catches_up_to_one_built_at_once(
    frames: list[bytes], budget: int
) -> None:
    live = Recording()
    for frame in frames:
        live.feed(frame)
        StepIndex.of(live, budget)  # a window frame: at most ``budget`` new runs
    partial = StepIndex.of(live, budget)
    at_once = StepIndex(live)
    assert partial.complete is False or len(partial) == len(at_once)
    calls = 0
    while not partial.complete:
        partial = StepIndex.of(live, budget)
        calls += 1
        assert calls < 10 * len(at_once) // budget + 10
    assert len(partial) > 1000
    assert_same(partial, at_once)
