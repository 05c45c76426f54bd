"""Write one picture — painted in logical pixels — as PNG, SVG or PDF.

Why one painting function for three devices: the slide, the handout and the
bug report must show the same thing. PNG paints it into an image with a device
pixel ratio, as on a high-DPI screen (text and bars are drawn at the device
resolution, so 2× and 4× stay crisp);
SVG and PDF get the same calls as vectors: ``QSvgGenerator`` (pyqtgraph's own
SVG exporter is broken with current PySide6, NOTES.md) and ``QPdfWriter`` with a
page exactly the picture's size.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from loopviz.export.options import ExportError, Geometry, ImageFormat

Paint = Callable[[QPainter], None]
"""Paints the picture in logical pixels, from (0, 0) to the geometry's logical size."""
SVG_DPI = 96  # CSS pixels: a browser shows the SVG at its logical size


def _begin(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)


def to_image(geometry: Geometry, paint: Paint) -> QImage:
    """The picture as an image of ``geometry.pixel_size`` pixels."""
    width, height = geometry.pixel_size
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ExportError(f"a {width}×{height} picture is too large to draw")
    # Drawn as on a high-DPI screen: the chart sizes its markers and snaps its bars in
    # device pixels, so a scaled painter would shrink them; a pixel ratio does not.
    image.setDevicePixelRatio(width / geometry.logical_width)
    painter = QPainter(image)
    try:
        _begin(painter)
        paint(painter)
    finally:
        painter.end()
    return image


def write_svg(path: Path, geometry: Geometry, paint: Paint, title: str) -> None:
    """Vector shapes and text; shown ``geometry.pixel_size`` CSS pixels large."""
    w, h = round(geometry.logical_width), round(geometry.logical_height)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(*geometry.pixel_size))
    generator.setViewBox(QRect(0, 0, w, h))
    generator.setResolution(SVG_DPI)
    generator.setTitle(title)
    generator.setDescription("A timeline exported by loopviz")
    painter = QPainter()
    if not painter.begin(generator):
        raise ExportError(f"cannot write {path}")
    try:
        _begin(painter)
        paint(painter)
    finally:
        painter.end()
    _add_generic_font(path)


def _add_generic_font(path: Path) -> None:
    """``font-family="DejaVu Sans"`` → ``"DejaVu Sans, sans-serif"``.

    Qt names the exact family; a browser without it would fall back to a serif font.
    """
    text = path.read_text(encoding="utf-8")
    text = _FAMILY.sub(lambda m: f'font-family="{m.group(1)}, sans-serif"', text)
    path.write_text(text, encoding="utf-8")


_FAMILY = re.compile(r'font-family="([^",]*)"')


def write_pdf(path: Path, geometry: Geometry, paint: Paint, title: str) -> None:
    """One vector page exactly the picture's size (``geometry.pixel_size`` at 96 dpi)."""
    w, h = geometry.logical_width, geometry.logical_height
    pw, ph = geometry.pixel_size
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("loopviz")
    writer.setResolution(SVG_DPI)
    size = QPageSize(QSizeF(pw * 72 / SVG_DPI, ph * 72 / SVG_DPI), QPageSize.Unit.Point, "loopviz")
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError(f"cannot write {path}")
    try:
        _begin(painter)
        # The page's paintable rectangle in device pixels at 96 dpi: the picture's size.
        page = writer.pageLayout().paintRectPixels(SVG_DPI)
        painter.scale(page.width() / w, page.height() / h)
        paint(painter)
    finally:
        painter.end()


def write_picture(
    path: str | Path, fmt: ImageFormat, geometry: Geometry, paint: Paint, title: str = "loopviz"
) -> Path:
    """Paint into ``path`` in ``fmt``; a clear :class:`ExportError` if it cannot be written."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: no such folder {path.parent}")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")
    if fmt is ImageFormat.PNG:
        image = to_image(geometry, paint)
        if not image.save(str(path), "PNG"):
            raise ExportError(f"cannot write {path}")
    elif fmt is ImageFormat.SVG:
        write_svg(path, geometry, paint, title)
    else:
        write_pdf(path, geometry, paint, title)
    if not path.is_file():
        raise ExportError(f"cannot write {path}")
    return path


def fill(painter: QPainter, geometry: Geometry, color) -> None:
    """The picture's background, edge to edge (a browser would show SVG gaps as white)."""
    painter.fillRect(QRectF(0, 0, geometry.logical_width, geometry.logical_height), color)
