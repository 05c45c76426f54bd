"""Captions of steps on real recordings of the course lessons: what a student reads under the
chart when the lecturer presses →."""

from __future__ import annotations

import math
import re

import pytest
from tests.runner.lessons import line_of, scenario

import loopviz
from loopviz.model import Recording
from loopviz.model.captions import MAX_CHARS, UNKNOWN, caption_at
from loopviz.model.steps import StepIndex

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sequential() -> Recording:
    return loopviz.record(scenario("01_sequential_awaits.py"), params={"REQUESTS": 2})


@pytest.fixture(scope="module")
def not_tasks() -> Recording:
    return loopviz.record(
        scenario("02_coroutines_are_not_tasks.py"), params={"DELAY": 0.2, "HEAD_START": 0.3}
    )


@pytest.fixture(scope="module")
def create_task() -> Recording:
    return loopviz.record(scenario("03_create_task.py"), params={"DELAY": 0.2, "HEAD_START": 0.4})


@pytest.fixture(scope="module")
def blocking() -> Recording:
    return loopviz.record(scenario("04_blocking_requests.py"), params={"DELAY": 0.3})


@pytest.fixture(scope="module")
def futures() -> Recording:
    return loopviz.record(
        scenario("09_futures_by_hand.py"), params={"ALARM_DELAY": 0.2, "COURIER_DELAY": 0.1}
    )


def captions(rec: Recording) -> list[str]:
    steps = StepIndex.of(rec)
    return [caption_at(rec, t, steps) for t in steps.begins.tolist()]


def test_sequential_awaits_main_resumes_when_its_sleep_finishes(sequential: Recording) -> None:
    said = captions(sequential)
    assert said[0].startswith("Task-1 started: main()")
    resumed = [c for c in said if c.startswith("main resumed — sleep(1) finished; it ")]
    assert len(resumed) == 2, said
    assert resumed[0].endswith("calls get_request(url) and awaits it")
    assert resumed[-1].endswith("returns None")
    # On time, the loop waited in select(); on a loaded machine the timer may really be late.
    on_time_or_late = re.compile(
        r"the sleep\(1\) timer fired (after 1\.0\d s in select\(\)|.* late)"
    )
    fired = [c for c in said if on_time_or_late.match(c)]
    assert len(fired) == 2 and all(c.endswith("it wakes main") for c in fired), said


def test_create_task_five_requests_start_right_after_mains_first_step(
    create_task: Recording,
) -> None:
    said = captions(create_task)
    assert said[0].startswith("Task-1 started: main(); it creates 5 tasks")
    assert said[0].endswith("awaits sleep(0.4)")
    for k, caption in enumerate(said[1:6], start=2):
        assert caption.startswith(f"Task-{k} started: get_request(url); it prints 'Requesting")
        assert caption.endswith("and awaits sleep(0.2)")


def test_coroutine_objects_are_created_but_not_started(not_tasks: Recording) -> None:
    said = captions(not_tasks)
    assert "creates 5 coroutine objects (not started)" in said[0]
    assert any(c.startswith("main resumed — sleep(0.3) finished; it creates 5 tasks") for c in said)


def test_blocking_lesson_names_requests_get_and_its_line(blocking: Recording) -> None:
    path = scenario("04_blocking_requests.py")
    line = line_of(path, "requests.get(url")
    (stall,) = blocking.stalls()
    expected = f"the loop is blocked at 04_blocking_requests.py:{line} requests.get(...) for "
    assert caption_at(blocking, stall.begin).startswith(expected)
    inside = caption_at(blocking, (stall.begin + stall.end) / 2)
    assert inside.startswith(expected), "the whole stall has the same caption"
    said = captions(blocking)
    # The ticker's 1 ms timer fires as late as the loop was blocked (a loaded machine can
    # make other ticks a little late too: the stall's is the latest).
    lates = [c for c in said if c.startswith("the sleep(0.001) timer fired") and "late" in c]
    found = [
        re.match(r"the sleep\(0\.001\) timer fired (\d\.\d\d) s late; it wakes ticker", c)
        for c in lates
    ]
    seconds = [float(m[1]) for m in found if m]
    assert seconds, lates
    assert max(seconds) == pytest.approx(stall.duration, abs=0.015)
    assert any(c.startswith("Task-1 started: main(); it creates Task-2 (ticker)") for c in said)
    assert any("yields to the loop with sleep(0)" in c for c in said)


def test_futures_by_hand_say_who_filled_the_future(futures: Recording) -> None:
    said = captions(futures)
    assert any(
        c.startswith("main resumed — the future it awaited got a result ('ring!')") for c in said
    )
    assert any(c.startswith("timer fired: callback Future.set_result ran") for c in said)
    assert any(c.startswith("courier resumed — sleep(0.1) finished") for c in said)


def test_a_cursor_between_runs_in_select_says_the_loop_waited(sequential: Recording) -> None:
    steps = StepIndex.of(sequential)
    k = int((steps.begins[1:] - steps.ends[:-1]).argmax())
    gap = (float(steps.ends[k]) + float(steps.begins[k + 1])) / 2
    assert sequential.state_at(gap).loops[0].idle
    said = caption_at(sequential, gap, steps)
    # 1.00 s, or a little more when a loaded machine wakes the process late.
    assert re.fullmatch(r"the loop waited 1\.\d\d s in select\(\) for main's sleep\(1\)", said)


def test_every_caption_is_short_and_never_empty(
    sequential: Recording, not_tasks: Recording, create_task: Recording, blocking: Recording
) -> None:
    for rec in (sequential, not_tasks, create_task, blocking):
        steps = StepIndex.of(rec)
        times = [*steps.begins.tolist(), *((steps.begins + steps.ends) / 2).tolist()]
        for t in times:
            text = caption_at(rec, t, steps)
            assert 0 < len(text) <= MAX_CHARS, text
            assert text != UNKNOWN, f"no caption for the run at {t}"


def test_odd_instants_and_empty_recordings_get_a_neutral_caption(sequential: Recording) -> None:
    assert "not run" in caption_at(sequential, -1.0)
    assert caption_at(sequential, math.nan)
    assert caption_at(sequential, math.inf)
    assert caption_at(Recording(), 0.0)
    # A recording cut in the middle of a run (as a live one is) still reads.
    steps = StepIndex.of(sequential)
    records = sequential.records()
    for k in range(1, len(records), 7):
        live_part = Recording()
        live_part.add_messages(sequential.messages()[:1])
        live_part.add_strings(sequential.strings().items())
        live_part.add_records(records[:k])
        text = caption_at(live_part, live_part.duration)
        assert 0 < len(text) <= MAX_CHARS and text != UNKNOWN, text
    assert len(steps) > 0
