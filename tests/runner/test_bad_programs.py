"""Broken scenarios end with a clear outcome, and what was recorded up to then is kept.

The programs live in tests/hostile/. Each runs in the real runner; the test
reads the recording's outcome and checks the events before the end survived.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

import loopviz
from loopviz.model import Recording
from loopviz.runner import Runner

HOSTILE = Path(__file__).resolve().parent.parent / "hostile"
pytestmark = pytest.mark.slow


def record(name: str, **options: object) -> Recording:
    return loopviz.record(HOSTILE / name, **options)  # type: ignore[arg-type]


def outcome(recording: Recording) -> tuple[str, str]:
    assert recording.outcome is not None, "every run ends with an outcome"
    return recording.outcome.outcome, recording.outcome.detail


def printed(recording: Recording) -> list[str]:
    return [line.text for line in recording.output()]


def test_syntax_error_reports_file_and_line() -> None:
    rec = record("syntax_error.py")
    kind, detail = outcome(rec)
    assert kind == "load_error"
    assert "SyntaxError" in detail
    assert rec.outcome is not None and rec.outcome.load_error is not None
    assert rec.outcome.load_error["file"].endswith("syntax_error.py")
    assert rec.outcome.load_error["line"] in (7, 8)
    assert "syntax_error.py:" in detail


def test_import_error_names_the_module_and_line() -> None:
    kind, detail = outcome(record("import_error.py"))
    assert kind == "load_error"
    assert "loopviz_no_such_module_anywhere" in detail
    assert "import_error.py:3" in detail


def test_no_main_says_so() -> None:
    kind, detail = outcome(record("no_main.py"))
    assert kind == "load_error"
    assert "no async def main()" in detail


def test_main_that_is_not_async_says_so() -> None:
    kind, detail = outcome(record("main_not_async.py"))
    assert kind == "load_error"
    assert "not async" in detail


def test_exception_in_main_keeps_the_steps_before_it() -> None:
    rec = record("main_raises.py")
    kind, detail = outcome(rec)
    assert kind == "raised"
    assert "ValueError: bad page 2" in detail
    assert "main_raises.py:7" in detail
    assert "fetching" in printed(rec)
    main = rec.tasks()[0]
    assert main.outcome == "exception"
    assert len(rec.slices(main.id)) >= 6, "the waits before the error are recorded"
    assert rec.outcome is not None and rec.outcome.exit is not None
    assert "Traceback" in rec.outcome.exit["traceback"]


def test_unretrieved_task_exception_keeps_asyncios_warning() -> None:
    rec = record("unretrieved_task_exception.py")
    assert outcome(rec)[0] == "returned"
    doomed = next(t for t in rec.tasks() if t.coro.endswith("doomed"))
    assert doomed.outcome == "exception"
    assert "nobody is listening" in doomed.detail
    text = "\n".join(printed(rec))
    assert "Task exception was never retrieved" in text


def test_endless_cpu_loop_is_stopped_within_a_second_and_keeps_its_stall() -> None:
    async def run() -> tuple[Recording, float]:
        runner = Runner(HOSTILE / "endless_cpu.py")
        await runner.start()
        while not runner.recording.stalls():
            await asyncio.sleep(0.05)
        began = time.monotonic()
        runner.stop()
        await runner.wait()
        return runner.recording, time.monotonic() - began

    rec, took = asyncio.run(asyncio.wait_for(run(), 30))
    assert took < 1.5
    kind, _ = outcome(rec)
    assert kind in ("stopped", "killed")
    assert "spinning forever" in printed(rec)
    (stall,) = rec.stalls()
    assert stall.where is not None and stall.where.file.endswith("endless_cpu.py")


def test_never_ending_scenario_is_stopped_by_the_timeout() -> None:
    rec = record("never_ends.py", timeout=1.0)
    assert outcome(rec)[0] == "timeout"
    assert printed(rec).count("tick") >= 3


def test_sys_exit_code_is_the_outcome() -> None:
    rec = record("sys_exit.py")
    kind, detail = outcome(rec)
    assert kind == "exit"
    assert rec.outcome is not None and rec.outcome.returncode == 3
    assert "sys.exit(3)" in detail
    assert "exiting with 3" in printed(rec)


def test_os_exit_is_reported_as_a_crash_with_its_code() -> None:
    rec = record("os_exit.py")
    kind, detail = outcome(rec)
    assert kind == "crashed"
    assert rec.outcome is not None and rec.outcome.returncode == 9
    assert "status 9" in detail
    assert "leaving with os._exit(9)" in printed(rec)


def test_segfault_is_a_crash_with_its_signal_and_the_output_before_it() -> None:
    rec = record("segfault.py")
    kind, detail = outcome(rec)
    assert kind == "crashed"
    assert rec.outcome is not None and rec.outcome.signal == "SIGSEGV"
    assert "segmentation fault" in detail
    assert "about to crash" in printed(rec)
    raw = [m for m in rec.messages() if m["k"] == "raw_output"]
    assert any("Fatal Python error" in m["text"] for m in raw), "faulthandler's report kept"


def test_script_running_its_own_loops_is_traced_once_per_loop() -> None:
    rec = record("own_asyncio_run.py")
    assert outcome(rec)[0] == "returned"
    assert printed(rec) == ["first", "second"]
    coros = sorted(t.coro for t in rec.tasks() if "own_asyncio_run" in t.coro_location)
    assert coros == ["first", "second"]


def test_recording_of_a_crashed_run_saves_and_loads(tmp_path: Path) -> None:
    rec = record("segfault.py")
    path = tmp_path / "crash.lvz"
    loopviz.model.save(rec, path)
    again = loopviz.load(path)
    assert again.outcome is not None and again.outcome.signal == "SIGSEGV"
    assert [t.name for t in again.tasks()] == [t.name for t in rec.tasks()]
