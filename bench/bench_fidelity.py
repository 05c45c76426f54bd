"""Recording does not change what the founding examples teach: their total times.

Each founding scenario's ``main()`` runs on a plain loop and on a recording
loop (source instrumented as the runner does, a thread taking the records
every 20 ms), alternately; the table shows medians and the difference, which
should stay within 10 ms (≈5.007 / 3.004 / 2.002 s).

    python bench/bench_fidelity.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

from loopviz.tracer import (
    TRACKER_NAME,
    Recorder,
    coroutine_tracker,
    instrument_source,
    tracing_loop_factory,
)

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
FOUNDING = [
    ("01_sequential_awaits.py", 5.0),
    ("02_coroutines_are_not_tasks.py", 3.0),
    ("03_create_task.py", 2.0),
]


def load(path: Path, recorder: Recorder | None) -> dict[str, Any]:
    source = path.read_text(encoding="utf-8")
    namespace: dict[str, Any] = {"__name__": "scenario", "__file__": str(path)}
    if recorder is None:
        code = compile(source, str(path), "exec")
    else:
        code = compile(instrument_source(source, str(path)), str(path), "exec")
        namespace[TRACKER_NAME] = coroutine_tracker(recorder)
    exec(code, namespace)
    return namespace


def timed_run(path: Path, traced: bool) -> float:
    recorder = Recorder() if traced else None
    namespace = load(path, recorder)
    factory = tracing_loop_factory(recorder) if traced else asyncio.new_event_loop
    stop = threading.Event()
    flusher = None
    if recorder is not None:

        def flush() -> None:
            while not stop.wait(0.020):
                recorder.frames()

        flusher = threading.Thread(target=flush, daemon=True)
        flusher.start()
    try:
        with (
            asyncio.Runner(loop_factory=factory) as runner,
            contextlib.redirect_stdout(io.StringIO()),
        ):
            t0 = time.perf_counter()
            runner.run(namespace["main"]())
            return time.perf_counter() - t0
    finally:
        stop.set()
        if flusher is not None:
            flusher.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}: founding scenarios, {args.rounds} rounds, medians")
    print(f"{'scenario':34} {'plain s':>9} {'recorded s':>11} {'diff ms':>8}")
    worst = 0.0
    for name, _expected in FOUNDING:
        plain, traced, diffs = [], [], []
        for _ in range(args.rounds):
            p = timed_run(SCENARIOS / name, traced=False)
            t = timed_run(SCENARIOS / name, traced=True)
            plain.append(p)
            traced.append(t)
            diffs.append(t - p)
        diff = statistics.median(diffs) * 1000
        worst = max(worst, abs(diff))
        print(
            f"{name:34} {statistics.median(plain):9.4f} {statistics.median(traced):11.4f} "
            f"{diff:8.2f}"
        )
    print(f"largest difference: {worst:.2f} ms (target: within 10 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
