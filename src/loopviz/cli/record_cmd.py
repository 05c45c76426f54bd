"""``loopviz record``: run a scenario headless, save what its loop did, print a summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loopviz.model import Recording

DEFAULT_MAX_EVENTS = 20_000_000
"""loopviz.model.recording.DEFAULT_MAX_EVENTS, repeated so `--help` imports no numpy."""

HELP = "run a scenario (or any asyncio program) in the traced runner and save its recording"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="the .py file to run")
    parser.add_argument("-o", "--output", metavar="RUN.lvz", help="save the recording here")
    parser.add_argument(
        "--chrome-trace",
        metavar="RUN.json",
        help="also write a Chrome trace (opens in Perfetto or chrome://tracing)",
    )
    parser.add_argument(
        "--stall-ms",
        type=float,
        default=100.0,
        metavar="MS",
        help="report a stall when one callback runs longer than this (default 100)",
    )
    parser.add_argument(
        "--timeout", type=float, metavar="S", help="stop the scenario after S seconds"
    )
    parser.add_argument(
        "--echo", action="store_true", help="print the scenario's output as it runs"
    )
    parser.add_argument(
        "--max-events",
        type=int,
        default=DEFAULT_MAX_EVENTS,
        metavar="N",
        help=f"record at most N events in full, then only the run's summary "
        f"(default {DEFAULT_MAX_EVENTS:,}; 0: no limit)",
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set one of the scenario's '# param:' constants for this run (repeatable)",
    )
    parser.epilog = "Arguments after `--` are passed to the scenario as sys.argv[1:]."
    parser.set_defaults(handler=run)


def run(opts: argparse.Namespace) -> int:
    from loopviz.api import record
    from loopviz.cli.summary import print_summary
    from loopviz.model import export_chrome_trace, save
    from loopviz.model.messages import limit_text

    path = Path(opts.scenario)
    if not path.is_file():
        print(f"loopviz record: no such file: {opts.scenario}", file=sys.stderr)
        return 2
    if opts.stall_ms <= 0:
        print("loopviz record: --stall-ms must be positive", file=sys.stderr)
        return 2
    if opts.timeout is not None and opts.timeout <= 0:
        print("loopviz record: --timeout must be positive", file=sys.stderr)
        return 2
    if opts.max_events < 0:
        print("loopviz record: --max-events must be 0 (no limit) or more", file=sys.stderr)
        return 2
    args = getattr(opts, "passthrough", [])
    params = {}
    for text in opts.param:
        name, sep, value = text.partition("=")
        if not sep or not name.isidentifier():
            print(f"loopviz record: --param takes NAME=VALUE, not {text!r}", file=sys.stderr)
            return 2
        params[name] = value
    recording = record(
        path,
        args=args,
        params=params,
        stall_ms=opts.stall_ms,
        timeout=opts.timeout,
        max_events=opts.max_events or None,
        echo=sys.stdout if opts.echo else None,
    )
    status = 0
    if opts.output:
        try:
            save(recording, opts.output)
        except OSError as exc:
            print(f"loopviz record: cannot write {opts.output}: {exc.strerror}", file=sys.stderr)
            status = 2
    if opts.chrome_trace:
        try:
            export_chrome_trace(recording, opts.chrome_trace)
        except OSError as exc:
            print(
                f"loopviz record: cannot write {opts.chrome_trace}: {exc.strerror}",
                file=sys.stderr,
            )
            status = 2
    print_summary(recording, sys.stdout)
    limit = recording.limit_reached
    if limit is not None:
        print(limit_text(limit), file=sys.stderr)
    if opts.output and status == 0:
        print(f"saved: {opts.output}")
    if opts.chrome_trace and status == 0:
        print(f"chrome trace: {opts.chrome_trace}")
    outcome = recording.outcome
    if outcome is None or not finished_normally(outcome.outcome, outcome.returncode):
        detail = outcome.detail if outcome else "the run did not finish"
        print(f"loopviz record: {detail}", file=sys.stderr)
        for line in error_lines(recording):
            print(line, file=sys.stderr)
        return status or 1
    return status


def finished_normally(outcome: str, returncode: int | None) -> bool:
    """Returned, or exited with status 0, or was ended on purpose (stop, --timeout)."""
    return outcome in ("returned", "stopped", "timeout") or (outcome == "exit" and returncode == 0)


def error_lines(recording: Recording) -> list[str]:
    """The traceback or load error the scenario left, for stderr (long ones shortened)."""
    outcome = recording.outcome
    report = (outcome.exit or outcome.load_error or {}) if outcome else {}
    text = str(report.get("traceback") or "")
    lines = text.rstrip().splitlines()
    return lines if len(lines) <= 60 else [lines[0], "  …", *lines[-58:]]
