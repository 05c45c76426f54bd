"""The main window: panes in docks around the timeline, menus, status bar.

The window is a thin composition: each pane is its own widget in its own module,
actions come from :mod:`~loopviz.ui.actions`, the layout from :mod:`~loopviz.ui.layout`
and persistence from :mod:`~loopviz.ui.session`. What is left here is wiring:
a selected scenario flows one way, list → window → source pane, title, status bar.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QIcon, QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QVBoxLayout, QWidget

from loopviz.catalog import ScenarioInfo, list_scenarios, read_scenario
from loopviz.ui import session
from loopviz.ui.actions import AppActions, create_actions
from loopviz.ui.console_view import ConsoleView
from loopviz.ui.coroutines_pane import CoroutinesPane
from loopviz.ui.dialogs import AboutDialog, ShortcutsDialog
from loopviz.ui.docks import make_dock
from loopviz.ui.export_menu import install_export_menu
from loopviz.ui.file_dialogs import choose_scenario_file, report_unreadable
from loopviz.ui.fonts import CODE_POINT_SIZE, clamp_code_size, clamp_presenter_size
from loopviz.ui.futures_table import FuturesPane
from loopviz.ui.gantt_pane import GanttPane
from loopviz.ui.icons import app_icon
from loopviz.ui.layout import PaneDocks, apply_default_sizes, arrange
from loopviz.ui.lecture.controller import LectureController
from loopviz.ui.lecture.cursor import TimeCursor
from loopviz.ui.lecture.files import open_recording_dialog, save_recording_dialog
from loopviz.ui.lecture.scrubber import Scrubber
from loopviz.ui.limits_menu import install_recording_limits
from loopviz.ui.live_views import LiveViews
from loopviz.ui.media_icons import media_icon
from loopviz.ui.menus import build_menu_bar
from loopviz.ui.presenter import install_presenter
from loopviz.ui.presenter_style import style_chart
from loopviz.ui.ready_queue_pane import ReadyQueuePane
from loopviz.ui.scenario_labels import display_title, plain_title
from loopviz.ui.scenario_list import ScenarioList
from loopviz.ui.settings import make_settings
from loopviz.ui.shortcuts import shortcut_rows
from loopviz.ui.source_view import SourcePane
from loopviz.ui.stall_banner import StallBanner, banner_above
from loopviz.ui.tasks_table import TasksPane
from loopviz.ui.theme import Theme, ThemeController, ThemeMode
from loopviz.ui.timeline_menu import install_timeline_menu

APP_TITLE = "loopviz"
READY_NO_SCENARIO = "Ready — pick a scenario and press F5"
READY_WITH_SCENARIO = "Ready — press F5 to run the selected scenario"
GANTT_HINT_NO_SCENARIO = "Pick a scenario, then press F5 to run it"
GANTT_HINT = "Press F5 to run the selected scenario"
DEFAULT_SIZE = (1400, 900)


def default_window_size(window: QWidget) -> QSize:
    """1400×900, shrunk to fit a smaller real screen (offscreen renders keep the full size)."""
    size = QSize(*DEFAULT_SIZE)
    screen = window.screen()
    if screen is None or QGuiApplication.platformName() in ("offscreen", "minimal"):
        return size
    available = screen.availableGeometry().size() * 0.94
    return size.boundedTo(available)


class MainWindow(QMainWindow):
    """loopviz's window. Build it with :func:`loopviz.ui.app.create_main_window`."""

    scenario_changed = Signal(object)  # ScenarioInfo | None
    recording_shown = Signal(object)  # Recording | None: a run started, or a file was opened

    def __init__(
        self,
        settings: QSettings | None = None,
        scenarios: list[ScenarioInfo] | None = None,
        icon: QIcon | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.settings = settings if settings is not None else make_settings()
        self.icon = icon if icon is not None else app_icon()
        self.setWindowIcon(self.icon)
        self.setWindowTitle(APP_TITLE)
        self.resize(default_window_size(self))
        self.setDockNestingEnabled(True)
        self.theme = ThemeController(session.theme_mode(self.settings), parent=self)
        theme = self.theme.theme

        self.scenario_list = ScenarioList(self, theme)
        self.gantt = GanttPane(self, theme)
        self.ready_queue = ReadyQueuePane(self, theme)
        self.tasks = TasksPane(self, theme)
        self.futures = FuturesPane(self, theme)
        self.coroutines = CoroutinesPane(self, theme)
        self.source = SourcePane(self, theme)
        self.console = ConsoleView(self, theme)
        self.stall_banner = StallBanner(self, theme)
        self.time_cursor = TimeCursor(self)
        """The instant every pane shows (None: live); lecture mode moves it."""
        self.scrubber = Scrubber(self, theme)
        self.setCentralWidget(banner_above(self.stall_banner, self._timeline_with_scrubber(), self))
        self.docks = PaneDocks(
            scenarios=make_dock("Scenarios", "ScenariosDock", self.scenario_list, self),
            source=make_dock("Source", "SourceDock", self.source, self),
            ready_queue=make_dock("Ready queue", "ReadyQueueDock", self.ready_queue, self),
            tasks=make_dock("Tasks", "TasksDock", self.tasks, self),
            console=make_dock("Console", "ConsoleDock", self.console, self),
            futures=make_dock("Futures", "FuturesDock", self.futures, self),
            coroutines=make_dock("Coroutines", "CoroutinesDock", self.coroutines, self),
        )
        arrange(self, self.docks)

        self.app_actions: AppActions = create_actions(self)
        build_menu_bar(self.menuBar(), self.app_actions, self.docks.in_order())
        self.addActions(self.app_actions.all())  # shortcuts keep working in full screen
        self._build_toolbar()
        self._build_status_bar()
        self._connect()
        self.code_point_size = float(CODE_POINT_SIZE)
        self.dialog: QDialog | None = None
        self._shown_once = False

        self.theme.apply()
        self.app_actions.theme_action(self.theme.mode).setChecked(True)
        self.scenario_list.set_scenarios(self._bundled(scenarios))
        self._show_scenario(None)
        self._layout_restored = session.restore(self)
        self.live = LiveViews(self)
        self.recording_limits = install_recording_limits(self)
        self.exports = install_export_menu(self)
        self.lecture = LectureController(self)
        self.timeline_menu = install_timeline_menu(self)
        self.presenter = install_presenter(self)

    # -- construction -------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        """Run and Stop within reach of the mouse (F5 / Shift+F5 from the keyboard)."""
        bar = self.addToolBar("Run")
        bar.setObjectName("RunToolBar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._set_toolbar_icons(self.theme.theme)
        bar.addAction(self.app_actions.run)
        bar.addAction(self.app_actions.stop)
        self.toolbar = bar

    def _set_toolbar_icons(self, theme: Theme) -> None:
        """Drawn in the theme's text colour: QStyle's grey glyphs vanish on dark themes."""
        self.app_actions.run.setIcon(media_icon("play", theme))
        self.app_actions.stop.setIcon(media_icon("stop", theme))

    def _timeline_with_scrubber(self) -> QWidget:
        """The timeline over the scrubber (caption, play, slider, speed): both span the centre."""
        holder = QWidget(self)
        holder.setObjectName("TimelineHolder")
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.gantt, 1)
        layout.addWidget(self.scrubber)
        return holder

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(True)
        self.status_text = QLabel(READY_NO_SCENARIO, self)
        self.status_text.setObjectName("StatusText")
        self.status_scenario = QLabel("No scenario selected", self)
        self.status_scenario.setObjectName("StatusScenario")
        bar.addWidget(self.status_text, 1)
        bar.addPermanentWidget(self.status_scenario)

    def _connect(self) -> None:
        a = self.app_actions
        a.open_scenario.triggered.connect(self.open_scenario_dialog)
        a.open_recording.triggered.connect(lambda: open_recording_dialog(self))
        a.save_recording.triggered.connect(lambda: save_recording_dialog(self))
        a.quit.triggered.connect(self.close)
        a.theme_group.triggered.connect(lambda action: self.set_theme_mode(action.data()))
        a.larger_text.triggered.connect(lambda: self.set_code_point_size(self.code_point_size + 1))
        a.smaller_text.triggered.connect(lambda: self.set_code_point_size(self.code_point_size - 1))
        a.default_text.triggered.connect(lambda: self.set_code_point_size(CODE_POINT_SIZE))
        a.full_screen.toggled.connect(self.set_full_screen)
        a.reset_layout.triggered.connect(self.reset_layout)
        a.about.triggered.connect(self.show_about)
        a.shortcuts.triggered.connect(self.show_shortcuts)
        self.scenario_list.scenario_selected.connect(self._show_scenario)
        self.console.locationActivated.connect(self.source.reveal)
        self.stall_banner.locationActivated.connect(self.source.reveal)
        self.theme.changed.connect(self._apply_theme)
        self.theme.changed.connect(self.scrubber.set_theme)

    def _bundled(self, scenarios: list[ScenarioInfo] | None) -> list[ScenarioInfo]:
        if scenarios is not None:
            return scenarios
        try:
            return list_scenarios()
        except OSError as exc:
            # Said in the list's empty state: status-bar messages hide behind the
            # permanent status text.
            self.scenario_list.empty.setText(f"Could not list the bundled scenarios:\n{exc}")
            return []

    # -- scenarios ----------------------------------------------------------------------

    @property
    def current_scenario(self) -> ScenarioInfo | None:
        return self.source.scenario

    def open_scenario_dialog(self) -> ScenarioInfo | None:
        """File › Open scenario…: pick any ``.py`` file, add it to the list, select it."""
        path = choose_scenario_file(self, session.open_dir(self.settings))
        if path is None:
            return None
        session.remember_open_dir(self.settings, path.parent)
        return self.open_scenario(path)

    def open_scenario(self, path: Path) -> ScenarioInfo | None:
        """Add ``path`` (or refresh it) and select it; a file with errors is added too."""
        try:
            info = read_scenario(path)
        except (OSError, ValueError) as exc:
            report_unreadable(self, path, exc)
            return None
        row = self.scenario_list.add_or_update(info)
        self.scenario_list.select_row(row)
        return info

    def select_scenario(self, path: Path) -> bool:
        """Select the listed scenario at ``path``; opens it first if it is not listed."""
        if self.scenario_list.select_path(path):
            return True
        return self.open_scenario(path) is not None

    def show_selected_scenario(self) -> None:
        """Show the selected scenario again (its code replaced an opened recording's)."""
        self._show_scenario(self.current_scenario)

    def _show_scenario(self, info: ScenarioInfo | None) -> None:
        self.source.show_scenario(info)
        if info is None:
            self.setWindowTitle(APP_TITLE)
            self.status_text.setText(READY_NO_SCENARIO)
            self.status_scenario.setText("No scenario selected")
            self.gantt.empty.setText(GANTT_HINT_NO_SCENARIO)
        else:
            self.setWindowTitle(f"{plain_title(info)} — {APP_TITLE}")
            self.status_scenario.setText(f"Scenario: {display_title(info)}")
            if info.error:
                self.status_text.setText(
                    f"{info.name} could not be loaded — see its error above the source"
                )
            else:
                self.status_text.setText(READY_WITH_SCENARIO)
            self.gantt.empty.setText(GANTT_HINT)
        self.scenario_changed.emit(info)

    # -- view ---------------------------------------------------------------------------

    def set_theme_mode(self, mode: ThemeMode | str) -> None:
        """View › Theme: System, Light or Dark; remembered for next time."""
        mode = ThemeMode(mode)
        self.app_actions.theme_action(mode).setChecked(True)
        self.theme.set_mode(mode)

    def _apply_theme(self, theme: Theme) -> None:
        self._set_toolbar_icons(theme)
        self.scenario_list.set_theme(theme)
        self.gantt.set_theme(theme)
        style_chart(self.gantt.chart, theme)  # high contrast: saturated states, thick cursor
        self.source.set_theme(theme)
        self.stall_banner.set_theme(theme)
        self.console.set_theme(theme)
        for pane in self.live_panes():
            pane.set_theme(theme)

    def live_panes(self) -> tuple[ReadyQueuePane, TasksPane, FuturesPane, CoroutinesPane]:
        """The panes that show the loop's state at one instant."""
        return (self.ready_queue, self.tasks, self.futures, self.coroutines)

    def set_code_point_size(self, point_size: float) -> None:
        """Zoom text (Ctrl +, Ctrl -, Ctrl 0): code, console and banner; in presenter view all.

        In the presenter view ``code_point_size`` is the presenter's size for every pane
        (remembered apart from the desk's: see :mod:`loopviz.ui.presenter`).
        """
        presenter = getattr(self, "presenter", None)
        presenting = presenter is not None and presenter.active
        clamp = clamp_presenter_size if presenting else clamp_code_size
        self.code_point_size = clamp(point_size)
        self.source.code.set_point_size(self.code_point_size)
        self.console.set_point_size(self.code_point_size)
        self.stall_banner.set_point_size(self.code_point_size)
        if presenting:
            presenter.scale_panes(self.code_point_size)

    def set_full_screen(self, on: bool) -> None:
        """View › Full screen; turning it off in the presenter view leaves that view too."""
        presenter = getattr(self, "presenter", None)
        if not on and presenter is not None and presenter.active:
            presenter.set_active(False)
            return
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def reset_layout(self) -> None:
        """View › Reset layout: every pane back in its default place (the presenter's there)."""
        presenter = getattr(self, "presenter", None)
        if presenter is not None:
            presenter.reset_layout()
        else:
            arrange(self, self.docks)

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self, self.icon)
        self._open_dialog(dialog)
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self, shortcut_rows(self.menuBar(), self))
        self._open_dialog(dialog)
        return dialog

    def _open_dialog(self, dialog: QDialog) -> None:
        """Open window-modal without a nested event loop; at most one help dialog at a time."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result, d=dialog: self._forget_dialog(d))
        dialog.open()

    def _forget_dialog(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    # -- lifetime -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Dock sizes need the real window size, so the defaults are applied on first show."""
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._layout_restored:
                QTimer.singleShot(0, self, self._apply_default_sizes)

    def _apply_default_sizes(self) -> None:
        apply_default_sizes(self, self.docks)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.live.shutdown()
        session.save(self)
        super().closeEvent(event)
