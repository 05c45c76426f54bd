"""Regenerate the README screenshots: ``python docs/make_screenshots.py``.

Runs the real app (``python -m loopviz.ui <scenario> [--run]``) once per picture,
with a throw-away settings directory that fixes the theme, and lets its debug
hooks save the window (see ``loopviz.ui.debug_hooks``): ``LOOPVIZ_SCREENSHOT``
for the window before a run, plus ``LOOPVIZ_SCREENSHOT_WHEN`` for a moment of a
live run. Under Xvfb (if installed) the pixels come from a real X server;
otherwise Qt's offscreen platform renders them. Every picture is the window at
its default 1400×900. Also re-renders the app icon PNG from its SVG. Writes:

    assets/loopviz.png
    assets/screenshot-main.png                 lesson 3 selected, before a run (light)
    assets/screenshot-main-dark.png            the same, dark theme
    assets/screenshot-live-create-task.png     lesson 3 at 1.3 s: main and five request lanes
    assets/screenshot-coroutines.png           lesson 2 at 1 s: five coroutines, no tasks yet
    assets/screenshot-stall.png                lesson 4 during requests.get: banner, band, line
    assets/screenshot-stall-dark.png           the same, dark theme

A shot taken at a moment of a run depends on timing; one that misses its moment
(the hook exits with code 1 and says why) is retried a few times.

``python docs/make_screenshots.py NAME...`` regenerates only the named pictures
(``stall``, ``screenshot-stall.png``, … — any part of the file name).
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
SCENARIOS = ROOT / "scenarios"
SIZE = (1400, 900)
ATTEMPTS = 3
HOOK_VARIABLES = (
    "LOOPVIZ_SCREENSHOT",
    "LOOPVIZ_SCREENSHOT_WHEN",
    "LOOPVIZ_QUIT_AFTER_MS",
    "LOOPVIZ_QUIT_VIA",
)


@dataclass(frozen=True)
class Shot:
    """One picture: which scenario, which theme, and when (None: before any run)."""

    name: str
    scenario: str
    theme: str = "light"
    when: str | None = None  # LOOPVIZ_SCREENSHOT_WHEN; the app is started with --run


SHOTS = (
    Shot("screenshot-main.png", "03_create_task.py"),
    Shot("screenshot-main-dark.png", "03_create_task.py", theme="dark"),
    Shot("screenshot-live-create-task.png", "03_create_task.py", when="run:1.3"),
    Shot("screenshot-coroutines.png", "02_coroutines_are_not_tasks.py", when="run:1.0"),
    Shot("screenshot-stall.png", "04_blocking_requests.py", when="stall:0.45"),
    Shot("screenshot-stall-dark.png", "04_blocking_requests.py", theme="dark", when="stall:0.45"),
)


def start_xvfb(read_end: int, write_end: int) -> tuple[subprocess.Popen[bytes] | None, str | None]:
    """Start Xvfb on a display it picks itself (``-displayfd``).

    Keep ``read_end`` open while the server runs: closing it early can kill the
    server with SIGPIPE.
    """
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        os.close(write_end)
        return None, None
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], 30)
    number = os.read(read_end, 64).decode().strip() if ready else ""
    if not number.isdigit():
        server.terminate()
        server.wait(10)
        return None, None
    return server, f":{number}"


def shoot(shot: Shot, out: Path, display: str | None) -> None:
    """Run the app once for ``shot``; retry a timed shot that missed its moment."""
    command = [sys.executable, "-m", "loopviz.ui", str(SCENARIOS / shot.scenario)]
    if shot.when is not None:
        command.append("--run")
    for attempt in range(1, ATTEMPTS + 1):
        with tempfile.TemporaryDirectory() as settings_dir:
            Path(settings_dir, "loopviz.ini").write_text(f"[view]\ntheme={shot.theme}\n")
            env = {k: v for k, v in os.environ.items() if k not in HOOK_VARIABLES}
            env.update(LOOPVIZ_SETTINGS_DIR=settings_dir, LOOPVIZ_SCREENSHOT=str(out))
            if shot.when is not None:
                env["LOOPVIZ_SCREENSHOT_WHEN"] = shot.when
            env["QT_QPA_PLATFORM"] = "xcb" if display else "offscreen"
            if display:
                env["DISPLAY"] = display
                env.pop("WAYLAND_DISPLAY", None)
            done = subprocess.run(command, env=env, cwd=ROOT, timeout=120)
        if done.returncode == 0:
            break
        if shot.when is None or attempt == ATTEMPTS:
            raise SystemExit(f"{out.name}: the app exited with {done.returncode}")
        print(f"{out.name}: missed its moment, trying again ({attempt}/{ATTEMPTS})")
    print(f"wrote {out.relative_to(ROOT)}")


def check_size(path: Path) -> None:
    """Every picture is the whole window at its default size."""
    from PySide6.QtGui import QImage  # only here: the module itself runs without Qt

    image = QImage(str(path))
    if (image.width(), image.height()) != SIZE:
        raise SystemExit(f"{path.name} is {image.width()}×{image.height()}, not {SIZE}")


def main(argv: list[str]) -> int:
    wanted = [s for s in SHOTS if not argv or any(a in s.name for a in argv)]
    if not wanted:
        names = ", ".join(s.name for s in SHOTS)
        print(f"no picture matches {' '.join(argv)}; there are: {names}", file=sys.stderr)
        return 2
    if not argv:
        subprocess.run(
            [sys.executable, "-m", "loopviz.ui.icons"],
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
            check=True,
        )
    read_end, write_end = os.pipe()
    server, display = start_xvfb(read_end, write_end)
    print(f"rendering on Xvfb {display}" if display else "rendering offscreen (no Xvfb)")
    try:
        for shot in wanted:
            out = ASSETS / shot.name
            shoot(shot, out, display)
            check_size(out)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        os.close(read_end)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
