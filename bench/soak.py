"""Soak: record every bundled scenario N times in ONE app session; report what grew.

Run:  python bench/soak.py [--rounds 50] [--only 01,03] [--timeout 60]

The real main window (offscreen) on the app's qasync loop presses Run on each
lesson in turn, as a lecturer would, and waits for its outcome; the lesson
server is the app's own (started by the live run on first use). After the first
round (the warm-up: imports, caches, fonts) and after the last, it reads
/proc/self: resident memory, threads, open file descriptors, child processes.
Issue #8's target: resident memory grows by at most 10 % from the warm-up to
the end, and no process, thread or descriptor leaks.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
os.environ.setdefault("LOOPVIZ_SETTINGS_DIR", tempfile.mkdtemp(prefix="loopviz-soak-"))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children() -> list[int]:
    me = str(os.getpid())
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                text = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = text[text.rfind(")") + 2 :].split()
            if fields[1] == me and fields[0] != "Z":
                out.append(int(pid))
    return out


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):  # not glibc >= 2.33
        return None
    return libc


LIBC = _libc()


def heap_mb() -> tuple[float, float]:
    """glibc's heap: (MB in use by live C/C++ and large Python allocations, MB free in arenas).

    RSS growing while "in use" stays flat is fragmentation, not a leak.
    """
    if LIBC is None:
        return 0.0, 0.0
    info = LIBC.mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20, info.fordblks / 2**20


def qt_objects(window) -> float:
    """Qt objects under the window, top-level widgets and graphics items: all should stay flat."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication, QGraphicsView

    views = window.findChildren(QGraphicsView)
    items = sum(len(v.scene().items()) for v in views if v.scene() is not None)
    return len(window.findChildren(QObject)) + len(QApplication.allWidgets()) + items


def recordings_alive() -> int:
    """Recordings still in memory: the window shows one; more than a few is a leak."""
    from loopviz.model import Recording

    return sum(1 for obj in gc.get_objects() if isinstance(obj, Recording))


def snapshot(window) -> dict[str, float]:
    gc.collect()
    used, free = heap_mb()
    return {
        "rss_mb": rss_mb(),
        "heap_used_mb": used,
        "heap_free_mb": free,
        "py_objects": len(gc.get_objects()),
        "qt_objects": qt_objects(window),
        "threads": len(os.listdir("/proc/self/task")),
        "fds": len(os.listdir("/proc/self/fd")),
        "children": len(children()),
        "recordings": recordings_alive(),
    }


async def soak(
    window, scenarios: list[Path], rounds: int, timeout: float, trace: bool = False
) -> dict:
    from loopviz.ui.app import QApplication

    marks: dict[str, dict[str, float]] = {"start": snapshot(window)}
    if trace:
        tracemalloc.start(8)
    outcomes: dict[str, int] = {}
    slowest = (0.0, "")
    t_all = time.monotonic()
    for r in range(rounds):
        for path in scenarios:
            window.select_scenario(path)
            began = time.monotonic()
            window.app_actions.run.trigger()
            while window.live.run.running and time.monotonic() - began < timeout:
                await asyncio.sleep(0.05)
            if window.live.run.running:
                window.app_actions.stop.trigger()
                while window.live.run.running:
                    await asyncio.sleep(0.05)
            took = time.monotonic() - began
            slowest = max(slowest, (took, path.name))
            out = window.live.run.outcome
            key = f"{path.name}: {out.outcome if out else 'none'}"
            outcomes[key] = outcomes.get(key, 0) + 1
            QApplication.processEvents()
        await asyncio.sleep(0.3)
        if r == 0:
            marks["after round 1"] = snapshot(window)
            if trace:  # traced since the start: what round 1 left alive is in the baseline
                traced = tracemalloc.take_snapshot()
        now = snapshot(window)
        print(
            f"round {r + 1}/{rounds}: {now['rss_mb']:.0f} MB, {now['threads']:.0f} threads, "
            f"{now['fds']:.0f} fds, {now['children']:.0f} children, "
            f"{now['recordings']:.0f} recordings alive, "
            f"heap {now['heap_used_mb']:.1f} MB used + {now['heap_free_mb']:.0f} free, "
            f"{now['py_objects']:.0f} Python objects, {now['qt_objects']:.0f} Qt objects, "
            f"{time.monotonic() - t_all:.0f} s"
            + (f", traced {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MB" if trace else ""),
            flush=True,
        )
    marks["end"] = snapshot(window)
    if trace and tracemalloc.is_tracing():
        print("\nPython allocations that grew since round 1 (tracemalloc, by line):")
        for stat in tracemalloc.take_snapshot().compare_to(traced, "lineno")[:12]:
            print(f"  {stat}")
        tracemalloc.stop()
    return {"marks": marks, "outcomes": outcomes, "slowest": slowest}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--only", default="", help="comma-separated scenario number prefixes")
    ap.add_argument("--timeout", type=float, default=60.0, help="Stop a run after S seconds")
    ap.add_argument(
        "--trace",
        action="store_true",
        help="trace Python allocations (slow; RSS grows by the tracing itself) and list the "
        "lines whose memory grew after round 1",
    )
    args = ap.parse_args()

    import qasync

    from loopviz.catalog import bundled_scenarios_dir
    from loopviz.ui.app import create_application, create_main_window, freeze_startup_objects
    from loopviz.ui.qt_messages import quiet_platform_noise

    scenarios = sorted(bundled_scenarios_dir().glob("[0-9][0-9]_*.py"))
    if args.only:
        wanted = tuple(args.only.split(","))
        scenarios = [p for p in scenarios if p.name.startswith(wanted)]
    app = create_application()
    window = create_main_window()
    window.show()
    freeze_startup_objects()  # as run_app does once the window is up
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    print(f"python {sys.version.split()[0]}; {len(scenarios)} scenarios x {args.rounds} rounds")
    with quiet_platform_noise():
        result = loop.run_until_complete(
            soak(window, scenarios, args.rounds, args.timeout, args.trace)
        )
    window.live.shutdown()
    marks = result["marks"]
    base, end = marks.get("after round 1", marks["start"]), marks["end"]
    growth = 100 * (end["rss_mb"] - base["rss_mb"]) / base["rss_mb"]
    print("\nfigure                      start   after r1      end")
    for key in (
        "rss_mb",
        "heap_used_mb",
        "heap_free_mb",
        "py_objects",
        "qt_objects",
        "threads",
        "fds",
        "children",
        "recordings",
    ):
        row = [marks["start"][key], base[key], end[key]]
        print(f"{key:24s} {row[0]:8.0f} {row[1]:10.0f} {row[2]:8.0f}")
    print(f"\nresident memory growth after the warm-up round: {growth:+.1f} % (target <= 10 %)")
    if LIBC is not None:  # what part of the end figure is free heap glibc had not returned
        gc.collect()
        LIBC.malloc_trim(0)
        print(f"(diagnostic) resident memory after one more malloc_trim(0): {rss_mb():.0f} MB")
    kinds = ("threads", "fds", "children", "recordings")
    leaks = {k: end[k] - base[k] for k in kinds if end[k] > base[k]}
    print(f"leaks (end vs after round 1): {leaks or 'none'}")
    print(f"slowest run: {result['slowest'][0]:.1f} s ({result['slowest'][1]})")
    print("outcomes:")
    for key, n in sorted(result["outcomes"].items()):
        print(f"  {n:4d}  {key}")
    ok = growth <= 10 and not leaks
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
