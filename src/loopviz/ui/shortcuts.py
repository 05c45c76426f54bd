"""Collect the app's keyboard shortcuts from its actions, so the list cannot go stale."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget


@dataclass(frozen=True)
class ShortcutRow:
    """One line of the shortcuts dialog."""

    where: str  # "File", "View › Theme", …
    command: str  # "Open scenario…"
    keys: str  # "Ctrl+O" (several bindings joined with ", ")


def _clean(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _keys(action: QAction) -> str:
    return ", ".join(
        key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()
    )


TIMELINE_KEYS = (
    ("Move the cursor to a moment", "click or drag"),
    ("Select a range to export", "Ctrl+drag"),
    ("Zoom in / out", "+, −"),
    ("Zoom around the pointer", "mouse wheel"),
    ("Show the whole run", "double-click"),
    ("Pan earlier / later", "Alt+←, Alt+→"),
    ("Pan half a screen", "Alt+Shift+←, Alt+Shift+→"),
    ("Pan", "Shift+drag, right or middle drag"),
    ("Scroll lanes", "↑, ↓"),
    ("Follow now on / off", "F"),
    ("Clear the selected range, then the selected lane", "Esc"),
)
"""Keys the timeline handles itself when it has the keyboard focus (click it first)."""

PRESENTER_KEYS = (("Leave presenter view", "Esc"),)
"""Keys bound only while the presenter view is on (so no action lists them before)."""


def shortcut_rows(menu_bar: QMenuBar, window: QWidget | None = None) -> list[ShortcutRow]:
    """Every action with a shortcut: menus first (in menu order), then window-only actions."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{where} › {_clean(action.text())}")
            elif not action.isSeparator():
                seen.add(id(action))
                if action.shortcuts() and action.isVisible():  # a hidden one cannot be used
                    rows.append(ShortcutRow(where, _clean(action.text()), _keys(action)))

    for top in menu_bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, _clean(top.text()))
    if window is not None:
        for action in window.actions():
            if id(action) not in seen and action.shortcuts():
                rows.append(ShortcutRow("Window", _clean(action.text()), _keys(action)))
    rows.extend(ShortcutRow("Presenter view", command, keys) for command, keys in PRESENTER_KEYS)
    rows.extend(ShortcutRow("Timeline", command, keys) for command, keys in TIMELINE_KEYS)
    return rows
