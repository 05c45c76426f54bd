"""Where the panes go, and how "View › Reset layout" puts them back.

    ┌───────────┬────────────────────────────┬──────────────┐
    │ Scenarios │  Timeline (central widget) │ Source       │
    │           │                            │              │
    ├───────────┼────────────────────────────┤              │
    │ Console   │  Ready queue               │              │
    │           ├──────────────────┬─────────┤              │
    │           │ Tasks | Futures  │ Corou-  │              │
    │           │                  │ tines   │              │
    └───────────┴──────────────────┴─────────┴──────────────┘

The source gets the full height (the class reads the code), the timeline the
middle; the short scenario list leaves room under it for the output. The side
docks own the corners, so the bottom docks sit directly under the timeline. The
same function builds the first layout and resets it later, so they cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

LEFT_WIDTH = 270
RIGHT_WIDTH = 470
READY_QUEUE_HEIGHT = 150
TASKS_HEIGHT = 220
TASKS_WIDTH = 900
COROUTINES_WIDTH = 420
CONSOLE_HEIGHT = 360


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
    window.setCorner(Qt.Corner.BottomLeftCorner, area.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.TopRightCorner, area.RightDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, area.RightDockWidgetArea)
    for dock in docks.in_order():
        dock.setFloating(False)
    window.addDockWidget(area.LeftDockWidgetArea, docks.scenarios)
    window.splitDockWidget(docks.scenarios, docks.console, Qt.Orientation.Vertical)
    window.addDockWidget(area.RightDockWidgetArea, docks.source)
    window.addDockWidget(area.BottomDockWidgetArea, docks.ready_queue)
    window.splitDockWidget(docks.ready_queue, docks.tasks, Qt.Orientation.Vertical)
    window.splitDockWidget(docks.tasks, docks.coroutines, Qt.Orientation.Horizontal)
    window.tabifyDockWidget(docks.tasks, docks.futures)
    for dock in docks.in_order():
        dock.show()
    docks.tasks.raise_()
    apply_default_sizes(window, docks)


def apply_default_sizes(window: QMainWindow, docks: PaneDocks) -> None:
    """Default dock sizes; also called once the window has its real size."""
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    window.resizeDocks([docks.scenarios, docks.source], [LEFT_WIDTH, RIGHT_WIDTH], horizontal)
    window.resizeDocks(
        [docks.ready_queue, docks.tasks], [READY_QUEUE_HEIGHT, TASKS_HEIGHT], vertical
    )
    window.resizeDocks([docks.tasks, docks.coroutines], [TASKS_WIDTH, COROUTINES_WIDTH], horizontal)
    list_height = max(200, window.height() - CONSOLE_HEIGHT)
    window.resizeDocks([docks.scenarios, docks.console], [list_height, CONSOLE_HEIGHT], vertical)
