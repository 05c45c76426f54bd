"""Thousands of mutated recordings: the loader only ever says RecordingFileError, and a file
that does load answers every query the app asks.

The mutations are bench/fuzz_lvz.py's (bit flips, truncations, splices, header and frame
length edits, JSON type swaps, record field edits, deep nesting, bombs); the bench runs
100,000 of them, this runs a few thousand with a fixed seed.
"""

from __future__ import annotations

import importlib.util
import sys
import zlib
from pathlib import Path

import pytest

from loopviz.model import RecordingFileError, from_bytes
from loopviz.model.lvz import HEADER, MAGIC

BENCH = Path(__file__).resolve().parents[2] / "bench" / "fuzz_lvz.py"


@pytest.fixture(scope="module")
def fuzz():
    spec = importlib.util.spec_from_file_location("fuzz_lvz", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_lvz"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seeds(fuzz):
    return fuzz.synthetic_seeds()


def test_mutated_recordings_only_ever_raise_recording_file_error(fuzz, seeds):
    report = fuzz.run(2500, seed=20261125, seeds=seeds)
    found = {k: report.bug_examples[k][1] for k in report.bugs}
    assert not found, "\n\n".join(found.values())
    # Both sides were reached: some mutants still load, most are refused with a reason.
    assert report.loaded > 200
    assert sum(report.errors.values()) > 500
    assert all(msg.strip() for msg in report.errors)
    held, _, data = report.biggest
    assert held < 2000 * len(data) + (16 << 20), "no small input may claim a lot of memory"


@pytest.mark.parametrize("name", ["body_bit_flips", "json_type_swap", "record_field_edit"])
def test_each_deep_mutation_loads_or_is_refused(fuzz, seeds, name):
    """Mutations behind a valid container reach ingestion and the queries."""
    import random

    mutate = getattr(fuzz, name)
    rng = random.Random(name)
    for _ in range(150):
        data = mutate(rng, rng.choice(seeds), seeds)
        try:
            rec = from_bytes(data)
        except RecordingFileError:
            continue
        fuzz.exercise(rec)


def test_a_bomb_declared_honestly_is_refused_without_inflating(fuzz):
    comp = zlib.compress(bytes(300 << 20), 9)
    data = HEADER.pack(MAGIC, 1, 1, 0, 0, 300 << 20, len(comp)) + comp
    with pytest.raises(RecordingFileError, match="decompression bomb"):
        from_bytes(data)


def test_a_bomb_declared_small_stops_at_the_declared_size(fuzz):
    comp = zlib.compress(bytes(64 << 20), 9)
    data = HEADER.pack(MAGIC, 1, 1, 0, 0, 1000, len(comp)) + comp
    with pytest.raises(RecordingFileError, match="longer than the 1000 bytes"):
        from_bytes(data)


def test_serials_that_jump_by_millions_cost_nothing(fuzz):
    """Found by review of the fuzzer's slowest inputs: each ENQUEUE frame whose serial jumps
    a million ahead used to grow the handle table by a million rows (17 MB for 53 bytes)."""
    import numpy as np

    from loopviz.protocol import EventKind, encode_messages, encode_records

    loop = 1 << 16
    frames = [
        encode_messages([{"k": "hello", "t": 1, "schema": 1}]),
        encode_records(np.array([[EventKind.LOOP_CREATED | loop, 1, 1, 1, 0, 0]], np.int64)),
    ]
    for i in range(1, 2001):
        serial = 1 + i * ((1 << 20) - 2)
        row = [EventKind.ENQUEUE | loop, 10 + i, serial, 0, 0, 0]
        frames.append(encode_records(np.array([row], np.int64)))
    rec = from_bytes(fuzz.wrap(b"".join(frames)))
    assert rec.nbytes() < 10 << 20
    assert any("serial out of range" in p for p in rec.problems)
    fuzz.exercise(rec)
