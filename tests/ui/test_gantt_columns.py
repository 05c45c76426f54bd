"""The Gantt chart's data side, without a window: culling, appending, lane order, merging."""

from __future__ import annotations

import numpy as np
import pytest

from loopviz.ui.gantt.columns import SliceColumns
from loopviz.ui.gantt.coverage import CoverageGrid
from loopviz.ui.gantt.data import GanttData
from loopviz.ui.gantt.lanes import LaneLayout, tree_guides, tree_order
from loopviz.ui.gantt.palette import SliceState


def random_slices(rng: np.random.Generator, n: int, lanes: int = 8):
    start = rng.uniform(0, 100, n)
    # Mostly short slices, a few very long ones (main waiting for the whole run).
    dur = np.where(rng.random(n) < 0.01, rng.uniform(10, 90, n), rng.exponential(0.01, n))
    end = start + dur
    order = np.argsort(end)
    lane = rng.integers(0, lanes, n).astype(np.int32)
    return lane[order], start[order], end[order], np.arange(n, dtype=np.int64)[order]


def brute(start, end, detail, x0, x1):
    return set(detail[(end >= x0) & (start <= x1)].tolist())


@pytest.mark.parametrize("x0, x1", [(0, 100), (50, 50.01), (10, 20), (99.9, 200), (-5, 0.001)])
def test_cull_returns_exactly_the_slices_overlapping_the_range(x0, x1) -> None:
    rng = np.random.default_rng(7)
    lane, start, end, detail = random_slices(rng, 50_000)
    cols = SliceColumns()
    for i in range(0, len(lane), 5_000):
        cols.append(
            lane[i : i + 5000], start[i : i + 5000], end[i : i + 5000], detail[i : i + 5000]
        )
    got = cols.cull(x0, x1)
    assert set(got.detail.tolist()) == brute(start, end, detail, x0, x1)
    assert cols.estimate_visible(x0, x1) >= len(got)
    # Lane, start, end and detail of each returned slice still belong together.
    where = np.empty(len(detail), np.int64)
    where[detail] = np.arange(len(detail))
    idx = where[got.detail]
    assert np.array_equal(got.start, start[idx])
    assert np.array_equal(got.end, end[idx])
    assert np.array_equal(got.lane, lane[idx])


def test_culling_a_narrow_window_does_not_scan_the_long_slices_neighbours() -> None:
    """One 90 s slice must not turn every short slice of the run into a candidate."""
    rng = np.random.default_rng(3)
    n = 200_000
    start = np.sort(rng.uniform(0, 100, n))
    end = start + 0.001
    cols = SliceColumns()
    cols.append(np.zeros(n, np.int32), start, end, np.arange(n))
    cols.append(np.array([1], np.int32), np.array([5.0]), np.array([95.0]), np.array([-1]))
    visible = len(cols.cull(50.0, 50.01))
    assert visible < 200
    assert cols.estimate_visible(50.0, 50.01) < 4 * visible + 10


def test_out_of_order_batches_are_merged_into_end_order() -> None:
    rng = np.random.default_rng(11)
    lane, start, end, detail = random_slices(rng, 20_000)
    shuffled = rng.permutation(len(lane))
    cols = SliceColumns()
    for chunk in np.array_split(shuffled, 40):
        cols.append(lane[chunk], start[chunk], end[chunk], detail[chunk])
    assert len(cols) == 20_000
    for x0, x1 in [(0, 100), (30, 31), (70, 70.5)]:
        assert set(cols.cull(x0, x1).detail.tolist()) == brute(start, end, detail, x0, x1)


def test_appending_costs_the_batch_not_the_total() -> None:
    """Storage grows geometrically, so a live run's batches never recopy the whole store.

    (Counted in reallocations, not timed: timing belongs in bench/bench_gantt.py.)
    """
    cols = SliceColumns()
    batch = 10_000
    capacities = set()
    for i in range(100):
        start = i + np.linspace(0, 1, batch, endpoint=False)
        cols.append(np.zeros(batch, np.int32), start, start + 1e-4, np.arange(batch))
        capacities.add(tuple(len(b._end) for b in cols._buckets.values()))
    assert len(cols) == 1_000_000
    assert len(capacities) <= 12, sorted(capacities)


def test_reversed_slices_are_normalised() -> None:
    cols = SliceColumns()
    cols.append(np.array([0]), np.array([2.0]), np.array([1.0]), np.array([0]))
    got = cols.cull(1.5, 1.5)
    assert got.start.tolist() == [1.0] and got.end.tolist() == [2.0]


def test_children_are_placed_under_their_parent_in_creation_order() -> None:
    tasks = [
        (0, "event loop", None),
        (1, "main", None),
        (2, "A", 1),
        (3, "B", 1),
        (4, "A.child", 2),
        (5, "orphan", 99),
    ]
    assert tree_order(tasks) == [
        (0, "event loop", 0),
        (1, "main", 0),
        (2, "A", 1),
        (4, "A.child", 2),
        (3, "B", 1),
        (5, "orphan", 0),
    ]


def test_a_parent_cycle_keeps_every_task() -> None:
    assert sorted(lane for lane, _l, _d in tree_order([(1, "a", 2), (2, "b", 1)])) == [1, 2]


def test_tree_guides_mark_tees_elbows_and_pass_through_lines() -> None:
    #  main / A / A.child / B
    assert tree_guides([0, 1, 2, 1]) == [(), (True,), (True, False), (False,)]


def test_lane_layout_maps_lanes_to_rows_and_hides_unknown_lanes() -> None:
    layout = LaneLayout([(5, "five", 0), (2, "two", 1)])
    assert layout.rows_of(np.array([5, 2, 3, 7])).tolist() == [0, 1, -1, -1]
    assert layout.row_of(2) == 1 and layout.row_of(9) is None
    assert layout.labels() == ["five", "two"]


def test_merging_keeps_every_covered_pixel_and_adds_none() -> None:
    rng = np.random.default_rng(5)
    rows = rng.integers(0, 4, 5000)
    mid = rng.uniform(0, 300, 5000)
    width = rng.exponential(0.05, 5000)  # narrower than a pixel
    width[:10] = 0.0  # zero-length slices still show
    grid = CoverageGrid(4, 300)
    grid.add(rows, mid, width)
    expect = np.zeros((4, 300), bool)
    expect[rows, mid.astype(int)] = True
    got = np.zeros((4, 300), bool)
    run_rows, first, stop = grid.runs()
    for r, a, b in zip(run_rows, first, stop, strict=True):
        assert not got[r, a:b].any(), "runs overlap"
        got[r, a:b] = True
    assert np.array_equal(got, expect)
    # Runs are maximal: two runs on a row never touch.
    for r in range(4):
        sel = run_rows == r
        assert np.all(first[sel][1:] > stop[sel][:-1])


def test_merged_pixels_know_how_much_of_them_a_state_took() -> None:
    """Ten 0.1-pixel slices fill a pixel; one 0.1-pixel slice only touches it."""
    grid = CoverageGrid(2, 10)
    grid.add(np.zeros(10, int), 3 + np.arange(10) / 10, np.full(10, 0.1))
    grid.add(np.ones(1, int), np.array([7.5]), np.array([0.1]))
    assert grid.share()[0, 3] == pytest.approx(1.0)
    (full_rows, full_first, _), (thin_rows, thin_first, _) = grid.split_runs()
    assert list(zip(full_rows, full_first, strict=True)) == [(0, 3)]
    assert list(zip(thin_rows, thin_first, strict=True)) == [(1, 7)]


def test_gantt_data_finds_the_slice_under_the_mouse_including_open_ones() -> None:
    data = GanttData()
    data.set_lanes([(0, "loop", 0), (1, "main", 0)])
    data.add_slices(
        np.array([1, 1]),
        np.array([0.0, 1.0]),
        np.array([1.0, 1.5]),
        np.array([SliceState.RUNNING, SliceState.WAITING]),
        np.array([10, 11]),
    )
    data.set_open(np.array([1]), np.array([1.5]), np.array([SliceState.READY]))
    data.set_now(3.0)
    assert data.slice_at(1, 0.5).detail == 10
    assert data.slice_at(1, 1.2).state is SliceState.WAITING
    hit = data.slice_at(1, 2.5)
    assert hit.open and hit.state is SliceState.READY and hit.end == 3.0
    assert data.slice_at(0, 0.5) is None
    assert data.extent() == (0.0, 3.0)


def test_gantt_data_rejects_mismatched_columns() -> None:
    data = GanttData()
    with pytest.raises(ValueError):
        data.add_slices(np.array([0, 1]), np.array([0.0]), np.array([1.0]), np.array([0]))
    with pytest.raises(ValueError):
        data.add_slices(np.array([0]), np.array([0.0]), np.array([1.0]), np.array([9]))


def test_per_state_batches_land_in_their_state() -> None:
    data = GanttData()
    data.set_lanes([(0, "loop", 0)])
    data.add_state_slices(SliceState.IDLE, np.array([0]), np.array([0.0]), np.array([2.0]))
    assert len(data.columns[SliceState.IDLE]) == 1 and len(data) == 1
    with pytest.raises(ValueError):
        data.add_state_slices(7, np.array([0]), np.array([0.0]), np.array([1.0]))
