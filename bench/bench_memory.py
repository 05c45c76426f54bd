"""Memory: the app holding a 1,000,000-event recording stays under 400 MB resident.

    python bench/bench_memory.py [--runs 3] [--source file,synthetic,live] [--events 1000000]

Each run is a fresh app process (``QT_QPA_PLATFORM=offscreen``, the real main window at
its default size). Its resident set is read from ``/proc/self/status`` after each phase:
``VmRSS`` (now) and ``VmHWM`` (the peak so far); the figure is the final ``VmHWM``, the
most the process ever held. Sources of the recording:

``file``       ``bench/scenarios/load_100k.py`` recorded headless by ``loopviz.record`` for
               11 s at ~100,000 events/s (>= 1M events; 53 tasks), saved once as
               ``bench/results/load_1m_<python>.lvz`` (reused; ``--fresh`` re-records),
               loaded with ``loopviz.model.load``.
``synthetic``  ``loopviz.model.synthetic.mixed_workload``: 200 workers sleeping, yielding,
               using a queue, printing, a few blocking calls (another shape: 200 lanes,
               stalls, output), framed in 20 ms batches as the runner's flusher does and
               saved once as ``bench/results/synthetic_1000k.bin`` (the wire stream); the app
               reads it in 64 KiB chunks, as from the runner's pipe.
``live``       the same load scenario run live in the window through ``run_app`` (Run
               pressed), 11 s: the recording grows with spare capacity as it does for a
               user. The runner child's own peak (``RUSAGE_CHILDREN``) is shown apart.

For ``file`` and ``synthetic`` the window's live views are fed as a finished run feeds
them (``LiveRun.started``, one ``frame`` at the end time, ``finished``): the Gantt chart
gets every slice, the panes the state at the end. Then, in every mode, the user looks
around: the whole run in the chart, ten zoomed-in views across it, and the cursor
stepped to 20 instants with every pane updated — each followed by a full paint of the
window (``QWidget.grab``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
SCENARIO = HERE / "scenarios" / "load_100k.py"
RESULTS = HERE / "results"
TARGET_MB = 400.0
RECORD_SECONDS = 11.0
PIPE_CHUNK = 65536


def memory() -> dict[str, float]:
    """VmRSS and VmHWM of this process, MB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


# -- the worker: one app process ---------------------------------------------------------------


class Phases:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, float]] = []
        self.t0 = time.monotonic()

    def mark(self, name: str) -> None:
        m = memory()
        self.rows.append((name, m["VmRSS"], m["VmHWM"], time.monotonic() - self.t0))


def look_around(window, rec, phases: Phases) -> None:  # type: ignore[no-untyped-def]
    """The whole run, ten zoomed-in views, the cursor at 20 instants; a full paint each."""
    chart = window.gantt.chart
    end = rec.duration
    chart.set_following(False)
    chart.setXRange(-0.01 * end, 1.01 * end, padding=0)
    window.grab()
    phases.mark("whole run in the chart, painted")
    for k in range(10):
        mid = end * (k + 0.5) / 10
        chart.setXRange(mid - 0.25, mid + 0.25, padding=0)
        window.grab()
    phases.mark("10 zoomed-in views, painted")
    for k in range(20):
        t = end * (k + 0.5) / 20
        state = rec.state_at(t)
        chart.set_cursor(t)
        window.source.show_state(state)
        for pane in window.live_panes():
            pane.show_state(state)
        window.grab()
    phases.mark("cursor at 20 instants, panes + paint")


def show_finished(window, rec, app) -> None:  # type: ignore[no-untyped-def]
    """Feed the window's live views as a finished run does: started, a frame, finished."""
    live = window.live.run
    live.recording = rec
    live.started.emit(SCENARIO)
    live.frame.emit(rec.duration)
    outcome = rec.outcome or SimpleNamespace(outcome="returned", detail="main() returned")
    live.finished.emit(outcome)
    app.processEvents()
    window.grab()


def worker_static(args: argparse.Namespace) -> None:
    from loopviz.ui.app import create_main_window

    phases = Phases()
    phases.mark("interpreter + imports")
    window = create_main_window(SCENARIO)
    window.show()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    app.processEvents()
    window.grab()
    phases.mark("window shown and painted (empty)")
    if args.source == "file":
        from loopviz.model import load

        rec = load(args.lvz)
        phases.mark(f"recording loaded from {Path(args.lvz).name}")
    else:
        from loopviz.model import Recording

        rec = Recording()
        with open(args.stream, "rb") as f:  # the wire stream, read as the pipe delivers it
            while chunk := f.read(PIPE_CHUNK):
                rec.feed(chunk)
        phases.mark(f"recording fed from {Path(args.stream).name}")
    show_finished(window, rec, app)
    phases.mark("views fed as a finished run, painted")
    look_around(window, rec, phases)
    report(phases, rec, window)
    window.close()


def worker_live(args: argparse.Namespace) -> None:
    from PySide6.QtCore import QTimer

    import loopviz.ui.app as app_mod

    phases = Phases()
    phases.mark("interpreter + imports")
    original = app_mod.create_main_window
    seen: dict[str, object] = {}

    def create(*a, **kw):  # type: ignore[no-untyped-def]
        window = original(*a, **kw)
        live = window.live.run
        live.started.connect(lambda _s: phases.mark("window shown, Run pressed"))

        def finished(_outcome: object) -> None:
            phases.mark("run finished, views final")

            def after() -> None:
                look_around(window, live.recording, phases)
                seen["rec"], seen["window"] = live.recording, window
                report(phases, live.recording, window)
                window.close()

            QTimer.singleShot(100, after)

        live.finished.connect(finished)
        QTimer.singleShot(int((RECORD_SECONDS + 60) * 1000), window.close)
        return window

    app_mod.create_main_window = create
    app_mod.run_app(scenario=SCENARIO, run=True)


def report(phases: Phases, rec, window) -> None:  # type: ignore[no-untyped-def]
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        "RESULT "
        + json.dumps(
            {
                "phases": phases.rows,
                "events": rec.event_count,
                "tasks": len(rec.tasks()),
                "duration": rec.duration,
                "model_mb": rec.nbytes() / 2**20,
                "slices": len(window.gantt.chart.data),
                "child_peak_mb": children,
                "problems": rec.problems,
            }
        ),
        flush=True,
    )


# -- the parent ------------------------------------------------------------------------------------


def environment(settings: str, seconds: float | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["LOOPVIZ_SETTINGS_DIR"] = settings
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    if seconds is not None:
        env["LOOPVIZ_BENCH_SECONDS"] = str(seconds)
    return env


def make_lvz(path: Path, events: int) -> None:
    """Record the load scenario headless until it holds >= ``events`` events."""
    seconds = RECORD_SECONDS * max(1.0, events / 1_000_000)
    code = (
        "import loopviz, sys\n"
        f"rec = loopviz.record({str(SCENARIO)!r})\n"
        f"loopviz.model.save(rec, {str(path)!r})\n"
        "print(rec.event_count, rec.outcome.outcome, rec.problems)\n"
    )
    with tempfile.TemporaryDirectory() as settings:
        out = subprocess.run(
            [sys.executable, "-c", code],
            env=environment(settings, seconds),
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
    if out.returncode != 0:
        raise SystemExit(f"recording failed:\n{out.stderr[-3000:]}")
    print(f"recorded {path.name}: {out.stdout.strip()}")


def make_stream(path: Path, events: int) -> None:
    """The synthetic workload's wire stream, as the runner would send it."""
    from loopviz.model.synthetic import mixed_workload

    tasks = 200
    rounds = max(1, math.ceil(1.01 * events / (tasks * 7.05)))  # ~7 events per worker round
    frames = mixed_workload(tasks=tasks, rounds=rounds, seed=1, stall_every=400).frames(
        batch_ns=20_000_000
    )
    path.write_bytes(b"".join(frames))
    print(f"generated {path.name}: {len(frames):,} frames, {path.stat().st_size / 1e6:.1f} MB")


def run_worker(source: str, args: argparse.Namespace, files: dict[str, Path]) -> dict[str, object]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", source]
    cmd += ["--events", str(args.events)]
    if "file" in files:
        cmd += ["--lvz", str(files["file"])]
    if "synthetic" in files:
        cmd += ["--stream", str(files["synthetic"])]
    seconds = RECORD_SECONDS * max(1.0, args.events / 1_000_000)
    with tempfile.TemporaryDirectory() as settings:
        out = subprocess.run(
            cmd,
            env=environment(settings, seconds),
            capture_output=True,
            text=True,
            timeout=300,
        )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(
        f"worker failed (exit {out.returncode}):\n{out.stdout}\n{out.stderr[-3000:]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", default="file,synthetic,live")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help="record the .lvz again")
    parser.add_argument("--worker", choices=("file", "synthetic", "live"), help=argparse.SUPPRESS)
    parser.add_argument("--lvz", help=argparse.SUPPRESS)
    parser.add_argument("--stream", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        args.source = args.worker
        (worker_live if args.worker == "live" else worker_static)(args)
        return

    py = sys.version.split()[0]
    sources = [s.strip() for s in args.source.split(",") if s.strip()]
    print(f"python {py} · memory · {args.runs} runs per source · offscreen, default window size")
    files: dict[str, Path] = {}
    RESULTS.mkdir(exist_ok=True)
    if "file" in sources:
        files["file"] = RESULTS / f"load_1m_{py}.lvz"
        if args.fresh or not files["file"].exists():
            make_lvz(files["file"], args.events)
    if "synthetic" in sources:
        files["synthetic"] = RESULTS / f"synthetic_{args.events // 1000}k.bin"
        if args.fresh or not files["synthetic"].exists():
            make_stream(files["synthetic"], args.events)
    table = []
    for source in sources:
        results = [run_worker(source, args, files) for _ in range(args.runs)]
        first = results[0]
        print(
            f"\n{source}: {first['events']:,} events, {first['tasks']} tasks, "
            f"{first['duration']:.1f} s, {first['slices']:,} slices in the chart, model columns "
            f"{first['model_mb']:.0f} MB, problems {first['problems']}"
        )
        print(f"  {'phase':44s} {'VmRSS':>8s} {'VmHWM':>8s} {'at':>7s}   (MB, run 1)")
        for name, rss, hwm, at in first["phases"]:
            print(f"  {name:44s} {rss:8.0f} {hwm:8.0f} {at:6.1f}s")
        if source == "live":
            print(f"  runner child's peak RSS: {first['child_peak_mb']:.0f} MB (not the app's)")
        peaks = [r["phases"][-1][2] for r in results]
        enough = all(int(r["events"]) >= args.events for r in results)
        table.append((source, statistics.median(peaks), max(peaks), enough, first["events"]))

    print(f"\nmemory, python {py}, peak resident (VmHWM) of the app, median of {args.runs} runs")
    print(f"{'figure':34s} {'median':>9s} {'worst':>9s} {'target':>10s}  result")
    for source, med, worst, enough, events in table:
        ok = worst <= TARGET_MB and enough
        note = "" if enough else f" (only {events:,} events)"
        print(
            f"{'peak RSS, ' + source:34s} {med:6.0f} MB {worst:6.0f} MB {'<= 400 MB':>10s}  "
            f"{'PASS' if ok else 'FAIL'}{note}"
        )


if __name__ == "__main__":
    main()
