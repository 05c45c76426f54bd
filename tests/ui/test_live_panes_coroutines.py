"""Coroutine objects nothing runs yet — lesson 02, "Number of tasks: 1"."""

from __future__ import annotations

import pytest

from loopviz.ui.coroutines_pane import FADE, CoroutinesPane
from loopviz.ui.theme import LIGHT

from .test_live_panes_support import lesson


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pane(qtbot) -> CoroutinesPane:
    widget = CoroutinesPane(theme=LIGHT)
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    widget.show()
    qtbot.waitExposed(widget)
    widget.clock = FakeClock()
    return widget


def heading(pane: CoroutinesPane) -> tuple[str, str]:
    """The bold line and the dim one under it, as shown."""
    return pane.heading.text(), pane.subheading.text().strip()


def texts(pane: CoroutinesPane, column: int = 0) -> list[str]:
    model = pane.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_five_coroutines_wait_during_the_sleep_then_become_tasks(pane) -> None:
    rec = lesson("coroutines")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(1.0))
    assert heading(pane) == ("5 coroutines, not scheduled", "nothing runs them yet")
    assert texts(pane) == ["get_request()"] * 5
    assert texts(pane, 1) == ["1.00 s"] * 5, "age"
    assert set(texts(pane, 2)) == {"line 37"}, "a line of the scenario itself"
    assert len(pane.pending()) == 5 and not pane.empty.isVisible()

    pane.show_state(rec.state_at(2.5))  # after the gather
    assert pane.pending() == []
    became = [row.became for row in pane.leaving()]
    assert became == [f"Task-{k}" for k in range(1, 6)], "each one visibly becomes a task"
    assert texts(pane) == [f"get_request() → Task-{k}" for k in range(1, 6)]
    assert heading(pane) == ("0 coroutines, not scheduled", "5 just became tasks")

    pane.clock.now += FADE / 2
    pane.tick()
    assert len(pane.leaving()) == 5, "still fading"
    pane.clock.now += FADE
    pane.tick()
    assert pane.leaving() == [] and pane.model.rowCount() == 0
    assert heading(pane) == ("0 coroutines, not scheduled", "")
    assert pane.empty.isVisible()


def test_the_fade_runs_on_its_own(qtbot) -> None:
    pane = CoroutinesPane(theme=LIGHT)
    qtbot.addWidget(pane)
    rec = lesson("coroutines")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(1.0))
    pane.show_state(rec.state_at(2.5))
    assert len(pane.leaving()) == 5
    qtbot.waitUntil(lambda: not pane.leaving(), timeout=int(FADE * 1000) + 5000)


def test_create_task_leaves_no_coroutine_waiting(pane) -> None:
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.5))
    assert pane.pending() == [] and pane.heading.text() == "0 coroutines, not scheduled"


def test_a_coroutine_awaited_directly_runs_in_its_creator(pane) -> None:
    rec = lesson("sequential")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.25))
    assert texts(pane) == ["get_request()"]
    pane.show_state(rec.state_at(0.75))
    assert [row.became for row in pane.leaving()] == ["awaited in main"]
    assert not pane.leaving()[0].to_task
    assert heading(pane) == ("0 coroutines, not scheduled", "1 just started running")


def test_jumping_or_stepping_back_shows_no_transition(pane) -> None:
    rec = lesson("coroutines")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(2.5))
    assert pane.leaving() == [] and pane.pending() == []
    pane.show_state(rec.state_at(1.0))
    assert len(pane.pending()) == 5 and pane.leaving() == []
    pane.show_state(None)
    assert pane.model.rowCount() == 0 and pane.empty.isVisible()
