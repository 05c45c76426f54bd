"""loopviz's own failures: shown in the window, logged, saved as a crash report; the app carries on.

In-process tests raise inside a real slot, a thread and the loop's handler with a
real window; the last test runs ``run_app`` in a subprocess on the qasync loop
with a slot that raises, and checks the report file and the clean exit.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from loopviz.ui.crash_report import REPORTS, CrashReporter, data_dir

from .processes import base_env, run_loopviz


@pytest.fixture
def reporter(window, tmp_path: Path):
    rep = CrashReporter(window, directory=tmp_path / "data")
    rep.install()
    yield rep
    rep.uninstall()
    if rep.message_box is not None:
        rep.message_box.close()


def reports(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "data" / REPORTS).glob("crash-*.txt"))


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_shown_logged_and_saved(
    window, reporter: CrashReporter, qtbot, tmp_path: Path, caplog
) -> None:
    clicks: list[int] = []

    def broken_slot() -> None:
        clicks.append(1)
        raise ZeroDivisionError("the slot divided by zero")

    button = QPushButton("broken", window)
    button.clicked.connect(broken_slot)
    with caplog.at_level(logging.ERROR, logger="loopviz"):
        button.click()
        qtbot.waitUntil(lambda: reporter.message_box is not None, timeout=3000)
    box = reporter.message_box
    assert box.isVisible() and not box.isModal()
    assert "ZeroDivisionError: the slot divided by zero" in box.text()
    assert "carries on" in box.text()
    assert "internal error" in window.statusBar().currentMessage().lower()
    (report,) = reports(tmp_path)
    assert str(report) in box.text()
    text = report.read_text()
    assert "in broken_slot" in text and "ZeroDivisionError" in text and "python:" in text
    assert any("internal error" in r.getMessage() for r in caplog.records)
    assert box.grab().save(str(tmp_path / "crash_box.png"))
    # The app carries on: the slot runs again, the window still answers.
    button.click()
    qtbot.waitUntil(lambda: "2 errors so far" in reporter.message_box.text(), timeout=3000)
    assert clicks == [1, 1]
    assert window.isVisible()
    assert reporter.message_box is box, "repeats update one message, they do not stack"


@pytest.mark.qt_no_exception_capture
def test_exceptions_in_threads_and_the_loop_are_reported(
    window, reporter: CrashReporter, qtbot, tmp_path: Path
) -> None:
    def broken() -> None:
        raise RuntimeError("worker thread failed")

    t = threading.Thread(target=broken, name="exporter")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: reporter.message_box is not None, timeout=3000)
    assert "worker thread failed" in reporter.message_box.text()
    try:
        raise KeyError("lost task")
    except KeyError as exc:
        reporter.loop_exception(
            None, {"message": "Task exception was never retrieved", "exception": exc}
        )
    QApplication.processEvents()
    texts = [p.read_text() for p in reports(tmp_path)]
    assert len(texts) == 2
    assert any("thread 'exporter'" in t for t in texts)
    assert any("Task exception was never retrieved" in t and "KeyError" in t for t in texts)


def test_the_data_directory_can_be_overridden(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LOOPVIZ_DATA_DIR", str(tmp_path / "d"))
    assert data_dir() == tmp_path / "d"


RAISE_IN_A_SLOT = """
import sys
from PySide6.QtCore import QTimer
import loopviz.ui.app as app

original = app.create_main_window

def create(*args, **kwargs):
    window = original(*args, **kwargs)
    def boom():
        raise ValueError("a slot failed on purpose")
    QTimer.singleShot(50, boom)
    QTimer.singleShot(150, lambda: print("still alive", flush=True))
    return window

app.create_main_window = create
sys.exit(app.run_app())
"""


def test_run_app_installs_the_reporter_and_carries_on(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = base_env(
        tmp_path / "settings",
        QT_QPA_PLATFORM="offscreen",
        LOOPVIZ_QUIT_AFTER_MS="600",
        LOOPVIZ_DATA_DIR=str(data),
    )
    done, left = run_loopviz(["-c", RAISE_IN_A_SLOT], env)
    assert done.returncode == 0, done.stderr
    assert "still alive" in done.stdout
    (report,) = sorted((data / REPORTS).glob("crash-*.txt"))
    assert "ValueError: a slot failed on purpose" in report.read_text()
    assert "internal error in a Qt slot" in done.stderr  # the log line
    assert left == []
