"""Playback moves the cursor by elapsed × speed from an injected clock: no sleeping."""

from __future__ import annotations

import time

import pytest

from loopviz.model.steps import StepIndex
from loopviz.ui.lecture.cursor import TimeCursor
from loopviz.ui.lecture.playback import SPEEDS, Playback
from loopviz.ui.main_window import MainWindow
from tests.ui.test_lecture_support import at, lesson, settle, show


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_playback_advances_by_elapsed_time_times_speed_and_stops_at_the_end(qapp) -> None:
    cursor = TimeCursor()
    cursor.set_duration(1.0)
    cursor.set(0.2)
    clock = FakeClock()
    playback = Playback(cursor, clock)
    changes: list[bool] = []
    playback.playingChanged.connect(changes.append)
    playback.set_speed(0.5)
    playback.play()
    clock.now += 0.1
    playback.tick()
    assert cursor.t == pytest.approx(0.25)
    clock.now += 0.4
    playback.tick()
    assert cursor.t == pytest.approx(0.45)
    playback.set_speed(4.0)
    clock.now += 1.0
    playback.tick()
    assert cursor.t == 1.0, "clamped at the end"
    assert not playback.playing and changes == [True, False], "it stopped by itself"
    clock.now += 1.0
    playback.tick()
    assert cursor.t == 1.0


def test_play_at_the_end_starts_over_and_a_moved_cursor_is_played_from(qapp) -> None:
    cursor = TimeCursor()
    cursor.set_duration(2.0)
    cursor.set(2.0)
    clock = FakeClock()
    playback = Playback(cursor, clock)
    playback.set_speed(0.01)
    playback.toggle()
    assert playback.playing and cursor.t == 0.0
    clock.now += 0.1  # 0.1 s at 0.01× is 1 ms of the run: a 1 ms tick takes 0.1 s to watch
    playback.tick()
    assert cursor.t == pytest.approx(0.001)
    cursor.set(1.5)  # the lecturer clicks the chart while it plays
    clock.now += 0.1
    playback.tick()
    assert cursor.t == pytest.approx(1.501)
    playback.toggle()
    clock.now += 5
    playback.tick()
    assert cursor.t == pytest.approx(1.501), "paused"


def test_slower_and_faster_walk_the_speed_steps(qapp) -> None:
    playback = Playback(TimeCursor(), FakeClock())
    for _ in SPEEDS:
        playback.slower()
    assert playback.speed == 0.01
    walked = [playback.speed]
    for _ in SPEEDS:
        playback.faster()
        walked.append(playback.speed)
    assert walked[: len(SPEEDS)] == list(SPEEDS) and playback.speed == 4.0


def test_space_plays_the_recording_in_the_window_and_the_bar_follows(window: MainWindow) -> None:
    rec = lesson("create_task")
    show(window, rec)
    clock = FakeClock()
    window.lecture.playback.clock = clock
    at(window, 0.5)
    window.app_actions.slower.trigger()  # 1× → 0.5×
    assert window.scrubber.speed.currentText() == "0.5×"
    window.app_actions.play_pause.trigger()
    assert window.lecture.playback.playing
    assert "Pause" in window.scrubber.play_button.toolTip()
    clock.now += 0.5
    window.lecture.playback.tick()
    settle(window)
    assert window.time_cursor.t == pytest.approx(0.75)
    assert window.gantt.chart.cursor == pytest.approx(0.75)
    assert window.scrubber.time_label.text().startswith("0.7500 s")
    assert window.lecture.playback.timer.isActive(), "the app's ~60 Hz timer drives it"
    window.app_actions.play_pause.trigger()
    assert not window.lecture.playback.playing
    assert not window.lecture.playback.timer.isActive()


def test_a_step_forward_slides_the_ready_queue_boxes(window: MainWindow) -> None:
    rec = lesson("create_task")
    show(window, rec)
    # While main starts the five tasks, their first steps queue up one after another.
    crowded = next(
        float(t)
        for t in StepIndex.of(rec).begins
        if rec.state_at(float(t)).loops[0].ready_count >= 3
    )
    at(window, crowded)
    strip = window.ready_queue.strip
    clock = FakeClock()
    clock.now = time.monotonic() + 10  # the queue last changed long ago
    strip.clock = clock
    window.app_actions.next_step.trigger()
    settle(window)
    assert strip.animating, "a step forward slides the boxes"
    clock.now += 10
    window.app_actions.go_to_start.trigger()
    settle(window)
    assert not strip.animating, "a jump back snaps"
