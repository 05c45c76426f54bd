"""The event vocabulary shared by the tracer (which writes it) and the model (which reads it).

Why fixed-width integer records: the tracer runs inside the program being
watched, on its event loop's thread. Every handle run produces a few events, so
an event must cost a handful of C calls and no lasting Python objects (the
cyclic GC is what made tuple-per-event recorders 2-3x slower, DESIGN.md).
A record is ``RECORD_WIDTH`` signed 64-bit integers::

    (kind, t, a, b, c, d)

``kind``  the low 16 bits are an :class:`EventKind`; bits 16..31 hold the
          *loop index* (1, 2, ... in the order loops were created in the
          process; 0 for events that belong to no loop, e.g. a coroutine
          created before any loop ran). Use :func:`split_kind`.
``t``     ``time.monotonic_ns()`` when it happened. CLOCK_MONOTONIC is
          system-wide on Linux, so the runner's and the app's clocks agree.
``a..d``  meaning per kind, documented on each member below.

Identifiers inside records:

* **oid** — every object the tracer follows (loop, task, future, timer,
  coroutine object) gets one process-wide integer id, starting at 1, from one
  counter, never reused within a run. 0 means "none".
* **sid** — strings (names, qualnames, ``file:line`` locations, reprs) are
  interned: a sid refers to a string sent earlier in a STRINGS frame
  (see :mod:`loopviz.protocol.wire`). 0 means "no string".
* **serial** — per-loop number of a handle's trip through the ready queue,
  starting at 1. ``ENQUEUE`` and ``RUN_BEGIN`` with the same serial are the
  same handle (asyncio's ready queue is FIFO).

Rich, rare information (tracebacks, stall stack samples, printed output, the
run's outcome) travels as JSON *messages*; their kinds are :class:`Message`.
"""

from __future__ import annotations

from enum import IntEnum

SCHEMA_VERSION = 1
"""Bump on any change a reader must know about; readers refuse newer versions."""

RECORD_WIDTH = 6
"""Integers per record: kind, t, a, b, c, d."""

LOOP_SHIFT = 16
KIND_MASK = (1 << LOOP_SHIFT) - 1


class EventKind(IntEnum):
    """Record kinds. Field meanings are given as ``a, b, c, d``."""

    # -- loops -------------------------------------------------------------
    LOOP_CREATED = 1
    """a=loop oid, b=native thread id of the creating thread, c=sid of the loop's class name, d=0.
    The loop index (in ``kind``) of this record is the one later records use."""
    LOOP_RUN_BEGIN = 2
    """a=loop oid, b=native thread id running it. ``run_forever`` entered."""
    LOOP_RUN_END = 3
    """a=loop oid. ``run_forever`` returned (or raised)."""
    LOOP_CLOSED = 4
    """a=loop oid."""
    SELECT_BEGIN = 5
    """a=timeout in ns (-1 = wait forever, 0 = poll). Starts a loop iteration; the loop is idle
    until SELECT_END."""
    SELECT_END = 6
    """a=number of I/O events the selector returned."""
    ITERATION_END = 7
    """a=handles run in this iteration. Ends the iteration SELECT_BEGIN started."""

    # -- the ready queue and handle runs ------------------------------------
    ENQUEUE = 10
    """A handle entered the ready queue.
    a=serial, b=task oid (0 if the handle is not a task's), c=HandleKind | (Origin << 8),
    d=depends on kind/origin: Origin.TIMER -> the timer oid; HandleKind.WAKEUP -> oid of the
    future whose completion woke the task (0 if untracked); HandleKind.CALLBACK -> sid of the
    callback's qualname; HandleKind.STEP -> 0."""
    RUN_BEGIN = 11
    """A handle left the ready queue. a=serial, b=task oid, c=1 if the handle had been cancelled
    (it is dropped, not run, and no RUN_END follows), else 0. d=0."""
    RUN_END = 12
    """The handle's callback returned. a=serial, b=task oid.
    For task handles (step, wakeup): c=sid of the task's current location after the step —
    the innermost frame of *user* code in its await chain, as ``file:line`` —
    and d=what the task now awaits: an oid (>0, a future/task/gather it is suspended on),
    or an :class:`Await` code (<=0). For other handles c=d=0."""
    EAGER_STEP = 13
    """A task's first step ran eagerly inside ``create_task`` (3.12+), with no handle.
    t=end of the step, a=task oid, b=start time ns, c=location sid, d=awaited (as RUN_END)."""

    # -- timers ---------------------------------------------------------------
    TIMER_SCHEDULED = 20
    """a=timer oid, b=deadline as monotonic ns, c=sid of the callback's qualname,
    d=oid of the future the callback will resolve (e.g. a ``sleep``'s future), else 0.
    The timer fires when an ENQUEUE with Origin.TIMER and d=timer oid appears."""
    TIMER_CANCELLED = 21
    """a=timer oid."""

    # -- tasks ----------------------------------------------------------------
    TASK_CREATED = 30
    """a=task oid, b=parent task oid (``current_task()`` at creation, 0 if none),
    c=oid of the wrapped coroutine if the tracer follows it (see CORO_CREATED), else 0,
    d=sid of the location (``file:line``) in user code that created the task."""
    TASK_INFO = 31
    """Follows TASK_CREATED. a=task oid, b=name sid, c=sid of the coroutine's qualname,
    d=sid of the coroutine's definition ``file:line``."""
    TASK_RENAMED = 32
    """a=task oid, b=new name sid (``set_name`` after creation)."""
    TASK_DONE = 33
    """a=task oid, b=Outcome, c=sid of the detail: ``repr(result)`` truncated, or
    ``ExcType: message``, or the cancel message. A TASK_EXCEPTION message carries the traceback."""

    # -- futures --------------------------------------------------------------
    FUTURE_CREATED = 40
    """a=future oid, b=task oid that was running when it was created (0 if none),
    c=sid of the function that created it (``sleep``, ``Queue.get``, ``gather``,
    ``Lock.acquire``, or the user's function), d=sid of its type name (``Future``,
    ``_GatheringFuture``, ``Task`` is never used here: tasks have TASK_CREATED)."""
    FUTURE_DONE = 41
    """a=future oid, b=Outcome, c=detail sid (as TASK_DONE). Seen when its done callbacks are
    queued, so futures nobody waits on may never report it."""
    GATHER_CHILDREN = 42
    """a=gather future oid, b=child oid (task). One record per child."""

    # -- coroutine objects ------------------------------------------------------
    CORO_CREATED = 50
    """A coroutine object was created by calling one of the scenario's ``async def`` functions.
    a=coro oid, b=task oid running at the time (0 if none), c=sid of the coroutine's qualname,
    d=sid of the location (``file:line``) of the call that created it."""
    CORO_SCHEDULED = 51
    """The coroutine started to be driven. a=coro oid, b=task oid that drives it,
    c=1 if it was wrapped in a task (``create_task``, ``gather``, ``ensure_future``),
    2 if it was awaited directly by the task b."""
    CORO_DESTROYED = 52
    """a=coro oid, b=1 if it was never started (asyncio warns "coroutine ... was never awaited")."""


class HandleKind(IntEnum):
    """What a handle in the ready queue will do when it runs."""

    STEP = 1
    """``Task.__step``: the task's coroutine is resumed (first step, or after a bare yield)."""
    WAKEUP = 2
    """``Task.__wakeup``: a future the task awaited is done; the task resumes now."""
    CALLBACK = 3
    """Anything else: a future's done callback, a ``call_soon``/``call_later`` callback."""


class Origin(IntEnum):
    """How a handle entered the ready queue."""

    CALL_SOON = 0
    TIMER = 1
    """A timer's deadline passed (``call_later``/``call_at``, e.g. ``asyncio.sleep``)."""
    IO = 2
    """The selector reported a file descriptor ready."""
    THREADSAFE = 3
    """Appended from another thread (``call_soon_threadsafe``)."""


class Await(IntEnum):
    """Codes for RUN_END/EAGER_STEP ``d`` when the task awaits no tracked object."""

    NOTHING = 0
    """Not a task handle, or unknown."""
    YIELD = -1
    """Bare yield (``await asyncio.sleep(0)``): the task is back in the ready queue."""
    DONE = -2
    """The task finished in this step (a TASK_DONE record follows)."""


class Outcome(IntEnum):
    """How a task or future ended."""

    RESULT = 1
    EXCEPTION = 2
    CANCELLED = 3


class Message:
    """Kinds of JSON messages (``{"k": kind, "t": ns, ...}``), with their keys.

    Written by the runner child unless marked *parent*: the app's side of the
    runner adds those to the same recording.
    """

    HELLO = "hello"
    """First message. schema, pid, python (version string), scenario (path), argv,
    stall_ms, clock ("monotonic_ns"), t (start of the run)."""
    SOURCE = "source"
    """path, text: a source file the recording refers to (the scenario), so a recording opened
    on another machine can still show its code."""
    LOAD_ERROR = "load_error"
    """The scenario could not be started. reason ("syntax", "import", "no_main", "main_not_async",
    "not_found"), message, file, line, traceback."""
    OUTPUT = "output"
    """stream ("stdout" / "stderr"), text (one line, without the newline), task (oid or 0)."""
    TASK_EXCEPTION = "task_exception"
    """task (oid), type, message, traceback (formatted text)."""
    EXCEPTION_HANDLER = "exception_handler"
    """asyncio's exception handler was called (e.g. "Task exception was never retrieved").
    loop (oid), message, exception (type: message or null), task (oid or 0)."""
    STALL_BEGIN = "stall_begin"
    """The watchdog saw one handle running longer than the threshold.
    loop (oid), serial, task (oid or 0), started (ns when the handle began), noticed (ns),
    where: {file, line, function, text} innermost frame of user code (or null),
    innermost: {file, line, function, text} innermost frame overall,
    call: the callee at ``where`` if it can be told (e.g. "requests.get")."""
    STALL_PROGRESS = "stall_progress"
    """At least every 100 ms while a stall lasts: loop, serial, duration (ns so far),
    where, innermost (fresh samples)."""
    STALL_END = "stall_end"
    """loop, serial, started, ended (ns), duration (ns)."""
    RECORDER_ERROR = "recorder_error"
    """A failure inside loopviz's own recorder (reported once per place; the program goes on).
    where, type, message, traceback."""
    LIMIT_REACHED = "limit_reached"
    """The recording cap was reached; from here only summaries are kept. what, limit."""
    EXIT = "exit"
    """The scenario finished inside the runner. outcome ("returned", "raised", "exit"),
    result (repr, for returned), type, message, traceback (for raised), code (for sys.exit)."""
    RUN_END = "run_end"
    """*parent*: how the runner process ended. outcome ("returned", "raised", "exit",
    "load_error", "stopped", "killed", "crashed", "timeout"), returncode, signal (name or null),
    detail (one line a user can read)."""
    RAW_OUTPUT = "raw_output"
    """*parent*: bytes the runner wrote to its real stdout/stderr outside Python's ``sys.stdout``
    (C libraries, faulthandler's crash report). stream, text."""


def split_kind(packed: int) -> tuple[int, int]:
    """Return ``(kind, loop_index)`` from a record's packed first field."""
    return packed & KIND_MASK, packed >> LOOP_SHIFT


def pack_kind(kind: int, loop_index: int) -> int:
    """Inverse of :func:`split_kind`; the tracer precomputes these per loop."""
    return kind | (loop_index << LOOP_SHIFT)


def handle_kind_and_origin(c: int) -> tuple[int, int]:
    """Split ENQUEUE's ``c`` field."""
    return c & 0xFF, c >> 8
