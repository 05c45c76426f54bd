"""What every live-pane table model shares: a list of rows, fixed columns, header tips.

The tasks, futures and coroutines tables differ in their rows and cells only;
the row and column counts and the header (titles with a tooltip each) are the
same code, kept here once.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class RowTableModel(QAbstractTableModel):
    """A flat table over ``self._rows``; subclasses set ``columns`` and ``column_tips``."""

    columns: ClassVar[tuple[str, ...]] = ()
    column_tips: ClassVar[dict[str, str]] = {}
    _rows: list[Any]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.column_tips[self.columns[section]]
        return None
