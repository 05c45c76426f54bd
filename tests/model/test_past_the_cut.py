"""Past a cap on events (``limit_reached``) the run goes on with only its summary recorded.

What a user sees in the model: the slices going on at the cut end there (no amber "ready"
bar up to the end of a run whose tasks long finished), nothing is "still going" past it, and
``state_at`` says when its ready queue and running handle are those at the cut.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from loopviz import record
from loopviz.model import Recording
from loopviz.model.slices import SLICE_STATES, State

SPIN = Path(__file__).parent / "scenarios" / "spin_then_rest.py"
CAP = 3000
TIMELINE = (State.RUNNING, State.READY, State.BLOCKING, State.CALLBACK, State.IDLE)


@pytest.fixture(scope="module")
def whole() -> Recording:
    """Ten tasks spin on ``sleep(0)``, then rest 0.2 s and return: recorded without a cap."""
    rec = record(SPIN, max_events=None)
    assert rec.limit_reached is None and rec.event_count > 3 * CAP
    return rec


def _cut(rec: Recording) -> float:
    until = rec.state_at(0.0).recorded_until
    assert until is not None, "the cap cut the records"
    return until


def test_a_live_recording_cut_by_its_cap_ends_the_slices_going_on_there(whole: Recording) -> None:
    live = Recording(max_events=CAP)
    live.add_messages(whole.messages()[:1])
    live.add_strings(whole.strings().items())
    records = whole.records()
    cursor, seen = None, {state: [] for state in SLICE_STATES}
    for lo in range(0, len(records), 500):  # batches as the app reads them
        live.add_records(records[lo : lo + 500])
        batch, cursor = live.slices_since(cursor)
        for state in SLICE_STATES:
            c = batch[state]
            seen[state] += list(zip(c.lane.tolist(), c.start.tolist(), c.end.tolist(), strict=True))
    live.advance_to(whole.end_ns)  # the run goes on past the cut
    cut = _cut(live)
    assert 0 < cut < whole.duration / 10
    assert len(live.open_slices()) == 0, "past the cut nothing is drawn as still going"
    ready_at_cut = [s for s in seen[State.READY] if s[2] == pytest.approx(cut)]
    assert len(ready_at_cut) >= 5, "the tasks in the ready queue at the cut wait until it"
    for state in TIMELINE:
        ends = np.array([e for _lane, _s, e in seen[state]])
        assert not len(ends) or ends.max() <= cut + 1e-9, f"{state.name} after the cut"
    # Handed out once each: what the chart collected is every slice of the recording.
    every = live.slice_arrays()
    for state in SLICE_STATES:
        c = every[state]
        mine = list(zip(c.lane.tolist(), c.start.tolist(), c.end.tolist(), strict=True))
        assert sorted(seen[state]) == sorted(mine), state.name


def test_the_state_past_the_cut_says_only_the_summary_is_recorded(whole: Recording) -> None:
    live = Recording(max_events=CAP)
    live.add_messages(whole.messages()[:1])
    live.add_strings(whole.strings().items())
    live.add_records(whole.records())
    cut = _cut(live)
    before, after = live.state_at(cut / 2), live.state_at(cut + 0.1)
    assert not before.summary_only and before.recorded_until == cut
    assert after.summary_only and after.recorded_until == cut
    full = whole.state_at(cut / 2)
    assert before.loops[0].ready_count == full.loops[0].ready_count  # the cut changes no past


def test_a_run_cut_by_the_runner_ends_its_timeline_at_the_cut() -> None:
    rec = record(SPIN, max_events=CAP)
    assert rec.limit_reached is not None and rec.limit_reached["what"] == "events"
    cut = _cut(rec)
    assert rec.state_at(rec.duration).summary_only
    assert not rec.state_at(cut).summary_only
    assert len(rec.open_slices()) == 0
    every = rec.slice_arrays()
    for state in TIMELINE:
        assert not len(every[state]) or every[state].end.max() <= cut + 1e-9, state.name
    assert rec.outcome is not None and rec.outcome.outcome == "returned"


def test_a_run_without_a_cut_has_no_recorded_until(whole: Recording) -> None:
    state = whole.state_at(whole.duration)
    assert state.recorded_until is None and not state.summary_only
