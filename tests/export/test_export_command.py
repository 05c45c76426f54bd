"""``loopviz export`` on a machine with no display: pictures, and clear refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.export.conftest import BLOCKING_LESSON

FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "qasync")


def headless_env() -> dict[str, str]:
    """No display at all, and no Qt platform chosen: the command must pick offscreen itself."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    return env


def loopviz(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "loopviz", "export", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=headless_env(),
        cwd=cwd,
    )


@pytest.mark.slow
def test_records_the_blocking_lesson_and_writes_a_2x_png(tmp_path: Path) -> None:
    out = tmp_path / "blocking.png"
    proc = loopviz(BLOCKING_LESSON, "-o", out, "--scale", "2", "--title", "Blocking")
    assert proc.returncode == 0, proc.stderr
    assert f"saved: {out}" in proc.stdout
    image = QImage(str(out))
    assert image.width() == 2560 and image.height() > 300
    assert "Traceback" not in proc.stderr


def test_a_saved_recording_to_svg_pdf_and_exact_png(blocking_file: Path, tmp_path: Path) -> None:
    for name, extra in (
        ("r.svg", ["--range", "0:0.5", "--theme", "dark"]),
        ("r.pdf", ["--at", "0.5"]),
        ("r.png", ["--width", "1920", "--height", "1080", "--no-legend"]),
    ):
        out = tmp_path / name
        proc = loopviz(blocking_file, "-o", out, *extra)
        assert proc.returncode == 0, (name, proc.stderr)
        assert out.stat().st_size > 1000
    assert (QImage(str(tmp_path / "r.png")).width(), QImage(str(tmp_path / "r.png")).height()) == (
        1920,
        1080,
    )
    assert b"<svg" in (tmp_path / "r.svg").read_bytes()[:400]
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_window_screenshot_shows_the_whole_window(blocking_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "window.png"
    proc = loopviz(blocking_file, "-o", out, "--window", "--at", "0.5")
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)  # the window's default size
    panes = tmp_path / "panes.png"
    proc = loopviz(blocking_file, "-o", panes, "--panes", "--at", "0.5")
    assert proc.returncode == 0, proc.stderr
    assert QImage(str(panes)).height() > 300


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{rec}", "-o", "{tmp}/x.gif"], "unknown picture format (.gif)"),
        (["{tmp}/missing.lvz", "-o", "{tmp}/x.png"], "no such file"),
        (["{tmp}", "-o", "{tmp}/x.png"], "is not a scenario (.py) or a recording (.lvz)"),
        (["{rec}", "-o", "{tmp}/nowhere/x.png"], "no such folder"),
        (["{rec}", "-o", "{tmp}/x.png", "--range", "0:99"], "outside the run"),
        (["{rec}", "-o", "{tmp}/x.png", "--range", "soon"], "--range takes START:END"),
        (["{rec}", "-o", "{tmp}/x.png", "--range", "1:0.5"], "is empty"),
        (["{rec}", "-o", "{tmp}/x.png", "--at", "99"], "--at 99 is outside the run"),
        (["{rec}", "-o", "{tmp}/x.png", "--width", "800"], "--width and --height together"),
        (["{rec}", "-o", "{tmp}/x.svg", "--window"], "a window screenshot is a .png"),
    ],
)
def test_bad_arguments_fail_cleanly(
    blocking_file: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    argv = [a.format(rec=blocking_file, tmp=tmp_path) for a in args]
    proc = loopviz(*argv)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert proc.stderr.startswith("loopviz export: ")
    assert "Traceback" not in proc.stderr
    assert not list(tmp_path.glob("x.*"))


def test_a_corrupt_recording_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.lvz"
    bad.write_bytes(b"not a recording")
    proc = loopviz(bad, "-o", tmp_path / "x.png")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"loopviz export: {bad}")
    assert "Traceback" not in proc.stderr


def test_help_works_without_qt() -> None:
    code = (
        "import json, sys, contextlib, io\n"
        "from loopviz.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        "        main(['export', '--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(json.dumps([out.getvalue(), sorted({m.split('.')[0] for m in sys.modules})]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    text, modules = json.loads(proc.stdout)
    assert "--range START:END" in text and "--window" in text
    assert not set(modules) & set(FORBIDDEN)


def test_a_scenario_that_cannot_run_says_so_and_writes_nothing(tmp_path: Path) -> None:
    hostile = Path(__file__).resolve().parents[1] / "hostile" / "syntax_error.py"
    out = tmp_path / "x.png"
    proc = loopviz(hostile, "-o", out)
    assert proc.returncode == 1
    assert "SyntaxError" in proc.stderr
    assert "the run left nothing to draw" in proc.stderr
    assert not out.exists()
