"""Benchmark of lecture stepping: building the StepIndex, stepping, captions.

Run:  python bench/bench_steps.py [--events 1000000] [--runs 5] [--instants 500]

The recording is the simulated mixed workload of bench_model.py (200 workers
sleeping, yielding, a queue, a 1 ms ticker, prints, a few blocking calls).
Figures are medians. Targets (lecture mode's brief): StepIndex.of on 1M events
<= 0.5 s, each next/prev <= 1 ms, caption_at <= 5 ms. Building is also
reported against the time to ingest the same stream, measured in this run,
so the ratio carries over to a faster or slower machine.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_model import build, feed_all

from loopviz.model.captions import caption_at
from loopviz.model.steps import StepIndex


def median_of(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def per_call(fn: Callable[[float], object], instants: list[float]) -> tuple[float, float]:
    """Median and 99th-percentile seconds per call over ``instants`` (the maximum on a shared
    machine is the scheduler's, not the code's)."""
    times = []
    for t in instants:
        t0 = time.perf_counter()
        fn(t)
        times.append(time.perf_counter() - t0)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--instants", type=int, default=500)
    args = ap.parse_args()

    frames, n_events = build(args.events, seed=1)
    ingest = median_of(lambda: feed_all(frames), max(1, args.runs // 2))
    rec = feed_all(frames)
    print(f"events: {n_events:,}  duration: {rec.duration:.2f} s  ingest: {ingest:.3f} s")

    build_s = median_of(lambda: StepIndex(rec), args.runs)
    steps = StepIndex.of(rec)
    print(
        f"StepIndex build: {build_s * 1e3:.1f} ms ({len(steps):,} runs, "
        f"{len(steps.iteration_starts()):,} iterations) = {build_s / ingest:.2f}x ingest"
        f"  target <= 500 ms: {'ok' if build_s <= 0.5 else 'MISSED'}"
    )
    fresh = [StepIndex(rec) for _ in range(args.runs)]
    notables_s = statistics.median(
        [median_of(lambda index=index: index.next_notable(0.0), 1) for index in fresh]
    )
    print(
        f"notables gathered on the first Ctrl+arrow: {notables_s * 1e3:.1f} ms "
        f"({len(steps.notables()):,} instants)"
    )

    rng = random.Random(2)
    instants = [rng.uniform(0, rec.duration) for _ in range(args.instants)]
    worst_step = 0.0
    for name in (
        "next_run",
        "prev_run",
        "next_iteration",
        "prev_iteration",
        "next_notable",
        "prev_notable",
        "index_at",
    ):
        med, worst = per_call(getattr(steps, name), instants)
        worst_step = max(worst_step, med)
        print(f"  {name:15s} median {med * 1e6:7.1f} µs  p99 {worst * 1e6:8.1f} µs")
    print(f"stepping target <= 1 ms (median): {'ok' if worst_step <= 1e-3 else 'MISSED'}")

    on_runs = [float(steps.begins[rng.randrange(len(steps))]) for _ in range(args.instants)]
    med, worst = per_call(lambda t: caption_at(rec, t, steps), on_runs)
    print(f"caption_at on a run: median {med * 1e3:.2f} ms  p99 {worst * 1e3:.2f} ms")
    med2, worst2 = per_call(lambda t: caption_at(rec, t, steps), instants)
    print(f"caption_at anywhere: median {med2 * 1e3:.2f} ms  p99 {worst2 * 1e3:.2f} ms")
    print(f"caption target <= 5 ms (median): {'ok' if max(med, med2) <= 5e-3 else 'MISSED'}")
    print("sample:", caption_at(rec, on_runs[0], steps))


if __name__ == "__main__":
    main()
