"""File › Save recording… and File › Open recording…: ``.lvz`` files for prepared runs.

Dialogs are the static ``QFileDialog`` functions (tests monkeypatch them);
errors are non-blocking message boxes (``open()``, never ``exec()``: a nested
event loop would re-enter qasync's tasks). The last folder used is kept in the
window's settings under :data:`DIR_KEY`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from loopviz.model import RecordingFileError, load, save

if TYPE_CHECKING:
    from loopviz.ui.main_window import MainWindow

LVZ_FILTER = "loopviz recordings (*.lvz);;All files (*)"
DIR_KEY = "recordings/dir"


def recordings_dir(settings: QSettings) -> Path:
    """The folder the last recording was saved to or opened from (home at first)."""
    value = settings.value(DIR_KEY, "", type=str)
    path = Path(value) if value else Path.home()
    return path if path.is_dir() else Path.home()


def remember_dir(settings: QSettings, folder: Path) -> None:
    settings.setValue(DIR_KEY, str(folder))


def choose_recording_to_open(parent: QWidget, start: Path) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, "Open recording", str(start), LVZ_FILTER)
    return Path(name) if name else None


def choose_recording_to_save(parent: QWidget, suggested: Path) -> Path | None:
    """Ask where to save; ``.lvz`` is added when the name has no suffix."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, "Save recording", str(suggested), LVZ_FILTER
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".lvz")


def report_file_problem(parent: QWidget, title: str, text: str, detail: str) -> QMessageBox:
    """A window-modal warning that does not block the event loop; the app carries on."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("RecordingFileMessage")
    box.setInformativeText(detail)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def suggested_name(window: MainWindow) -> Path:
    """``<folder>/<scenario>.lvz`` for the recording shown."""
    rec = window.live.recording
    scenario = rec.hello.get("scenario") if rec is not None else None
    stem = Path(scenario).stem if isinstance(scenario, str) and scenario else "recording"
    return recordings_dir(window.settings) / f"{stem}.lvz"


def save_recording(window: MainWindow, path: Path) -> bool:
    """Write the recording shown to ``path``; a failure is said in a message box."""
    rec = window.live.recording
    if rec is None:
        return False
    try:
        save(rec, path)
    except (OSError, ValueError) as exc:
        report_file_problem(
            window, "Cannot save recording", f"{path.name} was not saved.", f"{exc}"
        )
        return False
    remember_dir(window.settings, path.parent)
    window.status_text.setText(f"Saved the recording to {path}")
    return True


def save_recording_dialog(window: MainWindow) -> Path | None:
    """File › Save recording… (Ctrl+S)."""
    if window.live.recording is None or window.live.run.running:
        return None
    path = choose_recording_to_save(window, suggested_name(window))
    if path is None or not save_recording(window, path):
        return None
    return path


def open_recording(window: MainWindow, path: Path | str) -> bool:
    """Show the recording in ``path``; a bad file gets a message and changes nothing shown."""
    path = Path(path)
    try:
        rec = load(path)
    except (OSError, RecordingFileError, ValueError) as exc:
        report_file_problem(
            window,
            "Cannot open recording",
            f"{path.name} cannot be opened as a loopviz recording.",
            str(exc),
        )
        return False
    remember_dir(window.settings, path.parent)
    window.live.show_recording(rec, path.name)
    return True


def open_recording_dialog(window: MainWindow) -> Path | None:
    """File › Open recording… (Ctrl+Shift+O)."""
    path = choose_recording_to_open(window, recordings_dir(window.settings))
    if path is None or not open_recording(window, path):
        return None
    return path
