"""Stalls: handles that kept the loop busy longer than the threshold, and where they were stuck.

The watchdog's messages say *where* (the scenario's line and the call that
blocked); the records say *that* (a handle ran too long). A stall the
watchdog did not report (or a recording whose messages were lost) still
shows up from the records, with no location.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from loopviz.model.columns import NEVER, OidDirectory
from loopviz.model.messages import StallMessages, as_int, as_str
from loopviz.model.stall_caller import callee_name, find_call_site
from loopviz.model.store import Store
from loopviz.model.tables import CANCELLED, GAP, LOST, TASK, LoopInfo


@dataclass(frozen=True)
class StackFrame:
    """One frame of a stack sample."""

    file: str
    line: int
    function: str
    text: str

    @classmethod
    def from_json(cls, obj: Any) -> StackFrame | None:
        if not isinstance(obj, dict):
            return None
        line = as_int(obj.get("line"))
        return cls(
            as_str(obj.get("file")), line or 0, as_str(obj.get("function")), as_str(obj.get("text"))
        )

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class StallSample:
    """Where the loop was stuck at one moment of a stall (seconds from the start)."""

    t: float
    where: StackFrame | None
    innermost: StackFrame | None
    inside: StackFrame | None = None
    """The scenario's line inside the plain function ``where`` called, if it is not ``where``."""


@dataclass(frozen=True)
class Stall:
    """One handle that ran longer than the stall threshold."""

    begin: float
    end: float | None
    """None while it lasts (a live run, or a runner killed during the stall)."""
    duration: float
    """Seconds; up to the end of the recording for a stall still going on."""
    where: StackFrame | None
    """The line to fix: the blocked task's coroutine line that made the blocking call.

    The watchdog's innermost frame of user code, unless that is inside a plain
    function the coroutine called (``count_primes``'s loop): then the coroutine's
    call of it (``primes = count_primes(LIMIT)``), and the frame seen is ``inside``.
    """
    innermost: StackFrame | None
    """The innermost frame overall (often inside a library)."""
    call: str | None
    """The callee at ``where`` when it can be told, e.g. ``requests.get``."""
    task: int
    """Task oid whose step blocked, 0 for a plain callback."""
    loop: int
    """Loop index."""
    serial: int
    samples: tuple[StallSample, ...] = ()
    inside: StackFrame | None = None
    """The user line the watchdog saw inside the function ``where`` calls (None: ``where``)."""

    @property
    def ongoing(self) -> bool:
        return self.end is None

    def where_at(self, t: float) -> StallSample | None:
        """The latest sample taken at or before ``t`` (the first one before any)."""
        if not self.samples:
            return None
        k = bisect.bisect_right([s.t for s in self.samples], t)
        return self.samples[max(k - 1, 0)]


def _loop_of(store: Store, loop_oid: int) -> LoopInfo | None:
    kind, row = store.oids.lookup1(loop_oid)
    if kind == OidDirectory.LOOP and row in store.loops:
        return store.loops[row]
    if len(store.loops) == 1:
        return next(iter(store.loops.values()))
    return None


def _handle_times(store: Store, info: LoopInfo | None, serial: int) -> tuple[int, int] | None:
    """(begin ns, end ns or NEVER) of a handle, if the records know it."""
    if info is None or info.handles.base is None:
        return None
    h = info.handles
    row = serial - h.base
    if not 0 <= row < h.n or h.begin.buf[row] == NEVER:
        return None
    end = int(h.end.buf[row])
    return int(store.raw.t[h.begin.buf[row]]), (NEVER if end == NEVER else int(store.raw.t[end]))


def _from_messages(
    store: Store, key: tuple[int, int], msgs: StallMessages, now: int
) -> Stall | None:
    loop_oid, serial = key
    info = _loop_of(store, loop_oid)
    times = _handle_times(store, info, serial)
    first = msgs.begin or (msgs.progress[0] if msgs.progress else None) or msgs.end or {}
    begin = as_int(first.get("started"))
    if begin is None and times:
        begin = times[0]
    if begin is None:
        return None
    end = as_int(msgs.end.get("ended")) if msgs.end else None
    if end is None and times and times[1] != NEVER:
        end = times[1]
    task = as_int(first.get("task")) or 0
    coroutine = _coroutine_of(store, task)
    samples = []
    site_call = None
    for m in [msgs.begin, *msgs.progress]:
        if m is None:
            continue
        t = as_int(m.get("noticed")) or as_int(m.get("t"))
        where, inner = (
            StackFrame.from_json(m.get("where")),
            StackFrame.from_json(m.get("innermost")),
        )
        if t is None or not (where or inner):
            continue
        site = _call_site(coroutine, where) if coroutine and where else None
        if site is None:
            samples.append(StallSample(store.seconds(t), where, inner))
        else:
            samples.append(StallSample(store.seconds(t), site[0], inner, inside=where))
            site_call = site_call or site[1]
    head = _most_seen(samples)
    call = first.get("call") if isinstance(first.get("call"), str) else None
    if call is None:
        call = next((m.get("call") for m in msgs.progress if isinstance(m.get("call"), str)), None)
    if head is not None and head.inside is not None:
        call = site_call  # the watchdog's callee was called inside, not on ``where``
    stop = end if end is not None else max(now, begin)
    return Stall(
        begin=store.seconds(begin),
        end=None if end is None else store.seconds(end),
        duration=(stop - begin) / 1e9,
        where=head.where if head else None,
        innermost=head.innermost if head else None,
        call=call,
        task=task,
        loop=info.index if info else 0,
        serial=serial,
        samples=tuple(samples),
        inside=head.inside if head else None,
    )


def _most_seen(samples: list[StallSample]) -> StallSample | None:
    """The first sample at the place most samples saw: where the loop spent the stall.

    Not simply the first look: on a busy machine it can catch a moment in a ``print``
    between two long calls, and the banner would point at the wrong line."""
    if not samples:
        return None
    seen = Counter(s.where for s in samples)
    most = max(seen.values())
    return next(s for s in samples if seen[s.where] == most)


def _coroutine_of(store: Store, task: int) -> tuple[str, str, int] | None:
    """(file, source, ``def`` line) of a task's coroutine, when the runner sent its source."""
    row = store.oids.row1(task, OidDirectory.TASK) if task else -1
    if row < 0:
        return None
    path, sep, line = store.text(store.tasks.defined_at.buf[row]).rpartition(":")
    source = store.messages.sources.get(path)
    if not sep or not line.isdigit() or source is None:
        return None
    return path, source, int(line)


def _call_site(coroutine: tuple[str, str, int], where: StackFrame) -> tuple[StackFrame, str] | None:
    """The coroutine's line that called into ``where`` and the callee written there."""
    path, source, def_line = coroutine
    line = where.line if where.file == path else None
    site = find_call_site(source, def_line, line, callee_name(where.function))
    if site is None:
        return None
    return StackFrame(path, site.line, site.function, site.text), site.call


def _long_runs(store: Store) -> list[tuple[int, int]]:
    """Finished handles over the threshold; rescanned only if the threshold changed (a hello
    that arrived after records)."""
    threshold = store.stall_ns
    if store.long_runs_at not in (None, threshold):
        t = store.raw.t
        found = []
        for info in store.loops.values():
            h = info.handles
            rows = np.flatnonzero(h.end.data != NEVER)
            dur = t[h.end.buf[rows]] - t[h.begin.buf[rows]]
            found.extend((info.index, int(r)) for r in rows[dur > threshold])
        store.long_runs[:] = found
        store.long_runs_at = threshold
    return store.long_runs


def running_rows(store: Store) -> list[tuple[LoopInfo, int]]:
    """Each loop's handle still running at the end of the recording."""
    out = []
    for info in store.loops.values():
        h = info.handles
        k = h.begun
        if k and h.end.buf[k - 1] == NEVER and not (h.flags.buf[k - 1] & (CANCELLED | GAP | LOST)):
            out.append((info, k - 1))
    return out


def _unreported(store: Store, info: LoopInfo, row: int, now: int) -> Stall:
    h = info.handles
    t = store.raw.t
    begin = int(t[h.begin.buf[row]])
    end_idx = int(h.end.buf[row])
    end = None if end_idx == NEVER else int(t[end_idx])
    task = store.field(3, int(h.enq.buf[row])) if h.flags.buf[row] & TASK else 0
    return Stall(
        begin=store.seconds(begin),
        end=None if end is None else store.seconds(end),
        duration=((now if end is None else end) - begin) / 1e9,
        where=None,
        innermost=None,
        call=None,
        task=task,
        loop=info.index,
        serial=row + (h.base or 0),
    )


def stall_of(store: Store, info: LoopInfo, row: int) -> Stall:
    """The stall of one handle: from the watchdog's messages if it reported it."""
    now = store.records_end_ns
    serial = row + (info.handles.base or 0)
    msgs = store.messages.stalls.get((info.oid, serial))
    if msgs is None and len(store.loops) == 1:
        msgs = next((m for (_, s), m in store.messages.stalls.items() if s == serial), None)
    stall = _from_messages(store, (info.oid, serial), msgs, now) if msgs else None
    return stall or _unreported(store, info, row, now)


def stalls(store: Store) -> list[Stall]:
    """Every stall, from the watchdog's messages and from handles that ran too long."""
    now = store.records_end_ns
    out: list[Stall] = []
    seen: set[tuple[int, int]] = set()
    for key, msgs in store.messages.stalls.items():
        stall = _from_messages(store, key, msgs, now)
        if stall is not None:
            out.append(stall)
            seen.add((stall.loop, stall.serial))
    candidates = list(_long_runs(store))
    for info, row in running_rows(store):
        begin = int(store.raw.t[info.handles.begin.buf[row]])
        if now - begin > store.stall_ns:
            candidates.append((info.index, row))
    for index, row in candidates:
        info = store.loops[index]
        if (index, row + (info.handles.base or 0)) not in seen:
            out.append(_unreported(store, info, row, now))
    out.sort(key=lambda s: (s.begin, s.loop, s.serial))
    return out


class StallFinder:
    """:func:`stalls`, kept between calls: a live run asks after every batch.

    The list is rebuilt only when something a stall is made of changed: a watchdog
    message, a handle that ran too long, the handle running now passing the threshold,
    or — while a stall lasts — the records and "now". A stall that is over is final
    and reused as it is, so a rebuild costs what is still going on, not every stall.
    """

    def __init__(self) -> None:
        self._basis: tuple[object, ...] | None = None
        self._key: tuple[object, ...] | None = None
        self._stalls: list[Stall] = []
        self._ongoing = False
        self._reported: dict[tuple[int, int], tuple[tuple[int, int, bool], Stall]] = {}
        self._unreported: dict[tuple[int, int], Stall] = {}

    def stalls(self, store: Store, stall_messages: int) -> list[Stall]:
        """Every stall in time order; ``stall_messages`` counts the watchdog's messages."""
        now = store.records_end_ns
        long_runs = _long_runs(store)
        basis = (store.start_ns, store.stall_ns, len(store.loops), store.messages.records_cut)
        if basis != self._basis:
            self._basis, self._key = basis, None
            self._reported.clear()
            self._unreported.clear()
        running = []
        for info, row in running_rows(store):
            if now - int(store.raw.t[info.handles.begin.buf[row]]) > store.stall_ns:
                running.append((info.index, row))
        moving = self._ongoing or bool(running)
        key = (
            stall_messages,
            len(long_runs),
            tuple(running),
            (now, store.raw.n) if moving else None,
        )
        if key != self._key:
            self._stalls = self._find(store, now, long_runs, running)
            self._ongoing = any(s.end is None for s in self._stalls)
            self._key = key
        return self._stalls

    def _find(
        self,
        store: Store,
        now: int,
        long_runs: list[tuple[int, int]],
        running: list[tuple[int, int]],
    ) -> list[Stall]:
        out: list[Stall] = []
        seen: set[tuple[int, int]] = set()
        reported = self._reported
        for key, msgs in store.messages.stalls.items():
            sign = (id(msgs.begin), len(msgs.progress), msgs.end is not None)
            hit = reported.get(key)
            if hit is not None and hit[0] == sign:
                stall: Stall | None = hit[1]
            else:
                stall = _from_messages(store, key, msgs, now)
                if stall is not None and stall.end is not None:
                    reported[key] = (sign, stall)
            if stall is not None:
                out.append(stall)
                seen.add((stall.loop, stall.serial))
        done = self._unreported
        for index, row in long_runs:
            info = store.loops[index]
            if (index, row + (info.handles.base or 0)) in seen:
                continue
            stall = done.get((index, row))
            if stall is None:
                stall = done[(index, row)] = _unreported(store, info, row, now)
            out.append(stall)
        for index, row in running:
            info = store.loops[index]
            if (index, row + (info.handles.base or 0)) not in seen:
                out.append(_unreported(store, info, row, now))
        out.sort(key=lambda s: (s.begin, s.loop, s.serial))
        return out
