"""``loopviz inspect``: what a saved recording holds — tasks, stalls, statistics."""

from __future__ import annotations

import argparse
import sys

HELP = "print the tasks table, the stalls and the statistics of a saved recording (.lvz)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("recording", metavar="RUN.lvz", help="a recording saved by loopviz")
    parser.set_defaults(handler=run)


def run(opts: argparse.Namespace) -> int:
    from loopviz.cli.summary import print_inspection
    from loopviz.model import RecordingFileError, load

    try:
        recording = load(opts.recording)
    except FileNotFoundError:
        print(f"loopviz inspect: no such file: {opts.recording}", file=sys.stderr)
        return 2
    except IsADirectoryError:
        print(f"loopviz inspect: {opts.recording} is a folder, not a recording", file=sys.stderr)
        return 2
    except RecordingFileError as exc:
        print(f"loopviz inspect: {opts.recording}: {exc}", file=sys.stderr)
        return 2
    print_inspection(recording, sys.stdout)
    return 0
