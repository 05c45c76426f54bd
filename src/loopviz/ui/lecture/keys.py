"""Text fields keep their arrow keys: the lecture keys (←, →, Home, End) are window
shortcuts, and Qt gives a shortcut the key before the focused widget.

Editable fields (the parameters bar) already claim those keys themselves. A
read-only text view that can be navigated with the keyboard (the code view,
the console) does not — so once the lecturer has clicked into the code, → would
step the run instead of moving the text cursor. This filter answers Qt's
"ShortcutOverride" question for such views: the key belongs to the text.
Space and [ ] still reach the window (a read-only view has no use for them).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from loopviz.ui.lecture.key_filter import ShortcutOverrideFilter

TEXT_KEYS = frozenset({Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End})


def wants_key(widget: QObject, key: int) -> bool:
    """Whether ``widget`` (the focus widget) uses ``key`` itself rather than the window."""
    if key not in TEXT_KEYS or not isinstance(widget, QPlainTextEdit | QTextEdit):
        return False
    flags = widget.textInteractionFlags()
    return bool(flags & Qt.TextInteractionFlag.TextSelectableByKeyboard) or not widget.isReadOnly()


class TextKeysGuard(ShortcutOverrideFilter):
    """Installed on the application; parent it to the window so it goes when the window does."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(wants_key, parent)
