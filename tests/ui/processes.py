"""Helpers for tests that run loopviz in a subprocess and check what it left behind."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]


def session_members(session_id: int) -> list[int]:
    """Pids of live (non-zombie) processes in a session, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after "(comm)": state ppid pgrp session ...
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == session_id and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def run_loopviz(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    """Run ``python -W default -m loopviz.ui *args`` in its own session.

    Returns the finished process and the pids still alive in its session
    afterwards (there should be none).
    """
    proc = subprocess.Popen(
        [sys.executable, "-W", "default", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        raise AssertionError(f"loopviz did not exit within {timeout} s:\n{err}") from None
    left = session_members(proc.pid)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), left


def base_env(settings_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["LOOPVIZ_SETTINGS_DIR"] = str(settings_dir)
    env.pop("LOOPVIZ_SCREENSHOT", None)
    env.pop("LOOPVIZ_QUIT_AFTER_MS", None)
    env.update(extra)
    return env


def image_stats(path: Path) -> tuple[int, int, int, float]:
    """(width, height, distinct colours, standard deviation of grey levels)."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.sizeInBytes() // 4)
    pixels = raw.reshape(height, image.bytesPerLine() // 4)[:, :width]
    colours = len(np.unique(pixels))
    grey = ((pixels >> 16) & 0xFF) * 0.3 + ((pixels >> 8) & 0xFF) * 0.59 + (pixels & 0xFF) * 0.11
    return width, height, colours, float(grey.std())


@contextmanager
def xvfb_display(timeout: float = 60.0) -> Iterator[str]:
    """A private Xvfb server; yields its DISPLAY (``:N``, picked by Xvfb: no races).

    Skips the calling test when Xvfb is not installed (.ci/run installs it).
    """
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not on PATH")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], timeout)
        number = os.read(read_end, 64).decode().strip() if ready else ""
        if not number.isdigit():
            raise RuntimeError(f"Xvfb did not report a display number within {timeout:.0f} s")
        yield f":{number}"
    finally:
        os.close(read_end)
        server.terminate()
        server.wait(timeout=10)
