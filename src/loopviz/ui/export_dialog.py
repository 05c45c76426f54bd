"""File › Export timeline…: format, size, range, title, legend and theme of a picture.

The dialog only gathers choices (:meth:`ExportDialog.options`) and writes the
file (:meth:`ExportDialog.export_to`); the drawing is :mod:`loopviz.export`.
It opens window-modal with ``open()`` — ``exec()`` would start a nested event
loop under qasync — and asks for the file name only when Export is pressed.

The range is what the chart shows, the whole run, the range selected on the
chart with Ctrl+drag (chosen already when there is one: the user selected it
to export it), or start and end seconds typed in (prefilled with the selection, else
what the chart shows).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from loopviz.export.options import (
    MAX_PIXELS,
    ExportError,
    ImageFormat,
    TimelineOptions,
    check_range,
)
from loopviz.model import Recording

SCALES = (1, 2, 4)
FILTERS = {
    ImageFormat.PNG: "PNG image (*.png)",
    ImageFormat.SVG: "SVG vector drawing (*.svg)",
    ImageFormat.PDF: "PDF document (*.pdf)",
}


class ExportDialog(QDialog):
    """Choices for one timeline picture; ``exported(path)`` after a file is written."""

    exported = Signal(object)  # Path

    def __init__(
        self,
        parent: QWidget | None,
        recording: Recording,
        *,
        visible: tuple[float, float],
        cursor: float | None = None,
        title: str = "",
        start_dir: Path | None = None,
        selection: tuple[float, float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export timeline")
        self.recording = recording
        self.visible = visible
        self.cursor = cursor
        duration = recording.duration
        # Part of a drag may reach into the padding around the run: keep it inside.
        self.selection = (
            None if selection is None else (max(0.0, min(selection)), min(duration, max(selection)))
        )
        self.start_dir = start_dir or Path.home()
        self.last_path: Path | None = None

        self.format = QComboBox(self)
        for fmt in ImageFormat:
            self.format.addItem(fmt.value.upper(), fmt)
        self.format.setToolTip("PNG for slides and chat; SVG and PDF stay sharp at any size")

        self.scale_group = QButtonGroup(self)
        self.scale_buttons: dict[int, QRadioButton] = {}
        size_row = QHBoxLayout()
        for s in SCALES:
            button = QRadioButton(f"{s}×", self)
            self.scale_group.addButton(button, s)
            self.scale_buttons[s] = button
            size_row.addWidget(button)
        self.exact = QRadioButton("exactly", self)
        self.scale_group.addButton(self.exact, 0)
        self.width_box = _pixels(self, 1920)
        self.height_box = _pixels(self, 1080)
        size_row.addWidget(self.exact)
        size_row.addWidget(self.width_box)
        size_row.addWidget(QLabel("×", self))
        size_row.addWidget(self.height_box)
        size_row.addStretch(1)
        self.scale_buttons[2].setChecked(True)

        self.range_group = QButtonGroup(self)
        self.range_visible = QRadioButton("what the chart shows", self)
        self.range_whole = QRadioButton("the whole run", self)
        self.range_chart = QRadioButton(_chart_selection_text(self.selection), self)
        self.range_chart.setEnabled(self.selection is not None)
        self.range_chart.setToolTip("Ctrl+drag on the chart to select a range")
        self.range_selection = QRadioButton("from", self)
        choices = (self.range_visible, self.range_whole, self.range_chart, self.range_selection)
        for i, b in enumerate(choices):
            self.range_group.addButton(b, i)
        (self.range_chart if self.selection is not None else self.range_visible).setChecked(True)
        typed = self.selection or visible  # a start for fine-tuning the range by hand
        self.start_box = _seconds(self, min(max(typed[0], 0.0), duration))
        self.end_box = _seconds(self, min(max(typed[1], 0.0), duration))
        selection_row = QHBoxLayout()
        selection_row.addWidget(self.range_selection)
        selection_row.addWidget(self.start_box)
        selection_row.addWidget(QLabel("to", self))
        selection_row.addWidget(self.end_box)
        selection_row.addWidget(QLabel("s", self))
        selection_row.addStretch(1)
        range_box = QVBoxLayout()
        range_box.addWidget(self.range_visible)
        range_box.addWidget(self.range_whole)
        range_box.addWidget(self.range_chart)
        range_box.addLayout(selection_row)

        self.title_check = QCheckBox("Title", self)
        self.title_edit = QLineEdit(title, self)
        self.title_check.setChecked(bool(title))
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_check)
        title_row.addWidget(self.title_edit, 1)
        self.legend_check = QCheckBox("Legend (what the colours mean)", self)
        self.legend_check.setChecked(True)
        self.light_check = QCheckBox("Light theme (for printed slides and handouts)", self)
        self.light_check.setChecked(True)
        self.cursor_check = QCheckBox("Cursor line", self)
        # A cursor resting at the very end (where a finished run leaves it) says nothing.
        self.cursor_check.setChecked(cursor is not None and cursor < duration * 0.999)
        self.cursor_check.setEnabled(cursor is not None)

        self.error = QLabel("", self)
        self.error.setObjectName("ExportError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")

        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Size", size_row)
        form.addRow("Range", range_box)
        form.addRow("", title_row)
        form.addRow("", self.legend_check)
        form.addRow("", self.light_check)
        form.addRow("", self.cursor_check)
        buttons = QDialogButtonBox(self)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.choose_file_and_export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self.format.currentIndexChanged.connect(self._sync)
        self.scale_group.idToggled.connect(lambda *_: self._sync())
        self.range_group.idToggled.connect(lambda *_: self._sync())
        self.title_check.toggled.connect(self._sync)
        self._sync()

    # -- choices ---------------------------------------------------------------------------
    @property
    def image_format(self) -> ImageFormat:
        return ImageFormat(self.format.currentData())

    def set_format(self, fmt: ImageFormat | str) -> None:
        self.format.setCurrentIndex(self.format.findData(ImageFormat(fmt)))

    def _sync(self) -> None:
        png = self.image_format is ImageFormat.PNG
        for button in (*self.scale_buttons.values(), self.exact):
            button.setEnabled(png)
        exact = png and self.exact.isChecked()
        self.width_box.setEnabled(exact)
        self.height_box.setEnabled(exact)
        selection = self.range_selection.isChecked()
        self.start_box.setEnabled(selection)
        self.end_box.setEnabled(selection)
        self.title_edit.setEnabled(self.title_check.isChecked())
        self.error.clear()

    def time_range(self) -> tuple[float | None, float | None]:
        """The seconds to export; None: that end of the whole run."""
        if self.range_whole.isChecked():
            return None, None
        if self.range_selection.isChecked():
            return self.start_box.value(), self.end_box.value()
        if self.range_chart.isChecked() and self.selection is not None:
            return self.selection
        lo, hi = self.visible
        duration = self.recording.duration
        # What the chart shows may reach a little past the run (padding): keep it inside.
        return max(0.0, lo), min(duration, hi)

    def options(self) -> TimelineOptions:
        """The choices as export options (ExportError if the range is not in the run)."""
        start, end = check_range(*self.time_range(), self.recording.duration)
        png = self.image_format is ImageFormat.PNG
        exact = png and self.exact.isChecked()
        scale = float(self.scale_group.checkedId()) if png and not exact else 1.0
        title = self.title_edit.text().strip() if self.title_check.isChecked() else ""
        return TimelineOptions(
            width=self.width_box.value() if exact else None,
            height=self.height_box.value() if exact else None,
            scale=max(scale, 1.0),
            start=start,
            end=end,
            at=self.cursor if self.cursor_check.isChecked() else None,
            dark=not self.light_check.isChecked(),
            title=title or None,
            legend=self.legend_check.isChecked(),
        )

    # -- writing ---------------------------------------------------------------------------
    def export_to(self, path: str | Path) -> Path | None:
        """Write the picture to ``path`` (its extension follows the chosen format).

        A problem is shown in the dialog (which stays open) and None returned.
        """
        from loopviz.export import export_timeline

        path = Path(path)
        suffix = f".{self.image_format.value}"
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        try:
            written = export_timeline(self.recording, path, self.options())
        except ExportError as exc:
            self.error.setText(str(exc))
            return None
        self.last_path = written
        self.exported.emit(written)
        self.accept()
        return written

    def choose_file_and_export(self) -> Path | None:
        """Export…: check the choices, ask where to save, write."""
        try:
            self.options()
        except ExportError as exc:
            self.error.setText(str(exc))
            return None
        fmt = self.image_format
        suggested = self.start_dir / f"timeline.{fmt.value}"
        name, _filter = QFileDialog.getSaveFileName(
            self, "Export timeline", str(suggested), FILTERS[fmt]
        )
        if not name:
            return None
        return self.export_to(name)


def _chart_selection_text(selection: tuple[float, float] | None) -> str:
    """ "the selection on the chart (0.120–0.370 s)", or how to make one."""
    if selection is None:
        return "the selection on the chart (none: Ctrl+drag on the chart)"
    return f"the selection on the chart ({selection[0]:.3f}–{selection[1]:.3f} s)"


def _pixels(parent: QWidget, value: int) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(16, MAX_PIXELS)
    box.setValue(value)
    box.setSuffix(" px")
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    return box


def _seconds(parent: QWidget, value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setDecimals(4)
    box.setRange(0.0, 1e6)
    box.setSingleStep(0.1)
    box.setValue(max(0.0, value))
    return box
