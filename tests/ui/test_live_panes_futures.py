"""The futures table: what the tasks wait on, and who waits on each."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from loopviz.ui.futures_table import COLUMNS, STATE, FuturesPane
from loopviz.ui.live_style import Shown
from loopviz.ui.theme import LIGHT

from .test_live_panes_support import first_instant, lesson


@pytest.fixture
def pane(qtbot) -> FuturesPane:
    widget = FuturesPane(theme=LIGHT)
    qtbot.addWidget(widget)
    widget.resize(800, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def table(pane: FuturesPane) -> list[tuple[str, ...]]:
    proxy = pane.proxy
    return [
        tuple(proxy.index(r, c).data() for c in range(len(COLUMNS)))
        for r in range(proxy.rowCount())
    ]


def test_each_sleep_future_with_the_task_that_waits_on_it(pane) -> None:
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.5))
    rows = table(pane)
    assert len(rows) == 6
    assert rows[0] == ("sleep, 1.50 s left", "sleep() in main", "pending", "main")
    assert sorted(r[3] for r in rows[1:]) == [f"Task-{k}" for k in range(1, 6)]
    assert {r[0] for r in rows[1:]} == {"sleep, 0.50 s left"}
    assert pane.count.text() == "6 pending · 0 resolved" and not pane.empty.isVisible()


def test_gather_queue_and_task_futures_and_their_resolution(pane) -> None:
    rec = lesson("queue")
    pane.set_recording(rec)
    state = first_instant(
        rec, lambda s: sum(f.label == "Queue.get" for f in s.futures) == 2 and s.t > 0.001
    )
    pane.show_state(state)
    rows = table(pane)
    gather = next(r for r in rows if r[0].startswith("gather"))
    assert gather[0] == "gather: 0 of 3 done"
    assert gather[1:] == ("gather() in main", "pending", "main")
    getters = sorted(r[3] for r in rows if r[0] == "Queue.get")
    assert getters == ["consumer-1", "consumer-2"]
    pane.show_state(rec.state_at(rec.duration))
    after = table(pane)
    assert all(r[2] == "resolved" for r in after), "nothing is awaited at the end"
    assert any(r[0] == "Queue.get" and r[3] == "consumer-1" for r in after), "who waited stays"
    tip = pane.proxy.index(0, STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert "result" in tip
    pane.show_state(state)
    assert table(pane) == rows, "stepping back makes them pending again"


def test_a_task_awaited_by_another(pane) -> None:
    rec = lesson("blocking")
    pane.set_recording(rec)
    pane.show_state(first_instant(rec, lambda s: any(f.label == "ticker" for f in s.futures)))
    rows = table(pane)
    ticker = [r for r in rows if r[0] == "ticker"]
    assert ticker and ticker[0][1:] == ("create_task() in main", "pending", "main")


def test_filter_and_empty_states(pane, qtbot) -> None:
    assert pane.empty.isVisible() and "No futures yet" in pane.empty.text()
    rec = lesson("queue")
    pane.set_recording(rec)
    state = first_instant(rec, lambda s: any(f.label == "Queue.get" for f in s.futures))
    pane.show_state(state)
    qtbot.keyClicks(pane.filter_box, "queue")
    assert {r[0] for r in table(pane)} == {"Queue.get"}
    pane.set_filter("nothing like it")
    assert pane.empty.isVisible() and "No future matches" in pane.empty.text()
    pane.set_filter("")
    pane.show_state(None)
    assert pane.model.rowCount() == 0 and pane.empty.isVisible()


def test_stepping_back_before_a_future_existed_removes_it(pane) -> None:
    rec = lesson("create_task")
    pane.set_recording(rec)
    pane.show_state(rec.state_at(0.5))
    pane.show_state(rec.state_at(0.0))
    assert table(pane) == []
    assert all(r.shown is not Shown.RESOLVED for r in pane.model.rows())
