"""``.lvz`` files: save then load gives the same recording; bad files get a clear error."""

from __future__ import annotations

import io
import random
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from model_lessons import blocking_requests, create_task, queue_and_friends, record

from loopviz.model import Recording, RecordingFileError, State, from_bytes, load, save, to_bytes
from loopviz.model.lvz import HEADER, MAGIC
from loopviz.model.synthetic import mixed_workload
from loopviz.protocol import encode_messages, encode_records, encode_strings


def snapshot(rec: Recording, instants: int = 25) -> dict:
    """Every query's answer, in comparable form."""
    out: dict = {
        "tasks": rec.tasks(),
        "lanes": rec.lanes(),
        "stalls": rec.stalls(),
        "stats": rec.stats(),
        "output": rec.output(),
        "hello": rec.hello,
        "outcome": rec.outcome,
        "sources": rec.sources(),
        "start": rec.start_ns,
        "end": rec.end_ns,
        "problems": rec.problems,
        "runs": rec.handle_runs().tobytes(),
    }
    batch = rec.slice_arrays()
    for state in State:
        cols = batch[state]
        out[f"slices-{state.name}"] = [
            c.tobytes() for c in (cols.lane, cols.start, cols.end, cols.ref)
        ]
    for task in rec.tasks():
        out[f"slices-of-{task.id}"] = rec.slices(task.id)
    for k in range(instants + 1):
        st = rec.state_at(rec.duration * k / instants)
        out[f"state-{k}"] = (st.loops, st.tasks, st.futures, st.coroutines, st.stall)
        out[f"output-{k}"] = (st.output_count, st.recent_output)
    return out


@pytest.mark.parametrize("make", [create_task, blocking_requests, queue_and_friends])
def test_save_then_load_answers_every_query_the_same(make, tmp_path):
    rec = record(make().w)
    rec.add_messages([{"k": "source", "t": rec.start_ns, "path": "s.py", "text": "print(1)\n"}])
    path = tmp_path / "run.lvz"
    save(rec, path)
    again = load(path)
    assert snapshot(again) == snapshot(rec)
    assert again.source("s.py") == "print(1)\n"
    # And through file objects and bytes.
    buf = io.BytesIO()
    save(rec, buf)
    buf.seek(0)
    assert snapshot(load(buf)) == snapshot(rec)
    assert snapshot(from_bytes(to_bytes(rec))) == snapshot(rec)


def test_a_live_recording_saved_midway_loads_the_same():
    sim = blocking_requests()
    rec = record(sim.w, until_ns=sim.w.messages[0]["t"] + 1_000_000_000)
    assert snapshot(from_bytes(to_bytes(rec))) == snapshot(rec)


def test_a_big_recording_round_trips():
    rec = Recording()
    rec.feed(mixed_workload(tasks=40, rounds=300, seed=8, stall_every=80).data())
    again = from_bytes(to_bytes(rec, level=1))
    assert again.records().tobytes() == rec.records().tobytes()
    assert snapshot(again, instants=10) == snapshot(rec, instants=10)


def header(version=1, compression=1, crc=0, data_len=0, comp_len=0) -> bytes:
    return HEADER.pack(MAGIC, version, compression, 0, crc, data_len, comp_len)


def good_file() -> bytes:
    return to_bytes(record(create_task().w))


def error_of(data: bytes) -> str:
    with pytest.raises(RecordingFileError) as info:
        from_bytes(data)
    return str(info.value)


def test_clear_errors_for_files_that_are_not_recordings():
    assert "not a loopviz recording" in error_of(b"")
    assert "not a loopviz recording" in error_of(b'{"traceEvents": []}')
    assert "not a loopviz recording" in error_of(b"PK\x03\x04" + bytes(100))
    assert "transferred as text" in error_of(MAGIC[:4] + b"\n\x1a\n" + bytes(40))


def test_newer_format_says_so():
    data = good_file()
    newer = data[:8] + struct.pack("<H", 3) + data[10:]
    assert error_of(newer) == "made by a newer loopviz (format v3, this reads v1)"


def test_unknown_compression_and_version_zero():
    data = good_file()
    assert "unknown compression method 9" in error_of(data[:10] + b"\x09" + data[11:])
    assert "format version 0" in error_of(data[:8] + b"\x00\x00" + data[10:])


def test_truncated_files_say_where():
    data = good_file()
    assert (
        error_of(data[:20]) == f"truncated at byte 20: the header alone needs {HEADER.size} bytes"
    )
    cut = len(data) - 100
    assert error_of(data[:cut]) == f"truncated at byte {cut}: the header promises {len(data)} bytes"
    # A file object that cannot tell its size is caught when the data runs out.

    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self.data = io.BytesIO(data)

        def read(self, n=-1):
            return self.data.read(n)

        def seekable(self):
            return False

        def tell(self):
            raise OSError("not seekable")

    with pytest.raises(RecordingFileError, match=f"truncated at byte {cut}"):
        load(Pipe(data[:cut]))


def test_trailing_bytes_and_corrupt_data():
    data = good_file()
    assert "unexpected bytes after the end" in error_of(data + b"x")
    body = bytearray(data)
    body[HEADER.size + 40] ^= 0xFF
    msg = error_of(bytes(body))
    assert "corrupt" in msg or "checksum" in msg


def test_checksum_mismatch():
    data = bytearray(good_file())
    data[12:16] = struct.pack("<I", (struct.unpack("<I", data[12:16])[0] + 1) & 0xFFFFFFFF)
    assert error_of(bytes(data)) == "checksum mismatch: the recording's data is corrupt"


def test_declared_length_mismatch():
    data = bytearray(good_file())
    _, _, _, _, crc, size, comp = HEADER.unpack_from(data)
    data[: HEADER.size] = header(crc=crc, data_len=size + 10, comp_len=comp)
    assert "header declares" in error_of(bytes(data))
    data[: HEADER.size] = header(crc=crc, data_len=size - 10, comp_len=comp)
    assert "longer than the" in error_of(bytes(data))


def test_decompression_bombs_are_refused_before_inflating():
    assert "decompression bomb" in error_of(header(data_len=1 << 29, comp_len=1000) + bytes(1000))
    assert "more than the 1073741824 this reader accepts" in error_of(
        header(data_len=1 << 40, comp_len=1 << 35)
    )
    # A real bomb: 200 MB of zeros in a small file. With its true size declared it is
    # refused by ratio, before any inflating.
    comp = zlib.compress(bytes(200 << 20), 9)
    t0 = time.perf_counter()
    msg = error_of(header(data_len=200 << 20, comp_len=len(comp)) + comp)
    assert "decompression bomb" in msg
    # Lying about the size stops inflating as soon as the output exceeds it.
    msg = error_of(header(data_len=1 << 20, comp_len=len(comp)) + comp)
    assert time.perf_counter() - t0 < 2
    assert "corrupt frame" in msg or "longer than" in msg


def compressed(frames: bytes) -> bytes:
    comp = zlib.compress(frames)
    return header(crc=zlib.crc32(frames), data_len=len(frames), comp_len=len(comp)) + comp


def test_hostile_payloads_inside_a_valid_container():
    assert "corrupt frame" in error_of(compressed(b"\xff\xff\xff\x0f\x02"))  # 268 MB frame
    assert "corrupt frame" in error_of(compressed(b"\x05\x00\x00\x00\x07hello"))  # frame type 7
    assert "invalid JSON" in error_of(compressed(b"\x03\x00\x00\x00\x03[[["))
    deep = b"[" * 200_000 + b"]" * 200_000
    assert "invalid JSON" in error_of(compressed(struct.pack("<IB", len(deep), 3) + deep))
    cut = error_of(compressed(encode_records(np.zeros((2, 6), np.int64))[:-8]))
    assert (
        cut
        == "corrupt frame in the data: frame at byte 0 declares 96 bytes (more than the 93 allowed)"
    )
    newer = encode_messages([{"k": "hello", "t": 1, "schema": 99}])
    assert error_of(compressed(newer)).startswith("recorded with event schema v99")
    # Wrong types inside otherwise valid frames load, with the problems counted.
    odd = encode_strings([(1, "x")]) + encode_messages(
        [
            {"k": "output", "t": "noon", "text": 5},
            {"k": "stall_begin", "t": 1, "loop": [], "serial": {}},
        ]
    )
    rec = from_bytes(compressed(odd))
    assert sum(rec.problems.values()) == 2


def test_missing_file_and_unreadable_path(tmp_path):
    with pytest.raises(RecordingFileError, match="cannot read"):
        load(tmp_path / "nope.lvz")
    with pytest.raises(RecordingFileError, match="cannot read"):
        load(tmp_path)


def test_fuzzed_files_only_ever_raise_recording_file_error():
    rng = random.Random(1234)
    seeds = [good_file(), to_bytes(record(queue_and_friends().w))]
    worst = 0.0
    for trial in range(400):
        data = bytearray(rng.choice(seeds))
        how = trial % 5
        if how == 0:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how == 1:
            data = data[: rng.randrange(len(data))]
        elif how == 2:
            at = rng.randrange(len(data))
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
        elif how == 3:
            data = bytearray(rng.randbytes(rng.randint(0, 400)))
            if rng.random() < 0.5:
                data[:8] = MAGIC
        else:
            # Re-compress a mutated body with a valid header: the frames themselves are hostile.
            body = bytearray(zlib.decompress(bytes(data[HEADER.size :])))
            for _ in range(rng.randint(1, 6)):
                body[rng.randrange(len(body))] = rng.randrange(256)
            data = bytearray(compressed(bytes(body)))
        t0 = time.perf_counter()
        try:
            rec = from_bytes(bytes(data))
        except RecordingFileError as exc:
            assert str(exc)
        else:
            rec.state_at(rec.duration / 2).tasks  # noqa: B018
            rec.stats()
        worst = max(worst, time.perf_counter() - t0)
    assert worst < 2.0


def test_loading_never_unpickles_or_evaluates():
    src = Path(__file__).parents[2] / "src" / "loopviz" / "model"
    text = "\n".join(p.read_text() for p in src.glob("*.py"))
    for word in ("import pickle", "import marshal", "eval(", "exec(", "shelve", "__import__"):
        assert word not in text
