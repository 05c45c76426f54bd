"""The bar under the timeline: what the step did (caption), play/pause, a slider, the speed.

The bar only shows and asks: ``timeRequested``/``speedRequested``/``playRequested``
go to the controller, which moves the cursor; the cursor's move comes back
through :meth:`Scrubber.show_time` with the slider's signals blocked, so there
is no feedback loop (PlotJuggler's habit, STYLE.md).

The slider runs over wall time, or — with the timeline's loop-steps axis — over
handle runs, one notch each, so the five tasks of ``create_task`` starting
within a millisecond are five notches rather than one pixel.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from loopviz.ui.lecture.playback import DEFAULT_SPEED, SPEEDS, speed_label
from loopviz.ui.media_icons import media_icon
from loopviz.ui.theme import LIGHT, Theme

WALL_NOTCHES = 10_000
"""Slider positions over the wall-time duration (0.1 ms per notch for a 1 s run)."""
NO_RECORDING = "Run a scenario or open a recording (Ctrl+Shift+O) to step through it"
LIVE_CAPTION = "Live — press ← or → (or click the timeline) to stop time and step through it"


class Scrubber(QWidget):
    """Caption, play/pause, slider, time and speed; see the module docstring."""

    timeRequested = Signal(float)
    speedRequested = Signal(float)
    playRequested = Signal()

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("Scrubber")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._duration = 0.0
        self._begins: np.ndarray | None = None
        self._axis = "wall"
        self._theme = theme
        self._playing = False

        self.caption = QLabel(NO_RECORDING, self)
        self.caption.setObjectName("StepCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.caption.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.caption.setFont(font)

        self.play_button = QToolButton(self)
        self.play_button.setObjectName("PlayButton")
        self.play_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.play_button.setAutoRaise(True)
        self.play_button.clicked.connect(self.playRequested)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("TimeSlider")
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the window's keys step instead
        self.slider.setRange(0, 0)
        self.slider.setToolTip("Drag to move the cursor through the run")
        self.slider.valueChanged.connect(self._on_slider)
        self.time_label = QLabel("", self)
        self.time_label.setObjectName("CursorTime")
        widest = self.fontMetrics().horizontalAdvance("00.0000 s · 0000/0000")
        self.time_label.setMinimumWidth(widest)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.speed = QComboBox(self)
        self.speed.setObjectName("SpeedSelector")
        self.speed.setToolTip("Playback speed ([ slower, ] faster)")
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for s in SPEEDS:
            self.speed.addItem(speed_label(s), s)
        self.speed.currentIndexChanged.connect(self._on_speed)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.setSpacing(8)
        controls.addWidget(self.play_button)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.time_label)
        controls.addWidget(self.speed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 6)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addLayout(controls)
        self.show_speed(DEFAULT_SPEED)
        self.show_playing(False)
        self.set_theme(theme)

    # -- what the controller tells it ---------------------------------------------------

    def set_range(self, duration: float, begins: np.ndarray | None) -> None:
        """A recording's length and the begin times of its handle runs (for the steps axis)."""
        self._duration = max(0.0, duration)
        self._begins = begins
        self._sync_range()

    def set_axis(self, mode: str) -> None:
        """ "wall" (seconds) or "steps" (one notch per handle run)."""
        self._axis = "steps" if mode == "steps" else "wall"
        self._sync_range()

    @property
    def axis(self) -> str:
        return self._axis

    def show_time(self, t: float | None, step: int = -1, steps: int = 0) -> None:
        """Put the knob at ``t`` (None: live, knob at the end) without emitting anything."""
        self.slider.blockSignals(True)
        if t is None:
            self.slider.setValue(self.slider.maximum())
        elif self._axis == "steps" and self._begins is not None and len(self._begins):
            self.slider.setValue(max(0, int(np.searchsorted(self._begins, t, side="right")) - 1))
        elif self._duration > 0:
            self.slider.setValue(round(t / self._duration * WALL_NOTCHES))
        else:
            self.slider.setValue(0)
        self.slider.blockSignals(False)
        if t is None:
            self.time_label.setText("live" if self._duration > 0 else "")
        elif steps:
            self.time_label.setText(f"{t:.4f} s · {step + 1}/{steps}")
        else:
            self.time_label.setText(f"{t:.4f} s")

    def show_caption(self, text: str) -> None:
        self.caption.setText(text)
        self.caption.setToolTip(text)

    def show_playing(self, playing: bool) -> None:
        self._playing = playing
        self.play_button.setIcon(media_icon("pause" if playing else "play", self._theme))
        self.play_button.setToolTip("Pause (Space)" if playing else "Play from the cursor (Space)")

    def show_speed(self, speed: float) -> None:
        self.speed.blockSignals(True)
        index = self.speed.findData(speed)
        if index < 0:
            index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - speed))
        self.speed.setCurrentIndex(index)
        self.speed.blockSignals(False)

    def set_caption_point_size(self, point_size: float) -> None:
        """The caption's size (the presenter view makes it readable from the back row)."""
        font = QFont(self.caption.font())
        font.setPointSizeF(max(6.0, float(point_size)))
        self.caption.setFont(font)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.show_playing(self._playing)  # the icon is drawn in the theme's text colour
        self.setStyleSheet(
            f"#Scrubber {{ background: {theme.window}; border-top: 1px solid {theme.border}; }}"
            f"#StepCaption {{ color: {theme.text}; }}"
            f"#CursorTime {{ color: {theme.muted}; }}"
        )

    # -- what the user does ------------------------------------------------------------

    def _sync_range(self) -> None:
        something = self._duration > 0
        for widget in (self.slider, self.play_button, self.speed):
            widget.setEnabled(something)
        self.slider.blockSignals(True)
        if self._axis == "steps" and self._begins is not None and len(self._begins):
            self.slider.setRange(0, len(self._begins) - 1)
            self.slider.setPageStep(max(1, len(self._begins) // 20))
        else:
            self.slider.setRange(0, WALL_NOTCHES if self._duration > 0 else 0)
            self.slider.setPageStep(WALL_NOTCHES // 20)
        self.slider.blockSignals(False)

    def time_of(self, value: int) -> float:
        """The cursor time a slider position stands for."""
        if self._axis == "steps" and self._begins is not None and len(self._begins):
            return float(self._begins[min(max(value, 0), len(self._begins) - 1)])
        return value / WALL_NOTCHES * self._duration

    def _on_slider(self, value: int) -> None:
        self.timeRequested.emit(self.time_of(value))

    def _on_speed(self, index: int) -> None:
        self.speedRequested.emit(float(self.speed.itemData(index)))
