"""Saving and opening a big recording in the background: the window keeps ticking, nothing is lost.

A 16 ms QTimer stands for the window's animation: the longest gap between its
ticks while a save or an open runs is printed (``-s`` shows it) and only held to a
generous 1 s, since the machine is shared. Timings belong in ``bench/bench_files.py``.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from loopviz.model import Recording, load, save
from loopviz.protocol import Message
from loopviz.ui.file_progress import FileJobs
from loopviz.ui.lecture.files import start_opening, start_saving
from loopviz.ui.main_window import MainWindow
from tests.ui.live import qloop, run, until  # noqa: F401 - qloop is a fixture

pytestmark = pytest.mark.slow

LINES = 300_000
T0 = 10**12


@pytest.fixture(scope="module")
def flood() -> Recording:
    """A print flood of 300,000 lines of 99 characters (30 MB of output), built directly."""
    rec = Recording()
    rec.add_messages([{"k": Message.HELLO, "t": T0, "schema": 1, "stall_ms": 100}])
    line = "x" * 99
    for lo in range(0, LINES, 50_000):
        rec.add_messages(
            {"k": Message.OUTPUT, "t": T0 + k * 1_000, "stream": "stdout", "text": line, "task": 0}
            for k in range(lo, lo + 50_000)
        )
    return rec


class Ticker:
    """A 16 ms timer on the GUI thread that remembers the gaps between its ticks."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.gaps: list[tuple[float, float]] = []
        """(begin, end) of each gap, perf_counter seconds."""
        self.timer = QTimer()
        self.timer.setInterval(16)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((self.last, now))
        self.last = now

    @property
    def max_gap(self) -> float:
        return self.longest_before(float("inf"))

    def longest_before(self, moment: float) -> float:
        """The longest gap counted up to ``moment`` (a gap running over it is cut there)."""
        return max(
            (min(end, moment) - begin for begin, end in self.gaps if begin < moment), default=0.0
        )

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.max_gap


def progress_caption(window: MainWindow) -> str:
    jobs = window.findChild(FileJobs, "FileJobs")
    return jobs.widget.caption.text() if jobs is not None and jobs.widget.isVisible() else ""


async def rest(window: MainWindow) -> None:
    """Stop the console's backfill of the flood and let its pending 0 ms timers fire.

    ``ConsoleView._insert`` schedules ``QTimer.singleShot(0, self._pin_to_end)`` with no
    context object: if the window is deleted first (the fixture's teardown), it fires on a
    dead widget. Reported; until then a test that shows a flood ends with this.
    """
    window.console.clear()
    await asyncio.sleep(0.1)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_saving_a_big_recording_keeps_the_window_ticking_and_the_file_reopens_equal(
    window: MainWindow,
    qloop,  # noqa: F811
    flood: Recording,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.live.show_recording(flood, "flood.lvz")
    target = tmp_path / "flood.lvz"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a: (str(target), "loopviz recordings (*.lvz)")
    )

    async def scenario() -> tuple[float, list[str]]:
        await asyncio.sleep(0.2)
        ticker = Ticker()
        captions: list[str] = []
        window.app_actions.save_recording.trigger()
        captions.append(progress_caption(window))
        await until(lambda: "Saved the recording" in window.status_text.text(), timeout=60)
        gap = ticker.stop()
        await rest(window)
        return gap, captions

    gap, captions = run(qloop, scenario())
    print(f"\nsave of {LINES} lines: longest GUI gap {gap * 1000:.0f} ms")
    assert captions[0].startswith("Saving flood.lvz… "), captions
    assert captions[0].endswith(" %")
    assert gap < 1.0
    reopened = load(target)
    assert reopened.event_count == flood.event_count
    assert len(reopened.messages()) == len(flood.messages()) == LINES + 1
    assert leftovers(tmp_path) == []


def test_a_failing_save_says_so_and_leaves_no_temporary_file(
    window: MainWindow,
    qloop,  # noqa: F811
    flood: Recording,
    tmp_path: Path,
) -> None:
    window.live.show_recording(flood, "flood.lvz")
    taken = tmp_path / "taken.lvz"
    taken.mkdir()  # a folder where the file should go: the rename at the end fails

    async def scenario() -> None:
        job = start_saving(window, taken)
        assert job is not None
        await until(job.done, timeout=60)
        await until(lambda: window.findChildren(QMessageBox, "RecordingFileMessage"))
        await rest(window)

    run(qloop, scenario())
    boxes = window.findChildren(QMessageBox, "RecordingFileMessage")
    assert boxes[0].text() == "taken.lvz was not saved."
    assert boxes[0].informativeText()
    assert leftovers(tmp_path) == []
    assert taken.is_dir() and not any(taken.iterdir())


def test_closing_the_window_during_a_save_waits_for_the_complete_file(
    window: MainWindow,
    qloop,  # noqa: F811
    flood: Recording,
    tmp_path: Path,
) -> None:
    target = tmp_path / "prepared.lvz"
    small = Recording()
    small.add_messages([{"k": Message.HELLO, "t": T0, "schema": 1, "stall_ms": 100}])
    save(small, target)
    window.live.show_recording(flood, "flood.lvz")

    async def scenario() -> bool:
        await rest(window)
        job = start_saving(window, target)
        assert job is not None and not job.done(), "big enough to outlast the first 100 ms"
        window.close()
        still_open = window.isVisible()
        assert "the window closes once it is written" in window.status_text.text()
        await until(lambda: not window.isVisible(), timeout=60)
        return still_open

    quits = QApplication.quitOnLastWindowClosed()
    QApplication.setQuitOnLastWindowClosed(False)  # else the loop stops under the test
    try:
        put_off = run(qloop, scenario())
    finally:
        QApplication.setQuitOnLastWindowClosed(quits)
    assert put_off, "the close was put off while the file was written"
    assert len(load(target).messages()) == LINES + 1, "the complete new file, not half of it"
    assert leftovers(tmp_path) == []


def test_opening_a_big_recording_in_the_background_then_cancelling_another(
    window: MainWindow,
    qloop,  # noqa: F811
    flood: Recording,
    tmp_path: Path,
) -> None:
    path = tmp_path / "flood.lvz"
    save(flood, path)

    async def opened() -> tuple[float, float, str]:
        await asyncio.sleep(0.2)
        ticker = Ticker()
        job = start_opening(window, path)
        assert job is not None
        caption = progress_caption(window)
        await until(lambda: window.live.recording is not None, timeout=60)
        showing = ticker.stop()
        assert job.ended_at is not None
        return ticker.longest_before(job.ended_at), showing, caption

    loading, showing, caption = run(qloop, opened())
    print(
        f"\nopen of {LINES} lines: longest GUI gap {loading * 1000:.0f} ms while loading, "
        f"{showing * 1000:.0f} ms with showing it"
    )
    assert loading < 1.0
    assert caption.startswith("Opening flood.lvz… ")
    shown = window.live.recording
    assert shown is not None and shown is not flood
    assert len(shown.messages()) == LINES + 1
    assert "flood.lvz" in window.status_scenario.text()

    async def cancelled() -> None:
        job = start_opening(window, path)
        assert job is not None and not job.done()
        jobs = window.findChild(FileJobs, "FileJobs")
        assert jobs.widget.cancel.isVisible()
        jobs.widget.cancel.click()
        await until(lambda: "cancelled" in window.status_text.text(), timeout=60)
        await rest(window)

    run(qloop, cancelled())
    assert window.live.recording is shown, "a cancelled open changes nothing shown"
