"""Slice states and the colours that explain them, in a light and a dark variant.

The chart is projected in lecture halls, so every state gets a colour that stays
distinct on a washed-out projector and for red-green colour-blind viewers:
*running* is blue and *blocking* red (never green against red), *ready* is amber
like a traffic light waiting to turn, and the states where nothing happens
(*waiting*, the selector's *idle*) are pale so the eye goes to the work.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum


class SliceState(IntEnum):
    """What a lane is doing during a slice (the model's ``state`` column)."""

    RUNNING = 0  # a task step is executing
    READY = 1  # the task's step is in the ready queue, waiting its turn
    WAITING = 2  # the task is suspended on a future, a sleep, a lock, ...
    BLOCKING = 3  # a step that ran longer than the stall threshold
    CALLBACK = 4  # event-loop lane: a callback that is not a task step
    IDLE = 5  # event-loop lane: the loop waits in the selector


N_STATES = len(SliceState)

# Painted back to front: the pale "nothing happens" states first, blocking on top.
PAINT_ORDER: tuple[SliceState, ...] = (
    SliceState.WAITING,
    SliceState.IDLE,
    SliceState.READY,
    SliceState.CALLBACK,
    SliceState.RUNNING,
    SliceState.BLOCKING,
)


class EndKind(StrEnum):
    """How a task ended; drawn as a marker at the end of its lane."""

    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


END_KINDS: tuple[EndKind, ...] = (EndKind.DONE, EndKind.CANCELLED, EndKind.FAILED)

STATE_NAMES: dict[SliceState, str] = {
    SliceState.RUNNING: "running",
    SliceState.READY: "ready",
    SliceState.WAITING: "waiting",
    SliceState.BLOCKING: "blocking",
    SliceState.CALLBACK: "callback",
    SliceState.IDLE: "idle",
}

# What the legend says: short enough to read from the back row.
LEGEND_TEXT: dict[SliceState, str] = {
    SliceState.RUNNING: "running",
    SliceState.READY: "ready (queued)",
    SliceState.WAITING: "waiting (await)",
    SliceState.BLOCKING: "blocking",
    SliceState.CALLBACK: "loop callback",
    SliceState.IDLE: "loop idle (select)",
}

# The same, in one word, for a legend that must fit one row of a narrow timeline.
LEGEND_SHORT: dict[SliceState, str] = {
    SliceState.RUNNING: "running",
    SliceState.READY: "ready",
    SliceState.WAITING: "waiting",
    SliceState.BLOCKING: "blocking",
    SliceState.CALLBACK: "callback",
    SliceState.IDLE: "idle",
}

# What the hover text says: the full meaning.
STATE_MEANING: dict[SliceState, str] = {
    SliceState.RUNNING: "running a step",
    SliceState.READY: "ready: in the ready queue, waiting its turn",
    SliceState.WAITING: "waiting: suspended at an await",
    SliceState.BLOCKING: "blocking: a step over the stall threshold",
    SliceState.CALLBACK: "event loop callback (not a task step)",
    SliceState.IDLE: "idle: the loop waits in the selector",
}


@dataclass(frozen=True)
class GanttPalette:
    """Every colour the chart paints (hex strings ``#rrggbb`` or ``#aarrggbb``)."""

    dark: bool
    background: str
    foreground: str
    muted: str
    row_alt: str
    grid: str
    selection: str  # tint of the selected lane's row
    selection_edge: str  # lines above and below it
    hover: str
    now: str
    cursor: str
    stall: str
    stall_edge: str
    stall_text: str
    done: str
    cancelled: str
    failed: str
    states: tuple[str, ...]  # indexed by SliceState
    state_text: tuple[str, ...]  # label colour on top of each state's bars

    def state(self, state: SliceState | int) -> str:
        return self.states[int(state)]

    def marker(self, kind: EndKind) -> str:
        return {EndKind.DONE: self.done, EndKind.CANCELLED: self.cancelled}.get(kind, self.failed)


LIGHT_PALETTE = GanttPalette(
    dark=False,
    background="#ffffff",
    foreground="#1d2129",
    muted="#5a6270",
    row_alt="#f3f5f8",
    grid="#dde1e7",
    selection="#1c1f5fd1",
    selection_edge="#1f5fd1",
    hover="#111111",
    now="#00875a",
    cursor="#7b1fa2",
    stall="#4dd32f2f",
    stall_edge="#c62828",
    stall_text="#ffffff",
    done="#1b5e20",
    cancelled="#6d6d6d",
    failed="#b00020",
    states=("#1565c0", "#f0a500", "#b9cde6", "#d32f2f", "#8e44ad", "#d7dadf"),
    state_text=("#ffffff", "#1d2129", "#1d2129", "#ffffff", "#ffffff", "#1d2129"),
)

DARK_PALETTE = GanttPalette(
    dark=True,
    background="#16181d",
    foreground="#e3e6ea",
    muted="#9aa3af",
    row_alt="#1c1f26",
    grid="#2c313a",
    selection="#245b9bff",
    selection_edge="#5b9bff",
    hover="#ffffff",
    now="#3ddc84",
    cursor="#e07bff",
    stall="#50ff5252",
    stall_edge="#ff6b6b",
    stall_text="#16181d",
    done="#7ee08a",
    cancelled="#a0a4ab",
    failed="#ff6b81",
    states=("#4d9bff", "#ffb938", "#3b5478", "#ff4d4d", "#c38bff", "#3a3f49"),
    state_text=("#0b0d10", "#0b0d10", "#e3e6ea", "#0b0d10", "#0b0d10", "#e3e6ea"),
)


def palette_for(
    dark: bool, *, background: str | None = None, foreground: str | None = None
) -> GanttPalette:
    """The light or dark palette, optionally on the app theme's plot background/foreground.

    The app's theme owns the plot background; passing it here keeps the chart on the
    same surface as the rest of the window while the state colours stay ours.
    """
    base = DARK_PALETTE if dark else LIGHT_PALETTE
    changes: dict[str, str] = {}
    if background:
        changes["background"] = background
    if foreground:
        changes["foreground"] = foreground
    return replace(base, **changes) if changes else base
