"""Run › Recording limits…: how much of a run the app records in full.

Two figures, each with what it means in memory next to it ("20,000,000 events
≈ 1.6 GB"), a "No limit" box with a warning, and a note that the figures apply
to the next run. A figure that is not a number, or out of range, is refused
with a message under it and OK stays disabled: nothing half-typed is saved.

The dialog only gathers the choice (``chosen``); saving it and handing it to
the next run is :mod:`loopviz.ui.limits_menu`'s. It opens with ``open()``:
``exec()`` would start a nested event loop under qasync.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loopviz.ui.recording_limits import (
    MAX_EVENTS,
    MAX_LINES,
    MIN_EVENTS,
    MIN_LINES,
    LimitError,
    RecordingLimits,
    events_text,
    lines_text,
    machine_memory_text,
    memory_warning,
    parse_count,
)
from loopviz.ui.theme import LIGHT, Theme

INTRO = (
    "A scenario that floods the app is recorded in full up to these limits. Past one, "
    "the run goes on and only its summary is recorded (tasks, how they ended, stalls), "
    "and the window says so."
)
NEXT_RUN = "Changes apply to the next run; a run going on keeps the limits it started with."


class CapField(QWidget):
    """One limit: the figure, a "No limit" box, and what it means in memory."""

    changed = Signal()

    def __init__(
        self,
        parent: QWidget,
        what: str,
        low: int,
        high: int,
        describe: Callable[[int | None], str],
    ) -> None:
        super().__init__(parent)
        self.what, self.low, self.high, self.describe = what, low, high, describe
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"{what.replace(' ', '_')}_edit")
        self.edit.setToolTip(f"{low:,} to {high:,} {what}; 20M or 500k work too")
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("0" * 16))
        self.unlimited = QCheckBox("No limit", self)
        self.unlimited.setToolTip(f"Record every one of the {what}: memory is the only bound")
        self.meaning = QLabel("", self)
        self.meaning.setObjectName(f"{what.replace(' ', '_')}_meaning")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.unlimited)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.meaning)
        self.edit.textChanged.connect(self._sync)
        self.unlimited.toggled.connect(self._sync)

    def set_value(self, value: int | None, fallback: int) -> None:
        """Show ``value`` (None: no limit, with ``fallback`` left in the field to untick to)."""
        self.edit.setText(f"{fallback if value is None else value:,}")
        self.unlimited.setChecked(value is None)
        self._sync()

    def value(self) -> int | None:
        """The figure (None: no limit), or a LimitError saying what is wrong with it."""
        if self.unlimited.isChecked():
            return None
        return parse_count(self.edit.text(), self.what, self.low, self.high)

    def error(self) -> str:
        try:
            self.value()
        except LimitError as exc:
            return str(exc)
        return ""

    def _sync(self) -> None:
        self.edit.setEnabled(not self.unlimited.isChecked())
        try:
            self.meaning.setText(self.describe(self.value()))
        except LimitError:
            self.meaning.setText("")
        self.changed.emit()


class RecordingLimitsDialog(QDialog):
    """The figures for the next run; ``chosen(RecordingLimits)`` when OK is pressed."""

    chosen = Signal(object)  # RecordingLimits

    def __init__(
        self,
        parent: QWidget | None,
        limits: RecordingLimits,
        *,
        defaults: RecordingLimits,
        memory: int | None,
        theme: Theme = LIGHT,
        session_note: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RecordingLimitsDialog")
        self.setWindowTitle("Recording limits")
        self.defaults = defaults
        self.memory = memory
        self.theme = theme

        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.events = CapField(self, "events", MIN_EVENTS, MAX_EVENTS, events_text)
        self.lines = CapField(self, "printed lines", MIN_LINES, MAX_LINES, lines_text)
        form = QFormLayout()
        form.addRow("Events kept in full:", self.events)
        form.addRow("Printed lines kept:", self.lines)
        self.machine = QLabel(self._machine_text(), self)
        self.machine.setWordWrap(True)
        self.machine.setStyleSheet(f"color: {theme.muted};")
        self.next_run = QLabel(NEXT_RUN, self)
        self.next_run.setWordWrap(True)
        self.session = QLabel(session_note, self)
        self.session.setObjectName("LimitsSessionNote")
        self.session.setWordWrap(True)
        self.session.setVisible(bool(session_note))
        self.warning = QLabel("", self)
        self.warning.setObjectName("LimitsWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {theme.warning}; font-weight: bold;")
        self.error = QLabel("", self)
        self.error.setObjectName("LimitsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.error}; font-weight: bold;")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.defaults_button: QPushButton = buttons.addButton(
            "Restore defaults", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.defaults_button.clicked.connect(lambda: self.show_limits(self.defaults))
        buttons.accepted.connect(self.accept_limits)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.machine)
        layout.addWidget(self.next_run)
        layout.addWidget(self.session)
        layout.addWidget(self.warning)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

        self.events.changed.connect(self._sync)
        self.lines.changed.connect(self._sync)
        self.show_limits(limits)

    def show_limits(self, limits: RecordingLimits) -> None:
        """Fill the fields with ``limits``."""
        self.events.set_value(limits.max_events, self.defaults.max_events or MIN_EVENTS)
        self.lines.set_value(limits.max_output_lines, self.defaults.max_output_lines or MIN_LINES)
        self._sync()

    def limits(self) -> RecordingLimits:
        """The figures typed, or a LimitError for the first one that cannot be a limit."""
        return RecordingLimits(self.events.value(), self.lines.value())

    def accept_limits(self) -> bool:
        """OK: emit ``chosen`` and close, or keep the dialog open with the problem shown."""
        try:
            limits = self.limits()
        except LimitError as exc:
            self.error.setText(str(exc))
            return False
        self.chosen.emit(limits)
        self.accept()
        return True

    def _sync(self) -> None:
        problem = self.events.error() or self.lines.error()
        self.error.setText(problem)
        self.ok_button.setEnabled(not problem)
        warning = ""
        if not problem:
            warning = memory_warning(self.limits(), self.memory)
        self.warning.setText(warning and f"⚠ {warning}")

    def _machine_text(self) -> str:
        default = self.defaults.max_events or 0
        if self.memory is None:
            return f"Default: {default:,} events."
        return (
            f"This machine has {machine_memory_text(self.memory)} of memory; the default, "
            f"{events_text(default)}, keeps a recording well within it."
        )
