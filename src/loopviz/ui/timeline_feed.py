"""Copy what is new in a recording into the Gantt chart, once per frame.

Why a feed and not a full redraw: a live run adds thousands of slices a
second. The model hands out only the slices finished since the last call
(``slices_since``) and the chart appends them to its columns; slices still in
progress are replaced wholesale each frame, so bars grow smoothly between
batches. Lanes, end markers and stalls change rarely and are only re-sent when
they do. Once the recording knows how the run ended, the chart is told
(``finish_run``) and, if it was following the run, glides to show all of it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer

from loopviz.model import Recording, SliceCursor, TaskInfo, is_machinery
from loopviz.ui.cost_throttle import CostThrottle
from loopviz.ui.gantt import GanttView, tree_order
from loopviz.ui.slice_text import SliceDescriber

SPLIT_AFTER = 0.05
"""Seconds: lanes that took longer than this to list are handed to the chart next frame."""
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
        self._lanes_key: tuple[int, int] = (-1, -1)
        self._stalls_key: tuple[object, ...] = ()
        self._markers_key = -1
        self._finished = False
        self._lanes_due = CostThrottle()
        self._lanes_pending: list[tuple[int, str, int]] | None = None
        self._markers_due = CostThrottle()

    def reset(self, recording: Recording | None) -> None:
        """Empty the chart and follow ``recording`` from its first event."""
        self.recording = recording
        self._cursor = None
        self._lanes_key = (-1, -1)
        self._stalls_key = ()
        self._markers_key = -1
        self._finished = False
        self._lanes_due.reset()
        self._lanes_pending = None
        self._markers_due.reset()
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
        self._sync_lanes(rec)
        batch, self._cursor = rec.slices_since(self._cursor)
        for state, cols in batch.columns.items():
            if len(cols):
                self.view.add_state_slices(int(state), cols.lane, cols.start, cols.end, cols.ref)
        self._sync_open(rec, now)
        self._sync_stalls(rec)
        self._sync_markers(rec)
        self.view.set_now(now)
        if not self._finished and rec.outcome is not None:
            self._finished = True
            self.view.finish_run()

    def _sync_lanes(self, rec: Recording) -> None:
        # Lanes cost in proportion to the tasks (100,000: a second in the model, as long
        # again in the chart): while a big run creates tasks they are re-sent now and then,
        # and once more when it ends; a costly list reaches the chart a frame later, so
        # the two halves freeze the window for half as long each.
        if self._lanes_pending is not None:
            return  # on its way to the chart
        if not self._lanes_due.due(force=rec.outcome is not None):
            return
        began = self._lanes_due.start()
        tasks = rec.tasks()
        lanes = rec.lanes()
        key = (len(lanes), len(tasks))
        if key == self._lanes_key:
            return
        self._lanes_key = key
        hidden = {t.lane for t in tasks if is_machinery(t)}
        labels = {t.lane: lane_label(t) for t in tasks}
        rows = [
            (lane.id, labels.get(lane.id, lane.name), lane.parent if lane.parent >= 0 else None)
            for lane in lanes
            if lane.id not in hidden
        ]
        ordered = tree_order(rows)
        if self._lanes_due.start() - began > SPLIT_AFTER:
            self._lanes_due.ran(began)
            self._lanes_pending = ordered
            QTimer.singleShot(0, lambda: self._send_lanes(rec, ordered))
        else:
            self.view.set_lanes(ordered)
            self._lanes_due.ran(began)

    def _send_lanes(self, rec: Recording, rows: list[tuple[int, str, int]]) -> None:
        """The second half of a costly lane update, after the events that queued meanwhile."""
        if rec is not self.recording or rows is not self._lanes_pending:
            return  # another recording since
        self._lanes_pending = None
        began = self._lanes_due.start()
        self.view.set_lanes(rows)
        self._lanes_due.ran(began)

    def _sync_open(self, rec: Recording, now: float) -> None:
        batch = rec.open_slices(now)
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

    def _sync_markers(self, rec: Recording) -> None:
        if not self._markers_due.due(force=rec.outcome is not None):
            return
        began = self._markers_due.start()
        tasks = rec.tasks()
        done = sum(1 for t in tasks if t.done is not None)
        if done == self._markers_key:
            return
        self._markers_key = done
        self.view.set_markers(
            (t.lane, t.done, END_MARKERS.get(t.outcome or "", "done"))
            for t in tasks
            if t.done is not None and not is_machinery(t)
        )
        self._markers_due.ran(began)
