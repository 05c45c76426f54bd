"""``Recording``: the stored run every view of the app is built on.

It grows while a run is live (``feed`` the runner's bytes as they arrive)
and is complete once loaded from a file; queries work the same at any
moment. Times the views see are seconds from the run's start. Nothing here
raises on bad input during ingestion: malformed frames, records and messages
are counted in :attr:`Recording.problems` so a live run never stops drawing
because of one bad batch.
"""

from __future__ import annotations

import array
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np

from loopviz.model import describe
from loopviz.model.columns import OidDirectory
from loopviz.model.handles import HANDLE_DTYPE, handle_runs
from loopviz.model.ingest import ingest
from loopviz.model.slices import (
    SLICE_STATES,
    SliceBatch,
    SliceCursor,
    State,
    finished_since,
    open_slices,
)
from loopviz.model.stalls import Stall, StallFinder
from loopviz.model.state import LoopState, OutputLine, state_at
from loopviz.model.stats import HandleTotals, Stats
from loopviz.model.stats import stats as compute_stats
from loopviz.model.store import Store
from loopviz.model.tasks import (
    Lane,
    LaneCache,
    TaskInfo,
    TaskInfoCache,
    loop_lanes,
    task_counts,
    task_info,
)
from loopviz.protocol import (
    KIND_MASK,
    LOOP_SHIFT,
    RECORD_BYTES,
    RECORD_WIDTH,
    SCHEMA_VERSION,
    Await,
    EventKind,
    Frame,
    FrameReader,
    FrameType,
    Message,
    WireError,
    decode_messages,
    decode_strings,
)


@dataclass(frozen=True)
class Slice:
    """One slice of a task's lane, with the text a tooltip shows."""

    state: State
    start: float
    end: float
    ref: int
    detail: str
    open: bool = False


@dataclass(frozen=True)
class RunOutcome:
    """How the run ended: the runner's ``exit`` message and the parent's ``run_end``."""

    outcome: str
    """From run_end if present ("returned", "raised", "killed", ...), else from exit."""
    detail: str
    returncode: int | None
    signal: str | None
    exit: dict[str, Any] | None
    run_end: dict[str, Any] | None
    load_error: dict[str, Any] | None


DEFAULT_MAX_EVENTS = 20_000_000
"""Records a run sends in full by default: about 1.6 GB at the model's ~80 bytes/event,
sized for a 24 GiB, 2-core machine. Past it the runner sends only summary records."""
DEFAULT_RECORDING_CAP = 2 * DEFAULT_MAX_EVENTS
"""Records a recording holds by default: the runner's full records plus room for its
summary records (``tracer.limits``: at most as many again); a backstop, rarely reached."""
DEFAULT_MAX_OUTPUT_LINES = 2_000_000
"""Printed lines kept by default (a 100 MB print flood is 1 M lines of 100 bytes)."""
DEFAULT_MAX_MESSAGES = 1_000_000
"""Other messages kept by default (exception-handler calls, stall samples, ...): a scenario
leaving a million task exceptions unretrieved must not fill the memory with tracebacks."""
_OUTPUT_KINDS = (Message.OUTPUT, Message.RAW_OUTPUT)
_STALL_KINDS = (Message.STALL_BEGIN, Message.STALL_PROGRESS, Message.STALL_END)
_ALWAYS_KEPT = (Message.HELLO, Message.EXIT, Message.RUN_END, Message.LOAD_ERROR)


class Recording:
    """A run's events, growing while it is live; every view queries this.

    ``max_events`` and ``max_output_lines`` cap what it holds (None: no cap). Past a
    cap the run goes on: what arrives is counted in :attr:`dropped`, not stored, and
    one ``limit_reached`` message (also shown as a line of output) says so.
    """

    def __init__(
        self,
        *,
        max_events: int | None = DEFAULT_RECORDING_CAP,
        max_output_lines: int | None = DEFAULT_MAX_OUTPUT_LINES,
        max_messages: int | None = DEFAULT_MAX_MESSAGES,
    ) -> None:
        self._store = Store()
        self._reader = FrameReader()
        self._broken: str | None = None
        self._cache: dict[str, tuple[int, Any]] = {}
        self._stalls = StallFinder()
        self._stall_messages = 0
        """Watchdog messages taken so far: ``stalls()`` is recomputed when this changes,
        not after every batch of a print flood."""
        self._step_index: tuple[Any, Any] | None = None
        """``model.steps``' index of this recording and what extends it (kept here, not in a
        cache keyed by the recording, so that dropping the recording frees both)."""
        self.version = 0
        """Bumped by every ingest call, for views to poll cheaply."""
        self._totals = HandleTotals()
        self.max_events = max_events
        self.max_output_lines = max_output_lines
        self.max_messages = max_messages
        self._output_kept = 0
        self._messages_kept = 0
        self._dropped: dict[str, int] = {}
        self._limits_noted: set[str] = set()
        self._task_infos = TaskInfoCache()
        self._lanes = LaneCache()

    # -- ingestion -------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Raw bytes of the runner's stream, in chunks of any size."""
        if self._broken is not None:
            self._store.problems["bytes after a corrupt frame (ignored)"] += len(data)
            return
        try:
            for frame in self._reader.feed(data):
                self.add_frame(frame)
        except WireError as exc:
            self._broken = str(exc)
            self._store.problems[f"corrupt stream: {exc}"] += 1
            self.version += 1

    def add_frame(self, frame: Frame) -> None:
        """One decoded frame."""
        try:
            if frame.type == FrameType.STRINGS:
                self.add_strings(decode_strings(frame.payload))
            elif frame.type == FrameType.RECORDS:
                self.add_records(frame.payload)
            elif frame.type == FrameType.MESSAGES:
                self.add_messages(decode_messages(frame.payload))
            else:
                self._store.problems["frame of an unknown type"] += 1
        except WireError as exc:
            self._store.problems[str(exc)[:120]] += 1
            self.version += 1

    def add_strings(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Interned strings: ``(sid, text)`` pairs."""
        strings = self._store.strings
        for pair in pairs:
            try:
                sid, text = pair
            except (TypeError, ValueError):
                self._store.problems["string entry is not (sid, text)"] += 1
                continue
            if isinstance(sid, int) and sid > 0 and isinstance(text, str):
                strings[sid] = text
            else:
                self._store.problems["string entry is not (sid, text)"] += 1
        self.version += 1

    def add_records(self, data: bytes | bytearray | memoryview | array.array | np.ndarray) -> None:
        """Records as little-endian int64s, six per record (a RECORDS payload)."""
        if isinstance(data, np.ndarray):
            flat = np.ascontiguousarray(data, dtype="<i8").reshape(-1)
            extra = len(flat) % RECORD_WIDTH
            flat = flat[: len(flat) - extra]
        else:
            raw = memoryview(data).cast("B")
            extra = len(raw) % RECORD_BYTES
            flat = np.frombuffer(raw[: len(raw) - extra], dtype="<i8")
        if extra:
            self._store.problems["records payload is not a whole number of records"] += 1
        if self.max_events is not None and len(flat):
            room = max(self.max_events - self._store.raw.n, 0) * RECORD_WIDTH
            if len(flat) > room:
                first_cut_t = int(flat[room + 1])
                self._drop("events", (len(flat) - room) // RECORD_WIDTH)
                self._note_limit("events", self.max_events, first_cut_t)
                flat = flat[:room]
        if len(flat):
            ingest(self._store, flat.astype(np.int64, copy=False).reshape(-1, RECORD_WIDTH))
        self.version += 1

    def add_messages(self, messages: Iterable[dict[str, Any]]) -> None:
        """JSON messages, the runner's and the parent's (``run_end``, ``raw_output``)."""
        log = self._store.messages
        had_hello = log.hello is not None
        output, cap = Message.OUTPUT, self.max_output_lines
        for m in messages:
            if (  # a printed line, the bulk of a flood: the fast path (no cap reached)
                type(m) is dict
                and m.get("k") == output
                and (cap is None or self._output_kept < cap)
                and log.add_output(m)
            ):
                self._output_kept += 1
                continue
            if isinstance(m, dict):
                if not self._room_for(m):
                    continue
                if m.get("k") in _STALL_KINDS:
                    self._stall_messages += 1
            log.add(m, self._store.problems, self._store.ignored)
        if not had_hello and log.hello is not None:
            schema = log.hello.get("schema")
            if isinstance(schema, int) and schema > SCHEMA_VERSION:
                self._store.problems[
                    f"recorded with event schema v{schema}, this loopviz reads v{SCHEMA_VERSION}"
                ] += 1
        self.version += 1

    def _room_for(self, m: dict[str, Any]) -> bool:
        """Count ``m`` against its cap; False (and a note, once) when the cap is full."""
        kind = m.get("k")
        if kind in _ALWAYS_KEPT or kind == Message.LIMIT_REACHED:
            return True
        if kind in _OUTPUT_KINDS:
            cap, kept, what, dropped = (
                self.max_output_lines,
                self._output_kept,
                "output",
                "output lines",
            )
        else:
            cap, kept, what, dropped = (
                self.max_messages,
                self._messages_kept,
                "messages",
                "messages",
            )
        if cap is not None and kept >= cap:
            self._drop(dropped, 1)
            t = m.get("t")
            self._note_limit(what, cap, t if isinstance(t, int) else self.end_ns)
            return False
        if kind in _OUTPUT_KINDS:
            self._output_kept += 1
        else:
            self._messages_kept += 1
        return True

    def _drop(self, what: str, n: int) -> None:
        self._dropped[what] = self._dropped.get(what, 0) + n

    def _note_limit(self, what: str, limit: int, t: int) -> None:
        """Say once per cap that it was reached (a LIMIT_REACHED message, kept in files)."""
        if what in self._limits_noted:
            return
        self._limits_noted.add(what)
        note = {"k": Message.LIMIT_REACHED, "t": t, "what": what, "limit": limit, "by": "app"}
        self._store.messages.add(note, self._store.problems, self._store.ignored)

    @property
    def dropped(self) -> dict[str, int]:
        """What arrived past a cap and was not kept, by what it was ({} below every cap)."""
        return dict(self._dropped)

    @property
    def limit_reached(self) -> dict[str, Any] | None:
        """The first ``limit_reached`` message (the runner's or this recording's), or None.

        Its ``what`` says which cap: ``"events"``, ``"buffer"`` (the app fell behind),
        ``"output"``; ``limit`` the figure."""
        limit = self._store.messages.limit
        return dict(limit) if limit is not None else None

    def advance_to(self, now_ns: int) -> None:
        """The run is known to last at least until ``now_ns`` (monotonic ns).

        A blocked loop sends nothing, so without this a live recording would
        stop at its last event. The app calls it with ``time.monotonic_ns()``
        (system-wide, the runner's clock too) while the runner is alive, so
        the running handle grows, turns BLOCKING and shows up as a stall.
        """
        store = self._store
        if store.t_alive is None or now_ns > store.t_alive:
            store.t_alive = int(now_ns)
            self.version += 1

    # -- the run as a whole -------------------------------------------------------

    @property
    def start_ns(self) -> int:
        """Monotonic ns of the run's start: hello's ``t``, or the first record's."""
        return self._store.start_ns

    @property
    def end_ns(self) -> int:
        """Monotonic ns of the latest record or message."""
        return self._store.end_ns

    @property
    def duration(self) -> float:
        """Seconds from the start to the latest event."""
        return (self.end_ns - self.start_ns) / 1e9

    @property
    def hello(self) -> dict[str, Any]:
        """The runner's hello message ({} before it arrives)."""
        return dict(self._store.messages.hello or {})

    @property
    def stall_threshold(self) -> float:
        """Seconds a handle may run before it counts as blocking the loop."""
        return self._store.stall_ns / 1e9

    @property
    def outcome(self) -> RunOutcome | None:
        """How the run ended; None while it runs."""
        log = self._store.messages
        if log.run_end is None and log.exit is None and log.load_error is None:
            return None
        first = log.run_end or log.exit or {}
        outcome = first.get("outcome") if isinstance(first.get("outcome"), str) else None
        if outcome is None:
            outcome = "load_error" if log.load_error is not None else "unknown"
        detail = (log.run_end or {}).get("detail")
        if not isinstance(detail, str):
            source = log.exit or log.load_error or {}
            detail = " ".join(
                str(source.get(k)) for k in ("type", "message") if isinstance(source.get(k), str)
            )
        rc = (log.run_end or {}).get("returncode")
        sig = (log.run_end or {}).get("signal")
        return RunOutcome(
            outcome,
            detail or "",
            rc if isinstance(rc, int) else None,
            sig if isinstance(sig, str) else None,
            log.exit,
            log.run_end,
            log.load_error,
        )

    @property
    def problems(self) -> dict[str, int]:
        """Malformed input seen so far, by what was wrong (empty for a clean run)."""
        return dict(self._store.problems)

    @property
    def ignored(self) -> dict[str, int]:
        """Input of kinds this version does not know (from a newer tracer), by kind."""
        return dict(self._store.ignored)

    @property
    def event_count(self) -> int:
        return self._store.raw.n

    def nbytes(self) -> int:
        """Bytes held in numpy columns."""
        return self._store.nbytes()

    def source(self, path: str) -> str | None:
        """A source file's text as the runner sent it (so a file opened elsewhere shows code)."""
        return self._store.messages.sources.get(path)

    def sources(self) -> dict[str, str]:
        return dict(self._store.messages.sources)

    def messages(self) -> list[dict[str, Any]]:
        """Every message, in arrival order."""
        return list(self._store.messages.all)

    def strings(self) -> dict[int, str]:
        s = dict(self._store.strings)
        s.pop(0, None)
        return s

    def records(self, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Records ``lo..hi-1`` as an (n, 6) int64 array (a copy)."""
        hi = self._store.raw.n if hi is None else min(hi, self._store.raw.n)
        return self._store.raw.rows(lo, max(lo, hi))

    def _cached(self, key: str, version: object, compute: Any) -> Any:
        hit = self._cache.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = compute()
        self._cache[key] = (version, value)
        return value

    # -- tasks and lanes ----------------------------------------------------------

    def tasks(self) -> list[TaskInfo]:
        """Every task, in order of first appearance (which is also lane order).

        Kept up to date row by row (:class:`~loopviz.model.tasks.TaskInfoCache`): with
        100,000 tasks, asking again costs what changed since, plus making the list.
        A view refreshed every frame asks for what changed (:meth:`task_changes`) or
        for the tasks it shows (:meth:`task`) instead."""
        cache = self._task_infos
        cache.update(self._store)
        return cache.infos()

    def task_changes(self, since: int = 0) -> tuple[np.ndarray, list[TaskInfo], int]:
        """The tasks changed after stamp ``since`` (0: all): their rows (indexes into
        :meth:`tasks`), their :class:`TaskInfo`, and the stamp to pass next time.

        For views that keep their own copy up to date (the timeline's lanes and end
        markers): a frame costs what changed, not every task."""
        cache = self._task_infos
        cache.update(self._store)
        rows = cache.changed_since(since)
        return rows, cache.infos(rows), cache.stamp

    def task_counts(self) -> tuple[int, int]:
        """(tasks alive, all tasks): what a status line shows, without listing 100,000 tasks."""
        return task_counts(self._store)

    def task(self, task_id: int) -> TaskInfo | None:
        """One task by its oid (None if no task has it), as it is now."""
        rows = self._store.oids.rows_of(np.array([task_id]), OidDirectory.TASK)
        if rows[0] < 0:
            return None
        return task_info(self._store, int(rows[0]))

    def loop_lanes(self) -> list[Lane]:
        """The event loops' lanes (a few; the other lanes are the tasks', ``TaskInfo.lane``)."""
        return loop_lanes(self._store)

    def lane_changes(self, since: int = 0) -> tuple[list[Lane], np.ndarray, int]:
        """Every lane, the lane ids changed after stamp ``since`` (0: all), and the stamp
        to pass next time (like :meth:`task_changes`)."""
        cache = self._lanes
        lanes = cache.update(self._store)
        return lanes, cache.changed_since(since), cache.stamp

    def lanes(self) -> list[Lane]:
        """Every lane by id: event loop lanes and task lanes, in order of first appearance.

        Kept up to date lane by lane: the timeline asks every frame, and with 100,000
        tasks building the whole list takes longer than a frame."""
        return list(self._lanes.update(self._store))

    # -- slices ---------------------------------------------------------------------

    def slices_since(self, cursor: SliceCursor | None = None) -> tuple[SliceBatch, SliceCursor]:
        """Slices that finished since ``cursor`` (all for None), each state sorted by end.

        The Gantt chart appends these to its own columns and keeps the cursor;
        it draws :meth:`open_slices` on top every frame.
        """
        parts, new = finished_since(self._store, cursor)
        return parts.batch(), new

    def open_slices(self, now: float | None = None) -> SliceBatch:
        """Slices still going on, drawn up to ``now`` (s; default: the latest event)."""
        return open_slices(self._store, self._now_ns(now)).batch()

    def slice_arrays(self, now: float | None = None) -> SliceBatch:
        """All slices, finished and open, each state sorted by end."""
        parts, _ = finished_since(self._store, None)
        for state, chunks in open_slices(self._store, self._now_ns(now)).parts.items():
            for chunk in chunks:
                parts.add(state, *chunk)
        return parts.batch()

    def _now_ns(self, now: float | None) -> int:
        return self.end_ns if now is None else self.start_ns + round(now * 1e9)

    def slices(self, task_id: int) -> list[Slice]:
        """One task's slices in time order, with their tooltip texts."""
        info = self.task(task_id)
        if info is None:
            return []
        parts, _ = finished_since(self._store, None)
        opened = open_slices(self._store, self.end_ns)
        out = []
        for source, is_open in ((parts, False), (opened, True)):
            for state in SLICE_STATES:
                lane, start, end, ref = source.ns(state)
                m = lane == info.lane
                for s0, e0, r0 in zip(start[m], end[m], ref[m], strict=True):
                    out.append(
                        Slice(
                            state,
                            self._store.seconds(int(s0)),
                            self._store.seconds(int(e0)),
                            int(r0),
                            self.describe_slice(state, int(r0)),
                            is_open,
                        )
                    )
        out.sort(key=lambda sl: (sl.start, sl.end))
        return out

    def describe_slice(self, state: State, ref: int) -> str:
        """The text for a slice's ``ref``: the handle's label, what was awaited, the line."""
        s = self._store
        if not 0 <= ref < s.raw.n:
            return ""
        packed = int(s.raw.cols[0].buf[ref])
        kind, loop = packed & KIND_MASK, packed >> LOOP_SHIFT
        a, d = int(s.raw.cols[2].buf[ref]), int(s.raw.cols[5].buf[ref])
        t_ns = int(s.raw.t[ref])
        if state == State.IDLE:
            return "select: waits for I/O" if a < 0 else f"select: waits up to {a / 1e9:.3f} s"
        if state == State.WAITING:
            return "awaits " + describe.awaiting_text(s, d, ref + 1, t_ns)
        if kind == EventKind.EAGER_STEP:
            if d == Await.DONE:
                return "eager first step · finished"
            line = describe.location(s, int(s.raw.cols[4].buf[ref]))
            return f"eager first step · paused at {line}" if line else "eager first step"
        info = s.loops.get(loop)
        if info is None or info.handles.base is None:
            return ""
        row = a - info.handles.base
        if not 0 <= row < info.handles.n:
            return ""
        label = describe.handle_label(s, info, row)
        if kind == EventKind.RUN_END and state in (State.RUNNING, State.BLOCKING):
            if d == Await.DONE:
                return f"{label} · finished"
            line = describe.location(s, int(s.raw.cols[4].buf[ref]))
            if line:
                return f"{label} · paused at {line}"
        return label

    # -- the instant ------------------------------------------------------------------

    def state_at(self, t: float, limit: int = 200) -> LoopState:
        """Everything at ``t`` s from the start: ready queue, running handle, timers,
        each task's state, pending futures and coroutines, output, the stall in progress.

        Lists are cut at ``limit`` entries (the counts say how many there are).
        """
        return state_at(self._store, t, limit)

    # -- summaries ------------------------------------------------------------------

    def stalls(self) -> list[Stall]:
        """Every stall, in time order."""
        return list(self._stalls.stalls(self._store, self._stall_messages))

    def stats(self) -> Stats:
        return self._cached(
            "stats", self.version, lambda: compute_stats(self._store, self.stalls())
        )

    def handle_totals(self) -> tuple[int, float]:
        """``stats()``'s handles run and busy fraction, cheap enough to poll every frame:
        the work is proportional to what arrived since the last call."""
        return self._cached("totals", self.version, lambda: self._totals.update(self._store))

    def output(self, lo: int = 0, hi: int | None = None) -> list[OutputLine]:
        """Printed lines (and the runner's raw output), in time order; ``lo:hi`` a slice.

        Only the slice asked for is converted, so asking for the new lines every frame of
        a print flood costs what is new. Nothing is kept: a million kept line objects made
        each of Python's full garbage collections stop the window for ~0.4 s.
        """
        s = self._store
        raw, _ = s.messages.sorted_output()
        t0 = s.start_ns
        return [
            OutputLine((t - t0) / 1e9, stream, text, task) for t, stream, text, task in raw[lo:hi]
        ]

    def output_columns(
        self, lo: int = 0, hi: int | None = None
    ) -> tuple[list[float], list[str], list[str]]:
        """The lines ``lo:hi`` of :meth:`output` as columns: times (s), streams, texts.

        For a view that takes a million lines at once (an opened print flood): no
        ``OutputLine`` is built (≈2 µs each), and columns let it test them in bulk."""
        s = self._store
        raw, times = s.messages.sorted_output()
        lo, hi, _ = slice(lo, hi).indices(len(raw))
        rows = raw[lo:hi]
        if not rows:
            return [], [], []
        seconds = ((times[lo:hi] - s.start_ns) / 1e9).tolist()
        return seconds, list(map(itemgetter(1), rows)), list(map(itemgetter(2), rows))

    # -- handles ----------------------------------------------------------------------

    HANDLE_DTYPE = HANDLE_DTYPE

    def handle_runs(self) -> np.ndarray:
        """Every handle's trip through the ready queue, ordered by when it began.

        A structured array (:data:`~loopviz.model.handles.HANDLE_DTYPE`):
        ``kind``/``origin`` are HandleKind/Origin, ``detail`` the ENQUEUE's
        ``d``, ``state`` the slice state of its run (RUNNING, BLOCKING,
        CALLBACK; -1 not run yet, -2 cancelled), times in s (NaN: not yet).
        Labels: :meth:`handle_label`.
        """
        return handle_runs(self._store)

    def handle_label(self, loop: int, serial: int) -> str:
        """What a handle does, e.g. ``"Task-3 · wakeup ← sleep"``."""
        info = self._store.loops.get(loop)
        if info is None or info.handles.base is None:
            return ""
        row = serial - info.handles.base
        if not 0 <= row < info.handles.n:
            return ""
        return describe.handle_label(self._store, info, row)


__all__ = [
    "Lane",
    "Recording",
    "RunOutcome",
    "Slice",
    "TaskInfo",
]
