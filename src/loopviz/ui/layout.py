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
The lecture notes pane starts hidden under the source (Ctrl+L shows it there).

The presenter view (:func:`arrange_presenter`) keeps only what a lecture needs,
every text at presenter size::

    ┌────────────────────────────┬──────────────────────────┐
    │ Timeline (central widget)  │ Source                   │
    │  the banner above it, the  │  PRESENTER_CODE_COLUMNS  │
    │  captions and scrubber     ├──────────────────────────┤
    │  under it                  │ Tasks                    │
    ├──────────────┬─────────────┼──────────────────────────┤
    │ Ready queue  │ Lecture     │ Console                  │
    │              │ notes       │                          │
    └──────────────┴─────────────┴──────────────────────────┘

The timeline keeps most of the height: during a stall the banner and the
captions take a third of it, and the lanes must still show.
Scenarios, futures and coroutines are hidden there (the View menu shows them).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt
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
NOTES_HEIGHT = 260
PRESENTER_CODE_COLUMNS = 50
"""Characters of code the presenter view's source shows: the lessons' statements, at 18 pt."""
PRESENTER_RIGHT_SHARE = 0.42
"""The most of the window's width the presenter view's source column may take."""
PRESENTER_RIGHT_SHARES = (0.45, 0.24, 0.31)
"""Of the window's height, the right column: source, tasks, console."""
PRESENTER_BOTTOM_SHARE = 0.27
"""Of the window's height: the ready queue and the notes under the timeline."""
PRESENTER_QUEUE_SHARE = 0.62
"""Of the width under the timeline: the ready queue (the notes take the rest)."""


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
    notes: QDockWidget | None = None
    """Added by the presenter's install (:mod:`loopviz.ui.presenter`) after the window."""

    def in_order(self) -> list[QDockWidget]:
        """The desk layout's docks, in the order the View menu lists them (not the notes)."""
        return [
            self.scenarios,
            self.console,
            self.source,
            self.ready_queue,
            self.tasks,
            self.futures,
            self.coroutines,
        ]

    def every(self) -> list[QDockWidget]:
        """Every dock, the lecture notes too once they exist."""
        docks = self.in_order()
        return docks if self.notes is None else [*docks, self.notes]

    def lecture(self) -> list[QDockWidget]:
        """The docks the presenter view shows."""
        docks = [self.source, self.console, self.ready_queue, self.tasks]
        return docks if self.notes is None else [*docks, self.notes]

    def not_lecture(self) -> list[QDockWidget]:
        """The docks the presenter view hides."""
        return [d for d in self.every() if d not in self.lecture()]


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
    if docks.notes is not None:
        place_notes(window, docks)
        docks.notes.hide()
    apply_default_sizes(window, docks)


def place_notes(window: QMainWindow, docks: PaneDocks) -> None:
    """The notes' place in the desk layout: under the source, above the console."""
    if docks.notes is None:
        return
    docks.notes.setFloating(False)
    window.splitDockWidget(docks.source, docks.notes, Qt.Orientation.Vertical)
    window.resizeDocks([docks.notes], [NOTES_HEIGHT], Qt.Orientation.Vertical)


def arrange_presenter(window: QMainWindow, docks: PaneDocks) -> None:
    """The presenter view's layout (module docstring): lecture panes only, sized for a hall."""
    area = Qt.DockWidgetArea
    vertical = Qt.Orientation.Vertical
    for dock in docks.every():
        dock.setFloating(False)
    for dock in docks.not_lecture():
        # Out of any tab group first: a hidden tab can leave its tab bar behind.
        window.addDockWidget(area.BottomDockWidgetArea, dock)
        dock.hide()
    # Let the layout drop the emptied tab group now: rearranged first, its tab bar stays.
    QCoreApplication.sendPostedEvents(window, QEvent.Type.LayoutRequest)
    window.addDockWidget(area.RightDockWidgetArea, docks.source)
    window.splitDockWidget(docks.source, docks.tasks, vertical)
    window.splitDockWidget(docks.tasks, docks.console, vertical)
    window.addDockWidget(area.BottomDockWidgetArea, docks.ready_queue)
    if docks.notes is not None:
        window.splitDockWidget(docks.ready_queue, docks.notes, Qt.Orientation.Horizontal)
    for dock in docks.lecture():
        dock.show()
    apply_presenter_sizes(window, docks)


def apply_presenter_sizes(window: QMainWindow, docks: PaneDocks) -> None:
    """The presenter layout's sizes, from the window's size (call again once it is full screen)."""
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    width, height = window.width(), window.height()
    right = int(width * PRESENTER_RIGHT_SHARE)
    pane = docks.source.widget()
    if isinstance(pane, SourcePane):
        right = min(right, pane.code.width_for_columns(PRESENTER_CODE_COLUMNS) + 8)
    right = max(300, right)
    window.resizeDocks([docks.source], [right], horizontal)
    window.resizeDocks(
        [docks.source, docks.tasks, docks.console],
        [int(height * share) for share in PRESENTER_RIGHT_SHARES],
        vertical,
    )
    window.resizeDocks([docks.ready_queue], [int(height * PRESENTER_BOTTOM_SHARE)], vertical)
    if docks.notes is not None:
        left = width - right
        queue = int(left * PRESENTER_QUEUE_SHARE)
        window.resizeDocks([docks.ready_queue, docks.notes], [queue, left - queue], horizontal)


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
