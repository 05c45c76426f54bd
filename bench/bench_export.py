"""Benchmark of timeline export: a 1,000,000-slice recording to PNG, SVG and PDF.

Run:  QT_QPA_PLATFORM=offscreen python bench/bench_export.py [--slices 1000000] [--runs 5]

The recording is the model's simulated mixed workload (``loopviz.model.synthetic``):
200 workers sleeping, yielding, passing items through a queue, a 1 ms ticker and
a few blocking calls, ingested into a real :class:`~loopviz.model.Recording`.
Each figure is the median of ``--runs`` complete exports (build the chart from
the recording, lay it out, render, write the file), measured in this process
against a baseline of the same export of a small recording, so the ratio says
what the million slices cost. Targets (issue #7): a 3840×2160 PNG ≤ 3 s, the
visible range as SVG ≤ 2 s. "Visible range" is what the window shows when it is
zoomed to read single steps: a 1 s window in the middle of the run (at the app's
default zoom the bars would be merged into pixel runs anyway).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from loopviz.export import TimelineOptions, export_timeline
from loopviz.model import Recording
from loopviz.model.synthetic import mixed_workload


def simulate(tasks: int, rounds: int) -> Recording:
    writer = mixed_workload(tasks=tasks, rounds=rounds, seed=1, stall_every=400)
    rec = Recording()
    rec.feed(writer.data())
    return rec


def build(slices: int, tasks: int) -> Recording:
    """A recording of about ``slices`` slices (a short probe run measures slices per round)."""
    probe_rounds = 40
    per_round = count_slices(simulate(tasks, probe_rounds)) / probe_rounds
    return simulate(tasks, max(1, round(slices / per_round)))


def count_slices(rec: Recording) -> int:
    return sum(len(c) for c in rec.slice_arrays().columns.values())


def median_export(rec: Recording, path: Path, options: TimelineOptions, runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        export_timeline(rec, path, options)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--slices", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--tasks",
        default="200,20",
        help="worker counts to try: 200 gives more lanes than a picture holds (~35 are "
        "drawn), 20 puts every lane, so every slice, in the picture",
    )
    args = ap.parse_args()
    _app = QApplication.instance() or QApplication([])
    print(f"python {sys.version.split()[0]}, Qt platform {QApplication.platformName()}")
    for tasks in (int(t) for t in args.tasks.split(",")):
        run_cases(args.slices, tasks, args.runs)


def run_cases(slices: int, tasks: int, runs: int) -> None:
    t0 = time.perf_counter()
    big = build(slices, tasks)
    small = build(10_000, tasks)
    n_big, n_small = count_slices(big), count_slices(small)
    print(
        f"\n{tasks} workers: recording of {n_big:,} slices, {len(big.tasks())} tasks, "
        f"{big.duration:.1f} s "
        f"(baseline {n_small:,} slices); built in {time.perf_counter() - t0:.1f} s"
    )
    mid = big.duration / 2
    cases = [
        ("PNG 3840x2160, whole run", "png", TimelineOptions(width=3840, height=2160), 3.0),
        ("SVG, visible 1 s window", "svg", TimelineOptions(start=mid - 0.5, end=mid + 0.5), 2.0),
        ("SVG, whole run", "svg", TimelineOptions(), None),
        ("PDF, visible 1 s window", "pdf", TimelineOptions(start=mid - 0.5, end=mid + 0.5), None),
        ("PNG 2x, whole run", "png", TimelineOptions(scale=2), None),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for label, ext, options, target in cases:
            path = Path(tmp) / f"out.{ext}"
            base_options = options
            if options.start is not None:
                half = small.duration / 20
                base_options = TimelineOptions(
                    start=small.duration / 2 - half, end=small.duration / 2 + half
                )
            base = median_export(small, path, base_options, runs)
            t = median_export(big, path, options, runs)
            size = path.stat().st_size / 1e6
            verdict = "" if target is None else (" ok" if t <= target else " OVER TARGET")
            goal = "" if target is None else f" (target <= {target:g} s){verdict}"
            print(
                f"{label:28s} median {t:.3f} s{goal}; baseline {base:.3f} s "
                f"(x{t / base:.1f}); file {size:.1f} MB"
            )


if __name__ == "__main__":
    main()
