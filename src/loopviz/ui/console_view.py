"""The console pane: what the scenario prints, read-only, monospace.

Output is appended in batches by the runner issue (``append_output``); the view
follows the end only while the user has not scrolled up to read something.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from loopviz.ui.fonts import CODE_POINT_SIZE, code_font

PLACEHOLDER = "The scenario's output — print(), logging, tracebacks — appears here when it runs."
MAX_BLOCKS = 20_000


class ConsoleView(QPlainTextEdit):
    """Read-only monospace text with a line cap, so a chatty scenario cannot eat memory."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConsoleView")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setMaximumBlockCount(MAX_BLOCKS)
        self.setPlaceholderText(PLACEHOLDER)
        self.document().setDocumentMargin(8)
        self.set_point_size(CODE_POINT_SIZE)

    def set_point_size(self, point_size: float) -> None:
        self.setFont(code_font(point_size))

    def append_output(self, text: str) -> None:
        """Append raw output (may hold partial lines); keeps following the end if it was."""
        bar = self.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        if at_end:
            bar.setValue(bar.maximum())
