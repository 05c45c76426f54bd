"""A read-only code view with a line-number gutter and Python highlighting.

Line numbers matter here: the lecturer says "look at line 23", and later issues
mark the line a task is paused at. The view never wraps lines, so a line number
always means one visual row.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from loopviz.ui.fonts import CODE_POINT_SIZE, code_font
from loopviz.ui.highlighter import PythonHighlighter
from loopviz.ui.python_tokens import normalise_newlines
from loopviz.ui.theme import LIGHT, Theme


class LineNumberGutter(QWidget):
    """Paints line numbers for the code view it belongs to."""

    def __init__(self, view: CodeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self) -> QSize:
        return QSize(self._view.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._view.paint_gutter(event)


class CodeView(QPlainTextEdit):
    """Monospace, read-only, highlighted Python with line numbers."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("CodeView")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setWordWrapMode(QTextOption.WrapMode.NoWrap)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self._theme = theme
        self._highlighter = PythonHighlighter(self.document(), theme)
        self.document().setDocumentMargin(8)
        self._gutter = LineNumberGutter(self)
        self.set_point_size(CODE_POINT_SIZE)
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self._update_margins()

    @property
    def highlighter(self) -> PythonHighlighter:
        return self._highlighter

    def set_source(self, source: str, top_line: int = 0) -> None:
        """Show ``source`` with the 0-based ``top_line`` at the top of the view."""
        text = normalise_newlines(source)
        self._highlighter.set_source(text)
        self.setPlainText(text)
        self.scroll_to_line(top_line)
        self.horizontalScrollBar().setValue(0)

    def scroll_to_line(self, line: int) -> None:
        """Put the 0-based ``line`` at the top (without wrapping, one block is one step)."""
        self.verticalScrollBar().setValue(max(0, line))

    def top_line(self) -> int:
        """The 0-based line shown at the top."""
        return self.firstVisibleBlock().blockNumber()

    def set_point_size(self, point_size: float) -> None:
        """Zoom the code text (View > Larger/Smaller text)."""
        font = code_font(point_size)
        self.setFont(font)
        self.document().setDefaultFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self._gutter.setFont(font)
        self._update_margins()

    def set_theme(self, theme: Theme) -> None:
        """Recolour highlighting and gutter."""
        self._theme = theme
        self._highlighter.set_theme(theme)
        self._gutter.update()

    def gutter_width(self) -> int:
        digits = max(3, len(str(max(1, self.blockCount()))))
        return 16 + self.fontMetrics().horizontalAdvance("9") * digits

    def paint_gutter(self, event: QPaintEvent) -> None:
        """Draw the numbers of the visible blocks, right-aligned, in the gutter colours."""
        painter = QPainter(self._gutter)
        painter.fillRect(event.rect(), QColor(self._theme.gutter))
        painter.setPen(QColor(self._theme.border))
        right = self._gutter.width() - 1
        painter.drawLine(right, event.rect().top(), right, event.rect().bottom())
        if self.document().isEmpty():  # no "1" next to an empty-state hint
            painter.end()
            return
        painter.setPen(QColor(self._theme.gutter_text))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                painter.drawText(
                    QRect(0, top, self._gutter.width() - 8, height),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    str(block.blockNumber() + 1),
                )
            block = block.next()
            top = bottom
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self._gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(), rect.height()))

    def _update_margins(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)
        rect = self.contentsRect()
        self._gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(), rect.height()))

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
