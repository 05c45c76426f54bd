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
  dropped and counted;
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

from loopviz.protocol import KIND_MASK, RECORD_WIDTH, EventKind

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
"""High-water mark of the buffer between the loop thread and the pipe (records of 48 bytes:
192 MB), set when a flusher starts. Past it the app is not keeping up: summary mode."""

SUMMARY_ALLOWANCE = 1_000_000
"""Summary records sent at most after summary mode began (≈4 per task: 250,000 tasks)."""


def summary_records(records: array.array) -> array.array:
    """The records of ``records`` whose kind is in :data:`SUMMARY_KINDS`, in order.

    The kinds column is sliced out in C; only batches that hold a summary kind at
    all pay a Python loop, and that loop visits one value per record.
    """
    kinds = records[0::RECORD_WIDTH]
    present = {kind & KIND_MASK for kind in set(kinds)}
    if present.isdisjoint(SUMMARY_KINDS):
        return records[:0]
    out = array.array("q")
    width = RECORD_WIDTH
    summary = SUMMARY_KINDS
    mask = KIND_MASK
    for i, kind in enumerate(kinds):
        if kind & mask in summary:
            out.extend(records[i * width : (i + 1) * width])
    return out


class Admission:
    """Decides, batch by batch, which records go out (see the module doc).

    Not thread-safe by itself: the recorder calls it under its take lock.
    """

    __slots__ = ("dropped", "limit", "reached", "sent", "summary_sent")

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

    def admit(self, records: array.array) -> tuple[array.array, int]:
        """The part of ``records`` to send, and the time of the first record cut by the cap
        (0 if the cap was not reached in this batch)."""
        n = len(records) // RECORD_WIDTH
        if self.reached is None:
            limit = self.limit
            if limit is None or self.sent + n <= limit:
                self.sent += n
                return records, 0
            keep = max(0, limit - self.sent) * RECORD_WIDTH
            cut_t = records[keep + 1]
            head = records[:keep]
            self.reached = "events"
            self.sent += keep // RECORD_WIDTH
            tail = self.summarise(records[keep:])
            head.extend(tail)
            return head, cut_t
        return self.summarise(records), 0

    def summarise(self, records: array.array) -> array.array:
        """Summary mode: keep the summary kinds while their allowance lasts, count the rest."""
        n = len(records) // RECORD_WIDTH
        allowance = max(self.limit or 0, SUMMARY_ALLOWANCE) - self.summary_sent
        kept = summary_records(records) if allowance > 0 else records[:0]
        k = len(kept) // RECORD_WIDTH
        if k > allowance:
            kept = kept[: max(0, allowance) * RECORD_WIDTH]
            k = len(kept) // RECORD_WIDTH
        self.summary_sent += k
        self.sent += k
        self.dropped += n - k
        return kept
