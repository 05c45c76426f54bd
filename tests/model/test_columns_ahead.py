"""Big columns grow ahead of need: no append copies a whole big column, and what a column
holds is what a plain append (and the caller's rewrites) would hold."""

from __future__ import annotations

import numpy as np
import pytest

from loopviz.model import columns
from loopviz.model.columns import Column

SMALL = 1 << 12
"""``AHEAD_FROM`` and ``AHEAD_MIN_STEP`` in these tests: the same steps on small columns."""


@pytest.fixture
def small_steps(monkeypatch) -> None:
    monkeypatch.setattr(columns, "AHEAD_FROM", SMALL)
    monkeypatch.setattr(columns, "AHEAD_MIN_STEP", SMALL // 16)


def _appends(rng: np.random.Generator, total: int):
    n = 0
    while n < total:
        k = min(total - n, int(rng.integers(1, 700)))
        yield k
        n += k


@pytest.mark.parametrize("total", [SMALL - 1, SMALL + 1, SMALL * 7 + 3, SMALL * 90])
def test_an_append_only_column_holds_a_plain_append(small_steps, total) -> None:
    rng = np.random.default_rng(total)
    col = Column(np.int64)
    col.grow_ahead()
    plain: list[np.ndarray] = []
    for k in _appends(rng, total):
        values = rng.integers(-(2**40), 2**40, k)
        col.append(values)
        plain.append(values)
    np.testing.assert_array_equal(col.data, np.concatenate(plain))
    assert np.all(col.buf[col.n :] == 0), "spare capacity holds the fill"


@pytest.mark.parametrize("total", [SMALL * 3 + 5, SMALL * 60])
def test_rows_rewritten_above_the_settled_mark_are_kept(small_steps, total) -> None:
    """Like the step index's ends: a run's end is written again when it finishes, and the
    first run still going is the mark below which no row changes any more."""
    rng = np.random.default_rng(total)
    col = Column(np.float64)
    plain = np.zeros(0)
    open_rows: list[int] = []
    col.grow_ahead(settled=lambda: min(open_rows, default=col.n))
    for k in _appends(rng, total):
        first = col.n
        col.append(np.full(k, -1.0))
        plain = np.concatenate([plain, np.full(k, -1.0)])
        open_rows.extend(range(first, first + k))
        # Some runs end (often the oldest, sometimes a recent one), rewriting their rows.
        for _ in range(int(rng.integers(0, len(open_rows) + 1))):
            row = open_rows.pop(0 if rng.random() < 0.8 else -1)
            value = float(rng.random())
            col.buf[row] = value
            plain[row] = value
    np.testing.assert_array_equal(col.data, plain)


def test_no_append_copies_more_than_a_step_of_a_big_column(small_steps) -> None:
    """What a user sees as a frozen frame is one append copying a whole big column: past
    ``AHEAD_FROM`` a switch copies only the rows not yet copied ahead, at most one step."""
    rng = np.random.default_rng(3)
    col = Column(np.int32)
    col.grow_ahead()
    switches = 0
    for k in _appends(rng, SMALL * 120):
        buf, n, copied, pending = col.buf, col.n, col._copied, col._next
        col.append(np.arange(n, n + k, dtype=np.int32))
        if col.buf is not buf and len(buf) >= SMALL:
            switches += 1
            left = n - copied if pending is not None else n
            step = max(columns.AHEAD_MIN_STEP, columns.AHEAD_STEP * k)
            assert left <= step, f"a switch at {n} rows copied {left} rows at once"
    assert switches >= 5
    np.testing.assert_array_equal(col.data, np.arange(col.n))


def test_both_buffers_are_held_only_near_the_end_of_a_cycle(small_steps) -> None:
    """A recording of a million events must not hold its records twice most of the time."""
    col = Column(np.int64)
    col.grow_ahead()
    held_twice = 0
    for _ in range(SMALL * 50 // 100):
        col.append(np.arange(100))
        if col._next is not None:
            held_twice += 1
            assert col.n > len(col.buf) * columns.AHEAD_START
    assert 0 < held_twice < SMALL * 50 // 100 * 0.5
