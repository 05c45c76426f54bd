"""The tasks table: one row per task, the columns later issues fill from the recording.

The model is a plain ``QAbstractTableModel`` with no rows yet; the column list is
the contract with the issue that adds the data (time columns are in seconds).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from loopviz.ui.empty_state import EmptyStateOverlay

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
    "State": "Running, ready, waiting, done, cancelled or failed at the cursor time",
    "Awaiting": "The future, task or sleep this task is paused on",
    "Parent": "The task that was running when this one was created",
    "Steps": "How many times the event loop ran a step of this task",
    "Running": "Total time spent running its steps (s)",
    "Ready": "Total time spent in the ready queue, waiting for its turn (s)",
    "Waiting": "Total time spent paused at an await (s)",
    "Created at": "When the task was created (s since the run started)",
}
EMPTY_TEXT = "No tasks yet — run a scenario to see its tasks."

_Index = QModelIndex | QPersistentModelIndex


class TasksModel(QAbstractTableModel):
    """Rows of tasks (none until a run); headers and header tooltips from ``COLUMNS``."""

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS[COLUMNS[section]]
        return None


class TasksPane(QWidget):
    """``QTableView`` over :class:`TasksModel`, with an empty-state hint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PaneBody")
        self.model = TasksModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("TasksTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        self._fit_columns()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.empty = EmptyStateOverlay(self.view.viewport(), EMPTY_TEXT)

    def _fit_columns(self) -> None:
        """Columns sized to their titles; the task name gets room for "Task-12 main"."""
        metrics = QFontMetrics(self.view.horizontalHeader().font())
        self.view.setColumnWidth(0, metrics.horizontalAdvance("Task-00 get_request") + 20)
        for column, title in enumerate(COLUMNS[1:], start=1):
            self.view.setColumnWidth(column, metrics.horizontalAdvance(title) + 20)

    def column_titles(self) -> list[str]:
        """The header texts as shown (tests read them)."""
        return [
            str(self.model.headerData(i, Qt.Orientation.Horizontal)) for i in range(len(COLUMNS))
        ]
