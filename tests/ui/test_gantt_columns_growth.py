"""The Gantt chart's slice columns grow ahead of need (no single big copy in one frame) and
hold exactly what a plain append of every batch, sorted by end, would hold."""

from __future__ import annotations

import numpy as np
import pytest

from loopviz.ui.gantt import columns
from loopviz.ui.gantt.columns import SliceColumns, duration_class

SMALL = 1 << 10
"""``AHEAD_FROM`` and ``AHEAD_MIN_STEP`` in these tests: the same steps on small buckets."""


@pytest.fixture
def small_steps(monkeypatch) -> None:
    monkeypatch.setattr(columns, "AHEAD_FROM", SMALL)
    monkeypatch.setattr(columns, "AHEAD_MIN_STEP", SMALL // 8)


def _batches(rng: np.random.Generator, total: int, shuffled: bool):
    """Batches of slices moving forward in time; some reach back into the tail."""
    t, made = 0.0, 0
    while made < total:
        k = int(rng.integers(1, 900))
        start = t + np.cumsum(rng.uniform(0.0, 1e-3, k))
        length = rng.choice([0.0, 1e-6, 1e-4, 2e-3], size=k)
        end = start + length
        if shuffled and rng.random() < 0.3:
            end = end - rng.uniform(0.0, 5e-3)  # ends before the tail's last: a merge
            start = np.minimum(start, end)
            rng.shuffle(end)
        lane = rng.integers(0, 50, k).astype(np.int32)
        detail = np.arange(made, made + k, dtype=np.int64)
        yield lane, start, end, detail
        t = float(start[-1])
        made += k


def _plain(batches) -> dict[int, tuple[np.ndarray, ...]]:
    """Per duration class: every slice in insertion order, stably sorted by end."""
    lane, start, end, detail = (np.concatenate(parts) for parts in zip(*batches, strict=True))
    start, end = np.minimum(start, end), np.maximum(start, end)
    classes = duration_class(end - start)
    out = {}
    for cls in np.unique(classes).tolist():
        sel = np.flatnonzero(classes == cls)
        order = sel[np.argsort(end[sel], kind="stable")]
        out[cls] = (lane[order], start[order], end[order], detail[order])
    return out


@pytest.mark.parametrize("total", [SMALL - 1, SMALL * 3 + 7, SMALL * 40, SMALL * 130])
@pytest.mark.parametrize("shuffled", [False, True])
def test_growth_keeps_the_contents_of_a_plain_append(small_steps, total, shuffled) -> None:
    rng = np.random.default_rng(total + shuffled)
    cols = SliceColumns()
    batches = list(_batches(rng, total, shuffled))
    switches = 0
    for batch in batches:
        before = {cls: b._end for cls, b in cols._buckets.items()}
        cols.append(*batch)
        switches += sum(b._end is not before.get(cls, b._end) for cls, b in cols._buckets.items())
    expected = _plain(batches)
    assert sorted(cols._buckets) == sorted(expected)
    for cls, bucket in cols._buckets.items():
        n = bucket.n
        got = (bucket._lane[:n], bucket._start[:n], bucket._end[:n], bucket._detail[:n])
        for field, want in zip(got, expected[cls], strict=True):
            np.testing.assert_array_equal(field, want)
    if total >= SMALL * 40:
        assert switches >= 3, "buckets grew several times, ahead of need"
    everything = cols.cull(-np.inf, np.inf)
    assert len(everything) == len(cols) == sum(len(b[0]) for b in batches)


def test_a_big_bucket_never_copies_more_than_a_step_in_one_append(small_steps) -> None:
    """What a user sees as a frozen frame: one append copying a whole big bucket. Once big,
    a bucket copies at most a step (the batch times ``AHEAD_STEP``, or the minimum step)."""
    rng = np.random.default_rng(5)
    cols = SliceColumns()
    biggest = 0
    for lane, start, end, detail in _batches(rng, SMALL * 200, shuffled=False):
        end = start + 1e-4  # one duration class: one bucket
        (bucket,) = cols._buckets.values() or [None]
        if bucket is None:
            cols.append(lane, start, end, detail)
            continue
        cap, n, copied, pending = bucket.capacity, bucket.n, bucket._copied, bucket._next
        cols.append(lane, start, end, detail)
        if cap < SMALL:
            continue
        step = max(columns.AHEAD_MIN_STEP, columns.AHEAD_STEP * len(end))
        if bucket.capacity != cap:  # switched: the rows not copied ahead were copied now
            left = n - copied if pending is not None else n
            assert left <= step, f"a switch at {n} rows copied {left} rows at once"
            biggest = max(biggest, left)
    assert bucket.capacity >= 64 * SMALL, "it grew well past the threshold"
    np.testing.assert_array_equal(bucket._end[: bucket.n], np.sort(bucket._end[: bucket.n]))


def test_a_merge_into_rows_already_copied_ahead_is_not_lost(small_steps) -> None:
    cols = SliceColumns()
    n = SMALL * 4
    start = np.arange(n, dtype=np.float64)
    cols.append(np.zeros(n, np.int32), start, start + 0.5, np.arange(n))
    (bucket,) = cols._buckets.values()
    cap = bucket.capacity
    k = 0
    while bucket._next is None and k < n:  # fill until the next arrays are being filled
        s = np.array([n + k], np.float64)
        cols.append(np.zeros(1, np.int32), s, s + 0.5, np.array([n + k]))
        k += 1
    assert bucket._copied > 10
    # A late slice that ends among the rows already copied ahead.
    cols.append(np.array([7], np.int32), np.array([4.9]), np.array([5.4]), np.array([-1]))
    while bucket.capacity == cap and k < 2 * n:
        s = np.array([n + k], np.float64)
        cols.append(np.zeros(1, np.int32), s, s + 0.5, np.array([n + k]))
        k += 1
    ends = bucket._end[: bucket.n]
    assert bucket.n == n + k + 1
    np.testing.assert_array_equal(ends, np.sort(ends))
    where = int(np.flatnonzero(bucket._detail[: bucket.n] == -1)[0])
    assert (bucket._lane[where], ends[where]) == (7, 5.4)
    culled = cols.cull(5.2, 5.3)
    assert -1 in culled.detail.tolist()
