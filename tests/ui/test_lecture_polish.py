"""Lecture mode details a class sees in the blocking lesson: bars, queue, notes, icons, menus.

One real recording of ``04_blocking_requests.py`` (the lesson server started by
``loopviz.record``) is shared by the module; each test reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QColor, QIcon, QImage

from loopviz.catalog import bundled_scenarios_dir
from loopviz.model import Recording, State, save
from loopviz.ui.lecture.files import open_recording
from loopviz.ui.main_window import MainWindow
from loopviz.ui.notes_pane import NO_SCENARIO_TEXT, NOT_IN_COURSE_TEXT
from loopviz.ui.ready_queue_pane import GAP, ReadyQueuePane
from loopviz.ui.slice_text import SliceDescriber
from loopviz.ui.theme import ThemeMode

from .test_banner_stall import contrast

BLOCKING = bundled_scenarios_dir() / "04_blocking_requests.py"


def line_of(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text().splitlines(), 1) if needle in text)


@pytest.fixture(scope="module")
def blocking() -> Recording:
    from loopviz.api import record

    rec = record(BLOCKING)
    assert rec.stalls(), "the blocking lesson must stall the loop"
    return rec


@pytest.fixture
def blocking_file(blocking: Recording, tmp_path: Path) -> Path:
    path = tmp_path / "blocking.lvz"
    save(blocking, path)
    return path


# -- the bar of a blocking step ---------------------------------------------------------------


def blocking_slice(rec: Recording):
    return next(
        s for t in rec.tasks() for s in rec.slices(t.id) if s.state == State.BLOCKING
    )  # fmt: skip


def test_a_blocking_bar_says_where_it_blocked_then_where_it_paused(blocking: Recording):
    bar = blocking_slice(blocking)
    stall_line = line_of(BLOCKING, "requests.get(url")
    await_line = line_of(BLOCKING, "await ticker_task")
    assert bar.detail.endswith(f"paused at 04_blocking_requests.py:{await_line}"), bar.detail
    text = SliceDescriber(blocking)(int(State.BLOCKING), bar.ref)
    first, second = text.split("\n")
    assert first == f"blocked at 04_blocking_requests.py:{stall_line} requests.get(...)"
    assert second == f"Task-1 · step · then paused at 04_blocking_requests.py:{await_line}"
    # Other bars keep the recording's own words.
    other = next(
        s for t in blocking.tasks() for s in blocking.slices(t.id) if s.state == State.WAITING
    )
    assert SliceDescriber(blocking)(int(other.state), other.ref) == other.detail


def test_the_chart_labels_the_blocking_bar_with_the_stall_line(window: MainWindow, blocking_file):
    assert open_recording(window, blocking_file)
    chart = window.gantt.chart
    bar = blocking_slice(window.live.recording)
    label = chart.item.label_text(int(State.BLOCKING), bar.ref).split("\n")[0]
    assert "blocked at 04_blocking_requests.py:" in label and "requests.get(...)" in label
    assert "paused at" not in label


# -- the ready queue while a box slides into the running slot ---------------------------------


def first_time(rec: Recording, wanted, start: float, stop: float, step: float = 5e-6) -> float:
    t = start
    while t < stop:
        if wanted(rec.state_at(t).loops[0]):
            return t
        t += step
    raise AssertionError("no such instant")


def test_the_blocked_sentence_shows_only_once_the_sliding_box_has_passed(qtbot, blocking):
    pane = ReadyQueuePane()
    qtbot.addWidget(pane)
    pane.resize(682, 121)  # the dock's size in a 1400×900 window
    pane.show()
    qtbot.waitExposed(pane)
    pane.set_recording(blocking)
    stall = blocking.stalls()[0]
    queued = first_time(  # Task-1's step waits in the queue while the ticker's runs
        blocking,
        lambda loop: (
            loop.running is not None
            and loop.running.label == "Task-2 · step"
            and [e.label for e in loop.ready] == ["Task-1 · step"]
        ),
        stall.begin - 0.002,
        stall.begin,
    )
    strip = pane.strip
    pane.show_state(blocking.state_at(queued), animate=False)
    strip.clock = lambda: strip._last_show + 10.0  # a slow step: the box slides
    pane.show_state(blocking.state_at(stall.begin + 0.4))
    assert strip.animating and strip.message.startswith("blocked")
    strip._anim.stop()  # drive the slide by hand, frame by frame
    left, _right = strip._queue_span()
    text_x = int(left + 4)
    ys = range(int(strip._slot_rect().top()), int(strip._slot_rect().bottom()))
    base = QColor(strip._theme.base)
    seen_covered = False
    for k in range(11):
        strip._on_progress(k / 10)
        x, _ = strip._moves.running.at(strip._progress)
        box_right = x + strip._slot_rect().width()
        image = strip.grab().toImage()
        beside = [
            QColor(image.pixel(QPoint(px, y)))
            for px in range(int(box_right) + 2, int(box_right + GAP + 30))
            for y in ys
            if px < strip.width()
        ]
        if box_right + GAP > text_x:
            seen_covered = True
            assert all(c == base for c in beside), f"letters beside the sliding box at {k / 10}"
    assert seen_covered, "the slide passed over the sentence"
    strip._on_finished()
    image = strip.grab().toImage()
    painted = [QColor(image.pixel(QPoint(px, y))) for px in range(text_x, text_x + 40) for y in ys]
    assert any(c != base for c in painted), "the sentence shows once the box is in the slot"


@pytest.mark.parametrize("width", range(240, 1000, 20))
def test_the_timers_heading_is_whole_words_or_nothing_at_any_width(qtbot, blocking, width):
    pane = ReadyQueuePane()
    qtbot.addWidget(pane)
    pane.resize(width, 121)
    pane.show()
    pane.set_recording(blocking)
    pane.show_state(blocking.state_at(blocking.stalls()[0].begin + 0.4), animate=False)
    strip = pane.strip
    column = strip._timer_width()
    if not column:
        return  # too narrow for timers: the queue comes first
    caption = strip.timer_caption()
    assert "…" not in caption
    assert caption in ("TIMERS · 1 · soonest first", "TIMERS · 1", "TIMERS"), caption
    assert strip._fm_caption.horizontalAdvance(caption) <= column


# -- the lecture notes of a recording opened from a file --------------------------------------


def test_notes_of_an_opened_recording_are_its_lessons(window: MainWindow, blocking_file):
    notes = window.presenter.notes
    assert NO_SCENARIO_TEXT in notes.text()
    assert open_recording(window, blocking_file)
    text = notes.text()
    assert text.startswith("4. Blocking requests"), text[:80]
    assert "Key point:" in text and NO_SCENARIO_TEXT not in text


def test_notes_of_a_recording_outside_the_course_say_what_it_is_of(
    window: MainWindow, tmp_path: Path
):
    from loopviz.api import record

    script = tmp_path / "my_own_lesson.py"
    script.write_text(
        "import asyncio\n\nasync def main():\n    await asyncio.sleep(0)\n\nasyncio.run(main())\n"
    )
    path = tmp_path / "own.lvz"
    save(record(script), path)
    assert open_recording(window, path)
    text = window.presenter.notes.text()
    assert "Recording of my_own_lesson.py" in text and NOT_IN_COURSE_TEXT in text


# -- Run and Stop readable on every theme -----------------------------------------------------


def glyph_colours(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> list[QColor]:
    image = icon.pixmap(QSize(24, 24), mode).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    return [
        QColor.fromRgba(image.pixel(x, y))
        for x in range(image.width())
        for y in range(image.height())
        if QColor.fromRgba(image.pixel(x, y)).alpha() == 255
    ]


@pytest.mark.parametrize(
    ("mode", "high_contrast"),
    [
        (ThemeMode.LIGHT, False),
        (ThemeMode.DARK, False),
        (ThemeMode.DARK, True),
        (ThemeMode.LIGHT, True),
    ],
)
def test_run_stop_and_play_icons_stand_out_on_every_theme(window: MainWindow, mode, high_contrast):
    window.theme.set_mode(mode)
    window.theme.set_high_contrast(high_contrast)
    theme = window.theme.theme
    background = QColor(theme.window)
    icons = {
        "run": window.app_actions.run.icon(),
        "stop": window.app_actions.stop.icon(),
        "play": window.scrubber.play_button.icon(),
    }
    for name, icon in icons.items():
        solid = glyph_colours(icon)
        assert len(solid) > 40, f"{name}: a glyph is drawn"
        assert min(contrast(c, background) for c in solid) >= 4.5, f"{name} on {theme.name}"
        faded = glyph_colours(icon, QIcon.Mode.Disabled)
        assert faded and faded[0] != solid[0], f"{name}: disabled looks different"


# -- Help › Keyboard shortcuts -----------------------------------------------------------------


def test_the_shortcuts_dialog_lists_each_key_once_in_one_block_a_menu(window: MainWindow):
    dialog = window.show_shortcuts()
    rows = dialog.rows()
    assert ("Timeline", "Show the whole run", "double-click") in rows
    assert ("Presenter view", "Leave presenter view", "Esc") in rows
    assert len({(where, command) for where, command, _keys in rows}) == len(rows), "no repeats"
    groups = [where for where, _c, _k in rows]
    blocks = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    assert len(blocks) == len(set(blocks)), f"one block a menu: {blocks}"
    shown = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert [s for s in shown if s] == blocks, "the menu's name heads its block only"
    dialog.close()
