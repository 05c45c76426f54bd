"""Wire a :class:`LiveRun` to the window: actions, the timeline, the panes, the status bar.

State flows one way (STYLE.md): runner → recording → frame time → views.
Each frame asks the recording for the state at "now" once and hands the same
answer to every pane — unless the lecturer has placed the time cursor, which
then holds the panes (lecture mode, :mod:`loopviz.ui.lecture`). The recording
shown is the live run's, or one opened from a ``.lvz`` file.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from loopviz.model import LoopState, Recording
from loopviz.runner.outcome import RunOutcome
from loopviz.ui.lecture.panes import show_instant
from loopviz.ui.live_run import LiveRun
from loopviz.ui.memory_trim import trim_soon
from loopviz.ui.status_line import StatusLine
from loopviz.ui.timeline_feed import TimelineFeed

if TYPE_CHECKING:
    from pathlib import Path

    from loopviz.ui.main_window import MainWindow


TABLES_EVERY = 0.1
"""Seconds between refreshes of the tables and source markers during a live run (10 Hz):
nobody reads a table that changes 30 times a second, and they cost most of a frame."""
PANES_BUDGET = 0.02
"""Seconds of a live frame spent refreshing panes before the rest wait for the next frame."""


class LiveViews:
    """Owns the window's live run and keeps every view in step with it."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.run = LiveRun(window)
        self.feed = TimelineFeed(window.gantt.chart)
        self.status = StatusLine()
        self._shown: Recording | None = None
        self.file_name = ""
        """The ``.lvz`` file shown ("" for a run made in this window)."""
        self._stopping = False
        self._tables_at = 0.0
        self._due: list[Any] = []
        """Panes to refresh in the next frames (see :meth:`_refresh_due`)."""
        actions = window.app_actions
        actions.run.triggered.connect(self.run_selected)
        actions.stop.triggered.connect(self.stop)
        window.scenario_changed.connect(lambda _info: self._update_actions())
        self.run.started.connect(self._on_started)
        self.run.frame.connect(self._on_frame)
        self.run.finished.connect(self._on_finished)
        self.run.failed.connect(self._on_failed)
        window.gantt.chart.taskClicked.connect(self._lane_clicked)
        chart = window.gantt.chart
        actions.follow_now.setChecked(chart.following)
        actions.follow_now.toggled.connect(chart.set_following)
        chart.followingChanged.connect(actions.follow_now.setChecked)
        actions.whole_run.triggered.connect(chart.fit_all)
        window.tasks.taskSelected.connect(self.select_task)
        window.ready_queue.taskSelected.connect(self.select_task)
        self._update_actions()

    @property
    def recording(self) -> Recording | None:
        """The recording the window shows: the live run's, or one opened from a file."""
        return self._shown

    def run_selected(self) -> bool:
        """Run (F5): start the selected scenario in a fresh runner. False if none is selected."""
        info = self.window.current_scenario
        if info is None:
            self.window.status_text.setText("Pick a scenario first, then press F5")
            return False
        self._stopping = False
        self.run.start(info.path, self.window.source.parameters.overrides())
        return True

    def stop(self) -> None:
        """Stop (Shift+F5)."""
        if self.run.running:
            self._stopping = True
            self.run.stop()
            self._show_status(self.run.now())

    def shutdown(self) -> None:
        self.run.shutdown()

    # -- run lifecycle -------------------------------------------------------------------
    def _on_started(self, scenario: Path) -> None:
        w = self.window
        if self.file_name:  # a recording from a file was shown: back to the scenario's code
            w.show_selected_scenario()
        self._shown = self.run.recording
        self.file_name = ""
        self.feed.reset(self.run.recording)
        w.console.clear()
        w.console.set_scenario_path(scenario)
        w.stall_banner.set_clock(self.run.now)
        for pane in w.live_panes():
            pane.set_recording(self.run.recording)
        trim_soon()  # the old run is gone: hand its freed heap back (the 50-run soak)
        w.gantt.set_empty(False)
        w.gantt.chart.set_following(True)
        w.recording_shown.emit(self._shown)
        self._update_actions()
        self._show_status(0.0)

    def _on_frame(self, t: float) -> None:
        rec = self.run.recording
        if rec is None or rec is not self._shown:
            return
        self.feed.update(t)
        w = self.window
        w.lecture.on_frame(t)
        if w.time_cursor.t is not None:
            return  # paused on the cursor: the panes show its instant, the chart keeps growing
        state = rec.state_at(t)
        now = time.monotonic()
        if not self.run.running:
            self._due = []
            show_instant(w, rec, state, live=True)  # the last frame: every pane, now
            self._show_status(t)
            return
        if now - self._tables_at >= TABLES_EVERY and not self._due:
            self._tables_at = now
            self._due = [w.source, w.tasks, w.futures, w.coroutines]
        # During a stall the source's blocking badge counts with the banner, frame by frame;
        # the ready queue is animated, so it gets every frame.
        stalled = bool(state.stall)
        show_instant(w, rec, state, live=True, tables=False, source=stalled)
        self._refresh_due(state, skip_source=stalled)
        self._show_status(t)

    def _refresh_due(self, state: LoopState, skip_source: bool) -> None:
        """Refresh the panes due, one after another, until the frame's budget is spent.

        With 100,000 tasks each table costs tens of milliseconds; refreshed in the
        same frame they would freeze the window for their sum, so the rest wait for
        the next frame (a small run still refreshes them all at once)."""
        began = time.monotonic()
        while self._due:
            pane = self._due.pop(0)
            if not (skip_source and pane is self.window.source):
                pane.show_state(state)
            if time.monotonic() - began > PANES_BUDGET:
                break

    def _on_finished(self, outcome: RunOutcome) -> None:
        w = self.window
        rec = self.run.recording
        self._stopping = False
        self._update_actions()
        if rec is None or rec is not self._shown:
            return
        final = rec.state_at(rec.duration)
        w.console.follow(rec, final)
        w.console.show_outcome(rec)
        w.stall_banner.set_clock(None)
        self._show_status(self.run.now())
        w.status_text.setText(f"{w.status_text.text()} — {outcome.detail}")
        # Lecture mode: the cursor rests at the end (← steps back from there), unless the
        # lecturer had already stopped time somewhere: it stays there.
        w.time_cursor.set_duration(rec.duration)
        if w.time_cursor.t is None:
            w.time_cursor.set(rec.duration)
        else:
            w.lecture.render()  # the status says "Finished" now

    def show_recording(self, rec: Recording, name: str) -> None:
        """Show a recording opened from a file in every pane (a live run is ended first).

        The code comes from the recording itself, so a run recorded on another
        machine shows its source even where that path does not exist.
        """
        if self.run.running:
            self.run.kill()
        w = self.window
        self._shown = rec
        self.file_name = name
        self._stopping = False
        scenario = rec.hello.get("scenario")
        path = scenario if isinstance(scenario, str) else ""
        self.feed.reset(rec)
        chart = w.gantt.chart
        chart.set_following(False)
        self.feed.update(rec.duration)
        w.console.clear()
        w.console.set_scenario_path(path or None)
        w.console.follow(rec, rec.state_at(rec.duration))
        w.console.show_outcome(rec)
        w.stall_banner.set_clock(None)
        for pane in w.live_panes():
            pane.set_recording(rec)
        # Not at once: freeing a million-line recording takes the collector ~120 ms, which
        # must not add to the frame that shows the opened one.
        trim_soon(delay_ms=1500)
        text = rec.source(path) if path else None
        if text is not None:
            w.source.show_source(text, path)
        w.gantt.set_empty(False)
        w.status_scenario.setText(f"Recording: {name}")
        w.setWindowTitle(f"{name} — loopviz")
        w.recording_shown.emit(rec)
        chart.fit_all()
        self._update_actions()
        w.time_cursor.set_duration(rec.duration)
        w.time_cursor.set(rec.duration)

    def _on_failed(self, message: str) -> None:
        self._update_actions()
        self.window.status_text.setText(f"Could not start the run: {message}")

    # -- selection: one task, shown in every view --------------------------------------
    def select_task(self, task_id: int) -> None:
        """Select a task everywhere: its lane, its row, its line in the source."""
        rec = self._shown
        info = rec.task(task_id) if rec is not None else None
        if info is None:
            return
        w = self.window
        w.gantt.chart.select_lane(info.lane)
        w.tasks.select_task(task_id)
        t = w.time_cursor.t
        state = rec.state_at(self.run.now() if t is None else t).task(task_id)
        if state is not None and state.line:
            path, _, line = state.line.rpartition(":")
            if line.isdigit():
                w.source.reveal(path, int(line))

    def _lane_clicked(self, lane: int) -> None:
        rec = self._shown
        if rec is None:
            return
        for info in rec.tasks():
            if info.lane == lane:
                self.select_task(info.id)
                return

    # -- helpers ---------------------------------------------------------------------------
    def _update_actions(self) -> None:
        actions = self.window.app_actions
        actions.run.setEnabled(self.window.current_scenario is not None)
        actions.stop.setEnabled(self.run.running)
        actions.save_recording.setEnabled(self._shown is not None and not self.run.running)

    def _show_status(self, t: float) -> None:
        rec = self.run.recording
        if rec is None:
            return
        self.window.status_text.setText(
            self.status.text(rec, t, running=self.run.running, stopping=self._stopping)
        )
