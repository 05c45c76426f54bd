"""The presenter view (F11): full screen, large text, high contrast, lecture panes only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt
from PySide6.QtGui import QColor, QFontInfo, QKeySequence
from PySide6.QtWidgets import QWidget

from loopviz.ui.app import create_main_window
from loopviz.ui.fonts import PRESENTER_POINT_SIZE
from loopviz.ui.main_window import MainWindow
from loopviz.ui.menus import find_menu
from loopviz.ui.presenter_style import CURSOR_WIDTH
from loopviz.ui.shortcuts import shortcut_rows
from loopviz.ui.theme import HIGH_CONTRAST_DARK, HIGH_CONTRAST_LIGHT, LIGHT, ThemeMode


@pytest.fixture(autouse=True)
def delete_closed_windows() -> None:
    """Delete the windows earlier tests closed (pytest-qt only ``deleteLater``s them).

    The high-contrast switch re-polishes every widget of the application: a few
    dozen windows left over from other tests would make each switch seconds long.
    """
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def shown_size(widget: QWidget) -> float:
    """The point size a widget really draws its text at."""
    return QFontInfo(widget.font()).pointSizeF()


def visible_docks(window: MainWindow) -> dict[str, bool]:
    return {dock.objectName(): dock.isVisible() for dock in window.docks.every()}


def text_sizes(window: MainWindow) -> dict[str, float]:
    """Text sizes across the window, from widgets that pick their own fonts and those that don't."""
    return {
        "tasks table": shown_size(window.tasks.view),
        "status bar": shown_size(window.status_text),
        "dock title": shown_size(window.docks.tasks.titleBarWidget()),
        "code": shown_size(window.source.code),
        "console": shown_size(window.console),
        "chart labels": window.gantt.chart.item.labels.font.pointSizeF(),
        "notes": shown_size(window.presenter.notes.browser),
    }


def enter(window: MainWindow, qtbot) -> None:
    window.presenter.action.trigger()
    qtbot.waitUntil(window.isFullScreen)


def test_presenter_view_is_large_high_contrast_and_shows_the_lecture_panes(window, qtbot):
    window.set_theme_mode(ThemeMode.LIGHT)
    desk_sizes = text_sizes(window)
    enter(window, qtbot)

    assert window.presenter.active and window.presenter.action.isChecked()
    assert window.theme.theme is HIGH_CONTRAST_LIGHT
    assert window.gantt.plot.backgroundBrush().color() == QColor("#ffffff")
    assert window.gantt.chart.cursor_line.pen.widthF() == CURSOR_WIDTH
    shown = visible_docks(window)
    for name in ("SourceDock", "ConsoleDock", "ReadyQueueDock", "TasksDock", "NotesDock"):
        assert shown[name], name
    for name in ("ScenariosDock", "FuturesDock", "CoroutinesDock"):
        assert not shown[name], name
    sizes = text_sizes(window)
    for what, size in sizes.items():
        assert size >= PRESENTER_POINT_SIZE, (what, size)
        assert size > desk_sizes[what], (what, size, desk_sizes[what])
    assert "F11 or Esc" in window.status_text.text()


def test_leaving_the_presenter_view_restores_layout_theme_and_fonts(window, qtbot):
    window.set_theme_mode(ThemeMode.LIGHT)
    window.docks.coroutines.close()  # a desk layout of the user's own
    window.set_code_point_size(14)
    desk_docks = visible_docks(window)
    desk_sizes = text_sizes(window)
    desk_rect = window.geometry()
    enter(window, qtbot)
    window.presenter.action.trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())

    assert not window.presenter.active and not window.presenter.action.isChecked()
    assert window.theme.theme is LIGHT and not window.theme.high_contrast
    assert visible_docks(window) == desk_docks
    assert text_sizes(window) == desk_sizes
    assert window.code_point_size == 14
    assert window.geometry() == desk_rect
    assert window.docks.tasks.isVisible() and not window.docks.tasks.isFloating()


def test_esc_leaves_only_while_presenting_and_f11_is_the_key(window, qtbot):
    action = window.presenter.action
    assert action.shortcuts() == [QKeySequence("F11")]
    assert QKeySequence("F11") not in window.app_actions.full_screen.shortcuts()
    enter(window, qtbot)
    assert QKeySequence("Esc") in action.shortcuts()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.presenter.active)
    assert action.shortcuts() == [QKeySequence("F11")]
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: window.presenter.active)


def test_dark_theme_presents_white_on_black(window, qtbot):
    window.set_theme_mode(ThemeMode.DARK)
    enter(window, qtbot)
    assert window.theme.theme is HIGH_CONTRAST_DARK
    assert window.gantt.plot.backgroundBrush().color() == QColor("#000000")
    assert window.tasks.view.palette().color(window.tasks.view.foregroundRole()) == QColor(
        "#ffffff"
    )
    window.set_theme_mode(ThemeMode.LIGHT)  # the theme menu still works, in high contrast
    assert window.theme.theme is HIGH_CONTRAST_LIGHT


def test_presenter_view_is_in_the_view_menu_and_text_size_scales_every_pane(window, qtbot):
    view = find_menu(window.menuBar(), "View")
    assert window.presenter.action in view.actions()
    assert window.presenter.notes_action in view.actions()
    enter(window, qtbot)
    before = text_sizes(window)
    window.app_actions.larger_text.trigger()
    window.app_actions.larger_text.trigger()
    after = text_sizes(window)
    for what in before:
        assert after[what] > before[what], what
    assert window.code_point_size == PRESENTER_POINT_SIZE + 2
    window.app_actions.default_text.trigger()
    assert window.code_point_size == PRESENTER_POINT_SIZE


def test_text_sizes_are_remembered_apart_for_the_desk_and_the_presenter(qtbot, settings: QSettings):
    first = create_main_window(settings=settings)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.set_code_point_size(15)
    enter(first, qtbot)
    for _ in range(3):
        first.app_actions.larger_text.trigger()
    first.close()  # closed while presenting

    second = create_main_window(settings=settings)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert not second.presenter.active and not second.isFullScreen()
    assert not second.theme.high_contrast
    assert second.code_point_size == 15
    assert second.docks.scenarios.isVisible(), "the desk layout was saved, not the presenter's"
    enter(second, qtbot)
    assert second.code_point_size == PRESENTER_POINT_SIZE + 3
    assert shown_size(second.tasks.view) == PRESENTER_POINT_SIZE + 3
    second.app_actions.default_text.trigger()
    second.presenter.action.trigger()
    assert second.code_point_size == 15
    second.app_actions.default_text.trigger()
    assert second.code_point_size == 12
    second.close()


def test_the_notes_replace_the_source_header_while_presenting(window, qtbot):
    window.scenario_list.select_row(3)
    qtbot.waitUntil(lambda: window.source.header.height() > 0)
    enter(window, qtbot)
    qtbot.waitUntil(lambda: window.source.header.height() == 0)
    assert window.presenter.notes_dock.isVisible()
    assert "Key point" in window.presenter.notes.text()
    window.presenter.action.trigger()
    qtbot.waitUntil(lambda: window.source.header.height() > 0)


def test_turning_full_screen_off_leaves_the_presenter_view(window, qtbot):
    enter(window, qtbot)
    window.set_full_screen(False)
    assert not window.presenter.active and not window.presenter.action.isChecked()
    assert not window.theme.high_contrast


def test_the_shortcuts_dialog_lists_the_lecture_keys(window):
    rows = {row.command: row.keys for row in shortcut_rows(window.menuBar(), window)}
    assert rows["Presenter view"] == "F11"
    assert rows["Lecture notes"] == "Ctrl+L"
    assert rows["Next scenario"] == "PgDown"
    assert rows["Previous scenario"] == "PgUp"
