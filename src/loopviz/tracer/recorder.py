"""The process-wide sink every tracing loop writes into, and the flusher drains.

Why no locks on the writing side: the loops write on their own threads while the
flusher thread takes batches. Every write is one C call that is atomic under the GIL
(``array.frombytes`` of packed records, ``list.append`` of one string or message), and
:meth:`Recorder.take` moves data out with ``len`` / slice / ``del slice`` — each
a single bytecode-level C operation — so no write is ever lost or split. Only the
takers (the flusher, and a loop trimming a buffer past its high-water mark) share a
lock, so two of them never split one batch.

Limits (issue #8): :meth:`Recorder.set_event_limit` caps the records one run sends,
and a flusher sets a high-water mark on the buffer; past either the recorder goes
on in summary mode (:mod:`loopviz.tracer.limits` says what that keeps, and why).

Why ids and weak references: the tracer must never keep a task, future or
coroutine alive (that would change when asyncio warns "Task was destroyed but
it is pending!" or "coroutine ... was never awaited"). Objects are found by
``id(obj)`` in a dict whose entry is removed by a ``weakref`` callback when the
object dies, so no entry outlives its object and ids cannot be confused.
"""

from __future__ import annotations

import array
import itertools
import struct
import sys
import threading
import time
import traceback
import weakref
from typing import Any

from loopviz.protocol import (
    RECORD_BYTES,
    EventKind,
    Message,
    encode_messages,
    encode_records,
    encode_strings,
    pack_kind,
)
from loopviz.protocol.wire import HEADER, FrameType
from loopviz.tracer.limits import Admission

_LITTLE = sys.byteorder == "little"

FRAME_RECORDS = 32_768
"""Records per RECORDS frame at most (1.5 MB). The app ingests a frame in one go on its GUI
thread; a burst flushed as one 2-million-record frame froze the window for a second."""

PACK6 = struct.Struct("=6q").pack
"""One record as native-order bytes, the layout of the recorder's ``array('q')``."""
PACK12 = struct.Struct("=12q").pack
"""Two records at once (the hot path writes RUN_END and the next RUN_BEGIN together)."""
PACK18 = struct.Struct("=18q").pack
"""Three records at once (a bare yield's ENQUEUE, its RUN_END, the next RUN_BEGIN)."""

TRACKED_CORO = 1
"""Flag on a :class:`Tracked` entry: a coroutine object made by one of the scenario's functions."""
SCHEDULED = 2
"""Flag: the coroutine has been wrapped in a task or started (CORO_SCHEDULED was recorded)."""
DONE = 4
"""Flag: FUTURE_DONE / TASK_DONE was recorded for this object."""
TASK = 8
"""Flag: the object is a task."""


class Tracked(weakref.ref):
    """A weak reference that also carries what the tracer knows about its object.

    One dict lookup by ``id(obj)`` gives the oid and the per-object state the hot
    path needs (the last task name seen, flags), with no extra allocation.
    """

    __slots__ = ("flags", "frame_key", "key", "loop", "name", "oid")

    key: int
    oid: int
    flags: int
    name: Any
    loop: int
    frame_key: int


class Recorder:
    """Shared, thread-safe buffer of records, interned strings and JSON messages."""

    def __init__(self, *, stall_ms: float = 100.0) -> None:
        self.stall_ms = stall_ms
        self._buf = array.array("q")
        self.put = self._buf.frombytes
        """Append packed records: ``put(PACK6(kind, t, a, b, c, d))``, one atomic C call.

        Why packed bytes: every int must become 8 bytes at some point, and doing it
        per record with ``struct`` (~100 ns for pack + frombytes) is cheaper than
        ``array.extend(tuple)`` (~280 ns, item by item) or a list of ints converted
        later (~60 ns now + ~170 ns in the flusher, under the same GIL)."""
        self._strings: dict[str, int] = {}
        self._pending_strings: list[tuple[int, str]] = []
        self._messages: list[dict[str, Any]] = []
        self._sid_counter = itertools.count(1)
        self._oid_counter = itertools.count(1)
        self._loop_counter = itertools.count(1)
        self.loops_created = 0
        """How many loops have been created on this recorder (the runner asks: did the script
        run a loop of its own, or must it call ``main()``?)."""
        self.objects: dict[int, Tracked] = {}
        """id(obj) -> Tracked, for every live object the tracer follows (see module doc)."""
        self.coro_frames: dict[int, Tracked] = {}
        """id(coroutine frame) -> Tracked, so a starting coroutine can find its own entry."""
        self.loops: dict[int, Any] = {}
        """loop oid -> the loop's LoopState (read by the watchdog)."""
        self.loop_refs: dict[int, weakref.ref] = {}
        """loop oid -> weak reference that drops the state when a loop dies unclosed."""
        self.wakeup = threading.Event()
        self.buffer_limit = sys.maxsize
        """High-water mark of the buffer, in ints (a loop trims past it at the end of an
        iteration); no mark until :meth:`set_buffer_limit`."""
        self.buffer_length = self._buf.__len__
        """Ints waiting in the buffer (a bound C method: the loops compare it with
        ``buffer_limit`` once per iteration)."""
        self._admission = Admission()
        self._held: list[array.array] = []
        self._take_lock = threading.Lock()
        self._errors: set[str] = set()
        self._forget_cb = self._forget
        self._forget_coro_cb = self._forget_coro

    # -- identifiers -------------------------------------------------------------

    def new_oid(self) -> int:
        """A fresh process-wide object id (``itertools.count``: atomic under the GIL)."""
        return next(self._oid_counter)

    def new_loop_index(self) -> int:
        """The index (1, 2, ...) a new loop packs into its records' kind field."""
        index = next(self._loop_counter)
        self.loops_created = max(self.loops_created, index)
        return index

    def intern(self, text: str) -> int:
        """The sid of ``text``, sending it with the next STRINGS batch if it is new."""
        sid = self._strings.get(text)
        if sid is None:
            sid = next(self._sid_counter)
            # Pending first, then the dict: a thread that finds the sid in the dict
            # can rely on the string already being on its way (take() order).
            self._pending_strings.append((sid, text))
            self._strings[text] = sid
        return sid

    def track(self, obj: Any, flags: int = 0, loop: int = 0) -> Tracked:
        """Give ``obj`` an oid and follow it until it dies (weakly).

        An object without weak reference support gets an oid but is not
        remembered (it is reported as a new object each time it is seen).
        """
        try:
            ref = Tracked(obj, self._forget_cb)
        except TypeError:
            return _untracked(next(self._oid_counter), flags, loop)  # type: ignore[return-value]
        ref.key = key = id(obj)
        ref.oid = next(self._oid_counter)
        ref.flags = flags
        ref.name = None
        ref.loop = loop
        ref.frame_key = 0
        self.objects[key] = ref
        return ref

    def track_coro(self, coro: Any, loop: int) -> Tracked:
        """Like :meth:`track` for a scenario coroutine: its death is recorded (CORO_DESTROYED)."""
        ref = Tracked(coro, self._forget_coro_cb)
        ref.key = key = id(coro)
        ref.oid = next(self._oid_counter)
        ref.flags = TRACKED_CORO
        ref.name = None
        ref.loop = loop
        ref.frame_key = 0
        frame = getattr(coro, "cr_frame", None)
        if frame is not None:
            ref.frame_key = id(frame)
            self.coro_frames[ref.frame_key] = ref
        self.objects[key] = ref
        return ref

    def _forget(self, ref: Tracked) -> None:
        objects = self.objects
        if objects.get(ref.key) is ref:
            del objects[ref.key]

    def _forget_coro(self, ref: Tracked) -> None:
        try:
            self._forget(ref)
            if ref.frame_key and self.coro_frames.get(ref.frame_key) is ref:
                del self.coro_frames[ref.frame_key]
            never = 0 if ref.flags & SCHEDULED else 1
            self.emit(
                pack_kind(EventKind.CORO_DESTROYED, ref.loop),
                time.monotonic_ns(),
                ref.oid,
                never,
                0,
                0,
            )
        except Exception as exc:
            self.report_error("coroutine destroyed", exc)

    # -- writing -----------------------------------------------------------------

    def record(self, kind: int, t: int, a: int = 0, b: int = 0, c: int = 0, d: int = 0) -> None:
        """Append one record (``kind`` already packed with its loop index, or a bare kind)."""
        self.put(PACK6(kind, t, a, b, c, d))

    def emit(self, kind: int, t: int, a: int, b: int, c: int, d: int) -> None:
        """:meth:`record` with every field given (the tracer's own slow paths)."""
        self.put(PACK6(kind, t, a, b, c, d))

    def message(self, kind: str, urgent: bool = False, **fields: Any) -> None:
        """Queue a JSON message; ``urgent`` wakes the flusher so it is sent at once."""
        fields["k"] = kind
        if "t" not in fields:
            fields["t"] = time.monotonic_ns()
        self._messages.append(fields)
        if urgent:
            self.wakeup.set()

    def report_error(self, where: str, exc: BaseException) -> None:
        """Tell the app once per place that the recorder failed there; the program goes on."""
        if where in self._errors:
            return
        self._errors.add(where)
        try:
            text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        except Exception:
            text = ""
        self.message(
            Message.RECORDER_ERROR,
            where=where,
            type=type(exc).__name__,
            message=_safe_str(exc),
            traceback=text,
        )

    # -- limits ------------------------------------------------------------------

    def set_event_limit(self, n: int | None) -> None:
        """Send at most ``n`` records in full (None: no cap), then only the summary.

        When the cap is reached, one ``Message.LIMIT_REACHED`` says so (``what="events"``,
        ``limit``, ``t`` = time of the first record left out); the run goes on.
        """
        if n is not None and n < 0:
            raise ValueError(f"event limit must be >= 0 or None, not {n}")
        with self._take_lock:
            self._admission.limit = n

    def set_buffer_limit(self, records: int | None) -> None:
        """Most records that may wait in the buffer (None: no mark). Past it the records
        waiting are dropped, summary mode begins and ``LIMIT_REACHED`` says
        ``what="buffer"``: the app is not reading as fast as the scenario produces."""
        if records is not None and records < 1:
            raise ValueError(f"buffer limit must be >= 1 or None, not {records}")
        self.buffer_limit = sys.maxsize if records is None else records * 6

    @property
    def dropped(self) -> int:
        """Records left out so far because of the cap or the buffer's high-water mark."""
        return self._admission.dropped

    @property
    def event_limit(self) -> int | None:
        """The cap set with :meth:`set_event_limit` (None: no cap)."""
        return self._admission.limit

    @property
    def limit_reached(self) -> str | None:
        """None, or why summary mode began: ``"events"`` or ``"buffer"``."""
        return self._admission.reached

    def buffered(self) -> int:
        """Records waiting to be taken (for tests and the bench)."""
        return (len(self._buf) + sum(len(h) for h in self._held)) // 6

    def trim(self) -> None:
        """Called when the buffer is past its high-water mark: the app is not keeping up.

        Moves the waiting records out of the buffer through the admission (summary
        mode from here on), so memory stays bounded however slowly the app reads.
        """
        with self._take_lock:
            if len(self._buf) <= self.buffer_limit:
                return
            admission = self._admission
            if admission.reached is None:
                admission.reached = "buffer"
                self._limit_message("buffer", self.buffer_limit // 6, time.monotonic_ns())
            self._move_out()

    def _move_out(self) -> None:
        """Buffer -> admission -> held batches (caller holds the take lock)."""
        buf = self._buf
        n = len(buf)
        if not n:
            return
        records = buf[:n]
        del buf[:n]
        admitted, cut_t = self._admission.admit(records)
        if cut_t:
            self._limit_message("events", self._admission.limit, cut_t)
        if admitted:
            self._held.append(admitted)

    def _limit_message(self, what: str, limit: int | None, t: int) -> None:
        self.message(Message.LIMIT_REACHED, urgent=True, t=t, what=what, limit=limit)

    # -- reading -----------------------------------------------------------------

    def take(self) -> tuple[list[tuple[int, str]], array.array, list[dict[str, Any]]]:
        """Everything recorded since the last take: (new strings, records, messages).

        Records are taken first: every string a record uses was appended to the
        pending list before the record was written, so the strings taken next
        cover all of them.
        """
        with self._take_lock:
            self._move_out()
            held = self._held
            if len(held) == 1:
                records = held.pop()
            else:
                records = array.array("q")
                for batch in held:
                    records.extend(batch)
                held.clear()
        pending = self._pending_strings
        n = len(pending)
        strings = pending[:n]
        del pending[:n]
        msgs = self._messages
        n = len(msgs)
        messages = msgs[:n]
        del msgs[:n]
        return strings, records, messages

    def frames(self) -> bytes:
        """:meth:`take` encoded as STRINGS, RECORDS and MESSAGES frames (empty ones left out)."""
        return b"".join(self.frame_parts())

    def frame_parts(self) -> list[bytes | memoryview]:
        """:meth:`frames` as pieces for ``os.writev``: the records' payload is a view of the
        taken array, not a copy (the flusher moves ~170 bytes per task step; each copy of
        them is time the traced loop waits for the GIL)."""
        strings, records, messages = self.take()
        out: list[bytes | memoryview] = []
        if strings:
            out.append(encode_strings(strings))
        if records:
            if _LITTLE:
                payload = memoryview(records).cast("B")
                step = FRAME_RECORDS * RECORD_BYTES
                for lo in range(0, len(payload), step):
                    piece = payload[lo : lo + step]
                    out.append(HEADER.pack(len(piece), FrameType.RECORDS))
                    out.append(piece)
            else:  # pragma: no cover - all supported platforms are little-endian
                out.append(encode_records(records))
        if messages:
            out.append(encode_messages(messages))
        return out


class _Untracked:
    __slots__ = ("flags", "frame_key", "key", "loop", "name", "oid")


def _untracked(oid: int, flags: int, loop: int) -> _Untracked:
    u = _Untracked()
    u.oid, u.flags, u.loop, u.name, u.key, u.frame_key = oid, flags, loop, None, 0, 0
    return u


def _safe_str(obj: object) -> str:
    try:
        return str(obj)
    except Exception:
        return f"<{type(obj).__name__} (str() failed)>"
