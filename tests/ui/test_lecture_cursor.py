"""Lecture mode: one time cursor drives every pane, and stepping walks the handle runs.

Real recordings of the bundled lessons (made once per session), shown in the
real window offscreen; each pane is read back and compared with the model's
``Recording.state_at`` for the cursor's instant.
"""

from __future__ import annotations

import pytest

from loopviz.model.steps import StepIndex
from loopviz.ui.main_window import MainWindow
from loopviz.ui.units import format_duration
from tests.ui.test_lecture_support import (
    assert_panes_match,
    at,
    lesson,
    panes_of,
    settle,
    show,
    steps_of,
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ["create_task", "blocking"])
def test_every_pane_shows_the_model_state_at_the_cursor(window: MainWindow, name: str) -> None:
    rec = lesson(name)
    show(window, rec)
    begins = steps_of(rec)
    # Several instants: on run starts, between runs, inside the blocking call, the end.
    instants = [0.0, begins[0], begins[len(begins) // 3], rec.duration * 0.45]
    instants += [begins[-1], (begins[5] + begins[6]) / 2, rec.duration]
    seen = []
    for t in instants:
        at(window, t)
        assert window.time_cursor.t == pytest.approx(t)
        assert window.gantt.chart.cursor == pytest.approx(t), "the chart's cursor line"
        assert_panes_match(window, rec.state_at(t))
        seen.append(panes_of(window))
    assert any(p.running is not None for p in seen), "some instant shows a handle running"
    assert len({p.tasks for p in seen}) >= 3, "the tasks table changes with the cursor"


def test_stepping_back_from_the_end_visits_every_handle_run_in_reverse(
    window: MainWindow,
) -> None:
    rec = lesson("create_task")
    show(window, rec)
    assert window.time_cursor.t == rec.duration, "a finished run rests at its end"
    back = []
    for _ in range(len(steps_of(rec)) + 2):  # two more: at the first run, ← stays there
        window.app_actions.previous_step.trigger()
        settle(window)
        back.append(window.time_cursor.t)
    forward = []
    for _ in range(len(steps_of(rec)) + 1):
        window.app_actions.next_step.trigger()
        settle(window)
        forward.append(window.time_cursor.t)
    runs = steps_of(rec)
    assert back == [*runs[::-1], runs[0], runs[0]]
    assert forward == [*runs[1:], runs[-1], runs[-1]]
    assert [back[0], *forward[: len(runs) - 1]] == [runs[-1], *runs[1:]]


def test_each_step_updates_caption_status_and_scrubber(window: MainWindow) -> None:
    rec = lesson("create_task")
    steps = StepIndex.of(rec)
    show(window, rec)
    window.app_actions.go_to_start.trigger()
    settle(window)
    assert window.time_cursor.t == 0.0
    captions = set()
    for n in range(1, 6):
        window.app_actions.next_step.trigger()
        settle(window)
        t = window.time_cursor.t
        assert t == float(steps.begins[n - 1])
        assert f"step {n} of {len(steps)}" in window.status_text.text()
        assert f"at {t:.3f} s" in window.status_text.text()
        caption = window.scrubber.caption.text()
        assert caption and "Live" not in caption
        captions.add(caption)
        assert window.scrubber.time_label.text().endswith(f"{n}/{len(steps)}")
    assert len(captions) >= 4, "each handle run says what it did"
    assert any("started" in c for c in captions), captions


def test_iteration_and_notable_keys_jump_further_than_one_run(window: MainWindow) -> None:
    rec = lesson("create_task")
    steps = StepIndex.of(rec)
    show(window, rec)
    window.app_actions.go_to_start.trigger()
    window.app_actions.next_notable.trigger()
    settle(window)
    first_notable = steps.next_notable(0.0)
    assert first_notable is not None
    assert window.time_cursor.t == first_notable.t
    t = window.time_cursor.t
    window.app_actions.next_iteration.trigger()
    settle(window)
    assert window.time_cursor.t == steps.next_iteration(t)
    window.app_actions.go_to_end.trigger()
    expected = []
    for _ in range(2):
        window.app_actions.previous_iteration.trigger()
        settle(window)
        expected.append(steps.prev_iteration(expected[-1] if expected else rec.duration))
        assert window.time_cursor.t == expected[-1]
    assert StepIndex.of(rec).index_at(expected[0]) - steps.index_at(expected[1]) >= 1
    window.app_actions.go_to_end.trigger()
    window.app_actions.previous_notable.trigger()
    settle(window)
    assert window.time_cursor.t == steps.prev_notable(rec.duration).t


def test_banner_inside_a_stall_counts_its_length_so_far(window: MainWindow) -> None:
    rec = lesson("blocking")
    (stall,) = rec.stalls()
    show(window, rec)
    before, inside, after = stall.begin - 0.001, stall.begin + 0.4, stall.end + 0.001
    at(window, before)
    assert not window.stall_banner.is_showing
    at(window, inside)
    banner = window.stall_banner
    assert banner.is_showing and not banner.is_live, "a replayed stall does not pulse"
    assert f"{format_duration(0.4)} of {format_duration(stall.duration)}" in banner.text()
    assert "requests.get" in banner.text()
    assert "blocked" in window.scrubber.caption.text()
    at(window, after)
    assert not window.stall_banner.is_showing


def test_console_hides_what_was_printed_after_the_cursor(window: MainWindow) -> None:
    rec = lesson("blocking")
    lines = rec.output()
    show(window, rec)
    assert window.console.shown_entries()[-1].kind.startswith("end_"), "the end: everything"
    at(window, lines[2].t)
    shown = [e.text for e in window.console.shown_entries()]
    assert shown == [line.text for line in lines[:3]]
    at(window, 0.0)
    assert window.console.shown_entries() == []


def test_moves_in_one_turn_of_the_event_loop_repaint_the_panes_once(window: MainWindow) -> None:
    rec = lesson("create_task")
    show(window, rec)
    before = window.lecture.renders
    for t in (0.1, 0.2, 0.3, 0.4):
        window.time_cursor.set(t)
    settle(window)
    assert window.lecture.renders == before + 1
    assert window.gantt.chart.cursor == 0.4


def test_cursor_is_clamped_to_the_recording(window: MainWindow) -> None:
    rec = lesson("create_task")
    show(window, rec)
    at(window, -5.0)
    assert window.time_cursor.t == 0.0
    at(window, rec.duration + 10)
    assert window.time_cursor.t == rec.duration
