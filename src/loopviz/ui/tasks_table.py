"""The tasks table: one row per task, its state and what it awaits at the cursor time.

A ``QAbstractTableModel`` over plain rows, updated in place: each
:meth:`TasksPane.show_state` compares the new rows with the old and emits
at most two ``dataChanged`` spans (names and states apart from the countdowns
and times that tick, so a table sorted by name does not re-sort as time goes), and
``rowsInserted`` for tasks created since. A filter box narrows thousands of
tasks by any word of a row ("waiting", "Queue.get", "get_request", a file).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from loopviz.model import LoopState, Recording, State, TaskState
from loopviz.ui.empty_state import EmptyStateOverlay
from loopviz.ui.gantt.palette import GanttPalette
from loopviz.ui.live_style import (
    SHOWN_MEANING,
    SHOWN_ORDER,
    SORT_ROLE,
    Column,
    ColumnFitter,
    Shown,
    duration_cell,
    make_filter_box,
    make_table,
    state_dot,
    state_palette,
    table_height,
)
from loopviz.ui.row_table_model import RowTableModel
from loopviz.ui.task_times import TaskTimes
from loopviz.ui.theme import LIGHT, Theme

COLUMNS: tuple[str, ...] = (
    "Task",
    "State",
    "Awaiting",
    "Parent",
    "Steps",
    "Running",
    "Ready",
    "Waiting",
    "Created at",
)
COLUMN_TIPS: dict[str, str] = {
    "Task": "The task's name (asyncio's Task-N unless the scenario named it)",
    "State": "New, ready, running, waiting, done, cancelled or failed at the cursor time",
    "Awaiting": "What a waiting task is paused on: a sleep, another task, a gather, a queue…",
    "Parent": "The task that was running when this one was created",
    "Steps": "How many times the event loop has run a step of this task so far",
    "Running": "Time spent running its steps so far",
    "Ready": "Time spent in the ready queue, waiting for its turn, so far",
    "Waiting": "Time spent paused at an await so far",
    "Created at": "The line (file:line) that created the task",
}
SIZING: tuple[Column, ...] = (
    Column(rank=0, floor=None, cap=220),  # Task: never cut
    Column(rank=1, floor=None, cap=220),  # State
    Column(rank=2, floor=None, cap=380),  # Awaiting
    Column(rank=6, floor=60, cap=200),  # Parent
    Column(rank=4, floor=44, cap=80),  # Steps
    Column(rank=3, floor=56, cap=110),  # Running
    Column(rank=4, floor=56, cap=110),  # Ready
    Column(rank=4, floor=56, cap=110),  # Waiting
    Column(rank=5, floor=70, cap=320),  # Created at: stretches into what is left
)
"""Task, State and Awaiting are sized to their text and never cut; the times stay compact."""
SHOWN_ROWS = 6
"""Rows the pane asks room for (``sizeHint``): lesson 03's main and five requests."""
KEY_WIDTH = 340
"""Width (px) the pane asks for at least: Task, State and "sleep, 0.71 s left" side by side."""
EMPTY_TEXT = "No tasks yet — run a scenario to see its tasks."
BUSY_ROWS = 500
BUSY_RATE = 10.0
"""A table of more than BUSY_ROWS tasks follows the cursor at most BUSY_RATE times a second
(the newest state always wins; a debounced single-shot timer shows it)."""
TASK, STATE, AWAITING, PARENT, STEPS, RUNNING, READY, WAITING, CREATED = range(len(COLUMNS))

_Index = QModelIndex | QPersistentModelIndex
_ENDS = {"exception": Shown.FAILED, "cancelled": Shown.CANCELLED}
_STATES = {
    State.NEW: Shown.NEW,
    State.READY: Shown.READY,
    State.RUNNING: Shown.RUNNING,
    State.WAITING: Shown.WAITING,
    State.BLOCKING: Shown.BLOCKING,
}


def short_location(location: str, scenario: str | None = None) -> str:
    """``/long/path/demo.py:12`` → ``demo.py:12``; ``line 12`` in the scenario's own file."""
    path, sep, line = location.rpartition(":")
    if sep and line.isdigit():
        name = os.path.basename(path)
        if scenario and name == os.path.basename(scenario):
            return f"line {line}"
        return f"{name}:{line}"
    return location


def scenario_of(recording: Recording | None) -> str | None:
    """The scenario file a recording ran (from its hello), if known."""
    if recording is None:
        return None
    path = recording.hello.get("scenario")
    return path if isinstance(path, str) and path else None


class TaskRow(NamedTuple):
    """What one row shows; compared as a whole (a tuple) to find what changed."""

    task: int
    name: str
    shown: Shown
    state_text: str
    awaiting: str
    parent: str
    created_at: str
    steps: int
    running: float
    ready: float
    waiting: float
    coro: str
    line: str
    detail: str

    def texts(self) -> tuple[str, str, str, str, str]:
        return (self.name, self.state_text, self.awaiting, self.parent, self.created_at)

    def numbers(self) -> tuple[int, float, float, float]:
        return (self.steps, self.running, self.ready, self.waiting)

    def haystack(self) -> str:
        """Lower-case words the filter searches."""
        return " ".join(
            (self.name, self.state_text, self.awaiting, self.parent, self.coro, self.created_at)
        ).lower()


class _Static(NamedTuple):
    """A task's texts that do not change with the cursor (from ``Recording.tasks()``)."""

    parent: str
    created_at: str
    coro: str
    outcome: str | None
    detail: str


_NO_STATIC = _Static("", "", "", None, "")


def shown_state(ts: TaskState, outcome: str | None, blocking: bool) -> Shown:
    """What the State column says: the task's state, or how it ended (``outcome``)."""
    if ts.state == State.DONE:
        return _ENDS.get(outcome, Shown.DONE)  # type: ignore[arg-type]
    if blocking and ts.state == State.RUNNING:
        return Shown.BLOCKING
    return _STATES.get(ts.state, Shown.NEW)


def state_text(shown: Shown, detail: str) -> str:
    if shown is Shown.FAILED and detail:
        return f"failed: {detail.split(':', 1)[0]}"
    return shown.value


class TasksModel(RowTableModel):
    """Rows of :class:`TaskRow`, in creation order; updated in place by :meth:`update`."""

    columns = COLUMNS
    column_tips = COLUMN_TIPS

    def __init__(self, parent: QWidget | None = None, palette: GanttPalette | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TaskRow] = []
        self._hay: list[str | None] = []
        self._row_of: dict[int, int] = {}
        self._palette = palette or state_palette(LIGHT)
        self._muted = QColor(self._palette.muted)
        self._bold = QFont()
        self._bold.setBold(True)

    # -- Qt model -----------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == STATE:
            return state_dot(row.shown, self._palette)
        if role == Qt.ItemDataRole.ForegroundRole and row.shown in _FINISHED:
            return self._muted
        if role == Qt.ItemDataRole.FontRole and column == TASK and row.shown in _ACTIVE:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and STEPS <= column <= WAITING:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    @staticmethod
    def _display(row: TaskRow, column: int) -> Any:
        if column == TASK:
            return row.name
        if column == STATE:
            return row.state_text
        if column == AWAITING:
            return row.awaiting
        if column == PARENT:
            return row.parent
        if column == STEPS:
            return str(row.steps)
        if column == RUNNING:
            return duration_cell(row.running)
        if column == READY:
            return duration_cell(row.ready)
        if column == WAITING:
            return duration_cell(row.waiting)
        return row.created_at

    @staticmethod
    def _sort_key(row: TaskRow, column: int) -> Any:
        if column == TASK:
            return row.task  # creation order, not "Task-10" < "Task-2"
        if column == STATE:
            return SHOWN_ORDER[row.shown]
        if STEPS <= column <= WAITING:
            return row.numbers()[column - STEPS]
        return TasksModel._display(row, column).casefold()

    @staticmethod
    def _tooltip(row: TaskRow, column: int) -> str:
        if column == TASK:
            return f"{row.name} runs {row.coro}()" if row.coro else row.name
        if column == STATE:
            meaning = SHOWN_MEANING[row.shown]
            return f"{meaning}\n{row.detail}" if row.detail else meaning
        if column == AWAITING and row.line:
            return f"{row.awaiting}\npaused at {row.line}" if row.awaiting else f"at {row.line}"
        return TasksModel._display(row, column)  # the whole text of a cut cell

    # -- updates --------------------------------------------------------------------------

    def task_id(self, row: int) -> int:
        return self._rows[row].task

    def row_of(self, task_id: int) -> int:
        return self._row_of.get(task_id, -1)

    def row(self, row: int) -> TaskRow:
        return self._rows[row]

    def haystack(self, row: int) -> str:
        """The row's words for the filter (made when first asked for)."""
        hay = self._hay[row]
        if hay is None:
            hay = self._hay[row] = self._rows[row].haystack()
        return hay

    def set_palette(self, palette: GanttPalette) -> None:
        self._palette = palette
        self._muted = QColor(palette.muted)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, STATE))

    def clear(self) -> None:
        if self._rows:
            self.beginResetModel()
            self._rows, self._hay, self._row_of = [], [], {}
            self.endResetModel()

    def update(self, rows: list[TaskRow]) -> int:
        """Make the model show ``rows`` (same order as before, maybe longer or shorter).

        Returns how many existing rows changed. Rows are matched by position
        (tasks keep their creation order); a different task at a position
        resets the model.
        """
        old = self._rows
        keep = min(len(old), len(rows))
        if any(old[i].task != rows[i].task for i in (0, keep - 1) if keep):
            self.beginResetModel()
            self._set(rows)
            self.endResetModel()
            return len(rows)
        if len(rows) < len(old):
            self.beginRemoveRows(QModelIndex(), len(rows), len(old) - 1)
            self._set(old[: len(rows)])
            self.endRemoveRows()
            old = self._rows
        # Two spans at most, whatever changed: who/state (rare) and what ticks
        # (countdowns and times). A view sorted by name is not re-sorted by ticks.
        # Tuple slices, not attribute access: this loop runs over every task each frame.
        named_lo = ticking_lo = keep
        named_hi = ticking_hi = -1
        changed = 0
        hay = self._hay
        for i in range(keep):
            a, b = old[i], rows[i]
            if a == b:
                continue
            changed += 1
            if a[1:4] != b[1:4] or a[5:7] != b[5:7]:  # name, state, parent, created at
                named_lo, named_hi = min(named_lo, i), i
                hay[i] = None
            if a[4] != b[4] or a[7:11] != b[7:11]:  # awaiting, steps and times
                ticking_lo, ticking_hi = min(ticking_lo, i), i
                hay[i] = None
            old[i] = b
        if named_hi >= 0:
            self.dataChanged.emit(self.index(named_lo, TASK), self.index(named_hi, CREATED))
        if ticking_hi >= 0:
            self.dataChanged.emit(self.index(ticking_lo, AWAITING), self.index(ticking_hi, WAITING))
        if len(rows) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(rows) - 1)
            for i in range(len(old), len(rows)):
                self._rows.append(rows[i])
                self._hay.append(None)
                self._row_of[rows[i].task] = i
            self.endInsertRows()
        return changed

    def _set(self, rows: list[TaskRow]) -> None:
        self._rows = list(rows)
        self._hay = [None] * len(self._rows)
        self._row_of = {r.task: i for i, r in enumerate(self._rows)}


_FINISHED = frozenset({Shown.DONE, Shown.CANCELLED, Shown.FAILED})
_ACTIVE = frozenset({Shown.RUNNING, Shown.BLOCKING})


class RowFilter(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE`; keeps rows whose words contain every typed word."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._terms: tuple[str, ...] = ()
        self.setSortRole(SORT_ROLE)
        # Re-sorting and re-filtering on every dataChanged costs a Python call per
        # changed row: only pay it while a sort or a filter is on.
        self.setDynamicSortFilter(False)

    @property
    def terms(self) -> tuple[str, ...]:
        return self._terms

    def set_text(self, text: str) -> None:
        terms = tuple(text.casefold().split())
        if terms != self._terms:
            self.beginFilterChange()
            self._terms = terms
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
            self._sync_dynamic()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        super().sort(column, order)
        self._sync_dynamic()

    def _sync_dynamic(self) -> None:
        dynamic = bool(self._terms) or self.sortColumn() >= 0
        if dynamic != self.dynamicSortFilter():
            self.setDynamicSortFilter(dynamic)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not self._terms:
            return True
        hay = self.sourceModel().haystack(source_row)  # type: ignore[attr-defined]
        return all(term in hay for term in self._terms)


class TasksPane(QWidget):
    """Filter box, task count and the table; ``taskSelected(oid)`` when the user picks a row."""

    taskSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("PaneBody")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._recording: Recording | None = None
        self._static: dict[int, _Static] = {}
        self._infos_version = -1
        self._times = TaskTimes()
        self._deferred: LoopState | None = None
        self._last_update = float("-inf")
        self._select_later: int | None = None
        self.busy_rate = BUSY_RATE
        """Updates a second once the table holds over :data:`BUSY_ROWS` rows (0: no limit)."""
        self.clock: Callable[[], float] = time.monotonic
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._apply_deferred)
        self._selecting = False
        self.model = TasksModel(self, state_palette(theme))
        self.proxy = RowFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_box = make_filter_box(self, "filter tasks…", "TasksFilter")
        self.filter_box.setToolTip(
            "Show only tasks whose row contains every word typed: a name, a state "
            "(waiting, done…), what they await, their coroutine or file"
        )
        self.filter_box.textChanged.connect(self.set_filter)
        self.count = QLabel("", self)
        self.count.setObjectName("PaneCount")
        self.view = make_table(self, "TasksTable")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.columns = ColumnFitter(self.view, SIZING, stretch=CREATED)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        top = QHBoxLayout()
        top.setContentsMargins(8, 4, 8, 4)
        top.setSpacing(10)
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.empty = EmptyStateOverlay(self.view.viewport(), EMPTY_TEXT)
        self.proxy.rowsInserted.connect(self._refresh_hint)
        self.proxy.rowsRemoved.connect(self._refresh_hint)
        self.proxy.modelReset.connect(self._refresh_hint)
        self.proxy.layoutChanged.connect(self._refresh_hint)
        self._refresh_hint()

    def sizeHint(self) -> QSize:
        """Room for the filter, the header and :data:`SHOWN_ROWS` rows (lesson 03's six tasks).

        As wide as Task, State and Awaiting need (at least :data:`KEY_WIDTH`): the
        other columns may scroll, these three should not.
        """
        top = self.filter_box.sizeHint().height() + 8
        key = sum(self.columns.natural_width(c) for c in (TASK, STATE, AWAITING))
        scroll = self.view.verticalScrollBar().sizeHint().width()
        width = max(KEY_WIDTH, key + scroll + 2 * self.view.frameWidth())
        return QSize(width, top + table_height(self.view, SHOWN_ROWS))

    # -- public -------------------------------------------------------------------------

    def set_recording(self, recording: Recording | None) -> None:
        """A new run (or none): forget the old rows; names and parents come from here."""
        self._recording = recording
        self._static, self._infos_version = {}, -1
        self._deferred = None
        self._times.reset(recording)
        self.model.clear()
        self.columns.reset()
        self._refresh_hint()

    def show_state(self, state: LoopState | None) -> None:
        """Show every task created by ``state.t`` as it is then (None: no rows)."""
        if state is None:
            self._deferred = None
            self.model.clear()
            self._refresh_hint()
            return
        self._deferred = state
        if not self.isVisible():  # a closed dock or a tab behind another: catch up when shown
            return
        if self.model.rowCount() > BUSY_ROWS and self.busy_rate > 0:
            wait = self._last_update + 1.0 / self.busy_rate - self.clock()
            if wait > 0:  # a big table at 30 Hz: show the newest state a little later
                if not self._later.isActive():
                    self._later.start(max(1, round(wait * 1000)))
                return
        self._apply_deferred()

    def _apply_deferred(self) -> None:
        state, self._deferred = self._deferred, None
        if state is None or not self.isVisible():
            self._deferred = state
            return
        self._last_update = self.clock()
        self.model.update(self.rows_for(state))
        self._refresh_hint()
        if self._select_later is not None:
            task, self._select_later = self._select_later, None
            self.select_task(task)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._deferred is not None:
            self._apply_deferred()

    def rows_for(self, state: LoopState) -> list[TaskRow]:
        """The rows for ``state`` (what :meth:`show_state` shows).

        Built for thousands of tasks at 30 Hz: the texts that never change are
        cached per task, the times come as whole arrays, rows are plain tuples.
        """
        tasks = state.tasks
        statics = self._statics()
        blocking = {
            lp.running.task for lp in state.loops if lp.running is not None and lp.running.blocking
        }
        n = len(tasks)
        if self._recording is not None and n:
            lanes = np.fromiter((ts.lane for ts in tasks), dtype=np.int64, count=n)
            times = self._times.at(state.t, int(lanes.max()) + 1)
            steps = times.steps[lanes].tolist()
            running = times.running[lanes].tolist()
            ready = times.ready[lanes].tolist()
            waiting = times.waiting[lanes].tolist()
        else:
            steps, running, ready, waiting = [0] * n, [0.0] * n, [0.0] * n, [0.0] * n
        rows = []
        append, get, states, done = rows.append, statics.get, _STATES, State.DONE
        for k, ts in enumerate(tasks):
            st = get(ts.task, _NO_STATIC)
            if ts.state == done:
                shown = shown_state(ts, st.outcome, False)
                text, detail = state_text(shown, st.detail), st.detail
            else:
                shown = states.get(ts.state, Shown.NEW)
                if blocking and shown is Shown.RUNNING and ts.task in blocking:
                    shown = Shown.BLOCKING
                text, detail = shown.value, ""
            append(
                TaskRow(
                    ts.task,
                    ts.name,
                    shown,
                    text,
                    ts.awaiting_text,
                    st.parent,
                    st.created_at,
                    steps[k],
                    running[k],
                    ready[k],
                    waiting[k],
                    st.coro,
                    ts.line,
                    detail,
                )
            )
        return rows

    def select_task(self, task_id: int) -> bool:
        """Select and reveal the task's row (without emitting ``taskSelected``).

        False if the task has no row, or the filter hides it.
        """
        if self._deferred is not None:  # rows still to come: select it once they are there
            self._apply_deferred()
            if self._deferred is not None:
                self._select_later = task_id
        row = self.model.row_of(task_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self._selecting = True
        try:
            self.view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.scrollTo(index)
        finally:
            self._selecting = False
        return True

    def selected_task(self) -> int | None:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.model.task_id(self.proxy.mapToSource(index).row())

    def set_filter(self, text: str) -> None:
        """Show only rows containing every word of ``text`` (the filter box does this)."""
        if self.filter_box.text() != text:
            self.filter_box.setText(text)  # comes back here through textChanged
            return
        self.proxy.set_text(text)
        self._refresh_hint()

    def set_theme(self, theme: Theme) -> None:
        self.model.set_palette(state_palette(theme))

    def column_titles(self) -> list[str]:
        """The header texts as shown (tests read them)."""
        return [
            str(self.model.headerData(i, Qt.Orientation.Horizontal)) for i in range(len(COLUMNS))
        ]

    def shown_rows(self) -> list[TaskRow]:
        """The rows the table shows, in its (sorted, filtered) order."""
        return [
            self.model.row(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]

    # -- internals ----------------------------------------------------------------------

    def _statics(self) -> dict[int, _Static]:
        """Per task: parent's name, where it was created, its coroutine, how it ended."""
        rec = self._recording
        if rec is not None and rec.version != self._infos_version:
            self._infos_version = rec.version
            infos = rec.tasks()
            names = {info.id: info.name for info in infos}
            scenario = scenario_of(rec)
            self._static = {
                info.id: _Static(
                    names.get(info.parent, ""),
                    short_location(info.created_at, scenario),
                    info.coro,
                    info.outcome,
                    info.detail,
                )
                for info in infos
            }
        return self._static

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting or not current.isValid():
            return
        self.taskSelected.emit(self.model.task_id(self.proxy.mapToSource(current).row()))

    def _refresh_hint(self, *_args: object) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            self.empty.setText(EMPTY_TEXT)
        elif shown == 0:
            self.empty.setText(f"No task matches “{self.filter_box.text()}”")
        self.empty.setVisible(shown == 0)
        noun = "task" if total == 1 else "tasks"
        self.count.setText(f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}")
