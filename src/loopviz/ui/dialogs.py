"""Help dialogs: About loopviz, and Keyboard shortcuts.

Both are opened with ``open()`` (window-modal, non-blocking) rather than
``exec()``: a nested event loop would re-enter qasync's tasks, and tests can
inspect an open dialog without a timer dance.
"""

from __future__ import annotations

import platform
from importlib import metadata

import pyqtgraph
import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loopviz import __version__
from loopviz.ui.shortcuts import ShortcutRow

DESCRIPTION = (
    "See Python's asyncio event loop at work: which task runs, what waits in the "
    "ready queue, and the moment a blocking call freezes the loop."
)


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def library_versions() -> list[tuple[str, str]]:
    """(name, version) of everything a bug report needs."""
    return [
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("pyqtgraph", pyqtgraph.__version__),
        ("qasync", _dist_version("qasync")),
        ("Platform", platform.platform(terse=True)),
    ]


class AboutDialog(QDialog):
    """Name, version, one-line description and library versions (selectable, to paste)."""

    def __init__(self, parent: QWidget | None, icon: QIcon) -> None:
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self.setWindowTitle("About loopviz")
        header = QHBoxLayout()
        header.setSpacing(16)
        logo = QLabel(self)
        logo.setPixmap(icon.pixmap(72, 72))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<h2 style='margin:0'>loopviz {__version__}</h2><p>{DESCRIPTION}</p>", self)
        title.setWordWrap(True)
        title.setMinimumWidth(380)
        header.addWidget(logo)
        header.addWidget(title, 1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        for row, (name, version) in enumerate(library_versions()):
            key = QLabel(name, self)
            key.setObjectName("EmptyState")
            value = QLabel(version, self)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(key, row, 0)
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.setSpacing(16)
        layout.addLayout(header)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def text(self) -> str:
        """All visible text, for tests."""
        return "\n".join(label.text() for label in self.findChildren(QLabel))


class ShortcutsDialog(QDialog):
    """A table of where / command / keys, built from live actions each time it opens."""

    def __init__(self, parent: QWidget | None, rows: list[ShortcutRow]) -> None:
        super().__init__(parent)
        self.setObjectName("ShortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Command", "Shortcut"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        # One block a menu, in menu order (View's items after its Timeline submenu join
        # the rest of View rather than making a second "View" block).
        first_seen = {where: i for i, where in reversed(list(enumerate(r.where for r in rows)))}
        rows = sorted(rows, key=lambda row: first_seen[row.where])
        self._rows = [(row.where, row.command, row.keys) for row in rows]
        for r, row in enumerate(rows):
            # The menu's name once, on the first row of its group: the groups read as
            # blocks instead of a column of repeated "Run".
            first = r == 0 or rows[r - 1].where != row.where
            for c, text in enumerate((row.where if first else "", row.command, row.keys)):
                item = QTableWidgetItem(text)
                if c != 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.resizeRowsToContents()
        rows_height = self.table.verticalHeader().length() + header.sizeHint().height()
        self.table.setMinimumHeight(min(640, rows_height + 2 * self.table.frameWidth() + 2))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def rows(self) -> list[tuple[str, str, str]]:
        """(menu, command, keys) of every row, the menu repeated on each (for tests)."""
        return list(self._rows)
