"""The chart's bottom axis: seconds, or loop steps ("step 120") on the steps axis.

On the steps axis only whole steps get a tick: "step 12.5" would name a moment
inside one handle run, which the axis cannot honestly place in wall time.
"""

from __future__ import annotations

import math

import pyqtgraph as pg

WALL, STEPS = "wall", "steps"


class TimeAxis(pg.AxisItem):
    """A bottom ``AxisItem`` that knows which of the two time axes it labels."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.mode = WALL

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        if mode == STEPS:
            self.setLabel("loop steps (one column per handle run)", units=None)
        else:
            self.setLabel("time", units="s")
        self.enableAutoSIPrefix(False)
        self.picture = None
        self.update()

    def tickValues(self, minVal, maxVal, size):
        levels = super().tickValues(minVal, maxVal, size)
        if self.mode != STEPS:
            return levels
        out = []
        for spacing, values in levels:
            if spacing < 1.0:
                continue
            out.append((spacing, [v for v in values if float(v).is_integer()]))
        if not out:  # zoomed inside a few steps: one tick per step
            whole = range(math.ceil(minVal), math.floor(maxVal) + 1)
            out.append((1.0, [float(v) for v in whole]))
        return out

    def tickStrings(self, values, scale, spacing):
        if self.mode != STEPS:
            return super().tickStrings(values, scale, spacing)
        return [f"step {round(v)}" for v in values]
