"""The source pane during a run: a marker on each task's line, the blocking line in red."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWidgets import QApplication

from loopviz.catalog import read_scenario
from loopviz.model import State
from loopviz.protocol import HandleKind
from loopviz.ui.code_view import STALL_BAND, STALL_LABEL
from loopviz.ui.source_markers import (
    MAX_SIDE_BY_SIDE,
    lane_color,
    lane_colors_for,
    marker_center,
    markers_for,
    same_file,
    split_location,
)
from loopviz.ui.source_view import SourcePane
from loopviz.ui.theme import DARK, LIGHT

from .test_banner_recordings import (
    BLOCKING,
    CREATE_TASK,
    blocking_lines,
    blocking_recording,
    create_task_recording,
    line_of,
)


def out_dir(tmp_path: Path) -> Path:
    return Path(os.environ.get("LOOPVIZ_SCREENSHOT_DIR") or tmp_path)


def close(a: QColor, b: QColor, tolerance: int = 24) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def pane_for(qtbot, path: Path, theme=LIGHT, size=(640, 720)) -> SourcePane:
    pane = SourcePane(theme=theme)
    qtbot.addWidget(pane)
    pane.resize(*size)
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_scenario(read_scenario(path))
    return pane


def settle(pane: SourcePane) -> None:
    pane.code.viewport().repaint()
    pane.code.gutter.repaint()
    QApplication.processEvents()


# -- the marker model ------------------------------------------------------------------


def test_locations_are_matched_by_path_or_bare_file_name() -> None:
    assert split_location("04_blocking_requests.py:57") == ("04_blocking_requests.py", 57)
    assert split_location("<stdin>") is None
    assert same_file("04_blocking_requests.py", BLOCKING)
    assert same_file(str(BLOCKING), BLOCKING)
    assert not same_file("/elsewhere/04_blocking_requests.py", BLOCKING)
    assert not same_file("03_create_task.py", BLOCKING)


def test_during_the_stall_main_is_on_the_requests_line_and_ticker_on_its_sleep() -> None:
    lines = blocking_lines()
    state = blocking_recording().state_at(0.5)
    markers = markers_for(state, BLOCKING, lane_colors_for(False))
    assert markers.stall is not None
    assert markers.stall.line == lines["get"] - 1
    assert markers.stall.call == "requests.get"
    assert markers.stall.label == "requests.get(…) blocks the loop · 0.50 s"
    [main] = markers.tasks_on(lines["get"] - 1)
    assert main.name == "Task-1" and main.running
    assert "blocking the event loop" in main.detail
    [ticker] = markers.tasks_on(lines["tick"] - 1)
    assert ticker.name == "ticker" and ticker.state == State.WAITING and not ticker.running
    assert ticker.detail.startswith("waiting: sleep")
    assert markers.focus_line() == lines["get"] - 1
    assert set(markers.lines) == {lines["get"] - 1, lines["tick"] - 1}


def test_markers_only_for_the_shown_file() -> None:
    state = blocking_recording().state_at(0.5)
    markers = markers_for(state, CREATE_TASK, lane_colors_for(False))
    assert not markers and markers.stall is None


def test_finished_tasks_have_no_marker() -> None:
    rec = blocking_recording()
    markers = markers_for(rec.state_at(rec.duration), BLOCKING, lane_colors_for(False))
    assert not markers.lines


def test_lane_colours_are_distinct_and_never_red() -> None:
    for dark in (False, True):
        colors = {lane_color(lane, dark).name() for lane in range(1, 9)}
        assert len(colors) == 8
        for name in colors:
            c = QColor(name)
            assert not (c.red() > 180 and c.green() < 80 and c.blue() < 80), name


# -- what the pane shows ----------------------------------------------------------------


def test_gutter_shows_each_task_in_its_lane_colour(qtbot) -> None:
    lines = blocking_lines()
    pane = pane_for(qtbot, BLOCKING)
    state = blocking_recording().state_at(0.5)
    markers = pane.show_state(state, lambda lane: lane_color(lane))
    settle(pane)
    image = pane.code.gutter.grab().toImage()
    for line, task_name in ((lines["get"], "Task-1"), (lines["tick"], "ticker")):
        [(rect, marker)] = pane.code.marker_rects(line - 1)
        assert marker.name == task_name
        center = marker_center(rect.toRectF()).toPoint()
        pixel = image.pixelColor(center)
        assert close(pixel, lane_color(marker.lane)), (task_name, pixel.name())
    running = markers.tasks_on(lines["get"] - 1)[0]
    waiting = markers.tasks_on(lines["tick"] - 1)[0]
    [(run_rect, _)] = pane.code.marker_rects(lines["get"] - 1)
    [(wait_rect, _)] = pane.code.marker_rects(lines["tick"] - 1)
    assert running.running and run_rect.height() > wait_rect.height(), "the running task stands out"
    assert lane_color(running.lane) != lane_color(waiting.lane)


def test_blocking_line_has_a_red_band_and_a_label(qtbot) -> None:
    lines = blocking_lines()
    pane = pane_for(qtbot, BLOCKING)
    pane.show_state(blocking_recording().state_at(0.5))
    settle(pane)
    code = pane.code
    block = code.document().findBlockByNumber(lines["get"] - 1)
    top = code.blockBoundingGeometry(block).translated(code.contentOffset()).top()
    y = round(top + code.fontMetrics().height() / 2)
    x = round(code.document().documentMargin() + code.fontMetrics().horizontalAdvance(" ") * 2)
    image = code.viewport().grab().toImage()
    assert close(image.pixelColor(x, y), QColor(STALL_BAND[False]), 6), "band across the line"
    label = code.stall_label_rect()
    assert label is not None and label.width() > 40
    inside = QPoint(label.left() + 4, label.center().y())  # left of the text
    assert close(image.pixelColor(inside), QColor(STALL_LABEL), 10)
    assert code.extraSelections(), "the band is an extra selection"
    assert "blocks the event loop" in code.markers.tooltip(lines["get"] - 1)


def test_gutter_tooltip_names_the_tasks_on_a_line(qtbot) -> None:
    lines = blocking_lines()
    pane = pane_for(qtbot, BLOCKING)
    pane.show_state(blocking_recording().state_at(0.5))
    settle(pane)
    code = pane.code
    block = code.document().findBlockByNumber(lines["tick"] - 1)
    y = round(code.blockBoundingGeometry(block).translated(code.contentOffset()).center().y())
    tip = code.gutter_tooltip(QPoint(5, y))
    assert tip.startswith("ticker — waiting: sleep")


def test_five_tasks_on_one_line_collapse_into_a_badge(qtbot) -> None:
    sleep_line = line_of(CREATE_TASK, "await asyncio.sleep(DELAY)") - 1
    pane = pane_for(qtbot, CREATE_TASK, size=(1300, 720))
    markers = pane.show_state(create_task_recording().state_at(0.5))
    settle(pane)
    tasks = markers.tasks_on(sleep_line)
    assert [m.name for m in tasks] == [f"Task-{k}" for k in range(2, 7)]
    assert len(tasks) > MAX_SIDE_BY_SIDE
    assert len(pane.code.marker_rects(sleep_line)) == 1, "one marker and a ×5 badge"
    tip = markers.tooltip(sleep_line)
    assert all(f"Task-{k} — waiting" in tip for k in range(2, 7))
    assert pane.code.annotation_text(sleep_line) == "◀ Task-2 … Task-6 (5 tasks)"
    # The badge is drawn: ink right of the one marker, inside the marker column.
    [(rect, _)] = pane.code.marker_rects(sleep_line)
    image = pane.code.gutter.grab().toImage()
    bg = image.pixelColor(1, rect.top() - 3)
    ink = [
        image.pixelColor(x, y) != bg
        for x in range(rect.right() + 2, pane.code.marker_column_width())
        for y in range(rect.top(), rect.bottom())
    ]
    assert sum(ink) > 5


def test_running_task_line_is_tinted_when_nothing_blocks(qtbot) -> None:
    """After the stall the ticker resumes at its sleep line: chevron there, line tinted."""
    rec = blocking_recording()
    runs = rec.handle_runs()
    ticker = next(t.id for t in rec.tasks() if t.name == "ticker")
    wakeups = runs[(runs["kind"] == HandleKind.WAKEUP) & (runs["task"] == ticker)]
    mid = float((wakeups["begin"][0] + wakeups["end"][0]) / 2)
    state = rec.state_at(mid)
    assert state.stall is None and state.running is not None
    pane = pane_for(qtbot, BLOCKING)
    markers = pane.show_state(state)
    tick = blocking_lines()["tick"] - 1
    assert markers.running_line == tick
    [first] = markers.tasks_on(tick)
    assert first.running and first.name == "ticker" and first.detail == "running"
    [band] = pane.code.extraSelections()
    assert band.cursor.block().blockNumber() == tick
    tint = band.format.background().color()
    assert tint.alpha() < 255 and tint.rgb() == lane_color(first.lane).rgb()


def test_stall_line_is_scrolled_into_view_once(qtbot) -> None:
    lines = blocking_lines()
    pane = pane_for(qtbot, BLOCKING, size=(640, 420))
    code = pane.code
    code.scroll_to_line(0)
    assert lines["get"] - 1 not in code.visible_lines()
    pane.show_state(blocking_recording().state_at(0.5))
    assert lines["get"] - 1 in code.visible_lines()
    code.scroll_to_line(0)  # the lecturer scrolls up to show something else
    pane.show_state(blocking_recording().state_at(0.6))
    assert code.top_line() == 0, "the same stall does not pull the view back every frame"


def test_show_state_none_clears_the_marks(qtbot) -> None:
    pane = pane_for(qtbot, BLOCKING)
    pane.show_state(blocking_recording().state_at(0.5))
    pane.show_state(None)
    assert not pane.code.markers and not pane.code.extraSelections()


def test_code_from_a_recording_file_gets_markers_too(qtbot) -> None:
    path = "/lecture/laptop/04_blocking_requests.py"  # where it was recorded: not on this disk
    rec = blocking_recording(scenario=path)
    text = BLOCKING.read_text(encoding="utf-8")
    rec.add_messages([{"k": "source", "t": rec.start_ns, "path": path, "text": text}])
    pane = SourcePane()
    qtbot.addWidget(pane)
    pane.resize(640, 720)
    pane.show()
    pane.show_source(rec.source(path), path)
    assert pane.path == path and pane.source_text() == text
    assert not pane.header.isVisible() and not pane.empty.isVisible()
    markers = pane.show_state(rec.state_at(0.5))
    assert markers.stall is not None and markers.stall.line == blocking_lines()["get"] - 1
    assert markers.tasks_on(blocking_lines()["tick"] - 1)


def test_switching_theme_recolours_the_markers(qtbot) -> None:
    tick = blocking_lines()["tick"] - 1
    pane = pane_for(qtbot, BLOCKING)
    pane.show_state(blocking_recording().state_at(0.5))
    [light] = pane.code.markers.tasks_on(tick)
    pane.set_theme(DARK)
    [dark] = pane.code.markers.tasks_on(tick)
    assert light.color == lane_color(light.lane, False)
    assert dark.color == lane_color(dark.lane, True) != light.color


def test_a_clicked_location_is_revealed_and_selected(qtbot) -> None:
    get = blocking_lines()["get"]
    pane = pane_for(qtbot, BLOCKING, size=(640, 420))
    pane.code.scroll_to_line(0)
    assert not pane.reveal("/somewhere/else.py", get)
    assert pane.reveal(str(BLOCKING), get)
    assert get - 1 in pane.code.visible_lines()
    assert "requests.get(url" in pane.code.textCursor().selectedText()


def test_window_source_pane_marks_the_stall(window, qtbot) -> None:
    assert window.select_scenario(BLOCKING)
    markers = window.source.show_state(blocking_recording().state_at(0.5))
    assert markers.stall is not None
    assert markers.stall.line in window.source.code.visible_lines()


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_screenshot_source_during_a_stall(qtbot, tmp_path, theme) -> None:
    from loopviz.ui.theme import ThemeController, ThemeMode

    controller = ThemeController(ThemeMode(theme.name))
    controller.apply()
    try:
        pane = pane_for(qtbot, BLOCKING, theme=theme, size=(720, 760))
        pane.show_state(blocking_recording().state_at(0.73))
        settle(pane)
        image: QImage = pane.grab().toImage()
        assert image.save(str(out_dir(tmp_path) / f"source_stall_{theme.name}.png"))
        if theme is LIGHT:
            ct = pane_for(qtbot, CREATE_TASK, theme=theme, size=(720, 760))
            ct.show_state(create_task_recording().state_at(0.5))
            settle(ct)
            assert ct.grab().save(str(out_dir(tmp_path) / "source_create_task_light.png"))
    finally:
        ThemeController(ThemeMode.LIGHT).apply()


def code_end(code, line: int) -> int:
    """Viewport x where the code of a 0-based line ends."""
    cursor = QTextCursor(code.document().findBlockByNumber(line))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    return code.cursorRect(cursor).right()


@pytest.mark.parametrize("width", [940, 640, 520, 420])
def test_stall_label_never_covers_code(qtbot, width) -> None:
    """Wide: after the blocking line. Narrower: after a neighbour's code, else the gutter."""
    get = blocking_lines()["get"] - 1
    pane = pane_for(qtbot, BLOCKING, size=(width, 720))
    pane.show_state(blocking_recording().state_at(0.5))
    settle(pane)
    code = pane.code
    plan = code.stall_label_plan()
    label = code.stall_label_rect()
    assert plan is not None and label is not None
    assert abs(plan.line - get) <= 1, "on the blocking line or next to it"
    if plan.in_gutter:
        assert code.stall_label_in_gutter
        assert label.left() >= 0 and label.right() <= code.gutter_width()
    else:
        assert label.left() > code_end(code, plan.line), "after the code, not over it"
        assert label.right() <= code.viewport().width()
    assert "0.50 s" in plan.text, "units.format_duration, like the banner and the timeline"
    if width >= 940:
        assert plan.line == get and plan.text.startswith("◀ requests.get(…) blocks the loop")


def test_stall_label_goes_to_the_gutter_when_no_line_has_room(qtbot) -> None:
    pane = pane_for(qtbot, BLOCKING, size=(640, 720))
    pane.code.set_point_size(30)  # a lecturer zoomed far in: no line end has room
    pane.show_state(blocking_recording().state_at(0.5))
    settle(pane)
    code = pane.code
    plan = code.stall_label_plan()
    assert plan is not None and plan.in_gutter
    assert plan.text.endswith("0.50 s")
    label = code.stall_label_rect()
    assert label is not None and label.right() <= code.gutter_width()
