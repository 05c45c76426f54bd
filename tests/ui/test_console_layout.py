"""The console in a narrow dock: compact stamps, wrapped lines, and what it says while empty."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from loopviz.model import OutputLine
from loopviz.ui.console_view import PLACEHOLDER, RUN_PLACEHOLDER, ConsoleView
from loopviz.ui.theme import DARK, LIGHT

from .test_live_panes_support import lesson

NARROW = (265, 300)
"""The console dock's width in the default window (the reviewer's 1400×900 screenshot)."""


def make_console(qtbot, size=NARROW, theme=LIGHT) -> ConsoleView:
    console = ConsoleView(theme=theme)
    qtbot.addWidget(console)
    console.resize(*size)
    console.show()
    qtbot.waitExposed(console)
    return console


def lines(console: ConsoleView, *texts: str, t: float = 1.009) -> None:
    console.append_lines([OutputLine(t, "stdout", text, 0) for text in texts])


def test_the_stamps_leave_the_text_most_of_a_narrow_console(qtbot) -> None:
    console = make_console(qtbot)
    lines(console, "Number of tasks: 6")
    assert console.stamp_text(0) == "1.009", "compact: no plus sign, no unit"
    text_left = console.viewport().geometry().left() - console.frameWidth()
    assert 0 < text_left == console.stamp_width() <= 60, "was ~120 px of 265"
    (line,) = console.line_rects(0)
    assert line.right() <= console.viewport().width(), "the lesson's key line shows whole"
    assert not console.horizontalScrollBar().isVisible()


def test_a_long_line_wraps_under_its_text_and_is_never_cut(qtbot) -> None:
    console = make_console(qtbot)
    url = "https://example.com/page/1?" + "&".join(f"q{k}=v{k}" for k in range(12))
    lines(console, "short", f"Requesting {url}", "after")
    rows = console.line_rects(1)
    assert len(rows) >= 3, "wrapped, even inside a URL without spaces"
    width = console.viewport().width()
    assert all(r.right() <= width + 0.5 for r in rows), "no line runs past the edge"
    assert {round(r.left()) for r in rows} == {round(console.line_rects(0)[0].left())}, (
        "continuation lines start under the text, not under the stamp"
    )
    assert console.horizontalScrollBar().maximum() == 0
    assert console.toPlainText().split("\n")[1] == f"Requesting {url}", "the text is intact"
    # One stamp for the whole wrapped line, on its first row.
    assert console.stamp_text(1) == "1.009" and console.stamp_text(2) == "1.009"


def test_the_stamp_is_painted_dim_beside_its_line(qtbot) -> None:
    console = make_console(qtbot)
    lines(console, "Status: 200")
    column = console._stamps.grab().toImage()
    first = console.line_rects(0)[0]
    y = round(first.center().y())
    inked = [
        column.pixelColor(x, y)
        for x in range(column.width())
        if column.pixelColor(x, y) != QColor(LIGHT.base)
    ]
    assert inked, "the stamp is painted in its column"
    darkest = min(inked, key=lambda c: c.lightness())
    assert darkest.lightness() > QColor(LIGHT.text).lightness() + 40, "dim, not text-coloured"


def test_the_stamp_column_follows_the_dark_theme(qtbot) -> None:
    console = make_console(qtbot, theme=DARK)
    lines(console, "hello")
    column = console._stamps.grab().toImage()
    assert column.pixelColor(QPoint(1, column.height() - 2)) == QColor(DARK.base)


def test_no_output_yet_while_a_run_has_printed_nothing(qtbot) -> None:
    console = make_console(qtbot)
    assert console.placeholderText() == PLACEHOLDER, "before any run: what will appear here"
    console.clear()  # the window does this when a run starts
    assert console.placeholderText() == RUN_PLACEHOLDER == "no output yet"
    assert console.stamp_width() == 0, "no stamp column while there is nothing to stamp"
    rec = lesson("create_task")  # prints "Number of tasks: 6" as main's first step ends
    console.follow(rec, rec.state_at(0.0))
    assert console.toPlainText() == "" and console.placeholderText() == RUN_PLACEHOLDER
    console.follow(rec, rec.state_at(rec.duration))
    assert console.toPlainText(), "output arrived: the placeholder is gone"
    assert console.stamp_width() > 0


def test_follow_alone_says_a_run_is_on(qtbot) -> None:
    console = make_console(qtbot)
    rec = lesson("blocking")
    console.follow(rec, rec.state_at(0.0))
    assert console.placeholderText() == RUN_PLACEHOLDER


def test_stamps_widen_for_longer_runs_and_zoom_with_the_text(qtbot) -> None:
    console = make_console(qtbot)
    lines(console, "early", t=1.0)
    narrow = console.stamp_width()
    lines(console, "late", t=123.4)
    assert console.stamp_width() > narrow and console.stamp_text(1) == "123.400"
    console.set_point_size(20)
    assert console.stamp_width() > narrow
    left = console.viewport().geometry().left() - console.frameWidth()
    assert left == console.stamp_width()
