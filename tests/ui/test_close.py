"""Closing the window — by File › Quit, Ctrl+Q or the close button — is clean."""

from __future__ import annotations

import warnings

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from loopviz.ui.menus import find_menu

from .conftest import qt_warnings


def close_by_quit_action(window, qtbot) -> None:
    quit_action = next(
        a for a in find_menu(window.menuBar(), "File").actions() if a.text() == "&Quit"
    )
    quit_action.trigger()


def close_by_ctrl_q(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


def close_by_close_button(window, qtbot) -> None:
    window.close()  # what the window manager's × asks for


@pytest.mark.parametrize(
    "close",
    [close_by_quit_action, close_by_ctrl_q, close_by_close_button],
    ids=lambda f: f.__name__,
)
def test_window_closes_without_error_or_warning(window, qtbot, qtlog, close) -> None:
    window.scenario_list.select_row(0)
    with warnings.catch_warnings(record=True) as caught, qtbot.captureExceptions() as exceptions:
        warnings.simplefilter("always")
        close(window, qtbot)
        qtbot.waitUntil(lambda: not window.isVisible())
    assert not exceptions
    assert not [str(w.message) for w in caught]
    assert qt_warnings(qtlog) == []
