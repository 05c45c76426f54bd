"""``run_app`` on the real qasync loop, in a subprocess: it starts, paints and exits cleanly.

The app is closed by its debug hooks (``LOOPVIZ_QUIT_AFTER_MS``, ``LOOPVIZ_QUIT_VIA``):
by the window's close button path, File › Quit, or Ctrl+Q typed into the window.
Clean means: exit code 0, nothing at all on stderr (no traceback, no warning),
no process left in the app's session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .processes import base_env, image_stats, run_loopviz

SPY_ON_THE_LOOP = """
import asyncio, sys
import loopviz.ui.app as app

original = app._main

async def spy(*args):
    loop = asyncio.get_running_loop()
    print("loop", type(loop).__module__, type(loop).__name__, flush=True)
    return await original(*args)

app._main = spy
sys.exit(app.run_app(sys.argv[1] if len(sys.argv) > 1 else None))
"""


def test_run_app_runs_on_qasync_and_exits_cleanly(tmp_path: Path) -> None:
    env = base_env(tmp_path / "settings", QT_QPA_PLATFORM="offscreen", LOOPVIZ_QUIT_AFTER_MS="300")
    done, left = run_loopviz(["-c", SPY_ON_THE_LOOP, "scenarios/01_sequential_awaits.py"], env)
    assert done.stderr == ""
    assert done.returncode == 0
    assert done.stdout.startswith("loop qasync"), done.stdout
    assert left == []
    assert (tmp_path / "settings" / "loopviz.ini").is_file(), "closeEvent saved the session"


def test_module_entry_point_takes_a_screenshot_and_exits(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    env = base_env(tmp_path / "settings", QT_QPA_PLATFORM="offscreen", LOOPVIZ_SCREENSHOT=str(shot))
    done, left = run_loopviz(["-m", "loopviz.ui", "scenarios/02_coroutines_are_not_tasks.py"], env)
    assert (done.returncode, done.stderr, left) == (0, "", [])
    width, height, colours, spread = image_stats(shot)
    assert (width, height) == (1400, 900)
    assert colours > 200 and spread > 10


def test_an_unwritable_screenshot_path_fails_with_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    env = base_env(
        tmp_path / "settings",
        QT_QPA_PLATFORM="offscreen",
        LOOPVIZ_SCREENSHOT=str(blocker / "shot.png"),
    )
    done, left = run_loopviz(["-m", "loopviz.ui"], env)
    assert done.returncode == 1
    assert "loopviz:" in done.stderr and "Traceback" not in done.stderr
    assert left == []


def test_run_flag_selects_the_scenario_and_exits_cleanly(tmp_path: Path) -> None:
    env = base_env(tmp_path / "settings", QT_QPA_PLATFORM="offscreen", LOOPVIZ_QUIT_AFTER_MS="200")
    done, left = run_loopviz(["-m", "loopviz.ui", "--run", "scenarios/03_create_task.py"], env)
    assert (done.returncode, done.stderr, left) == (0, "", [])
    ini = (tmp_path / "settings" / "loopviz.ini").read_text()
    assert "03_create_task.py" in ini, "the scenario was selected (and remembered)"


@pytest.mark.parametrize("via", ["close", "menu", "ctrl+q"])
def test_every_way_out_is_clean_on_the_qasync_loop(tmp_path: Path, via: str) -> None:
    env = base_env(
        tmp_path / "settings",
        QT_QPA_PLATFORM="offscreen",
        LOOPVIZ_QUIT_AFTER_MS="200",
        LOOPVIZ_QUIT_VIA=via,
    )
    done, left = run_loopviz(["-m", "loopviz.ui", "scenarios/01_sequential_awaits.py"], env)
    assert (done.returncode, done.stderr, left) == (0, "", [])
    assert (tmp_path / "settings" / "loopviz.ini").is_file(), "closed through closeEvent"
