"""The cap on what one run may send, and the bound on what waits to be sent.

Why a cap at all: a scenario can flood (10 million events in a minute); every
event costs the app memory, and an out-of-memory crash loses the whole
recording. So the recorder admits at most ``limit`` records, then says so once
(``Message.LIMIT_REACHED``) and goes on in *summary mode*.

Summary mode keeps what a user needs to understand how the run ended, at a
cost bounded by the tasks rather than by the events:

* records of loops (created, run, closed) and tasks (created, info, renamed,
  done) still go out — the task table, its outcomes and the run's duration stay
  right — up to :data:`SUMMARY_ALLOWANCE` records (or ``limit``, if larger),
  after which they are counted only;
* every other record (handles, timers, futures, coroutines, iterations) is
  dropped and counted — except the RUN_END of a handle that was running when
  summary mode began, so the app does not show that handle running (the loop
  blocked) for the rest of the run;
* messages are unaffected: stalls, output, exceptions and the exit still arrive.

Why the check is done on batches and not per event: the hot path must not pay
a comparison per record (issue #3's overhead figure). Records are checked where
they leave the buffer — the flusher's ``take`` every ~10 ms, and the loop's end
of iteration when the buffer has grown past its high-water mark — so memory is
bounded by one batch, never by the run.

Why one mode for both causes: once a record is dropped (cap reached, or the
app reading too slowly to keep the buffer under its high-water mark) the event
stream has a hole, and a state rebuilt across a hole would be wrong. So after
the first drop, only the summary goes on, whatever caused it.
"""

from __future__ import annotations

import array
import os

from loopviz.protocol import KIND_MASK, LOOP_SHIFT, RECORD_WIDTH, EventKind

SUMMARY_KINDS = frozenset(
    int(kind)
    for kind in (
        EventKind.LOOP_CREATED,
        EventKind.LOOP_RUN_BEGIN,
        EventKind.LOOP_RUN_END,
        EventKind.LOOP_CLOSED,
        EventKind.TASK_CREATED,
        EventKind.TASK_INFO,
        EventKind.TASK_RENAMED,
        EventKind.TASK_DONE,
    )
)
"""Record kinds still sent in summary mode."""

DEFAULT_BUFFER_RECORDS = 4_000_000
"""Least high-water mark of the buffer between the loop thread and the pipe (records of 48
bytes: 192 MB), set when a flusher starts. Past it the app is not keeping up: summary mode."""

BUFFER_MEMORY_SHARE = 0.15
"""The buffer's mark is sized from the cap but never lets waiting records take more than
this share of the machine's RAM (15 % of 24 GiB: 77 M records)."""

RECORD_BYTES = RECORD_WIDTH * 8

_RUN_BEGIN = int(EventKind.RUN_BEGIN)
_RUN_END = int(EventKind.RUN_END)
_HANDLE_EDGES = frozenset((_RUN_BEGIN, _RUN_END))

RECENT_RECORDS = 1024
"""Records of the full stream kept to find the handle running when summary mode begins
(the last RUN_BEGIN is nearly always among the last few records)."""

SUMMARY_ALLOWANCE = 1_000_000
"""Summary records sent at most after summary mode began (≈4 per task: 250,000 tasks)."""


def summary_records(records: array.array, extra: frozenset[int] = frozenset()) -> array.array:
    """The records of ``records`` whose kind is in :data:`SUMMARY_KINDS` (and those at the
    record indices ``extra``), in order.

    The kinds column is sliced out in C; only batches that hold a summary kind at
    all pay a Python loop, and that loop visits one value per record.
    """
    width = RECORD_WIDTH
    kinds = records[0::width]
    present = {kind & KIND_MASK for kind in set(kinds)}
    out = array.array("q")
    if present.isdisjoint(SUMMARY_KINDS):
        for i in sorted(extra):
            out.extend(records[i * width : (i + 1) * width])
        return out
    summary = SUMMARY_KINDS
    mask = KIND_MASK
    for i, kind in enumerate(kinds):
        if kind & mask in summary or i in extra:
            out.extend(records[i * width : (i + 1) * width])
    return out


def open_handles(records: array.array) -> dict[int, int]:
    """The handles running at the end of ``records``: packed RUN_END kind -> serial, one per
    loop whose last RUN_BEGIN/RUN_END there is a RUN_BEGIN of a handle that will run.

    Why: when summary mode begins in the middle of a handle's run, its RUN_END would be
    dropped, and the app would show that handle running — the loop blocked — until the
    run ends. Letting that one RUN_END through keeps the recording's last handle whole.
    """
    width = RECORD_WIDTH
    kinds = records[0::width]
    seen: set[int] = set()
    running: dict[int, int] = {}
    for i in range(len(kinds) - 1, -1, -1):
        kind = kinds[i]
        base, loop = kind & KIND_MASK, kind >> LOOP_SHIFT
        if base not in _HANDLE_EDGES or loop in seen:
            continue
        seen.add(loop)
        cancelled = records[i * width + 4]
        if base == _RUN_BEGIN and not cancelled:  # a cancelled handle has no RUN_END
            running[_RUN_END | (loop << LOOP_SHIFT)] = records[i * width + 2]
    return running


def buffer_records_for(limit: int | None, memory: int | None) -> int:
    """The buffer's high-water mark for a run whose cap is ``limit`` records (None: no cap),
    on a machine with ``memory`` bytes of RAM (None: unknown).

    Why sized from the cap: a flood of 10 M events is produced faster than the app
    ingests it (the app draws while it reads), so records wait here. A fixed mark of
    4 M dropped the run to summary mode at ~2.5 M events kept although the cap
    allowed 20 M. Letting the whole cap wait keeps everything the cap promises;
    the memory bound keeps a small machine from swapping for it. Used with
    ``Flusher(buffer_records=FROM_CAP)``, as the runner's child does (see ``flusher.FROM_CAP``).
    """
    if memory is None or memory <= 0:
        bound = DEFAULT_BUFFER_RECORDS
    else:
        bound = max(DEFAULT_BUFFER_RECORDS, int(memory * BUFFER_MEMORY_SHARE) // RECORD_BYTES)
    wanted = bound if limit is None else limit
    return max(DEFAULT_BUFFER_RECORDS, min(wanted, bound))


def total_memory(meminfo: str | os.PathLike[str] = "/proc/meminfo") -> int | None:
    """This machine's RAM in bytes (``MemTotal`` of /proc/meminfo), or None if unknown.

    The app's Recording limits dialog sizes its default from the same figure."""
    try:
        with open(meminfo, encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


class Admission:
    """Decides, batch by batch, which records go out (see the module doc).

    Not thread-safe by itself: the recorder calls it under its take lock.
    """

    __slots__ = ("_recent", "closing", "dropped", "limit", "reached", "sent", "summary_sent")

    def __init__(self) -> None:
        self.limit: int | None = None
        """Most records the run may send in full (None: no cap)."""
        self.sent = 0
        """Records admitted so far (full records, then summary ones)."""
        self.summary_sent = 0
        """Records admitted in summary mode."""
        self.dropped = 0
        """Records left out so far."""
        self.reached: str | None = None
        """None, or why summary mode began: ``"events"`` (the cap) or ``"buffer"``."""
        self.closing: dict[int, int] = {}
        """RUN_ENDs still let through in summary mode: packed kind -> serial of the handle
        that was running when summary mode began (see :func:`open_handles`)."""
        self._recent: array.array | None = array.array("q")
        """The end of the full stream sent so far (None once summary mode began)."""

    def admit(self, records: array.array) -> tuple[array.array, int]:
        """The part of ``records`` to send, and the time of the first record cut by the cap
        (0 if the cap was not reached in this batch)."""
        n = len(records) // RECORD_WIDTH
        if self.reached is None:
            limit = self.limit
            if limit is None or self.sent + n <= limit:
                self.sent += n
                self._remember(records)
                return records, 0
            keep = max(0, limit - self.sent) * RECORD_WIDTH
            cut_t = records[keep + 1]
            head = records[:keep]
            self.reached = "events"
            self.sent += keep // RECORD_WIDTH
            self._remember(head)
            tail = self.summarise(records[keep:])
            head.extend(tail)
            return head, cut_t
        return self.summarise(records), 0

    def _remember(self, records: array.array) -> None:
        """Keep the last :data:`RECENT_RECORDS` of the full stream (a C slice per batch)."""
        recent = self._recent
        if recent is None:
            return
        span = RECENT_RECORDS * RECORD_WIDTH
        if len(records) >= span:
            self._recent = records[-span:]
        else:
            recent.extend(records)
            if len(recent) > span:
                del recent[:-span]

    def summarise(self, records: array.array) -> array.array:
        """Summary mode: keep the summary kinds while their allowance lasts, count the rest;
        the RUN_END of a handle cut in the middle of its run still goes out."""
        if self._recent is not None:  # summary mode begins here
            self.closing = open_handles(self._recent)
            self._recent = None
        n = len(records) // RECORD_WIDTH
        allowance = max(self.limit or 0, SUMMARY_ALLOWANCE) - self.summary_sent
        extra = self._closing_in(records) if self.closing else frozenset()
        kept = summary_records(records, extra) if allowance > 0 else records[:0]
        k = len(kept) // RECORD_WIDTH
        if k > allowance:
            kept = kept[: max(0, allowance) * RECORD_WIDTH]
            k = len(kept) // RECORD_WIDTH
        self.summary_sent += k
        self.sent += k
        self.dropped += n - k
        return kept

    def _closing_in(self, records: array.array) -> frozenset[int]:
        """Indices of the RUN_ENDs in ``records`` that close the handles of :attr:`closing`
        (found with C-speed ``index`` calls; each is looked for until it comes)."""
        kinds = records[0::RECORD_WIDTH]
        found: set[int] = set()
        for packed, serial in list(self.closing.items()):
            start = 0
            while True:
                try:
                    i = kinds.index(packed, start)
                except ValueError:
                    break
                if records[i * RECORD_WIDTH + 2] == serial:
                    found.add(i)
                    del self.closing[packed]
                    break
                start = i + 1
        return frozenset(found)
