"""Where loopviz keeps its preferences, and how tests keep away from the user's.

Theme, window geometry, dock layout, the last scenario and the recording limits
(Run › Recording limits…) are stored with
``QSettings``. By default that is the platform's native store for the
organisation/application "loopviz". Two ways keep tests (and demos) isolated:

* pass a ``QSettings`` object to the main window, or
* set ``LOOPVIZ_SETTINGS_DIR``: settings then live in ``$LOOPVIZ_SETTINGS_DIR/loopviz.ini``.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from loopviz.ui.recording_limits import (
    MAX_EVENTS,
    MAX_LINES,
    MIN_EVENTS,
    MIN_LINES,
    RecordingLimits,
    default_limits,
)

SETTINGS_DIR_ENV = "LOOPVIZ_SETTINGS_DIR"

KEY_THEME = "view/theme"
KEY_CODE_FONT_SIZE = "view/code_font_size"
KEY_PRESENTER_FONT_SIZE = "presenter/font_size"
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_LAST_SCENARIO = "scenario/last"
KEY_LAST_OPEN_DIR = "scenario/last_open_dir"
KEY_MAX_EVENTS = "recording/max_events"
KEY_MAX_OUTPUT_LINES = "recording/max_output_lines"
NO_LIMIT = 0
"""Stored for "no limit" (a figure, so every settings backend keeps it)."""


def make_settings() -> QSettings:
    """Return the settings store: an INI file if ``LOOPVIZ_SETTINGS_DIR`` is set, else native."""
    directory = os.environ.get(SETTINGS_DIR_ENV, "").strip()
    if directory:
        path = Path(directory) / "loopviz.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings("loopviz", "loopviz")


def read_str(settings: QSettings, key: str, default: str = "") -> str:
    """Read a string; QSettings returns whatever type the backend stored, so coerce."""
    value = settings.value(key, default)
    return value if isinstance(value, str) else default


def read_int(settings: QSettings, key: str, default: int) -> int:
    """Read an int; INI files give strings back, native stores may give ints."""
    value = settings.value(key, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def read_limits(settings: QSettings, memory: int | None) -> RecordingLimits:
    """The recording limits saved by the dialog; defaults for ``memory`` bytes of RAM where
    nothing (or nonsense, from a hand-edited file) is stored. Figures out of range are
    brought back into it rather than thrown away."""
    default = default_limits(memory)
    return RecordingLimits(
        _read_cap(settings, KEY_MAX_EVENTS, default.max_events, MIN_EVENTS, MAX_EVENTS),
        _read_cap(settings, KEY_MAX_OUTPUT_LINES, default.max_output_lines, MIN_LINES, MAX_LINES),
    )


def write_limits(settings: QSettings, limits: RecordingLimits) -> None:
    """Remember ``limits`` for the next start (and the next run)."""
    for key, value in (
        (KEY_MAX_EVENTS, limits.max_events),
        (KEY_MAX_OUTPUT_LINES, limits.max_output_lines),
    ):
        settings.setValue(key, NO_LIMIT if value is None else int(value))
    settings.sync()


def _read_cap(
    settings: QSettings, key: str, default: int | None, low: int, high: int
) -> int | None:
    if not settings.contains(key):
        return default
    value = read_int(settings, key, -1)
    if value == NO_LIMIT:
        return None
    if value < 0:
        return default
    return min(max(value, low), high)
