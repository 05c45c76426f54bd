"""Opening a recorded print flood: the console shows its end at once and the window ticks.

Issue #8: putting an opened 1 M-line recording into the panes froze the window 3-4 s,
nearly all in the console building and classifying every line before showing any.
Now it shows the newest lines first and keeps the earlier ones a slice per timer turn.
A 16 ms QTimer stands for the window's animation; the longest gap between its ticks
is printed (``-s``) and only held to a generous 1 s (the machine is shared; timings
belong in ``bench/bench_files.py``).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from loopviz import record
from loopviz.model import Recording, save
from loopviz.ui.console_view import INDEX_SLICE, MAX_BLOCKS
from loopviz.ui.lecture.files import start_opening
from loopviz.ui.main_window import MainWindow
from tests.ui.live import qloop, run, until  # noqa: F401 - qloop is a fixture
from tests.ui.test_file_jobs import Ticker

pytestmark = pytest.mark.slow

FLOOD = Path(__file__).resolve().parents[1] / "hostile" / "print_flood.py"
MB = 15
LINES = MB * 10_000
"""print_flood.py prints 100-byte lines: 10,000 a megabyte, then "flood done"."""
LINE = "x" * 99


@pytest.fixture(scope="module")
def flood_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real run of the print flood (15 MB: several of the console's slices), saved."""
    before = os.environ.get("LOOPVIZ_FLOOD_MB")
    os.environ["LOOPVIZ_FLOOD_MB"] = str(MB)
    try:
        rec = record(FLOOD, timeout=120)
    finally:
        if before is None:
            del os.environ["LOOPVIZ_FLOOD_MB"]
        else:
            os.environ["LOOPVIZ_FLOOD_MB"] = before
    assert len(rec.output()) == LINES + 1
    path = tmp_path_factory.mktemp("flood") / "flood.lvz"
    save(rec, path)
    return path


def test_an_opened_flood_shows_its_last_line_at_once_and_keeps_every_line(
    window: MainWindow,
    qloop,  # noqa: F811
    flood_file: Path,
) -> None:
    assert LINES > MAX_BLOCKS + 2 * INDEX_SLICE, "big enough to be kept over several turns"
    console = window.console

    async def opened() -> tuple[float, list[str]]:
        await asyncio.sleep(0.2)
        ticker = Ticker()
        job = start_opening(window, flood_file)
        assert job is not None
        rec: Recording = await until(lambda: window.live.recording, timeout=60)
        first_shown = [e.text for e in console.shown_entries()[-2:]]
        await until(lambda: not console.indexing(), timeout=60)
        await asyncio.sleep(0.2)  # the backfill of the shown lines
        gap = ticker.stop()
        assert rec is window.live.recording
        return gap, first_shown

    gap, first_shown = run(qloop, opened())
    print(f"\nopening a {LINES:,}-line flood: longest GUI gap {gap * 1000:.0f} ms")
    assert first_shown[0] == "flood done", "the newest lines show as soon as it is opened"
    assert first_shown[1].startswith("— main() returned after")
    assert gap < 1.0

    entries = console.entries()
    assert len(entries) == LINES + 2, "every printed line, 'flood done' and the closing line"
    assert all(e.text == LINE and e.kind == "stdout" for e in entries[:LINES])
    times = [e.t for e in entries]
    assert times == sorted(times), "in the order they were printed"
    bar = console.verticalScrollBar()
    assert bar.value() == bar.maximum(), "the console stays at its end"
    last = console.document().lastBlock()
    assert last.text().startswith("— main() returned after")
    assert last.previous().text() == "flood done"

    # The earliest lines are reachable: the cursor at the first line's moment shows it.
    window.console.show_until(entries[0].t)
    shown = console.shown_entries()
    assert shown and shown[0].t == entries[0].t and shown[-1].t <= entries[0].t
    assert console.document().firstBlock().text() == LINE
    console.show_until(None)
    assert console.document().lastBlock().text().startswith("— main() returned after")

    async def rest() -> None:
        console.clear()  # stop the backfill's timers before the window goes
        await asyncio.sleep(0.1)

    run(qloop, rest())


def test_a_traceback_among_the_flood_keeps_its_colour_across_a_slice_edge(qtbot) -> None:
    """Lines are classified per slice; the lines before a slice are read again, so a
    traceback cut by a slice's edge is still red below it."""
    from loopviz.protocol import Message
    from loopviz.ui.console_view import ConsoleView

    console = ConsoleView()
    qtbot.addWidget(console)
    t0 = 10**12
    rec = Recording()
    rec.add_messages([{"k": Message.HELLO, "t": t0, "schema": 1, "stall_ms": 100}])
    total = MAX_BLOCKS + INDEX_SLICE * 3
    edge = total - MAX_BLOCKS - INDEX_SLICE  # the first line of the second slice kept
    texts = [f"line {k}" for k in range(total)]
    texts[edge - 2 : edge + 2] = [
        "Traceback (most recent call last):",
        '  File "scenario.py", line 7, in main',
        "    boom()",
        "ValueError: boom",
    ]
    rec.add_messages(
        {
            "k": Message.OUTPUT,
            "t": t0 + k,
            "stream": "stderr" if k > edge - 3 else "stdout",
            "text": text,
            "task": 0,
        }
        for k, text in enumerate(texts)
    )
    console.clear()
    console.follow(rec, rec.state_at(rec.duration))
    qtbot.waitUntil(lambda: not console.indexing(), timeout=20_000)
    kinds = [e.kind for e in console.entries()[edge - 3 : edge + 3]]
    assert kinds == ["stdout", "traceback", "traceback", "traceback", "exception", "stderr"]
    assert [e.text for e in console.entries()[:3]] == ["line 0", "line 1", "line 2"]
    assert console.line_count() == total
    console.clear()
