"""Bar labels as cached ``QStaticText``: laid out once, drawn many frames.

Only bars wide enough to read get a label, so a frame draws at most a few
hundred; laying out text is what costs, so each (text, width) is laid out once
and kept in a bounded LRU. Text that does not fit is elided to a width rounded
down to 16 px, so a bar growing by a pixel per frame does not re-layout.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF, QStaticText

_WIDTH_STEP = 16.0
_MIN_ELIDED_CHARS = 3


class LabelCache:
    """Texts per key, and prepared static texts per (text, width bucket)."""

    def __init__(self, font: QFont, limit: int = 4096) -> None:
        self._limit = limit
        self._texts: OrderedDict[object, str] = OrderedDict()
        self._static: OrderedDict[tuple[str, float], QStaticText | None] = OrderedDict()
        self.set_font(font)

    def set_font(self, font: QFont) -> None:
        self.font = QFont(font)
        self._metrics = QFontMetricsF(self.font)
        self.height = self._metrics.height()
        self._static.clear()

    def clear_texts(self) -> None:
        """Forget texts (the model behind ``describe`` changed, e.g. a new run)."""
        self._texts.clear()
        self._static.clear()

    def text(self, key: object, make: Callable[[], str]) -> str:
        """The text for ``key``, computed by ``make`` the first time only."""
        value = self._texts.get(key)
        if value is None:
            value = make()
            self._texts[key] = value
            if len(self._texts) > self._limit:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(key)
        return value

    def static(self, text: str, max_width: float) -> QStaticText | None:
        """A prepared label no wider than ``max_width``; None when not even a stub fits."""
        if not text or max_width < self.height:
            return None
        full = self._static_for(text, -1.0)
        if full is not None and full.size().width() <= max_width:
            return full
        bucket = max_width - max_width % _WIDTH_STEP
        return self._static_for(text, bucket)

    def _static_for(self, text: str, width: float) -> QStaticText | None:
        key = (text, width)
        if key in self._static:
            self._static.move_to_end(key)
            return self._static[key]
        shown = text
        if width >= 0:
            shown = self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            if len(shown.rstrip("…")) < _MIN_ELIDED_CHARS:
                shown = ""
        static: QStaticText | None = None
        if shown:
            static = QStaticText(shown)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            static.prepare(font=self.font)
        self._static[key] = static
        if len(self._static) > self._limit:
            self._static.popitem(last=False)
        return static
