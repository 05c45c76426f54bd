"""Fixtures for the UI tests: an isolated settings store and a ready-built main window.

Every test gets ``LOOPVIZ_SETTINGS_DIR`` pointing into its own temporary
directory (autouse), so nothing here reads or writes the user's real loopviz
settings — not even a window built without an explicit ``settings=``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication

from loopviz.ui.app import create_main_window
from loopviz.ui.main_window import MainWindow
from loopviz.ui.qt_messages import BENIGN_MESSAGES

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def isolated_settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "settings"
    directory.mkdir()
    monkeypatch.setenv("LOOPVIZ_SETTINGS_DIR", str(directory))
    return directory


@pytest.fixture(autouse=True)
def flush_closed_windows(qapp) -> None:
    """Delete the windows earlier tests closed before this test starts.

    pytest-qt only marks closed widgets for deletion; without a flush, dozens of old
    windows stay alive and every app-wide restyle (theme, presenter view) repaints them.
    """
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def settings(isolated_settings_dir: Path) -> QSettings:
    return QSettings(str(isolated_settings_dir / "test.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings: QSettings) -> Iterator[MainWindow]:
    """The main window, shown and exposed, with bundled scenarios and fresh settings."""
    win = create_main_window(settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if shiboken6.isValid(win):  # pytest-qt may have closed and deleted it already
        win.close()


def qt_warnings(qtlog) -> list[str]:
    """Qt warnings/criticals captured by pytest-qt, minus the offscreen plugin's known noise."""
    benign = BENIGN_MESSAGES.get(QApplication.platformName(), frozenset())
    return [
        r.message
        for r in qtlog.records
        if r.type_name in ("QtWarningMsg", "QtCriticalMsg", "QtFatalMsg")
        and r.message not in benign
    ]
