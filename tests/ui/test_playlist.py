"""The course as a playlist: Page Down / Page Up select the next / previous lesson."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox

from loopviz.catalog import list_scenarios
from loopviz.ui.main_window import MainWindow
from loopviz.ui.menus import find_menu
from loopviz.ui.scenario_labels import plain_title


def test_page_down_walks_the_course_in_order_and_page_up_walks_back(window: MainWindow):
    course = list_scenarios()
    assert len(course) == 16 and window.current_scenario is None
    presenter = window.presenter
    forward = []
    for k, info in enumerate(course, 1):
        presenter.next_scenario.trigger()
        forward.append(window.current_scenario)
        assert window.status_text.text().startswith(f"Lesson {k} of 16 — {plain_title(info)}"), (
            window.status_text.text()
        )
        assert window.presenter.notes.scenario == info
    assert forward == course

    presenter.next_scenario.trigger()  # already at the last lesson: stays there
    assert window.current_scenario == course[-1]
    assert "last lesson" in window.status_text.text()

    backward = []
    for _ in course[:-1]:
        presenter.previous_scenario.trigger()
        backward.append(window.current_scenario)
    assert backward == course[-2::-1]
    presenter.previous_scenario.trigger()
    assert window.current_scenario == course[0]
    assert "first lesson" in window.status_text.text()


def test_the_keys_move_even_from_the_scenario_list_and_nothing_runs(window: MainWindow, qtbot):
    course = list_scenarios()
    window.scenario_list.select_row(3)
    window.activateWindow()
    window.scenario_list.view.setFocus()
    qtbot.keyClick(window.scenario_list.view, Qt.Key.Key_PageDown)
    assert window.current_scenario == course[4]
    assert window.status_text.text().startswith("Lesson 5 of 16 — ")
    assert "F5" in window.status_text.text()
    qtbot.keyClick(window.scenario_list.view, Qt.Key.Key_PageUp)
    qtbot.keyClick(window.scenario_list.view, Qt.Key.Key_PageUp)
    assert window.current_scenario == course[2]
    assert not window.live.run.running, "selecting a lesson never runs it"


def test_next_and_previous_scenario_are_in_the_run_menu(window: MainWindow):
    run = find_menu(window.menuBar(), "Run").actions()
    presenter = window.presenter
    assert run.index(presenter.next_scenario) == run.index(window.app_actions.stop) + 1
    assert run.index(presenter.previous_scenario) == run.index(presenter.next_scenario) + 1
    assert presenter.next_scenario.shortcut().toString() == "PgDown"
    assert presenter.previous_scenario.shortcut().toString() == "PgUp"


def test_a_parameter_being_edited_keeps_page_down(window: MainWindow, qtbot):
    window.select_scenario(list_scenarios()[3].path)
    lesson = window.current_scenario
    spin = next(s for s in window.findChildren(QAbstractSpinBox) if s.isVisible())
    window.activateWindow()
    spin.setFocus()
    before = spin.value()
    qtbot.keyClick(spin, Qt.Key.Key_PageDown)
    assert window.current_scenario == lesson, "still the same lesson"
    assert spin.value() != before, "the field stepped its value"
