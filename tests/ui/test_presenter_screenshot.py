"""The presenter view at 1920×1080 on a real recording of the blocking lesson.

Three moments a lecturer stops at: the ticker ticking before the request, the
loop frozen inside ``requests.get``, and the backlog drained afterwards. The
pictures go to ``$LOOPVIZ_SCREENSHOT_DIR`` (else the test's temporary directory)
to be looked at; the README's ``assets/presenter-view.png`` is the "during" one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from loopviz import record
from loopviz.catalog import bundled_scenarios_dir
from loopviz.localhttp import LessonServer
from loopviz.model import Recording
from loopviz.model.steps import StepIndex
from loopviz.ui.fonts import PRESENTER_POINT_SIZE
from loopviz.ui.layout import apply_presenter_sizes
from loopviz.ui.main_window import MainWindow

from .test_presenter import delete_closed_windows  # noqa: F401 - an autouse fixture

BLOCKING = bundled_scenarios_dir() / "04_blocking_requests.py"
pytestmark = pytest.mark.slow


def out_dir(tmp_path: Path) -> Path:
    return Path(os.environ.get("LOOPVIZ_SCREENSHOT_DIR") or tmp_path)


@pytest.fixture(scope="module")
def blocking_run() -> Recording:
    with LessonServer() as server:
        return record(BLOCKING, http_url=server.url, timeout=60)


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(300)  # the tables re-fit their columns within 200 ms of a change


def test_presenter_view_at_three_moments_of_the_blocking_lesson(
    window: MainWindow, qtbot, tmp_path: Path, blocking_run: Recording
) -> None:
    rec = blocking_run
    stall = rec.stalls()[0]
    assert stall.end is not None and stall.duration > 0.5
    window.select_scenario(BLOCKING)
    window.presenter.notes_action.setChecked(True)
    window.presenter.action.trigger()
    qtbot.waitUntil(window.isFullScreen)
    settle(qtbot)
    window.resize(1920, 1080)  # the offscreen screen is smaller than a projector's
    settle(qtbot)
    assert (window.width(), window.height()) == (1920, 1080)
    apply_presenter_sizes(window, window.docks)
    window.live.show_recording(rec, BLOCKING.name)
    settle(qtbot)

    steps = StepIndex.of(rec)
    before = steps.prev_run(stall.begin)  # the ticker's first step, just before the request
    assert before is not None
    moments = {
        "before": before,
        "during": stall.begin + stall.duration / 2,
        "after": rec.duration,
    }
    for name, t in moments.items():
        window.time_cursor.set(t)
        settle(qtbot)
        blocked = name == "during"
        qtbot.waitUntil(lambda b=blocked: window.stall_banner.is_showing == b)
        if blocked:
            assert "requests.get" in window.stall_banner.text()
        image = window.grab().toImage()
        assert (image.width(), image.height()) == (1920, 1080)
        assert image.save(str(out_dir(tmp_path) / f"presenter_{name}.png"))

    assert window.presenter.active
    assert window.code_point_size == PRESENTER_POINT_SIZE
    assert "Blocking requests" in window.presenter.notes.text()
