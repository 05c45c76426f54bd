"""Lecture mode's wiring: keys, scrubber, playback and the chart move the time cursor;
the cursor's moves reach every pane through one debounced path.

Flow (one way, STYLE.md): something asks for an instant → ``TimeCursor.set`` →
``moved`` → a zero-delay single-shot timer (many moves in one event-loop turn
make one repaint) → :meth:`LectureController.render` asks ``rec.state_at(t)``
once → :func:`~loopviz.ui.lecture.panes.show_instant`, the chart's cursor line,
the scrubber, the caption and the status bar.

``None`` is "no cursor": a live run shows itself as it happens (LiveViews'
frames); setting a cursor during a run pauses the panes on it, End goes live again.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from loopviz.model import Recording
from loopviz.ui.cost_throttle import CostThrottle
from loopviz.ui.lecture.captions import caption_for
from loopviz.ui.lecture.keys import TextKeysGuard
from loopviz.ui.lecture.panes import show_instant
from loopviz.ui.lecture.playback import Playback
from loopviz.ui.lecture.scrubber import LIVE_CAPTION, NO_RECORDING
from loopviz.ui.lecture.steps import Steps, steps_of
from loopviz.ui.status_line import cursor_text

if TYPE_CHECKING:
    from loopviz.ui.main_window import MainWindow

STEPS_EVERY = 0.1
"""Seconds between rebuilds of the step index (and the chart's step columns) in a live run."""
TABLES_EVERY = 0.1
"""During playback the tables and source markers follow at 10 Hz (as in a live run); the
chart, ready queue, banner and console every frame. Pausing brings them all to the cursor."""
ANIMATE_WITHIN = 2
STEPS_BUDGET = 60_000
"""Handle runs the step index takes in per update (a stepping key takes all): a 10 M-event
flood arriving at once would otherwise be one update of a second or more. The index then
catches up a budget at a time, every :data:`CATCH_UP_MS`."""
CATCH_UP_MS = 30
"""A forward move of at most this many handle runs slides the ready queue's boxes."""


class LectureController(QObject):
    """Owns the playback and the step index; see the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.cursor = window.time_cursor
        self.scrubber = window.scrubber
        self.playback = Playback(self.cursor, parent=self)
        self.guard = TextKeysGuard(self)
        self._steps: Steps | None = None
        self._steps_key: tuple[int, int] = (0, -1)
        self._steps_at = 0.0
        self._steps_due = CostThrottle()
        self._shown_t: float | None = None
        self._tables_at = 0.0
        self.renders = 0
        """How many times the panes were brought to the cursor (tests watch the debounce)."""
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(0)
        self._render_timer.timeout.connect(self.render)
        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)
        self._catch_up.setInterval(CATCH_UP_MS)
        self._catch_up.timeout.connect(self.steps)
        self._connect()

    def _connect(self) -> None:
        a = self.window.app_actions
        a.play_pause.triggered.connect(self.playback.toggle)
        a.slower.triggered.connect(self.playback.slower)
        a.faster.triggered.connect(self.playback.faster)
        a.next_step.triggered.connect(lambda: self.step("run", True))
        a.previous_step.triggered.connect(lambda: self.step("run", False))
        a.next_iteration.triggered.connect(lambda: self.step("iteration", True))
        a.previous_iteration.triggered.connect(lambda: self.step("iteration", False))
        a.next_notable.triggered.connect(lambda: self.step("notable", True))
        a.previous_notable.triggered.connect(lambda: self.step("notable", False))
        a.go_to_start.triggered.connect(self.go_to_start)
        a.go_to_end.triggered.connect(self.go_to_end)
        self.cursor.moved.connect(self._schedule)
        s = self.scrubber
        s.timeRequested.connect(self.cursor.set)
        s.speedRequested.connect(self.playback.set_speed)
        s.playRequested.connect(self.playback.toggle)
        self.playback.playingChanged.connect(s.show_playing)
        self.playback.playingChanged.connect(self._schedule)
        self.playback.speedChanged.connect(s.show_speed)
        self.window.recording_shown.connect(self._on_recording_shown)
        chart = self.window.gantt.chart
        # The chart's lecture signals (click/drag → cursor, wall/steps axis) come with the
        # timeline work; connect them when the chart has them.
        if hasattr(chart, "cursorRequested"):
            chart.cursorRequested.connect(self.cursor.set)
        if hasattr(chart, "timeAxisChanged"):
            chart.timeAxisChanged.connect(self._on_axis)
            self._on_axis(chart.time_axis())

    # -- what is shown --------------------------------------------------------------------

    @property
    def recording(self) -> Recording | None:
        return self.window.live.recording

    def steps(self, fresh: bool = False) -> Steps | None:
        """The shown recording's step index, rebuilt when the recording grew.

        During a live run it is rebuilt at most every :data:`STEPS_EVERY` s unless
        ``fresh`` (a stepping key wants the newest runs).
        """
        rec = self.recording
        if rec is None:
            return None
        key = (id(rec), rec.version)
        if key == self._steps_key and self._steps is not None:
            return self._steps
        now = time.monotonic()
        live = self.window.live.run.running and self.window.live.run.recording is rec
        # Also by cost: at 10 million events the index and the chart's step axis take a
        # few hundred ms, so they are rebuilt less often as the run grows.
        waits = now - self._steps_at < STEPS_EVERY or not self._steps_due.due()
        if self._steps is not None and live and not fresh and waits:
            return self._steps
        began = self._steps_due.start()
        self._steps = steps_of(rec, None if fresh else STEPS_BUDGET)
        complete = getattr(self._steps, "complete", True)
        self._steps_key = key if complete else (0, -1)
        self._steps_at = now
        # Catching up after a run (no throttle then) re-times the chart once, at the end, if
        # it shows loop steps: each re-timing maps every bar.
        steps_shown = self._chart_axis() == "steps"
        self._publish_steps(rec, self._steps, chart=complete or live or not steps_shown)
        self._steps_due.ran(began)
        if not complete and not self._catch_up.isActive():
            self._catch_up.start()  # the rest of what arrived, a budget at a time
        return self._steps

    def _chart_axis(self) -> str:
        chart = self.window.gantt.chart
        return chart.time_axis() if hasattr(chart, "time_axis") else "wall"

    def _publish_steps(self, rec: Recording, steps: Steps, chart: bool = True) -> None:
        view = self.window.gantt.chart
        if chart and hasattr(view, "set_step_times"):
            # The chart's step axis is only built when it is shown: in wall time neither it
            # nor a copy of every run's end is made (a 10 M-event flood has 3 M runs).
            lazy = getattr(steps, "lazy_ends", None)
            view.set_step_times(steps.begins, lazy() if lazy is not None else steps.ends)
        self.scrubber.set_range(self.cursor.duration, steps.begins)

    def on_frame(self, now: float) -> None:
        """A live frame at ``now``: the cursor's range grows; the steps follow at 10 Hz."""
        self.cursor.set_duration(now)
        steps = self.steps()
        if steps is not None:
            self.scrubber.set_range(now, steps.begins)
        if self.cursor.t is None:
            self.scrubber.show_time(None)
            self.scrubber.show_caption(LIVE_CAPTION)

    def _on_recording_shown(self, rec: Recording | None) -> None:
        self.playback.pause()
        self._catch_up.stop()
        self._steps = None
        self._steps_key = (0, -1)
        self._shown_t = None
        self.cursor.set(None)
        self.cursor.set_duration(rec.duration if rec is not None else 0.0)
        self.scrubber.set_range(self.cursor.duration, None)
        self.scrubber.show_time(None)
        self.scrubber.show_caption(NO_RECORDING if rec is None else LIVE_CAPTION)

    def _on_axis(self, mode: str) -> None:
        self.scrubber.set_axis(mode)
        self.scrubber.show_time(self.cursor.t, *self._step_position(self.cursor.t))

    # -- moving the cursor ------------------------------------------------------------------

    def _base(self) -> float | None:
        """Where a step starts from: the cursor, else live "now", else the end."""
        if self.cursor.t is not None:
            return self.cursor.t
        rec = self.recording
        if rec is None:
            return None
        run = self.window.live.run
        if run.running and run.recording is rec:
            return run.now()
        return rec.duration

    def step(self, unit: str, forward: bool) -> float | None:
        """→/← (``"run"``), Shift (``"iteration"``), Ctrl (``"notable"``); the new cursor."""
        steps = self.steps(fresh=True)
        t = self._base()
        if steps is None or t is None:
            return None
        if self.window.live.run.running:
            self.cursor.set_duration(max(self.cursor.duration, t))
        target: Any = getattr(steps, f"{'next' if forward else 'prev'}_{unit}")(t)
        if target is not None and not isinstance(target, float | int):
            target = target.t  # a Notable
        if target is None:
            if self.cursor.t is not None:
                return self.cursor.t  # already at the first/last one: stay
            target = t  # live, nothing further: stop time where it is
        self.playback.pause()
        self.cursor.set(float(target))
        return self.cursor.t

    def go_to_start(self) -> None:
        """Home."""
        if self.recording is not None:
            self.cursor.set(0.0)

    def go_to_end(self) -> None:
        """End: the end of a finished run; back to live (follow now) during a run."""
        rec = self.recording
        if rec is None:
            return
        self.playback.pause()
        run = self.window.live.run
        if run.running and run.recording is rec:
            self.cursor.set(None)
            self.window.gantt.chart.set_following(True)
        else:
            self.cursor.set(rec.duration)

    # -- following the cursor -------------------------------------------------------------

    def _schedule(self, _t: object = None) -> None:
        if not self._render_timer.isActive():
            self._render_timer.start()

    def flush(self) -> None:
        """Render now if a move is pending (tests, and before a screenshot)."""
        if self._render_timer.isActive():
            self._render_timer.stop()
            self.render()

    def render(self) -> None:
        """Bring every pane to the cursor (``state_at`` asked once)."""
        w = self.window
        chart = w.gantt.chart
        t = self.cursor.t
        rec = self.recording
        chart.set_cursor(t)
        if t is None or rec is None:
            self._shown_t = None
            self.scrubber.show_time(None)
            return
        run = w.live.run
        live = run.running and run.recording is rec
        if live and chart.following:
            chart.set_following(False)  # the view stays on the cursor, not on "now"
        self.renders += 1
        state = rec.state_at(t)
        step, count = self._step_position(t)
        before = self._shown_t
        forward_a_little = (
            before is not None
            and t > before
            and (self.playback.playing or step - self._index(before) <= ANIMATE_WITHIN)
        )
        now = time.monotonic()
        tables = not self.playback.playing or now - self._tables_at >= TABLES_EVERY
        if tables:
            self._tables_at = now
        show_instant(
            w, rec, state, live=False, animate=forward_a_little, tables=tables, source=tables
        )
        self._shown_t = t
        self.scrubber.show_time(t, step, count)
        self.scrubber.show_caption(caption_for(rec, t, self._steps, state))
        w.status_text.setText(
            cursor_text(t, step, count, running=live, source=w.live.file_name)
            + self._outcome_suffix(rec, t)
        )

    def _index(self, t: float) -> int:
        return self._steps.index_at(t) if self._steps is not None else -1

    def _step_position(self, t: float | None) -> tuple[int, int]:
        steps = self.steps()
        if steps is None or t is None:
            return -1, 0
        return steps.index_at(t), len(steps)

    @staticmethod
    def _outcome_suffix(rec: Recording, t: float) -> str:
        outcome = rec.outcome
        if outcome is None or t < rec.duration or not outcome.detail:
            return ""
        return f" — {outcome.detail}"
