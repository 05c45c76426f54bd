"""Coroutine objects that exist but that nothing runs yet — and the moment they become tasks.

The lesson behind it ("Number of tasks: 1"): calling an ``async def`` function
only creates a coroutine object. Lesson 02 collects five of them, sleeps two
seconds, then gathers them; during the sleep this pane says

    5 coroutines, not scheduled
    nothing runs them yet

and lists them (what, where created, how long ago). When ``gather`` wraps them
in tasks each row turns into ``get_request() → Task-2`` on a highlight that
fades over :data:`FADE` seconds, so the class sees each one become a task.

Which task a coroutine became is matched here (the model does not say): a task
created since the previous state, running a coroutine of the same name. A
coroutine that left the list without a new task was awaited directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from loopviz.model import LoopState, PendingCoroutine, Recording, TaskInfo
from loopviz.ui.empty_state import EmptyStateOverlay
from loopviz.ui.live_style import (
    SORT_ROLE,
    Column,
    ColumnFitter,
    duration_cell,
    make_table,
    table_height,
)
from loopviz.ui.row_table_model import RowTableModel
from loopviz.ui.tasks_table import scenario_of, short_location
from loopviz.ui.theme import LIGHT, Theme

COLUMNS: tuple[str, ...] = ("Coroutine object", "Age", "Created at")
COLUMN_TIPS: dict[str, str] = {
    "Coroutine object": "The async def function called; nothing runs its body yet",
    "Age": "How long ago it was created",
    "Created at": "The line that called it (file:line)",
}
SIZING: tuple[Column, ...] = (
    Column(rank=0, floor=None, cap=300),  # Coroutine object: never cut while others can go
    Column(rank=1, floor=None, cap=110, hideable=True),  # Age
    Column(rank=2, floor=70, cap=260, hideable=True),  # Created at
)
"""A narrow pane drops "Created at", then "Age" (the rows' tooltips still say them), never
scrolls sideways, and cuts the name only when it alone is wider than the pane."""
SHOWN_ROWS = 6
"""Rows the pane asks room for (``sizeHint``): lesson 02's five coroutines and one more."""
EMPTY_TEXT = "Coroutine objects that were created but that nothing runs yet appear here."
FADE = 2.0
"""Seconds a coroutine that became a task stays highlighted before it goes."""
TICK_MS = 40
NAME, AGE, WHERE = range(len(COLUMNS))
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CoroutineRow:
    """One coroutine object; ``became`` is set while it fades out ("→ Task-4")."""

    coro: int
    qualname: str
    location: str
    created: float
    age: float
    became: str = ""
    left_at: float = 0.0
    """Clock time it left the list (for the fade)."""
    to_task: bool = False
    """It left because a task now runs it (else it was awaited directly)."""

    @property
    def text(self) -> str:
        name = f"{self.qualname}()"
        return f"{name} → {self.became}" if self.became else name


def heading_lines(count: int, became: list[CoroutineRow]) -> tuple[str, str]:
    """The heading above the list: how many (bold), and what that means (dim)."""
    head = f"{count} coroutine{'' if count == 1 else 's'}, not scheduled"
    if count:
        return head, f"nothing runs {'it' if count == 1 else 'them'} yet"
    n = sum(r.to_task for r in became)
    if became and n == len(became):
        return head, f"{n} just became {'a task' if n == 1 else 'tasks'}"
    if became:
        return head, f"{len(became)} just started running"
    return head, ""


def short_heading(count: int) -> str:
    """The bold line for a narrow pane (its dock is titled "Coroutines" already)."""
    return f"{count} not scheduled"


def heading_text(count: int, became: list[CoroutineRow]) -> str:
    """The heading as one sentence (its tooltip, and what tests read)."""
    head, sub = heading_lines(count, became)
    return f"{head} — {sub}" if sub else head


def match_tasks(
    gone: list[PendingCoroutine], infos: list[TaskInfo], since: float, until: float
) -> dict[int, TaskInfo]:
    """Which new task each vanished coroutine became: same coroutine name, created in the interval.

    Tasks are taken in creation order, so five ``get_request`` coroutines
    gathered in order become Task-2 … Task-6 in order.
    """
    fresh = [
        info
        for info in infos
        if info.created is not None and since < info.created <= until and info.coro
    ]
    out: dict[int, TaskInfo] = {}
    used: set[int] = set()
    for coro in sorted(gone, key=lambda c: (c.created, c.coro)):
        for info in fresh:
            if info.id not in used and info.coro == coro.qualname:
                out[coro.coro] = info
                used.add(info.id)
                break
    return out


class CoroutinesModel(RowTableModel):
    """Pending coroutine objects and, while they fade, those that just left."""

    columns = COLUMNS
    column_tips = COLUMN_TIPS

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._rows: list[CoroutineRow] = []
        self._theme = theme
        self.clock: Callable[[], float] = time.monotonic

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return row.text
            if column == WHERE:
                return row.location
            return "now a task" if row.to_task else duration_cell(row.age)
        if role == SORT_ROLE:
            return (row.text.casefold(), row.age, row.location.casefold())[column]
        if row.became:
            k = self.fade(row)
            if role == Qt.ItemDataRole.BackgroundRole:
                color = QColor(self._theme.selection)
                color.setAlphaF(k)
                return color
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(self._theme.accent if k > 0.3 else self._theme.muted)
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.became:
                return f"{row.qualname}() left the list: {row.became}"
            where = f" at {row.location}" if row.location else ""
            return (
                f"{row.qualname}() was called{where} {duration_cell(row.age)} ago,\n"
                "but nothing runs it yet"
            )
        return None

    def fade(self, row: CoroutineRow) -> float:
        """Highlight strength of a row that left: 1 at first, 0 when it goes."""
        done = (self.clock() - row.left_at) / FADE
        return max(0.0, min(1.0, 1.6 * (1.0 - done)))

    def rows(self) -> list[CoroutineRow]:
        return list(self._rows)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, WHERE))

    def update(self, rows: list[CoroutineRow]) -> None:
        """Show ``rows``: ages and fades change in place; a new set of rows resets."""
        if [r.coro for r in rows] != [r.coro for r in self._rows]:
            self.beginResetModel()
            self._rows = list(rows)
            self.endResetModel()
            return
        if rows != self._rows:
            self._rows = list(rows)
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, WHERE))

    def repaint_fading(self) -> None:
        fading = [i for i, r in enumerate(self._rows) if r.became]
        if fading:
            self.dataChanged.emit(self.index(fading[0], 0), self.index(fading[-1], WHERE))


class CoroutinesPane(QWidget):
    """A heading that counts unscheduled coroutines, and the list of them."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("PaneBody")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._recording: Recording | None = None
        self._pending: dict[int, PendingCoroutine] = {}
        self._leaving: list[CoroutineRow] = []
        self._count = 0
        self._last_t: float | None = None
        head, sub = heading_lines(0, [])
        self.heading = QLabel(head, self)
        self.heading.setObjectName("CoroutinesHeading")
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setContentsMargins(10, 4, 10, 0)
        self.heading.setMinimumWidth(1)  # a narrow pane gets the short heading, not a wider pane
        self.subheading = QLabel(sub or " ", self)
        self.subheading.setObjectName("CoroutinesSubheading")
        self.subheading.setContentsMargins(10, 0, 10, 4)
        self.subheading.setMinimumWidth(1)
        self.model = CoroutinesModel(self, theme)
        self.view = make_table(self, "CoroutinesTable")
        self.view.setModel(self.model)
        # Cut in the middle if ever: "get_req…() → Task-2" still says what it became.
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.columns = ColumnFitter(self.view, SIZING, stretch=NAME, scroll=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.view, 1)
        self.empty = EmptyStateOverlay(self.view.viewport(), EMPTY_TEXT)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self.set_theme(theme)

    @property
    def clock(self) -> Callable[[], float]:
        """Wall clock of the fade (tests put a fake one here)."""
        return self.model.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self.model.clock = clock

    def sizeHint(self) -> QSize:
        """Room for the two-line heading, the table's header and :data:`SHOWN_ROWS` rows."""
        heading = self.heading.sizeHint().height() + self.subheading.sizeHint().height()
        return QSize(260, heading + table_height(self.view, SHOWN_ROWS))

    def minimumSizeHint(self) -> QSize:
        """The heading and a couple of rows: below that the list says nothing."""
        heading = self.heading.sizeHint().height() + self.subheading.sizeHint().height()
        return QSize(160, heading + table_height(self.view, 2))

    def set_recording(self, recording: Recording | None) -> None:
        self._recording = recording
        self._pending, self._leaving, self._count, self._last_t = {}, [], 0, None
        self._timer.stop()
        self.columns.reset()
        self._show(0.0)

    def show_state(self, state: LoopState | None) -> None:
        """The coroutines pending at ``state.t``; those gone since the last state fade out."""
        if state is None:
            self.set_recording(self._recording)
            return
        current = {c.coro: c for c in state.coroutines}
        forward = self._last_t is not None and state.t >= self._last_t
        if forward:
            gone = [c for k, c in self._pending.items() if k not in current]
            if gone:
                self._depart(gone, self._last_t or 0.0, state.t)
        else:
            self._leaving = []
        self._pending, self._count, self._last_t = current, state.coroutine_count, state.t
        self._show(state.t)

    def tick(self) -> None:
        """Advance the fade; rows whose fade is over go."""
        now = self.model.clock()
        keep = [r for r in self._leaving if now - r.left_at < FADE]
        if len(keep) != len(self._leaving):
            self._leaving = keep
            self._show(self._last_t or 0.0)
        else:
            self.model.repaint_fading()
        if not self._leaving:
            self._timer.stop()

    def leaving(self) -> list[CoroutineRow]:
        """Rows fading out, with what each became."""
        return list(self._leaving)

    def pending(self) -> list[CoroutineRow]:
        """The coroutine objects listed as not scheduled."""
        return [r for r in self.model.rows() if not r.became]

    def set_theme(self, theme: Theme) -> None:
        self.model.set_theme(theme)
        self.heading.setStyleSheet(f"color: {theme.text};")
        self.subheading.setStyleSheet(f"color: {theme.muted};")

    def _depart(self, gone: list[PendingCoroutine], since: float, until: float) -> None:
        infos = self._recording.tasks() if self._recording is not None else []
        names = {info.id: info.name for info in infos}
        became = match_tasks(gone, infos, since, until)
        scenario = scenario_of(self._recording)
        now = self.model.clock()
        for coro in gone:
            task = became.get(coro.coro)
            if task is not None:
                target = task.name
            elif coro.task in names:
                target = f"awaited in {names[coro.task]}"
            else:
                target = "awaited"
            self._leaving.append(
                CoroutineRow(
                    coro.coro,
                    coro.qualname,
                    short_location(coro.location, scenario),
                    coro.created,
                    max(0.0, until - coro.created),
                    target,
                    now,
                    task is not None,
                )
            )
        if not self._timer.isActive():
            self._timer.start()

    def _show(self, t: float) -> None:
        scenario = scenario_of(self._recording)
        rows = [
            CoroutineRow(
                c.coro,
                c.qualname,
                short_location(c.location, scenario),
                c.created,
                max(0.0, t - c.created),
            )
            for c in self._pending.values()
        ]
        rows.extend(replace(r) for r in self._leaving)
        rows.sort(key=lambda r: (r.created, r.coro))
        self.model.update(rows)
        self._fit_heading()
        self.empty.setVisible(not rows)

    def _fit_heading(self) -> None:
        """The long heading ("5 coroutines, not scheduled") if it fits, else the short one."""
        head, sub = heading_lines(self._count, self._leaving)
        room = self.width() - 20
        if self.heading.fontMetrics().horizontalAdvance(head) > room:
            head = short_heading(self._count)
        if self.heading.text() != head:
            self.heading.setText(head)
        self.subheading.setText(sub or " ")  # the line stays: the list below does not jump
        self.heading.setToolTip(heading_text(self._count, self._leaving))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_heading()
