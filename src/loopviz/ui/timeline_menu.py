"""View › Timeline: the loop-steps axis toggle (Ctrl+T) and compare mode (Ctrl+P).

Installed by one line at the end of ``MainWindow.__init__`` (see the lecture
contract) so the window's own menus need not know about either feature.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from loopviz.model import Recording
from loopviz.ui.compare import CompareMode, recording_title
from loopviz.ui.menus import find_menu

STEPS_TIP = "Every handle run one equal column, so microsecond moments are readable (Ctrl+T)"
STEPS_OFF_TIP = "Run a scenario or open a recording first: the loop-steps axis needs its steps"
PIN_TEXT, UNPIN_TEXT = "&Pin recording for comparison", "Un&pin recording"
PIN_TIP = "Keep this run's timeline above the next one, on the same time axis (Ctrl+P)"
PIN_OFF_TIP = "Run a scenario or open a recording first, then pin it"


def timeline_submenu(window: QMainWindow) -> QMenu:
    """View › Timeline (created at the end of View if the window has none yet)."""
    view = find_menu(window.menuBar(), "View")
    for action in view.actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == "Timeline":
            return menu
    return view.addMenu("T&imeline")


class TimelineMenu(QObject):
    """The actions, and the :class:`CompareMode` they drive."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        pane = window.gantt  # type: ignore[attr-defined]
        self.chart = pane.chart
        self.compare = CompareMode(self.chart, pane, self)

        self.steps_axis = QAction("&Loop-steps axis", window)
        self.steps_axis.setObjectName("StepsAxisAction")
        self.steps_axis.setCheckable(True)
        self.steps_axis.setShortcut(QKeySequence("Ctrl+T"))
        self.steps_axis.toggled.connect(
            lambda on: self.chart.set_time_axis("steps" if on else "wall")
        )
        self.chart.timeAxisChanged.connect(lambda mode: self.steps_axis.setChecked(mode == "steps"))
        self.chart.stepsAvailableChanged.connect(lambda _on: self._update())

        self.pin = QAction(PIN_TEXT, window)
        self.pin.setObjectName("PinRecordingAction")
        self.pin.setShortcut(QKeySequence("Ctrl+P"))
        self.pin.triggered.connect(self.toggle_pin)
        self.compare.pinnedChanged.connect(lambda _on: self._update())

        menu = timeline_submenu(window)
        menu.setToolTipsVisible(True)
        menu.addSeparator()
        menu.addAction(self.steps_axis)
        menu.addAction(self.pin)
        window.addActions([self.steps_axis, self.pin])  # they work in full screen too
        shown = getattr(window, "recording_shown", None)
        if shown is not None:
            shown.connect(self._on_recording_shown)
        self._update()

    def recording(self) -> Recording | None:
        """The recording the window shows (the live run's, or one opened from a file)."""
        live = getattr(self.window, "live", None)
        if live is None:
            return None
        rec = getattr(live, "recording", None)
        if rec is None and getattr(live, "run", None) is not None:
            rec = getattr(live.run, "recording", None)
        return rec if isinstance(rec, Recording) else None

    def title_of(self, rec: Recording) -> str:
        """The scenario's file name: the live run's (before its hello arrives), else the file's."""
        run = getattr(getattr(self.window, "live", None), "run", None)
        scenario = getattr(run, "scenario", None)
        if scenario and getattr(run, "recording", None) is rec:
            return Path(str(scenario)).name
        return recording_title(rec)

    def toggle_pin(self) -> None:
        """Pin the recording shown; if one is pinned already, unpin it."""
        if self.compare.active:
            self.compare.unpin()
            return
        rec = self.recording()
        if rec is None:
            self.window.statusBar().showMessage(PIN_OFF_TIP, 4000)
            return
        self.compare.pin(rec, self.title_of(rec))
        self.window.gantt.set_current_title(self.title_of(rec))  # type: ignore[attr-defined]

    def _on_recording_shown(self, rec: object) -> None:
        title = self.title_of(rec) if isinstance(rec, Recording) else ""
        self.window.gantt.set_current_title(title)  # type: ignore[attr-defined]
        self._update()

    def _update(self) -> None:
        has_steps = self.chart.steps_available
        self.steps_axis.setEnabled(has_steps or self.steps_axis.isChecked())
        self.steps_axis.setToolTip(STEPS_TIP if has_steps else STEPS_OFF_TIP)
        self.steps_axis.setStatusTip(self.steps_axis.toolTip())
        pinned = self.compare.active
        self.pin.setText(UNPIN_TEXT if pinned else PIN_TEXT)
        can_pin = pinned or self.recording() is not None
        self.pin.setEnabled(can_pin)
        self.pin.setToolTip(PIN_TIP if can_pin else PIN_OFF_TIP)
        self.pin.setStatusTip(self.pin.toolTip())


def install_timeline_menu(window: QMainWindow) -> TimelineMenu:
    """Add View › Timeline › Loop-steps axis and Pin recording to ``window``."""
    return TimelineMenu(window)
