"""The console through a print flood: every line kept in order, the newest on screen at once.

A live frame inserts at most ``FRAME_LINES`` lines (a bigger burst restarts the
document with its newest lines); once the output pauses the earlier lines come
back above, up to ``MAX_BLOCKS``. These tests feed a real :class:`Recording` with
output messages, as the runner's pipe does, and follow it frame by frame.
"""

from __future__ import annotations

import gc

from PySide6.QtWidgets import QScrollBar

from loopviz.model import Recording
from loopviz.protocol import Message
from loopviz.ui.console_view import BACKFILL_MS, FRAME_LINES, MAX_BLOCKS, ConsoleView

from .test_console_output import block_texts, make_console

T0 = 10**12


def hello() -> dict:
    return {"k": Message.HELLO, "t": T0, "schema": 1, "stall_ms": 100}


def printed(lo: int, hi: int) -> list[dict]:
    return [
        {"k": Message.OUTPUT, "t": T0 + k * 1_000, "stream": "stdout", "text": f"line {k}"}
        for k in range(lo, hi)
    ]


def follow_all(console: ConsoleView, rec: Recording) -> int:
    return console.follow(rec, rec.state_at(rec.duration))


def test_a_burst_bigger_than_a_frame_keeps_every_line_and_shows_the_newest(qtbot) -> None:
    console = make_console(qtbot)
    rec = Recording()
    rec.add_messages([hello()])
    total = 0
    for burst in (10, 3 * FRAME_LINES, 7, 5 * FRAME_LINES, 40_000, 1):  # lines per frame
        rec.add_messages(printed(total, total + burst))
        total += burst
        assert follow_all(console, rec) == burst
        assert block_texts(console)[-1] == f"line {total - 1}", "the newest line is on screen"
        shown = console.shown_entries()
        assert len(shown) <= MAX_BLOCKS
        assert [e.text for e in shown] == [f"line {k}" for k in range(total - len(shown), total)]
    assert [e.text for e in console.entries()] == [f"line {k}" for k in range(total)]
    assert console.document().blockCount() < MAX_BLOCKS, "the last big burst restarted it"


def test_once_the_output_pauses_earlier_lines_come_back_above(qtbot) -> None:
    console = make_console(qtbot)
    rec = Recording()
    rec.add_messages([hello(), *printed(0, 60_000)])
    follow_all(console, rec)
    assert console.document().blockCount() == FRAME_LINES
    qtbot.waitUntil(lambda: console.document().blockCount() == MAX_BLOCKS, timeout=10_000)
    texts = block_texts(console)
    assert texts == [f"line {k}" for k in range(60_000 - MAX_BLOCKS, 60_000)]
    assert [console.stamp_text(n) for n in (0, MAX_BLOCKS - 1)] == ["0.040", "0.060"]
    bar = console.verticalScrollBar()
    assert bar.value() == bar.maximum(), "still showing the newest line"


def test_lines_put_back_above_do_not_move_what_a_reader_scrolled_to(qtbot) -> None:
    console = make_console(qtbot)
    rec = Recording()
    rec.add_messages([hello(), *printed(0, 60_000)])
    follow_all(console, rec)
    bar = console.verticalScrollBar()
    bar.triggerAction(QScrollBar.SliderAction.SliderToMinimum)  # the reader scrolls up
    top = console.firstVisibleBlock().text()
    qtbot.wait(10 * BACKFILL_MS)
    assert console.document().blockCount() == FRAME_LINES, "nothing put back meanwhile"
    assert console.firstVisibleBlock().text() == top == f"line {60_000 - FRAME_LINES}"
    bar.triggerAction(QScrollBar.SliderAction.SliderToMaximum)  # and back to the end
    qtbot.waitUntil(lambda: console.document().blockCount() == MAX_BLOCKS, timeout=10_000)
    assert bar.value() == bar.maximum()


def test_a_steady_stream_trims_the_top_and_stays_at_the_cap(qtbot) -> None:
    console = make_console(qtbot)
    rec = Recording()
    rec.add_messages([hello()])
    total = 0
    while total < MAX_BLOCKS + 5_000:  # 100 lines a frame: trimmed, never restarted
        rec.add_messages(printed(total, total + 100))
        total += 100
        follow_all(console, rec)
    assert console.document().blockCount() == MAX_BLOCKS
    assert block_texts(console)[0] == f"line {total - MAX_BLOCKS}"
    assert block_texts(console)[-1] == f"line {total - 1}"


def test_the_output_cap_notice_shows_once_after_the_last_kept_line(qtbot) -> None:
    console = make_console(qtbot)
    rec = Recording(max_output_lines=5_000)
    rec.add_messages([hello()])
    for lo in range(0, 12_000, 3_000):
        rec.add_messages(printed(lo, lo + 3_000))
        follow_all(console, rec)
    texts = [e.text for e in console.entries()]
    notices = [n for n, text in enumerate(texts) if "lines of output" in text]
    assert len(notices) == 1, "the notice appears once"
    assert texts[: notices[0]] == [f"line {k}" for k in range(5_000)]
    assert "more than 5,000 lines of output; further output is not kept" in texts[notices[0]]
    assert block_texts(console)[-1] == texts[-1]
    assert rec.dropped == {"output lines": 7_000}


def test_kept_lines_cost_the_garbage_collector_nothing(qtbot) -> None:
    """A full collection walks every object it tracks: a million kept lines made one take
    0.4-3.7 s in a 100 MB print flood, with the window frozen meanwhile."""
    console = make_console(qtbot)
    rec = Recording()
    rec.add_messages([hello()])
    follow_all(console, rec)
    gc.collect()
    before = len(gc.get_objects())
    rec.add_messages(printed(0, 50_000))
    follow_all(console, rec)
    gc.collect()
    assert console.line_count() == 50_000
    assert len(gc.get_objects()) - before < 1_000, "lines kept as untracked tuples and dicts"
