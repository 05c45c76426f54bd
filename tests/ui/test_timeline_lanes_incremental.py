"""The chart's lanes, grown a frame at a time, equal the lanes set whole from the model.

The timeline feed sends only the tasks that changed since the last frame and the
chart appends their lanes (a run of 100,000 tasks cannot re-sort every lane each
frame). These tests run a real recording frame by frame through a real
``GanttView`` and compare its rows, names, depths and end markers with a chart
given the whole list at once, the way the feed used to build it.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import pytest

from loopviz.model import Recording, is_machinery
from loopviz.model.synthetic import Sim, StreamWriter, run_together
from loopviz.protocol import EventKind, pack_kind
from loopviz.ui.gantt import GanttView, tree_order
from loopviz.ui.gantt.lane_tree import LaneItem, LaneTree
from loopviz.ui.timeline_feed import END_MARKERS, TimelineFeed, lane_label

K = EventKind
ASYNCIO = "/usr/lib/python3.12/asyncio/base_events.py"


def nested_run() -> StreamWriter:
    """Tasks made over time, children of children, renames, failures, a second loop whose
    first task is asyncio's own (hidden in the chart) and has a child of its own."""
    w = StreamWriter()
    one = Sim(w, loop=1, scenario="nested.py")
    two = Sim(w, loop=2, hello=False, scenario=ASYNCIO)

    def leaf(sim: Sim, k: int) -> Generator[Any, Any, int]:
        yield from sim.sleep(0.001 * (k % 4), at=5)
        if k % 5 == 2:
            raise RuntimeError(f"leaf {k}")
        return k

    def branch(sim: Sim, k: int) -> Generator[Any, Any, None]:
        kids = [sim.create_task(leaf, 10 * k + j, at=11) for j in range(k % 3 + 1)]
        if k % 3 == 0:
            sim.emit(K.TASK_RENAMED, sim.current.oid, sim.w.sid(f"branch {k}"))
        yield from sim.sleep(0.002, at=12)
        for kid in kids:
            if not kid.done:
                yield from sim.wait(kid, at=13)

    def main(sim: Sim) -> Generator[Any, Any, None]:
        for k in range(9):
            sim.create_task(branch, k, at=20)
            yield from sim.sleep(0.002, at=21)
        yield from sim.sleep(0.03, at=22)

    def _cleanup(sim: Sim) -> Generator[Any, Any, None]:
        sim.create_task(leaf, 1, at=31)
        yield from sim.sleep(0.004, at=32)

    def other(sim: Sim) -> Generator[Any, Any, None]:
        yield from sim.sleep(0.006, at=40)
        yield from sim.wait(sim.create_task(_cleanup, at=41), at=42)

    one.start(main, name="main")
    two.start(other, name="other")
    run_together([one, two])
    one.close()
    two.close(exit_message=False, run_end=False)
    return w


def whole_rows(rec: Recording) -> list[tuple[int, str, int]]:
    """The chart's rows from every task and lane at once (what the feed used to send)."""
    tasks = rec.tasks()
    hidden = {t.lane for t in tasks if is_machinery(t)}
    labels = {t.lane: lane_label(t) for t in tasks}
    return tree_order(
        (lane.id, labels.get(lane.id, lane.name), lane.parent if lane.parent >= 0 else None)
        for lane in rec.lanes()
        if lane.id not in hidden
    )


def whole_markers(rec: Recording) -> set[tuple[int, float, int]]:
    kinds = ["done", "cancelled", "failed"]
    return {
        (t.lane, t.done, kinds.index(END_MARKERS.get(t.outcome or "", "done")))
        for t in rec.tasks()
        if t.done is not None and not is_machinery(t)
    }


def shown_rows(view: GanttView) -> list[tuple[int, str, int]]:
    return [(r.lane, r.label, r.depth) for r in view.data.layout.rows]


def shown_markers(view: GanttView) -> set[tuple[int, float, int]]:
    d = view.data
    lanes, times, kinds = d.marker_lane.tolist(), d.marker_t.tolist(), d.marker_kind.tolist()
    return set(zip(lanes, times, kinds, strict=True))


@pytest.fixture
def chart(qtbot) -> GanttView:
    view = GanttView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    return view


def test_lanes_grown_frame_by_frame_equal_the_whole_list(chart: GanttView, qtbot):
    w = nested_run()
    rec = Recording()
    feed = TimelineFeed(chart)
    feed.reset(rec)
    for frame in w.frames(batch_ns=1_000_000):
        rec.feed(frame)
        feed.update(rec.duration)
        assert shown_rows(chart) == whole_rows(rec)
        assert shown_markers(chart) == whole_markers(rec)
    labels = chart.lane_labels()
    assert labels[:2] == ["event loop 1", "event loop 2"]  # "event loop" till the second came
    assert "main" in labels and "other" in labels
    assert "branch 3" in labels and "branch 0" in labels  # renamed while running
    assert not any("_cleanup" in label for label in labels)  # asyncio's own: hidden
    assert any(kind == 2 for _lane, _t, kind in shown_markers(chart))  # a failed leaf

    fresh = GanttView()
    qtbot.addWidget(fresh)
    fresh.resize(900, 600)
    fresh.show()
    fresh.set_lanes(whole_rows(rec))
    assert chart.lane_labels() == fresh.lane_labels()
    guides = [chart.data.layout.guides[r] for r in range(len(chart.data.layout))]
    assert guides == [fresh.data.layout.guides[r] for r in range(len(fresh.data.layout))]
    qtbot.waitUntil(lambda: not chart.lane_axis.measuring)
    assert chart.lane_axis.natural_width == fresh.lane_axis.natural_width


def test_thousands_of_new_lanes_are_measured_a_batch_per_turn(chart: GanttView, qtbot):
    chart.set_lanes([(0, "event loop", 0), (1, "main", 0)])
    many = [(k, f"Task-{k} · nap()", 1) for k in range(2, 5002)]
    many[-1] = (5001, "Task-5001 · a_coroutine_with_a_much_longer_name()", 1)
    chart.append_lanes(many)
    assert chart.lane_axis.measuring  # the last name waits for a later turn
    assert len(chart.lane_labels()) == 5002  # the rows themselves are all there
    qtbot.waitUntil(lambda: not chart.lane_axis.measuring)
    fresh = GanttView()
    qtbot.addWidget(fresh)
    fresh.resize(900, 600)
    fresh.show()
    fresh.set_lanes([(0, "event loop", 0), (1, "main", 0), *many])
    assert chart.lane_axis.natural_width == fresh.lane_axis.natural_width
    wide = chart.lane_axis.natural_width
    chart.relabel_lanes({5001: "Task-5001 · short()"})  # the widest name gets shorter
    many[-1] = (5001, "Task-5001 · short()", 1)
    fresh.set_lanes([(0, "event loop", 0), (1, "main", 0), *many])
    assert chart.lane_axis.natural_width == fresh.lane_axis.natural_width < wide
    assert chart.lane_labels() == fresh.lane_labels()


def test_late_names_and_a_rename_reach_the_lanes(chart: GanttView):
    w = nested_run()
    records = np.frombuffer(w.records.tobytes(), dtype="<i8").reshape(-1, 6)
    rec = Recording()
    rec.add_messages(w.messages[:1])
    rec.add_records(records)  # no strings yet: every task is "Task #oid"
    feed = TimelineFeed(chart)
    feed.reset(rec)
    feed.update(rec.duration)
    assert all(label.startswith(("Task #", "event loop")) for label in chart.lane_labels())
    rec.add_strings(w.strings)  # names, and asyncio's own task is known (and hidden)
    feed.update(rec.duration)
    assert shown_rows(chart) == whole_rows(rec)
    assert "main" in chart.lane_labels()
    layout = chart.data.layout
    t_end = rec.end_ns
    main = next(t for t in rec.tasks() if t.name == "main")
    rec.add_strings([(10**6, "the main task")])
    rec.add_records(np.array([[pack_kind(K.TASK_RENAMED, 1), t_end, main.id, 10**6, 0, 0]]))
    feed.update(rec.duration)
    assert chart.data.layout is layout  # renamed in place, not rebuilt
    assert shown_rows(chart) == whole_rows(rec)
    assert "the main task" in chart.lane_labels()


def test_the_lane_tree_appends_or_rebuilds_as_tree_order_would():
    tree = LaneTree()
    first = tree.update(
        [LaneItem(0, "event loop", None), LaneItem(1, "main", None), LaneItem(2, "a", 1)]
    )
    assert first.appended == [(0, "event loop", 0), (1, "main", 0), (2, "a", 1)]
    assert first.rebuilt is None
    # A child of "a" (the last row) and of "main" (its parent) both go at the bottom.
    more = tree.update([LaneItem(3, "a.1", 2), LaneItem(4, "b", 1)])
    assert more.appended == [(3, "a.1", 2), (4, "b", 1)] and more.rebuilt is None
    # A child of "a" now belongs above "b": the order is rebuilt.
    again = tree.update([LaneItem(5, "a.2", 2)])
    assert again.rebuilt == [
        (0, "event loop", 0),
        (1, "main", 0),
        (2, "a", 1),
        (3, "a.1", 2),
        (5, "a.2", 2),
        (4, "b", 1),
    ]
    renamed = tree.update([LaneItem(4, "bee", 1)])
    assert renamed.relabelled == {4: "bee"} and renamed.rebuilt is None
    hidden = tree.update([LaneItem(2, "a", 1, hidden=True)])
    assert [lane for lane, _l, _d in hidden.rebuilt] == [0, 1, 4, 3, 5]  # a's children: roots
