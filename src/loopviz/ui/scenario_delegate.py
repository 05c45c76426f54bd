"""Paints one scenario row: a number badge, the title, and a two-line summary.

The badge carries the course number, so the lecturer can say "scenario 3" and
everyone finds it. Files opened by hand get a neutral "py" badge, and files that
failed to load a "!" badge with the error as the summary, in the error colour.

In the default layout the list shares a strip with the console and has room for
titles only: ``compact`` rows are one line, badge and title (the summary is in the
row's tooltip, and in the source pane's header once selected). The list turns
compact by itself when the full rows would not all fit (``ScenarioList``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextLayout
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from loopviz.ui.scenario_labels import first_sentence, plain_title
from loopviz.ui.scenario_model import INFO_ROLE
from loopviz.ui.theme import LIGHT, Theme

if TYPE_CHECKING:
    from loopviz.catalog import ScenarioInfo

PAD = 10
BADGE = 30
SUMMARY_LINES = 2
COMPACT_PAD = 6
COMPACT_BADGE = 26


def summary_text(info: ScenarioInfo) -> str:
    """The second line: the error if loading failed, else the explanation's first sentence."""
    if info.error:
        return f"Could not load: {info.error}"
    return first_sentence(info.explanation).replace("`", "") or str(info.path.name)


def badge_text(info: ScenarioInfo) -> str:
    if info.error:
        return "!"
    return str(info.order) if info.order is not None else "py"


class ScenarioDelegate(QStyledItemDelegate):
    """Draws rows from ``INFO_ROLE`` in the current theme's colours."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.theme = theme
        self.compact = False
        """Titles only: one line per row."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setWeight(QFont.Weight.DemiBold)
        summary = QFont(option.font)
        summary.setPointSizeF(option.font.pointSizeF() * 0.9)
        return title, summary

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return self.row_size(option.font, self.compact)

    def row_size(self, font: QFont, compact: bool) -> QSize:
        """A row's size in ``font``, full or ``compact`` (the list compares the two)."""
        title = QFont(font)
        title.setWeight(QFont.Weight.DemiBold)
        if compact:
            return QSize(160, max(COMPACT_BADGE, QFontMetrics(title).height()) + 2 * COMPACT_PAD)
        summary = QFont(font)
        summary.setPointSizeF(font.pointSizeF() * 0.9)
        height = QFontMetrics(title).height() + SUMMARY_LINES * QFontMetrics(summary).lineSpacing()
        return QSize(200, max(BADGE, height + 4) + 2 * PAD)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        info = index.data(INFO_ROLE)
        if info is None:
            return
        t = self.theme
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            painter.fillRect(rect, QColor(t.selection))
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), QColor(t.accent))
        elif hovered:
            painter.fillRect(rect, QColor(t.alt_base))
        painter.setPen(QPen(QColor(t.border), 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        title_font, summary_font = self._fonts(option)
        title_metrics = QFontMetrics(title_font)
        if self.compact:
            self._paint_badge(painter, rect, info, COMPACT_PAD, COMPACT_BADGE, title_font)
            left = rect.left() + COMPACT_PAD + COMPACT_BADGE + PAD
            width = max(10, rect.right() - COMPACT_PAD - left)
            title = title_metrics.elidedText(plain_title(info), Qt.TextElideMode.ElideRight, width)
            painter.setFont(title_font)
            painter.setPen(QColor(t.error if info.error else t.text))
            box = QRect(left, rect.top(), width, rect.height())
            painter.drawText(box, int(Qt.AlignmentFlag.AlignVCenter), title)
            painter.restore()
            return
        self._paint_badge(painter, rect, info, PAD, BADGE, title_font)
        left = rect.left() + PAD + BADGE + PAD
        width = max(10, rect.right() - PAD - left)
        top = rect.top() + PAD
        painter.setFont(title_font)
        painter.setPen(QColor(t.text))
        title = title_metrics.elidedText(plain_title(info), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, top, width, title_metrics.height()), 0, title)
        painter.setFont(summary_font)
        painter.setPen(QColor(t.error if info.error else t.muted))
        self._paint_wrapped(
            painter, summary_text(info), summary_font, left, top + title_metrics.height() + 2, width
        )
        painter.restore()

    def _paint_badge(
        self, painter: QPainter, rect: QRect, info: ScenarioInfo, pad: int, size: int, font: QFont
    ) -> None:
        t = self.theme
        top = rect.top() + pad if not self.compact else rect.center().y() - size / 2 + 0.5
        box = QRectF(rect.left() + pad, top, size, size)
        numbered = info.order is not None and not info.error
        fill = QColor(t.error if info.error else t.accent if numbered else t.header)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawEllipse(box)
        font = QFont(font)
        font.setBold(True)
        if self.compact:
            font.setPointSizeF(font.pointSizeF() * 0.92)
        painter.setFont(font)
        painter.setPen(QColor(t.accent_text if numbered or info.error else t.muted))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, badge_text(info))

    @staticmethod
    def _paint_wrapped(
        painter: QPainter, text: str, font: QFont, left: int, top: int, width: int
    ) -> None:
        """Wrap ``text`` into at most ``SUMMARY_LINES`` lines, eliding the last one."""
        metrics = QFontMetrics(font)
        layout = QTextLayout(text, font)
        layout.beginLayout()
        lines: list[str] = []
        while len(lines) < SUMMARY_LINES:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(text[line.textStart() : line.textStart() + line.textLength()])
        layout.endLayout()
        consumed = sum(len(line) for line in lines)
        if lines and consumed < len(text):
            rest = text[consumed - len(lines[-1]) :]
            lines[-1] = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)
        for number, line in enumerate(lines):
            y = top + number * metrics.lineSpacing()
            painter.drawText(QRect(left, y, width, metrics.height()), 0, line.rstrip())
