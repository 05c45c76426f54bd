"""Drop the one harmless message the headless "offscreen" platform prints.

Qt's offscreen plugin warns "This plugin does not support propagateSizeHints()"
whenever a window's minimum size changes: there is no window system to tell.
Headless runs (tests, CI screenshots) would otherwise never have a clean stderr,
and a clean stderr is how the tests prove shutdown printed no warning. Every
other message passes through unchanged, on every platform.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QMessageLogContext, QtMsgType, qFormatLogMessage, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication

BENIGN_MESSAGES: dict[str, frozenset[str]] = {
    "offscreen": frozenset({"This plugin does not support propagateSizeHints()"}),
}


@contextmanager
def quiet_platform_noise() -> Iterator[None]:
    """While active, drop the current platform's known-benign messages."""
    benign = BENIGN_MESSAGES.get(QGuiApplication.platformName(), frozenset())
    if not benign:
        yield
        return
    previous = None

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message in benign:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            sys.stderr.write(qFormatLogMessage(mode, context, message) + "\n")

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
