"""The founding lessons, proven on their recordings (not on what they print).

Each scenario runs once in the real runner (module-scoped fixtures); the
assertions are what a lecturer points at on the timeline.
"""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

import loopviz
from loopviz.localhttp import LessonServer
from loopviz.model import Recording, State
from loopviz.runner import Runner
from tests.runner.lessons import line_of, output_time, scenario, spans, user_tasks

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sequential() -> Recording:
    return loopviz.record(scenario("01_sequential_awaits.py"))


@pytest.fixture(scope="module")
def not_tasks() -> Recording:
    return loopviz.record(scenario("02_coroutines_are_not_tasks.py"))


@pytest.fixture(scope="module")
def create_task() -> Recording:
    return loopviz.record(scenario("03_create_task.py"))


def test_sequential_awaits_one_task_five_waits_one_after_another(sequential: Recording) -> None:
    assert sequential.outcome is not None and sequential.outcome.outcome == "returned"
    (main,) = user_tasks(sequential, scenario("01_sequential_awaits.py"))
    waits = [w for w in spans(sequential, main, State.WAITING) if w[1] - w[0] > 0.5]
    assert len(waits) == 5
    for start, end in waits:
        assert 0.95 < end - start < 1.2
    for (_, end), (start, _) in itertools.pairwise(waits):
        assert start >= end, "each wait begins after the previous one ended"
    assert main.done is not None and main.created is not None
    assert 4.95 < main.done - main.created < 5.5


def test_coroutines_are_not_tasks_until_gathered(not_tasks: Recording) -> None:
    path = scenario("02_coroutines_are_not_tasks.py")
    printed = output_time(not_tasks, "Number of tasks:")
    at_print = not_tasks.state_at(printed)
    alive = [t for t in at_print.tasks if t.state != State.DONE]
    assert len(alive) == 1, "only main is a task when the count is printed"
    pending = [c for c in at_print.coroutines if c.qualname.endswith("get_request")]
    assert len(pending) == 5, "five coroutine objects exist, none scheduled"

    main, *requests = user_tasks(not_tasks, path)
    assert len(requests) == 5
    for task in requests:
        first_run = spans(not_tasks, task, State.RUNNING)[0][0]
        assert 1.95 < first_run < 2.3, "they take their first step when gathered, at 2 s"
    assert main.done is not None and main.created is not None
    assert 2.95 < main.done - main.created < 3.5
    assert not_tasks.state_at(2.5).coroutines == ()


def test_create_task_runs_five_tasks_during_the_sleep(create_task: Recording) -> None:
    path = scenario("03_create_task.py")
    main, *requests = user_tasks(create_task, path)
    assert len(requests) == 5
    (main_sleep,) = [w for w in spans(create_task, main, State.WAITING) if w[1] - w[0] > 1.5]
    sleep_end = main_sleep[1]
    assert all(t.created is not None and t.created < sleep_end for t in requests)
    assert len([t for t in create_task.state_at(0.5).tasks if t.state != State.DONE]) == 6
    for task in requests:
        for start, _ in spans(create_task, task, State.RUNNING):
            assert main_sleep[0] <= start < sleep_end, "the tasks run while main sleeps"
    assert main.done is not None and main.created is not None
    assert 1.95 < main.done - main.created < 2.4


def test_blocking_request_is_one_stall_on_the_requests_line_reported_while_blocked() -> None:
    path = scenario("04_blocking_requests.py")
    seen_stall_at: list[int] = []

    async def run() -> Recording:
        with LessonServer() as server:
            runner = Runner(path, http_url=server.start())

            def on_update() -> None:
                if not seen_stall_at and runner.recording.stalls():
                    seen_stall_at.append(time.monotonic_ns())

            runner.on_update = on_update
            await runner.run()
            return runner.recording

    recording = asyncio.run(run())
    assert recording.outcome is not None and recording.outcome.outcome == "returned"
    (stall,) = recording.stalls()
    assert stall.end is not None
    assert 0.9 < stall.duration < 1.6
    assert stall.where is not None
    assert stall.where.file == str(path)
    assert stall.where.line == line_of(path, "requests.get(")
    assert stall.call == "requests.get"
    stall_end_ns = recording.start_ns + int(stall.end * 1e9)
    assert seen_stall_at and seen_stall_at[0] < stall_end_ns, (
        "the app learned of the stall while the loop was still blocked"
    )
    ticker = next(t for t in user_tasks(recording, path) if t.coro.endswith("ticker"))
    runs = spans(recording, ticker, State.RUNNING)
    assert not [r for r in runs if stall.begin < r[0] < stall.end], "no tick during the stall"
    after = [r for r in runs if r[0] >= stall.end]
    assert after and after[0][0] - stall.end < 0.05, "the ticker runs right after"
