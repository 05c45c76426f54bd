"""What a user sees when loopviz opens: title, icon, menus, panes and status bar."""

from __future__ import annotations

import asyncio

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QDockWidget

from loopviz.catalog import bundled_scenarios_dir, list_scenarios
from loopviz.ui.layout import CODE_COLUMNS, MIN_CENTRE_WIDTH
from loopviz.ui.menus import find_menu, menu_titles
from loopviz.ui.tasks_table import COLUMNS
from tests.ui.live import qloop, run, until  # noqa: F401 - qloop is a fixture


def texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def action(menu, text: str):
    for a in menu.actions():
        if a.text().replace("&", "") == text:
            return a
    raise KeyError(text)


def keys(a) -> list[str]:
    return [k.toString(QKeySequence.SequenceFormat.PortableText) for k in a.shortcuts()]


def test_window_opens_with_title_icon_and_projector_size(window) -> None:
    assert window.isVisible()
    assert window.windowTitle() == "loopviz"
    assert not window.windowIcon().isNull()
    assert window.windowIcon().availableSizes(), "the icon has rendered sizes"
    assert QApplication.applicationName() == "loopviz"
    assert QApplication.organizationName() == "loopviz"
    assert window.width() >= 1300 and window.height() >= 850
    assert QApplication.font().pointSizeF() >= 11, "readable from the back of a lecture hall"


def test_menu_bar_has_file_run_view_help(window) -> None:
    assert menu_titles(window.menuBar()) == ["File", "Run", "View", "Help"]


def test_file_menu_open_recordings_export_quit(window) -> None:
    file_menu = find_menu(window.menuBar(), "File")
    visible = [a for a in file_menu.actions() if a.isVisible()]
    entries = [a.text().replace("&", "") for a in visible if not a.isSeparator()]
    assert entries == [
        "Open scenario…",
        "Open recording…",
        "Save recording…",
        "Export timeline…",
        "Copy timeline",
        "Export window screenshot",
        "Export recording as Chrome trace…",
        "Quit",
    ]
    groups = [a.isSeparator() for a in visible]
    assert groups == [False, True, False, False, True, False, False, False, False, True, False]
    assert keys(action(file_menu, "Open scenario…")) == ["Ctrl+O"]
    assert keys(action(file_menu, "Open recording…")) == ["Ctrl+Shift+O"]
    assert keys(action(file_menu, "Save recording…")) == ["Ctrl+S"]
    assert not action(file_menu, "Save recording…").isEnabled(), "nothing to save yet"
    assert keys(action(file_menu, "Export timeline…")) == ["Ctrl+E"]
    assert keys(action(file_menu, "Copy timeline")) == ["Ctrl+Shift+C"]
    assert keys(action(file_menu, "Quit")) == ["Ctrl+Q"]
    export = action(file_menu, "Export timeline…")
    assert not export.isEnabled(), "nothing recorded yet"
    assert "Run a scenario first" in export.toolTip()
    shots = action(file_menu, "Export window screenshot").menu()
    assert texts(shots) == ["Whole window…", "Timeline, ready queue and tasks…"]


def test_run_menu_run_and_stop_wait_for_the_runner(window) -> None:
    run_menu = find_menu(window.menuBar(), "Run")
    assert texts(run_menu)[:2] == ["Run", "Stop"]
    assert keys(action(run_menu, "Run")) == ["F5"]
    assert keys(action(run_menu, "Stop")) == ["Shift+F5"]
    assert window.app_actions.run is action(run_menu, "Run"), "reachable for the runner issue"
    assert window.app_actions.stop is action(run_menu, "Stop")
    assert not window.app_actions.run.isEnabled()
    assert not window.app_actions.stop.isEnabled()


def test_view_menu_lists_panes_themes_and_reset(window) -> None:
    view_menu = find_menu(window.menuBar(), "View")
    entries = texts(view_menu)
    for pane in ("Scenarios", "Console", "Source", "Ready queue", "Tasks"):
        assert pane in entries
    assert "Reset layout" in entries
    theme_menu = action(view_menu, "Theme").menu()
    assert texts(theme_menu) == ["System", "Light", "Dark"]
    assert action(theme_menu, "System").isChecked(), "follows the desktop by default"


def test_help_menu_about_and_shortcuts(window) -> None:
    help_menu = find_menu(window.menuBar(), "Help")
    assert texts(help_menu) == ["Keyboard shortcuts", "About loopviz"]


def test_view_menu_hides_and_shows_a_pane_and_reset_brings_all_back(window, qtbot) -> None:
    toggle = action(find_menu(window.menuBar(), "View"), "Tasks")
    toggle.trigger()
    qtbot.waitUntil(lambda: not window.docks.tasks.isVisible())
    toggle.trigger()
    qtbot.waitUntil(window.docks.tasks.isVisible)
    window.docks.console.close()
    window.docks.source.setFloating(True)
    window.app_actions.reset_layout.trigger()
    for dock in window.docks.in_order():
        assert dock.isVisible() and not dock.isFloating(), dock.objectName()


def test_timeline_is_a_plot_with_seconds_axis_and_event_loop_lane(window) -> None:
    plot = window.gantt.plot
    assert isinstance(plot, pg.PlotWidget)
    bottom = window.gantt.plot_item.getAxis("bottom")
    assert bottom.labelText == "time" and bottom.labelUnits == "s"
    assert window.gantt.lane_labels() == ["event loop"]
    assert window.gantt.empty.isVisible()
    assert "F5" in window.gantt.empty.text()


def test_ready_queue_tasks_and_console_show_their_empty_states(window) -> None:
    assert isinstance(window.docks.ready_queue, QDockWidget)
    assert window.docks.ready_queue.windowTitle() == "Ready queue"
    assert window.ready_queue.empty.isVisible() and "Empty" in window.ready_queue.empty.text()
    assert window.tasks.column_titles() == list(COLUMNS)
    assert COLUMNS == (
        "Task",
        "State",
        "Awaiting",
        "Parent",
        "Steps",
        "Running",
        "Ready",
        "Waiting",
        "Created at",
    )
    assert window.tasks.model.rowCount() == 0 and window.tasks.empty.isVisible()
    assert window.console.isReadOnly()
    assert QFontInfo(window.console.font()).fixedPitch()
    assert window.console.placeholderText()


def test_status_bar_invites_to_pick_and_run(window) -> None:
    assert window.status_text.text() == "Ready — pick a scenario and press F5"
    assert window.status_scenario.text() == "No scenario selected"


def settled(qtbot, window) -> None:
    """Wait until the default dock sizes (applied once the window is shown) are in."""
    qtbot.waitUntil(lambda: window.docks.source.width() > 600, timeout=3000)
    qtbot.wait(50)


def test_docks_sit_around_the_timeline(window, qtbot) -> None:
    settled(qtbot, window)
    central = window.centralWidget().geometry()
    docks = window.docks
    assert docks.source.geometry().left() > central.right()
    assert docks.ready_queue.geometry().top() > central.bottom()
    assert docks.tasks.geometry().top() > docks.ready_queue.geometry().bottom()
    assert docks.ready_queue.height() < docks.tasks.height(), "the ready queue is a thin strip"
    # Console and scenarios share the strip under the source, console first.
    for dock in (docks.console, docks.scenarios):
        assert dock.geometry().top() > docks.source.geometry().bottom()
        assert dock.geometry().left() >= docks.source.geometry().left()
    assert docks.console.geometry().right() < docks.scenarios.geometry().left()
    assert docks.console.width() > docks.scenarios.width()
    assert window.dockWidgetArea(docks.scenarios) == Qt.DockWidgetArea.RightDockWidgetArea


def test_source_shows_its_columns_and_the_timeline_keeps_its_width(window, qtbot) -> None:
    settled(qtbot, window)
    assert window.centralWidget().width() >= MIN_CENTRE_WIDTH
    code = window.source.code
    for info in list_scenarios():
        window.select_scenario(info.path)
        lines = info.path.read_text(encoding="utf-8").splitlines()
        assert code.horizontalScrollBar().value() == 0
        for number, line in enumerate(lines):
            if len(line) > CODE_COLUMNS:
                continue
            cursor = QTextCursor(code.document().findBlockByNumber(number))
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            end = code.cursorRect(cursor).right()
            assert end <= code.viewport().width(), f"{info.path.name}:{number + 1} is cut"


def test_reset_layout_restores_the_default_sizes(window, qtbot) -> None:
    settled(qtbot, window)
    docks = window.docks
    width, console = docks.source.width(), docks.console.width()
    window.resizeDocks([docks.source], [500], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: docks.source.width() < width - 100, timeout=2000)
    window.app_actions.reset_layout.trigger()
    qtbot.waitUntil(lambda: abs(docks.source.width() - width) <= 4, timeout=2000)
    assert abs(docks.console.width() - console) <= 8


@pytest.mark.slow
def test_a_finished_run_is_shown_whole_on_the_timeline(window, qloop, qtbot) -> None:  # noqa: F811
    """create_task takes ≈2 s: followed with a growing range, then fitted at the end."""
    window.select_scenario(bundled_scenarios_dir() / "03_create_task.py")
    chart = window.gantt.chart
    seen: list[tuple[float, float, float]] = []

    async def scenario() -> None:
        window.app_actions.run.trigger()
        while window.live.run.running:
            if chart.following:
                seen.append((chart.now, *chart.x_range()))
            await asyncio.sleep(0.05)
        await until(lambda: not chart.animating, timeout=5)

    run(qloop, scenario())
    assert seen, "the chart followed the run"
    for now, x0, x1 in seen:
        assert x0 < 0.0 and x1 == pytest.approx(max(2.0, 1.3 * now), rel=0.02)
    duration = window.live.run.recording.duration
    assert duration > 1.5
    a, b = chart.x_range()
    assert not chart.following
    assert a <= 0.0 and duration <= b <= duration * 1.1, "the whole run, and little else"
