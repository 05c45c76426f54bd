"""Open the desktop app: the one CLI path that imports Qt."""

from __future__ import annotations

import sys
from pathlib import Path

from loopviz.ui.recording_limits import SESSION_DEFAULT


def open_app(
    scenario: str | None, *, run: bool = False, max_events: int | None = SESSION_DEFAULT
) -> int:
    """Check the arguments without a display, then hand over to the Qt app.

    ``max_events`` is ``--max-events`` (None: no limit; ``SESSION_DEFAULT``: not given).
    """
    path: Path | None = None
    if scenario is not None:
        path = Path(scenario).expanduser()
        if not path.is_file():
            print(f"loopviz: no such scenario file: {scenario}", file=sys.stderr)
            return 2
        if path.suffix != ".py":
            print(f"loopviz: a scenario is a .py file, not {path.name}", file=sys.stderr)
            return 2
        path = path.resolve()
    elif run:
        print("loopviz: --run needs a scenario to run", file=sys.stderr)
        return 2
    from loopviz.ui.app import run_app

    return run_app(scenario=path, run=run, max_events=max_events)
