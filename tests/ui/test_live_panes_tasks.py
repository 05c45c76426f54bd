"""The tasks table: one row per task, its state and what it awaits, updated in place."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from loopviz.model import State, TaskState
from loopviz.ui.live_style import Shown, state_palette
from loopviz.ui.tasks_table import (
    AWAITING,
    COLUMNS,
    STATE,
    STEPS,
    TASK,
    WAITING,
    TasksPane,
    shown_state,
)
from loopviz.ui.theme import DARK, LIGHT

from .test_live_panes_support import lesson


@pytest.fixture
def pane(qtbot) -> TasksPane:
    widget = TasksPane(theme=LIGHT)
    qtbot.addWidget(widget)
    widget.resize(1100, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(pane: TasksPane, column: int) -> list[str]:
    """A column's texts as the table shows them, top to bottom."""
    proxy = pane.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


class Signals:
    """Counts what the source model tells the view."""

    def __init__(self, model) -> None:
        self.resets = self.inserted = self.removed = 0
        self.changed: list[tuple[int, int, int, int]] = []
        model.modelReset.connect(lambda: self._add("resets"))
        model.rowsInserted.connect(lambda *_: self._add("inserted"))
        model.rowsRemoved.connect(lambda *_: self._add("removed"))
        model.dataChanged.connect(
            lambda a, b, *_: self.changed.append((a.row(), b.row(), a.column(), b.column()))
        )

    def _add(self, name: str) -> None:
        setattr(self, name, getattr(self, name) + 1)


def test_one_row_per_task_with_state_and_awaiting_during_the_sleeps(pane) -> None:
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.5))
    assert pane.column_titles() == list(COLUMNS)
    assert shown(pane, TASK) == ["main"] + [f"Task-{k}" for k in range(1, 6)]
    assert set(shown(pane, STATE)) == {"waiting"}
    assert shown(pane, AWAITING) == ["sleep, 1.50 s left"] + ["sleep, 0.50 s left"] * 5
    assert shown(pane, COLUMNS.index("Parent")) == [""] + ["main"] * 5
    assert set(shown(pane, COLUMNS.index("Created at"))[1:]) == {"line 37"}, "in the scenario"
    assert shown(pane, STEPS) == ["1"] * 6
    assert pane.count.text() == "6 tasks" and not pane.empty.isVisible()


def test_rows_update_in_place_as_the_cursor_moves(pane) -> None:
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.5))
    keep = QPersistentModelIndex(pane.model.index(3, TASK))
    signals = Signals(pane.model)
    pane.show_state(rec.state_at(0.8))
    assert signals.resets == signals.inserted == signals.removed == 0
    assert signals.changed, "times and countdowns changed in place"
    assert shown(pane, AWAITING)[1:] == ["sleep, 0.20 s left"] * 5
    pane.show_state(rec.state_at(1.5))
    assert shown(pane, STATE) == ["waiting"] + ["done"] * 5
    assert shown(pane, STEPS) == ["1"] + ["2"] * 5
    assert signals.resets == 0 and keep.isValid() and keep.row() == 3
    waited = [pane.model.row(r).waiting for r in range(6)]
    assert waited[0] == pytest.approx(1.5, abs=0.01)


def test_new_tasks_are_inserted_and_stepping_back_removes_them(pane) -> None:
    rec = lesson("coroutines")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(1.0))
    assert shown(pane, TASK) == ["main"], "Number of tasks: 1"
    signals = Signals(pane.model)
    pane.show_state(rec.state_at(2.5))
    assert shown(pane, TASK) == ["main"] + [f"Task-{k}" for k in range(1, 6)]
    assert signals.inserted == 1 and signals.resets == 0
    assert shown(pane, AWAITING)[0] == "gather: 0 of 5 done"
    pane.show_state(rec.state_at(1.0))
    assert shown(pane, TASK) == ["main"] and signals.removed == 1 and signals.resets == 0


def test_ticking_times_do_not_touch_the_text_columns(pane) -> None:
    """A table sorted by name must not re-sort because waiting times grew."""
    rec = lesson("many")
    pane.set_recording(rec)
    pane.busy_rate = 0  # every state at once (the rate limit has its own test)
    pane.show_state(rec.state_at(0.3))
    signals = Signals(pane.model)
    pane.show_state(rec.state_at(0.3001))
    assert signals.resets == 0
    assert len(signals.changed) == 1, "what ticks goes out as one span"
    first, last, left, right = signals.changed[0]
    assert (left, right) == (AWAITING, WAITING) and last - first > 100


def test_done_failed_and_blocking_are_distinguishable(pane) -> None:
    rec = lesson("queue")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(rec.duration))
    states = dict(zip(shown(pane, TASK), shown(pane, STATE), strict=True))
    assert states["failing"] == "failed: ValueError"
    assert states["spinner"] == "done" and states["producer"] == "done"
    icons = {}
    for r in range(pane.proxy.rowCount()):
        icon = pane.proxy.index(r, STATE).data(Qt.ItemDataRole.DecorationRole)
        icons[shown(pane, TASK)[r]] = icon.pixmap(16, 16).toImage()
    assert icons["failing"] != icons["spinner"], "failed and done have different dots"
    tip = pane.proxy.index(shown(pane, TASK).index("failing"), STATE).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert "ValueError: boom" in tip

    blocking = lesson("blocking")
    pane.set_recording(blocking)
    pane.show_state(blocking.state_at(1.2))
    assert dict(zip(shown(pane, TASK), shown(pane, STATE), strict=True))["main"] == "blocking"


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [("result", Shown.DONE), ("exception", Shown.FAILED), ("cancelled", Shown.CANCELLED)],
)
def test_how_a_task_ended_decides_its_state(outcome, expected) -> None:
    ts = TaskState(7, "t", 3, State.DONE, 1.0, 0, "", "")
    assert shown_state(ts, outcome, blocking=False) is expected
    running = TaskState(7, "t", 3, State.RUNNING, 1.0, 0, "", "")
    assert shown_state(running, None, blocking=True) is Shown.BLOCKING


def test_filter_narrows_two_thousand_tasks(pane, qtbot) -> None:
    rec = lesson("many")
    pane.set_recording(rec)
    pane.busy_rate = 0
    pane.show_state(rec.state_at(0.2))
    total = pane.model.rowCount()
    assert total == 2001
    qtbot.keyClicks(pane.filter_box, "Task-12")
    names = shown(pane, TASK)
    assert len(names) == 1 + 10 + 100  # Task-12, Task-120…129, Task-1200…1299
    assert all(n.startswith("Task-12") for n in names)
    assert pane.count.text() == f"111 of {total} tasks"
    pane.show_state(rec.state_at(0.25))
    assert len(shown(pane, TASK)) == 111, "the filter holds while the cursor moves"
    pane.set_filter("done Task-12")
    assert all(s == "done" for s in shown(pane, STATE))
    pane.set_filter("waiting")
    waiting = len(shown(pane, TASK))
    pane.show_state(rec.state_at(0.45))
    assert set(shown(pane, STATE)) == {"waiting"}, "rows leave the filter as they finish"
    assert len(shown(pane, TASK)) < waiting
    pane.set_filter("no such task")
    assert pane.proxy.rowCount() == 0 and pane.empty.isVisible()
    assert "no such task" in pane.empty.text()
    pane.set_filter("")
    assert pane.proxy.rowCount() == total and not pane.empty.isVisible()


def test_a_big_table_follows_30_states_a_second_at_its_own_pace(pane, qtbot) -> None:
    """Over 500 tasks, states closer than 1/busy_rate apart wait; the newest one wins."""
    rec = lesson("many")
    pane.set_recording(rec)
    now = [10.0]
    pane.clock = lambda: now[0]
    pane.show_state(rec.state_at(0.2))
    assert pane.model.rowCount() == 2001
    before = pane.model.row(5)
    now[0] += 0.01
    pane.show_state(rec.state_at(0.25))
    now[0] += 0.01
    pane.show_state(rec.state_at(0.3))
    assert pane.model.row(5) == before, "not yet: a single-shot timer shows it"
    expected = pane.rows_for(rec.state_at(0.3))[5]
    qtbot.waitUntil(lambda: pane.model.row(5) == expected)
    now[0] += 1.0
    pane.show_state(rec.state_at(0.4))
    assert pane.model.row(5) == pane.rows_for(rec.state_at(0.4))[5], "slow enough: at once"


def test_sorting_by_numbers_and_by_creation(pane) -> None:
    rec = lesson("many")
    pane.set_recording(rec)
    pane.busy_rate = 0
    pane.show_state(rec.state_at(0.1))
    pane.view.sortByColumn(STEPS, Qt.SortOrder.DescendingOrder)
    pane.show_state(rec.state_at(rec.duration))
    steps = [int(s) for s in shown(pane, STEPS)]
    assert steps == sorted(steps, reverse=True), "a sorted table stays sorted as rows change"
    assert steps[0] == 4  # a worker that slept three times: first step + three wakeups
    pane.view.sortByColumn(TASK, Qt.SortOrder.AscendingOrder)
    assert shown(pane, TASK)[:4] == ["main", "Task-1", "Task-2", "Task-3"], "Task-2 < Task-10"


def test_select_task_and_the_user_picking_a_row(pane, qtbot) -> None:
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.5))
    task3 = next(i.id for i in rec.tasks() if i.name == "Task-3")
    with qtbot.assertNotEmitted(pane.taskSelected):
        assert pane.select_task(task3)
    assert pane.selected_task() == task3
    task1 = next(i.id for i in rec.tasks() if i.name == "Task-1")
    rect = pane.view.visualRect(pane.proxy.index(1, TASK))
    with qtbot.waitSignal(pane.taskSelected) as blocker:
        qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [task1]
    pane.set_filter("Task-5")
    assert not pane.select_task(task3), "hidden by the filter"
    assert not pane.select_task(999_999)


def test_empty_state_before_a_run_and_dark_theme_dots(pane) -> None:
    assert pane.model.rowCount() == 0 and pane.empty.isVisible()
    assert "No tasks yet" in pane.empty.text()
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.5))
    light = pane.proxy.index(0, STATE).data(Qt.ItemDataRole.DecorationRole)
    pane.set_theme(DARK)
    dark = pane.proxy.index(0, STATE).data(Qt.ItemDataRole.DecorationRole)
    assert light.pixmap(16, 16).toImage() != dark.pixmap(16, 16).toImage()
    assert state_palette(DARK).dark
    pane.set_recording(None)
    assert pane.model.rowCount() == 0 and pane.empty.isVisible()


def test_a_big_table_builds_only_the_rows_on_screen(pane) -> None:
    """2,001 tasks: a frame makes the rows the view paints, not one per task."""
    rec = lesson("many")
    pane.set_recording(rec)
    pane.busy_rate = 0
    pane.show_state(rec.state_at(0.2))
    pane.view.viewport().repaint()
    built = len(pane.model._built)
    assert pane.model.rowCount() == 2001 and 0 < built < 100
    pane.view.sortByColumn(STEPS, Qt.SortOrder.DescendingOrder)  # from the arrays
    assert len(pane.model._built) < 100
    steps = [int(s) for s in shown(pane, STEPS)]
    assert steps == sorted(steps, reverse=True)
    assert pane.model.row(7) == pane.rows_for(rec.state_at(0.2))[7]
