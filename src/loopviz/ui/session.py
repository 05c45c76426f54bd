"""What loopviz remembers between runs: theme, geometry, dock layout, last scenario.

Text size is remembered twice: the desk view's (code and console) and the
presenter view's (every pane). Closing the window in the presenter view saves
the desk view's layout and geometry, which the presenter view set aside: the
next start is at the desk, and F11 brings the presenter view back.

Values go through :mod:`loopviz.ui.settings`, so tests that set
``LOOPVIZ_SETTINGS_DIR`` (or pass a ``QSettings``) never touch the user's store.
A bad or missing value is ignored: the defaults are always a working window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

from loopviz.catalog import bundled_scenarios_dir
from loopviz.ui.fonts import CODE_POINT_SIZE, PRESENTER_POINT_SIZE, clamp_presenter_size
from loopviz.ui.settings import (
    KEY_CODE_FONT_SIZE,
    KEY_GEOMETRY,
    KEY_LAST_OPEN_DIR,
    KEY_LAST_SCENARIO,
    KEY_PRESENTER_FONT_SIZE,
    KEY_STATE,
    KEY_THEME,
    read_int,
    read_str,
)
from loopviz.ui.theme import ThemeMode

if TYPE_CHECKING:
    from loopviz.ui.main_window import MainWindow

STATE_VERSION = 4  # bump when docks are added/renamed so an old layout is not restored


def theme_mode(settings: QSettings) -> ThemeMode:
    try:
        return ThemeMode(read_str(settings, KEY_THEME, ThemeMode.SYSTEM.value))
    except ValueError:
        return ThemeMode.SYSTEM


def presenter_point_size(settings: QSettings) -> float:
    """The presenter view's text size, as last left with Ctrl+plus / Ctrl+minus."""
    return clamp_presenter_size(read_int(settings, KEY_PRESENTER_FONT_SIZE, PRESENTER_POINT_SIZE))


def open_dir(settings: QSettings) -> Path:
    """Where File › Open starts: the last folder used, else the bundled scenarios."""
    saved = read_str(settings, KEY_LAST_OPEN_DIR)
    if saved and Path(saved).is_dir():
        return Path(saved)
    return bundled_scenarios_dir()


def remember_open_dir(settings: QSettings, directory: Path) -> None:
    settings.setValue(KEY_LAST_OPEN_DIR, str(directory))


def _bytes(settings: QSettings, key: str) -> QByteArray | None:
    value = settings.value(key)
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, bytes) and value:
        return QByteArray(value)
    return None


def restore(window: MainWindow) -> bool:
    """Apply saved settings to a freshly built window; True if a dock layout was restored.

    The theme is not here: the window reads it before building its panes (``theme_mode``).
    """
    settings = window.settings
    window.set_code_point_size(read_int(settings, KEY_CODE_FONT_SIZE, CODE_POINT_SIZE))
    geometry = _bytes(settings, KEY_GEOMETRY)
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = _bytes(settings, KEY_STATE)
    restored = state is not None and window.restoreState(state, STATE_VERSION)
    last = read_str(settings, KEY_LAST_SCENARIO)
    if last and Path(last).is_file():
        window.select_scenario(Path(last))
    return restored


def save(window: MainWindow) -> None:
    """Write the window's state; called from ``closeEvent``."""
    settings = window.settings
    presenter = getattr(window, "presenter", None)  # None until install_presenter ran
    desk = presenter.desk_view() if presenter is not None else None
    settings.setValue(KEY_THEME, window.theme.mode.value)
    code_size = desk.code_point_size if desk is not None else window.code_point_size
    settings.setValue(KEY_CODE_FONT_SIZE, int(code_size))
    if presenter is not None:
        settings.setValue(KEY_PRESENTER_FONT_SIZE, int(presenter.text_size))
    settings.setValue(KEY_GEOMETRY, desk.geometry if desk is not None else window.saveGeometry())
    state = desk.state if desk is not None else window.saveState(STATE_VERSION)
    settings.setValue(KEY_STATE, state)
    scenario = window.current_scenario
    settings.setValue(KEY_LAST_SCENARIO, str(scenario.path) if scenario is not None else "")
    settings.sync()
