"""File › Save recording… and File › Open recording…: ``.lvz`` files for prepared runs.

The menu commands save and open on a worker thread (:mod:`loopviz.ui.file_worker`)
with progress in the status bar (:mod:`loopviz.ui.file_progress`): a 1 M-line
recording froze the window for seconds when done here. A small file finishes
before the command returns, so it behaves as before.

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

from loopviz.model import Recording, RecordingFileError, load, save
from loopviz.ui.file_progress import FileJobs
from loopviz.ui.file_worker import FileJob

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


def _file_jobs(window: MainWindow) -> FileJobs:
    return FileJobs.of(window, window.status_text)


def _report_save_error(window: MainWindow, path: Path, exc: BaseException) -> None:
    report_file_problem(window, "Cannot save recording", f"{path.name} was not saved.", f"{exc}")


def _saved(window: MainWindow, path: Path) -> None:
    remember_dir(window.settings, path.parent)
    window.status_text.setText(f"Saved the recording to {path}")


def save_recording(window: MainWindow, path: Path) -> bool:
    """Write the recording shown to ``path`` now; a failure is said in a message box.

    The GUI thread waits: for scripts and tests. The menu command uses
    :func:`start_saving`, which keeps the window responsive.
    """
    rec = window.live.recording
    if rec is None:
        return False
    try:
        save(rec, path)
    except (OSError, ValueError) as exc:
        _report_save_error(window, path, exc)
        return False
    _saved(window, path)
    return True


def start_saving(window: MainWindow, path: Path) -> FileJob | None:
    """Save the recording shown to ``path`` on a worker thread, with progress.

    Saved through a temporary file in the same folder renamed at the end
    (:func:`loopviz.model.lvz.save`): a failure or a crash leaves the old file.
    Returns the job (already finished when it took under ``SHOW_AFTER_S``).
    """
    rec = window.live.recording
    jobs = _file_jobs(window)
    if rec is None or _refused_while_busy(window, jobs):
        return None
    if window.live.run.running:
        window.status_text.setText(STOP_FIRST)
        return None

    def done(job: FileJob) -> None:
        if job.error is None:
            _saved(window, path)
        elif isinstance(job.error, OSError | ValueError):
            _report_save_error(window, path, job.error)
        else:
            _report_save_error(window, path, RuntimeError(f"internal error: {job.error!r}"))

    job = FileJob(
        "Saving", path.name, lambda progress: save(rec, path, progress=progress), keep_alive=True
    )
    jobs.run(job, done, cancellable=False)
    return job


STOP_FIRST = (
    "Stop the run first (Run › Stop), then save: a recording still growing would be "
    "saved without its end"
)
"""Why refuse rather than save a snapshot: a lecturer saves a run to show it again in
class, whole; a file cut at whatever moment Ctrl+S was pressed is not what they meant.
(The menu command is disabled during a run anyway; this is for the shortcut's race.)"""


def _refused_while_busy(window: MainWindow, jobs: FileJobs) -> bool:
    job = jobs.busy()
    if job is None:
        return False
    window.status_text.setText(
        f"Wait for {job.verb.lower()} {job.name} to finish ({job.percent} %)"
    )
    return True


def save_recording_dialog(window: MainWindow) -> Path | None:
    """File › Save recording… (Ctrl+S): the file is written in the background."""
    if window.live.recording is None:
        return None
    if window.live.run.running:
        window.status_text.setText(STOP_FIRST)
        return None
    if _refused_while_busy(window, _file_jobs(window)):
        return None
    path = choose_recording_to_save(window, suggested_name(window))
    if path is None:
        return None
    job = start_saving(window, path)
    if job is None or (job.done() and job.error is not None):
        return None
    return path


def _report_open_error(window: MainWindow, path: Path, exc: BaseException) -> None:
    report_file_problem(
        window,
        "Cannot open recording",
        f"{path.name} cannot be opened as a loopviz recording.",
        str(exc),
    )


def _show_opened(window: MainWindow, path: Path, rec: Recording) -> None:
    remember_dir(window.settings, path.parent)
    window.live.show_recording(rec, path.name)


def open_recording(window: MainWindow, path: Path | str) -> bool:
    """Show the recording in ``path`` now; a bad file gets a message and changes nothing shown.

    The GUI thread waits: for scripts and tests; the menu uses :func:`start_opening`.
    """
    path = Path(path)
    try:
        rec = load(path)
    except (OSError, RecordingFileError, ValueError) as exc:
        _report_open_error(window, path, exc)
        return False
    _show_opened(window, path, rec)
    return True


def start_opening(window: MainWindow, path: Path | str) -> FileJob | None:
    """Read ``path`` on a worker thread (Cancel in the status bar), then show it here.

    The recording shown stays until the new one is complete: a bad or cancelled
    file changes nothing.
    """
    path = Path(path)
    jobs = _file_jobs(window)
    if _refused_while_busy(window, jobs):
        return None

    def done(job: FileJob) -> None:
        if job.cancelled:
            window.status_text.setText(f"Opening {path.name} was cancelled")
        elif job.error is None:
            _show_opened(window, path, job.result)
        elif isinstance(job.error, OSError | ValueError):
            _report_open_error(window, path, job.error)
        else:
            _report_open_error(window, path, RuntimeError(f"internal error: {job.error!r}"))

    job = FileJob(
        "Opening", path.name, lambda progress: load(path, progress=progress), keep_alive=False
    )
    jobs.run(job, done, cancellable=True)
    return job


def open_recording_dialog(window: MainWindow) -> Path | None:
    """File › Open recording… (Ctrl+Shift+O): read in the background, shown when complete."""
    if _refused_while_busy(window, _file_jobs(window)):
        return None
    path = choose_recording_to_open(window, recordings_dir(window.settings))
    if path is None:
        return None
    job = start_opening(window, path)
    if job is None or (job.done() and job.error is not None):
        return None
    return path
