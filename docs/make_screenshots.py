"""Regenerate the README screenshots: ``python docs/make_screenshots.py``.

Runs the real app (``python -m loopviz.ui <scenario>``) once per theme with a
throw-away settings directory, and lets its ``LOOPVIZ_SCREENSHOT`` debug hook
save the window. Under Xvfb (if installed) the pixels come from a real X server;
otherwise Qt's offscreen platform renders them. Also re-renders the app icon PNG
from its SVG. Writes:

    assets/loopviz.png
    assets/screenshot-main.png        (light theme)
    assets/screenshot-main-dark.png   (dark theme)
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "03_create_task.py"
SHOTS = {"light": "screenshot-main.png", "dark": "screenshot-main-dark.png"}


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


def shoot(theme: str, out: Path, display: str | None) -> None:
    with tempfile.TemporaryDirectory() as settings_dir:
        Path(settings_dir, "loopviz.ini").write_text(f"[view]\ntheme={theme}\n")
        env = dict(os.environ, LOOPVIZ_SETTINGS_DIR=settings_dir, LOOPVIZ_SCREENSHOT=str(out))
        env["QT_QPA_PLATFORM"] = "xcb" if display else "offscreen"
        if display:
            env["DISPLAY"] = display
        subprocess.run(
            [sys.executable, "-m", "loopviz.ui", str(SCENARIO)], env=env, check=True, timeout=120
        )
    print(f"wrote {out}")


def main() -> int:
    subprocess.run(
        [sys.executable, "-m", "loopviz.ui.icons"],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        check=True,
    )
    read_end, write_end = os.pipe()
    server, display = start_xvfb(read_end, write_end)
    try:
        for theme, name in SHOTS.items():
            shoot(theme, ROOT / "assets" / name, display)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        os.close(read_end)
    return 0


if __name__ == "__main__":
    sys.exit(main())
