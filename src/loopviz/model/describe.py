"""Words for what the records encode: task names, handle labels, what a task awaits.

The texts are what a lecturer reads aloud ("Task-3 · wakeup ← sleep",
"sleep, 0.42 s left", "gather: 3 of 5 done"), so they use asyncio's own
vocabulary and stay short.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

from loopviz.model.columns import NEVER, OidDirectory
from loopviz.model.store import Store
from loopviz.model.tables import GAP, NO_ENQUEUE, LoopInfo
from loopviz.protocol import Await, HandleKind, Origin, handle_kind_and_origin

if TYPE_CHECKING:
    from loopviz.model.stalls import Stall

GATHER_TYPES = frozenset({"_GatheringFuture"})
B, C, D = 3, 4, 5  # record fields


def task_name(store: Store, row: int) -> str:
    """The task's name (after renames), or a stand-in when TASK_INFO never came."""
    if row < 0:
        return ""
    name = store.text(store.tasks.name.buf[row])
    return name or f"Task #{int(store.tasks.oid.buf[row])}"


def task_name_of_oid(store: Store, oid: int) -> str:
    row = store.oids.row1(oid, OidDirectory.TASK)
    return task_name(store, row) if row >= 0 else ""


def _cache(store: Store) -> dict[object, object]:
    """Texts that only change when names or strings do (handle labels, future kinds)."""
    stamp = (store.task_version, len(store.strings))
    cache = store.label_cache
    if cache.get(None) != stamp or len(cache) > 100_000:
        cache.clear()
        cache[None] = stamp
    return cache


def location(store: Store, sid: int) -> str:
    """A ``file:line`` location with the file shortened to its name."""
    cache = _cache(store)
    key = ("loc", int(sid))
    found = cache.get(key)
    if found is None:
        text = store.text(sid)
        path, sep, line = text.rpartition(":")
        found = cache[key] = f"{os.path.basename(path)}:{line}" if sep and line.isdigit() else text
    return found  # type: ignore[return-value]


def _future(store: Store, row: int) -> tuple[str, bool]:
    """A future's label (its creator: ``sleep``, ``Queue.get``, ``gather``) and whether it
    is a gather."""
    cache = _cache(store)
    key = ("fut", row)
    found = cache.get(key)
    if found is None:
        at = int(store.futures.created.buf[row])
        creator = store.text(store.field(C, at))
        ftype = store.text(store.field(D, at))
        gather = ftype in GATHER_TYPES or creator == "gather"
        label = "gather" if gather and not creator else creator or ftype or "future"
        found = cache[key] = (label, gather)
    return found  # type: ignore[return-value]


def object_label(store: Store, oid: int) -> str:
    """A short name for an awaited object: ``sleep``, ``Task-2``, ``gather``, ``Queue.get``."""
    if oid <= 0:
        return ""
    kind, row = store.oids.lookup1(oid)
    if kind == OidDirectory.TASK:
        return task_name(store, row)
    if kind == OidDirectory.FUTURE:
        return _future(store, row)[0]
    if kind == OidDirectory.CORO:
        return store.text(store.field(C, int(store.coros.created.buf[row]))) or "coroutine"
    if kind == OidDirectory.TIMER:
        return store.text(store.field(C, int(store.timers.created.buf[row]))) or "timer"
    return f"object #{oid}"


def awaiting_text(store: Store, awaited: int, i: int, t_ns: int) -> str:
    """What a suspended task waits for, as of event ``i`` (time ``t_ns``).

    ``"sleep, 0.42 s left"``, ``"Task-2"``, ``"gather: 3 of 5 done"``, ``"Queue.get"``.
    """
    if awaited == Await.NOTHING:
        return "something loopviz does not follow"
    if awaited == Await.YIELD:
        return "nothing (yielded: back in the ready queue)"
    if awaited == Await.DONE:
        return "nothing (done)"
    if awaited < 0:
        return f"await code {awaited}"
    kind, row = store.oids.lookup1(awaited)
    if kind != OidDirectory.FUTURE:
        return object_label(store, awaited)
    label, gather = _future(store, row)
    if gather:
        children = store.gathers.children(awaited)
        done = _done_count(store, awaited, children, i)
        return f"gather: {done} of {len(children)} done"
    timer = int(store.futures.timer.buf[row])
    if timer >= 0:
        deadline = store.field(B, int(store.timers.created.buf[timer]))
        left = (deadline - t_ns) / 1e9
        if left < 0:
            # The timer is overdue: the loop was too busy (or blocked) to fire it.
            return f"{label}, due {span(-left)} ago"
        return f"{label}, {span(left)} left"
    return label


def span(seconds: float) -> str:
    """A duration as a lecturer would say it: ``0.42 s``, ``12 ms``, ``950 µs``."""
    if seconds >= 0.1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1e3:.0f} ms"
    return f"{seconds * 1e6:.0f} µs"


def _done_count(store: Store, gather: int, oids: np.ndarray, i: int) -> int:
    """How many of a gather's children were done before event ``i``.

    Where each child lives is looked up once per gather (a gather of 100,000 tasks
    is asked about every frame; the lookup is what costs)."""
    found = store.gather_rows.get(gather)
    if found is None or len(found[0]) != len(oids):
        found = store.oids.lookup(oids)
        if not (found[0] == OidDirectory.NONE).any():  # every child known: it stays so
            store.gather_rows[gather] = found
    kinds, rows = found
    done = 0
    task = kinds == OidDirectory.TASK
    if task.any():
        # The children's end events, sorted once per change of the tasks: then each
        # instant asked about (every frame, every row showing the gather) is a search.
        key = ("gather done", gather, len(oids))
        ends = store.gather_ends.get(key)
        if ends is None or ends[0] != store.task_version:
            ends = store.gather_ends[key] = (
                store.task_version,
                np.sort(store.tasks.done.buf[rows[task]]),
            )
        done += int(np.searchsorted(ends[1], i, side="left"))
    fut = kinds == OidDirectory.FUTURE
    if fut.any():
        done += int((store.futures.life.end.buf[rows[fut]] < i).sum())
    return done


def handle_label(store: Store, loop: LoopInfo, row: int) -> str:
    """What a handle in the ready queue will do: ``"Task-3 · wakeup ← sleep"``.

    Cached: playback asks about nearby instants, whose ready queues share most
    handles. Names can change (renames, strings arriving late), so the cache
    is dropped when tasks or strings change.
    """
    cache = _cache(store)
    key = (loop.index, row)
    label = cache.get(key)
    if label is None:
        label = cache[key] = _handle_label(store, loop, row)
    return label  # type: ignore[return-value]


def _handle_label(store: Store, loop: LoopInfo, row: int) -> str:
    h = loop.handles
    flags = int(h.flags.buf[row])
    if flags & GAP:
        return "(not recorded)"
    e = int(h.enq.buf[row])
    if e == NEVER or e >= store.raw.n:
        return ""
    b, c, d = store.field(B, e), store.field(C, e), store.field(D, e)
    task = task_name_of_oid(store, b) if b else ""
    if flags & NO_ENQUEUE:
        return f"{task} · step" if task else "callback"
    kind, origin = handle_kind_and_origin(c)
    if kind == HandleKind.STEP:
        return f"{task} · step"
    if kind == HandleKind.WAKEUP:
        what = object_label(store, d)
        return f"{task} · wakeup ← {what}" if what else f"{task} · wakeup"
    if origin == Origin.TIMER:
        row = store.oids.row1(d, OidDirectory.TIMER)
        if row >= 0:
            at = int(store.timers.created.buf[row])
            fut = store.field(D, at)
            what = object_label(store, fut) if fut else ""
            if what:
                return f"timer · {what} done"
            return f"timer · {store.text(store.field(C, at)) or 'callback'}"
        return "timer"
    name = store.text(d) or "callback"
    prefix = {Origin.IO: "I/O · ", Origin.THREADSAFE: "threadsafe · "}.get(origin, "")
    if task:
        return f"{prefix}{name} ({task})"
    return f"{prefix}{name}"


def blocked_at(stall: Stall) -> str:
    """ "blocked at lesson.py:57 requests.get(...)": where a stall held the loop.

    The same words as the step caption and the banner, so the bar, the caption and
    the banner name one line. Empty when the watchdog never said where.
    """
    where = stall.where
    if where is None:
        return ""
    place = f"{os.path.basename(where.file)}:{where.line}"
    what = f"{stall.call}(...)" if stall.call else where.text.strip()
    if len(what) > 40:
        what = what[:39] + "…"
    return f"blocked at {place} {what}".rstrip()


def blocking_step_text(step: str, stall: Stall) -> str:
    """A BLOCKING step's text: where it blocked first, the step and where it then paused below.

    ``"Task-1 · step · paused at lesson.py:60"`` names the ``await`` after the
    blocking call, which misleads on a bar whose whole length is that call. It
    becomes ``"blocked at lesson.py:57 requests.get(...)"`` (the bar's label: the
    lane already says which task) over ``"Task-1 · step · then paused at lesson.py:60"``
    (the hover shows both lines).
    """
    blocked = blocked_at(stall)
    if not blocked:
        return step
    head, sep, tail = step.partition(" · paused at ")
    if sep:
        return f"{blocked}\n{head} · then paused at {tail}"
    head, sep, _tail = step.partition(" · finished")
    if sep:
        return f"{blocked}\n{head} · then finished"
    return f"{blocked}\n{step}" if step else blocked
