"""Run › Recording limits…: the limits' dialog, where they are kept, and the notice.

The figures come from the settings (the dialog saves them there), or for one
session from ``loopviz --max-events N``; every run started in the window gets
them (:attr:`LiveRun.limits`). When a run reaches one, the notice above the
timeline says what was reached, when, and that the run goes on in summary —
the timeline stops growing at that moment, and a user must read why there, not
in a console line scrolled away.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from loopviz.model import Recording
from loopviz.tracer.limits import total_memory
from loopviz.ui.limits_dialog import RecordingLimitsDialog
from loopviz.ui.recording_limits import RecordingLimits, default_limits
from loopviz.ui.settings import read_limits, write_limits
from loopviz.ui.status_line import limit_notice
from loopviz.ui.theme import Theme

if TYPE_CHECKING:
    from loopviz.ui.main_window import MainWindow


class LimitNotice(QWidget):
    """A strip above the timeline: "Recording limit reached at 2.31 s: …".

    Amber, not the stall banner's red: nothing is wrong with the scenario, but
    what the timeline shows past that moment is only the run's summary.
    """

    def __init__(self, parent: QWidget, theme: Theme) -> None:
        super().__init__(parent)
        self.setObjectName("LimitNotice")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel("", self)
        self.label.setObjectName("LimitNoticeText")
        self.label.setWordWrap(True)
        self.settings_button = QToolButton(self)
        self.settings_button.setText("Recording limits…")
        self.settings_button.setToolTip("Change the limits for the next run (Ctrl+Shift+L)")
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Hide this notice (it comes back with the next limit)")
        self.close_button.clicked.connect(self.dismiss)
        self.dismissed = False
        """Hidden by the user: stays hidden until the next recording's limit."""
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.set_theme(theme)
        self.hide()

    def set_theme(self, theme: Theme) -> None:
        background, text = (
            (theme.warning, "#1b1400") if theme.is_dark else (theme.warning, "#ffffff")
        )
        self.setStyleSheet(
            f"#LimitNotice {{ background: {background}; }}"
            f"#LimitNoticeText {{ color: {text}; font-weight: bold; }}"
        )

    def say(self, text: str) -> None:
        """Show ``text``, unless the user hid the notice for this recording."""
        if text != self.label.text():
            self.label.setText(text)
        if not self.dismissed and self.isHidden():
            self.show()

    def dismiss(self) -> None:
        self.dismissed = True
        self.hide()

    def clear(self) -> None:
        """No limit reached (a new run, another recording): ready to show the next one."""
        self.dismissed = False
        if self.label.text():
            self.label.setText("")
        if not self.isHidden():
            self.hide()


class RecordingLimitsControl:
    """Owns the limits of the window's next run, their dialog and the notice."""

    def __init__(self, window: MainWindow, memory: int | None = None) -> None:
        self.window = window
        self.memory = memory if memory is not None else total_memory()
        self.defaults = default_limits(self.memory)
        self.saved = read_limits(window.settings, self.memory)
        self.session_max_events: int | None = None
        self.session_override = False
        """True while ``--max-events`` from the command line overrides the saved figure."""
        self.dialog: RecordingLimitsDialog | None = None
        self.notice = LimitNotice(window, window.theme.theme)
        _place_above_timeline(window, self.notice)
        self.notice.settings_button.clicked.connect(self.open_dialog)
        window.theme.changed.connect(self.notice.set_theme)
        window.app_actions.recording_limits.triggered.connect(self.open_dialog)
        window.live.run.frame.connect(lambda _t: self.update_notice())
        window.live.run.finished.connect(lambda _outcome: self.update_notice())
        window.recording_shown.connect(lambda _rec: self.update_notice())
        self._apply()

    @property
    def limits(self) -> RecordingLimits:
        """What the next run gets: the saved figures, or the session's ``--max-events``."""
        if self.session_override:
            return replace(self.saved, max_events=self.session_max_events)
        return self.saved

    def use_for_session(self, max_events: int | None) -> None:
        """``loopviz --max-events N``: events kept in full this session (None: no limit)."""
        self.session_max_events = max_events
        self.session_override = True
        self._apply()

    def set_limits(self, limits: RecordingLimits) -> None:
        """Save ``limits`` and use them from the next run (ending a session override)."""
        self.saved = limits
        self.session_override = False
        write_limits(self.window.settings, limits)
        self._apply()
        self.window.status_text.setText(
            f"Recording limits for the next run: {_short(limits.max_events, 'events')}, "
            f"{_short(limits.max_output_lines, 'printed lines')}"
        )

    def open_dialog(self) -> RecordingLimitsDialog:
        """Run › Recording limits…: window-modal, without a nested event loop, one at a time."""
        if self.dialog is not None:
            self.dialog.close()
        note = ""
        if self.session_override:
            figure = _short(self.session_max_events, "events")
            note = (
                f"This session was started with --max-events ({figure}): OK replaces it "
                "with the figures here, and saves them."
            )
        dialog = RecordingLimitsDialog(
            self.window,
            self.limits,
            defaults=self.defaults,
            memory=self.memory,
            theme=self.window.theme.theme,
            session_note=note,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self.set_limits)
        dialog.finished.connect(lambda _result, d=dialog: self._forget(d))
        self.dialog = dialog
        dialog.open()
        return dialog

    def update_notice(self) -> None:
        """Show the notice if the recording shown reached a limit; hide it otherwise."""
        rec: Recording | None = self.window.live.recording
        limit = rec.limit_reached if rec is not None else None
        if rec is None or limit is None:
            self.notice.clear()
            return
        run = self.window.live.run
        running = run.running and run.recording is rec
        self.notice.say(limit_notice(limit, rec.start_ns, running=running))

    def _apply(self) -> None:
        self.window.live.run.limits = self.limits

    def _forget(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None


def _short(value: int | None, what: str) -> str:
    return f"no limit on {what}" if value is None else f"{value:,} {what}"


def _place_above_timeline(window: MainWindow, notice: QWidget) -> None:
    """Put the notice at the top of the timeline's column (else in the status bar)."""
    holder = window.gantt.parentWidget()
    layout = holder.layout() if holder is not None else None
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(0, notice)
    else:
        window.statusBar().addWidget(notice)


def install_recording_limits(window: MainWindow) -> RecordingLimitsControl:
    """Wire Run › Recording limits… and the limit notice into ``window``."""
    return RecordingLimitsControl(window)
