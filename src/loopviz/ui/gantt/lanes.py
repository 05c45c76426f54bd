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


class LaneLayout:
    """The rows in display order plus the lane -> row lookup table."""

    def __init__(self, lanes: Iterable[tuple[int, str, int] | Lane] = ()) -> None:
        rows: list[Lane] = []
        for entry in lanes:
            rows.append(entry if isinstance(entry, Lane) else Lane(*entry))
        self.rows: Sequence[Lane] = tuple(rows)
        self.guides = tree_guides([r.depth for r in rows])
        top = max((r.lane for r in rows), default=-1)
        # One extra slot holds -1: lanes not (yet) in the layout map there and are hidden.
        self.row_lut = np.full(top + 2, -1, np.int32)
        for row, entry in enumerate(rows):
            if entry.lane >= 0:
                self.row_lut[entry.lane] = row

    def __len__(self) -> int:
        return len(self.rows)

    def rows_of(self, lanes: np.ndarray) -> np.ndarray:
        """Row of each lane index; -1 for lanes not in the layout."""
        return self.row_lut.take(lanes, mode="clip")

    def row_of(self, lane: int) -> int | None:
        if 0 <= lane < len(self.row_lut) - 1 and self.row_lut[lane] >= 0:
            return int(self.row_lut[lane])
        return None

    def lane_at(self, row: int) -> Lane | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def labels(self) -> list[str]:
        return [r.label for r in self.rows]
