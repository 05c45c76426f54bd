"""Where each task is in the code: the margin markers and the stall line of the source pane.

Two halves. :func:`markers_for` turns one :class:`~loopviz.model.LoopState` into
a :class:`SourceMarkers` (plain data, easy to test): which line each task of the
shown file is paused at, which task runs, and which line blocks the loop.
:func:`paint_line_markers` draws one line's markers in the gutter: a dot per
task in its lane's colour, a bigger outlined chevron for the task that runs,
and a "×5" badge when more tasks share a line than fit side by side.

Locations in the model are ``file:line`` with the file shortened to its name
(``TaskState.line``), while stall frames keep the full path; :func:`same_file`
accepts either against the shown file's path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

from loopviz.model import LoopState, State, TaskState
from loopviz.ui.units import format_duration

MAX_SIDE_BY_SIDE = 3
"""More tasks than this on one line collapse into one marker and a "×N" badge."""
LISTED = 12
"""Markers kept for one line (the first ones and the last); the tooltip counts the rest."""

# Categorical lane colours, distinct on a projector and never red (red means "stall").
_LIGHT_LANES = (
    "#1565c0",
    "#e08a00",
    "#00897b",
    "#8e24aa",
    "#5d8c00",
    "#c2185b",
    "#0097c4",
    "#795548",
)
_DARK_LANES = (
    "#64a8ff",
    "#ffb938",
    "#4dd0c0",
    "#d08cff",
    "#a5d65a",
    "#ff7eb3",
    "#4fd2ff",
    "#c9a27e",
)

_STATE_WORDS = {
    State.RUNNING: "running",
    State.READY: "ready (in the ready queue)",
    State.WAITING: "waiting",
    State.NEW: "created, not started yet",
}


def lane_color(lane: int, dark: bool = False) -> QColor:
    """A task lane's colour (lane 0 is the event loop's; tasks start at 1)."""
    colors = _DARK_LANES if dark else _LIGHT_LANES
    return QColor(colors[(max(lane, 1) - 1) % len(colors)])


def lane_colors_for(dark: bool) -> Callable[[int], QColor]:
    """``lane -> colour`` for :meth:`SourcePane.show_state` when the window has no other."""
    return lambda lane: lane_color(lane, dark)


def split_location(location: str) -> tuple[str, int] | None:
    """``"dir/file.py:12"`` -> ``("dir/file.py", 12)``; None if there is no line number."""
    path, sep, line = location.rpartition(":")
    if not sep or not path or not line.isdigit():
        return None
    return path, int(line)


def same_file(file: str, path: str | os.PathLike[str] | None) -> bool:
    """Whether a location's ``file`` (full path or bare file name) is the shown ``path``."""
    if not file or path is None:
        return False
    shown = os.fspath(path)
    if os.sep in file or "/" in file:
        return os.path.normpath(file) == os.path.normpath(shown)
    return file == os.path.basename(shown)


@dataclass(frozen=True)
class TaskMarker:
    """One task on one line of the shown file."""

    task: int
    name: str
    lane: int
    state: State
    color: QColor
    running: bool
    detail: str
    """What the tooltip says after the name, e.g. "waiting: sleep, 0.42 s left"."""


@dataclass(frozen=True)
class StallMark:
    """The line that blocks the loop right now."""

    line: int
    """0-based line in the shown file."""
    elapsed: float
    call: str | None
    task: int

    @property
    def label(self) -> str:
        """E.g. "requests.get(…) blocks the loop · 0.73 s" (the view adds an arrow)."""
        what = f"{self.call}(…) " if self.call else ""
        return f"{what}blocks the loop · {format_duration(self.elapsed)}"

    @property
    def short_label(self) -> str:
        return f"blocking · {format_duration(self.elapsed)}"

    @property
    def tiny_label(self) -> str:
        """Just the number, for the gutter when no line has room for more."""
        return format_duration(self.elapsed)


@dataclass(frozen=True)
class SourceMarkers:
    """Everything the source pane marks at one instant (lines are 0-based)."""

    lines: dict[int, tuple[TaskMarker, ...]] = field(default_factory=dict)
    stall: StallMark | None = None
    running_line: int | None = None
    running_color: QColor | None = None
    counts: dict[int, int] = field(default_factory=dict)
    """Tasks on a line when there are more than the :data:`LISTED` markers kept."""

    def __bool__(self) -> bool:
        return bool(self.lines) or self.stall is not None

    def tasks_on(self, line: int) -> tuple[TaskMarker, ...]:
        return self.lines.get(line, ())

    def count_on(self, line: int) -> int:
        """How many tasks are on ``line`` (``tasks_on`` keeps at most :data:`LISTED`)."""
        return self.counts.get(line, len(self.lines.get(line, ())))

    def focus_line(self) -> int | None:
        """The line the view should keep in sight: the stall's, else the running task's."""
        if self.stall is not None:
            return self.stall.line
        return self.running_line

    def annotation(self, line: int) -> str:
        """The names written after a marked line, e.g. "ticker · waiting", "Task-2 … Task-6 (5)"."""
        tasks = self.tasks_on(line)
        if not tasks:
            return ""
        if len(tasks) == 1:
            word = "running" if tasks[0].running else _SHORT_WORDS.get(tasks[0].state, "")
            return f"{tasks[0].name} · {word}" if word else tasks[0].name
        names = [m.name for m in tasks]
        if len(names) <= MAX_SIDE_BY_SIDE:
            return ", ".join(names)
        return f"{names[0]} … {names[-1]} ({self.count_on(line)} tasks)"

    def tooltip(self, line: int) -> str:
        """Plain-text tooltip for a line's markers ("" when nothing is marked there)."""
        tasks = self.tasks_on(line)
        rows = [f"{m.name} — {m.detail}" for m in tasks]
        more = self.count_on(line) - len(tasks)
        if more > 0:
            rows.insert(-1, f"… and {more:,} more")
        if self.stall is not None and self.stall.line == line:
            call = f"{self.stall.call}() " if self.stall.call else "This line "
            so_far = format_duration(self.stall.elapsed)
            rows.insert(0, f"{call}blocks the event loop: {so_far} so far")
        return "\n".join(rows)


NO_MARKERS = SourceMarkers()

_SHORT_WORDS = {State.READY: "ready", State.WAITING: "waiting", State.NEW: "not started"}


def _detail(task: TaskState, running: bool, blocking: bool) -> str:
    if blocking:
        return "running — blocking the event loop"
    if running:
        return "running"
    word = _STATE_WORDS.get(task.state, task.state.name.lower())
    if task.state == State.WAITING and task.awaiting_text:
        return f"{word}: {task.awaiting_text}"
    return word


def markers_for(
    state: LoopState,
    path: str | os.PathLike[str] | None,
    lane_colors: Callable[[int], QColor],
) -> SourceMarkers:
    """The markers of ``state`` that fall in the file at ``path``.

    Finished tasks get no marker. The task that runs is drawn where its step is
    now: at the stall's line while it blocks the loop, else at the line it last
    resumed from (the model knows a task's line only when it pauses).

    Work follows the lines, not the tasks: the model groups the tasks by line in
    bulk, and a line keeps at most :data:`LISTED` markers (and its count), so
    100,000 tasks on one ``await`` cost what a handful do.
    """
    stall = state.stall
    stall_mark = None
    stall_task = 0
    if stall is not None:
        stall_task = stall.task
        where = stall.where
        if where is not None and where.line > 0 and same_file(where.file, path):
            stall_mark = StallMark(where.line - 1, stall.elapsed, stall.call, stall.task)
    ids, lanes, codes = state.task_ids, state.task_lanes, state.task_states
    blocking_row = -1
    if stall is not None:
        found = np.flatnonzero((ids == stall_task) & (codes == State.RUNNING))
        blocking_row = int(found[0]) if len(found) else -1
    by_line: dict[int, np.ndarray] = {}
    for location, rows in state.task_lines().items():
        loc = split_location(location)
        if loc is None or not same_file(loc[0], path) or loc[1] <= 0:
            continue
        by_line[loc[1] - 1] = rows
    if blocking_row >= 0 and stall_mark is not None:
        for line, rows in list(by_line.items()):  # the blocking task is at the stall's line
            if blocking_row in rows:
                rest = rows[rows != blocking_row]
                by_line[line] = rest
                if not len(rest):
                    del by_line[line]
        line = stall_mark.line
        with_it = np.append(by_line.get(line, np.zeros(0, np.int64)), blocking_row)
        by_line[line] = np.sort(with_it)
    lines: dict[int, tuple[TaskMarker, ...]] = {}
    counts: dict[int, int] = {}
    running_line = None
    running_color = None
    first_running = None
    for line, rows in by_line.items():
        running = codes[rows] == State.RUNNING
        order = np.lexsort((ids[rows], lanes[rows], ~running))
        picked = order if len(order) <= LISTED else np.append(order[: LISTED - 1], order[-1])
        markers = []
        for k in picked.tolist():
            row = int(rows[k])
            task = state.task_at(row)
            is_running = task.state == State.RUNNING
            color = QColor(lane_colors(task.lane))
            blocking = is_running and row == blocking_row
            markers.append(
                TaskMarker(
                    task.task,
                    task.name,
                    task.lane,
                    task.state,
                    color,
                    is_running,
                    _detail(task, is_running, blocking),
                )
            )
            if is_running and (first_running is None or row < first_running):
                first_running, running_line, running_color = row, line, color
        lines[line] = tuple(markers)
        if len(rows) > len(markers):
            counts[line] = len(rows)
    return SourceMarkers(lines, stall_mark, running_line, running_color, counts)


# -- painting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkerMetrics:
    """Sizes of the marker column, derived from the code font's line height."""

    line_height: int

    @property
    def dot(self) -> float:
        return max(8.0, self.line_height * 0.62)

    @property
    def step(self) -> float:
        return self.dot + 3

    @property
    def chevron(self) -> float:
        return max(10.0, self.line_height * 0.78)

    def column_width(self) -> int:
        side_by_side = self.chevron + (MAX_SIDE_BY_SIDE - 1) * self.step
        return round(side_by_side + 10)

    def slot_rect(self, row: QRectF, index: int, running_first: bool) -> QRectF:
        """Where the ``index``-th marker of a line goes, inside the line's ``row``."""
        x = row.left() + 4
        if running_first and index > 0:
            x += self.chevron + 2 + (index - 1) * self.step
        else:
            x += index * self.step
        size = self.chevron if running_first and index == 0 else self.dot
        return QRectF(x, row.center().y() - size / 2, size, size)


def _chevron(rect: QRectF) -> QPainterPath:
    """A right-pointing arrow head: "this task is here, running"."""
    path = QPainterPath()
    path.moveTo(rect.left(), rect.top())
    path.lineTo(rect.right(), rect.center().y())
    path.lineTo(rect.left(), rect.bottom())
    path.lineTo(rect.left() + rect.width() * 0.3, rect.center().y())
    path.closeSubpath()
    return path


def paint_line_markers(
    painter: QPainter,
    row: QRectF,
    markers: tuple[TaskMarker, ...],
    metrics: MarkerMetrics,
    outline: QColor,
    badge_font: QFont,
    badge_color: QColor,
    count: int | None = None,
) -> list[tuple[QRectF, TaskMarker]]:
    """Draw one line's markers in ``row`` (the marker column's slice of that line).

    ``count``: the tasks on the line when ``markers`` holds only some (the badge's N).
    Returns where each drawn marker went (tests read the centres' pixels).
    """
    count = len(markers) if count is None else count
    if not markers:
        return []
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    running_first = markers[0].running
    shown = markers if count <= MAX_SIDE_BY_SIDE else markers[:1]
    placed = []
    for index, marker in enumerate(shown):
        rect = metrics.slot_rect(row, index, running_first)
        if marker.running and index == 0:
            painter.setPen(QPen(outline, 1.6))
            painter.setBrush(marker.color)
            painter.drawPath(_chevron(rect))
        else:
            painter.setPen(QPen(outline, 1.2))
            painter.setBrush(marker.color)
            painter.drawEllipse(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        placed.append((rect, marker))
    if count > MAX_SIDE_BY_SIDE:
        first = placed[0][0]
        text_rect = QRectF(
            first.right() + 2, row.top(), row.right() - first.right() - 2, row.height()
        )
        painter.setFont(badge_font)
        painter.setPen(badge_color)
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            badge_text(count),
        )
    painter.restore()
    return placed


def badge_text(count: int) -> str:
    """ "×5", "×999", "×2k", "×100k": short enough for the gutter (the tooltip has the figure)."""
    if count < 1000:
        return f"×{count}"
    if count < 1_000_000:
        return f"×{round(count / 1000)}k"
    return f"×{round(count / 1_000_000)}M"


def marker_center(rect: QRectF) -> QPointF:
    """A point well inside a drawn marker (a chevron's centre is inside its body)."""
    return QPointF(rect.left() + rect.width() * 0.55, rect.center().y())
