"""A focused widget that claims a key before the window's shortcuts see it.

Qt offers a key press to the window's shortcuts *before* the focused widget, by
sending it a "ShortcutOverride" event first; accepting that event gives the key
to the widget and no shortcut fires. Lecture mode's keys (← → Home End) and the
playlist's (Page Up / Page Down) are window shortcuts, yet a text view or a field
being edited needs some of those keys itself. Each such rule is one predicate:
"does this widget use this key?". This filter asks it for every ShortcutOverride
in the application, so the rule is all a caller writes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

KeyClaim = Callable[[QObject, int], bool]
"""``claims(focus_widget, key)``: True when the widget uses ``key`` itself."""


class ShortcutOverrideFilter(QObject):
    """Installed on the application; parent it to the window so it goes when the window does."""

    def __init__(self, claims: KeyClaim, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._claims = claims
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._claims(watched, event.key())
        ):
            event.accept()  # the widget gets the key press; no shortcut fires
        return False
