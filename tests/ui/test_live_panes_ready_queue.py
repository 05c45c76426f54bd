"""The ready-queue strip: what a class sees of ``loop._ready`` at a chosen instant."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from loopviz.model import LoopState
from loopviz.protocol import HandleKind
from loopviz.ui.gantt.palette import SliceState
from loopviz.ui.live_style import state_palette
from loopviz.ui.ready_queue_pane import PAD, ReadyQueuePane, split_label
from loopviz.ui.theme import DARK, LIGHT

from .test_live_panes_support import first_instant, lesson, near, pixel


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pane(qtbot) -> ReadyQueuePane:
    widget = ReadyQueuePane(theme=LIGHT)
    qtbot.addWidget(widget)
    widget.resize(1300, 110)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def fill_at(pane: ReadyQueuePane, rect) -> str:
    """The colour inside a box, left of its text."""
    return pixel(pane.strip, QPoint(int(rect.x() + PAD / 2), int(rect.center().y())))


def main_step_running(state: LoopState) -> bool:
    run = state.loops[0].running
    return run is not None and run.label == "main · step" and state.loops[0].ready_count == 5


def test_queue_shows_the_five_new_tasks_in_fifo_order_behind_main(pane) -> None:
    state = first_instant(lesson("create_task"), main_step_running)
    pane.show_state(state, animate=False)
    strip = pane.strip
    boxes = strip.boxes()
    assert [b.label for b in boxes] == [f"Task-{k} · step" for k in range(1, 6)]
    assert (boxes[0].title, boxes[0].detail) == ("Task-1", "step")
    xs = [b.rect.x() for b in boxes]
    assert xs == sorted(xs), "FIFO: the next to run is leftmost"
    running = strip.running_box()
    assert running is not None and running.label == "main · step" and not running.blocking
    assert running.rect.right() < boxes[0].rect.left(), "the running slot is left of the queue"
    assert strip.more == 0 and strip.message == ""
    colors = state_palette(LIGHT)
    assert near(fill_at(pane, running.rect), colors.state(SliceState.RUNNING))
    for box in boxes:
        assert near(fill_at(pane, box.rect), colors.state(SliceState.READY))
    assert not pane.empty.isVisible()


def test_wakeups_and_callbacks_are_told_apart_by_colour(pane) -> None:
    def mixed(state: LoopState) -> bool:
        kinds = {e.kind for e in state.loops[0].ready}
        return {HandleKind.WAKEUP, HandleKind.CALLBACK} <= kinds

    state = first_instant(lesson("coroutines"), mixed)
    pane.show_state(state, animate=False)
    colors = state_palette(LIGHT)
    callback = next(b for b in pane.strip.boxes() if b.kind == HandleKind.CALLBACK)
    wakeup = next(b for b in pane.strip.boxes() if b.kind == HandleKind.WAKEUP)
    assert (callback.title, callback.detail) == ("gather", "done callback")
    assert wakeup.detail == "wakeup ← sleep"
    assert near(fill_at(pane, callback.rect), colors.state(SliceState.CALLBACK))
    # A wakeup is a task's turn too: amber outline on a paler amber.
    y = int(wakeup.rect.center().y())
    edge = [pixel(pane.strip, QPoint(int(wakeup.rect.x()) + dx, y)) for dx in range(4)]
    assert any(near(c, colors.state(SliceState.READY), tolerance=12) for c in edge)
    inside = fill_at(pane, wakeup.rect)
    assert not near(inside, colors.state(SliceState.READY))
    assert QColor(inside).lightness() > QColor(colors.state(SliceState.READY)).lightness()


def test_idle_loop_says_what_select_waits_for(pane) -> None:
    pane.show_state(lesson("create_task").state_at(0.5), animate=False)
    strip = pane.strip
    assert strip.boxes() == [] and strip.running_box() is None
    assert strip.message == "idle — waiting in select() for the next timer in 0.50 s"
    slot = strip._slot_rect()
    assert near(fill_at(pane, slot), state_palette(LIGHT).state(SliceState.IDLE))


def test_timers_count_down_and_name_the_task_they_wake(pane) -> None:
    rec = lesson("create_task")
    pane.show_state(rec.state_at(0.5), animate=False)
    before = pane.strip.timer_rows()
    pane.show_state(rec.state_at(0.8), animate=False)
    after = pane.strip.timer_rows()
    assert before[0].label == "sleep → Task-1" and before[0].time_text == "0.50 s"
    assert after[0].label == "sleep → Task-1" and after[0].time_text == "0.20 s"
    assert after[0].left < before[0].left
    lefts = [row.left for row in after]
    assert lefts == sorted(lefts), "soonest deadline first"


def test_a_blocking_handle_turns_the_running_slot_red_and_timers_overdue(pane) -> None:
    pane.show_state(lesson("blocking").state_at(1.2), animate=False)
    running = pane.strip.running_box()
    assert running is not None and running.blocking and running.title == "main"
    assert near(fill_at(pane, running.rect), state_palette(LIGHT).state(SliceState.BLOCKING))
    overdue = pane.strip.timer_rows()[0]
    assert overdue.label == "sleep → ticker" and overdue.time_text.startswith("overdue")


def test_a_long_queue_ends_in_plus_n_more(pane) -> None:
    rec = lesson("many")
    state = first_instant(rec, lambda s: s.loops[0].ready_count > 1000)
    pane.show_state(state, animate=False)
    strip = pane.strip
    boxes = strip.boxes()
    assert 3 <= len(boxes) < 30
    assert strip.more == state.loops[0].ready_count - len(boxes)
    assert boxes[-1].rect.right() < strip._more_rect.left()
    pane.resize(700, 110)
    assert len(pane.strip.boxes()) < len(boxes), "fewer boxes fit a narrower strip"


def test_states_that_come_slowly_slide_and_fast_ones_snap(pane, qtbot) -> None:
    rec = lesson("create_task")
    first = first_instant(rec, main_step_running)
    clock = FakeClock()
    pane.strip.clock = clock
    pane.show_state(first, animate=True)
    # The next instant: Task-1 has left the queue for the running slot.
    second = first_instant(
        rec, lambda s: s.t > first.t and s.loops[0].running.label == "Task-1 · step"
    )
    clock.now += 1.0
    pane.show_state(second, animate=True)
    assert pane.strip.animating
    assert [b.label for b in pane.strip.boxes()] == [f"Task-{k} · step" for k in range(2, 6)]
    for progress in (0.0, 0.5):  # mid-slide frames paint the moving boxes
        pane.strip._on_progress(progress)
        assert not pane.strip.grab().isNull()
    third = first_instant(
        rec, lambda s: s.t > second.t and s.loops[0].running.label == "Task-2 · step"
    )
    clock.now += 0.03  # 30 states a second: no time for a transition
    pane.show_state(third, animate=True)
    assert not pane.strip.animating, "never queues animations: it snaps to the newest state"
    assert pane.strip.running_box().label == "Task-2 · step"
    clock.now += 1.0
    pane.show_state(second, animate=True)
    qtbot.waitUntil(lambda: not pane.strip.animating)
    clock.now += 1.0
    pane.show_state(third, animate=False)
    assert not pane.strip.animating


def test_replacing_the_whole_queue_snaps(pane) -> None:
    rec = lesson("many")
    clock = FakeClock()
    pane.strip.clock = clock
    pane.show_state(rec.state_at(0.0), animate=False)
    clock.now += 1.0
    pane.show_state(first_instant(rec, lambda s: s.loops[0].ready_count > 1000), animate=True)
    assert not pane.strip.animating


def test_several_loops_get_a_selector(pane) -> None:
    rec = lesson("two_loops")
    state = first_instant(rec, lambda s: s.loops[1].ready_count == 3)
    pane.show_state(state, animate=False)
    selector = pane.loop_selector
    assert not selector.isHidden() and selector.count() == 2
    assert selector.itemText(0) == "event loop 1"
    assert [b.title for b in pane.strip.boxes()] == [
        e.label.split(" · ")[0] for e in state.loops[0].ready
    ]
    selector.setCurrentIndex(1)
    assert [b.label for b in pane.strip.boxes()] == [f"Task-{k} · step" for k in (1, 2, 3)]
    pane.show_state(rec.state_at(0.3), animate=False)
    assert pane.strip.timer_rows() and len(pane.strip.timer_rows()) == 3, "loop 2's three sleeps"


def test_one_loop_needs_no_selector(pane) -> None:
    pane.show_state(lesson("create_task").state_at(0.5))
    assert pane.loop_selector.isHidden()


def test_empty_until_a_run_and_again_after(pane) -> None:
    assert pane.empty.isVisible() and "Empty" in pane.empty.text()
    pane.show_state(lesson("create_task").state_at(0.5))
    assert not pane.empty.isVisible()
    pane.show_state(None)
    assert pane.empty.isVisible() and pane.strip.boxes() == []


def test_dark_theme_repaints_the_boxes(pane) -> None:
    state = first_instant(lesson("create_task"), main_step_running)
    pane.show_state(state, animate=False)
    pane.set_theme(DARK)
    box = pane.strip.boxes()[0]
    assert near(fill_at(pane, box.rect), state_palette(DARK).state(SliceState.READY))
    background = pixel(pane.strip, QPoint(pane.strip.width() // 2, pane.strip.height() - 3))
    assert near(background, DARK.base)


def test_clicking_a_box_selects_its_task(pane, qtbot) -> None:
    state = first_instant(lesson("create_task"), main_step_running)
    pane.show_state(state, animate=False)
    box = pane.strip.boxes()[2]
    with qtbot.waitSignal(pane.taskSelected) as blocker:
        qtbot.mouseClick(pane.strip, Qt.MouseButton.LeftButton, pos=box.rect.center().toPoint())
    assert blocker.args == [box.task] and box.task == state.loops[0].ready[2].task


@pytest.mark.parametrize(
    ("label", "kind", "lines"),
    [
        ("Task-3 · wakeup ← sleep", HandleKind.WAKEUP, ("Task-3", "wakeup ← sleep")),
        ("gather.<locals>._done_callback", HandleKind.CALLBACK, ("gather", "done callback")),
        ("timer · sleep done", HandleKind.CALLBACK, ("timer", "sleep done")),
        ("report", HandleKind.CALLBACK, ("callback", "report")),
    ],
)
def test_labels_split_into_who_and_what(label, kind, lines) -> None:
    assert split_label(label, kind) == lines
