"""A read-only code view with a line-number gutter, Python highlighting and task markers.

Line numbers matter here: the lecturer says "look at line 23", and the gutter
marks the line each task is paused at (:mod:`~loopviz.ui.source_markers`). The
view never wraps lines, so a line number always means one visual row. During a
stall the blocking line gets a red band across the code and a label saying for
how long it has blocked the loop. The label never covers code: it goes after the
blocking line's code, else after a neighbour's, else in the gutter (see
:meth:`CodeView.stall_label_plan`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
    QTextFormat,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QPlainTextEdit,
    QStyle,
    QTextEdit,
    QToolTip,
    QWidget,
)

from loopviz.ui.fonts import CODE_POINT_SIZE, code_font
from loopviz.ui.highlighter import PythonHighlighter
from loopviz.ui.python_tokens import normalise_newlines
from loopviz.ui.source_markers import (
    NO_MARKERS,
    MarkerMetrics,
    SourceMarkers,
    TaskMarker,
    paint_line_markers,
)
from loopviz.ui.theme import LIGHT, Theme

STALL_BAND = {False: "#ffd9d9", True: "#5a1f22"}
STALL_EDGE = {False: "#c62828", True: "#ff5a5a"}
STALL_LABEL = "#c62828"
STALL_LABEL_TEXT = "#ffffff"
RUNNING_BAND_ALPHA = 46


@dataclass(frozen=True)
class StallLabelPlan:
    """Where the stall label goes: after the code of ``line``, or in its gutter row."""

    line: int
    """0-based line whose row holds the label (the stall line or a neighbour)."""
    text: str
    left: float
    """Viewport x (or gutter x when ``in_gutter``) of the pill's left edge."""
    width: float
    in_gutter: bool = False


class LineNumberGutter(QWidget):
    """Paints task markers and line numbers for the code view it belongs to."""

    def __init__(self, view: CodeView) -> None:
        super().__init__(view)
        self._view = view
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(self._view.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._view.paint_gutter(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._view.gutter_tooltip(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


class CodeView(QPlainTextEdit):
    """Monospace, read-only, highlighted Python with line numbers and task markers."""

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
        self._markers: SourceMarkers = NO_MARKERS
        self._marker_rects: dict[int, list[tuple[QRectF, TaskMarker]]] = {}
        self._label_rect: QRectF | None = None
        self._label_in_gutter = False
        self._annotations: dict[int, str] = {}
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

    @property
    def gutter(self) -> LineNumberGutter:
        return self._gutter

    @property
    def markers(self) -> SourceMarkers:
        """What the gutter marks now (see :func:`~loopviz.ui.source_markers.markers_for`)."""
        return self._markers

    def set_source(self, source: str, top_line: int = 0) -> None:
        """Show ``source`` with the 0-based ``top_line`` at the top of the view."""
        text = normalise_newlines(source)
        self._highlighter.set_source(text)
        self._markers = NO_MARKERS
        self._marker_rects = {}
        self.setPlainText(text)
        self._apply_bands()
        self.scroll_to_line(top_line)
        self.horizontalScrollBar().setValue(0)

    def scroll_to_line(self, line: int) -> None:
        """Put the 0-based ``line`` at the top (without wrapping, one block is one step)."""
        self.verticalScrollBar().setValue(max(0, line))

    def top_line(self) -> int:
        """The 0-based line shown at the top."""
        return self.firstVisibleBlock().blockNumber()

    def visible_lines(self) -> range:
        """0-based lines wholly inside the viewport."""
        rows = max(1, self.viewport().height() // max(1, self.fontMetrics().height()))
        top = self.top_line()
        return range(top, top + rows)

    def ensure_line_visible(self, line: int) -> bool:
        """Scroll so the 0-based ``line`` shows, a third of the way down; True if it moved."""
        if line < 0 or line >= self.blockCount():
            return False
        shown = self.visible_lines()
        if line in shown:
            return False
        self.scroll_to_line(line - len(shown) // 3)
        return True

    def reveal_line(self, line: int) -> bool:
        """Bring the 0-based ``line`` into view and select it (a clicked location)."""
        block = self.document().findBlockByNumber(line)
        if not block.isValid():
            return False
        self.ensure_line_visible(line)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        return True

    def set_point_size(self, point_size: float) -> None:
        """Zoom the code text (View > Larger/Smaller text)."""
        font = code_font(point_size)
        self.setFont(font)
        self.document().setDefaultFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self._gutter.setFont(font)
        self._update_margins()

    def set_theme(self, theme: Theme) -> None:
        """Recolour highlighting, gutter and bands."""
        self._theme = theme
        self._highlighter.set_theme(theme)
        self._apply_bands()
        self._gutter.update()

    # -- markers ----------------------------------------------------------------------

    def set_markers(self, markers: SourceMarkers) -> None:
        """Show ``markers`` in the gutter and the stall/running bands across the code."""
        if markers == self._markers:
            return
        self._markers = markers
        self._marker_rects = {}
        self._annotations = {}
        self._apply_bands()
        self._gutter.update()
        self.viewport().update()

    def marker_rects(self, line: int) -> list[tuple[QRect, TaskMarker]]:
        """Where the markers of a 0-based line were last painted, in gutter pixels."""
        return [(r.toAlignedRect(), m) for r, m in self._marker_rects.get(line, [])]

    def stall_label_rect(self) -> QRect | None:
        """Where the stall label was last painted (None: not shown).

        In viewport pixels, or in gutter pixels when :attr:`stall_label_in_gutter`.
        """
        return None if self._label_rect is None else self._label_rect.toAlignedRect()

    @property
    def stall_label_in_gutter(self) -> bool:
        """The last stall label went to the gutter: no line had room after its code."""
        return self._label_in_gutter

    def gutter_tooltip(self, pos: QPoint) -> str:
        """The tooltip for a point of the gutter: the tasks on that line."""
        block = self.cursorForPosition(QPoint(0, pos.y())).block()
        return self._markers.tooltip(block.blockNumber()) if block.isValid() else ""

    def _apply_bands(self) -> None:
        selections = []
        stall = self._markers.stall
        running = self._markers.running_line
        if stall is not None:
            selections.append(self._band(stall.line, QColor(STALL_BAND[self._theme.is_dark])))
        elif running is not None and self._markers.running_color is not None:
            tint = QColor(self._markers.running_color)
            tint.setAlpha(RUNNING_BAND_ALPHA)
            selections.append(self._band(running, tint))
        self.setExtraSelections([s for s in selections if s is not None])

    def _band(self, line: int, color: QColor) -> QTextEdit.ExtraSelection | None:
        block = self.document().findBlockByNumber(line)
        if not block.isValid():
            return None
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(color)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = QTextCursor(block)
        return selection

    # -- painting ----------------------------------------------------------------------

    def marker_metrics(self) -> MarkerMetrics:
        return MarkerMetrics(self.fontMetrics().height())

    def marker_column_width(self) -> int:
        return self.marker_metrics().column_width()

    def width_for_columns(self, columns: int) -> int:
        """The width this view needs to show ``columns`` characters of code without scrolling.

        Gutter, document margins, the text itself, the cursor, the vertical scroll
        bar and the frame: the layout sizes the source pane with it.
        """
        text = QFontMetricsF(self.font()).horizontalAdvance("x" * max(0, columns))
        margins = 2 * self.document().documentMargin() + self.cursorWidth() + 1
        scroll = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return math.ceil(self.gutter_width() + text + margins + scroll + 2 * self.frameWidth())

    def gutter_width(self) -> int:
        digits = max(3, len(str(max(1, self.blockCount()))))
        numbers = 12 + self.fontMetrics().horizontalAdvance("9") * digits
        return self.marker_column_width() + numbers

    def _line_rows(self, top_px: int, bottom_px: int):
        """``(block, top, height)`` of the visible blocks between two viewport y's."""
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        while block.isValid() and top <= bottom_px:
            height = round(self.blockBoundingRect(block).height())
            if block.isVisible() and top + height >= top_px:
                yield block, top, height
            block = block.next()
            top += height

    def paint_gutter(self, event: QPaintEvent) -> None:
        """Markers, then numbers right-aligned in the gutter colours; the stall row in red."""
        painter = QPainter(self._gutter)
        t = self._theme
        painter.fillRect(event.rect(), QColor(t.gutter))
        right = self._gutter.width() - 1
        if self.document().isEmpty():  # no "1" next to an empty-state hint
            painter.setPen(QColor(t.border))
            painter.drawLine(right, event.rect().top(), right, event.rect().bottom())
            painter.end()
            return
        metrics = self.marker_metrics()
        column = metrics.column_width()
        number_font = QFont(self.font())
        bold = QFont(number_font)
        bold.setBold(True)
        badge = QFont(QApplication.font())
        badge.setBold(True)
        badge.setPointSizeF(max(8.0, number_font.pointSizeF() * 0.8))
        outline = QColor(t.base if t.is_dark else t.text)
        stall = self._markers.stall
        running = self._markers.running_line if stall is None else None
        line_height = self.fontMetrics().height()
        plan = self.stall_label_plan() if stall is not None else None
        gutter_plan = plan if plan is not None and plan.in_gutter else None
        for block, top, height in self._line_rows(event.rect().top(), event.rect().bottom()):
            number = block.blockNumber()
            if gutter_plan is not None and number == gutter_plan.line:
                self._label_rect = self._pill_on(
                    painter,
                    block,
                    QRectF(gutter_plan.left, 0, gutter_plan.width, 0),
                    gutter_plan.text,
                    self._label_font(),
                )
                self._label_in_gutter = True
                continue
            row = QRect(0, top, self._gutter.width(), height)
            if stall is not None and number == stall.line:
                painter.fillRect(row, QColor(STALL_BAND[t.is_dark]))
                painter.fillRect(QRect(right - 4, top, 5, height), QColor(STALL_EDGE[t.is_dark]))
            elif number == running and self._markers.running_color is not None:
                tint = QColor(self._markers.running_color)
                tint.setAlpha(RUNNING_BAND_ALPHA)
                painter.fillRect(row, tint)
            tasks = self._markers.tasks_on(number)
            self._marker_rects.pop(number, None)
            if tasks:
                marker_row = QRectF(0, top, column, line_height)
                self._marker_rects[number] = paint_line_markers(
                    painter,
                    marker_row,
                    tasks,
                    metrics,
                    outline,
                    badge,
                    QColor(t.text),
                    self._markers.count_on(number),
                )
            is_stall = stall is not None and number == stall.line
            painter.setFont(bold if is_stall else number_font)
            painter.setPen(QColor(STALL_EDGE[t.is_dark] if is_stall else t.gutter_text))
            painter.drawText(
                QRect(column, top, self._gutter.width() - column - 8, line_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(number + 1),
            )
        painter.setPen(QColor(t.border))
        painter.drawLine(right, event.rect().top(), right, event.rect().bottom())
        painter.end()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        markers = self._markers
        if not markers:
            self._annotations = {}
            self._label_rect, self._label_in_gutter = None, False
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        stall = markers.stall
        plan = self.stall_label_plan() if stall is not None else None
        for block, top, _height in self._line_rows(event.rect().top(), event.rect().bottom()):
            line = block.blockNumber()
            self._annotations.pop(line, None)
            if stall is not None and line == stall.line:
                continue
            if plan is not None and not plan.in_gutter and line == plan.line:
                continue  # the stall label sits at the end of this line
            text = markers.annotation(line)
            if text:
                self._paint_annotation(painter, block, top, line, text)
        if plan is None:
            self._label_rect, self._label_in_gutter = None, False
        elif not plan.in_gutter:
            block = self.document().findBlockByNumber(plan.line)
            span = QRectF(plan.left, 0, plan.width, 0)
            self._label_rect = self._pill_on(painter, block, span, plan.text, self._label_font())
            self._label_in_gutter = False
        painter.end()

    def annotation_text(self, line: int) -> str:
        """The task names last written after a 0-based line ("" if none fitted)."""
        return self._annotations.get(line, "")

    def _paint_annotation(
        self, painter: QPainter, block: QTextBlock, top: int, line: int, text: str
    ) -> None:
        """ "◀ ticker · waiting" after the line's code, in the task's colour, if it fits."""
        font = self._label_font()
        font.setBold(False)
        fm = QFontMetrics(font)
        text = f"◀ {text}"
        x = self._text_end(block) + fm.horizontalAdvance("   ")
        if x + fm.horizontalAdvance(text) > self.viewport().width() - 4:
            return
        tasks = self._markers.tasks_on(line)
        color = QColor(tasks[0].color) if len(tasks) == 1 else QColor(self._theme.muted)
        painter.setFont(font)
        painter.setPen(color)
        height = self.fontMetrics().height()
        painter.drawText(
            QRectF(x, top, self.viewport().width() - x, height),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        self._annotations[line] = text

    def _label_font(self) -> QFont:
        font = QFont(QApplication.font())
        font.setBold(True)
        font.setPointSizeF(max(9.0, self.font().pointSizeF() * 0.9))
        return font

    def _text_end(self, block: QTextBlock) -> float:
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        return self.cursorRect(cursor).right()

    def stall_label_plan(self) -> StallLabelPlan | None:
        """Where the stall label goes now; None when the blocking line is not shown.

        In order, never over code: after the blocking line's code ("◀ requests.get(…)
        blocks the loop · 0.62 s", then shorter: "◀ blocking · 0.62 s", "◀ 0.62 s");
        at the right end of the line below (▲) or above (▼) where its code leaves
        room; last, in the gutter row of the line below (or above), over its number.
        """
        stall = self._markers.stall
        if stall is None:
            return None
        block = self.document().findBlockByNumber(stall.line)
        if not block.isValid() or not block.isVisible():
            return None
        fm = QFontMetrics(self._label_font())
        width = self.viewport().width()
        gap = fm.horizontalAdvance("  ")
        labels = (stall.label, stall.short_label, stall.tiny_label)

        def pill_width(text: str) -> float:
            return fm.horizontalAdvance(text) + 16

        for label in labels:
            text = f"◀ {label}"
            x = self._text_end(block) + gap
            if x + pill_width(text) <= width - 4:
                return StallLabelPlan(stall.line, text, x, pill_width(text))
        neighbours = [
            (b, arrow) for b, arrow in ((block.next(), "▲"), (block.previous(), "▼")) if b.isValid()
        ]
        for label in labels:
            for target, arrow in neighbours:
                text = f"{arrow} {label}"
                w = pill_width(text)
                x = max(self._text_end(target) + gap, width - w - 8)
                if x + w <= width - 4:
                    return StallLabelPlan(target.blockNumber(), text, x, w)
        target, arrow = neighbours[0] if neighbours else (block, "◀")
        text = f"{arrow} {stall.tiny_label}"
        gutter = self.gutter_width()
        w = min(pill_width(text), gutter - 6)
        return StallLabelPlan(target.blockNumber(), text, gutter - w - 4, w, in_gutter=True)

    def _pill_on(
        self, painter: QPainter, block: QTextBlock, span: QRectF, text: str, font: QFont
    ) -> QRectF:
        """Draw a pill spanning ``span``'s x range, centred on ``block``'s row."""
        geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
        height = geometry.height()
        pill_h = min(height - 2, QFontMetrics(font).height() + 4)
        rect = QRectF(span.left(), geometry.top() + (height - pill_h) / 2, span.width(), pill_h)
        self._draw_pill(painter, rect, text, font)
        return rect

    def _draw_pill(self, painter: QPainter, rect: QRectF, text: str, font: QFont) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STALL_LABEL))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(QPen(QColor(STALL_LABEL_TEXT)))
        painter.setFont(font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)

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
