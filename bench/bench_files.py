"""Saving and opening a big recording: on the GUI thread (before) against in the background (now).

Issue #8: a 100 MB print flood (1 M printed lines) froze the window 5 s to save and
7 s + 3.6 s to open. This opens the app's window offscreen, ticks a 16 ms QTimer
for its animation, and for each way of doing the work measures the wall time and
the longest gap between ticks (what a user sees as a frozen window):

* ``sync``        ``lvz.save`` / ``lvz.load`` called on the GUI thread, as before;
* ``background``  File › Save / Open's path: :func:`start_saving` / :func:`start_opening`;
* ``show``        swapping the opened recording into the panes (GUI thread, both ways),
                  until the console has kept every line (it shows the newest first and
                  keeps the earlier ones a slice per timer turn); ``show_call`` is the
                  swap's own call.

It also times the model alone: the frames' encoding and zlib level 6 against level 1.
Medians of ``--repeat`` runs; no asserts (the machine is shared: read the ratios).
Usage (about a minute per repeat on a 1 M-line file)::

    python bench/bench_files.py [--file flood.lvz] [--repeat 3]

Without ``--file`` it records ``tests/hostile/print_flood.py`` with
``LOOPVIZ_FLOOD_MB`` (default 100) into ``/tmp/loopviz-bench-files/flood.lvz`` first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]


def flood_file(path: Path | None) -> Path:
    if path is not None:
        return path
    out = Path(tempfile.gettempdir()) / "loopviz-bench-files" / "flood.lvz"
    if not out.exists():
        from loopviz import record
        from loopviz.model import save

        out.parent.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("LOOPVIZ_FLOOD_MB", "100")
        print(f"recording a {os.environ['LOOPVIZ_FLOOD_MB']} MB print flood…", flush=True)
        save(record(REPO / "tests" / "hostile" / "print_flood.py"), out)
    return out


class Ticker:
    """A 16 ms timer standing for the window's animation; the gaps between its ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(16)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.last = time.perf_counter()
        self.gaps: list[tuple[float, float]] = []
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((self.last, now))
        self.last = now

    def stop(self, until: float = float("inf")) -> float:
        """The longest gap up to ``until`` (the moment a background job's work ended: the
        swap into the panes that follows is measured on its own, as ``show``)."""
        self._tick()
        self.timer.stop()
        return max((min(end, until) - begin for begin, end in self.gaps if begin < until))


def model_figures(path: Path) -> dict[str, float]:
    from loopviz.model import lvz

    rec = lvz.load(path)
    t = time.perf_counter()
    raw = b"".join(lvz._frames(rec))
    out = {"frames_s": time.perf_counter() - t}
    for level in (6, 1):
        t = time.perf_counter()
        out[f"zlib{level}_MB"] = len(zlib.compress(raw, level)) / 1e6
        out[f"zlib{level}_s"] = time.perf_counter() - t
    out["lines"] = len(rec.messages())
    out.update(adding_messages(rec.messages()))
    return out


def adding_messages(messages: list[dict[str, Any]]) -> dict[str, float]:
    """µs per message of ``Recording.add_messages`` (what opening runs on the worker thread,
    holding the GIL), with the printed lines' fast path and without it (the general path)."""
    from loopviz.model import Recording
    from loopviz.model.messages import MessageLog

    fast = MessageLog.add_output
    out: dict[str, float] = {}
    for name, add_output in (("general", lambda _log, _m: False), ("fast", fast)):
        MessageLog.add_output = add_output  # type: ignore[method-assign]
        try:
            rec = Recording()
            t = time.perf_counter()
            rec.add_messages(messages)
            out[f"add_{name}_us"] = (time.perf_counter() - t) / len(messages) * 1e6
        finally:
            MessageLog.add_output = fast  # type: ignore[method-assign]
    return out


async def one_round(window: Any, path: Path, folder: Path) -> dict[str, float]:
    from loopviz.model import load, save
    from loopviz.ui.lecture.files import start_opening, start_saving

    ticker = Ticker()
    out: dict[str, float] = {}

    async def timed(name: str, work: Callable[[], Any], done: Callable[[], bool]) -> None:
        await asyncio.sleep(0.3)
        ticker.start()
        t = time.perf_counter()
        work()
        out[f"{name}_call_s"] = time.perf_counter() - t
        while not done():
            await asyncio.sleep(0.005)
        job = jobs[-1] if jobs and hasattr(jobs[-1], "ended_at") else None
        end = job.ended_at if job is not None and job.ended_at is not None else time.perf_counter()
        out[f"{name}_s"] = end - t
        out[f"{name}_gap_ms"] = ticker.stop(end) * 1000

    jobs: list[Any] = []
    await timed("open_sync", lambda: jobs.append(load(path)), lambda: True)
    rec = jobs.pop()
    await timed(
        "show",
        lambda: window.live.show_recording(rec, path.name),
        lambda: not window.console.indexing(),
    )
    await timed("save_sync", lambda: save(rec, folder / "sync.lvz", level=6), lambda: True)
    await timed(
        "save_background",
        lambda: jobs.append(start_saving(window, folder / "bg.lvz")),
        lambda: jobs[-1].done(),
    )
    await timed(
        "open_background",
        lambda: jobs.append(start_opening(window, path)),
        lambda: jobs[-1].done(),
    )
    while window.live.recording is rec:  # the swap (its show) runs on the next poll
        await asyncio.sleep(0.01)
    while window.console.indexing():
        await asyncio.sleep(0.01)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", type=Path, default=None, help="an .lvz file (default: a flood)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    path = flood_file(args.file)

    import qasync
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from loopviz.ui.app import create_main_window

    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="loopviz-bench-files-"))
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(settings=settings)
    window.show()
    app.processEvents()

    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
    model = model_figures(path)
    print(
        f"model: {model['lines']:.0f} messages; frames {model['frames_s']:.2f} s; "
        f"zlib 6 {model['zlib6_s']:.2f} s → {model['zlib6_MB']:.1f} MB; "
        f"zlib 1 {model['zlib1_s']:.2f} s → {model['zlib1_MB']:.1f} MB; add_messages "
        f"{model['add_general_us']:.2f} µs/message, printed lines' fast path "
        f"{model['add_fast_us']:.2f}",
        flush=True,
    )

    rounds: list[dict[str, float]] = []

    async def all_rounds() -> None:
        for k in range(args.repeat):
            rounds.append(await one_round(window, path, folder))
            print(f"round {k + 1}: " + ", ".join(f"{n} {v:.2f}" for n, v in rounds[-1].items()))

    qasync.run(all_rounds())
    med = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
    print("\nmedians (wall s / longest GUI gap ms):")
    print(f"  show's own call  {med['show_call_s']:6.2f} s")
    for what in ("save_sync", "save_background", "open_sync", "open_background", "show"):
        print(f"  {what:16} {med[f'{what}_s']:6.2f} s   gap {med[f'{what}_gap_ms']:7.0f} ms")
    save_ratio = med["save_background_gap_ms"] / med["save_sync_gap_ms"]
    open_ratio = med["open_background_gap_ms"] / med["open_sync_gap_ms"]
    print(f"GUI gap ratio background/sync: save {save_ratio:.3f}, open {open_ratio:.3f}")
    window.close()


if __name__ == "__main__":
    main()
