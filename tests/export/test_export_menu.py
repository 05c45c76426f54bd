"""File › Export…: the menu items, the dialog, the clipboard, screenshots, Chrome trace."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence

from loopviz.export.options import ImageFormat
from loopviz.ui.app import create_main_window
from loopviz.ui.main_window import MainWindow
from loopviz.ui.menus import find_menu
from tests.export.conftest import BLOCKING_LESSON
from tests.ui.live import qloop, run, until  # noqa: F401 - qloop is a fixture

MENU_TEXTS = [
    "Export timeline…",
    "Copy timeline",
    "Export window screenshot",
    "Export recording as Chrome trace…",
]


@pytest.fixture
def window(qtbot, export_settings: QSettings) -> Iterator[MainWindow]:
    win = create_main_window(settings=export_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if shiboken6.isValid(win):
        win.close()


def visible_file_items(window: MainWindow) -> list[str]:
    menu = find_menu(window.menuBar(), "File")
    return [a.text().replace("&", "") for a in menu.actions() if a.isVisible() and a.text()]


def test_file_menu_lists_the_exports_disabled_until_there_is_a_recording(window) -> None:
    items = visible_file_items(window)
    for text in MENU_TEXTS:
        assert text in items, items
    assert "Export…" not in items  # the old placeholder is replaced
    a = window.exports.actions
    assert a.timeline.shortcut() == QKeySequence("Ctrl+E")
    assert a.copy.shortcut() == QKeySequence("Ctrl+Shift+C")
    assert [x.text().replace("&", "") for x in a.window_shot.menu().actions()] == [
        "Whole window…",
        "Timeline, ready queue and tasks…",
    ]
    for action in a.all():
        assert not action.isEnabled()
        assert action in window.actions()  # shortcuts work in full screen too
    assert window.exports.open_dialog() is None
    assert not window.exports.copy_timeline()


@pytest.mark.slow
def test_after_a_run_every_export_writes_what_the_user_asked_for(
    window: MainWindow,
    qloop,  # noqa: F811
    tmp_path: Path,
    qtbot,
) -> None:
    window.select_scenario(BLOCKING_LESSON)

    async def scenario() -> None:
        window.app_actions.run.trigger()
        await until(lambda: not window.live.run.running, timeout=30)

    run(qloop, scenario())
    exports = window.exports
    assert all(a.isEnabled() for a in exports.actions.all())

    # Ctrl+E: the dialog, prefilled with what the chart shows and the scenario's name.
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = exports.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.title_edit.text() == "Blocking requests"
    dialog.grab().save(str(tmp_path / "dialog.png"))
    dialog.set_format(ImageFormat.SVG)
    assert not dialog.scale_buttons[2].isEnabled()  # a vector has no pixel scale
    dialog.range_selection.setChecked(True)
    dialog.start_box.setValue(0.0)
    dialog.end_box.setValue(99.0)
    assert dialog.export_to(tmp_path / "sel") is None  # outside the run: said, not written
    assert "outside the run" in dialog.error.text()
    assert dialog.isVisible()
    dialog.end_box.setValue(0.5)
    written = dialog.export_to(tmp_path / "sel")
    assert written == tmp_path / "sel.svg" and written.stat().st_size > 1000
    assert not dialog.isVisible()
    assert "Saved" in window.statusBar().currentMessage()

    # Ctrl+Shift+C: the timeline as the chart shows it, at 2x, on the clipboard.
    assert exports.copy_timeline()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull() and image.width() == 2560

    shot = exports.save_window_shot(panes=False, path=tmp_path / "window")
    assert shot == tmp_path / "window.png"
    whole = QImage(str(shot))
    assert whole.width() >= window.width() and whole.height() >= window.height()
    panes = exports.save_window_shot(panes=True, path=tmp_path / "panes.png")
    assert QImage(str(panes)).width() >= window.gantt.width()

    trace = exports.save_chrome_trace(path=tmp_path / "run.json")
    events = json.loads(trace.read_text())["traceEvents"]
    assert any(e.get("cat") == "stall" for e in events)


def test_dialog_choices_become_the_export_options(qtbot, small_recording, tmp_path) -> None:
    from loopviz.ui.export_dialog import ExportDialog

    dialog = ExportDialog(None, small_recording, visible=(-0.02, 0.4), cursor=0.25, title="Workers")
    qtbot.addWidget(dialog)
    o = dialog.options()
    assert (o.scale, o.width, o.start, o.end, o.at, o.title) == (
        2.0,
        None,
        0.0,
        0.4,
        0.25,
        "Workers",
    )
    assert not o.dark and o.legend
    dialog.exact.setChecked(True)
    dialog.width_box.setValue(1920)
    dialog.height_box.setValue(1080)
    dialog.range_whole.setChecked(True)
    dialog.title_check.setChecked(False)
    dialog.light_check.setChecked(False)
    dialog.legend_check.setChecked(False)
    o = dialog.options()
    assert (o.width, o.height, o.start, o.end, o.title) == (1920, 1080, None, None, None)
    assert o.dark and not o.legend
    written = dialog.export_to(tmp_path / "slide")
    assert written == tmp_path / "slide.png"
    assert (QImage(str(written)).width(), QImage(str(written)).height()) == (1920, 1080)


def test_a_range_selected_on_the_chart_is_offered_and_chosen(qtbot, small_recording) -> None:
    from loopviz.ui.export_dialog import ExportDialog

    duration = small_recording.duration
    plain = ExportDialog(None, small_recording, visible=(-0.02, 0.4))
    qtbot.addWidget(plain)
    assert not plain.range_chart.isEnabled() and plain.range_visible.isChecked()
    assert "Ctrl+drag" in plain.range_chart.text()

    dialog = ExportDialog(None, small_recording, visible=(-0.02, 0.4), selection=(0.12, 0.37))
    qtbot.addWidget(dialog)
    assert dialog.range_chart.isEnabled() and dialog.range_chart.isChecked()
    assert dialog.range_chart.text() == "the selection on the chart (0.120–0.370 s)"
    o = dialog.options()
    assert (o.start, o.end) == (0.12, 0.37)
    dialog.range_visible.setChecked(True)
    assert (dialog.options().start, dialog.options().end) == (0.0, 0.4)

    # A drag that ran into the padding after the run exports up to the run's end.
    past = ExportDialog(None, small_recording, visible=(0.0, 1.0), selection=(duration + 0.1, 0.2))
    qtbot.addWidget(past)
    assert (past.options().start, past.options().end) == (0.2, duration)
