"""The File menu's export actions: timeline picture, clipboard, window screenshot, Chrome trace.

Installed with one call at the end of the window's construction, so the export
feature stays in its own files. The actions are enabled once a run has left a
recording (from Run until the next Run), and added to the window itself so
their shortcuts work in full screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from loopviz.export.options import ExportError, TimelineOptions
from loopviz.model import Recording, export_chrome_trace
from loopviz.ui.export_dialog import ExportDialog
from loopviz.ui.menus import find_menu

if TYPE_CHECKING:
    from loopviz.ui.main_window import MainWindow

COPY_SCALE = 2.0  # the clipboard picture: sharp on a slide, and on a HiDPI screen
NO_RUN_TIP = "Run a scenario first: there is nothing to export yet"


@dataclass
class ExportActions:
    timeline: QAction
    copy: QAction
    window_shot: QAction  # its menu: the whole window, or the chart with its panes
    whole_window: QAction
    panes: QAction
    chrome_trace: QAction

    def all(self) -> list[QAction]:
        return [
            self.timeline,
            self.copy,
            self.window_shot,
            self.whole_window,
            self.panes,
            self.chrome_trace,
        ]


class ExportMenu(QObject):
    """Owns the export actions of one window and what they do."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: ExportDialog | None = None
        self.last_path: Path | None = None
        self.actions = self._create_actions()
        self._place_in_file_menu()
        window.addActions(self.actions.all())
        run = window.live.run
        signals = [run.started, run.finished, run.failed]
        shown = getattr(window, "recording_shown", None)  # a run started, or a file opened
        if shown is not None:
            signals.append(shown)
        for signal in signals:
            signal.connect(lambda *_: self.update_actions())
        self.update_actions()

    # -- construction ----------------------------------------------------------------------
    def _create_actions(self) -> ExportActions:
        w = self.window

        def action(text: str, tip: str, shortcut: str | None = None) -> QAction:
            a = QAction(text, w)
            a.setStatusTip(tip)
            a.setToolTip(tip)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
                a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            return a

        actions = ExportActions(
            timeline=action(
                "&Export timeline…",
                "Save the timeline as a PNG, SVG or PDF picture for slides",
                "Ctrl+E",
            ),
            copy=action(
                "&Copy timeline",
                "Copy the timeline (the range selected with Ctrl+drag, else what the chart"
                " shows) to the clipboard as an image",
                "Ctrl+Shift+C",
            ),
            window_shot=action("Export &window screenshot", "Save a screenshot as a PNG"),
            whole_window=action("&Whole window…", "Save the whole window as a PNG"),
            panes=action(
                "&Timeline, ready queue and tasks…",
                "Save the timeline with the ready queue and the tasks table as a PNG",
            ),
            chrome_trace=action(
                "Export recording as C&hrome trace…",
                "Save the recording as a Chrome trace (opens in Perfetto or chrome://tracing)",
            ),
        )
        shots = QMenu(w)
        shots.addAction(actions.whole_window)
        shots.addAction(actions.panes)
        actions.window_shot.setMenu(shots)
        actions.timeline.triggered.connect(self.open_dialog)
        actions.copy.triggered.connect(self.copy_timeline)
        actions.whole_window.triggered.connect(lambda: self.save_window_shot(panes=False))
        actions.panes.triggered.connect(lambda: self.save_window_shot(panes=True))
        actions.chrome_trace.triggered.connect(self.save_chrome_trace)
        return actions

    def _place_in_file_menu(self) -> None:
        """Between the recording actions and Quit, in a group of their own."""
        menu = find_menu(self.window.menuBar(), "File")
        quit_action = self.window.app_actions.quit
        ours = [
            self.actions.timeline,
            self.actions.copy,
            self.actions.window_shot,
            self.actions.chrome_trace,
        ]
        if quit_action not in menu.actions():
            menu.addActions(ours)
            return
        menu.insertActions(quit_action, ours)
        menu.insertSeparator(quit_action)

    # -- state -----------------------------------------------------------------------------
    @property
    def recording(self) -> Recording | None:
        """The recording the window shows (the live run's, or one opened from a file)."""
        live = self.window.live
        shown = getattr(live, "recording", None)
        return shown if isinstance(shown, Recording) else live.run.recording

    def update_actions(self) -> None:
        has_run = self.recording is not None
        for a in self.actions.all():
            a.setEnabled(has_run)
            if a is not self.actions.window_shot:
                a.setToolTip(a.statusTip() if has_run else NO_RUN_TIP)

    def _visible(self) -> tuple[float, float]:
        return self.window.gantt.chart.wall_range()

    def _selection(self) -> tuple[float, float] | None:
        """The range Ctrl+dragged on the chart, in wall seconds, if there is one."""
        return self.window.gantt.chart.selection()

    def _scenario_title(self) -> str:
        info = self.window.current_scenario
        if info is not None:
            from loopviz.ui.scenario_labels import plain_title

            return plain_title(info)
        rec = self.recording
        scenario = rec.hello.get("scenario") if rec is not None else None
        return Path(scenario).stem if isinstance(scenario, str) else ""

    def _start_dir(self) -> Path:
        return self.last_path.parent if self.last_path is not None else Path.cwd()

    # -- what the actions do ---------------------------------------------------------------
    def open_dialog(self) -> ExportDialog | None:
        """Export timeline… (Ctrl+E): the dialog, window-modal, one at a time."""
        rec = self.recording
        if rec is None:
            return None
        if self.dialog is not None:
            self.dialog.close()
        dialog = ExportDialog(
            self.window,
            rec,
            visible=self._visible(),
            cursor=self.window.gantt.chart.cursor,
            title=self._scenario_title(),
            start_dir=self._start_dir(),
            selection=self._selection(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(self._saved)
        dialog.finished.connect(lambda _r, d=dialog: self._forget(d))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _forget(self, dialog: ExportDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def timeline_image(self) -> QImage | None:
        """The timeline as the chart shows it (cursor, theme), at 2×.

        Its range is the one selected on the chart if there is one (the user marked
        what to copy), else what the chart shows.
        """
        from loopviz.export import timeline_image

        rec = self.recording
        if rec is None or rec.duration <= 0:
            return None
        lo, hi = self._selection() or self._visible()
        chart = self.window.gantt.chart
        options = TimelineOptions(
            scale=COPY_SCALE,
            start=max(0.0, lo),
            end=min(rec.duration, hi),
            at=chart.cursor,
            dark=chart.gantt_palette.dark,
        )
        try:
            return timeline_image(rec, options)
        except ExportError as exc:
            self._say(f"Could not copy the timeline: {exc}")
            return None

    def copy_timeline(self) -> bool:
        """Copy timeline (Ctrl+Shift+C): the picture goes to the clipboard."""
        image = self.timeline_image()
        if image is None:
            return False
        QGuiApplication.clipboard().setImage(image)
        self._say(f"Timeline copied to the clipboard ({image.width()}×{image.height()})")
        return True

    def window_shot(self, panes: bool) -> QImage:
        from loopviz.export.window_shot import WindowPart, window_image

        return window_image(self.window, WindowPart.PANES if panes else WindowPart.WHOLE)

    def save_window_shot(self, panes: bool, path: str | Path | None = None) -> Path | None:
        """Export window screenshot: the whole window, or the chart with its panes, as PNG."""
        image = self.window_shot(panes)  # before the file dialog covers the window
        if path is None:
            suggested = self._start_dir() / ("timeline-panes.png" if panes else "window.png")
            path = self._ask_save("Export window screenshot", suggested, "PNG image (*.png)")
            if path is None:
                return None
        path = _with_suffix(Path(path), ".png")
        if not image.save(str(path), "PNG"):
            self._error(f"Could not write {path}.")
            return None
        self._saved(path)
        return path

    def save_chrome_trace(self, path: str | Path | None = None) -> Path | None:
        """Export recording as Chrome trace…: the model's JSON trace of the run."""
        rec = self.recording
        if rec is None:
            return None
        if path is None:
            suggested = self._start_dir() / "run.json"
            path = self._ask_save("Export Chrome trace", suggested, "Chrome trace (*.json)")
            if path is None:
                return None
        path = _with_suffix(Path(path), ".json")
        try:
            export_chrome_trace(rec, path)
        except OSError as exc:
            self._error(f"Could not write {path}: {exc.strerror or exc}")
            return None
        self._saved(path)
        return path

    # -- helpers ---------------------------------------------------------------------------
    def _ask_save(self, caption: str, suggested: Path, filters: str) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(self.window, caption, str(suggested), filters)
        return Path(name) if name else None

    def _saved(self, path: Path) -> None:
        self.last_path = Path(path)
        self._say(f"Saved {path}")

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def _error(self, text: str) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Export failed", text, QMessageBox.StandardButton.Ok
        )
        box.setParent(self.window, box.windowFlags())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box


def _with_suffix(path: Path, suffix: str) -> Path:
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def install_export_menu(window: MainWindow) -> ExportMenu:
    """Add the export actions to ``window``'s File menu (call after ``window.live`` exists)."""
    return ExportMenu(window)
