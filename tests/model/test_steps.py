"""Stepping through real recordings of the course lessons: handle runs, loop iterations and
notable events, forward and back, landing where ``state_at`` agrees."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.model.two_loops import two_loop_stream
from tests.runner.lessons import scenario

import loopviz
from loopviz.model import Recording
from loopviz.model.captions import MAX_CHARS, UNKNOWN, caption_at
from loopviz.model.steps import Notable, StepIndex
from loopviz.protocol import KIND_MASK, EventKind

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sequential() -> Recording:
    return loopviz.record(scenario("01_sequential_awaits.py"), params={"REQUESTS": 2})


@pytest.fixture(scope="module")
def create_task() -> Recording:
    return loopviz.record(scenario("03_create_task.py"), params={"DELAY": 0.2, "HEAD_START": 0.4})


@pytest.fixture(scope="module")
def blocking() -> Recording:
    return loopviz.record(scenario("04_blocking_requests.py"), params={"DELAY": 0.3})


@pytest.fixture(scope="module")
def unretrieved() -> Recording:
    return loopviz.record(scenario("15_unretrieved_task_exception.py"))


@pytest.fixture(scope="module")
def thousands() -> Recording:
    return loopviz.record(scenario("16_thousands_of_tasks.py"), params={"TASKS": 2000})


def lessons(request: pytest.FixtureRequest) -> list[Recording]:
    names = ("sequential", "create_task", "blocking", "unretrieved", "thousands")
    return [request.getfixturevalue(n) for n in names]


def walk(step, start: float) -> list:
    """Apply ``step`` from ``start`` until it returns None."""
    out = []
    at = step(start)
    while at is not None:
        out.append(at)
        at = step(at.t if isinstance(at, Notable) else at)
    return out


def test_back_from_the_end_visits_every_handle_run_in_reverse(
    request: pytest.FixtureRequest,
) -> None:
    for rec in lessons(request):
        steps = StepIndex.of(rec)
        assert len(steps) == len(steps.begins) == len(steps.ends) >= 10
        forward = walk(steps.next_run, -1.0)
        back = walk(steps.prev_run, math.inf)
        assert back == forward[::-1]
        assert forward == sorted(set(steps.begins.tolist())), "every run, each once, in order"
        # The model's own list of handle runs agrees (cancelled handles never ran).
        runs = rec.handle_runs()
        ran = runs[(runs["state"] != -2) & ~np.isnan(runs["begin"])]
        assert np.array_equal(np.sort(ran["begin"]), steps.begins)
        assert np.all(steps.ends >= steps.begins)


def test_a_cursor_on_a_run_shows_that_run_running_in_state_at(create_task: Recording) -> None:
    steps = StepIndex.of(create_task)
    assert steps.index_at(-1.0) == -1
    assert steps.index_at(float(steps.begins[0]) - 1e-6) == -1
    for k, begin in enumerate(steps.begins.tolist()):
        assert steps.index_at(begin) == k
        running = create_task.state_at(begin).running
        assert running is not None, f"run {k} is running at its own begin time"
        info = create_task._store.loops[int(steps.loops[k])]
        assert running.serial == int(steps.rows[k]) + info.handles.base
        assert running.task == int(steps.tasks[k])
        mid = (begin + float(steps.ends[k])) / 2
        assert steps.index_at(mid) == k


def expected_iteration_starts(rec: Recording) -> list[float]:
    """The first RUN_BEGIN after each SELECT_BEGIN, read straight off the records."""
    records = rec.records()
    out, fresh = [], False
    for row in records:
        kind = int(row[0]) & KIND_MASK
        if kind == EventKind.SELECT_BEGIN:
            fresh = True
        elif kind == EventKind.RUN_BEGIN and row[4] == 0 and fresh:
            out.append((int(row[1]) - rec.start_ns) / 1e9)
            fresh = False
    return out


def test_shift_arrows_step_by_loop_iteration(request: pytest.FixtureRequest) -> None:
    for rec in lessons(request):
        steps = StepIndex.of(rec)
        forward = walk(steps.next_iteration, -1.0)
        assert forward == walk(steps.prev_iteration, math.inf)[::-1]
        assert forward == pytest.approx(expected_iteration_starts(rec), abs=0)
        assert set(forward) <= set(steps.begins.tolist()), "an iteration starts with a run"
    # In the create_task lesson the five requests start in one pass of the loop.
    steps = StepIndex.of(request.getfixturevalue("create_task"))
    assert len(steps.iteration_starts()) < len(steps)


def test_ctrl_arrows_visit_tasks_prints_stalls_and_exceptions(
    create_task: Recording, blocking: Recording, unretrieved: Recording
) -> None:
    notables = walk(StepIndex.of(create_task).next_notable, -1.0)
    assert [n.t for n in notables] == [
        n.t for n in walk(StepIndex.of(create_task).prev_notable, math.inf)[::-1]
    ]
    created = [n.text for n in notables if n.kind == "task_created"]
    assert created[0] == "Task-1 created: main"
    assert created[1:] == [f"Task-{k} created: get_request" for k in range(2, 7)]
    assert any(n.kind == "print" and "Number of tasks: 6" in n.text for n in notables)
    done = [n for n in notables if n.kind == "task_done"]
    assert len(done) == 6 and all("returned" in n.text for n in done)
    assert not any("shutdown" in n.text for n in notables), "asyncio's clean-up is hidden"

    (stall,) = blocking.stalls()
    kinds = {n.kind: n for n in StepIndex.of(blocking).notables()}
    assert kinds["stall_begin"].t == pytest.approx(stall.begin, abs=1e-9)
    assert "requests.get" in kinds["stall_begin"].text
    assert kinds["stall_end"].t == pytest.approx(stall.end, abs=1e-9)

    raised = [n for n in StepIndex.of(unretrieved).notables() if n.kind == "exception"]
    assert any("RuntimeError: nobody is listening" in n.text for n in raised)
    assert any("never retrieved" in n.text for n in raised)
    assert all(len(n.text) <= 120 for n in StepIndex.of(unretrieved).notables())


def test_the_index_grows_with_a_live_recording(blocking: Recording) -> None:
    live = Recording()
    live.add_messages(blocking.messages()[:1])
    live.add_strings(blocking.strings().items())
    records = blocking.records()
    stall = blocking.stalls()[0]
    # Up to the RUN_BEGIN of the blocking run: the recording as it was when the block began.
    began_ns = blocking.start_ns + round(stall.begin * 1e9)
    inside = int(np.searchsorted(records[:, 1], began_ns, side="right")) - 1
    live.add_records(records[: inside + 1])
    first = StepIndex.of(live)
    assert StepIndex.of(live) is first, "unchanged recording: the same index"
    assert first.ends[-1] == live.duration, "the blocking run lasts until now"
    assert first.next_notable(first.begins[-1]) is None, "not a stall yet"
    # The runner is alive but sends nothing: the run blocks on, a stall begins.
    live.advance_to(blocking.start_ns + round((stall.begin + 0.25) * 1e9))
    later = StepIndex.of(live)
    assert len(later) == len(first) and later.ends[-1] == pytest.approx(stall.begin + 0.25)
    assert first.ends[-1] < later.ends[-1]
    began = later.next_notable(first.begins[-1] - 1e-6)
    assert began is not None and began.kind == "stall_begin"
    live.add_records(records[inside + 1 :])
    again = StepIndex.of(live)
    assert again is not first and len(again) == len(StepIndex.of(blocking))


def test_nothing_to_step_through_answers_none() -> None:
    steps = StepIndex.of(Recording())
    assert len(steps) == 0 and steps.index_at(0.0) == -1
    for step in (steps.next_run, steps.prev_run, steps.next_iteration, steps.prev_iteration):
        assert step(0.0) is None
    assert steps.next_notable(0.0) is None and steps.prev_notable(0.0) is None


def test_nan_and_infinite_cursors_do_not_raise(sequential: Recording) -> None:
    steps = StepIndex.of(sequential)
    assert steps.next_run(math.nan) is None and steps.index_at(math.nan) == -1
    assert steps.next_run(-math.inf) == steps.begins[0]
    assert steps.prev_run(math.inf) == steps.begins[-1]
    assert steps.index_at(math.inf) == len(steps) - 1


def test_two_loops_in_two_threads_interleave_in_one_order() -> None:
    """Runs of two loops (two threads) are stepped in time order, each where state_at
    shows it running on its own loop."""
    w = two_loop_stream()
    rec = Recording()
    rec.feed(w.data(batch_ns=5_000_000))
    steps = StepIndex.of(rec)
    assert set(steps.loops.tolist()) == {1, 2}
    assert np.all(np.diff(steps.begins) >= 0)
    forward = walk(steps.next_run, -1.0)
    assert forward == walk(steps.prev_run, math.inf)[::-1]
    assert forward == sorted(set(steps.begins.tolist()))
    checked = 0
    for t in forward:
        k = steps.index_at(t)
        assert steps.begins[k] == t
        text = caption_at(rec, t, steps)
        assert text != UNKNOWN and len(text) <= MAX_CHARS
        if steps.ends[k] <= t:
            continue  # a run the other thread's records hid until it was over
        state = rec.state_at(t)
        (loop,) = [lp for lp in state.loops if lp.index == int(steps.loops[k])]
        assert loop.running is not None, f"run {k} shows as running at {t}"
        assert loop.running.serial == int(steps.rows[k]) + rec._store.loops[loop.index].handles.base
        checked += 1
    # The simulated threads take turns a whole loop iteration at a time, so some runs only
    # become visible together; most instants still show their run in progress.
    assert checked > len(forward) // 2
