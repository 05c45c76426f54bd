"""The loop-steps axis: one equal column per handle run, waits squeezed, both directions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from loopviz import record
from loopviz.model import step_axis
from loopviz.model.step_axis import GAP_STEPS, StepAxis, step_times

REPO = Path(__file__).resolve().parents[2]

# Three runs: two back to back (a 1 µs bookkeeping gap), then a 1 s wait in select().
BEGINS = np.array([0.010, 0.010101, 1.0101])
ENDS = np.array([0.010100, 0.010200, 1.2])


def test_every_run_is_one_column_whatever_it_lasted() -> None:
    axis = StepAxis(BEGINS, ENDS)
    starts = axis.to_steps(BEGINS)
    ends = axis.to_steps(ENDS)
    assert np.allclose(ends - starts, 1.0)  # 100 µs, 99 µs and 190 ms alike
    # From 0 s to the first run is a wait (a thin gap); the 1 µs gap has no width;
    # the one-second select() between the 2nd and 3rd run is a thin gap again.
    assert starts[0] == pytest.approx(GAP_STEPS)
    assert starts[1] == pytest.approx(ends[0])
    assert starts[2] - ends[1] == pytest.approx(GAP_STEPS)
    assert axis.total_steps == pytest.approx(3 + 2 * GAP_STEPS)


def test_inside_a_run_time_is_linear() -> None:
    axis = StepAxis(BEGINS, ENDS)
    mid = (BEGINS[2] + ENDS[2]) / 2
    assert axis.to_steps(mid) == pytest.approx(axis.to_steps(BEGINS[2]) + 0.5)


def test_wall_to_steps_and_back_is_the_same_instant_inside_runs() -> None:
    axis = StepAxis(BEGINS, ENDS)
    rng = np.random.default_rng(7)
    k = rng.integers(0, 3, 500)
    t = BEGINS[k] + rng.random(500) * (ENDS[k] - BEGINS[k])
    assert np.allclose(axis.to_wall(axis.to_steps(t)), t, rtol=0, atol=1e-12)
    x = rng.random(500) * axis.total_steps
    assert np.allclose(axis.to_steps(axis.to_wall(x)), x, atol=1e-9)


def test_the_mapping_never_goes_backwards() -> None:
    axis = StepAxis(BEGINS, ENDS)
    t = np.linspace(-1.0, 3.0, 10_001)
    x = axis.to_steps(t)
    assert np.all(np.diff(x) >= 0)
    assert x[0] == 0.0 and x[-1] == pytest.approx(axis.total_steps)  # clamped at both ends


def test_runs_given_out_of_order_or_unfinished_are_placed_in_time_order() -> None:
    axis = StepAxis(np.array([2.0, 1.0, np.nan, 3.0]), np.array([2.5, 1.5, np.nan, np.nan]))
    assert len(axis) == 3
    assert axis.to_steps(1.0) < axis.to_steps(2.0) < axis.to_steps(3.0)
    assert axis.run_index_at(axis.to_steps(2.2)) == 1


def test_no_runs_maps_everything_to_zero() -> None:
    axis = StepAxis.empty()
    assert len(axis) == 0 and axis.total_steps == 0.0
    assert axis.to_steps(5.0) == 0.0
    assert list(axis.to_wall(np.array([0.0, 1.0]))) == [0.0, 0.0]


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        StepAxis(np.zeros(3), np.zeros(2))


def test_the_create_task_lesson_gets_one_column_per_handle_run() -> None:
    rec = record(REPO / "scenarios/03_create_task.py", params={"DELAY": 0.2, "HEAD_START": 0.3})
    begins, ends = step_times(rec)
    axis = StepAxis(begins, ends)
    assert len(axis) == len(rec.handle_runs()) >= 10
    # The five requests' first steps: microseconds in wall time, a column each in steps.
    tasks = {t.name: t for t in rec.tasks()}
    lanes = [tasks[f"Task-{i}"].lane for i in range(2, 7)]
    runs = rec.handle_runs()
    firsts = [runs[runs["lane"] == lane][0] for lane in lanes]
    wall = np.array([[r["begin"], r["end"]] for r in firsts])
    assert wall.max() - wall.min() < 0.01
    cols = axis.to_steps(wall)
    assert np.allclose(cols[:, 1] - cols[:, 0], 1.0)
    assert np.all(np.diff(cols[:, 0]) >= 1.0 - 1e-9)


def _growing_runs(n: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    begins = np.cumsum(rng.choice([1e-6, 2e-3], n) + rng.random(n) * 1e-5)
    return begins, begins + rng.random(n) * 1e-4


def test_an_axis_built_from_a_grown_run_list_maps_as_one_built_from_scratch() -> None:
    begins, ends = _growing_runs(3000)
    probe = np.linspace(-0.1, begins[-1] + 0.1, 20_001)
    older = []
    for n in (10, 700, 701, 2000, 3000):  # a live run: the list grows, the last run is open
        e = ends[:n].copy()
        e[-1] = np.nan
        axis = StepAxis(begins[:n], e)
        x = axis.to_steps(probe)
        older.append((axis, x))
    for axis, x in older:  # building newer axes did not change what the older ones say
        assert np.array_equal(axis.to_steps(probe), x)
    final = StepAxis(begins, ends)
    final.to_steps(0.0)
    assert final._knots.shared is older[-1][0]._knots.shared  # grown, not built anew
    from_scratch = _scratch_axis(begins, ends)
    assert np.allclose(final.to_steps(probe), from_scratch.to_steps(probe), atol=1e-9)
    xs = np.linspace(0, final.total_steps, 5001)
    assert np.allclose(final.to_wall(xs), from_scratch.to_wall(xs), atol=1e-12)
    assert final.run_index_at(final.to_steps(begins[2500]) + 0.5) == 2500


def _scratch_axis(begins: np.ndarray, ends: np.ndarray) -> StepAxis:
    """An axis built with no earlier knots to share."""
    step_axis._recent.clear()
    step_axis._newest.clear()
    axis = StepAxis(begins, ends)
    axis.to_steps(0.0)
    return axis


def test_the_steps_axis_costs_nothing_until_something_maps_through_it() -> None:
    begins, ends = _growing_runs(1000)
    axis = StepAxis(begins, ends)
    assert len(axis) == 1000
    assert axis._knots is None  # only the times were kept: a chart in wall time pays nothing
    axis.to_steps(0.5)
    assert axis._knots is not None


def test_an_axis_given_a_step_index_s_lazy_ends_reads_them_only_when_mapping() -> None:
    class Ends:
        read = 0

        def __len__(self) -> int:
            return 3

        def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
            Ends.read += 1
            return np.asarray(ENDS, dtype=dtype)

    axis = StepAxis(BEGINS, Ends())
    assert len(axis) == 3 and Ends.read == 0
    assert axis.total_steps == pytest.approx(StepAxis(BEGINS, ENDS).total_steps)
    assert Ends.read == 1


def test_a_grown_axis_says_until_when_it_maps_as_the_one_before() -> None:
    begins, ends = _growing_runs(2000, seed=5)
    before = StepAxis(begins[:1500], ends[:1500])
    after = StepAxis(begins, ends)
    until = before.same_until(after)
    assert begins[1000] < until <= ends[1499]  # all but the newest runs are settled
    t = np.linspace(0.0, until, 10_001)
    assert np.array_equal(before.to_steps(t), after.to_steps(t))
    other = StepAxis(begins + 5.0, ends + 5.0)  # another recording: nothing in common
    assert other.same_until(after) == -np.inf
