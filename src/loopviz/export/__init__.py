"""Pictures of a run for slides and bug reports: the timeline (PNG, SVG, PDF), the window.

Qt-using rendering lives here, apart from ``loopviz.model`` (which never imports
Qt); the Chrome trace export, which needs no drawing, stays in the model.
Importing this package does not load Qt: ``loopviz export --help`` and the
argument checks in :mod:`loopviz.export.options` work without a display. The
drawing functions are loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loopviz.export.options import ExportError, ImageFormat, TimelineOptions, format_for

if TYPE_CHECKING:
    from loopviz.export.timeline import TimelinePicture, export_timeline, timeline_image

__all__ = [
    "ExportError",
    "ImageFormat",
    "TimelineOptions",
    "TimelinePicture",
    "export_timeline",
    "format_for",
    "timeline_image",
]

_DRAWING = ("TimelinePicture", "export_timeline", "timeline_image")


def __getattr__(name: str) -> Any:
    if name in _DRAWING:
        from loopviz.export import timeline

        return getattr(timeline, name)
    raise AttributeError(name)
