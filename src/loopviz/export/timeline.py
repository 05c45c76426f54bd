"""The timeline as a picture: an optional title over the chart, in PNG, SVG or PDF.

``export_timeline(recording, "run.png", TimelineOptions(scale=2))`` is all a
caller needs; :func:`timeline_image` gives the same picture as a ``QImage``
(the clipboard). Arguments are checked against the run first, so a range
outside it fails before anything is drawn.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from loopviz.export.chart import ExportChart, export_font
from loopviz.export.options import (
    Geometry,
    TimelineOptions,
    check_instant,
    check_range,
    check_size,
    format_for,
    geometry,
)
from loopviz.export.picture import fill, to_image, write_picture
from loopviz.model import Recording

TITLE_SCALE = 1.35  # the title's font, relative to the chart's
TITLE_PAD = 10.0  # logical pixels above and below the title


def checked(options: TimelineOptions, recording: Recording) -> TimelineOptions:
    """``options`` with the range and cursor checked against the run (ExportError if bad)."""
    check_size(options.width, options.height, options.scale)
    start, end = check_range(options.start, options.end, recording.duration)
    return replace(options, start=start, end=end, at=check_instant(options.at, recording.duration))


def title_font() -> QFont:
    font = export_font()
    font.setPointSizeF(font.pointSizeF() * TITLE_SCALE)
    font.setBold(True)
    return font


def title_height(title: str | None) -> float:
    if not title:
        return 0.0
    return QFontMetricsF(title_font()).height() + 2 * TITLE_PAD


class TimelinePicture:
    """A recording's chart laid out for one picture; paint it with :meth:`paint`."""

    def __init__(self, recording: Recording, options: TimelineOptions) -> None:
        self.options = checked(options, recording)
        self.chart = ExportChart(recording, dark=options.dark, legend=options.legend)
        band = title_height(options.title)
        self.geometry: Geometry = geometry(self.options, self.chart.fitted_height() + band)
        self.band = band
        self.chart.set_size(self.geometry.logical_width, self.geometry.logical_height - band)
        self.chart.set_range(self.options.start, self.options.end)
        self.chart.set_cursor(self.options.at)

    def paint(self, painter: QPainter) -> None:
        """Paint in logical pixels: background, title, chart."""
        palette = self.chart.view.gantt_palette
        fill(painter, self.geometry, QColor(palette.background))
        width = self.geometry.logical_width
        if self.options.title:
            painter.save()
            painter.setFont(title_font())
            painter.setPen(QColor(palette.foreground))
            rect = QRectF(12.0, 0.0, width - 24.0, self.band)
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(rect, int(flags), self.options.title)
            painter.restore()
        target = QRectF(0.0, self.band, width, self.geometry.logical_height - self.band)
        self.chart.view.paint_to(painter, target)

    def close(self) -> None:
        self.chart.close()

    def __enter__(self) -> TimelinePicture:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def timeline_image(recording: Recording, options: TimelineOptions) -> QImage:
    """The timeline as an image (for the clipboard, or to look at in a test)."""
    with TimelinePicture(recording, options) as picture:
        return to_image(picture.geometry, picture.paint)


def export_timeline(
    recording: Recording, path: str | Path, options: TimelineOptions | None = None
) -> Path:
    """Write the timeline to ``path``; its extension picks PNG, SVG or PDF."""
    fmt = format_for(path)
    with TimelinePicture(recording, options or TimelineOptions()) as picture:
        title = picture.options.title or "loopviz timeline"
        return write_picture(path, fmt, picture.geometry, picture.paint, title)
