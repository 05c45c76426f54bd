"""The text shown when the mouse rests on a slice: task, kind, start, duration, detail."""

from __future__ import annotations

from collections.abc import Callable

from loopviz.ui.gantt.data import SliceHit
from loopviz.ui.gantt.palette import STATE_MEANING, SliceState
from loopviz.ui.units import format_duration, format_time

Describe = Callable[[int, int], str]


def format_seconds(t: float) -> str:
    """A time or duration with a unit a student reads at a glance (s, ms, µs).

    Kept for callers outside the window; the chart itself writes moments with
    ``units.format_time`` and durations with ``units.format_duration``, like every pane.
    """
    a = abs(t)
    if a >= 1.0 or a == 0.0:
        return f"{t:.3f} s"
    if a >= 1e-3:
        return f"{t * 1e3:.3g} ms" if a < 0.01 else f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.3g} µs"


def hover_text(hit: SliceHit, lane_label: str, describe: Describe | None) -> str:
    """Plain text: first line the task and what it was doing, then times, then detail."""
    lines = [f"{lane_label} — {STATE_MEANING[SliceState(hit.state)]}"]
    if hit.open:
        lines.append(f"since {format_time(hit.start)} · {format_duration(hit.duration)} so far")
    else:
        lines.append(f"start {format_time(hit.start)} · duration {format_duration(hit.duration)}")
    if describe is not None and hit.detail >= 0:
        try:
            extra = describe(int(hit.state), int(hit.detail))
        except Exception as exc:  # a broken describe must not break hovering
            extra = f"(no detail: {type(exc).__name__})"
        if extra:
            lines.append(extra)
    return "\n".join(lines)
