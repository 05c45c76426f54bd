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
``LOOPVIZ_SCREENSHOT_WHEN=stall[:S]|run:S``
    Take the screenshot (then close) at a moment of a live run instead of after
    a fixed delay; start the app with ``--run``. ``stall`` waits until the
    blocked-loop banner has been showing, live, for ``S`` seconds (default 0.3);
    ``run:S`` waits until the run's clock reaches ``S`` seconds. If the moment
    does not come within 60 s, the run ends first, or the stall ends before its
    ``S`` seconds are up, nothing is saved: the app says why on stderr and
    exits with code 1. Overrides ``LOOPVIZ_QUIT_AFTER_MS``.

All run as one coroutine on the app's qasync loop and never call
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
ENV_SCREENSHOT_WHEN = "LOOPVIZ_SCREENSHOT_WHEN"
QUIT_WAYS = ("close", "menu", "ctrl+q")
SETTLE_MS = 800
EXPOSE_TIMEOUT_S = 15.0
WHEN_TIMEOUT_S = 60.0
STALL_SHOWN_S = 0.3
POLL_S = 0.02


@dataclass
class DebugHooks:
    """What the environment asked for; ``exit_code`` becomes the app's exit code."""

    screenshot: Path | None = None
    quit_after_ms: int | None = None
    quit_via: str = "close"
    when: str | None = None
    exit_code: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> DebugHooks:
        shot = environ.get(ENV_SCREENSHOT, "").strip()
        quit_after = environ.get(ENV_QUIT_AFTER_MS, "").strip()
        via = environ.get(ENV_QUIT_VIA, "").strip().lower()
        when = environ.get(ENV_SCREENSHOT_WHEN, "").strip().lower()
        return cls(
            screenshot=Path(shot) if shot else None,
            quit_after_ms=int(quit_after) if quit_after.isdigit() else None,
            quit_via=via if via in QUIT_WAYS else "close",
            when=when or None,
        )

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.screenshot, self.quit_after_ms, self.when))

    async def run(self, window: QWidget) -> None:
        """Wait until painted (or the asked-for moment), maybe screenshot, then close."""
        await wait_until_exposed(window)
        if self.when is not None:
            try:
                problem = await wait_for_moment(window, *parse_when(self.when))
            except ValueError as exc:
                problem = str(exc)
            if problem:
                print(f"loopviz: {problem}", file=sys.stderr)
                self.exit_code = 1
                await close_window(window, self.quit_via)
                return
        else:
            delay = self.quit_after_ms if self.quit_after_ms is not None else SETTLE_MS
            await asyncio.sleep(delay / 1000)
        if self.screenshot is not None:
            try:
                save_screenshot(window, self.screenshot)
            except OSError as exc:
                print(f"loopviz: {exc}", file=sys.stderr)
                self.exit_code = 1
        await close_window(window, self.quit_via)


def parse_when(text: str) -> tuple[str, float]:
    """ "stall" → ("stall", 0.3); "stall:0.6", "run:1.3" → (kind, seconds)."""
    kind, _, seconds = text.partition(":")
    try:
        value = float(seconds) if seconds else (STALL_SHOWN_S if kind == "stall" else -1.0)
    except ValueError:
        value = -1.0
    if kind not in ("stall", "run") or value < 0:
        raise ValueError(f"{ENV_SCREENSHOT_WHEN}={text!r}: expected stall, stall:S or run:S")
    return kind, value


async def wait_for_moment(
    window: QWidget, kind: str, seconds: float, timeout: float = WHEN_TIMEOUT_S
) -> str | None:
    """Sleep until the moment ``parse_when`` describes; None then, else what went wrong."""
    run = window.live.run  # type: ignore[attr-defined]
    banner = window.stall_banner  # type: ignore[attr-defined]
    clock = asyncio.get_running_loop().time
    wanted = f"{seconds:.2f} s of stall banner" if kind == "stall" else f"{seconds:.2f} s of run"
    deadline = clock() + timeout
    live_since: float | None = None
    while clock() < deadline:
        if kind == "run" and run.running and run.now() >= seconds:
            return None
        if kind == "stall" and banner.is_live:
            live_since = clock() if live_since is None else live_since
            if clock() - live_since >= seconds:
                return None
        elif kind == "stall" and live_since is not None:
            shown = clock() - live_since
            return f"the stall ended after {shown:.2f} s of banner, before {wanted}"
        if run.recording is not None and not run.running:
            return f"the run ended at {run.now():.2f} s, before {wanted}"
        await asyncio.sleep(POLL_S)
    started = "" if run.recording is not None else " (no run started: was --run given?)"
    return f"no {wanted} within {timeout:.0f} s{started}"


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
