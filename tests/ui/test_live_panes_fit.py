"""The live panes at the sizes the default window gives them: nothing key is cut.

Sizes from the reviewer's 1400×900 screenshots: the coroutines pane ~200×200, the
tasks table ~440×200, the ready-queue strip ~645×120.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFontMetricsF

from loopviz.ui.app import configure_application
from loopviz.ui.coroutines_pane import CoroutinesPane, heading_lines
from loopviz.ui.futures_table import FuturesPane
from loopviz.ui.live_style import duration_cell, make_table, table_height
from loopviz.ui.ready_queue_pane import ReadyQueuePane, wrap_words
from loopviz.ui.tasks_table import AWAITING, COLUMNS, STATE, TASK, TasksPane
from loopviz.ui.theme import DARK, LIGHT, ThemeController, ThemeMode
from loopviz.ui.units import format_duration

from .test_live_panes_support import lesson, near, pixel


@pytest.fixture(autouse=True)
def styled(qapp) -> Iterator[None]:
    """The application's own font, palette and style sheet (what the sizes depend on)."""
    palette, sheet, font = qapp.palette(), qapp.styleSheet(), qapp.font()
    configure_application(qapp)
    ThemeController(ThemeMode.LIGHT).apply()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)


def present(qtbot, widget, size):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def right_edges(view) -> list[int]:
    """Where each column ends in the viewport (hidden ones: -1)."""
    return [
        -1 if view.isColumnHidden(c) else view.columnViewportPosition(c) + view.columnWidth(c)
        for c in range(view.model().columnCount())
    ]


# -- coroutines -------------------------------------------------------------------------


def test_heading_is_short_with_a_dim_second_line() -> None:
    assert heading_lines(5, []) == ("5 coroutines, not scheduled", "nothing runs them yet")
    assert heading_lines(1, []) == ("1 coroutine, not scheduled", "nothing runs it yet")
    assert heading_lines(0, []) == ("0 coroutines, not scheduled", "")


def test_coroutines_fit_a_small_pane(qtbot) -> None:
    pane = present(qtbot, CoroutinesPane(theme=LIGHT), (200, 200))
    rec = lesson("coroutines")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(1.0))
    pane.columns.refit()
    assert pane.heading.text() == "5 not scheduled", "the long heading would wrap at 200 px"
    assert pane.subheading.text() == "nothing runs them yet"
    assert pane.heading.contentsMargins().left() >= 8, "off the pane's edge"
    assert pane.heading.height() < 2 * pane.heading.fontMetrics().height(), "one line"
    view = pane.view
    assert not view.horizontalScrollBar().isVisible()
    assert max(right_edges(view)) <= view.viewport().width()
    rows = view.viewport().height() // view.rowHeight(0)
    assert rows >= 5, "all five get_request() objects show"
    fm = view.fontMetrics()
    name = view.columnWidth(0)
    assert name >= fm.horizontalAdvance("get_request()") + 12
    pane.show_state(rec.state_at(2.0001))  # they become tasks
    pane.columns.refit()
    became = pane.model.index(4, 0).data()
    assert became == "get_request() → Task-5"
    assert view.columnWidth(0) >= fm.horizontalAdvance(became) + 12, "what each one became shows"
    assert not view.horizontalScrollBar().isVisible()


def test_coroutines_pane_shows_every_column_when_wide(qtbot) -> None:
    pane = present(qtbot, CoroutinesPane(theme=LIGHT), (600, 300))
    rec = lesson("coroutines")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(1.0))
    pane.columns.refit()
    assert pane.heading.text() == "5 coroutines, not scheduled"
    view = pane.view
    assert not any(view.isColumnHidden(c) for c in range(3))
    assert max(right_edges(view)) == view.viewport().width(), "the name column takes the rest"


def test_coroutines_pane_asks_room_for_six_rows(qtbot) -> None:
    pane = present(qtbot, CoroutinesPane(theme=LIGHT), (200, 200))
    heading = pane.heading.sizeHint().height() + pane.subheading.sizeHint().height()
    assert pane.sizeHint().height() >= heading + table_height(pane.view, 6)
    assert pane.minimumSizeHint().height() < pane.sizeHint().height()
    empty = pane.empty
    assert empty.isVisible() and empty.heightForWidth(empty.width()) <= empty.height(), (
        "the placeholder's sentence is not cut"
    )


# -- tasks ------------------------------------------------------------------------------


def test_task_state_and_awaiting_are_never_cut(qtbot) -> None:
    pane = present(qtbot, TasksPane(theme=LIGHT), (440, 200))
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(1.3))
    view = pane.view
    fm = QFontMetricsF(view.font())
    awaiting = pane.proxy.index(0, AWAITING).data()
    assert awaiting.startswith("sleep, ") and "left" in awaiting
    assert view.columnWidth(AWAITING) >= fm.horizontalAdvance(awaiting) + 12
    edges = right_edges(view)
    assert edges[AWAITING] <= view.viewport().width(), "visible without scrolling"
    for column in (TASK, STATE):
        assert view.columnWidth(column) >= view.sizeHintForColumn(column)
    assert view.rowHeight(0) <= view.fontMetrics().height() + 8, "compact rows"


def test_tasks_table_has_no_horizontal_scrollbar_when_it_fits_or_is_empty(qtbot) -> None:
    pane = present(qtbot, TasksPane(theme=LIGHT), (440, 200))
    view = pane.view
    assert not view.horizontalScrollBar().isVisible(), "empty: nothing to scroll to"
    pane.resize(1300, 300)
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(1.3))
    qtbot.waitUntil(lambda: view.viewport().width() > 1000)
    pane.columns.refit()
    assert not view.horizontalScrollBar().isVisible()
    assert max(right_edges(view)) == view.viewport().width(), "the last column stretches"
    created = COLUMNS.index("Created at")
    assert view.columnWidth(created) > view.columnWidth(AWAITING), "it takes the spare room"


def test_tasks_pane_asks_room_for_six_rows(qtbot) -> None:
    pane = present(qtbot, TasksPane(theme=LIGHT), (440, 200))
    assert pane.sizeHint().height() >= table_height(pane.view, 6) + pane.filter_box.height()
    assert FuturesPane(theme=LIGHT).sizeHint().height() >= table_height(pane.view, 6)


def test_a_column_resized_by_hand_keeps_its_width(qtbot) -> None:
    pane = present(qtbot, TasksPane(theme=LIGHT), (900, 200))
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(1.3))
    pane.view.horizontalHeader().resizeSection(TASK, 200)
    pane.columns.refit()
    pane.resize(1000, 200)
    qtbot.waitUntil(lambda: pane.view.viewport().width() > 900)
    assert pane.view.columnWidth(TASK) == 200


def test_times_use_one_format() -> None:
    assert duration_cell(0.7099) == format_duration(0.7099) == "0.71 s"
    assert duration_cell(0.0) == "0"


def test_make_table_rows_are_compact(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    view = make_table(parent, "T")
    height = max(view.fontMetrics().height(), view.iconSize().height())
    assert view.verticalHeader().defaultSectionSize() <= height + 6


# -- ready queue ------------------------------------------------------------------------


@pytest.fixture
def strip_pane(qtbot) -> ReadyQueuePane:
    return present(qtbot, ReadyQueuePane(theme=LIGHT), (645, 120))


def test_idle_and_blocked_sentences_wrap_rather_than_cut(strip_pane) -> None:
    strip = strip_pane.strip
    strip_pane.show_state(lesson("create_task").state_at(1.3), animate=False)
    idle = strip.message_lines()
    assert " ".join(idle) == strip.message, "every word shows"
    assert not any(line.endswith("…") for line in idle)
    assert len(idle) >= 2
    strip_pane.set_recording(lesson("blocking"))
    strip_pane.show_state(lesson("blocking").state_at(1.2), animate=False)
    blocked = strip.message_lines()
    assert blocked[0].startswith("blocked — timers")
    assert " ".join(blocked) == strip.message


def test_timer_labels_are_whole_and_times_use_one_format(strip_pane) -> None:
    strip = strip_pane.strip
    rec = lesson("blocking")
    strip_pane.set_recording(rec)
    strip_pane.show_state(rec.state_at(0.3), animate=False)  # who waits on the ticker's timer
    strip_pane.show_state(rec.state_at(1.2), animate=False)
    (row,) = strip.timer_rows()[:1]
    assert strip.timer_labels()[0] == row.label == "sleep → ticker", "not 'sleep → T…'"
    assert row.time_text == f"overdue {format_duration(-row.left)}"
    run = strip.running_box()
    assert strip.slot_caption() == f"BLOCKING · {format_duration(run.elapsed)}"
    assert "ms" not in strip.slot_caption(), "0.71 s, as the banner and timeline say"


def test_wrap_words_cuts_only_the_last_line(qtbot) -> None:
    fm = QFontMetricsF(ReadyQueuePane().font())
    text = "idle — waiting in select() for the next timer in 1.02 s"
    width = fm.horizontalAdvance("idle — waiting in") + 1
    two = wrap_words(text, fm, width, 2)
    assert len(two) == 2 and two[0] == "idle — waiting in" and two[1].endswith("…")
    assert " ".join(wrap_words(text, fm, width, 9)) == text
    narrow = fm.horizontalAdvance("timer in 1.02") + 1
    assert all(line != "s" for line in wrap_words(text, fm, narrow, 9)), "a number keeps its unit"
    assert "1.02 s" in wrap_words(text, fm, narrow, 9)[-1]


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_the_strip_follows_the_theme_before_and_during_a_run(qtbot, theme) -> None:
    pane = present(qtbot, ReadyQueuePane(theme=LIGHT), (645, 120))
    pane.set_theme(theme)
    corner = QPoint(pane.strip.width() - 4, pane.strip.height() - 4)
    assert near(pixel(pane.strip, corner), theme.base), "empty, before a run"
    pane.show_state(lesson("create_task").state_at(1.3), animate=False)
    assert near(pixel(pane.strip, corner), theme.base)
    assert QColor(pixel(pane.strip, corner)).lightness() < 80 or theme is LIGHT


def test_tooltips_of_cut_cells_say_the_whole_text(qtbot) -> None:
    pane = present(qtbot, TasksPane(theme=LIGHT), (440, 200))
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(1.3))
    created = COLUMNS.index("Created at")
    tip = pane.proxy.index(1, created).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == pane.proxy.index(1, created).data()


def test_a_narrow_strip_stacks_each_timer_over_its_time(qtbot) -> None:
    pane = present(qtbot, ReadyQueuePane(theme=LIGHT), (480, 120))
    rec = lesson("blocking")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.3), animate=False)
    pane.show_state(rec.state_at(1.2), animate=False)
    strip = pane.strip
    assert strip.timers_stacked, "no room for label and time side by side"
    assert strip.timer_labels() == ["sleep → ticker"], "the overdue timer still shows, whole"
    assert " ".join(strip.message_lines()) == strip.message
    assert strip.queue_caption() == "READY QUEUE", "a shorter caption rather than a cut one"
    pane.resize(1000, 120)
    qtbot.waitUntil(lambda: strip.width() > 900)
    assert not strip.timers_stacked and strip.queue_caption() == "READY QUEUE · empty"
    pane.resize(380, 120)
    qtbot.waitUntil(lambda: strip.width() < 400)
    assert strip.timer_labels() == [], "too narrow: the queue comes first"
