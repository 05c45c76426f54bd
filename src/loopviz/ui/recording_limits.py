"""What one recording made in the window may hold: figures, their memory, and their text.

Why a cap at all (issue #8 "Limits"): a scenario can flood the app with events or
printed lines; every one costs memory, and an out-of-memory kill would lose the
whole run and the window with it. Past a cap the run goes on and its summary is
still recorded (``loopviz.tracer.limits``).

This module is plain Python (no Qt), so the ``loopviz`` command line can check
``--max-events`` with the same rules as the Run › Recording limits… dialog
before it loads Qt.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass

DEFAULT_MAX_EVENTS = 20_000_000
"""``loopviz.model.recording.DEFAULT_MAX_EVENTS``, repeated so ``loopviz --help`` loads no
numpy (a test keeps the two equal)."""
DEFAULT_MAX_OUTPUT_LINES = 2_000_000
"""``loopviz.model.recording.DEFAULT_MAX_OUTPUT_LINES``, repeated likewise."""
BYTES_PER_EVENT = 80
"""What one event costs the app (``model.recording``: ~80 bytes/event)."""
BYTES_PER_LINE = 450
"""What one printed line costs the app: 433 bytes measured for a 60-character line
(the line, its message and its console entry)."""

MIN_EVENTS = 100
"""Fewer events than this show nothing a lesson could use."""
MAX_EVENTS = 1_000_000_000
"""≈80 GB: beyond any machine this app runs on; "no limit" is there for the daring."""
MIN_LINES = 100
MAX_LINES = 100_000_000
"""≈45 GB of printed lines."""

MEMORY_SHARE = 0.25
"""The memory-derived default keeps a recording's events under a quarter of the RAM."""

SESSION_DEFAULT = -1
"""``--max-events`` not given: the window uses the figure saved in its settings."""

_SUFFIXES = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\s*([kKmMgG]?)$")


class LimitError(ValueError):
    """A figure the user typed that cannot be a limit; ``str()`` is the message to show."""


@dataclass(frozen=True)
class RecordingLimits:
    """The caps for the next run (None: no limit)."""

    max_events: int | None = DEFAULT_MAX_EVENTS
    """Events the runner sends in full; past it only the run's summary."""
    max_output_lines: int | None = DEFAULT_MAX_OUTPUT_LINES
    """Printed lines the recording keeps; past it further output is counted, not kept."""


def parse_count(text: str, what: str, minimum: int, maximum: int) -> int:
    """``text`` as a whole number between ``minimum`` and ``maximum``, or a LimitError.

    Accepts what people type for big numbers: ``20000000``, ``20,000,000``,
    ``20 000 000``, ``20_000_000``, ``20M``, ``2.5M``, ``500k``.
    """
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    cleaned = cleaned.replace("\u00a0", "").replace("\u202f", "")
    if not cleaned:
        raise LimitError(f"Type the number of {what}.")
    match = _NUMBER.match(cleaned)
    if match is None:
        raise LimitError(f"{text.strip()!r} is not a number of {what} (e.g. 20,000,000 or 20M).")
    number, suffix = match.groups()
    scale = _SUFFIXES.get(suffix.lower(), 1)
    value = float(number) * scale if "." in number else int(number) * scale
    if value != int(value):
        raise LimitError(f"{text.strip()!r} is not a whole number of {what}.")
    value = int(value)
    if value < minimum:
        raise LimitError(f"At least {minimum:,} {what}: fewer would show too little.")
    if value > maximum:
        raise LimitError(
            f"At most {maximum:,} {what} ({memory_text(maximum * _cost(what))}); "
            'tick "No limit" to lift the cap altogether.'
        )
    return value


def _cost(what: str) -> int:
    return BYTES_PER_LINE if "line" in what else BYTES_PER_EVENT


def memory_text(n_bytes: float) -> str:
    """``1.6 GB``, ``40 MB``, ``8 kB``: decimal units, as a user reads them."""
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= size:
            figure = n_bytes / size
            return f"{figure:.1f} {unit}" if figure < 10 else f"{figure:,.0f} {unit}"
    return f"{int(n_bytes)} B"


def machine_memory_text(n_bytes: int) -> str:
    """RAM as the machine's owner knows it: ``24 GiB`` (binary, as sold and as free(1) says)."""
    gib = n_bytes / 2**30
    return f"{gib:.0f} GiB" if gib >= 10 else f"{gib:.1f} GiB"


def events_text(n: int | None) -> str:
    """ "20,000,000 events ≈ 1.6 GB" (or what no limit means)."""
    if n is None:
        return "no limit on events: memory is the only bound"
    return f"{n:,} events ≈ {memory_text(n * BYTES_PER_EVENT)}"


def lines_text(n: int | None) -> str:
    """ "2,000,000 printed lines ≈ 900 MB"."""
    if n is None:
        return "no limit on printed lines: memory is the only bound"
    return f"{n:,} printed lines ≈ {memory_text(n * BYTES_PER_LINE)}"


def default_max_events(memory: int | None) -> int:
    """The events cap for a machine with ``memory`` bytes of RAM (None: unknown).

    At most :data:`DEFAULT_MAX_EVENTS` (20 M ≈ 1.6 GB, sized for a 24 GiB machine,
    which gets exactly that); a smaller machine gets a quarter of its RAM, so a
    flood ends in a notice instead of an out-of-memory kill.
    """
    if memory is None or memory <= 0:
        return DEFAULT_MAX_EVENTS
    share = int(memory * MEMORY_SHARE) // BYTES_PER_EVENT
    rounded = max(MIN_EVENTS, share // 1_000_000 * 1_000_000 or share)
    return min(DEFAULT_MAX_EVENTS, rounded)


def default_limits(memory: int | None) -> RecordingLimits:
    """The limits a fresh install uses on a machine with ``memory`` bytes of RAM."""
    return RecordingLimits(default_max_events(memory), DEFAULT_MAX_OUTPUT_LINES)


def memory_warning(limits: RecordingLimits, memory: int | None) -> str:
    """A warning when these limits could fill the memory ("" when they cannot)."""
    if limits.max_events is None or limits.max_output_lines is None:
        what = "events" if limits.max_events is None else "printed lines"
        return (
            f"With no limit on {what}, a scenario that floods can fill the memory: "
            "the system may then kill loopviz and the whole run is lost."
        )
    need = limits.max_events * BYTES_PER_EVENT + limits.max_output_lines * BYTES_PER_LINE
    if memory is not None and need > memory * 0.5:
        return (
            f"These limits allow ≈ {memory_text(need)}, more than half of this machine's "
            f"{machine_memory_text(memory)} of memory: a flood could make it swap or run out."
        )
    return ""


def cli_max_events(text: str) -> int | None:
    """``--max-events N`` of the app: 0 means no limit; otherwise as in the dialog."""
    if text.strip() in ("0", "none", "no-limit"):
        return None
    return parse_count(text, "events", MIN_EVENTS, MAX_EVENTS)


def add_max_events_argument(parser: argparse.ArgumentParser) -> None:
    """The app's ``--max-events N`` (``loopviz`` and ``python -m loopviz.ui`` share it),
    checked with the dialog's rules before Qt loads."""

    def max_events(text: str) -> int | None:
        try:
            return cli_max_events(text)
        except LimitError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parser.add_argument(
        "--max-events",
        type=max_events,
        default=SESSION_DEFAULT,
        metavar="N",
        help="record at most N events of each run in full, then only its summary, for this "
        "session: overrides Run › Recording limits… (default 20,000,000 events ≈ 1.6 GB, or "
        "a quarter of the memory if that is less); 20M and 500k work too; 0: no limit",
    )
