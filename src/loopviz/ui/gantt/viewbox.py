"""Mouse input for the chart: the wheel zooms time, a drag moves the cursor or pans.

A plain left click or drag places the time cursor (lecture mode: "look — here");
Ctrl+left drag selects a time range (to export), a Ctrl+click clears it;
Shift+left, middle or right drag pans time and scrolls lanes.

The stock ViewBox zooms and pans by itself; here the gestures are turned into
requests (signals) so the widget can apply its own rules: lanes scroll but never
stretch, zooming while following "now" keeps "now" in place, and a drag turns
following off because the user asked to look elsewhere.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal

LANES_PER_WHEEL_STEP = 3.0
PAN_BUTTONS = (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton, Qt.MouseButton.RightButton)


class GanttViewBox(pg.ViewBox):
    """A ViewBox whose gestures become signals; see the module docstring."""

    sigPanned = Signal(float)  # seconds; the user dragged time
    sigZoomRequested = Signal(float, float)  # factor (< 1 zooms in), anchor time
    sigLaneScroll = Signal(float)  # rows, positive scrolls down
    sigClicked = Signal(float, float)  # time, row (fractional)
    sigDoubleClicked = Signal()
    sigCursorDragged = Signal(float)  # view x under the mouse during a plain left drag
    sigRangeDragged = Signal(float, float, bool)  # view x pressed, view x now, drag finished

    def __init__(self) -> None:
        super().__init__(enableMenu=False, invertY=True, defaultPadding=0.0)
        self.setMouseEnabled(x=True, y=False)
        self.disableAutoRange()
        self._selecting = False  # this drag began with Ctrl held: it selects to its end

    def wheelEvent(self, ev, axis=None) -> None:
        ev.accept()
        steps = ev.delta() / 120.0
        horizontal = ev.orientation() == Qt.Orientation.Horizontal
        mods = ev.modifiers()
        if axis == 1 or (mods & Qt.KeyboardModifier.ShiftModifier and not horizontal):
            self.sigLaneScroll.emit(-steps * LANES_PER_WHEEL_STEP)
            return
        if horizontal:
            x0, x1 = self.viewRange()[0]
            self.sigPanned.emit(-steps * 0.1 * (x1 - x0))
            return
        factor = 1.02 ** (ev.delta() * self.state["wheelScaleFactor"])
        self.sigZoomRequested.emit(factor, self.mapToView(ev.pos()).x())

    def mouseDragEvent(self, ev, axis=None) -> None:
        button = ev.button()
        if button not in PAN_BUTTONS:
            ev.ignore()
            return
        ev.accept()
        mods = ev.modifiers()
        left = button == Qt.MouseButton.LeftButton
        if ev.isStart():
            ctrl = bool((mods | self._press_modifiers()) & Qt.KeyboardModifier.ControlModifier)
            self._selecting = left and ctrl
        if self._selecting:
            pressed = self.mapToView(ev.buttonDownPos()).x()
            self.sigRangeDragged.emit(pressed, self.mapToView(ev.pos()).x(), ev.isFinish())
            if ev.isFinish():
                self._selecting = False
            return
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if left and not shift:
            self.sigCursorDragged.emit(self.mapToView(ev.pos()).x())
            return
        delta = self.mapToView(ev.lastPos()) - self.mapToView(ev.pos())
        if axis != 1 and delta.x():
            self.sigPanned.emit(delta.x())
        if axis != 0 and delta.y():
            self.sigLaneScroll.emit(delta.y())

    def _press_modifiers(self) -> Qt.KeyboardModifier:
        """The keys held when the button went down: Ctrl+press, then drag, selects too."""
        clicks = getattr(self.scene(), "clickEvents", None)  # pyqtgraph's press record
        if clicks:
            return clicks[0].modifiers()
        return Qt.KeyboardModifier.NoModifier

    def mouseClickEvent(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        if ev.double():
            self.sigDoubleClicked.emit()
            return
        p = self.mapToView(ev.pos())
        if ev.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.sigRangeDragged.emit(p.x(), p.x(), True)  # a Ctrl+click selects nothing
            return
        self.sigClicked.emit(p.x(), p.y())
