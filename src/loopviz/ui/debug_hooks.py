"""Hidden hooks for tests and screenshots, read from the environment.

``LOOPVIZ_SCREENSHOT=<path.png>``
    Once the window is exposed and has had time to paint, save a screenshot of it
    to that path, then close the window (the normal close path, as if the user
    clicked ×). On xcb the pixels come from the X server (what is really on
    screen); on other platforms from ``QWidget.grab``.
``LOOPVIZ_QUIT_AFTER_MS=<n>``
    Close the window ``n`` ms after it was exposed (with a screenshot: take it then).
    Without a screenshot this exercises the shutdown path alone.
``LOOPVIZ_QUIT_VIA=close|menu|ctrl+q``
    How the hooks close the window: ``close`` (default) as the title bar's ×
    does, ``menu`` by triggering File › Quit, ``ctrl+q`` by typing the shortcut
    into the active window. Lets tests prove each way out on the real loop.

Both run as one coroutine on the app's qasync loop and never call
``processEvents``: the loop paints while the coroutine sleeps. If the screenshot
cannot be written, the app exits with code 1 and says why on stderr.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

ENV_SCREENSHOT = "LOOPVIZ_SCREENSHOT"
ENV_QUIT_AFTER_MS = "LOOPVIZ_QUIT_AFTER_MS"
ENV_QUIT_VIA = "LOOPVIZ_QUIT_VIA"
QUIT_WAYS = ("close", "menu", "ctrl+q")
SETTLE_MS = 800
EXPOSE_TIMEOUT_S = 15.0


@dataclass
class DebugHooks:
    """What the environment asked for; ``exit_code`` becomes the app's exit code."""

    screenshot: Path | None = None
    quit_after_ms: int | None = None
    quit_via: str = "close"
    exit_code: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> DebugHooks:
        shot = environ.get(ENV_SCREENSHOT, "").strip()
        quit_after = environ.get(ENV_QUIT_AFTER_MS, "").strip()
        via = environ.get(ENV_QUIT_VIA, "").strip().lower()
        return cls(
            screenshot=Path(shot) if shot else None,
            quit_after_ms=int(quit_after) if quit_after.isdigit() else None,
            quit_via=via if via in QUIT_WAYS else "close",
        )

    @property
    def active(self) -> bool:
        return self.screenshot is not None or self.quit_after_ms is not None

    async def run(self, window: QWidget) -> None:
        """Wait until painted, maybe take the screenshot, then close ``window``."""
        await wait_until_exposed(window)
        delay = self.quit_after_ms if self.quit_after_ms is not None else SETTLE_MS
        await asyncio.sleep(delay / 1000)
        if self.screenshot is not None:
            try:
                save_screenshot(window, self.screenshot)
            except OSError as exc:
                print(f"loopviz: {exc}", file=sys.stderr)
                self.exit_code = 1
        await close_window(window, self.quit_via)


async def close_window(window: QWidget, via: str) -> None:
    """Close ``window`` the way a user would: ×, File › Quit, or Ctrl+Q."""
    if via == "menu":
        window.app_actions.quit.trigger()  # type: ignore[attr-defined]
    elif via == "ctrl+q":
        from PySide6.QtTest import QTest  # only this hook needs QtTest

        window.activateWindow()
        deadline = asyncio.get_running_loop().time() + EXPOSE_TIMEOUT_S
        while QApplication.activeWindow() is not window:
            if asyncio.get_running_loop().time() > deadline:
                break
            await asyncio.sleep(0.05)
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    else:
        window.close()


async def wait_until_exposed(window: QWidget) -> None:
    """Sleep until the window system shows the window (xcb maps it asynchronously)."""
    deadline = asyncio.get_running_loop().time() + EXPOSE_TIMEOUT_S
    while asyncio.get_running_loop().time() < deadline:
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            return
        await asyncio.sleep(0.05)


def grab_window(window: QWidget) -> QPixmap:
    """The window's pixels: from the X server on xcb, else rendered by the widget."""
    if QGuiApplication.platformName() == "xcb":
        screen = window.screen()
        pixmap = screen.grabWindow(window.winId()) if screen is not None else QPixmap()
        if not pixmap.isNull():
            return pixmap
    return window.grab()


def save_screenshot(window: QWidget, path: Path) -> None:
    """Write the window's screenshot as PNG; raise ``OSError`` if that fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not grab_window(window).save(str(path), "PNG"):
        raise OSError(f"could not write screenshot {path}")
