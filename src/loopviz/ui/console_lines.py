"""The console's kept lines: appended at the end, earlier ones put before them a slice at a time.

Why: an opened recording's newest lines are shown first and the million before them
are kept a slice per timer turn (see ``ConsoleView.follow``). Rebuilding one list
of a million lines for each slice costs 50-200 ms a turn; here each slice is a part
of its own (a :class:`~loopviz.model.chunked.ChunkedList`, so the garbage collector
still walks only its chunks), found by ``bisect`` on the parts' first indexes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from itertools import accumulate, chain
from typing import Generic, TypeVar, overload

from loopviz.model.chunked import ChunkedList

T = TypeVar("T")


class KeptLines(Generic[T]):
    """A list of lines in parts: index, slice, iterate, ``append``/``pop`` at the end,
    ``prepend`` a whole slice at the start."""

    __slots__ = ("_parts", "_starts")

    def __init__(self) -> None:
        self._parts: list[ChunkedList[T]] = [ChunkedList()]
        self._starts = [0]
        """Index of each part's first item."""

    def __len__(self) -> int:
        return self._starts[-1] + len(self._parts[-1])

    def append(self, item: T) -> None:
        self._parts[-1].append(item)

    def prepend(self, items: Iterable[T]) -> None:
        """Put ``items`` before the first item (costs what they are, not what is kept)."""
        part = ChunkedList(items)
        if not part:
            return
        self._parts.insert(0, part)
        self._starts = [0, *accumulate(len(p) for p in self._parts[:-1])]

    def pop(self) -> T:
        """Remove and return the last item."""
        for part in reversed(self._parts):
            if part:
                item = part.pop()
                self._restart()
                return item
        raise IndexError("pop from an empty KeptLines")

    def _restart(self) -> None:
        self._starts = [0, *accumulate(len(p) for p in self._parts[:-1])]

    def clear(self) -> None:
        self._parts = [ChunkedList()]
        self._starts = [0]

    def __iter__(self) -> Iterator[T]:
        return chain.from_iterable(self._parts)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        n = len(self)
        if isinstance(index, slice):
            lo, hi, step = index.indices(n)
            if step != 1:
                return list(self)[index]
            return self._slice(lo, hi)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("KeptLines index out of range")
        k = bisect.bisect_right(self._starts, index) - 1
        return self._parts[k][index - self._starts[k]]

    def _slice(self, lo: int, hi: int) -> list[T]:
        out: list[T] = []
        k = max(bisect.bisect_right(self._starts, lo) - 1, 0)
        while lo < hi and k < len(self._parts):
            start = self._starts[k]
            part = self._parts[k]
            end = min(hi, start + len(part))
            if end > lo:
                out.extend(part[lo - start : end - start])
                lo = end
            k += 1
        return out

    def __bool__(self) -> bool:
        return len(self) > 0

    def __repr__(self) -> str:
        return f"KeptLines(<{len(self)} items in {len(self._parts)} parts>)"
