"""Past the recording limit the ready queue is not recorded: the pane says so, not a stale queue."""

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
