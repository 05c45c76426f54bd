"""What the ready-queue, tasks, futures and output views read from ``state_at``."""

from __future__ import annotations

import numpy as np
import pytest
from model_lessons import queue_and_friends, record

from loopviz.model import Recording, State
from loopviz.model.synthetic import Sim
from loopviz.protocol import HandleKind, Origin


def three_sleepers() -> Recording:
    """main creates three tasks that sleep 0.1 s, then awaits them."""

    def sleeper(sim):
        yield from sim.sleep(0.1, at=5)

    def main(sim):
        kids = [sim.create_task(sleeper, at=9) for _ in range(3)]
        for kid in kids:
            yield from sim.wait(kid, at=10)

    sim = Sim(scenario="sleepers.py", select_ns=1_000_000)  # the three timers fire together
    sim.run(main)
    return record(sim.w)


def between(rec: Recording, serial: int) -> float:
    """An instant after handle ``serial`` ended and before the next one began."""
    runs = rec.handle_runs()
    row = runs[runs["serial"] == serial][0]
    nxt = runs[runs["serial"] == serial + 1][0]
    return (row["end"] + nxt["begin"]) / 2


def test_ready_queue_is_fifo_with_readable_labels():
    rec = three_sleepers()
    st = rec.state_at(between(rec, 1))  # main's first step just ended
    assert [e.label for e in st.ready] == ["Task-2 · step", "Task-3 · step", "Task-4 · step"]
    assert [e.kind for e in st.ready] == [HandleKind.STEP] * 3
    assert [e.serial for e in st.ready] == [2, 3, 4]
    assert st.running is None
    main = st.tasks[0]
    assert (main.state, main.awaiting_text) == (State.WAITING, "Task-2")
    assert [t.state for t in st.tasks[1:]] == [State.READY] * 3

    # The three timers fire in one iteration: their callbacks queue first, then each
    # callback queues the wakeup of the task that slept.
    runs = rec.handle_runs()
    second_timer = runs[runs["origin"] == Origin.TIMER][1]
    st = rec.state_at((second_timer["begin"] + second_timer["end"]) / 2)
    assert st.running.label == "timer · sleep done"
    assert [e.label for e in st.ready] == [
        "timer · sleep done",
        "Task-2 · wakeup ← sleep",
        "Task-3 · wakeup ← sleep",
    ]
    assert [e.origin for e in st.ready] == [Origin.TIMER, Origin.CALL_SOON, Origin.CALL_SOON]
    assert [e.kind for e in st.ready] == [HandleKind.CALLBACK, *[HandleKind.WAKEUP] * 2]
    assert st.ready[1].task == rec.tasks()[1].id
    assert [t.state for t in st.tasks[1:]] == [State.READY, State.READY, State.WAITING]


def test_running_handle_and_timers_by_deadline():
    rec = three_sleepers()
    runs = rec.handle_runs()
    second = runs[runs["serial"] == 3][0]
    st = rec.state_at((second["begin"] + second["end"]) / 2)
    assert st.running.label == "Task-3 · step"
    assert st.running.task == rec.tasks()[2].id
    assert not st.running.blocking
    assert st.tasks[2].state == State.RUNNING
    st = rec.state_at(0.05)
    assert [t.label for t in st.timers] == ["sleep"] * 3
    deadlines = [t.deadline for t in st.timers]
    assert deadlines == sorted(deadlines)
    assert st.timers[0].left == pytest.approx(deadlines[0] - 0.05)
    assert st.timers[0].deadline == pytest.approx(0.102, abs=0.001)
    assert st.loops[0].idle
    assert st.loops[0].timer_count == 3


def test_waiting_texts_for_queue_task_and_current_line():
    rec = record(queue_and_friends().w)
    st = rec.state_at(0.05)
    by_name = {t.name: t for t in st.tasks}
    assert by_name["consumer"].awaiting_text == "Queue.get"
    assert by_name["consumer"].line == "friends.py:12"
    assert by_name["producer"].awaiting_text == "sleep, 50 ms left"
    assert by_name["Task-1"].awaiting_text == "producer"
    assert by_name["spinner"].state == State.DONE
    futures = {f.label: f for f in st.futures}
    assert futures["Queue.get"].waiter_names == ("consumer",)
    assert futures["producer"].waiter_names == ("Task-1",)


def test_done_tasks_keep_outcome_and_traceback():
    rec = record(queue_and_friends().w)
    tasks = {t.name: t for t in rec.tasks()}
    failing = tasks["failing"]
    assert failing.outcome == "exception"
    assert failing.detail == "ValueError: boom"
    assert "ValueError: boom" in failing.traceback
    assert tasks["producer"].outcome == "result"
    assert tasks["producer"].detail == "'produced'"
    assert tasks["consumer"].parent == tasks["Task-1"].id
    assert tasks["consumer"].created_at == "friends.py:40"
    assert tasks["consumer"].coro == "consumer"
    assert rec.state_at(0.06).task(failing.id).state == State.DONE


def test_output_up_to_an_instant():
    rec = record(queue_and_friends().w)
    lines = rec.output()
    assert [line.text for line in lines] == ["timer fired"]
    assert lines[0].t == pytest.approx(0.2, abs=0.001)
    assert lines[0].task == 0
    assert rec.state_at(0.1).output_count == 0
    assert rec.state_at(0.25).output_count == 1
    rec.add_messages([{"k": "raw_output", "t": rec.end_ns, "stream": "stderr", "text": "a\nb"}])
    assert [line.text for line in rec.output()][-2:] == ["a", "b"]


def test_plain_callbacks_on_the_event_loop_lane():
    rec = record(queue_and_friends().w)
    batch = rec.slice_arrays()
    loop_lane = next(lane.id for lane in rec.lanes() if lane.kind == "loop")
    cb = batch[State.CALLBACK]
    assert set(cb.lane.tolist()) == {loop_lane}
    labels = {rec.describe_slice(State.CALLBACK, int(r)) for r in cb.ref}
    assert "timer · report" in labels
    idle = batch[State.IDLE]
    assert set(idle.lane.tolist()) == {loop_lane}
    assert rec.describe_slice(State.IDLE, int(idle.ref[0])).startswith("select")


def test_handle_runs_for_lecture_stepping():
    rec = three_sleepers()
    runs = rec.handle_runs()
    assert list(runs.dtype.names) == [
        "loop", "serial", "task", "kind", "origin", "detail", "state", "lane",
        "enqueue", "ready", "begin", "end",
    ]  # fmt: skip
    assert np.all(np.diff(runs["begin"]) >= 0)
    assert np.all(runs["enqueue"] <= runs["begin"])
    assert np.all(runs["begin"] <= runs["end"])
    assert rec.handle_label(1, int(runs["serial"][0])) == "Task-1 · step"
    steps = runs[runs["kind"] == HandleKind.STEP]
    assert set(steps["state"].tolist()) == {State.RUNNING}


def test_eager_first_steps_run_inside_create_task():
    def child(sim):
        sim.work(0.001)
        yield from sim.sleep(0.2, at=3)

    def main(sim):
        kids = [sim.create_task(child, at=7) for _ in range(2)]
        yield from sim.gather(*kids, at=8)

    sim = Sim(scenario="eager.py", eager=True)
    sim.run(main)
    rec = record(sim.w)
    assert rec.problems == {}
    child_id = rec.tasks()[1].id
    slices = rec.slices(child_id)
    assert [s.state for s in slices] == [
        State.RUNNING,
        State.WAITING,
        State.READY,
        State.RUNNING,
    ]
    assert slices[0].detail == "eager first step · paused at eager.py:3"
    assert slices[0].end - slices[0].start == pytest.approx(0.001, abs=1e-4)
    st = rec.state_at(0.1)
    assert st.task(child_id).awaiting_text == "sleep, 0.10 s left"
