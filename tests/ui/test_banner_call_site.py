"""At a CPU stall the window names the coroutine's call — the line to fix — and the line inside.

Lesson 11 (``11_sleep_zero_yield_point.py``) runs for real: ``crunch(CHUNK_SIZE)`` in
``worker_without_yield`` holds the loop inside ``crunch``'s ``for`` loop. The banner,
the bar and the source pane must point at ``crunch(CHUNK_SIZE)``, not at the loop.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loopviz.catalog import bundled_scenarios_dir
from loopviz.model import Recording, State, save
from loopviz.ui.lecture.files import open_recording
from loopviz.ui.main_window import MainWindow
from loopviz.ui.stall_banner import StallBanner

LESSON = bundled_scenarios_dir() / "11_sleep_zero_yield_point.py"


def line_of(needle: str) -> int:
    return next(n for n, text in enumerate(LESSON.read_text().splitlines(), 1) if needle in text)


@pytest.fixture(scope="module")
def lesson_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from loopviz.api import record

    # Long chunks: the watchdog's first look (at 0.1 s) lands in crunch, not in a print.
    rec: Recording = record(LESSON, params={"CHUNKS": 2, "CHUNK_SIZE": 3_000_000})
    assert rec.stalls()
    path = tmp_path_factory.mktemp("h15") / "yield.lvz"
    save(rec, path)
    return path


def test_the_window_at_a_cpu_stall_points_at_the_coroutines_call(
    window: MainWindow, lesson_file: Path, tmp_path: Path, qtbot
):
    assert open_recording(window, lesson_file)
    rec = window.live.recording
    first = rec.stalls()[0]
    window.time_cursor.set((first.begin + first.end) / 2)
    banner: StallBanner = window.stall_banner
    qtbot.waitUntil(lambda: banner.is_showing and window.source.code.markers.stall is not None)
    call, loop = line_of("crunch(CHUNK_SIZE)  # no await"), line_of("total += n * n")
    name = LESSON.name
    assert f"crunch(...) in worker_without_yield() at {name}:{call}" in banner.text()
    assert banner.source_text().startswith("crunch(CHUNK_SIZE)")
    assert banner.inner_text() == f"inside crunch() at {name}:{loop}"
    assert window.source.code.markers.stall.line == call - 1  # 0-based: the call's line
    bar = next(s for t in rec.tasks() for s in rec.slices(t.id) if s.state == State.BLOCKING)
    label = window.gantt.chart.item.label_text(int(State.BLOCKING), bar.ref)
    assert label.split("\n")[:2] == [
        f"blocked at {name}:{call} crunch(...)",
        f"inside crunch() at {name}:{loop}",
    ]
    assert window.grab().save(str(tmp_path / "cpu_stall.png"))
