"""Play, pause and stop icons drawn in the theme's text colour.

QStyle's standard media icons are dark grey glyphs made for a light window: on the
dark and high-contrast dark themes (the presenter view) they all but vanish. These
are drawn for the theme in use, with a muted disabled variant, and are redrawn when
the theme changes, so Run and Stop stay readable on a projector.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF

from loopviz.ui.theme import Theme

Glyph = Literal["play", "pause", "stop"]
SIZES = (16, 24, 32, 48)


def media_icon(glyph: Glyph, theme: Theme) -> QIcon:
    """``glyph`` in ``theme.text`` (Normal/Active) and ``theme.gutter_text`` (Disabled)."""
    icon = QIcon()
    for size in SIZES:
        for mode, colour in (
            (QIcon.Mode.Normal, theme.text),
            (QIcon.Mode.Active, theme.text),
            (QIcon.Mode.Selected, theme.text),
            (QIcon.Mode.Disabled, theme.gutter_text),
        ):
            icon.addPixmap(_draw(glyph, QColor(colour), size), mode)
    return icon


def _draw(glyph: Glyph, colour: QColor, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    s = float(size)
    if glyph == "play":
        painter.drawPolygon(
            QPolygonF([QPointF(0.25 * s, 0.15 * s), QPointF(0.85 * s, 0.5 * s),
                       QPointF(0.25 * s, 0.85 * s)])
        )  # fmt: skip
    elif glyph == "pause":
        painter.drawRect(QRectF(0.22 * s, 0.18 * s, 0.2 * s, 0.64 * s))
        painter.drawRect(QRectF(0.58 * s, 0.18 * s, 0.2 * s, 0.64 * s))
    else:
        painter.drawRoundedRect(QRectF(0.2 * s, 0.2 * s, 0.6 * s, 0.6 * s), 0.06 * s, 0.06 * s)
    painter.end()
    return pixmap
