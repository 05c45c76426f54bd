"""Replacing a run hands freed heap pages back to the system (the 50-run soak, issue #8)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from loopviz.ui import memory_trim
from loopviz.ui.memory_trim import trim_now, trim_soon

glibc_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or memory_trim._TRIM is None,
    reason="malloc_trim is glibc's",
)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@glibc_only
def test_trim_returns_pages_freed_between_live_allocations() -> None:
    """What an old run leaves: 80 MB freed in small pieces, a few survivors pinning the heap.

    glibc keeps such holes resident; after the trim resident memory drops by most of them.
    """
    blocks = [bytearray(1500) for _ in range(55_000)]  # malloc'd, not pymalloc's arenas
    survivors = blocks[::64]
    del blocks
    before = rss_mb()
    assert trim_now()
    after = rss_mb()
    assert before - after > 40, f"{before:.0f} MB -> {after:.0f} MB"
    assert len(survivors) > 800  # still alive, still readable
    assert all(len(b) == 1500 for b in survivors)


def test_trim_soon_runs_once_for_many_calls(qtbot) -> None:
    """Every pane that drops the old run may ask; the trim still happens once, later."""
    trims: list[bool] = []
    trim_soon(delay_ms=20)
    timer = memory_trim._pending
    assert timer is not None
    timer.timeout.connect(lambda: trims.append(True))
    for _ in range(5):
        trim_soon(delay_ms=20)
    assert memory_trim._pending is timer
    qtbot.waitUntil(lambda: not timer.isActive(), timeout=2000)
    qtbot.wait(50)
    assert trims == [True]
    timer.timeout.disconnect()
    timer.timeout.connect(trim_now)


def test_trim_drops_pictures_cached_for_widgets_long_gone(qapp) -> None:
    """The style caches a picture of every new spin box; a trim empties that cache."""
    from PySide6.QtGui import QPixmap, QPixmapCache

    key = QPixmapCache.insert(QPixmap(64, 64))
    assert QPixmapCache.find(key) is not None
    trim_now()
    assert QPixmapCache.find(key) is None


def test_showing_another_recording_schedules_the_trim(window) -> None:
    """The window drops the old run when it shows another: that is when the trim is due."""
    from loopviz.model import Recording

    if memory_trim._pending is not None:
        memory_trim._pending.stop()
    window.live.show_recording(Recording(), "empty.lvz")
    timer = memory_trim._pending
    assert timer is not None and timer.isActive()
