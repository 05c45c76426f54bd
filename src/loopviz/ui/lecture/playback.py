"""Playback: the cursor moves on by ``elapsed × speed`` at every tick of a clock.

The clock is injected (a callable returning seconds) so tests drive it by hand
and call :meth:`Playback.tick` — nothing sleeps. In the app a ~60 Hz QTimer
calls ``tick``; the distance moved comes from the clock, not from the timer's
period, so a late tick never slows the replay down.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from loopviz.ui.lecture.cursor import TimeCursor

SPEEDS = (0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0)
"""From slow enough to watch 1 ms ticks (0.01×: 1 ms takes 0.1 s) to a quick run-through."""
DEFAULT_SPEED = 1.0
TICK_MS = 16


def speed_label(speed: float) -> str:
    """ "0.01×", "1×", "4×"."""
    return f"{speed:g}×"


class Playback(QObject):
    """Plays the recording from the cursor at a chosen speed; stops at the end."""

    playingChanged = Signal(bool)
    speedChanged = Signal(float)

    def __init__(
        self,
        cursor: TimeCursor,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.cursor = cursor
        self.clock = clock
        self._speed = DEFAULT_SPEED
        self._playing = False
        self._last = 0.0
        self._t = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, speed: float) -> None:
        speed = min(max(float(speed), SPEEDS[0]), SPEEDS[-1])
        if speed != self._speed:
            self._speed = speed
            self.speedChanged.emit(speed)

    def slower(self) -> None:
        """``[``: the next slower speed of :data:`SPEEDS`."""
        lower = [s for s in SPEEDS if s < self._speed]
        self.set_speed(lower[-1] if lower else SPEEDS[0])

    def faster(self) -> None:
        """``]``: the next faster speed of :data:`SPEEDS`."""
        higher = [s for s in SPEEDS if s > self._speed]
        self.set_speed(higher[0] if higher else SPEEDS[-1])

    def play(self) -> None:
        """Play from the cursor; from the start when it is at the end (or there is none)."""
        end = self.cursor.duration
        if end <= 0:
            return
        t = self.cursor.t
        if t is None or t >= end:
            t = 0.0
        self._t = t
        self.cursor.set(t)
        self._last = self.clock()
        self.timer.start()
        if not self._playing:
            self._playing = True
            self.playingChanged.emit(True)

    def pause(self) -> None:
        self.timer.stop()
        if self._playing:
            self._playing = False
            self.playingChanged.emit(False)

    def toggle(self) -> None:
        """Space."""
        if self._playing:
            self.pause()
        else:
            self.play()

    def tick(self) -> None:
        """Move the cursor on by the time since the last tick × speed; pause at the end."""
        if not self._playing:
            return
        now = self.clock()
        dt = max(0.0, now - self._last)
        self._last = now
        if self.cursor.t is not None and abs(self.cursor.t - self._t) > 1e-12:
            self._t = self.cursor.t  # someone moved the cursor meanwhile: go on from there
        self._t = min(self._t + dt * self._speed, self.cursor.duration)
        self.cursor.set(self._t)
        if self._t >= self.cursor.duration:
            self.pause()
