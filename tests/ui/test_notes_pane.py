"""The lecture notes pane: the selected lesson's title, key point, explanation and notes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from loopviz.catalog import bundled_scenarios_dir, read_scenario
from loopviz.ui.app import create_main_window
from loopviz.ui.main_window import MainWindow
from loopviz.ui.menus import find_menu
from loopviz.ui.notes_pane import NO_NOTES_TEXT, NO_SCENARIO_TEXT

BLOCKING = bundled_scenarios_dir() / "04_blocking_requests.py"


def test_notes_pane_shows_the_lessons_title_key_point_explanation_and_notes(window: MainWindow):
    assert NO_SCENARIO_TEXT in window.presenter.notes.text()
    window.select_scenario(BLOCKING)
    info = read_scenario(BLOCKING)
    text = window.presenter.notes.text()
    assert text.startswith("4. Blocking requests")
    assert "Key point: A task can only be paused at an await" in text
    assert "the event loop cannot run anything else" in text
    assert "Lecture notes" in text
    notes = [line.removeprefix("- ") for line in info.lecture_notes.splitlines()]
    assert len(notes) >= 3
    for note in notes:
        assert " ".join(note.replace("`", "").split()) in " ".join(text.split()), note
    assert NO_NOTES_TEXT not in text


def test_a_scenario_without_notes_says_so(window: MainWindow, tmp_path: Path):
    path = tmp_path / "plain.py"
    path.write_text('"""Plain\n\nJust code.\n"""\nasync def main():\n    pass\n', "utf-8")
    window.open_scenario(path)
    text = window.presenter.notes.text()
    assert text.startswith("Plain") and "Just code." in text
    assert NO_NOTES_TEXT in text


def test_ctrl_l_and_the_view_menu_toggle_the_notes(window: MainWindow, qtbot):
    dock = window.presenter.notes_dock
    assert not dock.isVisible(), "the desk view starts without the notes"
    action = window.presenter.notes_action
    assert action.shortcut().toString() == "Ctrl+L"
    assert action in find_menu(window.menuBar(), "View").actions()
    action.trigger()
    qtbot.waitUntil(dock.isVisible)
    assert not dock.isFloating()
    action.trigger()
    qtbot.waitUntil(lambda: not dock.isVisible())


def test_the_notes_pane_keeps_its_place_across_restarts(qtbot, settings: QSettings):
    first = create_main_window(settings=settings)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.presenter.notes_action.trigger()
    qtbot.waitUntil(first.presenter.notes_dock.isVisible)
    first.close()

    second = create_main_window(settings=settings)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.presenter.notes_dock.isVisible()
    assert not second.presenter.notes_dock.isFloating()
    second.close()
