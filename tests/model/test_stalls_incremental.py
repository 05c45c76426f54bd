"""``Recording.stalls()`` during a live run: kept between batches, yet always the list that
the stalls found from scratch would give — while a stall lasts, after it ends, at the end."""

from __future__ import annotations

import numpy as np
import pytest
from tests.runner.lessons import scenario

import loopviz
from loopviz.model import Recording
from loopviz.model.stalls import stalls as stalls_from_scratch
from loopviz.model.synthetic import mixed_workload


def replay(done: Recording, pieces: int) -> list[Recording]:
    """Feed ``done``'s records and messages to a new recording in ``pieces`` time slices,
    the way the runner's batches arrive (with "now" moving on in between); the recording
    is checked after each step by the caller, so this yields it."""
    live = Recording()
    live.add_strings(done.strings().items())
    records = done.records()
    messages = sorted(
        done.messages(), key=lambda m: m.get("t") if isinstance(m.get("t"), int) else 0
    )
    times = [m.get("t") if isinstance(m.get("t"), int) else 0 for m in messages]
    cuts = np.linspace(done.start_ns, done.end_ns, pieces + 1)[1:]
    lo = taken = 0
    for cut in cuts:
        hi = int(np.searchsorted(records[:, 1], cut, side="right"))
        upto = int(np.searchsorted(np.array(times), cut, side="right"))
        live.add_messages(messages[taken:upto])
        live.add_records(records[lo:hi])
        lo, taken = hi, upto
        yield live
        live.advance_to(int(cut) + 1)
        yield live


def check_live(done: Recording, pieces: int) -> int:
    checked = 0
    for live in replay(done, pieces):
        for _ in range(2):  # asked twice: the kept list is still right
            assert live.stalls() == stalls_from_scratch(live._store)
        checked += len(live.stalls())
    assert live.stalls() == done.stalls()
    return checked


@pytest.mark.slow
def test_a_blocking_lesson_fed_live_finds_the_stalls_found_from_scratch() -> None:
    done = loopviz.record(scenario("04_blocking_requests.py"), params={"DELAY": 0.3})
    assert done.stalls(), "the lesson blocks the loop"
    assert check_live(done, 40) > 0


@pytest.mark.parametrize("pieces", [7, 60])
def test_many_stalls_fed_live_are_the_stalls_found_from_scratch(pieces: int) -> None:
    done = Recording()
    done.feed(mixed_workload(tasks=20, rounds=60, seed=5, stall_every=8).data())
    assert len(done.stalls()) >= 5
    assert check_live(done, pieces) > 0


def test_a_stall_still_going_grows_with_now_and_ends_when_its_handle_ends() -> None:
    done = Recording()
    done.feed(mixed_workload(tasks=5, rounds=30, seed=2, stall_every=8).data())
    first = done.stalls()[0]
    live = Recording()
    live.add_strings(done.strings().items())
    records = done.records()
    began = done.start_ns + round(first.begin * 1e9)
    inside = int(np.searchsorted(records[:, 1], began, side="right"))
    live.add_messages([m for m in done.messages() if m.get("k") == "hello"])
    live.add_records(records[:inside])
    assert live.stalls() == []
    live.advance_to(began + 2 * live._store.stall_ns)
    (going,) = live.stalls()
    assert going.end is None and going.duration == pytest.approx(2 * live.stall_threshold)
    live.advance_to(began + 3 * live._store.stall_ns)
    (longer,) = live.stalls()
    assert longer.duration == pytest.approx(3 * live.stall_threshold)
    live.add_records(records[inside:])
    assert live.stalls()[0].end == pytest.approx(first.end)
    assert live.stalls() == stalls_from_scratch(live._store)
