"""Copy what is new in a recording into the Gantt chart, once per frame.

Why a feed and not a full redraw: a live run adds thousands of slices a
second. The model hands out only the slices finished since the last call
(``slices_since``) and the chart appends them to its columns; slices still in
progress are replaced wholesale each frame, so bars grow smoothly between
batches. Lanes and end markers are sent for the tasks that changed since the
last frame; stalls are re-sent when they change. Once the recording knows how
the run ended, the chart is told (``finish_run``) and, if it was following the
run, glides to show all of it.
"""

from __future__ import annotations

import numpy as np

from loopviz.model import Recording, SliceCursor, TaskInfo, is_machinery
from loopviz.ui.gantt import GanttView
from loopviz.ui.gantt.lane_tree import LaneChanges, LaneItem, LaneTree
from loopviz.ui.open_slices import open_slices_at
from loopviz.ui.slice_text import SliceDescriber

END_MARKERS = {"result": "done", "exception": "failed", "cancelled": "cancelled"}


def lane_label(task: TaskInfo) -> str:
    """ "Task-2 · get_request()": asyncio's name, and what it runs when the name does not say."""
    coro = task.coro.rsplit(".", 1)[-1]
    if not coro or coro in task.name:
        return task.name
    return f"{task.name} · {coro}()"


class TimelineFeed:
    """Keeps one :class:`GanttView` in step with one :class:`Recording`."""

    def __init__(self, view: GanttView) -> None:
        self.view = view
        self.recording: Recording | None = None
        self._cursor: SliceCursor | None = None
        self._stalls_key: tuple[object, ...] = ()
        self._finished = False
        self._forget_tasks()

    def _forget_tasks(self) -> None:
        self._tree = LaneTree()
        self._task_stamp = 0
        self._oid_lane: dict[int, int] = {}
        """Task oid -> its lane, for the tasks seen so far (their children's parent lane)."""
        self._loop_names: dict[int, str] = {}
        self._marked: dict[int, tuple[int, float, str]] = {}
        """Task row -> its end marker, for the tasks that have one."""

    def reset(self, recording: Recording | None) -> None:
        """Empty the chart and follow ``recording`` from its first event."""
        self.recording = recording
        self._cursor = None
        self._stalls_key = ()
        self._finished = False
        self._forget_tasks()
        self.view.clear()
        if recording is not None:
            self.view.set_describe(SliceDescriber(recording))
        else:
            self.view.set_describe(None)

    def update(self, now: float) -> None:
        """Bring the chart up to ``now`` (seconds from the start of the run)."""
        rec = self.recording
        if rec is None:
            return
        self._sync_tasks(rec)
        batch, self._cursor = rec.slices_since(self._cursor)
        for state, cols in batch.columns.items():
            if len(cols):
                self.view.add_state_slices(int(state), cols.lane, cols.start, cols.end, cols.ref)
        self._sync_open(rec, now)
        self._sync_stalls(rec)
        self.view.set_now(now)
        if not self._finished and rec.outcome is not None:
            self._finished = True
            self.view.finish_run()

    def _sync_tasks(self, rec: Recording) -> None:
        """Lanes and end markers of the tasks that changed since the last frame.

        Only what changed is sent (``Recording.task_changes``): a run creating
        100,000 tasks adds a few hundred lanes a frame, and the chart appends them
        rather than re-sorting every lane (:class:`~loopviz.ui.gantt.lane_tree.LaneTree`).
        A task's lane and its parent's are in its ``TaskInfo``, so the model's
        whole lane list is not needed.
        """
        rows, infos, self._task_stamp = rec.task_changes(self._task_stamp)
        items = [
            LaneItem(lane.id, lane.name, None)
            for lane in rec.loop_lanes()
            if self._loop_names.get(lane.id) != lane.name
        ]
        for item in items:
            self._loop_names[item.lane] = item.label
        if not len(rows) and not items:
            return
        new_markers = []
        markers_moved = False
        oid_lane = self._oid_lane
        for r, info in zip(rows.tolist(), infos, strict=True):
            oid_lane[info.id] = info.lane
            parent = oid_lane.get(info.parent, -1)
            hidden = is_machinery(info)
            items.append(
                LaneItem(
                    info.lane, lane_label(info), parent if 0 <= parent < info.lane else None, hidden
                )
            )
            marker = None
            if info.done is not None and not hidden:
                marker = (info.lane, info.done, END_MARKERS.get(info.outcome or "", "done"))
            old = self._marked.get(r)
            if marker == old:
                continue
            if marker is None:
                del self._marked[r]
            else:
                self._marked[r] = marker
            if old is None:
                new_markers.append(marker)
            else:
                markers_moved = True  # a marker moved or went (the start time came late)
        items.sort()
        self._send_lanes(self._tree.update(items))
        if markers_moved:
            self.view.set_markers(self._marked.values())
        elif new_markers:
            self.view.add_markers(new_markers)

    def _send_lanes(self, changes: LaneChanges) -> None:
        if changes.rebuilt is not None:
            self.view.set_lanes(changes.rebuilt)
            return
        if changes.appended:
            self.view.append_lanes(changes.appended)
        if changes.relabelled:
            self.view.relabel_lanes(changes.relabelled)

    def _sync_open(self, rec: Recording, now: float) -> None:
        batch = open_slices_at(rec, now)
        lanes, starts, states, refs = [], [], [], []
        for state, cols in batch.columns.items():
            if len(cols):
                lanes.append(cols.lane)
                starts.append(cols.start)
                states.append(np.full(len(cols), int(state), np.uint8))
                refs.append(cols.ref)
        if lanes:
            self.view.set_open_slices(
                np.concatenate(lanes),
                np.concatenate(starts),
                np.concatenate(states),
                np.concatenate(refs),
            )
        else:
            empty = np.zeros(0)
            self.view.set_open_slices(
                empty.astype(np.int32), empty, empty.astype(np.uint8), empty.astype(np.int64)
            )

    def _sync_stalls(self, rec: Recording) -> None:
        stalls = tuple((s.begin, s.end) for s in rec.stalls())
        if stalls != self._stalls_key:
            self._stalls_key = stalls
            self.view.set_stalls(stalls)
