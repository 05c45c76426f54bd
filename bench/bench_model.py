"""Benchmark of loopviz.model: ingestion, state_at, memory, live batches, files.

Run:  python bench/bench_model.py [--events 1000000] [--runs 5]

The stream is a simulated mixed workload (``loopviz.model.synthetic``): 200
workers sleeping, yielding, using a queue, a 1 ms ticker, printed lines and a
few blocking calls — framed in 20 ms batches as the runner's flusher would.
Figures are medians of ``--runs`` runs. Targets (from the model's brief):
ingest 1M events <= 2 s, state_at <= 2 ms, <= 80 bytes/event, live batches
in time proportional to the batch.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc

import numpy as np

from loopviz.model import Recording, from_bytes, to_bytes
from loopviz.model.synthetic import mixed_workload


def median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def build(events: int, seed: int) -> tuple[list[bytes], int]:
    tasks = 200
    rounds = max(1, round(events / (tasks * 7.05)))  # ~7 events per worker round
    writer = mixed_workload(tasks=tasks, rounds=rounds, seed=seed, stall_every=400)
    frames = writer.frames(batch_ns=20_000_000)
    return frames, len(writer.records) // 6


def feed_all(frames: list[bytes]) -> Recording:
    rec = Recording()
    for f in frames:
        rec.feed(f)
    return rec


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--instants", type=int, default=500)
    ap.add_argument(
        "--grow-events",
        type=int,
        default=0,
        help="also grow a recording to this many events (10000000: issue #8's flood) and "
        "report its slowest 20k-event batch, against whole-column growth in the same run",
    )
    args = ap.parse_args()

    print(f"python {sys.version.split()[0]}, numpy {np.__version__}")
    t0 = time.perf_counter()
    frames, n = build(args.events, seed=1)
    data = b"".join(frames)
    print(
        f"stream: {n:,} events in {len(frames):,} frames ({len(data) / 1e6:.1f} MB), "
        f"generated in {time.perf_counter() - t0:.1f} s"
    )

    # 1. Ingestion ----------------------------------------------------------------------
    t_feed, rec = median_time(lambda: feed_all(frames), args.runs)
    t_once, _ = median_time(lambda: Recording().feed(data), args.runs)
    print(
        f"ingest, 20 ms frames as they arrive: {t_feed:.3f} s  ({n / t_feed / 1e6:.2f} M events/s)"
    )
    print(f"ingest, one feed() of all bytes:     {t_once:.3f} s")
    assert rec.problems == {}, rec.problems
    print(f"  duration {rec.duration:.1f} s, {len(rec.tasks())} tasks, {len(rec.stalls())} stalls")

    # 2. state_at -----------------------------------------------------------------------
    rng = random.Random(7)
    instants = [rng.uniform(0, rec.duration) for _ in range(args.instants)]
    core, queue, everything = [], [], []
    for t in instants:
        t0 = time.perf_counter()
        st = rec.state_at(t)
        t1 = time.perf_counter()
        _ = st.ready, st.timers  # what the ready-queue panel shows
        t2 = time.perf_counter()
        _ = st.tasks, st.futures, st.coroutines  # and every other list
        t3 = time.perf_counter()
        core.append(t1 - t0)
        queue.append(t2 - t0)
        everything.append(t3 - t0)
    sizes = [(len(rec.state_at(t).ready), len(rec.state_at(t).timers)) for t in instants[:50]]
    ready_avg = statistics.mean(s[0] for s in sizes)
    timers_avg = statistics.mean(s[1] for s in sizes)
    print(
        f"state_at at {args.instants} random instants (200 workers; ready queue "
        f"~{ready_avg:.0f} entries, ~{timers_avg:.0f} timers):"
    )
    for name, xs in (
        ("state_at", core),
        ("+ ready queue and timers", queue),
        ("+ tasks, futures, coroutines", everything),
    ):
        print(
            f"  {name:30s} median {statistics.median(xs) * 1e3:.3f} ms, "
            f"p99 {np.percentile(xs, 99) * 1e3:.3f} ms, max {max(xs) * 1e3:.3f} ms"
        )

    # 3. Memory ----------------------------------------------------------------------------
    print(
        f"memory, live recording (numpy columns incl. spare capacity): "
        f"{rec.nbytes() / n:.1f} bytes/event"
    )
    gc.collect()
    tracemalloc.start()
    live = feed_all(frames)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  tracemalloc, everything the live recording holds: {current / n:.1f} bytes/event "
        f"(peak while ingesting {peak / n:.1f})"
    )
    blob = to_bytes(live)
    del live
    gc.collect()
    tracemalloc.start()
    loaded = from_bytes(blob)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  tracemalloc, loaded from a file (trimmed): {current / n:.1f} bytes/event, "
        f"numpy columns {loaded.nbytes() / n:.1f}"
    )
    del loaded

    # 4. Live: small batches cost what the batch costs ---------------------------------------
    live = Recording()
    cursor = None
    feed_cost, poll_cost = [], []
    for f in frames:
        t0 = time.perf_counter()
        live.feed(f)
        t1 = time.perf_counter()
        _, cursor = live.slices_since(cursor)
        live.open_slices()
        live.state_at(live.duration).ready  # noqa: B018 - the live cursor's view
        poll_cost.append(time.perf_counter() - t1)
        feed_cost.append(t1 - t0)
    k = max(1, len(frames) // 10)
    print(
        f"live, per 20 ms frame (~{n // len(frames)} events): feed median first 10% "
        f"{statistics.median(feed_cost[:k]) * 1e6:.0f} µs / last 10% "
        f"{statistics.median(feed_cost[-k:]) * 1e6:.0f} µs; view poll (slices_since + "
        f"open_slices + state_at(now)) {statistics.median(poll_cost[:k]) * 1e6:.0f} / "
        f"{statistics.median(poll_cost[-k:]) * 1e6:.0f} µs"
    )
    del live

    # 5. Queries over the whole recording and files ------------------------------------------
    t_slices, batch = median_time(lambda: rec.slice_arrays(), args.runs)
    print(f"slice_arrays (all {len(batch):,} slices): {t_slices * 1e3:.0f} ms")
    t_stats, _ = median_time(lambda: _stats(rec), args.runs)
    print(f"stats: {t_stats * 1e3:.0f} ms")
    t_save, blob = median_time(lambda: to_bytes(rec, level=6), args.runs)
    t_load, _ = median_time(lambda: from_bytes(blob), args.runs)
    print(
        f".lvz: {len(blob) / 1e6:.1f} MB ({len(blob) / n:.1f} bytes/event), "
        f"save {t_save:.2f} s, load {t_load:.2f} s"
    )

    if args.grow_events:
        _growth(rec, args.grow_events)


def _growth(rec: Recording, events: int) -> None:
    """The slowest append while a recording grows: the GUI frame a flood freezes.

    The baseline is the former growth (every column full before it grows, so a table's
    columns are all copied by one append; no step ahead), swapped in for the comparison."""
    from loopviz.model import columns

    def whole_column(self: columns.Column, size: int) -> None:
        if size <= len(self.buf):
            return
        cap = max(size, int(len(self.buf) * columns.GROWTH) + 16)
        cap = -(-cap // self._align) * self._align
        new = np.full(cap, self._fill, dtype=self.buf.dtype)
        new[: self.n] = self.buf[: self.n]
        self.buf = new

    records = rec.records()
    span = int(records[-1, 1] - records[0, 1]) + 1

    def no_steps(self: columns.Column, size: int) -> None:
        return None

    now = (columns.Column.reserve, columns.Column._step_ahead)
    for name, (reserve, step) in (
        ("whole-column growth", (whole_column, no_steps)),
        ("staggered, records ahead", now),
    ):
        columns.Column.reserve, columns.Column._step_ahead = reserve, step
        try:
            gc.collect()
            grown = Recording()
            grown.add_messages(rec.messages()[:1])
            grown.add_strings(rec.strings().items())
            costs, shift = [], 0
            while grown.event_count < events:
                part = records.copy()
                part[:, 1] += shift
                shift += span
                for lo in range(0, len(part), 20_000):
                    t0 = time.perf_counter()
                    grown.add_records(part[lo : lo + 20_000])
                    costs.append(time.perf_counter() - t0)
            slowest = sorted(costs, reverse=True)[:3]
            print(
                f"growing to {grown.event_count:,} events, {name}: slowest 20k-event batches "
                f"{', '.join(f'{c * 1e3:.0f}' for c in slowest)} ms, median "
                f"{statistics.median(costs) * 1e3:.1f} ms"
            )
            del grown
        finally:
            columns.Column.reserve, columns.Column._step_ahead = now


def _stats(rec: Recording) -> object:
    rec.version += 1  # defeat the cache: measure the computation
    return rec.stats()


if __name__ == "__main__":
    main()
