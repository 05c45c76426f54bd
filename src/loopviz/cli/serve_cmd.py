"""``loopviz serve``: the local lesson HTTP server, for running scenarios outside the app."""

from __future__ import annotations

import argparse

HELP = "run the local lesson HTTP server (127.0.0.1 only) until Ctrl+C"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.set_defaults(handler=run)


def run(opts: argparse.Namespace) -> int:
    from loopviz import localhttp

    return localhttp.main(["--port", str(opts.port)])
