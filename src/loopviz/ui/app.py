"""Start loopviz: the QApplication, the main window, and the qasync event loop.

``run_app`` is what the ``loopviz`` command calls. The GUI's asyncio loop is
qasync's, started the recommended way (shared/NOTES.md): ``qasync.run(main())``
(which is ``asyncio.run(main(), loop_factory=QEventLoop)`` on 3.12+), where
``main`` awaits an ``asyncio.Event`` set from ``app.aboutToQuit``. Without that
event, closing the window would stop the loop under a pending future and print
"Event loop stopped before Future completed".

After ``aboutToQuit`` the Qt loop has already ended: ``main`` gets exactly one
more step, so it only does synchronous clean-up there. Work that must happen
while the loop still runs belongs in ``MainWindow.closeEvent``.

Tests build the window without a loop through ``create_main_window``.

``run_app`` installs a :class:`~loopviz.ui.crash_report.CrashReporter`: an
exception in a slot, a thread or a task of the GUI loop is shown, logged and
saved as a crash report, and the app carries on.
"""

from __future__ import annotations

import asyncio
import gc
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from loopviz.catalog import ScenarioInfo
from loopviz.ui.crash_report import CrashReporter
from loopviz.ui.debug_hooks import DebugHooks
from loopviz.ui.fonts import ui_font
from loopviz.ui.icons import app_icon
from loopviz.ui.main_window import MainWindow
from loopviz.ui.qt_messages import quiet_platform_noise
from loopviz.ui.recording_limits import SESSION_DEFAULT
from loopviz.ui.theme import use_fusion

APP_NAME = "loopviz"
ORGANISATION = "loopviz"


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named and styled for loopviz."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    configure_application(app)
    return app


def configure_application(app: QApplication) -> None:
    """Names (used by QSettings), window icon, Fusion style, projector-sized font."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(app_icon())
    use_fusion(app)
    font = ui_font(app.font())
    if font != app.font():
        app.setFont(font)
    app.setQuitOnLastWindowClosed(True)


def create_main_window(
    scenario: Path | None = None,
    *,
    settings: QSettings | None = None,
    scenarios: list[ScenarioInfo] | None = None,
    max_events: int | None = SESSION_DEFAULT,
) -> MainWindow:
    """Build the (hidden) main window; select ``scenario`` if given.

    ``settings`` replaces the settings store (tests pass a temporary one);
    ``scenarios`` replaces the bundled list; ``max_events`` (``--max-events``; None:
    no limit) replaces the saved events limit for this session.
    """
    create_application()
    window = MainWindow(settings=settings, scenarios=scenarios)
    if max_events != SESSION_DEFAULT:
        window.recording_limits.use_for_session(max_events)
    if scenario is not None:
        window.select_scenario(Path(scenario))
    return window


def run_app(
    scenario: Path | None = None, run: bool = False, max_events: int | None = SESSION_DEFAULT
) -> int:
    """Show loopviz and run it on the qasync loop until it quits; return the exit code.

    ``run=True`` presses Run once the window is up; while Run is disabled (no
    runner yet) that leaves the scenario selected. ``max_events``: see
    :func:`create_main_window`.
    """
    app = create_application()
    hooks = DebugHooks.from_env()
    with quiet_platform_noise():
        window = create_main_window(scenario, max_events=max_events)
        reporter = CrashReporter(window)
        reporter.install()
        try:
            window.show()
            freeze_startup_objects()
            if run:
                QTimer.singleShot(0, window.app_actions.run.trigger)
            with _close_on_signals(window.close):
                return qasync.run(_main(app, window, hooks, reporter))
        finally:
            reporter.uninstall()


async def _main(
    app: QApplication,
    window: MainWindow,
    hooks: DebugHooks,
    reporter: CrashReporter | None = None,
) -> int:
    """Live until the application is about to quit."""
    if reporter is not None:  # a task of ours that fails is shown and saved, not just printed
        asyncio.get_running_loop().set_exception_handler(reporter.loop_exception)
    about_to_quit = asyncio.Event()
    app.aboutToQuit.connect(about_to_quit.set)
    hook_task = asyncio.create_task(hooks.run(window), name="debug hooks") if hooks.active else None
    try:
        await about_to_quit.wait()
    finally:
        app.aboutToQuit.disconnect(about_to_quit.set)
        if hook_task is not None:
            hook_task.cancel()  # asyncio.run collects it; the Qt loop has already ended
    return hooks.exit_code


def freeze_startup_objects() -> None:
    """Move the ~100,000 objects of start-up (modules, widgets, fonts) out of the collector's
    sight: they live as long as the app, and every full collection walked them again —
    100-170 ms of a frozen window on a busy machine, several times during a print flood."""
    gc.collect()
    gc.freeze()


@contextmanager
def _close_on_signals(close: Callable[[], object]) -> Iterator[None]:
    """Ctrl+C or SIGTERM in the terminal close the window cleanly (no traceback).

    Python runs signal handlers only between bytecodes; while Qt waits in C, a
    ticking timer lets the interpreter in to notice the signal.
    """

    def handler(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, close)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    ticker = QTimer()
    ticker.timeout.connect(lambda: None)
    ticker.start(250)
    try:
        yield
    finally:
        ticker.stop()
        for sig, old in previous.items():
            signal.signal(sig, old)
