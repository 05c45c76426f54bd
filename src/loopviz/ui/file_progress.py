"""The status bar's "Saving run.lvz… 40 %" and what the window does while a file job runs.

Why in the status bar and not a dialog: the window stays usable during a save
(step through the run, look at the panes), and a modal dialog would say the
opposite. One job at a time per window; the progress shows only for a job that
outlasts :data:`SHOW_AFTER_S`, so saving a small lesson does not flash a bar.

Closing the window while a save writes waits for it: the close is put off (an
event filter sees the window's Close before ``MainWindow.closeEvent`` runs), the
status line says so, and the window closes itself once the file is complete.
Closing during an open cancels the open: nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QProgressBar, QPushButton, QWidget

from loopviz.ui.file_worker import FileJob

SHOW_AFTER_S = 0.1
"""A job that ends within this long completes before the menu command returns (a lesson's
recording saves in milliseconds); the window waits that long at most, under the 200 ms
of a hitch nobody notices."""
POLL_MS = 50


class FileProgress(QWidget):
    """Caption, bar and Cancel, shown at the right of the status bar while a job runs."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("FileProgress")
        self.caption = QLabel(self)
        self.caption.setObjectName("FileProgressCaption")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(160)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setObjectName("FileProgressCancel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)

    def show_job(self, job: FileJob, cancellable: bool) -> None:
        self.caption.setText(job.caption())
        self.bar.setValue(job.percent)
        self.cancel.setVisible(cancellable)


class FileJobs(QObject):
    """The window's running file job, its progress widget and its hold on closing."""

    def __init__(self, window: QMainWindow, status: QLabel) -> None:
        super().__init__(window)
        self.setObjectName("FileJobs")
        self.window = window
        self.status = status
        self.job: FileJob | None = None
        self._on_done: Callable[[FileJob], None] | None = None
        self._cancellable = False
        self._close_after = False
        self.widget = FileProgress(window)
        self.widget.cancel.clicked.connect(self.cancel)
        window.statusBar().addPermanentWidget(self.widget)
        self.widget.hide()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._tick)
        window.installEventFilter(self)

    @classmethod
    def of(cls, window: QMainWindow, status: QLabel) -> FileJobs:
        found = window.findChild(FileJobs, "FileJobs")
        return found if isinstance(found, FileJobs) else cls(window, status)

    def busy(self) -> FileJob | None:
        """The job still running (one at a time), if any."""
        return self.job

    def run(self, job: FileJob, on_done: Callable[[FileJob], None], *, cancellable: bool) -> None:
        """Start ``job``; ``on_done`` runs on the GUI thread when it ends (even if cancelled)."""
        self.job = job
        self._on_done = on_done
        self._cancellable = cancellable
        job.start()
        if job.wait(SHOW_AFTER_S):
            self._finish()
            return
        self.widget.show_job(job, cancellable)
        self.widget.show()
        self._timer.start()

    def cancel(self) -> None:
        if self.job is not None and self._cancellable:
            self.job.cancel()
            self.widget.caption.setText(f"Cancelling {self.job.name}…")

    def _tick(self) -> None:
        job = self.job
        if job is None:
            self._timer.stop()
            return
        if job.done():
            self._finish()
        else:
            self.widget.show_job(job, self._cancellable)

    def _finish(self) -> None:
        job, on_done = self.job, self._on_done
        self._timer.stop()
        self.widget.hide()
        self.job = None
        self._on_done = None
        if job is not None and on_done is not None:
            on_done(job)
        if self._close_after:
            self._close_after = False
            self.window.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt names it
        if watched is self.window and event.type() == QEvent.Type.Close:
            job = self.job
            if job is not None and not job.done():
                if self._cancellable:
                    job.cancel()
                    job.wait()
                    self._finish()
                    return False
                self._close_after = True
                self.status.setText(
                    f"Finishing {job.verb.lower()} {job.name}… the window closes once it is written"
                )
                event.ignore()
                return True
        return super().eventFilter(watched, event)
