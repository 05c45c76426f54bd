"""Startup: from process start to the first painted main window (target <= 1.5 s).

    python bench/bench_startup.py [--runs 7] [--platform offscreen|xvfb|both]

Two measurements, each a fresh process per run, medians over ``--runs``:

``driver``   ``python bench/bench_startup.py --driver``: the app starts exactly as the
             ``loopviz`` command does (``loopviz.ui.app.run_app()``: QApplication, main
             window, ``show``, qasync loop). An event filter on the main window notes
             its first ``Paint`` event, and a zero-delay timer queued from it notes when
             that paint pass is over (every child painted); then the window closes.
             Times are ``time.monotonic()`` (CLOCK_MONOTONIC is system-wide), counted
             from just before ``Popen`` in this process, so interpreter start-up and
             every import are included. The phases: interpreter up (first line of the
             script), ``import loopviz.ui.app``, QApplication, the window built, shown,
             first paint, paint done.
``command``  the installed ``loopviz`` console script, untouched, with its debug hooks
             ``LOOPVIZ_SCREENSHOT=<png>`` and ``LOOPVIZ_QUIT_AFTER_MS=0``: the time from
             ``Popen`` to the screenshot file being written (the window was exposed and
             grabbed: an upper bound, it includes the hook's 50 ms polling and the PNG
             encoding) and to the process exit (shutdown included).

Each run gets its own empty settings directory (``LOOPVIZ_SETTINGS_DIR``), so no saved
layout is restored. ``xvfb`` starts its own Xvfb on a free display (``-displayfd``).
The first run of a set also pays for cold caches; it is shown apart from the median.
"""

from __future__ import annotations

import time

T_TOP = time.monotonic()  # as early as Python code can run in the driver

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

TARGET_S = 1.5
PHASES = (
    ("interpreter up", "top"),
    ("import loopviz.ui.app", "imported"),
    ("QApplication", "create_start"),
    ("window built", "create_end"),
    ("first paint event", "first_paint"),
    ("paint pass done", "painted"),
)


# -- the driver: one start of the app, timed from the inside -----------------------------


def driver() -> None:
    marks: dict[str, float] = {"top": T_TOP}
    import loopviz.ui.app as app_mod

    marks["imported"] = time.monotonic()
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def __init__(self, window) -> None:  # type: ignore[no-untyped-def]
            super().__init__(window)
            self.window = window

        def eventFilter(self, obj, event) -> bool:  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint and "first_paint" not in marks:
                marks["first_paint"] = time.monotonic()
                QTimer.singleShot(0, self.done)
            return False

        def done(self) -> None:
            marks["painted"] = time.monotonic()
            self.window.close()

    original = app_mod.create_main_window

    def create(*a, **kw):  # type: ignore[no-untyped-def]
        marks["create_start"] = time.monotonic()
        window = original(*a, **kw)
        marks["create_end"] = time.monotonic()
        window.installEventFilter(FirstPaint(window))
        QTimer.singleShot(30_000, window.close)  # never hang the bench
        return window

    app_mod.create_main_window = create
    code = app_mod.run_app()
    marks["exited"] = time.monotonic()
    platform = app_mod.QApplication.platformName()
    print("RESULT " + json.dumps({"marks": marks, "exit_code": code, "platform": platform}))


# -- the parent ------------------------------------------------------------------------------


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a free display (``-displayfd``), 1920x1080x24."""
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is not installed")
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    if not number:
        proc.kill()
        raise SystemExit("Xvfb did not report a display")
    return proc, f":{number}"


def environment(platform: str, display: str | None, settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env["LOOPVIZ_SETTINGS_DIR"] = settings
    env.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    env["QT_QPA_PLATFORM"] = "offscreen" if platform == "offscreen" else "xcb"
    if display is not None:
        env["DISPLAY"] = display
    for hook in ("LOOPVIZ_SCREENSHOT", "LOOPVIZ_QUIT_AFTER_MS", "LOOPVIZ_SCREENSHOT_WHEN"):
        env.pop(hook, None)
    return env


def run_driver(platform: str, display: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as settings:
        env = environment(platform, display, settings)
        t0 = time.monotonic()
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--driver"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
            return {k: v - t0 for k, v in result["marks"].items()}
    raise RuntimeError(
        f"driver failed (exit {out.returncode}):\n{out.stdout}\n{out.stderr[-3000:]}"
    )


def loopviz_command() -> list[str]:
    script = Path(sys.executable).parent / "loopviz"
    return [str(script)] if script.exists() else [sys.executable, "-m", "loopviz"]


def run_command(platform: str, display: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as settings:
        env = environment(platform, display, settings)
        shot = Path(settings) / "first-window.png"
        env["LOOPVIZ_SCREENSHOT"] = str(shot)
        env["LOOPVIZ_QUIT_AFTER_MS"] = "0"
        wall0 = time.time_ns()
        t0 = time.monotonic()
        out = subprocess.run(loopviz_command(), env=env, capture_output=True, text=True, timeout=60)
        exited = time.monotonic() - t0
        if out.returncode != 0 or not shot.exists():
            raise RuntimeError(f"loopviz failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
        return {"screenshot": (shot.stat().st_mtime_ns - wall0) / 1e9, "exited": exited}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", choices=("offscreen", "xvfb", "both"), default="both")
    parser.add_argument("--driver", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.driver:
        driver()
        return

    py = sys.version.split()[0]
    platforms = ("offscreen", "xvfb") if args.platform == "both" else (args.platform,)
    print(
        f"python {py} · startup · {args.runs} runs per platform · "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    table = []
    for platform in platforms:
        xvfb, display = start_xvfb() if platform == "xvfb" else (None, None)
        try:
            drivers, commands = [], []
            for _ in range(args.runs):  # alternate the two, so load drift hits both alike
                drivers.append(run_driver(platform, display))
                commands.append(run_command(platform, display))
        finally:
            if xvfb is not None:
                xvfb.terminate()
                xvfb.wait()
        print(f"\n{platform}: phases from Popen (s), median of {args.runs} (first run)")
        for name, key in PHASES:
            med = statistics.median(d[key] for d in drivers)
            print(f"  {name:28s} {med:6.3f}  ({drivers[0][key]:.3f})")
        painted = statistics.median(d["painted"] for d in drivers)
        worst = max(d["painted"] for d in drivers)
        shot = statistics.median(c["screenshot"] for c in commands)
        exited = statistics.median(c["exited"] for c in commands)
        print(
            f"  loopviz command: screenshot written {shot:.3f} s, exited {exited:.3f} s "
            f"(first run {commands[0]['screenshot']:.3f} / {commands[0]['exited']:.3f})"
        )
        table.append((f"{platform}: first painted window", painted, worst))
        table.append((f"{platform}: loopviz, screenshot written", shot, None))

    print(f"\nstartup, python {py}, median of {args.runs} runs")
    print(f"{'figure':40s} {'median':>8s} {'worst':>8s}  {'target':>8s}  result")
    for name, med, worst in table:
        verdict = "PASS" if med <= TARGET_S else "FAIL"
        worst_text = f"{worst:.3f} s" if worst is not None else "-"
        target = f"<= {TARGET_S:g} s" if worst is not None else "-"
        print(
            f"{name:40s} {med:6.3f} s {worst_text:>8s}  {target:>8s}  "
            f"{verdict if worst is not None else ''}"
        )


if __name__ == "__main__":
    main()
