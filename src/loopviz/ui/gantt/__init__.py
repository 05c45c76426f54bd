"""The task-lane Gantt chart: one lane per task, slices coloured by state, over time.

Embed :class:`GanttView` (a ``pyqtgraph.PlotWidget``); feed it numpy batches from a
timer. The pieces are importable on their own: :class:`SliceColumns` (the culling
column store), :class:`GanttItem` (the graphics item), :func:`tree_order` (lanes
with children under their parent), :class:`SliceState` and the palettes.
"""

from loopviz.ui.gantt.columns import Culled, SliceColumns
from loopviz.ui.gantt.data import GanttData, SliceHit
from loopviz.ui.gantt.hover import format_seconds, hover_text
from loopviz.ui.gantt.item import GanttItem
from loopviz.ui.gantt.lanes import Lane, LaneLayout, tree_order
from loopviz.ui.gantt.palette import (
    DARK_PALETTE,
    LIGHT_PALETTE,
    EndKind,
    GanttPalette,
    SliceState,
    palette_for,
)
from loopviz.ui.gantt.widget import GanttView

__all__ = [
    "DARK_PALETTE",
    "LIGHT_PALETTE",
    "Culled",
    "EndKind",
    "GanttData",
    "GanttItem",
    "GanttPalette",
    "GanttView",
    "Lane",
    "LaneLayout",
    "SliceColumns",
    "SliceHit",
    "SliceState",
    "format_seconds",
    "hover_text",
    "palette_for",
    "tree_order",
]
