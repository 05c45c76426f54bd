"""Tasks and lanes kept up to date row by row equal the same lists built from scratch.

``Recording.tasks()`` and ``lanes()`` rebuild only the rows that changed since the
previous call (100,000 tasks: a whole rebuild takes most of a second). These tests
feed real streams batch by batch, ask after every batch, and compare with a fresh
build and with a recording fed everything at once.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from loopviz.model import Recording, describe
from loopviz.model.columns import OidDirectory
from loopviz.model.synthetic import Sim, StreamWriter, run_together
from loopviz.model.tasks import LaneCache, task_infos
from loopviz.protocol import (
    EventKind,
    encode_messages,
    encode_records,
    encode_strings,
    pack_kind,
)

K = EventKind


def busy_run() -> StreamWriter:
    """Tasks created over time, nested children, renames, failures, cancellations, 2 loops."""
    w = StreamWriter()
    one, two = Sim(w, loop=1, scenario="busy.py"), Sim(w, loop=2, hello=False)

    def leaf(sim: Sim, k: int) -> Generator[Any, Any, int]:
        yield from sim.sleep(0.001 * (k % 5), at=5)
        if k % 7 == 3:
            raise ValueError(f"leaf {k} failed")
        return k

    def branch(sim: Sim, k: int) -> Generator[Any, Any, None]:
        kids = [sim.create_task(leaf, k * 10 + j, at=11) for j in range(3)]
        if k % 2:
            sim.emit(K.TASK_RENAMED, sim.current.oid, sim.w.sid(f"branch-{k}"))
        yield from sim.sleep(0.002, at=12)
        for kid in kids:
            if not kid.done:
                yield from sim.wait(kid, at=13)

    def main(sim: Sim) -> Generator[Any, Any, None]:
        for k in range(12):
            sim.create_task(branch, k, at=20)
            yield from sim.sleep(0.003, at=21)
        yield from sim.sleep(0.05, at=22)

    def other(sim: Sim) -> Generator[Any, Any, None]:
        yield from sim.sleep(0.01, at=30)
        done = yield from sim.gather(*[sim.create_task(leaf, j, at=31) for j in range(4)])
        assert len(done) == 4

    one.start(main, name="main")
    two.start(other, name="other-main")
    run_together([one, two])
    one.close()
    two.close(exit_message=False, run_end=False)
    return w


def assert_same_as_fresh(rec: Recording) -> None:
    store = rec._store
    tasks = rec.tasks()
    assert tasks == task_infos(store)
    assert rec.lanes() == LaneCache().update(store)
    assert rec.task_counts() == (sum(t.done is None for t in tasks), len(tasks))


def test_tasks_and_lanes_after_every_batch_equal_a_fresh_build():
    w = busy_run()
    live = Recording()
    for frame in w.frames(batch_ns=2_000_000):
        live.feed(frame)
        assert_same_as_fresh(live)
    whole = Recording()
    whole.feed(w.data())
    assert live.tasks() == whole.tasks()
    assert live.lanes() == whole.lanes()
    names = {t.name for t in live.tasks()}
    assert {"main", "other-main", "branch-1", "branch-11"} <= names
    assert "branch-2" not in names  # only odd branches were renamed
    failed = [t for t in live.tasks() if t.outcome == "exception"]
    assert failed and all(t.traceback and "failed" in t.traceback for t in failed)
    loops = [lane.name for lane in live.lanes() if lane.kind == "loop"]
    assert loops == ["event loop 1", "event loop 2"]
    parents = {lane.name: lane.parent for lane in live.lanes()}
    by_id = {lane.id: lane.name for lane in live.lanes()}
    assert by_id[parents["branch-1"]] == "main"


def test_one_record_at_a_time_too():
    w = busy_run()
    records = np.frombuffer(w.records.tobytes(), dtype="<i8").reshape(-1, 6)
    live = Recording()
    live.add_messages(w.messages[:1])  # the hello
    live.add_strings(w.strings)
    for lo in range(0, len(records), 37):
        live.add_records(records[lo : lo + 37])
        if lo % (37 * 20) == 0:
            assert_same_as_fresh(live)
    live.add_messages(w.messages[1:])
    assert_same_as_fresh(live)


def test_strings_and_tracebacks_that_arrive_late_update_the_rows():
    w = busy_run()
    rec = Recording()
    rec.add_messages(w.messages[:1])
    rec.feed(encode_records(np.frombuffer(w.records.tobytes(), dtype="<i8").reshape(-1, 6)))
    before = rec.tasks()
    assert all(t.name.startswith("Task #") for t in before)
    assert all(t.traceback is None for t in before)
    assert all(lane.name.startswith("Task #") for lane in rec.lanes() if lane.kind == "task")
    rec.feed(encode_strings(w.strings))
    rec.feed(encode_messages(w.messages[1:]))
    assert_same_as_fresh(rec)
    assert "main" in {t.name for t in rec.tasks()}
    assert any(t.traceback for t in rec.tasks())


def test_a_hello_after_the_records_moves_every_time():
    w = busy_run()
    rec = Recording()
    rec.feed(encode_strings(w.strings))
    rec.feed(encode_records(np.frombuffer(w.records.tobytes(), dtype="<i8").reshape(-1, 6)))
    early = rec.tasks()
    hello = dict(w.messages[0], t=w.messages[0]["t"] - 1_000_000_000)  # a second earlier
    rec.add_messages([hello])
    assert_same_as_fresh(rec)
    assert rec.tasks()[0].created == early[0].created + 1.0


def test_changes_name_only_the_rows_that_changed():
    w = busy_run()
    rec = Recording()
    rec.feed(w.data())
    rows, infos, stamp = rec.task_changes()
    assert rows.tolist() == list(range(len(rec.tasks())))
    assert infos == rec.tasks()
    lanes, lane_ids, lane_stamp = rec.lane_changes()
    assert lane_ids.tolist() == list(range(len(lanes)))
    assert len(rec.task_changes(stamp)[0]) == 0
    assert len(rec.lane_changes(lane_stamp)[1]) == 0
    oid = infos[3].id
    t_end = rec._store.t_max
    rec.add_strings([(99_999, "renamed-late")])
    rec.add_records(np.array([[pack_kind(K.TASK_RENAMED, 1), t_end, oid, 99_999, 0, 0]]))
    rows, infos, _ = rec.task_changes(stamp)
    assert rows.tolist() == [3]
    assert [t.name for t in infos] == ["renamed-late"]
    assert rec.task(oid) == rec.tasks()[3] == infos[0]
    lanes, lane_ids, _ = rec.lane_changes(lane_stamp)
    assert [lanes[i].name for i in lane_ids] == ["renamed-late"]
    assert rec.loop_lanes() == [lane for lane in rec.lanes() if lane.kind == "loop"]
    assert_same_as_fresh(rec)


def test_a_gathers_done_count_follows_its_children_live():
    w = busy_run()
    rec = Recording()
    gathers_seen = 0
    for frame in w.frames(batch_ns=2_000_000):
        rec.feed(frame)
        s = rec._store
        for gather in np.unique(s.gathers.gather.data).tolist():
            children = s.gathers.children(gather)
            kinds, rows = s.oids.lookup(children)
            for i in (0, s.raw.n // 2, s.raw.n):
                want = int((s.tasks.done.buf[rows[kinds == OidDirectory.TASK]] < i).sum())
                assert describe._done_count(s, gather, children, i) == want
            gathers_seen += 1
    assert gathers_seen
