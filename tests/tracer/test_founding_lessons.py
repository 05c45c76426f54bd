"""The lessons loopviz was founded on, as the recording shows them (DESIGN.md).

Each scenario runs for real (seconds) on a standalone TracingEventLoop, with
its source instrumented the way the runner does it, and the test reads the
records a viewer would draw. Tolerances are generous: the machine is shared.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from tracer_records import Recording, load_scenario, read, run_traced

from loopviz.protocol import EventKind
from loopviz.tracer import Recorder

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SECOND = 1_000_000_000

pytestmark = pytest.mark.slow


def record(name: str, capsys: pytest.CaptureFixture[str]) -> tuple[Recording, str]:
    recorder = Recorder()
    namespace = load_scenario(str(SCENARIOS / name), recorder)
    run_traced(namespace["main"], recorder)
    recording = read(recorder)
    recording.check_serials()
    recording.check_time_order()
    return recording, capsys.readouterr().out


def line_of(name: str, text: str) -> int:
    """The line number of the first line of a scenario containing ``text``."""
    lines = (SCENARIOS / name).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_sequential_awaits_one_task_five_one_second_waits(capsys):
    name = "01_sequential_awaits.py"
    rec, out = record(name, capsys)
    tasks = rec.user_tasks()
    assert [info["coro"] for info in tasks.values()] == ["main"]
    (main,) = tasks
    sleeps = [r for r in rec.of(EventKind.FUTURE_CREATED) if rec.s(r.c) == "sleep"]
    assert len(sleeps) == 5
    assert all(r.b == main for r in sleeps)
    gaps = [(b.t - a.t) / SECOND for a, b in itertools.pairwise(sleeps)]
    assert all(0.9 < gap < 1.5 for gap in gaps), gaps
    # Suspended in sleep, main is *inside get_request*: the innermost user frame.
    sleep_line = line_of(name, "await asyncio.sleep(DELAY)")
    waiting = [end for _, end in rec.runs(main) if end is not None and end.d > 0]
    assert {rec.s(end.c) for end in waiting} == {f"{SCENARIOS / name}:{sleep_line}"}
    # Each awaited coroutine object is reported, and was driven by main itself.
    created = [r for r in rec.of(EventKind.CORO_CREATED) if rec.s(r.c) == "get_request"]
    scheduled = {r.a: r for r in rec.of(EventKind.CORO_SCHEDULED)}
    assert len(created) == 5
    assert all(scheduled[r.a].b == main and scheduled[r.a].c == 2 for r in created)
    total = (tasks[main]["done"] - tasks[main]["created"]) / SECOND
    assert 4.9 < total < 6.5, total
    assert "Total time: 5.0" in out


def test_coroutines_are_not_tasks_until_gathered(capsys):
    rec, out = record("02_coroutines_are_not_tasks.py", capsys)
    created = [r for r in rec.of(EventKind.CORO_CREATED) if rec.s(r.c) == "get_request"]
    assert len(created) == 5
    scheduled = {r.a: r for r in rec.of(EventKind.CORO_SCHEDULED)}
    for coro in created:
        wait = (scheduled[coro.a].t - coro.t) / SECOND
        assert 1.9 < wait < 2.6, wait  # nothing ran them during the two-second sleep
        assert scheduled[coro.a].c == 1  # wrapped in a task (by gather)
    tasks = rec.user_tasks()
    (main,) = [oid for oid, info in tasks.items() if info["coro"] == "main"]
    requests = [oid for oid, info in tasks.items() if info["coro"] == "get_request"]
    assert len(requests) == 5
    # The tasks wrap exactly the coroutine objects made at the start.
    assert {tasks[oid]["coro_oid"] for oid in requests} == {c.a for c in created}
    assert all(tasks[oid]["parent"] == main for oid in requests)
    # While the coroutines wait there is one task: none is created before ≈2 s.
    start = tasks[main]["created"]
    assert all((tasks[oid]["created"] - start) / SECOND > 1.9 for oid in requests)
    gathers = rec.of(EventKind.GATHER_CHILDREN)
    assert sorted(r.b for r in gathers) == sorted(requests)
    total = (tasks[main]["done"] - start) / SECOND
    assert 2.9 < total < 4.0, total
    assert "Number of tasks: 1" in out


def test_create_task_runs_during_the_sleep(capsys):
    rec, out = record("03_create_task.py", capsys)
    tasks = rec.user_tasks()
    assert len(tasks) == 6
    (main,) = [oid for oid, info in tasks.items() if info["coro"] == "main"]
    requests = [oid for oid, info in tasks.items() if info["coro"] == "get_request"]
    main_sleep = next(r for r in rec.of(EventKind.FUTURE_CREATED) if r.b == main)
    for oid in requests:
        assert tasks[oid]["parent"] == main
        first_run, _ = rec.runs(oid)[0]
        # They start as soon as main pauses at sleep(2), not after it.
        assert (first_run.t - main_sleep.t) / SECOND < 0.2
        assert (tasks[oid]["done"] - main_sleep.t) / SECOND < 1.6
    total = (tasks[main]["done"] - tasks[main]["created"]) / SECOND
    assert 1.9 < total < 3.0, total
    assert "Number of tasks: 6" in out


def test_a_blocking_call_freezes_the_loop_and_is_named_while_it_lasts(capsys, monkeypatch):
    from loopviz.localhttp import URL_ENV, LessonServer
    from loopviz.protocol import Message
    from loopviz.tracer import Watchdog

    name = "04_blocking_requests.py"
    recorder = Recorder()
    watchdog = Watchdog(recorder, stall_ms=100)
    with LessonServer() as server:
        monkeypatch.setenv(URL_ENV, server.url)
        namespace = load_scenario(str(SCENARIOS / name), recorder, DELAY=0.5)
        watchdog.start()
        try:
            run_traced(namespace["main"], recorder)
        finally:
            watchdog.stop()
    rec = read(recorder)
    capsys.readouterr()
    (begin,) = rec.msgs(Message.STALL_BEGIN)
    (end,) = rec.msgs(Message.STALL_END)
    assert begin["where"]["file"] == str(SCENARIOS / name)
    assert begin["where"]["line"] == line_of(name, "requests.get(url")
    assert begin["call"] == "requests.get"
    assert begin["innermost"]["file"] != begin["where"]["file"]  # deep inside the library
    assert 0.45 * SECOND < end["duration"] < 2 * SECOND
    # The ticker could not tick while main blocked: one of its sleeps lasted the whole request.
    ticker = rec.task_running("ticker")
    starts = [b.t for b, _ in rec.runs(ticker)]
    assert max(b - a for a, b in itertools.pairwise(starts)) > 0.45 * SECOND
