"""Every program in tests/hostile/ gets a clear outcome, keeps its recording and leaves nothing.

For each: the run ends (on its own, or Stop within about a second), the outcome
says what happened, the recording up to that moment is saved as ``.lvz`` and
reopened, and no process, thread, file descriptor, port or temporary file is left
behind. The same through ``loopviz record`` (a real CLI process) and the Python API.

The floods (100 MB of print, 10 million events, 100,000 tasks) take 10-20 s each
at full size; the default run uses smaller sizes through the scenarios' own
environment variables, ``-m slow`` runs them full size.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import loopviz
from loopviz.model import Recording, load, save
from loopviz.runner import Runner
from tests.runner.test_hostile_support import Resources, assert_nothing_left, listening_ports

HOSTILE = Path(__file__).resolve().parent.parent / "hostile"
SMALL = {"LOOPVIZ_FLOOD_MB": "5", "LOOPVIZ_EVENTS": "300000", "LOOPVIZ_TASKS": "5000"}
FULL = {"LOOPVIZ_FLOOD_MB": "100", "LOOPVIZ_EVENTS": "10000000", "LOOPVIZ_TASKS": "100000"}


@dataclass(frozen=True)
class Case:
    name: str
    outcomes: tuple[str, ...]
    says: str = ""
    """Text in the outcome's detail."""
    printed: tuple[str, ...] = ()
    """Lines (prefixes) the scenario printed before the end."""
    stop: bool = False
    """Never ends by itself: Stop it once it has started."""
    slow: bool = False
    params: dict[str, str] = field(default_factory=dict)


CASES = [
    Case("syntax_error", ("load_error",), "SyntaxError"),
    Case("import_error", ("load_error",), "loopviz_no_such_module_anywhere"),
    Case("no_main", ("load_error",), "no async def main()"),
    Case("main_not_async", ("load_error",), "not async"),
    Case("main_raises", ("raised",), "ValueError: bad page 2", ("fetching",)),
    Case("never_ends", ("stopped",), "stopped", ("tick",), stop=True),
    Case("endless_cpu", ("stopped", "killed"), "", ("spinning forever",), stop=True),
    Case("time_sleep_forever", ("stopped", "killed"), "", ("about to block",), stop=True),
    Case("sys_exit", ("exit",), "sys.exit(3)", ("exiting with 3",)),
    Case("os_exit", ("crashed",), "status 9", ("leaving with os._exit(9)",)),
    Case("segfault", ("crashed",), "segmentation fault", ("about to crash",)),
    Case("own_asyncio_run", ("returned",), "", ("first", "second")),
    Case("unretrieved_task_exception", ("returned",)),
    Case("recursion_error", ("raised",), "RecursionError", ("diving",)),
    Case("keyboard_interrupt", ("raised",), "KeyboardInterrupt", ("pressing Ctrl-C",)),
    Case("print_flood", ("returned",), "", ("flood done",)),
    Case("many_tasks", ("returned",), "", ("5000 tasks done",)),
    Case("event_flood", ("returned",), "", ("flood done",)),
    Case("threadsafe_calls", ("returned",), "", ("16000 callbacks from threads",)),
    Case("closes_loop", ("returned",), "", ("close refused", "still running", "inner")),
    Case("nested_run", ("returned",), "", ("nested run refused", "thread ran its own loop")),
    Case("forks_and_subprocesses", ("returned",), "", ("forked", "child says hi", "left")),
    Case("changes_cwd_and_path", ("raised",), "failing far from home", ("cwd is now /",)),
    Case("many_sockets", ("returned",), "", ("listening on port", "300 sockets listening")),
    Case("print_flood", ("returned",), "", ("flood done",), slow=True, params=FULL),
    Case("many_tasks", ("returned",), "", ("100000 tasks done",), slow=True, params=FULL),
    Case("event_flood", ("returned",), "", ("flood done",), slow=True, params=FULL),
]


def case_id(case: Case) -> str:
    return case.name + ("-full" if case.slow else "")


def cases(*, stop: bool | None = None) -> list:
    out = []
    for c in CASES:
        if stop is not None and c.stop != stop:
            continue
        marks = [pytest.mark.slow] if c.slow else []
        out.append(pytest.param(c, id=case_id(c), marks=marks))
    return out


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A private TMPDIR (checked empty afterwards) and the resources in use before the run."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp, Resources.now()


def check_outcome(rec: Recording, case: Case) -> None:
    out = rec.outcome
    assert out is not None, "every run ends with an outcome"
    assert out.outcome in case.outcomes, (out.outcome, out.detail)
    assert case.says in out.detail, out.detail
    texts = [line.text for line in rec.output()]
    for expected in case.printed:
        assert any(t.startswith(expected) for t in texts), (expected, texts[-5:])


def check_reopens(rec: Recording, tmp_path: Path) -> Recording:
    path = tmp_path / "run.lvz"
    save(rec, path)
    again = load(path)
    assert again.outcome == rec.outcome
    assert again.event_count == rec.event_count
    assert [t.name for t in again.tasks()] == [t.name for t in rec.tasks()]
    assert len(again.output()) == len(rec.output())
    return again


def ports_printed(rec: Recording) -> set[int]:
    return {
        int(line.text.rsplit(" ", 1)[1])
        for line in rec.output()
        if line.text.startswith("listening on port")
    }


@pytest.mark.parametrize("case", cases(stop=False))
def test_api_run_ends_clearly_keeps_its_recording_and_leaves_nothing(
    case: Case, sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp, before = sandbox
    for name, value in (case.params or SMALL).items():
        monkeypatch.setenv(name, value)

    async def run() -> tuple[Recording, int | None]:
        runner = Runner(HOSTILE / f"{case.name}.py", timeout=120)
        await runner.run()
        return runner.recording, runner.pid

    rec, pid = asyncio.run(run())
    check_outcome(rec, case)
    check_reopens(rec, tmp_path)
    for port in ports_printed(rec):
        assert port not in listening_ports(), f"port {port} still listening"
    assert_nothing_left(before, pid, tmp)


@pytest.mark.parametrize("case", cases(stop=True))
def test_stop_ends_a_run_that_never_ends_within_a_second(
    case: Case, sandbox, tmp_path: Path
) -> None:
    tmp, before = sandbox

    async def run() -> tuple[Recording, float, int | None]:
        runner = Runner(HOSTILE / f"{case.name}.py")
        await runner.start()
        deadline = time.monotonic() + 30
        while not runner.recording.output() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)  # well into the blocking call / the loop
        began = time.monotonic()
        runner.stop()
        await runner.wait()
        return runner.recording, time.monotonic() - began, runner.pid

    rec, took, pid = asyncio.run(asyncio.wait_for(run(), 60))
    print(f"{case.name}: stopped in {took:.3f} s")
    assert took < 1.5, f"Stop took {took:.2f} s"
    check_outcome(rec, case)
    check_reopens(rec, tmp_path)
    assert_nothing_left(before, pid, tmp)


CLI_CASES = [
    "syntax_error",
    "main_raises",
    "segfault",
    "time_sleep_forever",
    "recursion_error",
    "keyboard_interrupt",
    "print_flood",
    "event_flood",
    "many_tasks",
    "threadsafe_calls",
    "closes_loop",
    "nested_run",
    "forks_and_subprocesses",
    "changes_cwd_and_path",
    "many_sockets",
]


@pytest.mark.parametrize("name", CLI_CASES)
def test_loopviz_record_saves_what_it_saw_and_exits_cleanly(
    name: str, sandbox, tmp_path: Path
) -> None:
    """The CLI is a fresh process: its exit status, its file and its session are checked."""
    tmp, before = sandbox
    case = next(c for c in CASES if c.name == name and not c.slow)
    out = tmp_path / f"{name}.lvz"
    env = {**os.environ, **SMALL, "TMPDIR": str(tmp)}
    cmd = [sys.executable, "-m", "loopviz", "record", str(HOSTILE / f"{name}.py"), "-o", str(out)]
    if case.stop:
        cmd += ["--timeout", "1"]
    began = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    took = time.monotonic() - began
    assert "Traceback (most recent call last)" not in proc.stderr.split("loopviz record:")[0] or (
        case.outcomes[0] in ("raised",)
    )
    rec = load(out)
    if case.stop:
        assert rec.outcome is not None and rec.outcome.outcome == "timeout"
        assert took < 1 + 1.5 + 5, f"--timeout 1 took {took:.1f} s in all"
    else:
        check_outcome(rec, case)
    ok = rec.outcome is not None and rec.outcome.outcome in ("returned", "timeout")
    assert (proc.returncode == 0) == ok, (proc.returncode, proc.stderr[-500:])
    assert f"saved: {out}" in proc.stdout
    assert_nothing_left(before, None, tmp)


def test_a_crash_midway_keeps_the_steps_before_it(tmp_path: Path) -> None:
    """The recording of a segfault or os._exit holds the tasks and output from before."""
    rec = loopviz.record(HOSTILE / "segfault.py")
    again = check_reopens(rec, tmp_path)
    main = next(t for t in again.tasks() if t.coro == "main")
    assert len(again.slices(main.id)) >= 2
    assert again.outcome is not None and again.outcome.signal == "SIGSEGV"
