"""What recording costs: 20,000 tasks x 20 ``await asyncio.sleep(0)``.

Three loops run the same load:

* ``plain``    asyncio's own selector loop;
* ``recorded`` TracingEventLoop recording everything, with a thread taking the
  records every 20 ms and encoding them as wire frames (what the runner's
  flusher does) and the stall watchdog polling;
* ``debug``    asyncio's debug mode on a plain loop, for scale.

Each round runs the modes back to back and divides by that round's plain time,
so the ratios are measured within one round (the machine's load drifts between
rounds); the table shows medians over the rounds.

    python bench/bench_overhead.py [--rounds 5] [--tasks 20000] [--steps 20] [--no-debug]

Target: recorded <= 1.5 x plain.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import threading
import time

from loopviz.tracer import Recorder, TracingEventLoop, Watchdog


async def worker(steps: int) -> None:
    for _ in range(steps):
        await asyncio.sleep(0)


async def load(tasks: int, steps: int) -> None:
    await asyncio.gather(*(worker(steps) for _ in range(tasks)))


def run_plain(tasks: int, steps: int, debug: bool = False) -> float:
    loop = asyncio.new_event_loop()
    loop.set_debug(debug)
    if debug:
        loop.slow_callback_duration = 1e9  # time the checks, not the logging of warnings
    try:
        t0 = time.perf_counter()
        loop.run_until_complete(load(tasks, steps))
        return time.perf_counter() - t0
    finally:
        loop.close()


def run_recorded(tasks: int, steps: int) -> tuple[float, int]:
    recorder = Recorder()
    loop = TracingEventLoop(recorder=recorder)
    watchdog = Watchdog(recorder, stall_ms=100)
    watchdog.start()
    stop = threading.Event()
    sent = [0]

    def flusher() -> None:
        while not stop.wait(0.020):
            sent[0] += len(recorder.frames())
        sent[0] += len(recorder.frames())

    thread = threading.Thread(target=flusher, daemon=True)
    thread.start()
    try:
        t0 = time.perf_counter()
        loop.run_until_complete(load(tasks, steps))
        elapsed = time.perf_counter() - t0
    finally:
        loop.close()
        stop.set()
        thread.join()
        watchdog.stop()
    return elapsed, sent[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--no-debug", action="store_true", help="skip the (slow) debug-mode runs")
    args = parser.parse_args(argv)

    rows: dict[str, list[float]] = {"plain": [], "recorded": [], "debug": []}
    ratios: dict[str, list[float]] = {"recorded": [], "debug": []}
    wire = 0
    for _ in range(args.rounds):
        gc.collect()
        plain = run_plain(args.tasks, args.steps)
        gc.collect()
        recorded, wire = run_recorded(args.tasks, args.steps)
        rows["plain"].append(plain)
        rows["recorded"].append(recorded)
        ratios["recorded"].append(recorded / plain)
        if not args.no_debug:
            gc.collect()
            debug = run_plain(args.tasks, args.steps, debug=True)
            rows["debug"].append(debug)
            ratios["debug"].append(debug / plain)

    steps = args.tasks * args.steps
    print(
        f"Python {sys.version.split()[0]}: {args.tasks} tasks x {args.steps} sleep(0), "
        f"{args.rounds} rounds, medians"
    )
    print(f"{'mode':<10} {'seconds':>8} {'us/step':>8} {'x plain':>8}")
    for mode, times in rows.items():
        if not times:
            continue
        median = statistics.median(times)
        ratio = statistics.median(ratios[mode]) if mode in ratios else 1.0
        print(f"{mode:<10} {median:8.3f} {median / steps * 1e6:8.2f} {ratio:8.2f}")
    print(f"wire bytes (recorded, last round): {wire:,} ({wire / steps:.0f} per step)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
