"""The geometry of one paint call, derived from the painter, never from the screen.

Items paint in *scene* coordinates: the painter is given ``scene -> device`` and
bars are mapped ``data -> scene`` in numpy. Why not paint in data coordinates:
a lane is 1 unit tall and a microsecond is 1e-6 units wide, so text, markers and
pixel rounding would all be distorted by the data transform. Why not in device
pixels: an export at twice the size must scale text and glyphs too. Pixel sizes
(``px``: scene units per device pixel) come from the painter's transform, so the
same code paints the widget, a 4K PNG, an SVG or a PDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

BAR_FRACTION = 0.72  # of a lane's height; the rest separates lanes


@dataclass(frozen=True)
class Frame:
    """What one paint call covers: a time range, a row range and the mappings."""

    x0: float  # seconds painted
    x1: float
    r0: int  # rows painted, inclusive; r1 < r0 when none
    r1: int
    sx: float  # scene_x = t * sx + tx
    tx: float
    sy: float  # scene_y = row * sy + ty
    ty: float
    clip: QRectF  # scene rectangle painted (an exposed strip, or the whole view)
    view: QRectF  # scene rectangle of the whole visible view (labels stick to its edges)
    px: float  # scene units per device pixel
    scene_to_device: QTransform
    full: bool  # the whole visible view, not an exposed strip

    @property
    def lane_height(self) -> float:
        return abs(self.sy)

    @property
    def bar_height(self) -> float:
        return max(self.px, round(self.lane_height * BAR_FRACTION / self.px) * self.px)

    def scene_x(self, t: np.ndarray | float) -> np.ndarray | float:
        return t * self.sx + self.tx

    def row_center(self, row: np.ndarray | float) -> np.ndarray | float:
        return row * self.sy + self.ty

    def bar_top(self, rows: np.ndarray, height: float | None = None) -> np.ndarray:
        """Top edge of the bars on ``rows``, on whole device pixels so all bars match."""
        h = self.bar_height if height is None else height
        return np.round((rows * self.sy + self.ty - h / 2) / self.px) * self.px

    def view_times(self) -> tuple[float, float]:
        """The time range of the whole visible view (not just the strip painted)."""
        a = (self.view.left() - self.tx) / self.sx
        b = (self.view.right() - self.tx) / self.sx
        return min(a, b), max(a, b)

    def key(self) -> tuple:
        """Everything the picture depends on geometrically (for raster caching)."""
        m = self.scene_to_device
        return (
            self.x0,
            self.x1,
            self.r0,
            self.r1,
            self.sx,
            self.tx,
            self.sy,
            self.ty,
            (m.m11(), m.m12(), m.m21(), m.m22(), m.dx(), m.dy()),
            self.clip.getRect(),
        )


def _rows_in(top: float, bottom: float, n_rows: int) -> tuple[int, int]:
    r0 = max(0, math.floor(top + 0.5))
    r1 = min(n_rows - 1, math.ceil(bottom - 0.5))
    return r0, r1


def compute_frame(
    item: QGraphicsItem,
    painter: QPainter,
    option: QStyleOptionGraphicsItem | None,
    n_rows: int,
    view_rect: QRectF | None,
) -> Frame | None:
    """The frame for painting ``item`` now; None when nothing is visible.

    ``view_rect`` is the view's visible rectangle in the item's (data) coordinates;
    it is intersected with the exposed rectangle when Qt repaints a strip only.
    """
    if view_rect is None or not view_rect.isValid():
        return None
    rect = view_rect.normalized()
    full = True
    if (
        option is not None
        and item.flags() & QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption
    ):
        exposed = option.exposedRect.normalized()
        if exposed.isValid() and not exposed.contains(rect):
            rect = rect.intersected(exposed)
            full = False
            if rect.isEmpty():
                return None
    st = item.sceneTransform()
    inv, ok = st.inverted()
    if not ok or st.m11() == 0 or st.m22() == 0:
        return None
    s2d = inv * painter.transform()
    dev_scale = math.hypot(s2d.m11(), s2d.m12()) or 1.0
    r0, r1 = _rows_in(rect.top(), rect.bottom(), n_rows)
    return Frame(
        x0=rect.left(),
        x1=rect.right(),
        r0=r0,
        r1=r1,
        sx=st.m11(),
        tx=st.dx(),
        sy=st.m22(),
        ty=st.dy(),
        clip=st.mapRect(rect),
        view=st.mapRect(view_rect.normalized()),
        px=1.0 / dev_scale,
        scene_to_device=s2d,
        full=full,
    )
