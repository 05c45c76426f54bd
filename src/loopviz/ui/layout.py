"""Where the panes go, and how "View › Reset layout" puts them back.

    ┌────────────────────────────┬──────────────────────────────────┐
    │ Timeline (central widget)  │ Source                           │
    │  (the stall banner on top) │  60 columns of code              │
    │                            │                                  │
    ├────────────────────────────┤                                  │
    │ Ready queue                │                                  │
    ├──────────────────┬─────────┼────────────────────┬─────────────┤
    │ Tasks | Futures  │ Corou-  │ Console            │ Scenarios   │
    │                  │ tines   │                    │ (titles)    │
    └──────────────────┴─────────┴────────────────────┴─────────────┘

Why two columns: the timeline is what the class watches, so it gets the larger
share (at least :data:`MIN_CENTRE_WIDTH`); the source is as wide as
:data:`CODE_COLUMNS` need (measured from the code font, so a zoomed font gets a
wider pane) — enough for the statements of the bundled lessons at 12 pt, where a
character is 9.6 px; a long comment scrolls. A third column beside them would
leave the timeline a strip.

The console and the scenario list share the strip under the source: the console
gets ~600 px, enough for a printed line with its timestamp; the list, titles only,
needs ~4 rows. The source keeps ~20 lines of code in view, which holds each
lesson's functions; it scrolls to the running (or blocking) line by itself.

The right dock area owns the right corners, so the strip under the source does
not push under the live panes; the bottom docks sit directly under the timeline.
The same function builds the first layout and resets it later, so they cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from loopviz.ui.source_view import SourcePane

CODE_COLUMNS = 60
"""Characters of code the source pane shows without scrolling (at the current code size)."""
MIN_CENTRE_WIDTH = 620
"""The timeline and the live panes under it never get less than this by default."""
FRAME_SLACK = 60
"""Pixels the dock separators and frames take between the two columns."""
RIGHT_WIDTH = 655
"""The source column when it cannot be measured yet (60 columns of 12 pt DejaVu Sans Mono)."""
READY_QUEUE_HEIGHT = 150
TASKS_HEIGHT = 220
TASKS_WIDTH = 300
COROUTINES_WIDTH = 190
CONSOLE_HEIGHT = 215
SCENARIOS_WIDTH = 290


@dataclass
class PaneDocks:
    """The window's docks, by what they show."""

    scenarios: QDockWidget
    source: QDockWidget
    ready_queue: QDockWidget
    tasks: QDockWidget
    console: QDockWidget
    futures: QDockWidget
    coroutines: QDockWidget

    def in_order(self) -> list[QDockWidget]:
        """Docks in the order the View menu lists them."""
        return [
            self.scenarios,
            self.console,
            self.source,
            self.ready_queue,
            self.tasks,
            self.futures,
            self.coroutines,
        ]


def arrange(window: QMainWindow, docks: PaneDocks) -> None:
    """Put every dock in its default place, visible and docked, with default sizes."""
    area = Qt.DockWidgetArea
    window.setCorner(Qt.Corner.TopLeftCorner, area.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.BottomLeftCorner, area.BottomDockWidgetArea)
    window.setCorner(Qt.Corner.TopRightCorner, area.RightDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, area.RightDockWidgetArea)
    for dock in docks.in_order():
        dock.setFloating(False)
    window.addDockWidget(area.RightDockWidgetArea, docks.source)
    window.splitDockWidget(docks.source, docks.console, Qt.Orientation.Vertical)
    window.splitDockWidget(docks.console, docks.scenarios, Qt.Orientation.Horizontal)
    window.addDockWidget(area.BottomDockWidgetArea, docks.ready_queue)
    window.splitDockWidget(docks.ready_queue, docks.tasks, Qt.Orientation.Vertical)
    window.splitDockWidget(docks.tasks, docks.coroutines, Qt.Orientation.Horizontal)
    window.tabifyDockWidget(docks.tasks, docks.futures)
    for dock in docks.in_order():
        dock.show()
    docks.tasks.raise_()
    apply_default_sizes(window, docks)


def source_width(window: QMainWindow, docks: PaneDocks) -> int:
    """The source column's default width: :data:`CODE_COLUMNS` of code, within limits."""
    needed = RIGHT_WIDTH
    pane = docks.source.widget()
    if isinstance(pane, SourcePane):
        code = pane.code
        # What the dock adds around the code view (frames, margins), once it is laid out.
        overhead = docks.source.width() - code.width() if code.width() > 0 else 2
        needed = code.width_for_columns(CODE_COLUMNS) + max(0, min(overhead, 40))
    return max(200, min(needed, window.width() - MIN_CENTRE_WIDTH - FRAME_SLACK))


def apply_default_sizes(window: QMainWindow, docks: PaneDocks) -> None:
    """Default dock sizes; also called once the window has its real size."""
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    right = source_width(window, docks)
    window.resizeDocks([docks.source], [right], horizontal)
    window.resizeDocks(
        [docks.console, docks.scenarios], [right - SCENARIOS_WIDTH, SCENARIOS_WIDTH], horizontal
    )
    source_height = max(300, window.height() - CONSOLE_HEIGHT)
    window.resizeDocks([docks.source, docks.console], [source_height, CONSOLE_HEIGHT], vertical)
    window.resizeDocks(
        [docks.ready_queue, docks.tasks], [READY_QUEUE_HEIGHT, TASKS_HEIGHT], vertical
    )
    window.resizeDocks([docks.tasks, docks.coroutines], [TASKS_WIDTH, COROUTINES_WIDTH], horizontal)
