"""Bad or unexpected input is counted, never raised: a live run keeps drawing."""

from __future__ import annotations

import io

import numpy as np
from model_lessons import create_task, queue_and_friends, record

from loopviz.model import Recording, export_chrome_trace, from_bytes, to_bytes
from loopviz.protocol import (
    EventKind,
    encode_frame,
    encode_messages,
    encode_records,
    encode_strings,
    pack_kind,
)


def every_query(rec: Recording) -> None:
    """Touch everything a view could ask for."""
    end = rec.duration
    for t in (-1.0, 0.0, end / 3, end, end + 1):
        st = rec.state_at(t)
        st.tasks  # noqa: B018
        st.timers  # noqa: B018
    rec.tasks()
    rec.lanes()
    rec.slice_arrays()
    rec.slices_since(None)
    rec.open_slices()
    rec.stats()
    rec.stalls()
    rec.output()
    rec.handle_runs()
    for task in rec.tasks()[:20]:
        rec.slices(task.id)
    export_chrome_trace(rec, io.StringIO())
    again = from_bytes(to_bytes(rec))
    assert again.event_count == rec.event_count


def test_unknown_event_and_message_kinds_are_ignored():
    sim = create_task()
    rec = Recording()
    rec.feed(sim.w.data())
    base = rec.state_at(0.5)
    future = np.array([[pack_kind(999, 1), rec.start_ns + 10, 1, 2, 3, 4]] * 3, dtype=np.int64)
    rec.feed(encode_records(future))
    rec.feed(encode_messages([{"k": "hologram", "t": rec.start_ns, "x": 1}]))
    assert rec.ignored == {"unknown event kind": 3, "message kind 'hologram'": 1}
    assert rec.problems == {}
    assert [t.state for t in rec.state_at(0.5).tasks] == [t.state for t in base.tasks]


def test_random_records_never_crash_ingestion():
    rng = np.random.default_rng(7)
    sim = queue_and_friends()
    good = np.frombuffer(sim.w.records, dtype=np.int64).reshape(-1, 6)
    for trial in range(20):
        rec = Recording()
        rec.add_strings(sim.w.strings)
        rec.add_messages(sim.w.messages)
        bad = good.copy()
        n = len(bad)
        # Scramble fields of random records: small ids (that collide with real ones),
        # huge values, negative values, and kinds from the valid range.
        for _ in range(60):
            r, c = rng.integers(n), rng.integers(6)
            bad[r, c] = rng.choice(
                [
                    rng.integers(-5, 60),
                    rng.integers(-(2**62), 2**62),
                    pack_kind(int(rng.integers(1, 53)), int(rng.integers(0, 4))),
                ]
            )
        noise = rng.integers(-(2**40), 2**40, size=(50, 6))
        noise[:, 0] = [pack_kind(int(k), int(rng.integers(0, 3))) for k in rng.integers(0, 60, 50)]
        stream = np.concatenate([bad, noise])
        for lo in range(0, len(stream), 37 + trial):
            rec.add_records(stream[lo : lo + 37 + trial].tobytes())
        every_query(rec)
        assert rec.nbytes() < 50_000_000


def test_hostile_ids_do_not_allocate_huge_tables():
    rec = Recording()
    t = 10**12
    hostile = np.array(
        [
            [pack_kind(EventKind.TASK_CREATED, 1), t, 2**62, 0, 0, 0],
            [pack_kind(EventKind.ENQUEUE, 1), t, 2**61, 2**62, 1, 0],
            [pack_kind(EventKind.RUN_BEGIN, 1), t, 2**61 + 10**9, 0, 0, 0],
            [pack_kind(EventKind.FUTURE_CREATED, 1), t, 2**60, 0, 0, 0],
            [pack_kind(EventKind.GATHER_CHILDREN, 1), t, 2**60, 2**62, 0, 0],
        ],
        dtype=np.int64,
    )
    rec.add_records(hostile.tobytes())
    every_query(rec)
    assert rec.nbytes() < 1_000_000
    assert "RUN_BEGIN with a serial out of range" in rec.problems


def test_corrupt_stream_is_reported_and_the_rest_ignored():
    rec = record(create_task().w)
    n = rec.event_count
    rec.feed(b"\xff\xff\xff\x7f\x09garbage")
    rec.feed(encode_records(np.zeros((2, 6), dtype=np.int64)))
    assert any(k.startswith("corrupt stream") for k in rec.problems)
    assert rec.event_count == n
    every_query(rec)


def test_malformed_frames_and_messages_are_counted():
    rec = Recording()
    rec.feed(encode_frame(1, b"{not json"))  # STRINGS
    rec.feed(encode_frame(3, b'[{"k": 5}]'))  # a message without a string kind
    rec.feed(encode_frame(3, b"[" * 100_000 + b"]" * 100_000))  # deep nesting
    rec.feed(encode_strings([(1, "ok")]))
    rec.add_strings([(0, "zero"), ("x", "y"), (2, 3), (3,)])
    rec.add_messages(
        [
            {"k": "hello", "t": "yesterday"},
            {"k": "output", "t": 5, "text": 7},
            {"k": "stall_begin", "t": 5, "loop": "a"},
            {"k": "source", "path": 1},
            "not a dict",
        ]
    )
    rec.add_records(b"\x01" * 50)
    assert rec.strings() == {1: "ok"}
    assert rec.problems["malformed 'hello' message"] == 1
    assert rec.problems["message is not an object with a kind"] == 1
    assert rec.problems["records payload is not a whole number of records"] == 1
    assert sum(rec.problems.values()) >= 9
    every_query(rec)


def test_records_that_contradict_each_other():
    rec = Recording()
    t = 10**12
    k = pack_kind
    rows = [
        [k(EventKind.TASK_CREATED, 1), t, 5, 0, 0, 0],
        [k(EventKind.RUN_END, 1), t + 1, 1, 5, 0, 0],  # ends a handle that never began
        [k(EventKind.ENQUEUE, 1), t + 2, 1, 5, 1, 0],
        [k(EventKind.ENQUEUE, 1), t + 3, 1, 5, 1, 0],  # the same serial twice
        [k(EventKind.RUN_BEGIN, 1), t + 4, 3, 0, 0, 0],  # skips serial 2: FIFO says 2 left too
        [k(EventKind.RUN_BEGIN, 1), t + 5, 1, 5, 0, 0],  # out of order
        [k(EventKind.FUTURE_DONE, 1), t + 6, 77, 1, 0, 0],  # unknown future
        [k(EventKind.TASK_DONE, 1), t + 7, 5, 1, 0, 0],
        [k(EventKind.TASK_DONE, 1), t + 8, 5, 2, 0, 0],  # done twice: the first wins
    ]
    rec.add_records(np.array(rows, dtype=np.int64).tobytes())
    assert rec.problems["RUN_END without a running handle"] == 1
    assert rec.problems["ENQUEUE of a serial already seen"] == 1
    assert rec.problems["RUN_BEGIN out of order or repeated"] == 1
    assert rec.problems["FUTURE_DONE for an unknown object"] == 1
    assert rec.tasks()[0].outcome == "result"
    every_query(rec)
