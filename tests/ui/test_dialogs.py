"""Help › About and Help › Keyboard shortcuts."""

from __future__ import annotations

import platform

import pyqtgraph
import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from loopviz import __version__
from loopviz.ui.dialogs import AboutDialog, ShortcutsDialog


def test_about_shows_version_description_and_library_versions(window, qtbot) -> None:
    window.app_actions.about.trigger()
    dialog = window.dialog
    assert isinstance(dialog, AboutDialog)
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.text()
    assert f"loopviz {__version__}" in text
    assert "asyncio event loop" in text
    for version in (platform.python_version(), qVersion(), PySide6.__version__):
        assert version in text
    assert pyqtgraph.__version__ in text
    dialog.close()


def test_shortcuts_dialog_lists_every_shortcut_from_the_actions(window, qtbot) -> None:
    window.app_actions.shortcuts.trigger()
    dialog = window.dialog
    assert isinstance(dialog, ShortcutsDialog)
    qtbot.waitUntil(dialog.isVisible)
    rows = dialog.rows()
    assert ("File", "Quit", "Ctrl+Q") in rows
    assert ("File", "Open scenario…", "Ctrl+O") in rows
    assert ("Run", "Run", "F5") in rows
    assert ("Run", "Stop", "Shift+F5") in rows

    assert ("Timeline", "Follow now on / off", "F") in rows
    assert ("Timeline", "Select a range to export", "Ctrl+drag") in rows
    extra = ("Timeline", "Presenter view")  # keys of the chart, and of presenter view only
    listed = {keys for where, _command, keys in rows if where not in extra}
    native = QKeySequence.SequenceFormat.NativeText
    in_menus = []
    stack = [a.menu() for a in window.menuBar().actions()]
    while stack:
        menu = stack.pop()
        for a in menu.actions():
            if isinstance(a.menu(), QMenu):
                stack.append(a.menu())
            elif a.shortcuts():
                in_menus.append(", ".join(k.toString(native) for k in a.shortcuts()))
    assert sorted(listed) == sorted(in_menus), "generated from the actions themselves"
    dialog.close()


def test_shortcuts_dialog_follows_a_changed_shortcut(window, qtbot) -> None:
    window.app_actions.reset_layout.setShortcut(QKeySequence("Ctrl+Shift+R"))
    dialog = window.show_shortcuts()
    assert ("View", "Reset layout", "Ctrl+Shift+R") in dialog.rows()
    dialog.close()


def test_only_one_help_dialog_at_a_time(window, qtbot) -> None:
    first = window.show_about()
    second = window.show_shortcuts()
    qtbot.waitUntil(lambda: not first.isVisible())
    assert window.dialog is second
    second.close()
    qtbot.waitUntil(lambda: window.dialog is None)
