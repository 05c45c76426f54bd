"""The scenario list pane: course scenarios in order, then files opened by hand.

Emits ``scenario_selected`` with the ``ScenarioInfo`` (or ``None``) whenever the
current row changes, by mouse or keyboard, so the window never polls it.

Rows are titles only when the full rows (title and summary) would not all fit the
list's height — the default layout gives the list a short strip beside the
console — and full again when the list is given room (undocked, or resized).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QObject, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QVBoxLayout, QWidget

from loopviz.ui.empty_state import EmptyStateOverlay
from loopviz.ui.scenario_delegate import ScenarioDelegate
from loopviz.ui.scenario_model import INFO_ROLE, ScenarioModel
from loopviz.ui.theme import LIGHT, Theme

if TYPE_CHECKING:
    from loopviz.catalog import ScenarioInfo

NO_SCENARIOS_TEXT = "No scenarios found.\nOpen one with File › Open scenario… (Ctrl+O)."


class ScenarioList(QWidget):
    """A ``QListView`` over :class:`ScenarioModel` with a themed delegate."""

    scenario_selected = Signal(object)  # ScenarioInfo | None

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("PaneBody")
        self.model = ScenarioModel(self)
        self.view = QListView(self)
        self.view.setObjectName("ScenarioListView")
        self.view.setModel(self.model)
        self.delegate = ScenarioDelegate(self.view, theme)
        self.view.setItemDelegate(self.delegate)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setUniformItemSizes(True)
        self.view.setMouseTracking(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.empty = EmptyStateOverlay(self.view.viewport(), NO_SCENARIOS_TEXT)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.modelReset.connect(self._update_compact)
        self.model.rowsInserted.connect(self._update_compact)
        self.view.viewport().installEventFilter(self)
        self._update_empty()

    @property
    def compact(self) -> bool:
        """Rows show titles only (see the module docstring)."""
        return self.delegate.compact

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._update_compact()
        return False

    def _update_compact(self) -> None:
        full = self.delegate.row_size(self.view.font(), compact=False).height()
        compact = self.model.rowCount() * full > self.view.viewport().height()
        if compact != self.delegate.compact:
            self.delegate.compact = compact
            self.view.scheduleDelayedItemsLayout()
            self.view.viewport().update()

    def set_scenarios(self, infos: list[ScenarioInfo]) -> None:
        """Replace all rows (selection is cleared)."""
        self.model.set_scenarios(infos)
        self.scenario_selected.emit(None)

    def scenarios(self) -> list[ScenarioInfo]:
        return self.model.scenarios()

    def add_or_update(self, info: ScenarioInfo) -> int:
        """Add an opened file (or refresh its row) and return the row."""
        row = self.model.add_or_update(info)
        if row == self.view.currentIndex().row():
            self.scenario_selected.emit(info)
        return row

    def select_row(self, row: int) -> None:
        index = self.model.index(row)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.view.scrollTo(index)

    def select_path(self, path: Path) -> bool:
        """Select the row showing ``path``; False if it is not in the list."""
        row = self.model.row_of(path)
        if row >= 0:
            self.select_row(row)
        return row >= 0

    def current_row(self) -> int:
        """The selected row, or -1 (the view's current index alone is not a selection)."""
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def count(self) -> int:
        return self.model.rowCount()

    def step(self, delta: int) -> int:
        """Select the row ``delta`` rows away in course order, stopping at either end.

        Nothing selected: a step forward starts at the first row, a step back at the
        last. Returns the selected row (-1 for an empty list).
        """
        count = self.model.rowCount()
        if count == 0:
            return -1
        row = self.current_row()
        if row < 0:
            target = 0 if delta >= 0 else count - 1
        else:
            target = max(0, min(count - 1, row + delta))
        if target != row:
            self.select_row(target)
        return target

    def current(self) -> ScenarioInfo | None:
        index = self.view.currentIndex()
        return index.data(INFO_ROLE) if index.isValid() else None

    def set_theme(self, theme: Theme) -> None:
        self.delegate.theme = theme
        self.view.viewport().update()

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        self.scenario_selected.emit(indexes[0].data(INFO_ROLE) if indexes else None)

    def _update_empty(self) -> None:
        self.empty.setVisible(self.model.rowCount() == 0)
