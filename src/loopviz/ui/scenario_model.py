"""The list of scenarios as a Qt model: course scenarios first, opened files after.

The model only stores ``ScenarioInfo`` objects from :mod:`loopviz.catalog`; it
never parses files itself. Paths are compared resolved, so opening a bundled
scenario again selects the existing row instead of adding a duplicate.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from loopviz.ui.markup import inline_html
from loopviz.ui.scenario_labels import display_title

if TYPE_CHECKING:
    from loopviz.catalog import ScenarioInfo

INFO_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (resolving symlinks and ``..``)."""
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a.absolute() == b.absolute()


def tooltip_html(info: ScenarioInfo) -> str:
    """Rich tooltip: title, explanation, key point, file; or the load error."""
    parts = [f"<b>{inline_html(display_title(info))}</b>"]
    if info.error:
        parts.append(f"<p><b>Could not load:</b> {inline_html(info.error)}</p>")
    if info.explanation:
        parts.append(f"<p>{inline_html(info.explanation)}</p>")
    if info.key_point:
        parts.append(f"<p><i>Key point:</i> {inline_html(info.key_point)}</p>")
    parts.append(f"<p><small>{inline_html(str(info.path))}</small></p>")
    return f"<div style='max-width: 420px'>{''.join(parts)}</div>"


class ScenarioModel(QAbstractListModel):
    """Rows of ``ScenarioInfo``; ``INFO_ROLE`` returns the object itself."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[ScenarioInfo] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        info = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_title(info)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_html(info)
        if role == INFO_ROLE:
            return info
        return None

    def scenarios(self) -> list[ScenarioInfo]:
        return list(self._items)

    def set_scenarios(self, infos: list[ScenarioInfo]) -> None:
        self.beginResetModel()
        self._items = list(infos)
        self.endResetModel()

    def row_of(self, path: Path) -> int:
        """The row showing ``path``, or -1."""
        for row, info in enumerate(self._items):
            if same_file(info.path, path):
                return row
        return -1

    def add_or_update(self, info: ScenarioInfo) -> int:
        """Replace the row for ``info.path`` (re-read file) or append a new one; return its row."""
        row = self.row_of(info.path)
        if row >= 0:
            self._items[row] = info
            index = self.index(row)
            self.dataChanged.emit(index, index)
            return row
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append(info)
        self.endInsertRows()
        return row
