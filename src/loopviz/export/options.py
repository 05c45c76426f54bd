"""What a timeline picture should be: format, size, time range, cursor, looks.

Kept free of Qt so the command line can check its arguments (and fail with a
clear message) before it pays for starting Qt or recording a scenario.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

LOGICAL_WIDTH = 1280.0
"""Width of a picture at scale 1×: the chart's text is sized for a slide of this width."""
MAX_LOGICAL_WIDTH = 1600.0
"""An exact size wider than this is drawn at a larger scale, so its text stays readable."""
MAX_PIXELS = 16384
"""Qt's raster images cannot be larger than this on a side (and slides need far less)."""


class ExportError(ValueError):
    """Bad export arguments, in words a user can act on."""


class ImageFormat(StrEnum):
    PNG = "png"
    SVG = "svg"
    PDF = "pdf"


def format_for(path: str | Path) -> ImageFormat:
    """The picture format named by a file's extension (``.png``, ``.svg``, ``.pdf``)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    try:
        return ImageFormat(suffix)
    except ValueError:
        known = ", ".join(f".{f.value}" for f in ImageFormat)
        shown = f".{suffix}" if suffix else "no extension"
        raise ExportError(f"unknown picture format ({shown}) for {path}: use {known}") from None


@dataclass(frozen=True)
class TimelineOptions:
    """One export of the timeline (times in seconds from the start of the run).

    ``width``/``height`` are the picture's pixels (PNG) or its size in CSS pixels
    (SVG, and PDF at 96 dpi); None for both means "from ``scale``": 1280 × ``scale``
    pixels wide, as tall as the lanes need. Text is laid out for a picture 1280 to
    1600 pixels wide and scaled with it, so it reads the same at any size.
    ``start``/``end`` None means that end of the whole run.
    """

    width: int | None = None
    height: int | None = None
    scale: float = 1.0
    start: float | None = None
    end: float | None = None
    at: float | None = None  # the cursor line
    dark: bool = False
    title: str | None = None
    legend: bool = True


def parse_range(text: str) -> tuple[float | None, float | None]:
    """``"0.5:1.5"`` → (0.5, 1.5); either side may be left empty (``"1:"``, ``":2"``)."""
    start_text, sep, end_text = text.partition(":")
    if not sep:
        raise ExportError(f"--range takes START:END in seconds (like 0.5:1.5), not {text!r}")
    try:
        start = float(start_text) if start_text.strip() else None
        end = float(end_text) if end_text.strip() else None
    except ValueError:
        raise ExportError(
            f"--range takes START:END in seconds (like 0.5:1.5), not {text!r}"
        ) from None
    for value in (start, end):
        if value is not None and not math.isfinite(value):
            raise ExportError(f"--range must be finite seconds, not {text!r}")
    if start is not None and end is not None and end <= start:
        raise ExportError(f"--range {text} is empty: the end must come after the start")
    return start, end


def check_range(
    start: float | None, end: float | None, duration: float
) -> tuple[float | None, float | None]:
    """Reject a range that is not inside the run (0 s to ``duration``), or is empty."""
    slack = max(1e-6, duration * 1e-3)
    run = f"the run lasts 0 s to {duration:.6g} s"
    lo = 0.0 if start is None else start
    hi = duration if end is None else end
    if lo < -slack or hi > duration + slack:
        raise ExportError(f"the range {lo:g}:{hi:g} s is outside the run: {run}")
    if hi <= lo:
        raise ExportError(f"the range {lo:g}:{hi:g} s is empty: the end must come after the start")
    return start, end


def check_instant(at: float | None, duration: float) -> float | None:
    """Reject a cursor time outside the run."""
    if at is None:
        return None
    slack = max(1e-6, duration * 1e-3)
    if not math.isfinite(at) or at < -slack or at > duration + slack:
        raise ExportError(f"--at {at:g} is outside the run: the run lasts 0 s to {duration:.6g} s")
    return min(max(at, 0.0), duration)


def check_size(width: int | None, height: int | None, scale: float) -> None:
    """Width and height together or not at all; positive; not beyond what Qt can draw."""
    if (width is None) != (height is None):
        raise ExportError("give --width and --height together (or --scale alone)")
    if not math.isfinite(scale) or not 0.25 <= scale <= 8:
        raise ExportError(f"--scale must be between 0.25 and 8, not {scale:g}")
    for name, value in (("width", width), ("height", height)):
        if value is not None and not 16 <= value <= MAX_PIXELS:
            raise ExportError(f"--{name} must be between 16 and {MAX_PIXELS} pixels, not {value}")


@dataclass(frozen=True)
class Geometry:
    """How a picture maps to the chart: ``logical`` size drawn at ``scale`` device px each."""

    logical_width: float
    logical_height: float
    scale: float

    @property
    def pixel_size(self) -> tuple[int, int]:
        return round(self.logical_width * self.scale), round(self.logical_height * self.scale)


def geometry(options: TimelineOptions, fitted_height: float) -> Geometry:
    """The picture's geometry: exact pixels if asked, else 1280 wide × ``fitted_height`` tall."""
    if options.width is not None and options.height is not None:
        scale = max(1.0, options.width / MAX_LOGICAL_WIDTH)
        return Geometry(options.width / scale, options.height / scale, scale)
    scale = options.scale
    pixels = max(LOGICAL_WIDTH, fitted_height) * scale
    if pixels > MAX_PIXELS:
        scale *= MAX_PIXELS / pixels
    return Geometry(LOGICAL_WIDTH, fitted_height, scale)
