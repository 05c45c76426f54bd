"""Lessons 5 to 10 of the course, proven on their recordings.

Each scenario runs once in the real runner (module-scoped fixtures); the
assertions are what a lecturer points at on the timeline. Tolerances are
generous: the machines that run this are small and busy.
"""

from __future__ import annotations

import itertools

import pytest

import loopviz
from loopviz.model import Recording, State, TaskInfo
from tests.runner.lessons import line_of, output_time, scenario, spans, user_tasks

pytestmark = pytest.mark.slow

TO_THREAD = "05_to_thread_fix.py"
GATHER_VS_AS_COMPLETED = "06_gather_vs_as_completed.py"
TASKGROUP = "07_taskgroup_failure.py"
CANCELLATION = "08_cancellation_and_timeouts.py"
FUTURES = "09_futures_by_hand.py"
AWAITABLE = "10_custom_awaitable.py"


def _record(name: str) -> Recording:
    recording = loopviz.record(scenario(name), timeout=30)
    assert recording.outcome is not None and recording.outcome.outcome == "returned", (
        recording.outcome
    )
    return recording


@pytest.fixture(scope="module")
def to_thread() -> Recording:
    return _record(TO_THREAD)


@pytest.fixture(scope="module")
def gather_vs_as_completed() -> Recording:
    return _record(GATHER_VS_AS_COMPLETED)


@pytest.fixture(scope="module")
def taskgroup() -> Recording:
    return _record(TASKGROUP)


@pytest.fixture(scope="module")
def cancellation() -> Recording:
    return _record(CANCELLATION)


@pytest.fixture(scope="module")
def futures() -> Recording:
    return _record(FUTURES)


@pytest.fixture(scope="module")
def awaitable() -> Recording:
    return _record(AWAITABLE)


def _by_coro(recording: Recording, name: str, coro: str) -> list[TaskInfo]:
    return [t for t in user_tasks(recording, scenario(name)) if t.coro.endswith(coro)]


def _lines(recording: Recording) -> list[str]:
    return [line.text for line in recording.output()]


def _lifetime(task: TaskInfo) -> float:
    assert task.created is not None and task.done is not None
    return task.done - task.created


def test_to_thread_request_leaves_the_loop_free_for_the_ticker(to_thread: Recording) -> None:
    assert not [s for s in to_thread.stalls() if s.duration > 0.1], "no blocking warning"
    (main,) = _by_coro(to_thread, TO_THREAD, "main")
    (ticker,) = _by_coro(to_thread, TO_THREAD, "ticker")
    (request,) = [w for w in spans(to_thread, main, State.WAITING) if w[1] - w[0] > 0.5]
    assert 0.95 < request[1] - request[0] < 1.6, "main waits ≈1 s for the worker thread"

    steps = [start for start, _ in spans(to_thread, ticker, State.RUNNING)]
    during = [t for t in steps if request[0] <= t <= request[1]]
    assert len(during) > 50, "the ticker keeps ticking while the request is in flight"
    edges = [request[0], *during, request[1]]
    gaps = [b - a for a, b in itertools.pairwise(edges)]
    assert max(gaps) < 0.05, "no tick is held up by the request"
    assert any(line.startswith("Status: 200") for line in _lines(to_thread))


def test_gather_keeps_submission_order_as_completed_gives_completion_order(
    gather_vs_as_completed: Recording,
) -> None:
    downloads = _by_coro(gather_vs_as_completed, GATHER_VS_AS_COMPLETED, "download")
    assert len(downloads) == 6, "three downloads per round"
    by_creation = sorted(downloads, key=lambda t: (t.created or 0.0, t.id))
    for round_ in (by_creation[:3], by_creation[3:]):
        created = [t.detail for t in round_]
        finished = [t.detail for t in sorted(round_, key=lambda t: t.done or 0.0)]
        assert created == ["'A'", "'B'", "'C'"], "submitted in order A, B, C"
        assert finished == ["'B'", "'C'", "'A'"], "they finish shortest first"
        assert all(t.outcome == "result" for t in round_)
    first_round_done = max(t.done or 0.0 for t in by_creation[:3])
    assert all((t.created or 0.0) >= first_round_done - 0.01 for t in by_creation[3:])

    lines = _lines(gather_vs_as_completed)
    assert "gather returned ['A', 'B', 'C']" in lines
    gave = [line.removeprefix("as_completed gave ") for line in lines if "gave" in line]
    assert gave == ["B", "C", "A"]


def test_taskgroup_failure_cancels_the_siblings(taskgroup: Recording) -> None:
    (main,) = _by_coro(taskgroup, TASKGROUP, "main")
    (broken,) = _by_coro(taskgroup, TASKGROUP, "broken_download")
    siblings = _by_coro(taskgroup, TASKGROUP, "download")
    siblings = [t for t in siblings if t is not broken]
    assert broken.outcome == "exception" and "ValueError" in broken.detail
    assert broken.done is not None and 0.15 < broken.done - (broken.created or 0.0) < 0.35
    assert len(siblings) == 2
    for sibling in siblings:
        assert sibling.outcome == "cancelled"
        assert sibling.done is not None and sibling.done - broken.done < 0.1, (
            "cancelled right after the failure, long before their 1 s sleep ends"
        )
    assert main.outcome == "result"
    assert main.done is not None and main.done >= max(s.done or 0.0 for s in siblings)
    lines = _lines(taskgroup)
    assert "Caught: download B failed" in lines
    assert lines[-1] == "main carries on"


def test_cancel_timeout_wait_for_and_shield(cancellation: Recording) -> None:
    first, second, third, saved = sorted(
        _by_coro(cancellation, CANCELLATION, "job"), key=lambda t: t.created or 0.0
    )
    assert first.outcome == "cancelled"
    assert 0.05 < _lifetime(first) < 0.25, "cancelled by main after 0.1 s"
    for timed_out in (second, third):
        assert timed_out.outcome == "cancelled"
        assert 0.25 < _lifetime(timed_out) < 0.45, "cancelled at the 0.3 s deadline"
    assert saved.outcome == "result" and saved.detail == "'saved'"
    assert 0.45 < _lifetime(saved) < 0.7, "the shielded job runs its full 0.5 s"
    gave_up = output_time(cancellation, "main: stopped waiting for saved")
    assert (saved.created or 0.0) + 0.25 < gave_up < (saved.done or 0.0) - 0.1, (
        "its waiter timed out while the shielded job was still running"
    )
    lines = _lines(cancellation)
    assert "main: timeout, second is cancelled: True" in lines
    assert "main: wait_for timed out, third is cancelled: True" in lines


def test_futures_resolved_by_a_timer_and_by_another_task(futures: Recording) -> None:
    path = scenario(FUTURES)
    (main,) = _by_coro(futures, FUTURES, "main")
    (courier,) = _by_coro(futures, FUTURES, "courier")
    alarm, parcel = [w for w in spans(futures, main, State.WAITING) if w[1] - w[0] > 0.1]
    assert 0.45 < alarm[1] - alarm[0] < 0.65, "the call_later timer fills it after 0.5 s"
    assert abs(output_time(futures, "Alarm: ring!") - alarm[1]) < 0.05
    paused = [s.detail for s in futures.slices(main.id) if s.state == State.RUNNING]
    for needle in ("await alarm", "await box"):
        where = f"paused at {path.name}:{line_of(path, needle)}"
        assert any(d.endswith(where) for d in paused), f"main pauses at {needle!r}"

    assert courier.created is not None and courier.done is not None
    assert alarm[1] <= courier.created <= parcel[0] + 0.05, "the courier starts after the alarm"
    assert 0.25 < parcel[1] - parcel[0] < 0.45, "the courier fills the box after 0.3 s"
    assert abs(parcel[1] - courier.done) < 0.05, "main wakes when the courier sets the result"
    assert courier.outcome == "result"
    assert "Got: a parcel" in _lines(futures)


def test_custom_awaitable_waits_its_steps_and_returns_its_value(awaitable: Recording) -> None:
    path = scenario(AWAITABLE)
    (main,) = user_tasks(awaitable, path)
    waits = [w for w in spans(awaitable, main, State.WAITING) if w[1] - w[0] > 0.1]
    assert len(waits) == 3, "one wait per countdown step"
    for start, end in waits:
        assert 0.2 < end - start < 0.4
    assert 0.7 < waits[-1][1] - waits[0][0] < 1.0
    yield_line = line_of(path, "yield from asyncio.sleep(STEP)")
    paused = [s.detail for s in awaitable.slices(main.id) if s.state == State.RUNNING]
    assert sum(f"paused at {path.name}:{yield_line}" in d for d in paused) == 3, (
        "main is paused inside Countdown.__await__"
    )
    assert main.outcome == "result"
    assert _lines(awaitable) == ["3 ...", "2 ...", "1 ...", "Lift-off!"]
    assert abs(output_time(awaitable, "Lift-off!") - waits[-1][1]) < 0.05
