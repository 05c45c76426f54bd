"""``state_at`` agrees with a naive replay of the events, at any instant.

The model answers from snapshots, FIFO serial ranges and interval indexes;
this test replays the records one by one in plain Python — the obvious
implementation — and compares the ready queue, the running handle and every
task's state at random instants, with several batchings and two loops.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from loopviz.model import Recording, State
from loopviz.model.state import event_index
from loopviz.model.synthetic import Sim, mixed_workload, run_together
from loopviz.protocol import Await, EventKind, encode_messages, encode_strings, split_kind

K = EventKind


def reference(records: np.ndarray, i: int) -> tuple[dict, dict, dict]:
    """Ready queues, running serials (per loop) and task states after records 0..i-1."""
    ready: dict[int, dict[int, int]] = {}
    running: dict[int, tuple[int, int] | None] = {}
    tasks: dict[int, tuple[State, int]] = {}
    enqueued_during_step: set[int] = set()
    for kind_packed, _t, a, b, c, d in records[:i].tolist():
        kind, loop = split_kind(kind_packed)
        q = ready.setdefault(loop, {})
        if kind == K.TASK_CREATED:
            tasks.setdefault(a, (State.NEW, 0))
        elif kind == K.ENQUEUE:
            q[a] = b
            if b:
                run = running.get(loop)
                if run and run[1] == b:
                    enqueued_during_step.add(b)
                elif tasks.get(b, (None,))[0] != State.DONE:
                    tasks[b] = (State.READY, 0)
        elif kind == K.RUN_BEGIN:
            q.pop(a, None)
            if c == 0:
                running[loop] = (a, b)
                if b:
                    tasks[b] = (State.RUNNING, 0)
        elif kind == K.RUN_END:
            running[loop] = None
            if b:
                if d == Await.DONE or tasks.get(b, (None,))[0] == State.DONE:
                    tasks[b] = (State.DONE, 0)
                elif b in enqueued_during_step or d == Await.YIELD:
                    tasks[b] = (State.READY, 0)
                else:
                    tasks[b] = (State.WAITING, d)
                enqueued_during_step.discard(b)
        elif kind == K.TASK_DONE:
            tasks[a] = (State.DONE, 0)
    runs = {loop: (r[0] if r else None) for loop, r in running.items()}
    return {loop: list(q) for loop, q in ready.items() if q}, runs, tasks


def model_view(rec: Recording, i: int) -> tuple[dict, dict, dict]:
    """The model's answers at the time of record ``i - 1``; ``i`` must be what that time names."""
    store = rec._store
    t = (int(store.raw.t[i - 1]) - rec.start_ns) / 1e9 if i else -1.0
    assert event_index(store, rec.start_ns + round(t * 1e9)) == i
    st = rec.state_at(t, limit=10**6)
    ready = {loop.index: [e.serial for e in loop.ready] for loop in st.loops if loop.ready}
    runs = {loop.index: (loop.running.serial if loop.running else None) for loop in st.loops}
    tasks = {s.task: (s.state, s.awaiting if s.state == State.WAITING else 0) for s in st.tasks}
    return ready, runs, tasks


def instants(rec: Recording, count: int, seed: int) -> list[int]:
    """Event indices ``i`` such that the time of record ``i - 1`` names exactly the state after it:
    a new running maximum of the times, followed by a later time."""
    t = rec._store.raw.t
    peak = np.maximum.accumulate(t)
    ok = np.flatnonzero((t[:-1] == peak[:-1]) & (t[1:] > peak[:-1])) + 1
    rng = random.Random(seed)
    return sorted(rng.sample(list(ok), min(count, len(ok))))


def check(rec: Recording, records: np.ndarray, count: int = 120, seed: int = 0) -> None:
    for i in instants(rec, count, seed):
        ready, runs, tasks = reference(records, i)
        m_ready, m_runs, m_tasks = model_view(rec, i)
        assert m_ready == ready, f"ready queue after event {i}"
        assert {k: v for k, v in m_runs.items() if v} == {k: v for k, v in runs.items() if v}
        for oid, (state, awaited) in tasks.items():
            assert m_tasks[oid] == (state, awaited), f"task {oid} after event {i}"


def test_state_at_matches_a_replay_of_a_mixed_run():
    w = mixed_workload(tasks=30, rounds=60, seed=3, stall_every=40)
    rec = Recording()
    rec.feed(w.data())
    assert rec.problems == {}
    records = rec.records()
    # Enough events that state_at must start from snapshots, not from the beginning.
    assert len(rec._store.snapshots) > 1
    check(rec, records, count=150, seed=1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_record_batching_does_not_change_any_answer(seed):
    w = mixed_workload(tasks=12, rounds=40, seed=seed)
    whole = Recording()
    whole.feed(w.data())
    records = whole.records()
    rng = random.Random(seed)
    pieces = Recording()
    pieces.add_strings(w.strings)
    pieces.add_messages(w.messages)
    lo = 0
    while lo < len(records):
        hi = lo + rng.choice([1, 2, 3, 7, 50, 400])
        pieces.add_records(records[lo:hi].tobytes())
        lo = hi
    assert pieces.records().tobytes() == records.tobytes()
    a, _ = whole.slices_since()
    b, _ = pieces.slices_since()
    for state in State:
        for col in ("lane", "start", "end", "ref"):
            assert np.array_equal(getattr(a[state], col), getattr(b[state], col)), (state, col)
    for i in instants(whole, 40, seed):
        assert model_view(whole, i) == model_view(pieces, i)
    assert whole.stats() == pieces.stats()


def test_two_loops_in_two_threads_stay_apart():
    from loopviz.model.synthetic import StreamWriter

    w = StreamWriter()
    first = Sim(w, loop=1, scenario="two.py")
    second = Sim(w, loop=2, hello=False, scenario="two.py", start_ns=first.now + 3_000_000)

    def spin(sim, n, pause):
        for _ in range(n):
            yield from sim.sleep(pause)
            yield from sim.sleep(0)

    def main_a(sim):
        kids = [sim.create_task(spin, 20, 0.003) for _ in range(3)]
        yield from sim.gather(*kids)

    def main_b(sim):
        kids = [sim.create_task(spin, 15, 0.002) for _ in range(2)]
        yield from sim.gather(*kids)

    first.start(main_a)
    second.start(main_b)
    run_together([first, second])
    rec = Recording()
    rec.feed(w.data(batch_ns=5_000_000))
    assert rec.problems == {}
    assert [lane.name for lane in rec.lanes() if lane.kind == "loop"] == [
        "event loop 1",
        "event loop 2",
    ]
    records = rec.records()
    # Records of the two loops interleave; serials restart per loop.
    loops = records[:, 0] >> 16
    assert set(np.unique(loops[loops > 0])) == {1, 2}
    for i in instants(rec, 80, 5):
        _, runs, tasks = reference(records, i)
        _, m_runs, m_tasks = model_view(rec, i)
        assert {k: v for k, v in m_runs.items() if v} == {k: v for k, v in runs.items() if v}
        assert {oid: m_tasks[oid] for oid in tasks} == tasks
    by_loop = {t.loop for t in rec.tasks()}
    assert by_loop == {1, 2}


def test_feeding_byte_by_byte_equals_feeding_at_once():
    w = mixed_workload(tasks=4, rounds=8, seed=9)
    data = w.data()
    once = Recording()
    once.feed(data)
    drip = Recording()
    for k in range(len(data)):
        drip.feed(data[k : k + 1])
    assert drip.records().tobytes() == once.records().tobytes()
    assert drip.tasks() == once.tasks()
    assert drip.stats() == once.stats()
    assert drip.output() == once.output()
    for i in instants(once, 30, 2):
        assert model_view(once, i) == model_view(drip, i)


def test_strings_and_messages_may_arrive_late():
    """Sids are resolved when asked, so order between frames does not matter."""
    w = mixed_workload(tasks=3, rounds=5, seed=4)
    a = Recording()
    a.feed(w.data())
    b = Recording()
    b.add_records(np.frombuffer(w.records, dtype=np.int64))
    b.feed(encode_messages(w.messages))
    b.feed(encode_strings(w.strings))
    assert [t.name for t in a.tasks()] == [t.name for t in b.tasks()]
    assert a.start_ns == b.start_ns
    assert a.state_at(0.01).ready == b.state_at(0.01).ready


def test_a_second_loop_later_in_the_run_gets_lanes_in_order_of_appearance():
    """Two ``asyncio.run`` one after the other: lanes are numbered by first appearance,
    whatever batches the records came in."""
    from loopviz.model.synthetic import StreamWriter

    def main(sim):
        kids = [sim.create_task(spin) for _ in range(2)]
        yield from sim.gather(*kids)

    def spin(sim):
        yield from sim.sleep(0.01)

    w = StreamWriter()
    first = Sim(w, loop=1, scenario="twice.py")
    first.run(main, close=False)
    second = Sim(w, loop=2, hello=False, scenario="twice.py", start_ns=first.now + 1000)
    second.run(main)
    whole = Recording()
    whole.feed(w.data())
    drip = Recording()
    drip.add_strings(w.strings)
    drip.add_messages(w.messages)
    for row in whole.records():
        drip.add_records(row.tobytes())
    names = [(lane.kind, lane.name) for lane in whole.lanes()]
    assert names == [
        ("loop", "event loop 1"),
        ("task", "Task-1"),
        ("task", "Task-2"),
        ("task", "Task-3"),
        ("loop", "event loop 2"),
        ("task", "Task-1"),
        ("task", "Task-2"),
        ("task", "Task-3"),
    ]
    assert drip.lanes() == whole.lanes()
    assert drip.tasks() == whole.tasks()
    assert drip.stats() == whole.stats()
