"""Past the recording limit the ready queue and states are not recorded: the panes say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from loopviz import record
from loopviz.model import Recording
from loopviz.ui.ready_queue_pane import EMPTY_TEXT, PAST_CUT_TEXT, ReadyQueuePane

SPIN = Path(__file__).resolve().parents[1] / "model" / "scenarios" / "spin_then_rest.py"


@pytest.fixture(scope="module")
def cut() -> Recording:
    """Ten tasks spinning on sleep(0), recorded with a cap that cuts them mid-spin."""
    rec = record(SPIN, max_events=3000)
    assert rec.limit_reached is not None
    return rec


def test_before_the_cut_the_queue_shows_and_past_it_the_pane_says_why_not(
    qtbot, cut: Recording
) -> None:
    pane = ReadyQueuePane()
    qtbot.addWidget(pane)
    pane.resize(700, 160)
    pane.show()
    until = cut.state_at(0.0).recorded_until
    assert until is not None
    before = cut.state_at(until * 0.9)
    pane.show_state(before, animate=False)
    assert not pane.empty.isVisible() and pane.empty.text() == EMPTY_TEXT
    pane.show_state(cut.state_at(until + 0.05), animate=False)
    assert pane.empty.isVisible() and pane.empty.text() == PAST_CUT_TEXT
    pane.show_state(before, animate=False)  # scrubbing back shows the queue again
    assert not pane.empty.isVisible()


def test_the_tasks_table_says_its_states_are_those_at_the_limit(qtbot, cut: Recording) -> None:
    from loopviz.ui.tasks_table import TasksPane

    pane = TasksPane()
    qtbot.addWidget(pane)
    pane.resize(700, 300)
    pane.show()
    pane.set_recording(cut)
    until = cut.state_at(0.0).recorded_until
    pane.show_state(cut.state_at(until * 0.9))
    assert "limit" not in pane.count.text()
    past = cut.state_at(until + 0.05)
    pane.show_state(past)
    assert "past the recording limit" in pane.count.text()
    texts = {pane.proxy.index(r, 1).data() for r in range(pane.proxy.rowCount())}
    assert any(t.endswith("(at the limit)") for t in texts), texts
