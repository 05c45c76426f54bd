"""Fuzz the ``.lvz`` loader with mutations of real recordings.

Run:  python bench/fuzz_lvz.py [--inputs 100000] [--seed 1] [--real]

Why mutations of real files: random bytes never get past the signature, so
they test one line of the loader. Mutating real recordings (and re-wrapping a
mutated frame stream in a valid header with the right checksum) reaches every
layer: the container, the zlib stream, the frame reader, the JSON and record
decoders, ingestion, and the queries the app makes once a file is open.

A finding is any exception other than ``RecordingFileError`` (from loading) or
any exception from the queries on a recording that did load: both are bugs.
The report gives counts per error message, the bugs with a reproducer saved
under ``bench/results/fuzz_lvz/``, and the slowest input.

``--real`` adds recordings made by the real runner (three bundled lessons,
a few seconds each) to the synthetic seeds.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import struct
import sys
import time
import traceback
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from loopviz.model import Recording, RecordingFileError, from_bytes, to_bytes
from loopviz.model.lvz import HEADER, MAGIC
from loopviz.model.synthetic import mixed_workload
from loopviz.protocol.wire import HEADER as FRAME_HEADER

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "fuzz_lvz"
EXTREMES = (0, -1, 1, 2**31, -(2**31), 2**32, 2**62, 2**63 - 1, -(2**63), 0xFFFF, 1 << 16)

# -- seeds -----------------------------------------------------------------------------------


def synthetic_seeds() -> list[bytes]:
    """Small recordings of varied shapes (fast to load, so many inputs per second)."""
    out = []
    for tasks, rounds, seed, stall in ((3, 4, 1, 0), (8, 6, 2, 3), (20, 3, 3, 2)):
        rec = Recording()
        for frame in mixed_workload(tasks, rounds, seed, stall_every=stall).frames():
            rec.feed(frame)
        out.append(to_bytes(rec))
    return out


def real_seeds() -> list[bytes]:
    """Recordings made by the real runner, cached under bench/results."""
    from loopviz.api import record

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = []
    for name in (
        "03_create_task.py",
        "07_taskgroup_failure.py",
        "15_unretrieved_task_exception.py",
    ):
        cache = RESULTS / f"seed_{name}.lvz"
        if not cache.exists():
            cache.write_bytes(to_bytes(record(ROOT / "scenarios" / name, timeout=20)))
        out.append(cache.read_bytes())
    return out


# -- mutations ------------------------------------------------------------------------------


def body_of(data: bytes) -> bytes:
    return zlib.decompress(data[HEADER.size :])


def wrap(body: bytes, level: int = 1) -> bytes:
    """A valid container (right lengths, right checksum) around any frame stream."""
    comp = zlib.compress(body, level)
    head = HEADER.pack(MAGIC, 1, 1, 0, zlib.crc32(body), len(body), len(comp))
    return head + comp


def frames_of(body: bytes) -> list[tuple[int, bytes]]:
    out, pos = [], 0
    while pos + FRAME_HEADER.size <= len(body):
        length, ftype = FRAME_HEADER.unpack_from(body, pos)
        end = pos + FRAME_HEADER.size + length
        out.append((ftype, body[pos + FRAME_HEADER.size : end]))
        pos = end
    return out


def join(frames: list[tuple[int, bytes]]) -> bytes:
    return b"".join(FRAME_HEADER.pack(len(p), t) + p for t, p in frames)


def bit_flips(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def truncation(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    return data[: rng.randrange(len(data))]


def splice(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    other = rng.choice(seeds)
    return data[: rng.randrange(len(data))] + other[rng.randrange(len(other)) :]


def header_edit(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    fields = list(HEADER.unpack_from(data))
    j = rng.randrange(1, 7)
    fields[j] = rng.choice(
        [0, 1, 2, 255, 2**16 - 1, 2**32 - 1, 2**63, 2**64 - 1, fields[j] + 1, fields[j] - 1]
    )
    limits = (None, 0xFFFF, 0xFF, 0xFF, 0xFFFFFFFF, 2**64 - 1, 2**64 - 1)
    fields[j] = max(0, min(fields[j], limits[j]))
    return HEADER.pack(*fields) + data[HEADER.size :]


def body_bit_flips(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    return wrap(bit_flips(rng, body_of(data), seeds))


def body_truncation(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    body = body_of(data)
    return wrap(body[: rng.randrange(len(body))])


def frame_splice(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    """Frames of two recordings shuffled together (sids and oids that clash or are missing)."""
    a, b = frames_of(body_of(data)), frames_of(body_of(rng.choice(seeds)))
    mixed = a + rng.sample(b, k=min(len(b), rng.randint(1, 4)))
    if rng.random() < 0.5:
        rng.shuffle(mixed)
    elif mixed and rng.random() < 0.5:
        mixed = mixed[rng.randrange(len(mixed)) :]
    return wrap(join(mixed))


def frame_length_edit(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    body = bytearray(body_of(data))
    starts, pos = [], 0
    while pos + FRAME_HEADER.size <= len(body):
        starts.append(pos)
        pos += FRAME_HEADER.size + FRAME_HEADER.unpack_from(body, pos)[0]
    at = rng.choice(starts)
    old, ftype = FRAME_HEADER.unpack_from(body, at)
    new = rng.choice([0, 1, old - 1, old + 1, old + 48, 2**28, 2**32 - 1, old * 2])
    if rng.random() < 0.3:
        ftype = rng.choice([0, 4, 255, 1, 2, 3])
    FRAME_HEADER.pack_into(body, at, max(0, min(new, 2**32 - 1)), ftype)
    return wrap(bytes(body))


def _swap_value(rng: random.Random, value: object) -> object:
    return rng.choice(
        [
            None,
            True,
            -1,
            2**64,
            -(2**63) - 1,
            1e308,
            float("nan") if rng.random() < 0.1 else 0.5,
            "",
            "x" * rng.choice([1, 1000, 100_000]),
            [],
            {},
            [value],
            {"k": value},
            "\ud800" if rng.random() < 0.1 else "é",
        ]
    )


def _mutate_json(rng: random.Random, obj: object, depth: int = 0) -> object:
    if isinstance(obj, dict) and obj:
        key = rng.choice(list(obj))
        if rng.random() < 0.6 or depth > 3:
            obj[key] = _swap_value(rng, obj[key])
        else:
            obj[key] = _mutate_json(rng, obj[key], depth + 1)
        if rng.random() < 0.1:
            del obj[key]
        return obj
    if isinstance(obj, list) and obj:
        i = rng.randrange(len(obj))
        if rng.random() < 0.6 or depth > 3:
            obj[i] = _swap_value(rng, obj[i])
        else:
            obj[i] = _mutate_json(rng, obj[i], depth + 1)
        return obj
    return _swap_value(rng, obj)


def json_type_swap(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    frames = frames_of(body_of(data))
    json_frames = [i for i, (t, _) in enumerate(frames) if t in (1, 3)]
    for _ in range(rng.randint(1, 3)):
        i = rng.choice(json_frames)
        t, payload = frames[i]
        obj = json.loads(payload)
        obj = _mutate_json(rng, obj)
        text = json.dumps(obj, ensure_ascii=False, allow_nan=True)
        frames[i] = (t, text.encode("utf-8", "surrogatepass"))
    return wrap(join(frames))


def deep_nesting(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    n = rng.choice([100, 1000, 10_000, 100_000])
    deep = (
        ("[" * n + "]" * n).encode()
        if rng.random() < 0.5
        else ('{"k":' * n + "1" + "}" * n).encode()
    )
    frames = frames_of(body_of(data))
    frames.insert(rng.randrange(len(frames) + 1), (rng.choice([1, 3]), deep))
    return wrap(join(frames))


def record_field_edit(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    """Edit int64 fields of records: kinds, times, oids, serials set to extremes."""
    frames = frames_of(body_of(data))
    rec_frames = [i for i, (t, p) in enumerate(frames) if t == 2 and p]
    if not rec_frames:
        return bit_flips(rng, data, seeds)
    for _ in range(rng.randint(1, 20)):
        i = rng.choice(rec_frames)
        t, payload = frames[i]
        b = bytearray(payload)
        n = len(b) // 48
        r, f = rng.randrange(n), rng.randrange(6)
        value = rng.choice(EXTREMES) if rng.random() < 0.7 else rng.randrange(-1000, 1000)
        if f == 0 and rng.random() < 0.5:
            value = rng.randrange(0, 64) | (rng.choice([0, 1, 2, 999, 65535]) << 16)
        struct.pack_into("<q", b, r * 48 + f * 8, value)
        frames[i] = (t, bytes(b))
    return wrap(join(frames))


def record_shuffle(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    """Records reordered, duplicated or dropped (time going backwards, events lost)."""
    frames = frames_of(body_of(data))
    rec_frames = [i for i, (t, p) in enumerate(frames) if t == 2 and len(p) >= 96]
    if not rec_frames:
        return bit_flips(rng, data, seeds)
    i = rng.choice(rec_frames)
    t, payload = frames[i]
    rows = [payload[k : k + 48] for k in range(0, len(payload), 48)]
    how = rng.randrange(3)
    if how == 0:
        lo = rng.randrange(len(rows))
        hi = min(len(rows), lo + rng.randint(2, 50))
        part = rows[lo:hi]
        rng.shuffle(part)
        rows[lo:hi] = part
    elif how == 1:
        k = rng.randrange(len(rows))
        rows[k:k] = [rows[k]] * rng.randint(1, 5)
    else:
        for _ in range(rng.randint(1, max(1, len(rows) // 10))):
            rows.pop(rng.randrange(len(rows)))
    frames[i] = (t, b"".join(rows))
    return wrap(join(frames))


def bomb(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    """Highly compressible data, declared honestly or not."""
    size = rng.choice([1 << 20, 64 << 20, 300 << 20])
    comp = zlib.compress(bytes(size), 9)
    declared = rng.choice([size, len(comp), 1000, 2**33])
    return HEADER.pack(MAGIC, 1, 1, 0, 0, declared, len(comp)) + comp


def random_bytes(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    tail = rng.randbytes(rng.randint(0, 300))
    return (MAGIC + tail) if rng.random() < 0.5 else (data[: HEADER.size] + tail)


MUTATIONS: list[Callable[[random.Random, bytes, list[bytes]], bytes]] = [
    bit_flips,
    truncation,
    splice,
    header_edit,
    body_bit_flips,
    body_truncation,
    frame_splice,
    frame_length_edit,
    json_type_swap,
    record_field_edit,
    record_shuffle,
    deep_nesting,
    bomb,
    random_bytes,
]
WEIGHTS = [6, 3, 3, 3, 10, 4, 6, 5, 12, 14, 8, 1, 0.05, 2]


# -- running --------------------------------------------------------------------------------


def exercise(rec: Recording) -> None:
    """What the app asks of a recording it opens: the tables, slices, state at a few instants."""
    rec.tasks()
    rec.lanes()
    rec.stalls()
    rec.stats()
    rec.output()
    rec.outcome  # noqa: B018
    rec.handle_runs()
    rec.slice_arrays()
    for task in rec.tasks()[:3]:
        rec.slices(task.id)
    for f in (0.0, 0.5, 1.0):
        rec.state_at(rec.duration * f)


def normalise(message: str) -> str:
    """Group messages that differ only in numbers."""
    message = re.split(r": (?=[\[{(']|nan|None|True|False|-?\d)| in position", message)[0]
    return re.sub(r"\d+", "N", message)[:110]


class Report:
    def __init__(self) -> None:
        self.errors: Counter[str] = Counter()
        self.loaded = 0
        self.by_mutation: Counter[str] = Counter()
        self.bugs: Counter[str] = Counter()
        self.bug_examples: dict[str, tuple[bytes, str]] = {}
        self.slowest = (0.0, "", b"")
        self.biggest = (0, "", b"")
        """Most bytes a loaded mutant holds in numpy columns (memory amplification)."""
        self.n = 0

    def bug(self, key: str, data: bytes, tb: str) -> None:
        self.bugs[key] += 1
        self.bug_examples.setdefault(key, (data, tb))


def fuzz_one(report: Report, rng: random.Random, seeds: list[bytes]) -> None:
    mutate = rng.choices(MUTATIONS, WEIGHTS)[0]
    data = mutate(rng, rng.choice(seeds), seeds)
    report.n += 1
    report.by_mutation[mutate.__name__] += 1
    t0 = time.perf_counter()
    try:
        rec = from_bytes(data)
    except RecordingFileError as exc:
        report.errors[normalise(str(exc))] += 1
    except Exception as exc:  # a bug: only RecordingFileError may come out
        key = f"load: {type(exc).__name__}: {normalise(str(exc))}"
        report.bug(key, data, traceback.format_exc())
    else:
        report.loaded += 1
        held = rec.nbytes()
        if held > report.biggest[0]:
            report.biggest = (held, mutate.__name__, data)
        try:
            exercise(rec)
        except Exception as exc:
            key = f"query: {type(exc).__name__}: {normalise(str(exc))}"
            report.bug(key, data, traceback.format_exc())
    dt = time.perf_counter() - t0
    if dt > report.slowest[0]:
        report.slowest = (dt, mutate.__name__, data)


def run(inputs: int, seed: int, seeds: list[bytes], progress: bool = False) -> Report:
    rng = random.Random(seed)
    report = Report()
    t_last = time.perf_counter()
    for _ in range(inputs):
        fuzz_one(report, rng, seeds)
        if progress and time.perf_counter() - t_last > 30:
            t_last = time.perf_counter()
            print(f"  {report.n} inputs, {sum(report.bugs.values())} bugs", flush=True)
    return report


def print_report(report: Report, elapsed: float, out=sys.stdout) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"inputs: {report.n} in {elapsed:.1f} s ({report.n / max(elapsed, 1e-9):.0f}/s)")
    p(f"loaded (mutation still a valid recording): {report.loaded}")
    p(f"refused with RecordingFileError: {sum(report.errors.values())}")
    p(f"bugs (any other exception): {sum(report.bugs.values())}")
    p(
        f"slowest input: {report.slowest[0] * 1000:.1f} ms ({report.slowest[1]}, "
        f"{len(report.slowest[2])} bytes)"
    )
    held, how, data = report.biggest
    p(f"most memory held by one input: {held / 1e6:.1f} MB from {len(data)} bytes ({how})")
    p("\ninputs per mutation:")
    for name, n in sorted(report.by_mutation.items()):
        p(f"  {n:8d}  {name}")
    p("\nRecordingFileError messages (numbers shown as N):")
    for msg, n in report.errors.most_common():
        p(f"  {n:8d}  {msg}")
    if report.bugs:
        p("\nBUGS:")
        for key, n in report.bugs.most_common():
            p(f"  {n:8d}  {key}")
            p("    " + report.bug_examples[key][1].strip().splitlines()[-3])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--real", action="store_true", help="also mutate real runner recordings")
    args = ap.parse_args()
    seeds = synthetic_seeds() + (real_seeds() if args.real else [])
    print(f"python {sys.version.split()[0]}; seeds: {[len(s) for s in seeds]} bytes")
    t0 = time.perf_counter()
    report = run(args.inputs, args.seed, seeds, progress=True)
    elapsed = time.perf_counter() - t0
    print_report(report, elapsed)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "slowest.lvz").write_bytes(report.slowest[2])
    print(f"slowest input saved: {RESULTS / 'slowest.lvz'}")
    if report.bugs:
        for k, (key, (data, tb)) in enumerate(report.bug_examples.items()):
            (RESULTS / f"bug_{k}.lvz").write_bytes(data)
            (RESULTS / f"bug_{k}.txt").write_text(key + "\n\n" + tb)
        print(f"\nreproducers in {RESULTS}")
    return 1 if report.bugs else 0


if __name__ == "__main__":
    sys.exit(main())
