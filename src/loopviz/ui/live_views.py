"""Wire a :class:`LiveRun` to the window: actions, the timeline, the panes, the status bar.

State flows one way (STYLE.md): runner → recording → frame time → views.
Each frame asks the recording for the state at "now" once and hands the same
answer to every pane.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from loopviz.runner.outcome import RunOutcome
from loopviz.ui.live_run import LiveRun
from loopviz.ui.status_line import StatusLine
from loopviz.ui.timeline_feed import TimelineFeed

if TYPE_CHECKING:
    from pathlib import Path

    from loopviz.ui.main_window import MainWindow


TABLES_EVERY = 0.1
"""Seconds between refreshes of the tables and source markers during a live run (10 Hz):
nobody reads a table that changes 30 times a second, and they cost most of a frame."""


class LiveViews:
    """Owns the window's live run and keeps every view in step with it."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.run = LiveRun(window)
        self.feed = TimelineFeed(window.gantt.chart)
        self.status = StatusLine()
        self._stopping = False
        self._tables_at = 0.0
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
        self.feed.reset(self.run.recording)
        w.console.clear()
        w.console.set_scenario_path(scenario)
        w.stall_banner.set_clock(self.run.now)
        for pane in w.live_panes():
            pane.set_recording(self.run.recording)
        w.gantt.set_empty(False)
        w.gantt.chart.set_following(True)
        self._update_actions()
        self._show_status(0.0)

    def _on_frame(self, t: float) -> None:
        rec = self.run.recording
        if rec is None:
            return
        self.feed.update(t)
        state = rec.state_at(t)
        w = self.window
        w.stall_banner.show_stall(state.stall, t)
        w.console.follow(rec, state)
        w.ready_queue.show_state(state)  # animated: every frame
        now = time.monotonic()
        tables_due = not self.run.running or now - self._tables_at >= TABLES_EVERY
        if tables_due or state.stall is not None:
            # During a stall the source's blocking badge counts with the banner, frame by frame.
            w.source.show_state(state)
        if tables_due:
            self._tables_at = now
            for pane in (w.tasks, w.futures, w.coroutines):
                pane.show_state(state)
        self._show_status(t)

    def _on_finished(self, outcome: RunOutcome) -> None:
        w = self.window
        rec = self.run.recording
        if rec is not None:
            final = rec.state_at(rec.duration)
            w.console.follow(rec, final)
            w.console.show_outcome(rec)
            for pane in w.live_panes():
                pane.show_state(final)
        w.stall_banner.show_stall(None, 0.0)
        w.source.clear_state()
        self._stopping = False
        self._update_actions()
        self._show_status(self.run.now())
        self.window.status_text.setText(f"{self.window.status_text.text()} — {outcome.detail}")

    def _on_failed(self, message: str) -> None:
        self._update_actions()
        self.window.status_text.setText(f"Could not start the run: {message}")

    # -- selection: one task, shown in every view --------------------------------------
    def select_task(self, task_id: int) -> None:
        """Select a task everywhere: its lane, its row, its line in the source."""
        rec = self.run.recording
        info = rec.task(task_id) if rec is not None else None
        if info is None:
            return
        w = self.window
        w.gantt.chart.select_lane(info.lane)
        w.tasks.select_task(task_id)
        state = rec.state_at(w.gantt.chart.cursor or self.run.now()).task(task_id)
        if state is not None and state.line:
            path, _, line = state.line.rpartition(":")
            if line.isdigit():
                w.source.reveal(path, int(line))

    def _lane_clicked(self, lane: int) -> None:
        rec = self.run.recording
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

    def _show_status(self, t: float) -> None:
        rec = self.run.recording
        if rec is None:
            return
        self.window.status_text.setText(
            self.status.text(rec, t, running=self.run.running, stopping=self._stopping)
        )
