"""Columns grow without one huge copy: a table's columns take turns growing, and what they
hold is untouched by growth."""

from __future__ import annotations

import numpy as np

from loopviz.model import columns
from loopviz.model.columns import NEVER, Column
from loopviz.model.store import Store
from loopviz.model.tables import Raw


def test_the_six_record_columns_never_all_grow_in_the_same_append() -> None:
    raw = Raw()
    rng = np.random.default_rng(1)
    most_at_once = 0
    total = 0
    while raw.n < 2_000_000:
        k = int(rng.integers(500, 5000))
        records = np.zeros((k, 6), dtype=np.int64)
        records[:, 1] = np.arange(raw.n, raw.n + k)
        before = [c.buf for c in raw.cols]
        raw.append(records, records[:, 0].astype(np.uint32))
        grew = [c.buf is not b for c, b in zip(raw.cols, before, strict=True)]
        if len(before[1]) >= 500_000:  # big enough for a copy to show as a frozen frame
            most_at_once = max(most_at_once, sum(grew))
        total += k
    assert raw.n == total
    np.testing.assert_array_equal(raw.cols[1].data, np.arange(total))
    assert most_at_once == 1, "copies are spread over appends, not paid in one"


def test_growth_keeps_values_and_the_not_set_fill() -> None:
    col = Column(np.int32, NEVER)
    values = []
    for k in range(1, 400):
        col.append(np.arange(k, dtype=np.int32))
        values.extend(range(k))
        col.extend(col.n + 3)  # rows handed out unset
        values.extend([NEVER] * 3)
    np.testing.assert_array_equal(col.data, np.array(values, dtype=np.int32))
    assert np.all(col.buf[col.n :] == NEVER), "spare capacity holds the fill"
    assert col.nbytes <= 1.3 * col.n * 4 + 64, "at most about a quarter spare"


SMALL = 1 << 16
"""``AHEAD_FROM`` in these tests: the same steps, on columns small enough to be quick."""


def test_a_recordings_columns_grow_ahead_a_step_per_append(monkeypatch) -> None:
    """The records' columns (the largest) fill their next buffer a step per append, ahead
    of need: every value arrives intact, and views taken before a switch stay valid."""
    monkeypatch.setattr(columns, "AHEAD_FROM", SMALL)
    store = Store()
    col = store.raw.cols[1]
    rng = np.random.default_rng(2)
    views, biggest_jump = [], 0
    while col.n < 40 * SMALL:
        k = int(rng.integers(100, 3000))
        before = col.buf
        col.append(np.arange(col.n, col.n + k))
        if col.buf is not before:
            views.append((before, col.n - k))
            biggest_jump = max(biggest_jump, len(before))
    np.testing.assert_array_equal(col.data, np.arange(col.n))
    assert np.all(col.buf[col.n :] == 0), "spare capacity holds the fill"
    assert len(views) >= 3, "it grew several times"
    for old, n in views:  # a view taken before a switch still reads what it held
        np.testing.assert_array_equal(old[:n], np.arange(n))
    assert col.nbytes <= 4 * col.n * 8, "the buffer and the next one at most"


def test_a_batch_bigger_than_the_room_left_still_lands_whole(monkeypatch) -> None:
    monkeypatch.setattr(columns, "AHEAD_FROM", SMALL)
    store = Store()
    col = store.raw.cols[2]
    col.append(np.arange(SMALL))
    col.append(np.arange(SMALL, SMALL + SMALL // 2))  # starts the next buffer
    col.append(np.arange(SMALL + SMALL // 2, 4 * SMALL))  # more than it holds
    np.testing.assert_array_equal(col.data, np.arange(4 * SMALL))
    col.trim()
    assert len(col.buf) == col.n
    np.testing.assert_array_equal(col.data, np.arange(4 * SMALL))
