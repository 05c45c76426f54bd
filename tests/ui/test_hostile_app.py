"""Hostile scenarios through the real window: it stays responsive, Stop works, the run is kept.

Each case presses Run in the main window on the app's qasync loop while a 16 ms
QTimer measures the gaps between its ticks (the GUI's responsiveness). The bound
asserted is generous (1 s: the machine is shared); the measured figures are
printed (``-s``) for the report. The issue's target is 200 ms.

Default sizes keep the file quick. The floods at the issue's size (100 MB of print,
10 million events, 100,000 tasks) take minutes each, so they run only when asked:
``LOOPVIZ_FULL_FLOODS=1 python -m pytest tests/ui/test_hostile_app.py -s``. Screenshots
of the window after each case go to ``$LOOPVIZ_SCREENSHOT_DIR`` when it is set.
"""

from __future__ import annotations

import asyncio
import collections
import gc
import os
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from loopviz.model import load, save
from loopviz.ui.app import freeze_startup_objects
from loopviz.ui.main_window import MainWindow
from tests.ui.live import qloop, run, until  # noqa: F401 - qloop is a fixture

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
FULL_FLOODS = os.environ.get("LOOPVIZ_FULL_FLOODS") == "1"
GAP_BOUND = 1.0


class GapMeter:
    """A 16 ms QTimer on the GUI thread; the longest wait between its ticks is the freeze.

    A sampler thread notes where the GUI thread is while a gap passes 100 ms, and
    the garbage collector's pauses are timed, so a failure says which code froze
    the window (the innermost loopviz frames), in all and in the longest gaps."""

    EVERY = 0.02
    """Seconds between samples of a frozen GUI thread."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(16)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))
        self.frozen_in: collections.Counter[str] = collections.Counter()
        self.samples: list[tuple[float, str]] = []
        self.collections: list[tuple[float, float]] = []
        """(start, seconds) of each garbage collection on the GUI thread."""
        self._gc_began = 0.0
        self._gui = threading.get_ident()
        self._done = threading.Event()

    def start(self) -> None:
        self.ticks = [time.monotonic()]
        self.timer.start()
        gc.callbacks.append(self._gc)
        threading.Thread(target=self._sample, daemon=True).start()

    def stop(self) -> None:
        self.timer.stop()
        self._done.set()
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)
        self.ticks.append(time.monotonic())

    def _gc(self, phase: str, _info: dict) -> None:
        if threading.get_ident() != self._gui:
            return
        if phase == "start":
            self._gc_began = time.monotonic()
        else:
            self.collections.append((self._gc_began, time.monotonic() - self._gc_began))

    def _sample(self) -> None:
        while not self._done.wait(self.EVERY):
            now = time.monotonic()
            if now - self.ticks[-1] < 0.1:
                continue
            frame = sys._current_frames().get(self._gui)
            stack = traceback.extract_stack(frame) if frame is not None else []
            ours = [f for f in stack if "loopviz" in f.filename and "tests" not in f.filename]
            ours = ours or stack[-2:]
            where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in ours[-3:])
            where = where[::-1][:200][::-1]
            self.samples.append((now, where))
            if now - self.ticks[-1] >= 0.25:
                self.frozen_in[where] += 1

    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)]

    def summary(self, worst: int = 3) -> str:
        g = sorted(self.gaps())
        p99 = g[int(0.99 * (len(g) - 1))] if g else 0.0
        gc_total = sum(d for _t, d in self.collections)
        gc_max = max((d for _t, d in self.collections), default=0.0)
        text = (
            f"max gap {max(g) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, {len(g)} ticks; "
            f"gc {gc_total:.2f} s in all, longest {gc_max * 1000:.0f} ms"
        )
        kinds = collections.Counter(type(o).__name__ for o in gc.get_objects())
        text += f"\n  objects the garbage collector tracks: {sum(kinds.values()):,}, most: "
        text += ", ".join(f"{name} {n:,}" for name, n in kinds.most_common(4))
        for where, n in self.frozen_in.most_common(4):
            text += f"\n  frozen {n * self.EVERY * 1000:.0f} ms in {where}"
        spans = sorted(zip(self.ticks, self.ticks[1:], strict=False), key=lambda p: p[0] - p[1])
        for a, b in spans[:worst]:
            text += f"\n  gap of {(b - a) * 1000:.0f} ms at {a - self.ticks[0]:.1f} s"
            gc_ms = sum(d for t, d in self.collections if a <= t < b) * 1000
            text += f" (gc {gc_ms:.0f} ms):"
            inside = collections.Counter(w for t, w in self.samples if a < t < b)
            for where, n in inside.most_common(3):
                text += f"\n    {n * self.EVERY * 1000:.0f} ms in {where}"
        return text


CASES = [
    # name, env, stop after it started?, expected outcomes, slow
    ("print_flood", {"LOOPVIZ_FLOOD_MB": "3"}, False, ("returned",), False),
    ("event_flood", {"LOOPVIZ_EVENTS": "300000"}, False, ("returned",), False),
    ("many_tasks", {"LOOPVIZ_TASKS": "5000"}, False, ("returned",), False),
    ("endless_cpu", {}, True, ("stopped", "killed"), False),
    ("segfault", {}, False, ("crashed",), False),
    ("time_sleep_forever", {}, True, ("stopped", "killed"), False),
    ("print_flood", {"LOOPVIZ_FLOOD_MB": "100"}, False, ("returned",), True),
    ("event_flood", {"LOOPVIZ_EVENTS": "10000000"}, False, ("returned",), True),
    ("many_tasks", {"LOOPVIZ_TASKS": "100000"}, False, ("returned",), True),
]


KNOWN_FREEZES: dict[str, str] = {}
"""Cases that are known to freeze the window past the bound (name: why), marked xfail.
Empty since the 100,000-task case met it (max gap 128-245 ms on a quiet machine)."""


def params():
    for name, env, stop, outcomes, slow in CASES:
        marks = [pytest.mark.slow] if slow else []
        if slow and not FULL_FLOODS:
            marks.append(pytest.mark.skip(reason="minutes long: set LOOPVIZ_FULL_FLOODS=1"))
        if slow and name in KNOWN_FREEZES:
            marks.append(pytest.mark.xfail(reason=KNOWN_FREEZES[name], strict=False))
        yield pytest.param(
            name, env, stop, outcomes, id=name + ("-full" if slow else ""), marks=marks
        )


@pytest.fixture
def started_like_the_app(window: MainWindow) -> Iterator[MainWindow]:
    """The window after what ``run_app`` does once it is up: its start-up objects frozen out
    of the garbage collector (thawed afterwards, so other tests' objects can be freed)."""
    freeze_startup_objects()
    yield window
    gc.unfreeze()


@pytest.mark.parametrize(("name", "env", "stop", "outcomes"), list(params()))
def test_the_window_stays_responsive_and_keeps_the_run(
    started_like_the_app: MainWindow,
    qloop,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    env: dict[str, str],
    stop: bool,
    outcomes: tuple[str, ...],
) -> None:
    window = started_like_the_app
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    window.open_scenario(HOSTILE / f"{name}.py")
    meter = GapMeter()

    async def scenario() -> float | None:
        meter.start()
        window.app_actions.run.trigger()
        took = None
        if stop:
            await until(lambda: window.live.run.recording.stalls(), timeout=30)
            await asyncio.sleep(0.5)
            began = time.monotonic()
            window.app_actions.stop.trigger()
            await until(lambda: not window.live.run.running, timeout=5)
            took = time.monotonic() - began
        else:
            await until(lambda: not window.live.run.running, timeout=300)
        await asyncio.sleep(0.3)  # the last frames after the outcome
        meter.stop()
        return took

    took = run(qloop, scenario())
    outcome = window.live.run.outcome
    rec = window.live.run.recording
    kept = f"; {rec.event_count:,} events kept, limit: {rec.limit_reached or 'not reached'}"
    print(f"\n{name} {env}: {meter.summary()}" + (f", stopped in {took:.3f} s" if took else ""))
    print(kept)
    if shots := os.environ.get("LOOPVIZ_SCREENSHOT_DIR"):
        window.grab().save(str(Path(shots) / f"hostile_app_{name}.png"))
    assert outcome is not None and outcome.outcome in outcomes, outcome
    assert (
        outcome.detail in window.status_text.text()
        or outcome.outcome in window.status_text.text().lower()
    )
    if took is not None:
        assert took < 1.5, f"Stop took {took:.2f} s"
    assert max(meter.gaps()) < GAP_BOUND, meter.summary()
    rec = window.live.run.recording
    path = tmp_path / "run.lvz"
    save(rec, path)
    again = load(path)
    assert again.outcome == rec.outcome
    assert again.event_count == rec.event_count
