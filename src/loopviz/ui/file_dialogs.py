"""File dialogs and file error messages for scenarios.

``choose_scenario_file`` uses the static ``QFileDialog.getOpenFileName`` (tests
monkeypatch it). Errors are shown with a non-blocking message box: ``exec()``
would start a nested event loop under qasync.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

PYTHON_FILTER = "Python programs (*.py);;All files (*)"


def choose_scenario_file(parent: QWidget, start_dir: Path) -> Path | None:
    """Ask for a ``.py`` file; ``None`` if the user cancelled."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, "Open scenario", str(start_dir), PYTHON_FILTER
    )
    return Path(name) if name else None


def report_unreadable(parent: QWidget, path: Path, error: Exception) -> QMessageBox:
    """Tell the user why ``path`` cannot be a scenario (missing, not a .py file, …)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Cannot open scenario",
        f"{path.name} cannot be opened as a scenario.",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setInformativeText(str(error))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
