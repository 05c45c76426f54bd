"""``python -m loopviz.ui [scenario.py] [--run] [--max-events N]``: start the GUI directly.

The ``loopviz`` command does the same through ``loopviz.cli``; this entry point
needs nothing but the UI package, which the UI tests use.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loopviz.ui.app import run_app
from loopviz.ui.recording_limits import SESSION_DEFAULT, LimitError, cli_max_events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loopviz.ui", description=__doc__)
    parser.add_argument("scenario", nargs="?", type=Path, help="a scenario file to select")
    parser.add_argument("--run", action="store_true", help="run the scenario at once")
    parser.add_argument(
        "--max-events",
        type=_max_events,
        default=SESSION_DEFAULT,
        metavar="N",
        help="record at most N events of each run in full, then only its summary, for this "
        "session (overrides Run › Recording limits…); 0: no limit",
    )
    args = parser.parse_args(argv)
    return run_app(args.scenario, run=args.run, max_events=args.max_events)


def _max_events(text: str) -> int | None:
    try:
        return cli_max_events(text)
    except LimitError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


if __name__ == "__main__":
    sys.exit(main())
