"""The console: what the scenario printed, when, in which colour, and how the run ended."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontInfo, QTextCursor

from loopviz.model import OutputLine, Recording, RunOutcome
from loopviz.model.synthetic import Sim
from loopviz.ui.console_view import MAX_BLOCKS, ConsoleView, format_time
from loopviz.ui.theme import DARK, LIGHT, ThemeController, ThemeMode

from .test_banner_recordings import RAISES, TRACEBACK, blocking_recording, raising_recording


def out_dir(tmp_path: Path) -> Path:
    return Path(os.environ.get("LOOPVIZ_SCREENSHOT_DIR") or tmp_path)


def make_console(qtbot, theme=LIGHT, size=(900, 520)) -> ConsoleView:
    console = ConsoleView(theme=theme)
    qtbot.addWidget(console)
    console.resize(*size)
    console.show()
    qtbot.waitExposed(console)
    return console


def block_texts(console: ConsoleView) -> list[str]:
    return console.toPlainText().split("\n")


def color_of(console: ConsoleView, row: int, column: int) -> str:
    return console.text_format_at(row, column).foreground().color().name()


def row_of(console: ConsoleView, needle: str) -> int:
    return next(n for n, text in enumerate(block_texts(console)) if needle in text)


def outcome(kind: str, detail: str = "", **exit_fields) -> RunOutcome:
    exit_msg = {"k": "exit", "outcome": kind, **exit_fields} if exit_fields else None
    return RunOutcome(kind, detail, 0, None, exit_msg, {"k": "run_end", "outcome": kind}, None)


def test_lines_have_a_dim_time_column(qtbot) -> None:
    console = make_console(qtbot)
    rec = blocking_recording()
    console.append_lines(rec.output())
    rows = block_texts(console)
    assert len(rows) == len(rec.output())
    status = row_of(console, "Status: 200")
    assert rows[status] == "Status: 200", "the stamp is beside the text, not in it"
    assert console.stamp_text(status) == format_time(1.0) == "1.000"
    assert console.stamp_color().name() == LIGHT.muted, "the time is dim"
    assert color_of(console, status, 2) == LIGHT.text


def test_stderr_is_red_and_stdout_is_not(qtbot) -> None:
    console = make_console(qtbot)
    console.append_lines(
        [
            OutputLine(0.1, "stdout", "all good", 1),
            OutputLine(0.2, "stderr", "something went wrong", 1),
        ]
    )
    assert color_of(console, 0, 2) == LIGHT.text
    assert color_of(console, 1, 2) == LIGHT.error
    assert [e.kind for e in console.entries()] == ["stdout", "stderr"]


def test_traceback_is_red_with_the_scenario_frames_as_links(qtbot) -> None:
    console = make_console(qtbot)
    console.set_scenario_path(RAISES)
    rec = raising_recording()
    console.append_lines(rec.output())
    kinds = [e.kind for e in console.entries()][-len(TRACEBACK) :]
    assert kinds == ["traceback"] * (len(TRACEBACK) - 1) + ["exception"]
    for needle in ("Traceback (most recent", "await check(result)", "ValueError: bad result"):
        assert color_of(console, row_of(console, needle), 2) == LIGHT.error
    links = [link for e in console.entries() for link in e.links]
    assert [(link.file, link.line) for link in links] == [(RAISES, 12), (RAISES, 13), (RAISES, 7)]
    library = row_of(console, "asyncio/tasks.py")
    assert not console.text_format_at(library, 4).isAnchor(), "only the scenario's frames"
    frame = row_of(console, "line 7, in check")
    assert console.text_format_at(frame, 4).isAnchor()


def test_clicking_a_traceback_frame_emits_its_location(qtbot) -> None:
    console = make_console(qtbot)
    console.set_scenario_path(RAISES)
    console.append_lines(raising_recording().output())
    row = row_of(console, "line 7, in check")
    block = console.document().findBlockByNumber(row)
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + block.text().index("File") + 4)
    point = console.cursorRect(cursor).center()
    assert console.link_at(point) == (RAISES, 7)
    with qtbot.waitSignal(console.locationActivated, timeout=2000) as blocker:
        qtbot.mouseClick(console.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [RAISES, 7]


def test_clicking_plain_text_emits_nothing(qtbot) -> None:
    console = make_console(qtbot)
    console.append_lines([OutputLine(0.1, "stdout", "hello", 0)])
    point = console.cursorRect(QTextCursor(console.document().firstBlock())).center()
    with qtbot.assertNotEmitted(console.locationActivated):
        qtbot.mouseClick(console.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_run_end_line_after_a_raise_names_the_exception_and_links_the_line(qtbot) -> None:
    console = make_console(qtbot)
    rec = raising_recording()
    console.append_lines(rec.output())
    assert rec.outcome is not None
    console.show_run_end(rec.outcome, rec.duration)
    last = block_texts(console)[-1]
    assert last.endswith("— raised ValueError: bad result: 42 at main_raises.py:7 —")
    row = len(block_texts(console)) - 1
    assert color_of(console, row, 2) == LIGHT.error
    assert console.text_format_at(row, last.index("main_raises.py") + 2).isAnchor()


@pytest.mark.parametrize(
    ("run", "text", "color"),
    [
        (
            outcome("returned", "main() returned", result="None"),
            "— main() returned after 2.00 s —",
            "text",
        ),
        (outcome("stopped", "stopped by the user"), "— stopped by the user —", "warning"),
        (
            outcome("killed", "killed: it did not stop within 1 s"),
            "— killed: it did not stop within 1 s —",
            "warning",
        ),
        (
            outcome("crashed", "crashed: killed by SIGSEGV (segmentation fault)"),
            "— crashed: killed by SIGSEGV (segmentation fault) —",
            "error",
        ),
        (outcome("exit", "sys.exit(3)", code=3), "— exited with sys.exit(3) —", "error"),
    ],
    ids=["returned", "stopped", "killed", "crashed", "exit"],
)
def test_run_end_line_says_how_the_run_ended(qtbot, run, text, color) -> None:
    console = make_console(qtbot)
    console.append_lines([OutputLine(0.5, "stdout", "working", 0)])
    console.show_run_end(run, 2.0, duration=2.0)
    last = block_texts(console)[-1]
    assert last == text
    assert console.stamp_text(1) == "2.000"
    assert color_of(console, 1, 2) == getattr(LIGHT, color)


def test_a_later_run_end_replaces_the_first(qtbot) -> None:
    console = make_console(qtbot)
    console.show_run_end(outcome("returned", result="None"), 1.0, duration=1.0)
    console.show_run_end(outcome("stopped", "stopped by the user"), 1.1)
    assert block_texts(console) == ["— stopped by the user —"]
    assert console.stamp_text(0) == "1.100"


def test_syntax_error_shows_file_line_and_caret(qtbot) -> None:
    console = make_console(qtbot)
    path = "/home/lecturer/broken.py"
    error = {
        "k": "load_error",
        "reason": "syntax",
        "message": "SyntaxError: '(' was never closed\n    async def main(:\n                  ^",
        "file": path,
        "line": 3,
    }
    console.set_scenario_path(path)
    console.show_load_error(error, 0.0)
    run = RunOutcome("load_error", "", 2, None, None, {"outcome": "load_error"}, error)
    console.show_run_end(run, 0.01)
    rows = block_texts(console)
    assert rows == [
        "SyntaxError: '(' was never closed",
        f'  File "{path}", line 3',
        "    async def main(:",
        "                  ^",
        "— could not load: SyntaxError: '(' was never closed at broken.py:3 —",
    ]
    assert all(color_of(console, n, 2) == LIGHT.error for n in range(4))
    assert console.text_format_at(1, 4).isAnchor()


def test_load_error_without_caret_quotes_the_line_from_the_source(qtbot) -> None:
    console = make_console(qtbot)
    error = {
        "message": "main() in x.py is not async: write `async def main():`",
        "file": "/tmp/x.py",
        "line": 2,
    }
    console.show_load_error(error, source="import asyncio\ndef main():\n    pass\n")
    assert block_texts(console)[-1] == "    def main():"


def test_replay_shows_output_up_to_the_cursor(qtbot) -> None:
    console = make_console(qtbot)
    rec = blocking_recording()
    console.append_lines(rec.output())
    console.show_run_end(rec.outcome, rec.duration, rec.duration)
    everything = block_texts(console)
    console.show_until(0.5)
    assert console.toPlainText() == "", "nothing printed during the stall"
    status = next(line.t for line in rec.output() if line.text == "Status: 200")
    console.show_until(status)
    assert block_texts(console)[-1].endswith("Status: 200")
    console.show_until(None)
    assert block_texts(console) == everything
    console.show_until(status)
    assert len(block_texts(console)) < len(everything)


def test_replay_cursor_hides_lines_appended_later(qtbot) -> None:
    console = make_console(qtbot)
    console.show_until(1.0)
    console.append_lines(
        [OutputLine(0.5, "stdout", "early", 0), OutputLine(1.5, "stdout", "late", 0)]
    )
    assert block_texts(console) == ["early"]
    assert console.line_count() == 2


def test_clear_starts_a_new_run(qtbot) -> None:
    console = make_console(qtbot)
    console.append_lines([OutputLine(0.5, "stderr", "Traceback (most recent call last):", 0)])
    console.clear()
    assert console.toPlainText() == "" and console.line_count() == 0
    console.append_lines([OutputLine(0.1, "stderr", "  indented, but a new run", 0)])
    assert console.entries()[0].kind == "stderr", "the traceback state was reset"


def test_hundred_thousand_lines_stay_fast(qtbot) -> None:
    console = make_console(qtbot)
    lines = [
        OutputLine(
            k * 0.0001, "stderr" if k % 10 == 0 else "stdout", f"worker {k % 50} round {k}", 1
        )
        for k in range(100_000)
    ]
    began = time.perf_counter()
    for start in range(0, len(lines), 5_000):  # the live view's batches
        console.append_lines(lines[start : start + 5_000])
    appended = time.perf_counter() - began
    assert console.line_count() == 100_000
    assert console.document().blockCount() == MAX_BLOCKS
    assert block_texts(console)[-1].endswith("worker 49 round 99999")
    began = time.perf_counter()
    for t in (9.0, 8.5, 5.0, 9.99, 2.0):  # scrubbing back and forth
        console.show_until(t)
    scrubbed = time.perf_counter() - began
    assert block_texts(console)[-1].endswith("round 20000")
    assert appended < 20 and scrubbed < 20, (appended, scrubbed)  # generous: ≈1 s here


def test_follow_appends_only_what_is_new_each_frame(qtbot) -> None:
    console = make_console(qtbot)
    rec = blocking_recording(ticks=3)
    for t in (0.2, 0.9, 1.0, 1.00005, 1.001, 1.0015, rec.duration):
        console.follow(rec, rec.state_at(t))
    assert [e.text for e in console.entries()] == [line.text for line in rec.output()]
    assert console.follow(rec, rec.state_at(rec.duration)) == 0


def test_follow_catches_up_after_a_burst(qtbot) -> None:
    sim = Sim(scenario="/tmp/chatty.py")

    def main(sim: Sim):
        for k in range(300):
            sim.print(f"line {k}")
        yield from sim.sleep(0.1, at=3)

    sim.run(main)
    rec = Recording()
    rec.feed(sim.w.data())
    console = make_console(qtbot)
    assert console.follow(rec, rec.state_at(rec.duration)) == 300
    assert block_texts(console)[-1].endswith("line 299")


def test_show_outcome_closes_a_returned_run(qtbot) -> None:
    console = make_console(qtbot)
    rec = blocking_recording()
    console.follow(rec, rec.state_at(rec.duration))
    assert console.show_outcome(rec)
    assert block_texts(console)[-1].endswith("— main() returned after 1.00 s —")


CARET_MESSAGE = "SyntaxError: invalid syntax\n    async def main(:\n" + " " * 19 + "^"


def test_show_outcome_shows_a_syntax_error_from_the_recording(qtbot) -> None:
    path = "/home/lecturer/broken.py"
    rec = Recording()
    start = 5_000_000_000
    rec.add_messages(
        [
            {"k": "hello", "t": start, "schema": 1, "scenario": path},
            {
                "k": "source",
                "t": start,
                "path": path,
                "text": "import asyncio\n\nasync def main(:\n",
            },
            {
                "k": "load_error",
                "t": start + 30_000_000,
                "reason": "syntax",
                "message": CARET_MESSAGE,
                "file": path,
                "line": 3,
            },
            {
                "k": "run_end",
                "t": start + 40_000_000,
                "outcome": "load_error",
                "returncode": 2,
                "signal": None,
                "detail": "SyntaxError: invalid syntax\n    async def main(:\n ^ at broken.py:3",
            },
        ]
    )
    console = make_console(qtbot)
    console.set_scenario_path(path)
    assert console.show_outcome(rec)
    rows = block_texts(console)
    assert rows == [
        "SyntaxError: invalid syntax",
        f'  File "{path}", line 3',
        "    async def main(:",
        "                   ^",
        "— could not load: SyntaxError: invalid syntax at broken.py:3 —",
    ]
    console.show_outcome(rec)  # asked again (every frame): nothing doubles
    assert len(block_texts(console)) == 5


def test_faulthandler_crash_report_is_red_with_links(qtbot) -> None:
    console = make_console(qtbot)
    console.set_scenario_path("/tmp/segfault.py")
    console.append_lines(
        [
            OutputLine(0.3, "stderr", "Fatal Python error: Segmentation fault", 0),
            OutputLine(0.3, "stderr", "", 0),
            OutputLine(0.3, "stderr", "Current thread 0x00007f (most recent call first):", 0),
            OutputLine(0.3, "stderr", '  File "/tmp/segfault.py", line 9 in main', 0),
        ]
    )
    kinds = [e.kind for e in console.entries()]
    assert kinds == ["exception", "traceback", "traceback", "traceback"]
    assert [(k.file, k.line) for k in console.entries()[-1].links] == [("/tmp/segfault.py", 9)]


def test_console_is_monospace_and_zooms(qtbot) -> None:
    console = make_console(qtbot)
    assert QFontInfo(console.font()).fixedPitch()
    console.set_point_size(20)
    assert console.font().pointSizeF() == 20
    assert console.isReadOnly() and console.placeholderText()


def test_dark_theme_recolours_what_is_shown(qtbot) -> None:
    console = make_console(qtbot)
    console.append_lines([OutputLine(0.2, "stderr", "oops", 0)])
    console.set_theme(DARK)
    assert color_of(console, 0, 2) == DARK.error
    assert console.stamp_color().name() == DARK.muted


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_screenshot_console_with_a_traceback(qtbot, tmp_path, theme) -> None:
    ThemeController(ThemeMode(theme.name)).apply()
    try:
        console = make_console(qtbot, theme=theme, size=(1000, 420))
        console.set_point_size(14)
        console.set_scenario_path(RAISES)
        rec = raising_recording()
        console.append_lines(rec.output())
        console.show_run_end(rec.outcome, rec.duration, rec.duration)
        image = console.grab().toImage()
        assert image.save(str(out_dir(tmp_path) / f"console_traceback_{theme.name}.png"))
        row = row_of(console, "ValueError: bad result")
        block = console.document().findBlockByNumber(row)
        y = round(
            console.blockBoundingGeometry(block).translated(console.contentOffset()).center().y()
        )
        band = console.viewport().grab().toImage().pixelColor(console.viewport().width() - 20, y)
        assert band != QColor(theme.base), "the traceback sits on a red band"
    finally:
        ThemeController(ThemeMode.LIGHT).apply()
