"""One way to write a duration, everywhere in the window.

Why: the same stall used to read "0.74 s" in the banner, "709.9 ms" on the
timeline and "0.71 s" in the source pane. A class compares numbers across
panes; they must agree in unit and precision.
"""

from __future__ import annotations


def format_duration(seconds: float) -> str:
    """``"0.71 s"`` from 0.1 s up, ``"12.3 s"`` from 10 s, ``"4.2 ms"`` / ``"35 µs"`` below."""
    s = max(0.0, float(seconds))
    if s >= 10.0:
        return f"{s:.1f} s"
    if s >= 0.1:
        return f"{s:.2f} s"
    if s >= 0.001:
        return f"{s * 1000:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def format_time(t: float) -> str:
    """A moment of the run, seconds from its start: ``"1.234 s"``."""
    return f"{t:.3f} s"
