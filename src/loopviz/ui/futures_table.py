"""The futures table: what the tasks wait on, and who waits on each.

One row per future (or task) some task awaits at the cursor: a ``sleep``'s
future, a ``gather``, another task, a ``Queue.get``. When nothing awaits a
future any more (its result is in) its row stays, marked *resolved*, so the
class sees the wait end rather than a row vanish; stepping back before the
future existed removes it again. Same look and filter as the tasks table.

The model lists only *awaited* futures (``LoopState.futures``); resolved ones
are the rows this pane saw pending at an earlier cursor time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from loopviz.model import LoopState, PendingFuture, Recording, TaskInfo
from loopviz.ui.empty_state import EmptyStateOverlay
from loopviz.ui.gantt.palette import GanttPalette
from loopviz.ui.live_style import (
    SHOWN_MEANING,
    SORT_ROLE,
    Column,
    ColumnFitter,
    Shown,
    make_filter_box,
    make_table,
    state_dot,
    state_palette,
    table_height,
)
from loopviz.ui.row_table_model import RowTableModel
from loopviz.ui.tasks_table import RowFilter
from loopviz.ui.theme import LIGHT, Theme
from loopviz.ui.units import format_time

COLUMNS: tuple[str, ...] = ("Future", "Created by", "State", "Waiters")
COLUMN_TIPS: dict[str, str] = {
    "Future": "What is awaited: a sleep, a gather, another task, a queue's get…",
    "Created by": "What made it: asyncio.sleep, gather, Queue.get, or create_task in a task",
    "State": "pending: someone awaits it · resolved: its result is in, nobody waits any more",
    "Waiters": "The tasks paused on it (they resume when it is done)",
}
SIZING: tuple[Column, ...] = (
    Column(rank=0, floor=None, cap=320),  # Future: never cut
    Column(rank=2, floor=90, cap=260),  # Created by
    Column(rank=1, floor=None, cap=160),  # State
    Column(rank=3, floor=70, cap=400),  # Waiters: stretches into what is left
)
EMPTY_TEXT = (
    "No futures yet — when a task pauses at an await, what it waits on "
    "(a sleep, a gather, another task) is listed here with who waits on it."
)
MAX_RESOLVED = 300
"""Resolved rows kept (the oldest go first)."""
LIST_LIMIT = 200
"""``Recording.state_at``'s default ``limit``: a list this long may be cut."""
FUTURE, CREATED_BY, STATE, WAITERS = range(len(COLUMNS))
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class FutureRow:
    future: int
    text: str
    label: str
    created_by: str
    created: float
    shown: Shown
    waiters: str
    waiter_ids: tuple[int, ...]

    def haystack(self) -> str:
        return " ".join((self.text, self.created_by, self.shown.value, self.waiters)).lower()


SELF_AWAITED = frozenset({"sleep", "gather", "wait", "wait_for", "shield", "as_completed"})
"""asyncio calls whose future the calling task awaits itself (so its creator is its waiter)."""


class TaskLookup:
    """``task id -> TaskInfo`` for the few tasks a frame asks about.

    Not a dict of every task rebuilt whenever the recording grows (100,000 tasks:
    a frame's worth of work, every frame): an id -> row map that only grows with
    the state's task ids, and one ``Recording.tasks()`` per recording version.
    """

    def __init__(self) -> None:
        self._rows: dict[int, int] = {}
        self._rec: Recording | None = None
        self._version = -1
        self._infos: list[TaskInfo] | None = None

    def at(self, rec: Recording | None, state: LoopState) -> TaskLookup:
        if rec is not self._rec:
            self._rec, self._rows = rec, {}
        if rec is not None and rec.version != self._version:
            self._version, self._infos = rec.version, None
        ids = state.task_ids
        n = len(self._rows)
        if len(ids) > n:
            self._rows.update(zip(ids[n:].tolist(), range(n, len(ids)), strict=True))
        return self

    def get(self, task_id: int) -> TaskInfo | None:
        row = self._rows.get(task_id)
        if row is None or self._rec is None:
            return None
        if self._infos is None:
            self._infos = self._rec.tasks()
        info = self._infos[row] if row < len(self._infos) else None
        return info if info is not None and info.id == task_id else self._rec.task(task_id)


def created_by(fut: PendingFuture, infos: Mapping[int, TaskInfo] | TaskLookup) -> str:
    """``sleep() in Task-3``, ``Queue.get() in consumer``, ``create_task() in main``.

    The model does not say which task created a future; for asyncio's own calls
    (``sleep``, ``gather``, ``Queue.get``, ``Lock.acquire``…) it is the task that
    awaits it, so that task is named.
    """
    info = infos.get(fut.future)
    if info is not None:
        parent = infos.get(info.parent)
        return f"create_task() in {parent.name}" if parent else "asyncio.run()"
    if not fut.label:
        return "a future"
    call = f"{fut.label}()"
    if len(fut.waiter_names) == 1 and (fut.label in SELF_AWAITED or "." in fut.label):
        return f"{call} in {fut.waiter_names[0]}"
    return call


def waiter_text(names: tuple[str, ...], limit: int = 6) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" … (+{len(names) - limit})"


class FuturesModel(RowTableModel):
    """Rows of :class:`FutureRow`: pending first in creation order, then resolved ones."""

    columns = COLUMNS
    column_tips = COLUMN_TIPS

    def __init__(self, parent: QWidget | None = None, palette: GanttPalette | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FutureRow] = []
        self._hay: list[str] = []
        self._palette = palette or state_palette(LIGHT)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.text, row.created_by, row.shown.value, row.waiters)[column]
        if role == SORT_ROLE:
            if column == STATE:  # pending first, each part in creation order
                return row.created + (1e9 if row.shown is Shown.RESOLVED else 0.0)
            if column == FUTURE:
                return row.created
            return (row.created_by if column == CREATED_BY else row.waiters).casefold()
        if role == Qt.ItemDataRole.DecorationRole and column == STATE:
            return state_dot(row.shown, self._palette)
        if role == Qt.ItemDataRole.ForegroundRole and row.shown is Shown.RESOLVED:
            return QColor(self._palette.muted)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == STATE:
                return SHOWN_MEANING[row.shown]
            if column == FUTURE:
                return f"{row.text}\ncreated at {format_time(row.created)}"
            if column == WAITERS and row.shown is Shown.RESOLVED:
                return f"was awaited by {row.waiters}" if row.waiters else ""
            return (row.text, row.created_by, row.shown.value, row.waiters)[column]
        return None

    def haystack(self, row: int) -> str:
        return self._hay[row]

    def row(self, row: int) -> FutureRow:
        return self._rows[row]

    def rows(self) -> list[FutureRow]:
        return list(self._rows)

    def set_palette(self, palette: GanttPalette) -> None:
        self._palette = palette
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, WAITERS))

    def clear(self) -> None:
        if self._rows:
            self.beginResetModel()
            self._rows, self._hay = [], []
            self.endResetModel()

    def update(self, rows: list[FutureRow]) -> None:
        """Show ``rows``: same futures in the same places change in place; others move."""
        old = self._rows
        if [r.future for r in old] != [r.future for r in rows]:
            keep = 0
            while keep < min(len(old), len(rows)) and old[keep].future == rows[keep].future:
                keep += 1
            if keep < len(old):
                self.beginRemoveRows(QModelIndex(), keep, len(old) - 1)
                del self._rows[keep:]
                del self._hay[keep:]
                self.endRemoveRows()
        n = len(self._rows)
        lo = hi = -1
        for i in range(n):
            if self._rows[i] != rows[i]:
                self._rows[i] = rows[i]
                self._hay[i] = rows[i].haystack()
                lo = i if lo < 0 else lo
                hi = i
        if lo >= 0:
            self.dataChanged.emit(self.index(lo, 0), self.index(hi, WAITERS))
        if len(rows) > n:
            self.beginInsertRows(QModelIndex(), n, len(rows) - 1)
            self._rows.extend(rows[n:])
            self._hay.extend(r.haystack() for r in rows[n:])
            self.endInsertRows()


class FuturesPane(QWidget):
    """Filter box, count and the futures table."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("PaneBody")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._recording: Recording | None = None
        self._infos = TaskLookup()
        self._deferred: LoopState | None = None
        self._seen: dict[int, FutureRow] = {}
        """Every future shown pending so far, as last seen (resolved rows come from here)."""
        self.model = FuturesModel(self, state_palette(theme))
        self.proxy = RowFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_box = make_filter_box(self, "filter futures…", "FuturesFilter")
        self.filter_box.textChanged.connect(self._on_filter)
        self.count = QLabel("", self)
        self.count.setObjectName("PaneCount")
        self.view = make_table(self, "FuturesTable")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.columns = ColumnFitter(self.view, SIZING, stretch=WAITERS)
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
        self._refresh_hint()

    def sizeHint(self) -> QSize:
        """Room for the filter, the header and six rows, like the tasks table beside it."""
        top = self.filter_box.sizeHint().height() + 8
        return QSize(560, top + table_height(self.view, 6))

    def set_recording(self, recording: Recording | None) -> None:
        self._recording = recording
        self._infos = TaskLookup()
        self._seen.clear()
        self._deferred = None
        self.model.clear()
        self.columns.reset()
        self._refresh_hint()

    def show_state(self, state: LoopState | None) -> None:
        """Pending futures at ``state.t``, then those resolved since they were seen pending."""
        self._deferred = None
        if state is None:
            self.model.clear()
            self._refresh_hint()
            return
        if not self.isVisible():  # building the futures costs: wait until the pane shows
            self._deferred = state
            return
        infos = self._infos.at(self._recording, state)
        pending: list[FutureRow] = []
        for fut in state.futures:
            created = fut.created if fut.created is not None else 0.0
            row = FutureRow(
                fut.future,
                fut.text,
                fut.label,
                created_by(fut, infos),
                created,
                Shown.PENDING,
                waiter_text(fut.waiter_names),
                fut.waiters,
            )
            pending.append(row)
            self._seen[fut.future] = row
        now = {r.future for r in pending}
        if len(pending) >= LIST_LIMIT:
            resolved = []  # the list is cut: a future missing from it may still be pending
        else:
            done = [
                r
                for r in self._seen.values()
                if r.future not in now and self._resolved_by(r.future, r.created, state.t, infos)
            ]
            # Only the newest MAX_RESOLVED are shown: copy those, not every future seen.
            resolved = [
                replace(r, text=r.label, shown=Shown.RESOLVED) for r in done[-MAX_RESOLVED:]
            ]
        resolved = resolved[-MAX_RESOLVED:]
        if len(self._seen) > 4 * MAX_RESOLVED:
            keep = now | {r.future for r in resolved}
            self._seen = {k: v for k, v in self._seen.items() if k in keep}
        self.model.update(pending + resolved)
        self._refresh_hint(len(pending))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._deferred is not None:
            self.show_state(self._deferred)

    @staticmethod
    def _resolved_by(
        future: int, created: float, t: float, infos: Mapping[int, TaskInfo] | TaskLookup
    ) -> bool:
        """Whether a future seen pending before is done at ``t`` (as far as is known)."""
        if created > t:
            return False
        info = infos.get(future)
        if info is not None:  # an awaited task: done when it finished
            return info.done is not None and info.done <= t
        return True

    def set_theme(self, theme: Theme) -> None:
        self.model.set_palette(state_palette(theme))

    def set_filter(self, text: str) -> None:
        self.filter_box.setText(text)

    def shown_rows(self) -> list[FutureRow]:
        return [
            self.model.row(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]

    def _on_filter(self, text: str) -> None:
        self.proxy.set_text(text)
        self._refresh_hint()

    def _refresh_hint(self, pending: int | None = None) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if pending is None:
            pending = sum(1 for r in self.model.rows() if r.shown is Shown.PENDING)
        if total == 0:
            self.empty.setText(EMPTY_TEXT)
        elif shown == 0:
            self.empty.setText(f"No future matches “{self.filter_box.text()}”")
        self.empty.setVisible(shown == 0)
        text = f"{pending} pending · {total - pending} resolved"
        self.count.setText(text if shown == total else f"{shown} shown · {text}")
