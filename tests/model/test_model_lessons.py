"""The founding lessons, as the recording shows them to a class."""

from __future__ import annotations

import pytest
from model_lessons import (
    BLOCK_WHERE,
    blocking_requests,
    coroutines_are_not_tasks,
    create_task,
    record,
    sequential_awaits,
)

from loopviz.model import State


def test_sequential_awaits_take_five_seconds_on_one_lane():
    rec = record(sequential_awaits().w)
    assert rec.duration == pytest.approx(5.0, abs=0.01)
    assert [t.name for t in rec.tasks()] == ["Task-1"]
    main = rec.tasks()[0]
    waits = [s for s in rec.slices(main.id) if s.state == State.WAITING]
    assert len(waits) == 5
    assert [round(s.start) for s in waits] == [0, 1, 2, 3, 4]
    assert all(s.end - s.start == pytest.approx(1.0, abs=0.001) for s in waits)

    st = rec.state_at(2.5)
    assert [(t.name, t.state) for t in st.tasks] == [("Task-1", State.WAITING)]
    assert st.tasks[0].awaiting_text == "sleep, 0.50 s left"
    assert st.tasks[0].line == "01_sequential_awaits.py:24"
    # Each coroutine is awaited right after it is created: none is left pending.
    assert st.coroutines == ()
    assert st.loops[0].idle


def test_coroutines_are_not_tasks_until_gathered():
    rec = record(coroutines_are_not_tasks().w)
    assert rec.duration == pytest.approx(3.0, abs=0.01)

    before = rec.state_at(1.0)
    assert [t.name for t in before.tasks] == ["Task-1"]
    assert before.tasks[0].awaiting_text == "sleep, 1.00 s left"
    assert [c.qualname for c in before.coroutines] == ["get_request"] * 5
    assert all(c.location == "02_coroutines_are_not_tasks.py:37" for c in before.coroutines)
    assert before.output_count == 1
    assert before.recent_output[-1].text == "Number of tasks: 1"

    during = rec.state_at(2.5)
    assert during.coroutines == ()
    assert len(during.tasks) == 6
    main = during.tasks[0]
    assert main.awaiting_text == "gather: 0 of 5 done"
    assert all(t.awaiting_text == "sleep, 0.50 s left" for t in during.tasks[1:])

    children = [t for t in rec.tasks() if t.parent == rec.tasks()[0].id]
    assert len(children) == 5
    assert all(t.created == pytest.approx(2.0, abs=0.01) for t in children)
    third, fourth = sorted(t.done for t in children)[2:4]
    mid = rec.state_at((third + fourth) / 2)
    assert mid.tasks[0].awaiting_text == "gather: 3 of 5 done"
    # A pending future lists who waits on it.
    gather = next(f for f in mid.futures if f.label == "gather")
    assert gather.waiter_names == ("Task-1",)


def test_create_task_runs_requests_during_the_sleep():
    rec = record(create_task().w)
    assert rec.duration == pytest.approx(2.0, abs=0.01)
    st = rec.state_at(0.5)
    assert len(st.tasks) == 6
    assert st.tasks[0].awaiting_text == "sleep, 1.50 s left"
    assert [t.awaiting_text for t in st.tasks[1:]] == ["sleep, 0.50 s left"] * 5
    assert [t.state for t in rec.state_at(1.5).tasks[1:]] == [State.DONE] * 5
    assert all(t.done == pytest.approx(1.0, abs=0.01) for t in rec.tasks()[1:])
    assert all(t.outcome == "result" for t in rec.tasks())
    assert rec.tasks()[1].detail == "'<html of u0>'"


def test_blocking_call_stops_the_ticker_and_says_where():
    rec = record(blocking_requests(block=1.5).w)
    [stall] = rec.stalls()
    assert stall.begin == pytest.approx(0.5, abs=0.01)
    assert stall.duration == pytest.approx(1.5, abs=0.01)
    assert stall.call == "requests.get"
    assert (stall.where.file, stall.where.line) == BLOCK_WHERE[:2]
    assert stall.where.text == "requests.get(URL)"

    st = rec.state_at(1.2)
    assert st.stall is not None
    assert st.stall.call == "requests.get"
    assert st.stall.where.line == 31
    assert st.stall.elapsed == pytest.approx(0.7, abs=0.01)
    assert st.running.blocking
    assert st.running.label == "Task-1 · wakeup ← sleep"
    ticker = st.task(rec.tasks()[1].id)
    # Its timer is overdue: the blocked loop cannot fire it.
    assert ticker.state == State.WAITING
    assert ticker.awaiting_text == "sleep, due 0.70 s ago"
    assert st.timers[0].left < 0

    # No tick is recorded while the loop is blocked.
    ticker_runs = [s for s in rec.slices(rec.tasks()[1].id) if s.state == State.RUNNING]
    assert not [s for s in ticker_runs if 0.51 < s.start < 1.99]
    blocking = [s for s in rec.slices(rec.tasks()[0].id) if s.state == State.BLOCKING]
    assert len(blocking) == 1

    stats = rec.stats()
    assert stats.longest_handle.duration == pytest.approx(1.5, abs=0.01)
    assert stats.stalls == 1
    assert stats.busy > 0.5
