"""A live run: the recording grows in small batches and is incomplete at every moment."""

from __future__ import annotations

import numpy as np
import pytest
from model_lessons import blocking_requests, create_task, record

from loopviz.model import Recording, State
from loopviz.model.synthetic import Sim, mixed_workload


def test_slices_handed_out_incrementally_add_up_to_all_of_them():
    w = mixed_workload(tasks=10, rounds=30, seed=5)
    rec = Recording()
    cursor = None
    got: dict[State, list[np.ndarray]] = {}
    versions = []
    for frame in w.frames(batch_ns=20_000_000):
        rec.feed(frame)
        versions.append(rec.version)
        batch, cursor = rec.slices_since(cursor)
        for state, cols in batch.columns.items():
            assert np.all(np.diff(cols.end) >= 0), "each batch is sorted by end"
            got.setdefault(state, []).append(np.stack([cols.lane, cols.start, cols.end, cols.ref]))
        # Open slices never overlap what was handed out as finished for the same lane.
        opened = rec.open_slices()
        assert np.all(opened[State.RUNNING].end >= opened[State.RUNNING].start)
    assert versions == sorted(set(versions))
    everything, _ = rec.slices_since(None)
    for state, cols in everything.columns.items():
        mine = np.concatenate(got[state], axis=1)
        order = np.lexsort((mine[3], mine[2]))
        theirs = np.stack([cols.lane, cols.start, cols.end, cols.ref])
        order2 = np.lexsort((theirs[3], theirs[2]))
        assert np.array_equal(mine[:, order], theirs[:, order2]), state
    # Nothing new since the last cursor.
    again, _ = rec.slices_since(cursor)
    assert len(again) == 0


def test_a_stall_in_progress_live():
    sim = blocking_requests(block=1.5)
    cut = sim.w.messages[0]["t"] + 1_200_000_000  # 1.2 s into the run: 0.7 s into the block
    rec = record(sim.w, until_ns=cut)
    assert rec.outcome is None
    st = rec.state_at(rec.duration)
    assert st.stall is not None
    assert st.stall.call == "requests.get"
    assert st.stall.where.line == 31
    assert st.running.label == "Task-1 · wakeup ← sleep"
    assert st.running.elapsed == pytest.approx(0.6, abs=0.11)
    [stall] = rec.stalls()
    assert stall.ongoing
    assert stall.duration == pytest.approx(rec.duration - 0.5, abs=0.01)
    # The open step is drawn as blocking, up to "now" (which the app may move on).
    opened = rec.open_slices(now=1.3)
    blocking = opened[State.BLOCKING]
    assert len(blocking) == 1
    assert blocking.start[0] == pytest.approx(0.5, abs=0.01)
    assert blocking.end[0] == pytest.approx(1.3)
    assert rec.stats().longest_handle.duration == pytest.approx(rec.duration - 0.5, abs=0.01)


def test_a_handle_running_without_end_is_a_stall_even_unreported():
    def main(sim):
        yield from sim.sleep(0.1)
        sim.work(2.0)  # a CPU loop; the watchdog's messages are lost
        yield from sim.sleep(0.1)

    sim = Sim(scenario="cpu.py")
    sim.run(main)
    cut = sim.w.messages[0]["t"] + 1_000_000_000
    rec = record(sim.w, until_ns=cut)
    # The blocked loop sends nothing: the recording ends when its last record does...
    assert rec.duration == pytest.approx(0.1, abs=0.001)
    assert rec.stalls() == []
    # ...until the app says the runner is still alive "now".
    rec.advance_to(cut)
    assert rec.duration == pytest.approx(1.0)
    [stall] = rec.stalls()
    assert stall.where is None and stall.ongoing
    st = rec.state_at(1.0)
    assert st.stall is not None and st.stall.stall is not None
    assert st.stall.elapsed == pytest.approx(0.9, abs=0.01)
    assert st.running.blocking
    assert rec.state_at(0.15).stall is None  # running, but not yet over the threshold


def test_cut_anywhere_every_query_still_answers():
    sim = create_task()
    start = sim.w.messages[0]["t"]
    for ms in (0, 1, 500, 1000, 1000.03, 1999, 2500):
        rec = record(sim.w, until_ns=start + int(ms * 1e6))
        assert rec.problems == {}
        end = rec.duration
        rec.state_at(end).tasks  # noqa: B018 - materialise everything
        rec.state_at(end / 2)
        rec.slice_arrays()
        rec.stats()
        rec.stalls()
        rec.handle_runs()
        for task in rec.tasks():
            slices = rec.slices(task.id)
            assert all(s.end >= s.start for s in slices)
            if slices:
                assert max(s.end for s in slices) <= end + 1e-9


def test_open_slices_follow_now():
    sim = create_task()
    rec = record(sim.w, until_ns=sim.w.messages[0]["t"] + 500_000_000)
    opened = rec.open_slices(now=0.9)
    waiting = opened[State.WAITING]
    assert len(waiting) == 6  # main and the five requests, all asleep
    assert np.allclose(waiting.end, 0.9)
    assert len(opened[State.IDLE]) == 1


def test_killed_runner_outcome():
    sim = blocking_requests(block=1.5)
    rec = record(sim.w, until_ns=sim.w.messages[0]["t"] + 1_000_000_000)
    rec.add_messages(
        [
            {
                "k": "run_end",
                "t": rec.end_ns + 1000,
                "outcome": "killed",
                "returncode": -9,
                "signal": "SIGKILL",
                "detail": "stopped by the user",
            }
        ]
    )
    out = rec.outcome
    assert (out.outcome, out.returncode, out.signal) == ("killed", -9, "SIGKILL")
    assert out.detail == "stopped by the user"
    assert rec.stalls()[0].ongoing


def test_finished_run_outcome_and_hello():
    rec = record(create_task().w)
    assert rec.outcome.outcome == "returned"
    assert rec.hello["scenario"] == "03_create_task.py"
    assert rec.stall_threshold == pytest.approx(0.1)
    assert rec.start_ns == rec.hello["t"]


def test_live_batches_cost_what_the_batch_costs():
    """Ingesting a small batch into a big recording does not touch the whole recording."""
    import time

    w = mixed_workload(tasks=40, rounds=400, seed=2)
    frames = w.frames(batch_ns=20_000_000)
    rec = Recording()
    half = len(frames) // 2
    for f in frames[:half]:
        rec.feed(f)
    small = frames[half:]

    def cost(rec: Recording, frames: list[bytes]) -> float:
        t0 = time.perf_counter()
        for f in frames[:20]:
            rec.feed(f)
        return (time.perf_counter() - t0) / 20

    fresh = Recording()
    for f in frames[: half // 20]:
        fresh.feed(f)
    assert cost(rec, small) < 5 * cost(fresh, frames[half // 20 :]) + 0.002
