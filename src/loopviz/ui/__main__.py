"""``python -m loopviz.ui [scenario.py] [--run] [--max-events N]``: start the GUI directly.

The ``loopviz`` command does the same through ``loopviz.cli``; this entry point
needs nothing but the UI package, which the UI tests use.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loopviz.ui.app import run_app
from loopviz.ui.recording_limits import add_max_events_argument


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loopviz.ui", description=__doc__)
    parser.add_argument("scenario", nargs="?", type=Path, help="a scenario file to select")
    parser.add_argument("--run", action="store_true", help="run the scenario at once")
    add_max_events_argument(parser)
    args = parser.parse_args(argv)
    return run_app(args.scenario, run=args.run, max_events=args.max_events)


if __name__ == "__main__":
    sys.exit(main())
