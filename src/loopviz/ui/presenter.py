"""The presenter view (F11): the window as a class sees it from the back of a hall.

Full screen, every pane's text at one large size (Ctrl+plus / Ctrl+minus change
it, and it is remembered apart from the desk view's), the high-contrast variant
of the current theme, and only the panes a lecture needs
(:func:`~loopviz.ui.layout.arrange_presenter`). Entering sets the desk view aside
(:class:`DeskView`: dock layout, geometry, window state, text size) and leaving
puts it back exactly, so the presenter view never costs the lecturer their layout.

:func:`install_presenter` also adds what a lecture walks through: the lecture
notes pane (Ctrl+L) and the course as a playlist (Page Down / Page Up).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QMenu, QWidget

from loopviz.model import Recording
from loopviz.ui import session
from loopviz.ui.docks import make_dock
from loopviz.ui.fonts import (
    CODE_POINT_SIZE,
    PRESENTER_POINT_SIZE,
    clamp_presenter_size,
    sized_font,
)
from loopviz.ui.gantt.widget import chart_font
from loopviz.ui.layout import (
    apply_presenter_sizes,
    arrange,
    arrange_presenter,
    place_notes,
)
from loopviz.ui.lecture.key_filter import ShortcutOverrideFilter
from loopviz.ui.menus import find_menu
from loopviz.ui.notes_pane import NotesPane
from loopviz.ui.playlist import Playlist
from loopviz.ui.presenter_style import presenter_font_rules

if TYPE_CHECKING:
    from loopviz.ui.main_window import MainWindow

ENTER_MESSAGE = "Presenter view — F11 or Esc leaves · Ctrl+plus / Ctrl+minus: text size"


@dataclass(frozen=True)
class DeskView:
    """What the presenter view sets aside and restores."""

    state: QByteArray
    geometry: QByteArray
    rect: QRect
    window_state: Qt.WindowState
    code_point_size: float


class PresenterView(QObject):
    """Owns the presenter actions, the notes pane and the playlist of one window."""

    toggled = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._text_size = session.presenter_point_size(window.settings)
        self._desk: DeskView | None = None
        self._fit_pending = False
        self.notes = NotesPane(window, window.theme.theme)
        self.notes_dock = make_dock("Lecture notes", "NotesDock", self.notes, window)
        self.playlist = Playlist(window.scenario_list)
        self.action = _action(
            window, "&Presenter view", "Full screen, large text, high contrast (F11 or Esc leaves)"
        )
        self.action.setCheckable(True)
        self.action.setShortcuts([QKeySequence("F11")])
        self.next_scenario = _action(
            window, "&Next scenario", "Select the next lesson of the course (F5 runs it)"
        )
        self.next_scenario.setShortcuts([QKeySequence("PgDown")])
        self.previous_scenario = _action(
            window, "P&revious scenario", "Select the previous lesson of the course"
        )
        self.previous_scenario.setShortcuts([QKeySequence("PgUp")])
        self.notes_action = self.notes_dock.toggleViewAction()
        self.notes_action.setText("&Lecture notes")
        self.notes_action.setShortcuts([QKeySequence("Ctrl+L")])
        self.notes_action.setStatusTip("Show or hide the Lecture notes pane")

        self.action.toggled.connect(self.set_active)
        self.next_scenario.triggered.connect(lambda: self.step(1))
        self.previous_scenario.triggered.connect(lambda: self.step(-1))
        window.scenario_changed.connect(self.notes.show_scenario)
        window.recording_shown.connect(self._on_recording_shown)
        window.theme.changed.connect(self.notes.set_theme)
        window.installEventFilter(self)
        self.page_keys_guard = FieldsKeepPageKeys(self)
        self.notes.show_scenario(window.current_scenario)

    def _on_recording_shown(self, rec: object) -> None:
        """A file's recording: the notes of its scenario, not of the one selected in the list."""
        if not self.window.live.file_name or not isinstance(rec, Recording):
            self.notes.show_scenario(self.window.current_scenario)  # a live run's own scenario
            return
        self.notes.show_recording_of(
            rec.hello.get("scenario"), self.window.scenario_list.scenarios()
        )

    def actions(self) -> list[QAction]:
        return [self.action, self.notes_action, self.next_scenario, self.previous_scenario]

    # -- presenter view ------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._desk is not None

    @property
    def text_size(self) -> float:
        """The presenter view's text size: the window's while presenting, else the last one."""
        return self.window.code_point_size if self.active else self._text_size

    def desk_view(self) -> DeskView | None:
        """The desk view set aside while presenting (None at the desk)."""
        return self._desk

    def set_active(self, on: bool) -> None:
        """Enter or leave the presenter view (the action's check mark follows)."""
        if on and not self.active:
            self._enter()
        elif not on and self.active:
            self._leave()
        if self.action.isChecked() != self.active:
            self.action.setChecked(self.active)

    def _enter(self) -> None:
        w = self.window
        self._desk = DeskView(
            state=w.saveState(session.STATE_VERSION),
            geometry=w.saveGeometry(),
            rect=w.geometry(),
            window_state=w.windowState(),
            code_point_size=w.code_point_size,
        )
        self.action.setShortcuts([QKeySequence("F11"), QKeySequence("Esc")])
        w.theme.set_high_contrast(True)
        w.set_code_point_size(self._text_size)  # every pane's text, via scale_panes
        arrange_presenter(w, w.docks)
        self._fit_pending = True
        w.showFullScreen()
        QTimer.singleShot(0, self, self._fit)
        w.status_text.setText(ENTER_MESSAGE)
        self.toggled.emit(True)

    def _leave(self) -> None:
        w = self.window
        desk = self._desk
        assert desk is not None
        self._text_size = clamp_presenter_size(w.code_point_size)
        self._desk = None
        self._fit_pending = False
        self.action.setShortcuts([QKeySequence("F11")])
        w.setStyleSheet("")
        w.theme.set_high_contrast(False)
        w.gantt.chart.set_chart_font(chart_font())
        if not desk.window_state & Qt.WindowState.WindowFullScreen:
            w.showNormal()
        w.restoreGeometry(desk.geometry)
        if desk.window_state == Qt.WindowState.WindowNoState and w.geometry() != desk.rect:
            w.setGeometry(desk.rect)  # a screen smaller than the window clamps restoreGeometry
        w.restoreState(desk.state, session.STATE_VERSION)
        w.set_code_point_size(desk.code_point_size)
        self.toggled.emit(False)

    def scale_panes(self, point_size: float) -> None:
        """Every pane's text at ``point_size`` (the window's ``set_code_point_size`` calls it).

        The window's style sheet sizes every widget in it (:func:`presenter_font_rules`;
        the window's, not the application's, so only this window is re-polished);
        the chart paints with fonts of its own and is told here.
        """
        self.window.setStyleSheet(presenter_font_rules(point_size))
        self.window.gantt.chart.set_chart_font(sized_font(chart_font(), point_size))

    def default_text_size(self) -> None:
        """Ctrl+0: the presenter view's default size there, the desk's at the desk."""
        self.window.set_code_point_size(PRESENTER_POINT_SIZE if self.active else CODE_POINT_SIZE)

    def reset_layout(self) -> None:
        """View › Reset layout: the presenter layout while presenting, the desk's otherwise."""
        if self.active:
            arrange_presenter(self.window, self.window.docks)
        else:
            arrange(self.window, self.window.docks)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Full screen arrives as a resize some time after showFullScreen(): size the
        # presenter layout for the screen then, once.
        if watched is self.window and event.type() == QEvent.Type.Resize and self._fit_pending:
            QTimer.singleShot(0, self, self._fit)
        return False

    def _fit(self) -> None:
        if not self.active:
            return
        w = self.window
        screen = w.screen()
        if screen is not None and w.isFullScreen() and w.geometry() != screen.geometry():
            # No window manager (a bare X server on a lecture-hall PC) ignores the
            # full-screen request: take the screen ourselves.
            w.setGeometry(screen.geometry())
            w.setWindowState(w.windowState() | Qt.WindowState.WindowFullScreen)
        self._fit_pending = False
        apply_presenter_sizes(w, w.docks)

    # -- the course as a playlist --------------------------------------------------------

    def step(self, delta: int) -> str | None:
        """Page Down / Page Up: select the next or previous lesson; never runs it."""
        text = self.playlist.step(delta)
        if text is not None:
            self.window.status_text.setText(text)
        return text


PAGE_KEYS = frozenset({Qt.Key.Key_PageUp, Qt.Key.Key_PageDown})


class FieldsKeepPageKeys(ShortcutOverrideFilter):
    """Page Up / Page Down in a field being edited step its value, not the course.

    Qt offers a key to the window's shortcuts before the focused widget; a parameter
    field answers "ShortcutOverride" for arrows but not for the page keys, so the
    lecturer editing ``DELAY`` would be thrown to the next lesson. Read-only views
    (the code, the list) leave the keys to the playlist.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(_field_wants_page_key, parent)


def _field_wants_page_key(widget: QObject, key: int) -> bool:
    return key in PAGE_KEYS and _is_edited_field(widget)


def _is_edited_field(widget: QObject) -> bool:
    if isinstance(widget, QAbstractSpinBox | QLineEdit):
        return not widget.isReadOnly()
    return False


def _action(parent: QWidget, text: str, tip: str) -> QAction:
    action = QAction(text, parent)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    return action


def _insert_after(menu: QMenu, anchor: QAction | None, actions: list[QAction]) -> None:
    """Insert ``actions`` right after ``anchor`` in ``menu`` (at the end if it is not there)."""
    items = menu.actions()
    if anchor in items:
        index = items.index(anchor) + 1
        before = items[index] if index < len(items) else None
        if before is not None:
            menu.insertActions(before, actions)
            return
    menu.addActions(actions)


def _install_in_menus(window: MainWindow, presenter: PresenterView) -> None:
    view = find_menu(window.menuBar(), "View")
    # The notes toggle joins the other panes' toggles (before the first separator).
    first_separator = next((a for a in view.actions() if a.isSeparator()), None)
    if first_separator is not None:
        view.insertAction(first_separator, presenter.notes_action)
    else:
        view.addAction(presenter.notes_action)
    full_screen = window.app_actions.full_screen
    if full_screen in view.actions():
        view.insertAction(full_screen, presenter.action)
    else:
        view.addAction(presenter.action)
    run = find_menu(window.menuBar(), "Run")
    _insert_after(
        run, window.app_actions.stop, [presenter.next_scenario, presenter.previous_scenario]
    )


def _take_text_size_reset(window: MainWindow, presenter: PresenterView) -> None:
    """Ctrl+0 means "the default size of the view I am in", so the presenter answers it."""
    action = window.app_actions.default_text
    with contextlib.suppress(RuntimeError, TypeError):  # nothing was connected
        action.triggered.disconnect()
    action.triggered.connect(presenter.default_text_size)


def install_presenter(window: MainWindow) -> PresenterView:
    """Create the presenter view, notes pane and playlist actions for ``window``.

    The notes dock is placed where the saved layout had it (``restoreDockWidget``:
    the window restored its layout before this dock existed), else under the source,
    hidden until Ctrl+L.
    """
    presenter = PresenterView(window)
    window.docks.notes = presenter.notes_dock
    if not window.restoreDockWidget(presenter.notes_dock):
        place_notes(window, window.docks)
        presenter.notes_dock.hide()
    full_screen = window.app_actions.full_screen
    if QKeySequence("F11") in full_screen.shortcuts():  # F11 is the presenter view's now
        full_screen.setShortcuts([k for k in full_screen.shortcuts() if k != QKeySequence("F11")])
    _install_in_menus(window, presenter)
    _take_text_size_reset(window, presenter)
    window.addActions(presenter.actions())
    return presenter
