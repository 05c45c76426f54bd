"""When loopviz itself fails: say so, write it down, and carry on.

An exception that escapes a Qt slot, a thread or a task on the GUI's asyncio
loop would otherwise be printed to a terminal nobody looks at during a lecture
(or, worse, abort the app). :class:`CrashReporter` catches all three — through
``sys.excepthook`` (PySide calls it for exceptions in slots),
``threading.excepthook`` and the qasync loop's exception handler — and for each:

* writes a crash report (traceback, versions, platform) to the user's data
  directory, ``crash-reports/`` under ``QStandardPaths.AppDataLocation``, or under
  ``$LOOPVIZ_DATA_DIR`` when set (tests, portable installs);
* logs it on the ``loopviz`` logger;
* tells the user in the window: one non-modal message (repeats are counted, not
  stacked) and a status-bar line. The app keeps running.

Why non-modal: a modal box would block the window while a run is live, and a
lecturer should be able to carry on and read the details later.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import platform
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

DATA_DIR_ENV = "LOOPVIZ_DATA_DIR"
REPORTS = "crash-reports"
KEEP_REPORTS = 50
"""Oldest reports beyond this many are removed, so a loop of failures cannot fill a disk."""

log = logging.getLogger("loopviz")


def data_dir() -> Path:
    """Where loopviz keeps its own files: ``$LOOPVIZ_DATA_DIR`` or the platform's app data."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".local" / "share" / "loopviz")


def write_report(text: str, directory: Path | None = None) -> Path | None:
    """Save one crash report; its path, or None if it could not be written."""
    folder = (directory or data_dir()) / REPORTS
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"crash-{stamp}-{os.getpid()}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        old = sorted(folder.glob("crash-*.txt"))[:-KEEP_REPORTS]
        for stale in old:
            stale.unlink(missing_ok=True)
    except OSError as exc:
        log.error("cannot write the crash report to %s: %s", folder, exc)
        return None
    return path


def report_text(where: str, exc: BaseException | None, message: str = "") -> str:
    """The report's text: what failed where, the traceback, and what it ran on."""
    from loopviz import __version__

    lines = [
        f"loopviz {__version__} internal error in {where}",
        f"time: {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"python: {sys.version.split()[0]} on {platform.platform()}",
        f"thread: {threading.current_thread().name}",
    ]
    with contextlib.suppress(Exception):
        import PySide6

        lines.append(f"PySide6: {PySide6.__version__}")
    if message:
        lines.append(f"message: {message}")
    lines.append("")
    if exc is not None:
        lines.append("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return "\n".join(lines)


class CrashReporter(QObject):
    """Catches loopviz's own unhandled exceptions; installed once by ``run_app``."""

    _reported = Signal(str, str)
    """(summary, report path): crosses from any thread to the GUI thread."""

    def __init__(self, window: QWidget | None = None, directory: Path | None = None) -> None:
        super().__init__()
        self.window = window
        self.directory = directory
        self.count = 0
        self.last_report: Path | None = None
        self._box: QMessageBox | None = None
        self._previous: tuple[Any, Any] | None = None
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # -- hooks -------------------------------------------------------------------------

    def install(self) -> None:
        """Take over ``sys.excepthook`` and ``threading.excepthook`` (``uninstall`` restores)."""
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self.excepthook
            threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def excepthook(
        self, etype: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """Exceptions escaping Qt slots and the main thread."""
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        self.report("a Qt slot", exc)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or isinstance(args.exc_value, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        self.report(f"thread {name!r}", args.exc_value)

    def loop_exception(self, loop: Any, context: dict[str, Any]) -> None:
        """The GUI loop's exception handler (``loop.set_exception_handler``)."""
        exc = context.get("exception")
        message = str(context.get("message", ""))
        if exc is None:
            log.warning("event loop: %s", message)
            return
        self.report("the app's event loop", exc, message)

    # -- reporting -----------------------------------------------------------------------

    def report(self, where: str, exc: BaseException, message: str = "") -> Path | None:
        """Log, save and show one failure; never raises."""
        try:
            self.count += 1
            log.error("internal error in %s", where, exc_info=(type(exc), exc, exc.__traceback__))
            path = write_report(report_text(where, exc, message), self.directory)
            self.last_report = path
            summary = f"{type(exc).__name__}: {exc}"[:300]
            self._reported.emit(summary, str(path) if path else "")
            return path
        except Exception:  # the reporter must never be the next crash
            with contextlib.suppress(Exception):
                sys.__stderr__.write(traceback.format_exc())
            return None

    @Slot(str, str)
    def _show(self, summary: str, path: str) -> None:
        window = self.window
        where = f"Details were saved to:\n{path}" if path else "The details are in the log."
        text = (
            f"loopviz hit an internal error and carries on.\n\n{summary}\n\n{where}\n\n"
            "Your recording is kept; saving it now is a good idea."
        )
        if self.count > 1:
            text += f"\n\n({self.count} errors so far)"
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"Internal error: {summary} (report: {path})", 15000)
        if self._box is None:
            box = QMessageBox(window)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("loopviz: internal error")
            box.setStandardButtons(QMessageBox.StandardButton.Close)
            box.setModal(False)
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.finished.connect(self._box_closed)
            self._box = box
        self._box.setText(text)
        self._box.show()

    @Slot()
    def _box_closed(self) -> None:
        if self._box is not None:
            self._box.deleteLater()
            self._box = None

    @property
    def message_box(self) -> QMessageBox | None:
        """The message on screen, if any (for tests)."""
        return self._box
