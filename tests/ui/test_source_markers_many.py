"""Thousands of tasks on one line: the source pane keeps a few markers and counts the rest.

The model's bulk answers (``LoopState.task_lines``, ``task_at``, ``task``) are checked
against the whole list of task states they stand in for.
"""

from __future__ import annotations

from loopviz.model import State
from loopviz.ui.source_markers import LISTED, lane_colors_for, markers_for, split_location
from loopviz.ui.source_view import SourcePane
from loopviz.ui.theme import LIGHT

from .test_live_panes_support import lesson


def test_bulk_task_answers_match_every_task_state() -> None:
    rec = lesson("many")
    state = rec.state_at(0.2)
    every = state.tasks
    assert len(every) == state.task_count > 1000
    for row in (0, 1, 500, len(every) - 1):
        assert state.task_at(row) == every[row]
        assert state.task(every[row].task) == every[row]
    assert state.task(-12345) is None
    lines = state.task_lines()
    for location, rows in lines.items():
        assert all(every[r].line == location and every[r].state != State.DONE for r in rows)
    alive = [t for t in every if t.state != State.DONE and t.line]
    assert sum(len(rows) for rows in lines.values()) == len(alive)


def test_two_thousand_tasks_on_one_line_keep_a_few_markers_and_the_count() -> None:
    rec = lesson("many")
    state = rec.state_at(0.2)
    markers = markers_for(state, "many.py", lane_colors_for(False))
    on_line: dict[int, int] = {}
    for task in state.tasks:  # the slow way: one state per task
        loc = split_location(task.line)
        if task.state != State.DONE and loc is not None:
            on_line[loc[1] - 1] = on_line.get(loc[1] - 1, 0) + 1
    busiest = max(on_line, key=on_line.__getitem__)
    assert on_line[busiest] > 100
    for line, count in on_line.items():
        assert markers.count_on(line) == count
        assert len(markers.tasks_on(line)) == min(count, LISTED)
    shown = markers.tasks_on(busiest)
    assert [(m.running, m.lane) for m in shown[:-1]] == sorted(
        (m.running, m.lane) for m in shown[:-1]
    ), "lane order, as with a few tasks"
    assert f"({on_line[busiest]} tasks)" in markers.annotation(busiest)
    assert f"… and {on_line[busiest] - LISTED:,} more" in markers.tooltip(busiest)


def test_the_source_pane_paints_the_whole_count_in_the_badge(qtbot, tmp_path) -> None:
    rec = lesson("many")
    pane = SourcePane(theme=LIGHT)
    qtbot.addWidget(pane)
    pane.resize(700, 500)
    pane.show()
    qtbot.waitExposed(pane)
    text = "\n".join(f"# line {k}" for k in range(1, 30))
    pane.show_source(text, "many.py")
    markers = pane.show_state(rec.state_at(0.2))
    line = max(markers.counts, key=markers.counts.__getitem__)
    assert markers.count_on(line) > LISTED
    image = pane.grab()
    image.save(str(tmp_path / "many_markers.png"))
    assert not image.isNull()
