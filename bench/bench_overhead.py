"""What recording costs: 20,000 tasks x 20 ``await asyncio.sleep(0)``.

Three loops run the same load:

* ``plain``    asyncio's own selector loop;
* ``recorded`` TracingEventLoop recording everything, with the runner's own
  flusher thread encoding the records as wire frames and writing them to
  ``/dev/null`` (the runner writes them to a pipe), and the stall watchdog;
* ``debug``    asyncio's debug mode on a plain loop, for scale.

Each round runs the modes back to back and divides by that round's plain time,
so the ratios are measured within one round (the machine's load drifts between
rounds); the table shows medians over the rounds. ``x plain`` is wall-clock time;
``cpu x`` is the process's CPU time (all threads), which a machine shared with
other work disturbs less — when the two disagree, the machine was busy.

    python bench/bench_overhead.py [--rounds 5] [--tasks 20000] [--steps 20] [--no-debug]

Target (issue #3): recorded <= 1.5 x plain. Not reached in pure Python; where the
time goes (py-spy, 3.11, CPU time of one step ≈ 3.4 µs recorded vs ≈ 1.3 µs plain):
the recording inside ``run_ready`` ≈ 1.0 µs (packing and appending the merged
ENQUEUE+RUN_END+RUN_BEGIN write ≈ 0.25, the serial FIFO ≈ 0.15, locating the user's
line ≈ 0.25, the rest ≈ 0.1 µs per dozen bytecodes of bookkeeping), the ready queue's
``append`` hook ≈ 0.2 µs, task creation and completion ≈ 0.2 µs per step (4 µs per
task), the flusher ≈ 0.1 µs. Every remaining piece is a few bytecodes that one of the
fields of the (fixed) wire format needs; going further means fewer Python operations
per event than the format has fields, i.e. a C accelerator, which issue #3 rules out.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import time

from loopviz.tracer import Recorder, TracingEventLoop, Watchdog
from loopviz.tracer.flusher import Flusher


async def worker(steps: int) -> None:
    for _ in range(steps):
        await asyncio.sleep(0)


async def load(tasks: int, steps: int) -> None:
    await asyncio.gather(*(worker(steps) for _ in range(tasks)))


def clocks() -> tuple[float, float]:
    """(wall, CPU of the whole process) now, in seconds."""
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    now = clocks()
    return now[0] - start[0], now[1] - start[1]


def run_plain(tasks: int, steps: int, debug: bool = False) -> tuple[float, float]:
    loop = asyncio.new_event_loop()
    loop.set_debug(debug)
    if debug:
        loop.slow_callback_duration = 1e9  # time the checks, not the logging of warnings
    try:
        t0 = clocks()
        loop.run_until_complete(load(tasks, steps))
        return since(t0)
    finally:
        loop.close()


class CountingFlusher(Flusher):
    """The runner's flusher, counting the bytes it sends."""

    sent = 0

    def _write_all(self, parts: list[bytes | memoryview]) -> None:
        self.sent += sum(memoryview(part).nbytes for part in parts)
        super()._write_all(parts)


def run_recorded(tasks: int, steps: int) -> tuple[tuple[float, float], int]:
    recorder = Recorder()
    loop = TracingEventLoop(recorder=recorder)
    watchdog = Watchdog(recorder, stall_ms=100)
    watchdog.start()
    fd = os.open(os.devnull, os.O_WRONLY)
    flusher = CountingFlusher(recorder, fd)
    flusher.start()
    try:
        t0 = clocks()
        loop.run_until_complete(load(tasks, steps))
        flusher.flush()  # what the run recorded has been encoded and sent: part of its cost
        elapsed = since(t0)
    finally:
        loop.close()
        flusher.stop()
        watchdog.stop()
        os.close(fd)
    return elapsed, flusher.sent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--no-debug", action="store_true", help="skip the (slow) debug-mode runs")
    args = parser.parse_args(argv)

    rows: dict[str, list[tuple[float, float]]] = {"plain": [], "recorded": [], "debug": []}
    wire = 0
    for _ in range(args.rounds):
        gc.collect()
        rows["plain"].append(run_plain(args.tasks, args.steps))
        gc.collect()
        recorded, wire = run_recorded(args.tasks, args.steps)
        rows["recorded"].append(recorded)
        if not args.no_debug:
            gc.collect()
            rows["debug"].append(run_plain(args.tasks, args.steps, debug=True))

    steps = args.tasks * args.steps
    print(
        f"Python {sys.version.split()[0]}: {args.tasks} tasks x {args.steps} sleep(0), "
        f"{args.rounds} rounds, medians"
    )
    print(f"{'mode':<10} {'seconds':>8} {'us/step':>8} {'x plain':>8} {'cpu x':>8}")
    plain = rows["plain"]
    for mode, times in rows.items():
        if not times:
            continue
        median = statistics.median(wall for wall, _cpu in times)
        ratio = statistics.median(t[0] / p[0] for t, p in zip(times, plain, strict=True))
        cpu = statistics.median(t[1] / p[1] for t, p in zip(times, plain, strict=True))
        print(f"{mode:<10} {median:8.3f} {median / steps * 1e6:8.2f} {ratio:8.2f} {cpu:8.2f}")
    print(f"wire bytes (recorded, last round): {wire:,} ({wire / steps:.0f} per step)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
