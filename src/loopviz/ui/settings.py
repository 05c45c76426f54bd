"""Where loopviz keeps its preferences, and how tests keep away from the user's.

Theme, window geometry, dock layout and the last scenario are stored with
``QSettings``. By default that is the platform's native store for the
organisation/application "loopviz". Two ways keep tests (and demos) isolated:

* pass a ``QSettings`` object to the main window, or
* set ``LOOPVIZ_SETTINGS_DIR``: settings then live in ``$LOOPVIZ_SETTINGS_DIR/loopviz.ini``.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

SETTINGS_DIR_ENV = "LOOPVIZ_SETTINGS_DIR"

KEY_THEME = "view/theme"
KEY_CODE_FONT_SIZE = "view/code_font_size"
KEY_PRESENTER_FONT_SIZE = "presenter/font_size"
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_LAST_SCENARIO = "scenario/last"
KEY_LAST_OPEN_DIR = "scenario/last_open_dir"


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
