"""Press Run and watch: the real runner, on the app's qasync loop, feeding the window."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from loopviz.catalog import bundled_scenarios_dir
from loopviz.ui.main_window import MainWindow
from tests.ui.live import qloop, run, until  # noqa: F401 - qloop is a fixture

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
pytestmark = pytest.mark.slow


def test_create_task_gets_one_lane_per_task(window: MainWindow, qloop) -> None:  # noqa: F811
    window.select_scenario(bundled_scenarios_dir() / "03_create_task.py")
    assert window.app_actions.run.isEnabled()

    async def scenario() -> None:
        window.app_actions.run.trigger()
        assert window.app_actions.stop.isEnabled()
        await until(lambda: not window.live.run.running)

    run(qloop, scenario())
    labels = window.gantt.lane_labels()
    assert labels[0] == "event loop"
    tasks = [label for label in labels[1:]]
    assert len(tasks) == 6, labels
    assert sum("get_request" in label for label in tasks) == 5
    assert window.live.run.outcome is not None and window.live.run.outcome.outcome == "returned"
    assert "main() returned" in window.status_text.text()
    assert not window.app_actions.stop.isEnabled()
    assert window.app_actions.run.isEnabled()


def test_stop_ends_an_endless_scenario_within_a_second_and_the_app_runs_again(
    window: MainWindow,
    qloop,  # noqa: F811
) -> None:
    window.open_scenario(HOSTILE / "endless_cpu.py")

    async def scenario() -> float:
        window.app_actions.run.trigger()
        await until(lambda: window.live.run.recording.stalls(), timeout=20)
        began = time.monotonic()
        window.app_actions.stop.trigger()
        await until(lambda: not window.live.run.running, timeout=5)
        took = time.monotonic() - began
        window.select_scenario(bundled_scenarios_dir() / "01_sequential_awaits.py")
        window.app_actions.run.trigger()
        await until(lambda: window.live.run.recording.tasks(), timeout=20)
        window.app_actions.stop.trigger()
        await until(lambda: not window.live.run.running, timeout=5)
        return took

    took = run(qloop, scenario())
    assert took < 1.5
    assert window.live.run.outcome is not None
    assert window.live.run.outcome.outcome in ("stopped", "killed")


def test_closing_the_window_during_a_run_leaves_no_process(
    window: MainWindow,
    qloop,  # noqa: F811
) -> None:
    window.open_scenario(HOSTILE / "never_ends.py")

    async def scenario() -> int:
        window.app_actions.run.trigger()
        await until(lambda: window.live.run.recording.output(), timeout=20)
        return window.live.run._runner.pid

    pid = run(qloop, scenario())
    window.close()  # closing the last window also ends the app's loop, so it is done outside it
    deadline = time.monotonic() + 2
    while _proc_state(pid) not in ("gone", "Z") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _proc_state(pid) in ("gone", "Z"), "the runner died with the window"


def _proc_state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return "gone"


def test_blocking_request_shows_the_banner_while_blocked_and_hides_it_after(
    window: MainWindow,
    qloop,  # noqa: F811
) -> None:
    window.select_scenario(bundled_scenarios_dir() / "04_blocking_requests.py")
    seen: dict[str, object] = {}

    async def scenario() -> None:
        window.app_actions.run.trigger()
        rec = window.live.run.recording
        await until(lambda: window.stall_banner.is_showing, timeout=20)
        seen["stall_ended_yet"] = any(s.end is not None for s in rec.stalls())
        # The watchdog's stack sample (the line) follows its first report within ~100 ms.
        await until(lambda: "requests.get" in window.stall_banner.text(), timeout=0.8)
        seen["text"] = window.stall_banner.text()
        seen["frames"] = window.stall_banner.frames
        await asyncio.sleep(0.3)
        seen["frames_later"] = window.stall_banner.frames
        await until(lambda: not window.live.run.running, timeout=20)

    run(qloop, scenario())
    assert seen["stall_ended_yet"] is False, "the banner was up before the stall's end arrived"
    assert "Event loop blocked" in str(seen["text"])
    assert "requests.get" in str(seen["text"])
    assert "04_blocking_requests.py:" in str(seen["text"])
    assert int(seen["frames_later"]) > int(seen["frames"]), "the banner kept animating"
    assert not window.stall_banner.is_showing
    (stall,) = window.live.run.recording.stalls()
    assert stall.end is not None


def test_syntax_error_is_shown_in_the_console_with_its_line(
    window: MainWindow,
    qloop,  # noqa: F811
) -> None:
    window.open_scenario(HOSTILE / "syntax_error.py")

    async def scenario() -> None:
        window.app_actions.run.trigger()
        await until(lambda: not window.live.run.running, timeout=20)

    run(qloop, scenario())
    text = window.console.toPlainText()
    assert "SyntaxError" in text
    assert "syntax_error.py" in text and ("line 7" in text or ":7" in text or ":8" in text)
    assert window.app_actions.run.isEnabled(), "the app stays usable"


def test_clicking_a_lane_selects_its_task_in_the_table_and_the_chart(
    window: MainWindow,
    qloop,  # noqa: F811
) -> None:
    window.select_scenario(bundled_scenarios_dir() / "03_create_task.py")

    async def scenario() -> None:
        window.app_actions.run.trigger()
        await until(lambda: not window.live.run.running)

    run(qloop, scenario())
    recording = window.live.run.recording
    task = next(t for t in recording.tasks() if t.coro.endswith("get_request"))
    window.gantt.chart.taskClicked.emit(task.lane)
    assert window.gantt.chart.selected_lane == task.lane
    assert window.tasks.selected_task() == task.id


def test_a_changed_parameter_is_used_for_the_run(window: MainWindow, qloop) -> None:  # noqa: F811
    window.select_scenario(bundled_scenarios_dir() / "01_sequential_awaits.py")
    bar = window.source.parameters
    assert bar.isVisibleTo(window)
    bar.set_value("REQUESTS", 2)
    bar.set_value("DELAY", 0.2)
    assert bar.overrides() == {"REQUESTS": 2, "DELAY": 0.2}

    async def scenario() -> None:
        window.app_actions.run.trigger()
        await until(lambda: not window.live.run.running)

    run(qloop, scenario())
    recording = window.live.run.recording
    main = next(t for t in recording.tasks() if t.coro == "main")
    assert main.done is not None and main.created is not None
    assert 0.35 < main.done - main.created < 0.9, "two requests of 0.2 s, not five of 1 s"
    bar.reset()
    assert bar.overrides() == {}


def test_the_parameters_bar_shows_each_scenarios_own_fields_after_switching(
    window: MainWindow,
) -> None:
    """Fields are reused across scenarios (bench/soak.py: new spin boxes leaked Qt memory);
    each scenario must still show exactly its own parameters, at its file's values."""
    lessons = bundled_scenarios_dir()
    bar = window.source.parameters
    window.select_scenario(lessons / "01_sequential_awaits.py")
    bar.set_value("REQUESTS", 2)
    window.select_scenario(lessons / "12_cpu_blocking_and_process_pool.py")
    assert [name for name in bar._fields] == ["LIMIT", "TICK"]
    assert bar.overrides() == {}
    bar.set_value("LIMIT", 1000)
    assert bar.overrides() == {"LIMIT": 1000}
    window.select_scenario(lessons / "02_coroutines_are_not_tasks.py")
    assert [name for name in bar._fields] == ["REQUESTS", "DELAY", "HEAD_START"]
    assert bar.overrides() == {}, "a reused field shows the new file's value, not the edit"
    shown = [w for w in bar.findChildren(QWidget) if w.isVisibleTo(bar)]
    labels = sorted(w.text() for w in shown if isinstance(w, QLabel))
    assert labels == ["DELAY", "HEAD_START", "REQUESTS"], "only this scenario's fields show"
    window.select_scenario(lessons / "12_cpu_blocking_and_process_pool.py")
    assert bar.overrides() == {}
