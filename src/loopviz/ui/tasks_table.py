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
from dataclasses import dataclass
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
_STATE_TO_SHOWN = np.array(
    [
        list(Shown).index(_STATES.get(code, Shown.DONE if code == State.DONE else Shown.NEW))
        for code in range(max(int(c) for c in State) + 1)
    ],
    dtype=np.int8,
)
"""A :class:`State` code -> index into ``tuple(Shown)`` (DONE for every finished task)."""


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


@dataclass(frozen=True)
class TaskFrame:
    """One instant of the table as arrays by row (creation order); rows are built on demand.

    ``shown`` and ``numbers`` are what tell a changed row from an unchanged one
    without building it; ``build(row)`` makes the :class:`TaskRow` the view asks for.
    """

    ids: np.ndarray
    shown: np.ndarray
    """Index into :data:`_SHOWN` (DONE for every finished task: its outcome is static)."""
    awaiting: np.ndarray
    numbers: np.ndarray
    """Shape (n, 4): steps, running, ready, waiting."""
    build: Callable[[int], TaskRow]
    version: int
    """The recording's version: static texts (names, outcomes) may change with it."""


_SHOWN = tuple(Shown)
_SHOWN_INDEX = {s: k for k, s in enumerate(_SHOWN)}
_NO_FRAME = TaskFrame(
    np.zeros(0, np.int64),
    np.zeros(0, np.int8),
    np.zeros(0, np.int64),
    np.zeros((0, 4)),
    lambda row: TaskRow(0, "", Shown.NEW, "", "", "", "", 0, 0.0, 0.0, 0.0, "", "", ""),
    -1,
)


class TasksModel(RowTableModel):
    """One row per task, in creation order, built when the view asks for it.

    :meth:`update` takes a :class:`TaskFrame`: the row count comes from its arrays,
    changes are found by comparing arrays, and a :class:`TaskRow` is made only for
    the rows the view paints (or a sort or filter reads). With 100,000 tasks a frame
    costs what the rows on screen cost.
    """

    columns = COLUMNS
    column_tips = COLUMN_TIPS
    _frame = _NO_FRAME  # Qt may ask for the row count while __init__ runs

    def __init__(self, parent: QWidget | None = None, palette: GanttPalette | None = None) -> None:
        super().__init__(parent)
        self._frame = _NO_FRAME
        self._built: dict[int, TaskRow] = {}
        self._hay: dict[int, str] = {}
        self._palette = palette or state_palette(LIGHT)
        self._muted = QColor(self._palette.muted)
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._frame.ids)

    # -- Qt model -----------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, column = index.row(), index.column()
        if role == SORT_ROLE and column in _ARRAY_KEYS:  # sorting need not build every row
            return self._array_key(r, column)
        row = self.row(r)
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

    def _array_key(self, r: int, column: int) -> Any:
        f = self._frame
        if column == TASK:
            return int(f.ids[r])
        if column == STATE:
            return SHOWN_ORDER[self.row(r).shown] if f.shown[r] == _DONE else int(f.shown[r])
        value = f.numbers[r, column - STEPS]
        return int(value) if column == STEPS else float(value)

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
        return int(self._frame.ids[row])

    def row_of(self, task_id: int) -> int:
        found = np.flatnonzero(self._frame.ids == task_id)
        return int(found[0]) if len(found) else -1

    def row(self, row: int) -> TaskRow:
        """Row ``row`` as shown now (built on first request in a frame)."""
        built = self._built.get(row)
        if built is None:
            built = self._built[row] = self._frame.build(row)
        return built

    def haystack(self, row: int) -> str:
        """The row's words for the filter (made when first asked for)."""
        hay = self._hay.get(row)
        if hay is None:
            hay = self._hay[row] = self.row(row).haystack()
        return hay

    def set_palette(self, palette: GanttPalette) -> None:
        self._palette = palette
        self._muted = QColor(palette.muted)
        n = self.rowCount()
        if n:
            self.dataChanged.emit(self.index(0, 0), self.index(n - 1, STATE))

    def clear(self) -> None:
        if self.rowCount():
            self.beginResetModel()
            self._frame, self._built, self._hay = _NO_FRAME, {}, {}
            self.endResetModel()

    def update(self, frame: TaskFrame) -> int:
        """Make the model show ``frame`` (same tasks in the same order, maybe more or fewer).

        Returns how many existing rows changed. Rows are matched by position
        (tasks keep their creation order); a different task at a position
        resets the model. At most two ``dataChanged`` spans go out: who/state
        (rare) and what ticks (countdowns and times), so a view sorted by name is
        not re-sorted by ticks.
        """
        old = self._frame
        n_old, n = len(old.ids), len(frame.ids)
        keep = min(n_old, n)
        if keep and (old.ids[0] != frame.ids[0] or old.ids[keep - 1] != frame.ids[keep - 1]):
            self.beginResetModel()
            self._frame, self._built, self._hay = frame, {}, {}
            self.endResetModel()
            return n
        if n < n_old:
            self.beginRemoveRows(QModelIndex(), n, n_old - 1)
            self._frame = _cut(old, n)
            self._built = {r: row for r, row in self._built.items() if r < n}
            self._hay = {r: hay for r, hay in self._hay.items() if r < n}
            self.endRemoveRows()
        named = old.shown[:keep] != frame.shown[:keep]
        if old.version != frame.version:  # a rename or an outcome: rows built may differ
            for r in self._built:
                if r < keep:
                    named[r] = True
        ticking = (old.numbers[:keep] != frame.numbers[:keep]).any(axis=1)
        ticking |= (old.awaiting[:keep] != frame.awaiting[:keep]) | (frame.awaiting[:keep] != 0)
        self._frame = _cut(frame, keep) if n > keep else frame
        self._built, self._hay = {}, {}
        spans = []
        if named.any():
            rows = np.flatnonzero(named)
            spans.append((int(rows[0]), TASK, int(rows[-1]), CREATED))
        if ticking.any():
            rows = np.flatnonzero(ticking)
            spans.append((int(rows[0]), AWAITING, int(rows[-1]), WAITING))
        for lo, left, hi, right in spans:
            self.dataChanged.emit(self.index(lo, left), self.index(hi, right))
        if n > keep:
            self.beginInsertRows(QModelIndex(), keep, n - 1)
            self._frame = frame
            self.endInsertRows()
        return int((named | ticking).sum())


def _cut(frame: TaskFrame, n: int) -> TaskFrame:
    """The first ``n`` rows of ``frame``."""
    return TaskFrame(
        frame.ids[:n],
        frame.shown[:n],
        frame.awaiting[:n],
        frame.numbers[:n],
        frame.build,
        frame.version,
    )


_DONE = _SHOWN_INDEX[Shown.DONE]
_ARRAY_KEYS = frozenset({TASK, STATE, STEPS, RUNNING, READY, WAITING})
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
        self._shown_state: LoopState | None = None
        """The state the rows show (the count says when it is past the recording limit)."""
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
        self._deferred = self._shown_state = None
        self._times.reset(recording)
        self.model.clear()
        self.columns.reset()
        self._refresh_hint()

    def show_state(self, state: LoopState | None) -> None:
        """Show every task created by ``state.t`` as it is then (None: no rows)."""
        if state is None:
            self._deferred = self._shown_state = None
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
        self._shown_state = state
        self.model.update(self.frame_for(state))
        self._refresh_hint()
        if self._select_later is not None:
            task, self._select_later = self._select_later, None
            self.select_task(task)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._deferred is not None:
            self._apply_deferred()

    def rows_for(self, state: LoopState) -> list[TaskRow]:
        """Every row for ``state`` (what :meth:`show_state` shows), built at once.

        The table itself builds only the rows it paints (:meth:`frame_for`); this
        is for tests and exports that want them all.
        """
        frame = self.frame_for(state)
        return [frame.build(r) for r in range(len(frame.ids))]

    def frame_for(self, state: LoopState) -> TaskFrame:
        """``state`` as arrays by row, with a builder for the rows the view shows.

        Built for 100,000 tasks at 10 Hz: states, times and what each task awaits
        come as whole arrays; texts are made per shown row.
        """
        n = state.task_count
        ids = state.task_ids.copy()
        codes = state.task_states
        lanes = state.task_lanes.astype(np.int64)
        blocking = [
            lp.running.task for lp in state.loops if lp.running is not None and lp.running.blocking
        ]
        shown = _STATE_TO_SHOWN[codes.astype(np.int64)]
        if blocking:
            shown[(codes == State.RUNNING) & np.isin(ids, blocking)] = _SHOWN_INDEX[Shown.BLOCKING]
        numbers = np.zeros((n, 4))
        if self._recording is not None and n:
            times = self._times.at(state.t, int(lanes.max()) + 1)
            for k, column in enumerate((times.steps, times.running, times.ready, times.waiting)):
                numbers[:, k] = column[lanes]
        rec = self._recording
        version = rec.version if rec is not None else -1
        if version != self._infos_version:  # a rename or an outcome: static texts change
            self._infos_version, self._static = version, {}
        blocking_set = frozenset(blocking)

        def build(r: int) -> TaskRow:
            ts = state.task_at(r)
            st = self._static_of(ts.task)
            if ts.state == State.DONE:
                shown_now = shown_state(ts, st.outcome, False)
                text, detail = state_text(shown_now, st.detail), st.detail
            else:
                shown_now = _STATES.get(ts.state, Shown.NEW)
                if shown_now is Shown.RUNNING and ts.task in blocking_set:
                    shown_now = Shown.BLOCKING
                text, detail = shown_now.value, ""
                if state.summary_only:  # past the recording limit: the state at the cut
                    text = f"{text} (at the limit)"
            steps, running, ready, waiting = numbers[r].tolist()
            return TaskRow(
                ts.task,
                ts.name,
                shown_now,
                text,
                ts.awaiting_text,
                st.parent,
                st.created_at,
                int(steps),
                running,
                ready,
                waiting,
                st.coro,
                ts.line,
                detail,
            )

        return TaskFrame(ids, shown, state.task_awaiting, numbers, build, version)

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

    def _static_of(self, task_id: int) -> _Static:
        """A task's parent's name, where it was created, its coroutine, how it ended.

        Made for the rows shown (``Recording.task``: one task, not the list of 100,000)
        and kept until the recording changes.
        """
        found = self._static.get(task_id)
        if found is not None:
            return found
        rec = self._recording
        if rec is None:
            return _NO_STATIC
        info = rec.task(task_id)
        if info is None:
            return _NO_STATIC
        parent = rec.task(info.parent) if info.parent else None
        found = self._static[task_id] = _Static(
            parent.name if parent is not None else "",
            short_location(info.created_at, scenario_of(rec)),
            info.coro,
            info.outcome,
            info.detail,
        )
        return found

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
        text = f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}"
        state = self._shown_state
        if state is not None and state.summary_only:
            text += " · past the recording limit: states as it was reached"
        self.count.setText(text)
