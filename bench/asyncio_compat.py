"""CPython's own asyncio test suite, run on plain loops and on recording loops, compared.

Fidelity is judged against a large independent suite: whatever asyncio's
tests can observe, a TracingEventLoop must not change. Each
``test.test_asyncio`` module runs in its own interpreter, twice:

* ``plain``  as it is;
* ``traced`` with every loop recording into one Recorder: the default event
  loop policy (also the one ``set_event_loop_policy(None)`` restores) makes
  TracingEventLoops, ``asyncio.SelectorEventLoop`` (and 3.13's
  ``asyncio.EventLoop``) is TracingEventLoop, a
  thread takes the records every 20 ms as the runner's flusher does, and a
  stall Watchdog watches every loop. The suite's own ``TestLoop`` (a fake-clock
  BaseEventLoop most tests use) gets the same recording mixin.

Only the *differences* are listed; each is re-run alone in both modes to tell
a real difference from a flaky test. Usage (minutes; run it in the background)::

    python bench/asyncio_compat.py [--jobs 2] [--modules test_tasks,test_locks] [--out DIR]

The JSON of every run is kept in ``--out`` (default ``/tmp/loopviz-compat-<version>``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import traceback
import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

MODULE_TIMEOUT = 900


# -- worker side (one module, one mode, in a fresh interpreter) -------------------------


def _install_tracing() -> tuple[Any, Any]:
    """Make every loop the tests create a recording one; returns (recorder, stop)."""
    from loopviz.tracer import Recorder, TracingEventLoop, Watchdog
    from loopviz.tracer.policy import TracingEventLoopPolicy

    recorder = Recorder()

    class CompatLoop(TracingEventLoop):
        """What the suite gets for asyncio.SelectorEventLoop: records into the shared recorder."""

        def __init__(self, selector: Any = None) -> None:
            super().__init__(selector, recorder=recorder)

    class CompatPolicy(TracingEventLoopPolicy):
        def __init__(self) -> None:
            super().__init__(recorder)

        def new_event_loop(self) -> CompatLoop:
            return CompatLoop()

    asyncio.DefaultEventLoopPolicy = CompatPolicy  # what set_event_loop_policy(None) restores
    asyncio.set_event_loop_policy(CompatPolicy())
    asyncio.SelectorEventLoop = CompatLoop
    import asyncio.unix_events as unix_events

    unix_events.SelectorEventLoop = CompatLoop
    unix_events.DefaultEventLoopPolicy = CompatPolicy
    if hasattr(asyncio, "EventLoop"):  # 3.13+
        asyncio.EventLoop = unix_events.EventLoop = CompatLoop
    # Most tests run on the suite's own TestLoop (a BaseEventLoop with a fake clock):
    # record those too, with the same mixin.
    from test.test_asyncio import utils as test_utils

    from loopviz.tracer.loop import TracingLoopMixin

    class TracingTestLoop(TracingLoopMixin, test_utils.TestLoop):
        def __init__(self, gen: Any = None) -> None:
            super().__init__(gen, recorder=recorder)

    test_utils.TestLoop = TracingTestLoop

    stop = threading.Event()

    def flusher() -> None:
        while not stop.wait(0.020):
            collect_errors(recorder)

    threading.Thread(target=flusher, name="compat-flusher", daemon=True).start()
    watchdog = Watchdog(recorder, stall_ms=100)
    watchdog.start()
    return recorder, (stop, watchdog)


RECORDER_ERRORS: dict[str, str] = {}
"""Failures inside the recorder seen in a traced run (it switches the failing hook off and
the test goes on, so they would otherwise pass unnoticed)."""


def collect_errors(recorder: Any) -> None:
    from loopviz.protocol import Message, encode_messages, encode_records, encode_strings

    strings, records, messages = recorder.take()
    encode_strings(strings), encode_records(records), encode_messages(messages)  # as sent
    for m in messages:
        if m["k"] == Message.RECORDER_ERROR:
            key = f"{m['where']}: {m['type']}: {m['message']}"
            RECORDER_ERRORS.setdefault(key, m["traceback"])


class _Result(unittest.TestResult):
    def __init__(self) -> None:
        super().__init__()
        self.outcomes: dict[str, list[str]] = {}

    def _put(self, test: unittest.TestCase, status: str, detail: str = "") -> None:
        self.outcomes[test.id()] = [status, detail]

    def addSuccess(self, test):
        self._put(test, "pass")

    def addFailure(self, test, err):
        self._put(test, "fail", _last_line(err))

    def addError(self, test, err):
        self._put(test, "error", _last_line(err))

    def addSkip(self, test, reason):
        self._put(test, "skip", reason)

    def addExpectedFailure(self, test, err):
        self._put(test, "xfail")

    def addUnexpectedSuccess(self, test):
        self._put(test, "xpass")

    def addSubTest(self, test, subtest, err):
        if err is not None:
            status = "fail" if issubclass(err[0], test.failureException) else "error"
            self.outcomes[subtest.id()] = [status, _last_line(err)]


def _last_line(err: Any) -> str:
    text = "".join(traceback.format_exception(*err)).strip().splitlines()
    return text[-1][:300] if text else ""


def worker(mode: str, names: list[str], out: str) -> int:
    recorder = _install_tracing()[0] if mode == "traced" else None
    suite = unittest.TestSuite()
    result = _Result()
    for name in names:
        try:
            suite.addTests(unittest.defaultTestLoader.loadTestsFromName(name))
        except unittest.SkipTest as exc:  # e.g. test_windows_events on Linux
            result.outcomes[name] = ["skip", str(exc)]
    suite.run(result)
    if recorder is not None:
        collect_errors(recorder)
    meta = {
        "loops": recorder.loops_created if recorder is not None else 0,
        "recorder_errors": RECORDER_ERRORS,
    }
    Path(out).write_text(json.dumps({"outcomes": result.outcomes, "meta": meta}))
    return 0


# -- parent side --------------------------------------------------------------------------


def asyncio_test_modules() -> list[str]:
    import test.test_asyncio as package

    folder = Path(package.__file__).parent
    return sorted(
        f"test.test_asyncio.{p.stem}" for p in folder.glob("test_*.py") if p.stem != "test_all"
    )


def run_worker(mode: str, names: list[str], out: Path, timeout: float) -> dict[str, list[str]]:
    cmd = [sys.executable, __file__, "--worker", mode, "--out", str(out), *names]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {names[0]: ["timeout", f"no result within {timeout:.0f} s"]}
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {names[0]: ["crash", f"exit {proc.returncode}: {' | '.join(tail)[:300]}"]}
    data = json.loads(out.read_text())
    LOOPS[0] += data["meta"]["loops"]
    for key, text in data["meta"]["recorder_errors"].items():
        ERRORS.setdefault(key, [names[0], text])
    return data["outcomes"]


ERRORS: dict[str, list[str]] = {}
"""Recorder failures reported by traced workers: message -> [module, traceback]."""


LOOPS = [0]
"""TracingEventLoops the traced workers created (how much of the suite ran on them)."""


def summarise(outcomes: dict[str, list[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status, _ in outcomes.values():
        counts[status] = counts.get(status, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=["plain", "traced"])
    parser.add_argument("--out")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--modules", help="comma-separated test_asyncio module names")
    parser.add_argument("--reruns", type=int, default=2, help="re-runs of each difference")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.names, args.out)

    version = ".".join(map(str, sys.version_info[:3]))
    out_dir = Path(args.out or f"/tmp/loopviz-compat-{version}")
    out_dir.mkdir(parents=True, exist_ok=True)
    modules = asyncio_test_modules()
    if args.modules:
        wanted = {f"test.test_asyncio.{m}" for m in args.modules.split(",")}
        modules = [m for m in modules if m in wanted]
    started = time.monotonic()
    results: dict[str, dict[str, list[str]]] = {"plain": {}, "traced": {}}

    def one(job: tuple[str, str]) -> None:
        mode, module = job
        out = out_dir / f"{mode}-{module}.json"
        outcome = run_worker(mode, [module], out, MODULE_TIMEOUT)
        results[mode].update(outcome)
        print(f"  {mode:6} {module:45} {summarise(outcome)}", flush=True)

    jobs = [(mode, m) for m in modules for mode in ("plain", "traced")]
    with ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(one, jobs))

    plain, traced = results["plain"], results["traced"]
    differences = sorted(
        t
        for t in set(plain) | set(traced)
        if plain.get(t, ["absent"])[0] != traced.get(t, ["absent"])[0]
    )
    confirmed: dict[str, list[Any]] = {}
    for test_id in differences:
        runs: dict[str, list[str]] = {"plain": [], "traced": []}
        for i in range(args.reruns):
            for mode in ("plain", "traced"):
                name = test_id.split(" ")[0]  # a subtest's id carries its parameters
                out = out_dir / f"rerun-{mode}-{i}.json"
                got = run_worker(mode, [name], out, MODULE_TIMEOUT)
                runs[mode].append(got.get(test_id, next(iter(got.values()), ["absent", ""]))[0])
        stable = len(set(runs["plain"])) == 1 and len(set(runs["traced"])) == 1
        if stable and runs["plain"][0] != runs["traced"][0]:
            confirmed[test_id] = [plain.get(test_id), traced.get(test_id)]

    report = {
        "python": version,
        "minutes": round((time.monotonic() - started) / 60, 1),
        "tracing_loops_created": LOOPS[0],
        "plain": summarise(plain),
        "traced": summarise(traced),
        "differences": {t: [plain.get(t), traced.get(t)] for t in differences},
        "confirmed": confirmed,
    }
    report["recorder_errors"] = ERRORS
    (out_dir / "report.json").write_text(json.dumps(report, indent=1))
    print(f"\nPython {version}: test.test_asyncio, {len(modules)} modules, {report['minutes']} min")
    print(f"TracingEventLoops created by the traced runs: {LOOPS[0]}")
    print(f"{'mode':8} " + " ".join(f"{k:>6}" for k in ("pass", "fail", "error", "skip", "xfail")))
    for mode in ("plain", "traced"):
        counts = report[mode]
        print(
            f"{mode:8} "
            + " ".join(f"{counts.get(k, 0):6}" for k in ("pass", "fail", "error", "skip", "xfail"))
        )
    other = {
        k: v
        for k, v in {**report["plain"], **report["traced"]}.items()
        if k not in ("pass", "fail", "error", "skip", "xfail")
    }
    if other:
        print("other outcomes:", other)
    print(f"differences: {len(differences)} (confirmed by {args.reruns} re-runs: {len(confirmed)})")
    for test_id, (p, t) in sorted(confirmed.items()):
        print(f"  {test_id}\n      plain:  {p}\n      traced: {t}")
    print(f"recorder failures (reported, hook switched off, program unaffected): {len(ERRORS)}")
    for key, (module, text) in sorted(ERRORS.items()):
        print(f"  {key}  [{module}]\n    " + "\n    ".join(text.strip().splitlines()[-4:]))
    flaky = [t for t in differences if t not in confirmed]
    if flaky:
        print(f"flaky (differed once, not on re-runs): {len(flaky)}")
        for test_id in flaky:
            print(
                f"  {test_id}: {results['plain'].get(test_id)} / {results['traced'].get(test_id)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
