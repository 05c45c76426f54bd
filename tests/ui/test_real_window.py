"""loopviz in a real X window (Xvfb), screenshotted from the X server.

Starts ``Xvfb -displayfd … -screen 0 1600x1000x24 -nolisten tcp``: with
``-displayfd`` the server picks a free display number itself and reports it, so
parallel runs cannot race for ``:N``. The app runs with ``DISPLAY=:N
QT_QPA_PLATFORM=xcb`` and the debug hook ``LOOPVIZ_SCREENSHOT=<png>`` (see
``loopviz.ui.debug_hooks``): once the window is exposed and has painted, it grabs
the window's pixels from the X server, saves them and closes the window normally.
Skipped only when ``Xvfb`` is not on PATH.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .processes import base_env, image_stats, run_loopviz, xvfb_display

pytestmark = pytest.mark.xvfb


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with xvfb_display() as name:
        yield name


def test_real_window_paints_and_closes_cleanly(display: str, tmp_path: Path) -> None:
    shot = tmp_path / "real.png"
    env = base_env(
        tmp_path / "settings",
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        LOOPVIZ_SCREENSHOT=str(shot),
    )
    env.pop("WAYLAND_DISPLAY", None)
    done, left = run_loopviz(["-m", "loopviz.ui", "scenarios/01_sequential_awaits.py"], env)
    assert done.stderr == ""
    assert done.returncode == 0
    assert left == []
    width, height, colours, spread = image_stats(shot)
    assert (width, height) == (1400, 900), "the whole window, at its default size"
    assert colours > 500, "text, syntax colours and badges, not a blank or flat window"
    assert spread > 15


def test_ctrl_q_closes_the_real_window_cleanly(display: str, tmp_path: Path) -> None:
    env = base_env(
        tmp_path / "settings",
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        LOOPVIZ_QUIT_AFTER_MS="300",
        LOOPVIZ_QUIT_VIA="ctrl+q",
    )
    env.pop("WAYLAND_DISPLAY", None)
    done, left = run_loopviz(["-m", "loopviz.ui"], env)
    assert (done.returncode, done.stderr, left) == (0, "", [])
