"""The time cursor: the one instant every pane shows.

``None`` means "no cursor": a live run is shown as it happens. A number is
seconds from the run's start, clamped to the recording's duration, so nothing
that moves the cursor (a key, the scrubber, playback, a click on the chart)
has to know the bounds.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class TimeCursor(QObject):
    """Where in the recording the lecturer is looking; ``moved`` says when that changes."""

    moved = Signal(object)  # float seconds, or None = live / no cursor

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._t: float | None = None
        self._duration = 0.0

    @property
    def t(self) -> float | None:
        return self._t

    @property
    def duration(self) -> float:
        return self._duration

    def set_duration(self, duration: float) -> None:
        """The recording's length; a cursor beyond it is pulled back (and ``moved`` says so)."""
        self._duration = max(0.0, float(duration))
        if self._t is not None and self._t > self._duration:
            self.set(self._duration)

    def set(self, t: float | None) -> None:
        """Place the cursor at ``t`` seconds (clamped to [0, duration]); None removes it."""
        value = None if t is None else min(max(float(t), 0.0), self._duration)
        if value == self._t:
            return
        self._t = value
        self.moved.emit(value)
