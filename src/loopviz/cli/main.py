"""``loopviz`` on the command line: the app, and the headless commands.

``loopviz [SCENARIO.py] [--run] [--max-events N]`` opens the desktop app; ``loopviz COMMAND``
runs a headless command. Only the app path imports Qt, so ``--help``,
``--version``, ``list``, ``record``, ``inspect`` and ``export --help`` work on a machine
without a display (DESIGN.md: cli imports Qt only for GUI commands).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from loopviz import __version__
from loopviz.ui.recording_limits import add_max_events_argument

DESCRIPTION = (
    "loopviz shows Python's asyncio event loop at work: one lane per task, the ready queue, "
    "the futures and timers tasks wait on, and a warning when a blocking call freezes the loop."
)
COMMANDS_EPILOG = """\
commands (run `loopviz COMMAND --help` for details):
  list       list the bundled scenarios in course order
  record     run a scenario headless and save its recording (.lvz, Chrome trace)
  inspect    print the tasks, stalls and statistics of a saved recording
  export     draw a run's timeline (or the window) as a PNG, SVG or PDF picture
  serve      run loopviz's local lesson HTTP server in the foreground

examples:
  loopviz                                    open the app
  loopviz scenarios/04_blocking_requests.py --run
  loopviz my_program.py --run --max-events 1M
  loopviz record my_program.py -o run.lvz --chrome-trace run.json
  loopviz inspect run.lvz
  loopviz export run.lvz -o timeline.png --scale 2
"""


def _commands() -> dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]]:
    from loopviz.cli import export_cmd, inspect_cmd, list_cmd, record_cmd, serve_cmd

    return {
        "list": (list_cmd.HELP, list_cmd.configure),
        "record": (record_cmd.HELP, record_cmd.configure),
        "inspect": (inspect_cmd.HELP, inspect_cmd.configure),
        "export": (export_cmd.HELP, export_cmd.configure),
        "serve": (serve_cmd.HELP, serve_cmd.configure),
    }


COMMAND_NAMES = ("list", "record", "inspect", "export", "serve")


def app_parser() -> argparse.ArgumentParser:
    """The parser for opening the app (the default when no command is given)."""
    parser = argparse.ArgumentParser(
        prog="loopviz",
        description=DESCRIPTION,
        epilog=COMMANDS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"loopviz {__version__}")
    parser.add_argument(
        "scenario",
        nargs="?",
        help="a scenario (.py) to open in the app; it is selected, not run, unless --run",
    )
    parser.add_argument("--run", action="store_true", help="start the scenario at once")
    add_max_events_argument(parser)
    return parser


def command_parser() -> argparse.ArgumentParser:
    """The parser for the headless commands."""
    parser = argparse.ArgumentParser(prog="loopviz", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"loopviz {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, configure) in _commands().items():
        configure(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``loopviz`` console script and ``python -m loopviz``."""
    args = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args if not a.startswith("-")), None)
    if first in COMMAND_NAMES:
        passthrough: list[str] = []
        if "--" in args:
            cut = args.index("--")
            args, passthrough = args[:cut], args[cut + 1 :]
        opts = command_parser().parse_args(args)
        opts.passthrough = passthrough
        try:
            return int(opts.handler(opts) or 0)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
    opts = app_parser().parse_args(args)
    from loopviz.cli.gui import open_app

    return open_app(opts.scenario, run=opts.run, max_events=opts.max_events)


if __name__ == "__main__":
    sys.exit(main())
