"""Course scenarios 11-16, proven on their recordings (not on what they print).

Each scenario runs once in the real runner (module-scoped fixtures); the
assertions are what a lecturer points at on the timeline.
"""

from __future__ import annotations

import itertools

import pytest

import loopviz
from loopviz.model import Recording, State, TaskInfo
from tests.runner.lessons import line_of, output_time, scenario, spans, user_tasks

pytestmark = pytest.mark.slow

YIELD = "11_sleep_zero_yield_point.py"
PROCESS_POOL = "12_cpu_blocking_and_process_pool.py"
SEMAPHORE = "13_semaphore_limit.py"
QUEUE = "14_producer_consumer_queue.py"
UNRETRIEVED = "15_unretrieved_task_exception.py"
THOUSANDS = "16_thousands_of_tasks.py"


def _record(name: str) -> Recording:
    recording = loopviz.record(scenario(name))
    assert recording.outcome is not None and recording.outcome.outcome == "returned"
    return recording


@pytest.fixture(scope="module")
def yield_point() -> Recording:
    return _record(YIELD)


@pytest.fixture(scope="module")
def process_pool() -> Recording:
    return _record(PROCESS_POOL)


@pytest.fixture(scope="module")
def semaphore() -> Recording:
    return _record(SEMAPHORE)


@pytest.fixture(scope="module")
def queue() -> Recording:
    return _record(QUEUE)


@pytest.fixture(scope="module")
def unretrieved() -> Recording:
    return _record(UNRETRIEVED)


@pytest.fixture(scope="module")
def thousands() -> Recording:
    return _record(THOUSANDS)


def _busy(recording: Recording, task: TaskInfo) -> list[tuple[float, float]]:
    """The task's steps, short (RUNNING) or long enough to block (BLOCKING)."""
    steps = spans(recording, task, State.RUNNING) + spans(recording, task, State.BLOCKING)
    return sorted(s for s in steps if s[1] - s[0] > 0.005)  # chunks, not bookkeeping


def _named(recording: Recording, name: str, coro: str) -> list[TaskInfo]:
    return [t for t in user_tasks(recording, scenario(name)) if t.coro.endswith(coro)]


def test_without_a_yield_point_one_task_finishes_before_the_other_starts(
    yield_point: Recording,
) -> None:
    first, second = _named(yield_point, YIELD, "worker_without_yield")
    a, b = _busy(yield_point, first), _busy(yield_point, second)
    assert a and b
    assert a[-1][1] <= b[0][0] + 0.001, "B takes its first step only after A is done"
    assert len(a) == len(b) == 1, "each task runs all its chunks in one step"


def test_sleep_zero_makes_the_two_tasks_take_turns(yield_point: Recording) -> None:
    first, second = _named(yield_point, YIELD, "worker_with_yield")
    steps = sorted(
        [(start, end, "A") for start, end in _busy(yield_point, first)]
        + [(start, end, "B") for start, end in _busy(yield_point, second)]
    )
    assert [s[2] for s in steps].count("A") >= 5
    assert [s[2] for s in steps].count("B") >= 5
    for (_, end, who), (start, _, nxt) in itertools.pairwise(steps):
        assert who != nxt, "the tasks alternate, one chunk each"
        assert start >= end - 0.001, "one step at a time"
    assert all(s.begin < output_time(yield_point, "Part 2") for s in yield_point.stalls()), (
        "with a yield point after every chunk nothing blocks"
    )


def test_direct_cpu_call_stalls_the_loop_inside_that_function(process_pool: Recording) -> None:
    path = scenario(PROCESS_POOL)
    long_stalls = [s for s in process_pool.stalls() if s.duration >= 0.3]
    (stall,) = long_stalls
    assert stall.where is not None and stall.where.file == str(path)
    # The stall points at the line to fix: main's direct call on the "blocks the loop"
    # line; the line the watchdog saw inside count_primes is kept as ``inside``.
    assert stall.where.line == line_of(path, "primes = count_primes(LIMIT)")
    assert (stall.where.function, stall.call) == ("main", "count_primes")
    body = range(line_of(path, "def count_primes"), line_of(path, "return count") + 1)
    assert stall.inside is not None and stall.inside.line in body
    (main,) = _named(process_pool, PROCESS_POOL, "main")
    assert stall.task == main.id, "main's step blocked, at the direct call"
    part1, part2 = output_time(process_pool, "Part 1"), output_time(process_pool, "Part 2")
    assert part1 - 0.05 <= stall.begin and stall.end is not None and stall.end <= part2
    (ticker,) = _named(process_pool, PROCESS_POOL, "ticker")
    ticks = spans(process_pool, ticker, State.RUNNING)
    assert not [r for r in ticks if stall.begin < r[0] < stall.end], "no tick during the stall"


def test_process_pool_keeps_the_ticker_running(process_pool: Recording) -> None:
    part2 = output_time(process_pool, "Part 2")
    after = [line.t for line in process_pool.output() if line.text.startswith("Primes:")]
    assert len(after) == 2
    pool_end = after[1]
    assert pool_end - part2 > 0.3, "the pool really did the half-second of work"
    assert not [s for s in process_pool.stalls() if s.end is None or s.end > part2]
    assert not [s for s in process_pool.stalls() if s.begin >= part2 and s.duration > 0.1]
    (ticker,) = _named(process_pool, PROCESS_POOL, "ticker")
    ticks = [r[0] for r in spans(process_pool, ticker, State.RUNNING) if part2 <= r[0] <= pool_end]
    assert len(ticks) >= 2, "the ticker ticks while the pool works"
    for earlier, later in itertools.pairwise([part2, *ticks, pool_end]):
        assert later - earlier < 0.25, "no gap in the ticker lane"


def test_semaphore_lets_at_most_three_requests_sleep_at_once(semaphore: Recording) -> None:
    (main,) = _named(semaphore, SEMAPHORE, "main")
    requests = _named(semaphore, SEMAPHORE, "get_request")
    assert len(requests) == 10
    ids = {t.id for t in requests}
    assert main.created is not None and main.done is not None
    most = 0
    t = main.created
    while t < main.done:
        inside = [
            s
            for s in semaphore.state_at(t).tasks
            if s.task in ids and s.state == State.WAITING and s.awaiting_text.startswith("sleep")
        ]
        assert len(inside) <= 3, f"{len(inside)} requests inside the semaphore at {t:.2f} s"
        most = max(most, len(inside))
        t += 0.02
    assert most == 3
    at_door = [
        s
        for s in semaphore.state_at(main.created + 0.15).tasks
        if s.task in ids and "__aenter__" in s.awaiting_text
    ]
    assert len(at_door) == 7, "the other seven wait at `async with semaphore`"
    assert all(r.outcome == "result" for r in requests)
    assert 1.15 < main.done - main.created < 1.8, "four rounds of 0.3 s"


def test_full_queue_makes_the_producer_wait_at_put(queue: Recording) -> None:
    (producer,) = _named(queue, QUEUE, "producer")
    waits = [w for w in spans(queue, producer, State.WAITING) if w[1] - w[0] > 0.2]
    assert len(waits) >= 2, "the producer waits for a free slot, again and again"
    for start, end in waits:
        state = queue.state_at((start + end) / 2).task(producer.id)
        assert state is not None and state.state == State.WAITING
        assert "Queue.put" in state.awaiting_text
    consumed = [line for line in queue.output() if " consumed item " in line.text]
    assert len(consumed) == 8
    assert output_time(queue, "All items consumed") >= consumed[-1].t
    assert producer.outcome == "result"


def test_unretrieved_exception_is_logged_only_when_collected(unretrieved: Recording) -> None:
    (doomed,) = _named(unretrieved, UNRETRIEVED, "doomed")
    assert doomed.outcome == "exception"
    (main,) = _named(unretrieved, UNRETRIEVED, "main")
    assert main.outcome == "result", "main never saw the exception"
    warned = output_time(unretrieved, "Task exception was never retrieved")
    assert doomed.done is not None and warned > doomed.done + 0.1
    assert warned >= output_time(unretrieved, "main is still fine")
    assert any("RuntimeError: nobody is listening" in line.text for line in unretrieved.output())


def test_five_thousand_tasks_sleep_together(thousands: Recording) -> None:
    tasks = user_tasks(thousands, scenario(THOUSANDS))
    assert len(tasks) == 5001
    assert all(t.outcome == "result" for t in tasks)
    (main,) = [t for t in tasks if t.coro.endswith("main")]
    assert main.created is not None and main.done is not None
    assert main.done - main.created < 3.0
