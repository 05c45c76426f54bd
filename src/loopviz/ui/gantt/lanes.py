"""Which lane sits on which row, and the order that puts children under their parent.

Slices name their lane by the model's lane index, a stable id; the row a lane is
drawn on can change (a new child task is inserted under its parent). The renderer
maps lane -> row through a small lookup table at paint time, so inserting a lane
never rewrites the stored slices.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Lane:
    """One row of the chart: the model's lane index, its name, and its tree depth."""

    lane: int
    label: str
    depth: int = 0


def tree_order(tasks: Iterable[tuple[int, str, int | None]]) -> list[tuple[int, str, int]]:
    """``(lane, label, parent_lane)`` in creation order -> ``(lane, label, depth)`` rows.

    Roots keep their creation order; each child is placed under its parent (after
    the parent's earlier children), depth-first. A parent that is unknown, or a
    loop in the parent links, makes the task a root rather than losing it.
    """
    items = list(tasks)
    known = {lane for lane, _label, _parent in items}
    children: dict[int | None, list[tuple[int, str]]] = {}
    for lane, label, parent in items:
        key = parent if parent in known and parent != lane else None
        children.setdefault(key, []).append((lane, label))
    out: list[tuple[int, str, int]] = []
    placed: set[int] = set()
    stack = [(lane, label, 0) for lane, label in reversed(children.get(None, []))]
    while stack:
        lane, label, depth = stack.pop()
        if lane in placed:
            continue
        placed.add(lane)
        out.append((lane, label, depth))
        stack.extend((c, lbl, depth + 1) for c, lbl in reversed(children.get(lane, [])))
    # Tasks only reachable through a parent cycle: show them as roots, in creation order.
    for lane, label, _parent in items:
        if lane not in placed:
            placed.add(lane)
            out.append((lane, label, 0))
    return out


def tree_guides(depths: Sequence[int]) -> list[tuple[bool, ...]]:
    """For each row, whether the tree line at levels ``1..depth`` continues below it.

    Entry ``k - 1`` of row *i* is True when a later row at depth *k* follows before
    any shallower row: at the row's own level that means "has a later sibling"
    (draw a tee, else an elbow); at an ancestor's level, "draw a pass-through line".
    """
    top = max(depths, default=0)
    cont = [False] * (top + 2)
    out: list[tuple[bool, ...]] = [()] * len(depths)
    for i in range(len(depths) - 1, -1, -1):
        d = max(0, depths[i])
        out[i] = tuple(cont[1 : d + 1])
        cont[d] = True
        for k in range(d + 1, len(cont)):
            cont[k] = False
    return out


GUIDE_LEVELS = 64
"""Tree levels with connector lines; deeper rows are drawn off to the right anyway."""


def guide_table(depths: np.ndarray, levels: int) -> np.ndarray:
    """:func:`tree_guides` as an ``(n, levels)`` bool array, with array operations only.

    Entry ``[i, k - 1]``: the first row after *i* at depth ``<= k`` is at depth *k*
    (100,000 rows: a few milliseconds, where the loop takes a tenth of a second).
    """
    n = len(depths)
    out = np.zeros((n, levels), dtype=bool)
    if not n:
        return out
    depths = np.maximum(depths, 0)
    idx = np.arange(n)
    for k in range(1, levels + 1):
        nxt = np.where(depths <= k, idx, n)
        after = np.empty(n, dtype=np.int64)
        after[:-1] = np.minimum.accumulate(nxt[::-1])[::-1][1:]
        after[-1] = n
        found = after < n
        out[:, k - 1] = found & (depths[np.minimum(after, n - 1)] == k)
    return out


class Guides:
    """Row -> the row's :func:`tree_guides` entry, from a :func:`guide_table` made once."""

    def __init__(self, depths: np.ndarray) -> None:
        self._depths = depths
        top = int(depths.max()) if len(depths) else 0
        self._table = guide_table(depths, min(max(top, 0), GUIDE_LEVELS))

    def __len__(self) -> int:
        return len(self._depths)

    def __getitem__(self, row: int) -> tuple[bool, ...]:
        depth = max(0, int(self._depths[row]))
        shown = tuple(self._table[row, : min(depth, GUIDE_LEVELS)].tolist())
        return shown + (False,) * (depth - len(shown))


class LaneRows(Sequence[Lane]):
    """The rows as :class:`Lane` objects, made when asked for: the layout keeps columns
    (100,000 row objects would be 100,000 more objects for each garbage collection)."""

    def __init__(self, layout: LaneLayout) -> None:
        self._layout = layout

    def __len__(self) -> int:
        return len(self._layout.labels_list)

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [self[r] for r in range(*row.indices(len(self)))]
        lo = self._layout
        label = lo.labels_list[row]  # raises IndexError past the end, as a list does
        if row < 0:
            row += len(lo.labels_list)
        return Lane(int(lo.lane_ids[row]), label, int(lo.depths[row]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)


class LaneLayout:
    """The rows in display order plus the lane -> row lookup table.

    A live run mostly adds lanes at the bottom (:meth:`append`) and renames a few
    (:meth:`relabel`): both cost what changed, not every row, so 100,000 lanes
    can grow a frame at a time. Rows are kept as columns (ids, labels, depths).
    """

    def __init__(self, lanes: Iterable[tuple[int, str, int] | Lane] = ()) -> None:
        self.labels_list: list[str] = []
        self._ids = np.zeros(16, np.int64)
        self._depths = np.zeros(16, np.int32)
        # One extra slot holds -1: lanes not (yet) in the layout map there and are hidden.
        self.row_lut = np.full(1, -1, np.int32)
        self._guides: Guides | None = None
        self.rows = LaneRows(self)
        self.append(lanes)

    @property
    def lane_ids(self) -> np.ndarray:
        """Lane id of each row."""
        return self._ids[: len(self.labels_list)]

    @property
    def depths(self) -> np.ndarray:
        """Tree depth of each row."""
        return self._depths[: len(self.labels_list)]

    def append(self, lanes: Iterable[tuple[int, str, int] | Lane]) -> list[Lane]:
        """Add rows at the bottom; returns them as :class:`Lane` objects."""
        new = [entry if isinstance(entry, Lane) else Lane(*entry) for entry in lanes]
        if not new:
            return new
        first = len(self.labels_list)
        end = first + len(new)
        if end > len(self._ids):
            size = max(end, 2 * len(self._ids))
            self._ids = np.resize(self._ids, size)
            self._depths = np.resize(self._depths, size)
        ids = np.fromiter((r.lane for r in new), np.int64, len(new))
        self._ids[first:end] = ids
        self._depths[first:end] = np.fromiter((r.depth for r in new), np.int32, len(new))
        self.labels_list.extend(r.label for r in new)
        top = int(ids.max())
        if top + 2 > len(self.row_lut):
            lut = np.full(max(top + 2, 2 * len(self.row_lut)), -1, np.int32)
            lut[: len(self.row_lut) - 1] = self.row_lut[:-1]
            self.row_lut = lut
        ok = ids >= 0
        self.row_lut[ids[ok]] = np.arange(first, end, dtype=np.int32)[ok]
        self._guides = None
        return new

    def relabel(self, labels: dict[int, str]) -> list[Lane]:
        """New labels for lanes already shown (a rename); returns the rows changed."""
        changed = []
        for lane, label in labels.items():
            row = self.row_of(lane)
            if row is not None and self.labels_list[row] != label:
                self.labels_list[row] = label
                changed.append(self.rows[row])
        return changed

    @property
    def guides(self) -> Guides:
        """Row -> which tree lines continue below it (see :func:`tree_guides`)."""
        if self._guides is None:
            self._guides = Guides(self.depths.copy())
        return self._guides

    def __len__(self) -> int:
        return len(self.labels_list)

    def rows_of(self, lanes: np.ndarray) -> np.ndarray:
        """Row of each lane index; -1 for lanes not in the layout."""
        return self.row_lut.take(lanes, mode="clip")

    def row_of(self, lane: int) -> int | None:
        if 0 <= lane < len(self.row_lut) - 1 and self.row_lut[lane] >= 0:
            return int(self.row_lut[lane])
        return None

    def lane_at(self, row: int) -> Lane | None:
        return self.rows[row] if 0 <= row < len(self.labels_list) else None

    def labels(self) -> list[str]:
        return list(self.labels_list)
