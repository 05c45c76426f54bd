"""Rarer shapes of the record stream, written record by record."""

from __future__ import annotations

import numpy as np
import pytest

from loopviz.model import Recording, State
from loopviz.model.synthetic import StreamWriter
from loopviz.protocol import Await, EventKind, HandleKind, Outcome

K = EventKind
T0 = 5_000_000_000
MS = 1_000_000


def recording(build) -> Recording:
    w = StreamWriter()
    w.message("hello", T0, schema=1, stall_ms=100, scenario="hand.py")
    build(w)
    rec = Recording()
    rec.feed(w.data())
    assert rec.problems == {}
    return rec


def task(w: StreamWriter, oid: int, name: str, t: int, parent: int = 0) -> None:
    w.emit(K.TASK_CREATED, 1, t, oid, parent, 0, w.sid("hand.py:3"))
    w.emit(K.TASK_INFO, 1, t, oid, w.sid(name), w.sid(name.lower()), w.sid("hand.py:1"))


def test_renamed_task_and_parent_lanes():
    def build(w):
        task(w, 10, "Task-1", T0)
        w.emit(K.ENQUEUE, 1, T0, 1, 10, HandleKind.STEP, 0)
        w.emit(K.RUN_BEGIN, 1, T0 + MS, 1, 10, 0)
        task(w, 11, "Task-2", T0 + 2 * MS, parent=10)
        w.emit(K.ENQUEUE, 1, T0 + 2 * MS, 2, 11, HandleKind.STEP, 0)
        w.emit(K.TASK_RENAMED, 1, T0 + 3 * MS, 11, w.sid("fetcher"))
        w.emit(K.RUN_END, 1, T0 + 4 * MS, 1, 10, w.sid("hand.py:9"), 11)

    rec = recording(build)
    assert [t.name for t in rec.tasks()] == ["Task-1", "fetcher"]
    lanes = {lane.name: lane for lane in rec.lanes()}
    assert lanes["fetcher"].parent == lanes["Task-1"].id
    assert lanes["Task-1"].parent == -1
    st = rec.state_at(0.005)
    assert st.task(10).awaiting_text == "fetcher"
    assert st.task(10).line == "hand.py:9"
    assert [e.label for e in st.ready] == ["fetcher · step"]


def test_cancelled_handle_leaves_the_queue_without_running():
    def build(w):
        w.emit(K.ENQUEUE, 1, T0, 1, 0, HandleKind.CALLBACK, w.sid("poll"))
        w.emit(K.ENQUEUE, 1, T0 + MS, 2, 0, HandleKind.CALLBACK, w.sid("report"))
        w.emit(K.RUN_BEGIN, 1, T0 + 2 * MS, 1, 0, 1)  # cancelled: dropped
        w.emit(K.RUN_BEGIN, 1, T0 + 3 * MS, 2, 0, 0)
        w.emit(K.RUN_END, 1, T0 + 4 * MS, 2, 0, 0, 0)

    rec = recording(build)
    assert [e.label for e in rec.state_at(0.0015).ready] == ["poll", "report"]
    st = rec.state_at(0.0025)
    assert st.running is None
    assert [e.label for e in st.ready] == ["report"]
    assert rec.state_at(0.0035).running.label == "report"
    runs = rec.handle_runs()
    assert runs["state"].tolist() == [-2, State.CALLBACK]
    assert len(rec.slice_arrays()[State.CALLBACK]) == 1


def test_cancelled_task_outcome():
    def build(w):
        task(w, 10, "Task-1", T0)
        w.emit(K.ENQUEUE, 1, T0, 1, 10, HandleKind.STEP, 0)
        w.emit(K.RUN_BEGIN, 1, T0 + MS, 1, 10, 0)
        w.emit(K.TASK_DONE, 1, T0 + 2 * MS, 10, Outcome.CANCELLED, w.sid("stop it"))
        w.emit(K.RUN_END, 1, T0 + 2 * MS, 1, 10, 0, Await.DONE)

    rec = recording(build)
    info = rec.tasks()[0]
    assert (info.outcome, info.detail) == ("cancelled", "stop it")
    assert info.done == pytest.approx(0.002)
    assert rec.state_at(0.0015).task(10).state == State.RUNNING
    assert rec.state_at(0.003).task(10).state == State.DONE


def test_recording_that_joins_a_run_midway():
    """Serials start at 40 and the first handle's ENQUEUE was never seen."""

    def build(w):
        task(w, 10, "Task-1", T0)
        w.emit(K.RUN_BEGIN, 1, T0, 40, 10, 0)
        w.emit(K.RUN_END, 1, T0 + MS, 40, 10, w.sid("hand.py:5"), Await.YIELD)
        w.emit(K.ENQUEUE, 1, T0 + MS, 41, 10, HandleKind.STEP, 0)
        w.emit(K.RUN_BEGIN, 1, T0 + 2 * MS, 41, 10, 0)
        w.emit(K.RUN_END, 1, T0 + 3 * MS, 41, 10, 0, Await.DONE)

    rec = recording(build)
    runs = rec.handle_runs()
    assert runs["serial"].tolist() == [40, 41]
    assert runs["kind"].tolist() == [HandleKind.STEP, HandleKind.STEP]
    assert rec.state_at(0.0015).task(10).state == State.READY
    states = [s.state for s in rec.slices(10)]
    assert states == [State.RUNNING, State.READY, State.RUNNING]


def test_awaiting_something_untracked():
    def build(w):
        task(w, 10, "Task-1", T0)
        w.emit(K.ENQUEUE, 1, T0, 1, 10, HandleKind.STEP, 0)
        w.emit(K.RUN_BEGIN, 1, T0, 1, 10, 0)
        w.emit(K.RUN_END, 1, T0 + MS, 1, 10, 0, Await.NOTHING)

    rec = recording(build)
    st = rec.state_at(0.002)
    assert st.task(10).state == State.WAITING
    assert st.task(10).awaiting_text == "something loopviz does not follow"
    opened = rec.open_slices(now=0.01)
    assert np.allclose(opened[State.WAITING].end, [0.01])
