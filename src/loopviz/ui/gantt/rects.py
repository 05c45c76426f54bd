"""Hand ``QPainter.drawRects`` a numpy-filled array of ``QRectF`` without a Python loop.

Building a list of QRectF costs about a microsecond per rectangle; at 100,000 bars
that alone eats the frame. pyqtgraph's ``PrimitiveArray`` (used by its
``BarGraphItem``) exposes a contiguous QRectF array as an ``(n, 4)`` float64 numpy
view and passes PySide a pointer + count. It is internal to pyqtgraph, so a plain
list is the fallback if it ever goes away.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

try:  # pragma: no cover - depends on the pyqtgraph version
    from pyqtgraph.Qt.internals import PrimitiveArray
except ImportError:  # pragma: no cover
    PrimitiveArray = None


class RectBuffer:
    """A reusable array of QRectF, filled from numpy columns and drawn in one call."""

    def __init__(self) -> None:
        self._array = PrimitiveArray(QRectF, 4) if PrimitiveArray is not None else None
        self._list: list[QRectF] = []
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def set(self, x: np.ndarray, y: np.ndarray, w: np.ndarray, h: np.ndarray | float) -> None:
        """Fill with rectangles ``(x, y, w, h)`` (arrays of equal length, h may be scalar)."""
        n = len(x)
        self._n = n
        if self._array is None:
            hh = np.broadcast_to(h, (n,))
            cols = (x.tolist(), y.tolist(), w.tolist(), hh.tolist())
            self._list = [QRectF(*v) for v in zip(*cols, strict=True)]
            return
        self._array.resize(n)
        if n:
            mem = self._array.ndarray()
            mem[:, 0] = x
            mem[:, 1] = y
            mem[:, 2] = w
            mem[:, 3] = h

    def draw(self, painter: QPainter) -> None:
        if self._n == 0:
            return
        if self._array is None:
            painter.drawRects(self._list)
        else:
            painter.drawRects(*self._array.drawargs())
