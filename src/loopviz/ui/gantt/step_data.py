"""The chart's content re-timed onto the loop-steps axis (see ``loopviz.model.step_axis``).

Why a second :class:`GanttData` rather than a non-linear painter: every layer of
the chart (bars, merging, labels, markers, stalls, culling) works in a linear x.
Mapping the slices' times once, as they arrive, keeps all of that untouched: the
steps copy is just another chart content whose x happens to be "steps".
"""

from __future__ import annotations

import numpy as np

from loopviz.model.step_axis import StepAxis
from loopviz.ui.gantt.data import GanttData
from loopviz.ui.gantt.palette import N_STATES

ALL = (-np.inf, np.inf)
INSET = 0.04  # of a column, at each end of a bar: a hairline between neighbouring runs


def add_mapped(
    shown: GanttData,
    axis: StepAxis,
    state: int,
    lane: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    detail: np.ndarray | None,
) -> None:
    """Append one state's batch of wall-time slices to ``shown``, in steps."""
    s, e = inset(axis.to_steps(np.asarray(start, np.float64)), axis.to_steps(np.asarray(end)))
    shown.add_state_slices(state, lane, s, e, detail)


def inset(s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pull both ends of every bar in by ``INSET`` of a column, if it is wide enough.

    Why: five callbacks in a row on the event-loop lane would otherwise merge into
    one block, and the point of the steps axis is that each run is seen as one.
    """
    wide = (e - s) > 3 * INSET
    return np.where(wide, s + INSET, s), np.where(wide, e - INSET, e)


def copy_unchanged(wall: GanttData, shown: GanttData) -> None:
    """What does not depend on time: the lanes."""
    shown.layout = wall.layout
    shown.version += 1


def map_open_markers_stalls(wall: GanttData, shown: GanttData, axis: StepAxis) -> None:
    """Open slices, "now", end markers and stalls: small, so re-mapped whole on change."""
    shown.now = float(axis.to_steps(wall.now))
    shown.set_open(
        wall.open_lane,
        axis.to_steps(wall.open_start) + INSET,
        wall.open_state,
        wall.open_detail,
    )
    shown.marker_lane = wall.marker_lane
    shown.marker_t = axis.to_steps(wall.marker_t)
    shown.marker_kind = wall.marker_kind
    shown.stall_start = axis.to_steps(wall.stall_start)
    ends = wall.stall_end
    shown.stall_end = np.where(np.isnan(ends), np.nan, axis.to_steps(np.nan_to_num(ends)))
    shown.version += 1


def steps_copy(wall: GanttData, axis: StepAxis) -> GanttData:
    """All of ``wall`` on the steps axis (rebuilt when the step boundaries change)."""
    shown = GanttData()
    copy_unchanged(wall, shown)
    for state in range(N_STATES):
        for part in wall.columns[state].chunks(*ALL, with_detail=True):
            if len(part):
                add_mapped(shown, axis, state, part.lane, part.start, part.end, part.detail)
    map_open_markers_stalls(wall, shown, axis)
    return shown
