"""A faint centred hint drawn over an empty view ("Press F5 to run …").

Empty panes are the first thing a class sees; a sentence that says what will
appear there, and how to make it appear, beats a blank rectangle.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

NARROW = 320
"""Hosts narrower than this (px) get slim side margins."""


class EmptyStateOverlay(QLabel):
    """A label that covers ``host`` (a widget or a scroll area's viewport) and follows its size.

    ``area`` narrows it to part of the host (the plot's data area rather than its
    axes); call :meth:`refit` when that area moves. It ignores the mouse, so the
    view underneath still pans, zooms and selects.
    """

    def __init__(self, host: QWidget, text: str, area: Callable[[], QRect] | None = None) -> None:
        super().__init__(text, host)
        self._area = area
        self.setObjectName("EmptyState")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setContentsMargins(24, 12, 24, 12)
        font = QApplication.font()  # not the host's: a code view's would be monospace
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)
        self._host = host
        host.installEventFilter(self)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def refit(self) -> None:
        """Follow the host (or ``area``) after it moved without a resize."""
        self._fit()

    def _fit(self) -> None:
        rect = self._area() if self._area is not None else self._host.rect()
        rect = rect if rect.isValid() else self._host.rect()
        # A narrow pane keeps its width for the words: the sentence must not be cut.
        side = 24 if rect.width() >= NARROW else 8
        top = 12 if rect.height() >= 120 else 4
        if self.contentsMargins().left() != side or self.contentsMargins().top() != top:
            self.setContentsMargins(side, top, side, top)
        self.setGeometry(rect)
        self.raise_()
