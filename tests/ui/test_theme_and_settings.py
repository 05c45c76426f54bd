"""Themes (System / Light / Dark) and what loopviz remembers between runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from loopviz.ui.app import create_main_window
from loopviz.ui.fonts import MIN_PRESENTER_POINT_SIZE, PRESENTER_POINT_SIZE
from loopviz.ui.session import presenter_point_size
from loopviz.ui.settings import KEY_PRESENTER_FONT_SIZE, make_settings
from loopviz.ui.theme import (
    DARK,
    HIGH_CONTRAST_DARK,
    HIGH_CONTRAST_LIGHT,
    LIGHT,
    ThemeMode,
    resolve,
    uses_fusion,
)


def window_color() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.Window)


def test_dark_and_light_themes_recolour_the_app_plot_and_code(window) -> None:
    window.app_actions.theme_dark.trigger()
    assert window.theme.mode is ThemeMode.DARK and window.app_actions.theme_dark.isChecked()
    assert window_color() == QColor(DARK.window)
    assert window_color().lightness() < 80
    assert window.gantt.plot.backgroundBrush().color() == QColor(DARK.plot_background)
    assert uses_fusion(QApplication.instance())

    window.app_actions.theme_light.trigger()
    assert window_color() == QColor(LIGHT.window)
    assert window_color().lightness() > 200
    assert window.gantt.plot.backgroundBrush().color() == QColor(LIGHT.plot_background)


def test_system_theme_follows_the_desktop_scheme(window) -> None:
    window.app_actions.theme_system.trigger()
    assert window.theme.mode is ThemeMode.SYSTEM
    # Offscreen Qt reports no preference, which means light.
    assert window.theme.theme in (LIGHT, DARK)


def test_theme_scenario_and_text_size_are_remembered(qtbot, settings: QSettings) -> None:
    first = create_main_window(settings=settings)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.set_theme_mode(ThemeMode.DARK)
    first.scenario_list.select_row(1)
    chosen = first.current_scenario
    first.set_code_point_size(17)
    first.docks.tasks.close()
    first.close()

    second = create_main_window(settings=settings)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.theme.mode is ThemeMode.DARK
    assert second.app_actions.theme_dark.isChecked()
    assert second.current_scenario == chosen
    assert second.code_point_size == 17
    assert not second.docks.tasks.isVisible(), "dock layout restored"
    second.set_theme_mode(ThemeMode.SYSTEM)
    second.close()


def test_an_opened_file_is_reselected_next_time(qtbot, settings: QSettings, tmp_path: Path):
    path = tmp_path / "mine.py"
    path.write_text('"""Mine"""\n', encoding="utf-8")
    first = create_main_window(path, settings=settings)
    qtbot.addWidget(first)
    assert first.current_scenario is not None and first.current_scenario.path == path
    first.close()
    second = create_main_window(settings=settings)
    qtbot.addWidget(second)
    assert second.current_scenario is not None and second.current_scenario.path == path
    second.close()


def test_settings_go_to_the_directory_from_the_environment(isolated_settings_dir: Path):
    store = make_settings()
    assert Path(store.fileName()) == isolated_settings_dir / "loopviz.ini"
    assert store.format() == QSettings.Format.IniFormat


def test_a_window_without_explicit_settings_stays_in_the_test_directory(
    qtbot, isolated_settings_dir: Path
) -> None:
    win = create_main_window()
    qtbot.addWidget(win)
    assert Path(win.settings.fileName()).parent == isolated_settings_dir
    win.close()
    assert (isolated_settings_dir / "loopviz.ini").is_file()


def test_garbage_in_the_settings_falls_back_to_defaults(qtbot, settings: QSettings) -> None:
    settings.setValue("view/theme", "purple")
    settings.setValue("view/code_font_size", "huge")
    settings.setValue("window/state", "not bytes")
    settings.setValue("scenario/last", "/nonexistent/file.py")
    win = create_main_window(settings=settings)
    qtbot.addWidget(win)
    assert win.theme.mode is ThemeMode.SYSTEM
    assert win.current_scenario is None
    win.close()


def test_high_contrast_variants_keep_the_modes_light_or_dark_and_maximise_contrast() -> None:
    assert resolve(ThemeMode.LIGHT, high_contrast=True) is HIGH_CONTRAST_LIGHT
    assert resolve(ThemeMode.DARK, high_contrast=True) is HIGH_CONTRAST_DARK
    assert resolve(ThemeMode.DARK) is DARK
    for theme in (HIGH_CONTRAST_LIGHT, HIGH_CONTRAST_DARK):
        text, base = QColor(theme.text), QColor(theme.base)
        assert abs(text.lightness() - base.lightness()) == 255, theme.name  # black and white
        assert theme.high_contrast
    assert not LIGHT.high_contrast and not DARK.high_contrast


def test_a_bad_presenter_text_size_in_the_settings_falls_back(settings: QSettings) -> None:
    settings.setValue(KEY_PRESENTER_FONT_SIZE, "huge")
    assert presenter_point_size(settings) == PRESENTER_POINT_SIZE
    settings.setValue(KEY_PRESENTER_FONT_SIZE, 3)
    assert presenter_point_size(settings) == MIN_PRESENTER_POINT_SIZE
