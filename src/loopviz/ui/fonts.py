"""Font choices sized for a projector: readable from the back of a lecture hall."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

UI_POINT_SIZE = 11
CODE_POINT_SIZE = 12
MIN_CODE_POINT_SIZE = 8
MAX_CODE_POINT_SIZE = 40
PRESENTER_POINT_SIZE = 18
"""The presenter view's text size, for every pane: 24 px at 96 dpi, read across a hall."""
MIN_PRESENTER_POINT_SIZE = 12

_MONO_PREFERENCES = ("JetBrains Mono", "Cascadia Mono", "Fira Code", "DejaVu Sans Mono")


def ui_font(base: QFont) -> QFont:
    """The application font: the platform's, but never smaller than ``UI_POINT_SIZE``."""
    font = QFont(base)
    if font.pointSizeF() < UI_POINT_SIZE:
        font.setPointSizeF(UI_POINT_SIZE)
    return font


def code_font(point_size: float = CODE_POINT_SIZE) -> QFont:
    """A monospace font for source and console; prefers well-hinted coding fonts."""
    families = set(QFontDatabase.families())
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    for family in _MONO_PREFERENCES:
        if family in families:
            font = QFont(family)
            break
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFixedPitch(True)
    font.setPointSizeF(clamp_code_size(point_size))
    return font


def clamp_code_size(point_size: float) -> float:
    """Keep zoomed code text within sane bounds."""
    return max(MIN_CODE_POINT_SIZE, min(MAX_CODE_POINT_SIZE, point_size))


def clamp_presenter_size(point_size: float) -> float:
    """The presenter view never goes below a size a lecture hall can read."""
    return max(MIN_PRESENTER_POINT_SIZE, min(MAX_CODE_POINT_SIZE, point_size))


def sized_font(base: QFont, point_size: float) -> QFont:
    """``base`` at ``point_size`` (the presenter view's font for every pane)."""
    font = QFont(base)
    font.setPointSizeF(point_size)
    return font


def is_monospace(font: QFont) -> bool:
    """Whether the font Qt actually resolved is fixed-pitch (tests use it)."""
    return QFontInfo(font).fixedPitch()
