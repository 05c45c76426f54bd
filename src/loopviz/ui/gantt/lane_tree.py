"""The chart's rows kept in tree order as lanes arrive, without re-sorting every lane.

Why: :func:`~loopviz.ui.gantt.lanes.tree_order` walks every lane, and a run that
creates 100,000 tasks changes its lanes every frame. Nearly every new lane goes
at the bottom (a new root, or a child of the last row or one of its ancestors):
those are appended. Only a lane placed under an earlier parent, a lane moving to
another parent, or one hidden or shown again needs the whole order rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from loopviz.ui.gantt.lanes import tree_order


class LaneItem(NamedTuple):
    """What the chart needs to know of one lane (model lane id, name, parent lane)."""

    lane: int
    label: str
    parent: int | None
    hidden: bool = False


@dataclass
class LaneChanges:
    """What :meth:`LaneTree.update` changed: rows to add at the bottom, labels, or everything."""

    appended: list[tuple[int, str, int]] = field(default_factory=list)
    relabelled: dict[int, str] = field(default_factory=dict)
    rebuilt: list[tuple[int, str, int]] | None = None
    """Every row in order, when the order changed: the chart replaces its rows."""

    def __bool__(self) -> bool:
        return bool(self.appended or self.relabelled or self.rebuilt is not None)


class LaneTree:
    """Lanes in tree order (as :func:`tree_order` gives them), updated lane by lane."""

    def __init__(self) -> None:
        self.items: dict[int, tuple[str, int | None, bool]] = {}
        """Lane -> (label, parent, hidden): plain tuples, which the garbage collector
        stops tracking (100,000 lanes must not slow each of its full collections)."""
        self._depth: dict[int, int] = {}
        """Depth of each lane shown."""
        self._spine: list[int] = []
        """The last row and its ancestors, root first: a child of one of them goes last."""
        self._last = -1
        """The highest lane id shown."""
        self._awaited: set[int] = set()
        """Parents named by lanes shown as roots because the parent was not shown (yet)."""
        self._tangled = False
        """Parent links form a loop (never from a real run): every change rebuilds."""

    def update(self, items: Iterable[LaneItem]) -> LaneChanges:
        """Take new and changed lanes (new ones in lane order); say what the chart must do."""
        out = LaneChanges()
        structural = False
        for item in items:
            old = self.items.get(item.lane)
            self.items[item.lane] = (item.label, item.parent, item.hidden)
            if structural:
                continue
            if old is None:
                if not item.hidden and not self._append(item, out):
                    structural = True
            elif old[2] != item.hidden or (not item.hidden and old[1] != item.parent):
                structural = True
            elif not item.hidden and old[0] != item.label:
                out.relabelled[item.lane] = item.label
        if structural:
            out.appended, out.relabelled = [], {}
            out.rebuilt = self._rebuild()
        return out

    def rows(self) -> list[tuple[int, str, int]]:
        """Every row shown, ``(lane, label, depth)`` in order (what :func:`tree_order` gives)."""
        return self._order()

    def _parent_shown(self, lane: int, parent: int | None) -> int | None:
        if parent is None or parent == lane or parent not in self._depth:
            return None
        return parent

    def _append(self, item: LaneItem, out: LaneChanges) -> bool:
        """Add ``item`` at the bottom if that is its place in tree order; False if not."""
        if self._tangled or item.lane < self._last or item.lane in self._awaited:
            return False  # before a lane shown, or the parent of one: the order changes
        parent = self._parent_shown(item.lane, item.parent)
        if parent is None:
            if item.parent is not None and item.parent != item.lane:
                self._awaited.add(item.parent)
            depth = 0
            self._spine = [item.lane]
        else:
            try:
                at = self._spine.index(parent)
            except ValueError:
                return False
            depth = self._depth[parent] + 1
            del self._spine[at + 1 :]
            self._spine.append(item.lane)
        self._depth[item.lane] = depth
        self._last = item.lane
        out.appended.append((item.lane, item.label, depth))
        return True

    def _order(self) -> list[tuple[int, str, int]]:
        items = self.items
        return tree_order(
            (lane, items[lane][0], items[lane][1]) for lane in sorted(items) if not items[lane][2]
        )

    def _rebuild(self) -> list[tuple[int, str, int]]:
        rows = self._order()
        self._depth = {lane: depth for lane, _label, depth in rows}
        self._last = max(self._depth, default=-1)
        self._awaited = {
            parent
            for _label, parent, hidden in self.items.values()
            if not hidden and parent is not None and parent not in self._depth
        }
        # tree_order shows lanes only reachable through a loop of parents as roots, last.
        self._tangled = any(
            depth == 0 and self._parent_shown(lane, self.items[lane][1]) is not None
            for lane, _label, depth in rows
        )
        self._spine = []
        if rows:
            # The last row's ancestors are the rows before it with smaller depths.
            want = rows[-1][2]
            for lane, _label, depth in reversed(rows):
                if depth == want:
                    self._spine.append(lane)
                    want -= 1
                if want < 0:
                    break
            self._spine.reverse()
        return rows
