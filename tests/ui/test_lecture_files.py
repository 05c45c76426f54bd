"""File › Save recording… and Open recording…: prepared runs for class, bad files survived."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from loopviz import record
from loopviz.catalog import bundled_scenarios_dir
from loopviz.ui.lecture.files import DIR_KEY, open_recording, save_recording
from loopviz.ui.main_window import MainWindow
from tests.ui.test_lecture_support import at, lesson, panes_of, settle, show, steps_of

pytestmark = pytest.mark.slow


def answer_dialogs(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Both file dialogs answer ``path``; returns the folders they were opened in."""
    asked: list[str] = []

    def pick(_parent, _title, start, _filter):
        asked.append(start)
        return str(path), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", pick)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    return asked


def message_boxes(window: MainWindow) -> list[QMessageBox]:
    return [
        box for box in window.findChildren(QMessageBox, "RecordingFileMessage") if box.isVisible()
    ]


def test_a_saved_and_reopened_recording_shows_the_same_panes(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rec = lesson("blocking")
    show(window, rec)
    assert window.app_actions.save_recording.isEnabled()
    instants = [steps_of(rec)[3], rec.stalls()[0].begin + 0.3, rec.duration]
    before = []
    for t in instants:
        at(window, t)
        before.append((panes_of(window), window.scrubber.caption.text()))
    target = tmp_path / "prepared" / "blocking"
    target.parent.mkdir()
    answer_dialogs(monkeypatch, target)
    window.app_actions.save_recording.trigger()
    saved = target.with_suffix(".lvz")
    assert saved.is_file(), "Ctrl+S wrote the file, with the .lvz suffix added"
    assert window.settings.value(DIR_KEY) == str(saved.parent)

    window.app_actions.go_to_start.trigger()
    asked = answer_dialogs(monkeypatch, saved)
    window.app_actions.open_recording.trigger()
    settle(window)
    assert asked == [str(saved.parent)], "the dialog opens in the last folder"
    assert window.live.recording is not rec
    assert window.time_cursor.t == pytest.approx(rec.duration), "opened at its end"
    assert "blocking.lvz" in window.status_scenario.text()
    after = []
    for t in instants:
        at(window, t)
        after.append((panes_of(window), window.scrubber.caption.text()))
    assert after == before
    assert window.gantt.lane_labels() == ["event loop", "Task-1 · main()", "Task-2 · ticker()"]


def test_a_recording_from_another_machine_shows_its_own_code(
    window: MainWindow, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "their_laptop" / "lesson_create_task.py"
    elsewhere.parent.mkdir()
    shutil.copy(bundled_scenarios_dir() / "03_create_task.py", elsewhere)
    rec = record(elsewhere)
    show(window, rec)
    assert save_recording(window, tmp_path / "theirs.lvz")
    shutil.rmtree(elsewhere.parent)  # that path does not exist here
    window.select_scenario(bundled_scenarios_dir() / "01_sequential_awaits.py")
    assert open_recording(window, tmp_path / "theirs.lvz")
    settle(window)
    code = window.source.source_text()
    assert "asyncio.create_task" in code and "sequential" not in code.lower()[:200]
    at(window, rec.duration / 2)  # main and its five tasks wait in their sleeps
    assert window.source.code.markers.lines, "task markers on the recorded code"


def test_a_corrupt_file_says_why_and_the_window_keeps_what_it_showed(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rec = lesson("create_task")
    show(window, rec)
    at(window, steps_of(rec)[4])
    shown = panes_of(window)
    bad = tmp_path / "broken.lvz"
    bad.write_bytes(b"\x89LVZ\r\n\x1a\n" + b"\x00" * 40 + b"not a recording at all")
    answer_dialogs(monkeypatch, bad)
    window.app_actions.open_recording.trigger()
    settle(window)
    (box,) = message_boxes(window)
    assert "broken.lvz" in box.text() and "cannot be opened" in box.text()
    assert box.informativeText(), "says what is wrong with it"
    assert window.live.recording is rec
    assert panes_of(window) == shown
    box.close()
    QApplication.processEvents()
    window.app_actions.next_step.trigger()
    settle(window)
    assert window.time_cursor.t == steps_of(rec)[5], "stepping still works"

    missing = tmp_path / "gone.lvz"
    answer_dialogs(monkeypatch, missing)
    window.app_actions.open_recording.trigger()
    settle(window)
    (box,) = message_boxes(window)
    assert "gone.lvz" in box.text()
    box.close()


def test_save_is_offered_only_when_there_is_a_finished_recording(window: MainWindow) -> None:
    assert not window.app_actions.save_recording.isEnabled()
    show(window, lesson("create_task"))
    assert window.app_actions.save_recording.isEnabled()
