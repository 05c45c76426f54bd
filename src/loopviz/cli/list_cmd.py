"""``loopviz list``: the scenarios in course order, with their titles."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "list the bundled scenarios (or those in a folder) in course order"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", nargs="?", help="a folder of scenarios (default: bundled)")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also print each scenario's explanation"
    )
    parser.set_defaults(handler=run)


def run(opts: argparse.Namespace) -> int:
    from loopviz.catalog import list_scenarios

    try:
        scenarios = list_scenarios(Path(opts.directory) if opts.directory else None)
    except (FileNotFoundError, NotADirectoryError) as exc:
        print(f"loopviz list: {exc}", file=sys.stderr)
        return 2
    if not scenarios:
        print("no scenarios found")
        return 0
    width = max(len(s.name) for s in scenarios)
    for info in scenarios:
        title = info.title + (f"  [error: {info.error}]" if info.error else "")
        print(f"{info.name:<{width}}  {title}")
        if opts.verbose and info.explanation:
            print(f"{'':<{width}}  {info.explanation}")
    return 0
