"""The application icon, loaded from the assets directory.

The SVG is the source of truth; ``loopviz.png`` is rendered from it by
:func:`render_svg_png` (``python -m loopviz.ui.icons``) for places that cannot
read SVG (desktop files, the README). If the SVG plugin is missing, the PNG is used.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from loopviz.catalog import assets_dir

ICON_SVG = "loopviz.svg"
ICON_PNG = "loopviz.png"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_path(name: str = ICON_SVG) -> Path:
    return assets_dir() / name


def render_svg_image(svg: Path, size: int) -> QImage:
    """Render ``svg`` into a transparent ``size``×``size`` image."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"not a valid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def render_svg_png(svg: Path, png: Path, size: int = 256) -> None:
    """Write ``png`` rendered from ``svg`` (needs a QGuiApplication)."""
    if not render_svg_image(svg, size).save(str(png)):
        raise OSError(f"could not write {png}")


def app_icon() -> QIcon:
    """The window icon: rendered SVG at the usual sizes, else the PNG, else empty."""
    svg, png = icon_path(ICON_SVG), icon_path(ICON_PNG)
    icon = QIcon()
    if svg.is_file():
        try:
            for size in ICON_SIZES:
                icon.addPixmap(_pixmap(render_svg_image(svg, size)))
        except ValueError:
            icon = QIcon()
    if icon.isNull() and png.is_file():
        icon = QIcon(str(png))
    return icon


def _pixmap(image: QImage) -> QPixmap:
    return QPixmap.fromImage(image)


def main() -> int:
    """Re-render ``assets/loopviz.png`` from ``assets/loopviz.svg``."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    render_svg_png(icon_path(ICON_SVG), icon_path(ICON_PNG), 256)
    print(f"wrote {icon_path(ICON_PNG)}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
