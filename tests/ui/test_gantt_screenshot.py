"""The "create_task" lesson as a lecturer would project it, in light and dark.

Saves the pictures (to ``$LOOPVIZ_SCREENSHOT_DIR`` if set, else pytest's tmp dir)
and checks what the class must be able to see in them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from loopviz.ui.gantt import GanttView, SliceState, palette_for
from loopviz.ui.gantt.demo import LOOP, MAIN, create_task_lesson, feed, feed_live

S = SliceState


def shoot(qtbot, dark: bool, live: float | None = None) -> tuple[GanttView, QImage]:
    view = GanttView(palette=palette_for(dark))
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    qtbot.waitExposed(view)
    lesson = create_task_lesson()
    if live is None:
        feed(view, lesson)
    else:
        feed_live(view, lesson, live)
    view.set_following(False)
    view.setXRange(-0.05, 2.15, padding=0)
    return view, view.grab().toImage()


def out_dir(tmp_path: Path) -> Path:
    return Path(os.environ.get("LOOPVIZ_SCREENSHOT_DIR") or tmp_path)


def ink(image: QImage, x0: int, x1: int, y0: int, y1: int, bg: str) -> int:
    """How many pixels in the box differ from the background colour."""
    return sum(
        image.pixelColor(x, y).name() != bg for x in range(x0, x1, 2) for y in range(y0, y1, 2)
    )


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_create_task_lesson_is_legible(qtbot, tmp_path, dark):
    view, image = shoot(qtbot, dark)
    pal = view.gantt_palette
    assert image.save(str(out_dir(tmp_path) / f"gantt_demo_{'dark' if dark else 'light'}.png"))
    assert view.lane_labels()[:2] == ["event loop", "main"]
    # The five requests wait side by side during main's sleep(2): one second each.
    for lane in range(2, 7):
        p = view.data_to_pixel(0.5, lane)
        assert image.pixelColor(p).name() == pal.state(S.WAITING)
    # The blocking step is red and the requests behind it wait in the ready queue
    # (sampled above the bars' labels).
    assert image.pixelColor(view.data_to_pixel(1.15, 4 - 0.3)).name() == pal.state(S.BLOCKING)
    assert image.pixelColor(view.data_to_pixel(1.15, 5 - 0.3)).name() == pal.state(S.READY)
    # The loop lane shows it idling in select() before the timers fire.
    assert image.pixelColor(view.data_to_pixel(0.8, LOOP)).name() == pal.state(S.IDLE)
    # Wide bars carry their label ("await asyncio.sleep(2.0)") in the text colour.
    left = view.data_to_pixel(0.02, MAIN)
    label = view.data_to_pixel(0.3, MAIN)
    text = pal.state_text[S.WAITING]
    assert any(
        image.pixelColor(x, y).name() == text
        for x in range(left.x(), label.x())
        for y in range(label.y() - 6, label.y() + 6)
    )
    # The legend above the chart is drawn.
    top = view.data_to_pixel(0, LOOP).y() - 40
    assert ink(image, 0, 1200, 0, max(top, 20), pal.background) > 200


def test_live_run_is_drawn_up_to_now(qtbot, tmp_path):
    view, image = shoot(qtbot, dark=False, live=1.2)
    pal = view.gantt_palette
    assert image.save(str(out_dir(tmp_path) / "gantt_demo_live.png"))
    # Open slices reach "now": the blocking step and main's sleep are drawn to 1.19 s.
    assert image.pixelColor(view.data_to_pixel(1.18, 4)).name() == pal.state(S.BLOCKING)
    assert image.pixelColor(view.data_to_pixel(1.18, MAIN)).name() == pal.state(S.WAITING)
    assert image.pixelColor(view.data_to_pixel(1.3, MAIN)).name() != pal.state(S.WAITING)
    # The live stall band runs up to now and no further.
    band = image.pixelColor(view.data_to_pixel(1.1, 9))
    after = image.pixelColor(view.data_to_pixel(1.3, 9))
    assert band.red() > band.green() + 30 and after.name() == pal.background
