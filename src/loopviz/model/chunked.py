"""A list the garbage collector does not walk item by item: kept lines cost it nothing.

Why: CPython's full (generation 2) collection visits every item of every list it
tracks, even items it does not track itself (plain tuples, floats): a list of a
million printed lines adds ~20 ms of CPU to each full collection, several times that
on a busy machine, and the window is frozen meanwhile (a 100 MB print flood keeps
a few such lists). Here every full chunk of :data:`CHUNK` items becomes a tuple; a
tuple of untracked items (tuples or strings of plain values) is itself untracked
from its first collection on, so the collector sees one short list of chunks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar, overload

T = TypeVar("T")

CHUNK = 4096


class ChunkedList(Generic[T]):
    """Append-mostly list: index, slice, iterate, ``append``/``extend``; ``insert`` and
    ``pop`` work too but re-chunk what follows (rare: out-of-order lines, an undone end)."""

    __slots__ = ("_chunks", "_frozen", "_tail")

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._chunks: list[tuple[T, ...]] = []
        self._tail: list[T] = []
        self._frozen = 0
        """Items in ``_chunks`` (a multiple of CHUNK)."""
        self.extend(items)

    def __len__(self) -> int:
        return self._frozen + len(self._tail)

    def append(self, item: T) -> None:
        tail = self._tail
        tail.append(item)
        if len(tail) >= CHUNK:
            self._seal()

    def extend(self, items: Iterable[T]) -> None:
        self._tail.extend(items)
        self._seal()

    def _seal(self) -> None:
        tail = self._tail
        full = len(tail) // CHUNK * CHUNK
        if full:
            self._chunks.extend(tuple(tail[k : k + CHUNK]) for k in range(0, full, CHUNK))
            del tail[:full]
            self._frozen += full

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            lo, hi, step = index.indices(len(self))
            if step != 1:
                return self._slice(0, len(self))[index]
            return self._slice(lo, hi)
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("ChunkedList index out of range")
        if index >= self._frozen:
            return self._tail[index - self._frozen]
        return self._chunks[index // CHUNK][index % CHUNK]

    def _slice(self, lo: int, hi: int) -> list[T]:
        out: list[T] = []
        frozen = self._frozen
        while lo < hi and lo < frozen:
            c, k = divmod(lo, CHUNK)
            end = min(hi, (c + 1) * CHUNK)
            out.extend(self._chunks[c][k : k + end - lo])
            lo = end
        if lo < hi:
            out.extend(self._tail[lo - frozen : hi - frozen])
        return out

    def __iter__(self) -> Iterator[T]:
        for chunk in self._chunks:
            yield from chunk
        yield from self._tail

    def insert(self, index: int, item: T) -> None:
        index = max(0, min(len(self), index + len(self) if index < 0 else index))
        if index >= self._frozen:
            self._tail.insert(index - self._frozen, item)
            self._seal()
            return
        c = index // CHUNK
        rest = self._slice(c * CHUNK, len(self))
        rest.insert(index - c * CHUNK, item)
        del self._chunks[c:]
        self._frozen = c * CHUNK
        self._tail = rest
        self._seal()

    def pop(self) -> T:
        """Remove and return the last item."""
        if not self._tail:
            if not self._chunks:
                raise IndexError("pop from an empty ChunkedList")
            self._tail = list(self._chunks.pop())
            self._frozen -= CHUNK
        return self._tail.pop()

    def clear(self) -> None:
        self._chunks.clear()
        self._tail = []
        self._frozen = 0

    def __repr__(self) -> str:
        return f"ChunkedList(<{len(self)} items>)"
