"""Frame times of the Gantt chart at a million slices, offscreen, 1600x900.

    QT_QPA_PLATFORM=offscreen python bench/bench_gantt.py [--slices N] [--lanes L]

Measures, as medians over several frames:
- appending in batches of 10,000 (first batches vs last: should not grow with total);
- panning and zooming while zoomed in (target <= 16 ms per frame);
- the full view, cold (raster cache off: every frame computed) and warm (target <= 50 ms);
- the same frames through ``QGraphicsView.render`` into a QImage (what export does).

A frame is ``setXRange`` + ``widget.grab()``: the view changes and the whole widget is
painted, axes and legend included.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from loopviz.ui.gantt import GanttView, SliceState

WIDTH, HEIGHT = 1600, 900
BATCH = 10_000


def synthetic_run(n: int, lanes: int, seconds: float, seed: int = 1):
    """``n`` slices over ``lanes`` lanes: each lane cycles ready -> running -> waiting."""
    rng = np.random.default_rng(seed)
    per_lane = n // lanes
    cycle = np.array([SliceState.READY, SliceState.RUNNING, SliceState.WAITING], np.uint8)
    mean = np.array([0.2, 1.0, 1.8])  # relative durations of the three states
    lane_col, start_col, end_col, state_col = [], [], [], []
    for lane in range(lanes):
        state = cycle[np.arange(per_lane) % 3]
        dur = rng.exponential(mean[np.arange(per_lane) % 3])
        dur *= seconds / dur.sum()
        end = np.cumsum(dur)
        lane_col.append(np.full(per_lane, lane, np.int32))
        start_col.append(end - dur)
        end_col.append(end)
        state_col.append(state)
    lane, start, end, state = (np.concatenate(c) for c in (lane_col, start_col, end_col, state_col))
    order = np.argsort(end, kind="stable")  # finished slices arrive in end order
    detail = np.arange(len(order), dtype=np.int64)
    return lane[order], start[order], end[order], state[order], detail


def ms(seconds: float) -> float:
    return seconds * 1e3


def feed(view: GanttView, cols) -> tuple[float, float]:
    """Append in batches; median ms of the first and the last ten batches."""
    times = []
    n = len(cols[0])
    for i in range(0, n, BATCH):
        t0 = time.perf_counter()
        view.add_slices(*(c[i : i + BATCH] for c in cols))
        times.append(time.perf_counter() - t0)
    return ms(statistics.median(times[:10])), ms(statistics.median(times[-10:]))


def frame_grab(view: GanttView, app: QApplication, x0: float, x1: float) -> float:
    t0 = time.perf_counter()
    view.setXRange(x0, x1, padding=0)
    view.grab()
    return time.perf_counter() - t0


def frame_render(view: GanttView, image: QImage, x0: float, x1: float) -> float:
    t0 = time.perf_counter()
    view.setXRange(x0, x1, padding=0)
    painter = QPainter(image)
    view.render(painter, QRectF(0, 0, WIDTH, HEIGHT), view.viewport().rect())
    painter.end()
    return time.perf_counter() - t0


def run(args: argparse.Namespace) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    view = GanttView()
    view.resize(WIDTH, HEIGHT)
    view.show()
    app.processEvents()
    cols = synthetic_run(args.slices, args.lanes, args.seconds)
    view.set_lanes([(i, f"Task-{i}" if i else "event loop", 0) for i in range(args.lanes)])
    first, last = feed(view, cols)
    view.set_following(False)
    app.processEvents()
    print(f"slices {len(view.data):,} in {args.lanes} lanes over {args.seconds:g} s")
    print(f"append {BATCH:,}/batch: first 10 batches {first:.2f} ms, last 10 {last:.2f} ms")

    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    mid, span, frames = args.seconds / 2, args.zoom, args.frames
    report = []

    def measure(name: str, fn, ranges) -> None:
        fn(*ranges[0])  # warm-up (layout, fonts)
        times = [fn(a, b) for a, b in ranges]
        report.append((name, ms(statistics.median(times)), ms(max(times)), view.item.stats))

    pans = [(mid + k * 0.05 * span, mid + k * 0.05 * span + span) for k in range(frames)]
    zooms = [(mid - span * 0.9**k / 2, mid + span * 0.9**k / 2) for k in range(frames)]
    full = [(-0.01 * args.seconds, 1.01 * args.seconds)] * frames
    for label, fn in (
        ("grab", lambda a, b: frame_grab(view, app, a, b)),
        ("render", lambda a, b: frame_render(view, image, a, b)),
    ):
        measure(f"{label}: pan, zoomed in ({span:g} s)", fn, pans)
        measure(f"{label}: zoom in steps", fn, zooms)
        view.item.raster_enabled = False
        measure(f"{label}: full view, cold (no raster cache)", fn, full)
        view.item.raster_enabled = True
        view.item._cache_key = None
        measure(f"{label}: full view, warm (raster cache)", fn, full)
    for name, med, worst, stats in report:
        print(
            f"{name:48s} median {med:6.1f} ms  max {worst:6.1f} ms"
            f"  (in range {stats.candidates:,}, on rows {stats.visible:,}, rects {stats.rects:,})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slices", type=int, default=1_000_000)
    parser.add_argument("--lanes", type=int, default=32, help="32 fit 900 px: all visible")
    parser.add_argument("--seconds", type=float, default=100.0)
    parser.add_argument("--zoom", type=float, default=0.5, help="zoomed-in span, seconds")
    parser.add_argument("--frames", type=int, default=15)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
