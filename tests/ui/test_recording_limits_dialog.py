"""Run › Recording limits…: the dialog changes the setting, the next run gets it, and a
run that reaches it shows a notice in the window while it goes on in summary."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from loopviz.model import load, save
from loopviz.ui.app import create_main_window
from loopviz.ui.limits_dialog import RecordingLimitsDialog
from loopviz.ui.main_window import MainWindow
from loopviz.ui.menus import find_menu
from loopviz.ui.recording_limits import RecordingLimits
from loopviz.ui.settings import KEY_MAX_EVENTS, KEY_MAX_OUTPUT_LINES
from loopviz.ui.shortcuts import shortcut_rows
from tests.ui.live import qloop, run, until  # noqa: F401 - qloop is a fixture

SHOTS = Path(os.environ.get("LOOPVIZ_SCREENSHOT_DIR", "/tmp/h14"))


def _dialog(window: MainWindow) -> RecordingLimitsDialog:
    window.app_actions.recording_limits.trigger()
    dialog = window.recording_limits.dialog
    assert isinstance(dialog, RecordingLimitsDialog) and dialog.isVisible()
    return dialog


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / name))


def test_recording_limits_are_in_the_run_menu_and_the_shortcuts_list(window: MainWindow) -> None:
    run_menu = find_menu(window.menuBar(), "Run")
    assert window.app_actions.recording_limits in run_menu.actions()
    rows = shortcut_rows(window.menuBar(), window)
    assert any(r.command == "Recording limits…" and r.where == "Run" for r in rows), rows


def test_the_dialog_shows_the_memory_and_saves_a_new_limit(
    window: MainWindow, settings: QSettings
) -> None:
    dialog = _dialog(window)
    assert dialog.events.edit.text() == "20,000,000"
    assert dialog.events.meaning.text() == "20,000,000 events ≈ 1.6 GB"
    assert "next run" in dialog.next_run.text()
    _shot(dialog, "limits_dialog.png")
    dialog.events.edit.setText("500k")
    assert dialog.events.meaning.text() == "500,000 events ≈ 40 MB"
    dialog.lines.edit.setText("10,000")
    assert dialog.accept_limits()
    assert not dialog.isVisible()
    assert int(settings.value(KEY_MAX_EVENTS)) == 500_000
    assert int(settings.value(KEY_MAX_OUTPUT_LINES)) == 10_000
    assert window.live.run.limits == RecordingLimits(500_000, 10_000)
    assert "500,000 events" in window.status_text.text()
    again = create_main_window(settings=settings)  # the next start reads it back
    assert again.live.run.limits == RecordingLimits(500_000, 10_000)
    again.close()


def test_a_bad_figure_is_refused_with_a_message_and_nothing_is_saved(
    window: MainWindow, settings: QSettings
) -> None:
    dialog = _dialog(window)
    dialog.events.edit.setText("lots")
    assert "'lots' is not a number of events" in dialog.error.text()
    assert not dialog.ok_button.isEnabled()
    assert not dialog.accept_limits(), "Enter cannot slip past the disabled OK"
    assert dialog.isVisible()
    dialog.events.edit.setText("5")
    assert "At least 100 events" in dialog.error.text()
    _shot(dialog, "limits_dialog_refused.png")
    dialog.reject()
    assert not settings.contains(KEY_MAX_EVENTS)
    assert window.live.run.limits.max_events == 20_000_000


def test_no_limit_is_possible_with_a_warning(window: MainWindow, settings: QSettings) -> None:
    dialog = _dialog(window)
    assert dialog.warning.text() == ""
    dialog.events.unlimited.setChecked(True)
    assert not dialog.events.edit.isEnabled()
    assert "can fill the memory" in dialog.warning.text()
    _shot(dialog, "limits_dialog_no_limit.png")
    assert dialog.accept_limits()
    assert window.live.run.limits.max_events is None
    assert int(settings.value(KEY_MAX_EVENTS)) == 0, "stored as 0: no limit"
    dialog = _dialog(window)
    assert dialog.events.unlimited.isChecked(), "the dialog shows it again"
    dialog.defaults_button.click()
    assert not dialog.events.unlimited.isChecked()
    assert dialog.events.edit.text() == "20,000,000"
    dialog.reject()


def test_a_hand_edited_settings_file_cannot_break_the_limits(settings: QSettings) -> None:
    settings.setValue(KEY_MAX_EVENTS, "a lot")
    settings.setValue(KEY_MAX_OUTPUT_LINES, 10**15)
    window = create_main_window(settings=settings)
    assert window.live.run.limits.max_events == 20_000_000
    assert window.live.run.limits.max_output_lines == 100_000_000, "brought into range"
    window.close()


def test_max_events_from_the_command_line_overrides_the_setting_for_the_session(
    settings: QSettings,
) -> None:
    settings.setValue(KEY_MAX_EVENTS, 3_000_000)
    window = create_main_window(settings=settings, max_events=1_000)
    assert window.live.run.limits.max_events == 1_000
    dialog = window.recording_limits.open_dialog()
    assert "--max-events" in dialog.session.text()
    assert dialog.events.edit.text() == "1,000"
    dialog.reject()
    assert int(settings.value(KEY_MAX_EVENTS)) == 3_000_000, "the saved figure is untouched"
    unlimited = create_main_window(settings=settings, max_events=None)
    assert unlimited.live.run.limits.max_events is None
    for w in (window, unlimited):
        w.close()


FLOOD_THEN_WAIT = """\
import asyncio


async def spin(rounds):
    for _ in range(rounds):
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(*(spin(300) for _ in range(10)))
    print("flood done")
    await asyncio.sleep(1.5)
    print("still going")
"""


@pytest.mark.slow
def test_a_run_past_a_tiny_cap_goes_on_and_the_window_says_so(
    window: MainWindow,
    qloop,  # noqa: F811
    tmp_path: Path,
) -> None:
    scenario_file = tmp_path / "flood_then_wait.py"
    scenario_file.write_text(FLOOD_THEN_WAIT)
    dialog = _dialog(window)
    dialog.events.edit.setText("500")
    assert dialog.accept_limits()
    window.open_scenario(scenario_file)
    notice = window.recording_limits.notice
    assert notice.isHidden()

    async def scenario() -> tuple[str, str]:
        window.app_actions.run.trigger()
        await until(lambda: notice.isVisible(), timeout=60)
        await until(lambda: "reached" in window.status_text.text(), timeout=5)
        seen_live, status = notice.label.text(), window.status_text.text()
        _shot(window, "limits_notice_window.png")
        await until(lambda: not window.live.run.running, timeout=120)
        return seen_live, status

    seen_live, status = run(qloop, scenario())
    QApplication.processEvents()
    rec = window.live.run.recording
    limit = rec.limit_reached
    assert limit is not None and limit["what"] == "events" and limit["limit"] == 500
    assert "by" not in limit, "the runner itself stopped at 500: it got --max-events 500"
    assert rec.event_count < 1_000, "500 in full, then the summary (10 tasks, the loop)"
    spinners = [task for task in rec.tasks() if task.coro == "spin"]
    assert len(spinners) == 10 and all(t.done for t in spinners), "the summary has every task"
    assert window.live.run.outcome.outcome == "returned", "the run went on to its end"
    printed = [line.text for line in rec.output()]
    assert "flood done" in printed and "still going" in printed, printed
    assert "Recording limit reached at " in seen_live
    assert "500 events kept in full" in seen_live and "The run goes on" in seen_live
    assert notice.isVisible() and "The run went on" in notice.label.text()
    assert status.startswith("Running") and "500-event limit reached at" in status, status

    async def next_run() -> bool:
        window.app_actions.run.trigger()
        await asyncio.sleep(0.1)
        hidden = notice.isHidden()
        window.app_actions.stop.trigger()
        await until(lambda: not window.live.run.running, timeout=10)
        return hidden

    assert run(qloop, next_run()), "the next run starts without the notice"
    save(rec, tmp_path / "capped.lvz")
    window.live.show_recording(load(tmp_path / "capped.lvz"), "capped.lvz")
    assert notice.isVisible(), "a saved recording that reached its limit says so too"
    assert "500 events kept in full. The run went on" in notice.label.text()
