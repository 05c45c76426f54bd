"""``loopviz export``: a picture of a run's timeline (or of the window) for slides.

Everything that can be checked without Qt is checked first (the output format,
the size, the range's syntax, the input file), so a typo fails at once with a
clear message; then the scenario is recorded if a ``.py`` was given, the range
is checked against the run, and Qt draws offscreen — no display needed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from loopviz.export.options import (
    ExportError,
    ImageFormat,
    TimelineOptions,
    check_instant,
    check_range,
    check_size,
    format_for,
    parse_range,
)

if TYPE_CHECKING:
    from loopviz.model import Recording

HELP = "draw a run's timeline (or the whole window) as a PNG, SVG or PDF picture, headless"
PROG = "loopviz export"
EPILOG = """\
examples:
  loopviz export scenarios/04_blocking_requests.py -o blocking.png --scale 2
  loopviz export run.lvz -o run.svg --range 0.5:1.5 --theme dark
  loopviz export run.lvz -o slide.png --width 3840 --height 2160 --title "Blocking requests"
  loopviz export run.lvz -o window.png --window --at 0.6
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source",
        metavar="SCENARIO.py|RUN.lvz",
        help="a scenario to record first, or a saved recording",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.png|OUT.svg|OUT.pdf",
        help="the picture to write; its extension picks the format",
    )
    parser.add_argument(
        "--width", type=int, metavar="W", help="exact width in pixels (with --height)"
    )
    parser.add_argument(
        "--height", type=int, metavar="H", help="exact height in pixels (with --width)"
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        metavar="S",
        help="pixels per point: 2 or 4 for crisp slides (default 1: 1280 pixels wide)",
    )
    parser.add_argument(
        "--range",
        metavar="START:END",
        help="the seconds to show, like 0.5:1.5 or 2: (default: the whole run)",
    )
    parser.add_argument("--at", type=float, metavar="T", help="draw the cursor at T seconds")
    parser.add_argument(
        "--window",
        action="store_true",
        help="a screenshot of the whole window at --at (PNG only) instead of the timeline",
    )
    parser.add_argument(
        "--panes",
        action="store_true",
        help="like --window, but only the timeline with the ready queue and tasks under it",
    )
    parser.add_argument(
        "--theme",
        choices=("light", "dark"),
        default="light",
        help="colours: light (default, for printed slides) or dark",
    )
    parser.add_argument("--title", metavar="TEXT", help="a title above the timeline")
    parser.add_argument("--no-legend", action="store_true", help="leave out the legend row")
    parser.add_argument(
        "--stall-ms",
        type=float,
        default=100.0,
        metavar="MS",
        help="when recording a scenario: a stall is a callback longer than this (default 100)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help="when recording: stop the scenario after S seconds",
    )
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.set_defaults(handler=run)


def fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 2


def run(opts: argparse.Namespace) -> int:
    try:
        fmt = format_for(opts.output)
        check_size(opts.width, opts.height, opts.scale)
        start, end = parse_range(opts.range) if opts.range else (None, None)
        screenshot = opts.window or opts.panes
        if screenshot and fmt is not ImageFormat.PNG:
            raise ExportError(
                "a window screenshot is a .png (the timeline alone can be SVG or PDF)"
            )
        source = Path(opts.source)
        if not source.exists():
            raise ExportError(f"no such file: {opts.source}")
        if not source.is_file() or source.suffix.lower() not in (".py", ".lvz"):
            raise ExportError(f"{opts.source} is not a scenario (.py) or a recording (.lvz)")
        out_dir = Path(opts.output).parent
        if not out_dir.is_dir():
            raise ExportError(f"cannot write {opts.output}: no such folder {out_dir}")
    except ExportError as exc:
        return fail(str(exc))
    recording = _recording(source, opts.stall_ms, opts.timeout)
    if isinstance(recording, int):
        return recording
    if recording.duration <= 0 or not any(
        len(c) for c in recording.slice_arrays().columns.values()
    ):
        print(f"{PROG}: {opts.source}: the run left nothing to draw", file=sys.stderr)
        return 1
    try:
        start, end = check_range(start, end, recording.duration)
        at = check_instant(opts.at, recording.duration)
    except ExportError as exc:
        return fail(str(exc))
    options = TimelineOptions(
        width=opts.width,
        height=opts.height,
        scale=opts.scale,
        start=start,
        end=end,
        at=at,
        dark=opts.theme == "dark",
        title=opts.title,
        legend=not opts.no_legend,
    )
    _prepare_qt(window_scale=opts.scale if screenshot else None)
    try:
        if screenshot:
            size = _export_window(recording, Path(opts.output), options, panes=opts.panes)
        else:
            size = _export_timeline(recording, Path(opts.output), options)
    except ExportError as exc:
        return fail(str(exc))
    print(f"saved: {opts.output} ({size})")
    return 0


def _recording(source: Path, stall_ms: float, timeout: float | None) -> Recording | int:
    """Load the .lvz, or record the scenario (its output is not echoed: only the picture)."""
    from loopviz.model import RecordingFileError, load

    if source.suffix.lower() == ".lvz":
        try:
            return load(source)
        except (RecordingFileError, OSError) as exc:
            return fail(f"{source}: {exc}")
    from loopviz.api import record

    if stall_ms <= 0:
        return fail("--stall-ms must be positive")
    if timeout is not None and timeout <= 0:
        return fail("--timeout must be positive")
    print(f"recording {source} …", file=sys.stderr)
    recording = record(source, stall_ms=stall_ms, timeout=timeout)
    outcome = recording.outcome
    if outcome is not None and outcome.outcome not in ("returned", "stopped", "timeout"):
        print(f"{PROG}: note: the scenario ended with: {outcome.detail}", file=sys.stderr)
    return recording


def _prepare_qt(window_scale: float | None) -> None:
    """Offscreen when there is no display; the window drawn at ``window_scale`` if given."""
    no_display = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    if no_display and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    if window_scale is not None and window_scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = f"{window_scale:g}"
    from loopviz.ui.app import create_application

    create_application()


def _export_timeline(recording: Recording, path: Path, options: TimelineOptions) -> str:
    from loopviz.export.picture import write_picture
    from loopviz.export.timeline import TimelinePicture

    with TimelinePicture(recording, options) as picture:
        title = options.title or "loopviz timeline"
        write_picture(path, format_for(path), picture.geometry, picture.paint, title)
        width, height = picture.geometry.pixel_size
    return f"{width}×{height}"


def _export_window(
    recording: Recording, path: Path, options: TimelineOptions, *, panes: bool
) -> str:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from loopviz.export.window_shot import WindowPart, show_recording_at, window_image
    from loopviz.ui.app import create_main_window
    from loopviz.ui.qt_messages import quiet_platform_noise

    with tempfile.TemporaryDirectory() as tmp, quiet_platform_noise():
        # Fresh settings: the picture shows the default layout, not the user's.
        settings = QSettings(str(Path(tmp) / "export.ini"), QSettings.Format.IniFormat)
        window = create_main_window(settings=settings)
        window.set_theme_mode("dark" if options.dark else "light")
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        if options.width is not None and options.height is not None:
            scale = options.scale
            window.resize(round(options.width / scale), round(options.height / scale))
        window.show()
        for _ in range(3):  # the first show lays out the docks in a zero-delay timer
            QApplication.processEvents()
        at = recording.duration if options.at is None else options.at
        show_recording_at(window, recording, at)
        QApplication.processEvents()
        image = window_image(window, WindowPart.PANES if panes else WindowPart.WHOLE)
        window.live.shutdown()
        window.close()
        if not image.save(str(path), "PNG"):
            raise ExportError(f"cannot write {path}")
    return f"{image.width()}×{image.height()}"
