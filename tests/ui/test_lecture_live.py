"""Lecture mode during and after a live run, and keys that belong to text fields."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt

from loopviz.catalog import bundled_scenarios_dir
from loopviz.ui.main_window import MainWindow
from tests.ui.live import qloop, run, until  # noqa: F401 - qloop is a fixture
from tests.ui.test_lecture_support import lesson, settle, show

pytestmark = pytest.mark.slow


def test_a_cursor_pauses_the_live_panes_end_goes_live_and_the_finished_run_rests_at_its_end(
    window: MainWindow,
    qloop,  # noqa: F811
) -> None:
    window.select_scenario(bundled_scenarios_dir() / "03_create_task.py")
    seen: dict[str, object] = {}

    async def scenario() -> None:
        window.app_actions.run.trigger()
        rec = window.live.run.recording
        assert window.live.recording is rec
        assert window.time_cursor.t is None, "live: no cursor"
        await until(lambda: len(rec.tasks()) >= 6, timeout=20)
        await asyncio.sleep(0.2)
        window.app_actions.previous_step.trigger()
        await asyncio.sleep(0.05)
        paused_at = window.time_cursor.t
        seen["paused_at"] = paused_at
        seen["following"] = window.gantt.chart.following
        seen["status"] = window.status_text.text()
        seen["tasks"] = [r for r in window.tasks.shown_rows()]
        await asyncio.sleep(0.4)  # frames go on, the panes stay on the cursor
        seen["tasks_later"] = [r for r in window.tasks.shown_rows()]
        seen["cursor_later"] = window.time_cursor.t
        seen["chart_now"] = window.gantt.chart.now
        window.app_actions.go_to_end.trigger()
        await asyncio.sleep(0.05)
        seen["after_end"] = window.time_cursor.t
        seen["following_after_end"] = window.gantt.chart.following
        await until(lambda: not window.live.run.running, timeout=20)
        await asyncio.sleep(0.05)

    run(qloop, scenario())
    rec = window.live.recording
    assert seen["paused_at"] is not None
    assert seen["following"] is False, "the chart stays on the cursor"
    assert "paused on the cursor" in str(seen["status"])
    assert seen["tasks"] == seen["tasks_later"], "the tables did not follow the live run"
    assert seen["cursor_later"] == seen["paused_at"]
    assert float(seen["chart_now"]) > float(seen["paused_at"]), "the chart kept growing"
    assert seen["after_end"] is None and seen["following_after_end"] is True
    settle(window)
    assert window.time_cursor.t == rec.duration, "after the run the cursor waits at the end"
    assert "main() returned" in window.status_text.text()
    assert window.app_actions.save_recording.isEnabled()


def test_text_views_keep_their_arrow_keys_and_the_chart_gives_them_to_stepping(
    window: MainWindow, qtbot
) -> None:
    rec = lesson("create_task")
    show(window, rec)
    window.app_actions.go_to_start.trigger()
    settle(window)
    code = window.source.code
    code.setFocus()
    qtbot.waitUntil(code.hasFocus)
    line_cursor = code.textCursor().position()
    qtbot.keyClick(code, Qt.Key.Key_Right)
    settle(window)
    assert window.time_cursor.t == 0.0, "→ moved the text cursor, not time"
    assert code.textCursor().position() == line_cursor + 1
    qtbot.keyClick(code, Qt.Key.Key_Space)
    assert window.lecture.playback.playing, "Space still plays (no use in read-only code)"
    window.lecture.playback.pause()
    chart = window.gantt.chart
    chart.setFocus()
    qtbot.waitUntil(chart.hasFocus)
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    settle(window)
    assert window.time_cursor.t == window.lecture.steps().begins[0]
    qtbot.keyClick(chart, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    settle(window)
    assert window.time_cursor.t > window.lecture.steps().begins[0]
