"""The JSON messages of a run: hello, sources, output, exceptions, stalls, the outcome.

Messages are rare and rich, so they are kept as the dicts they arrived as
(``all``, which is also what a saved file writes back) plus a few indexes.
Every field is checked before use: a message with a wrong type is counted as
a problem and skipped, never allowed to break ingestion of a live run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np

from loopviz.model.chunked import ChunkedList
from loopviz.model.columns import Column
from loopviz.protocol import Message

DEFAULT_STALL_MS = 100


def as_int(value: Any) -> int | None:
    """An int from JSON, or None (bools and floats are not event times or ids)."""
    if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63:
        return value
    return None


def as_str(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


_OUTPUT_KEYS = frozenset(("k", "t", "stream", "text", "task"))


class MessageList(ChunkedList[Any]):
    """Every message in arrival order, handed out as the dicts they arrived as.

    A printed line's message is kept as a plain ``(t, stream, text, task)`` tuple
    (rebuilt as an equal dict when read, keys in the protocol's order), any other
    message as its index in a list of its own: a dict stays visible to the garbage
    collector wherever it is kept, a chunk holding one would be walked item by item,
    and a print flood sends a million lines among its stall samples."""

    __slots__ = ("_others",)

    def __init__(self) -> None:
        super().__init__()
        self._others: list[dict[str, Any]] = []

    def add(self, m: dict[str, Any]) -> None:
        if m["k"] == Message.OUTPUT and len(m) == 5 and m.keys() == _OUTPUT_KEYS:
            t, stream, text, task = m["t"], m["stream"], m["text"], m["task"]
            if type(t) is type(task) is int and type(stream) is type(text) is str:
                self.append((t, stream, text, task))
                return
        self.append(len(self._others))
        self._others.append(m)

    def __getitem__(self, index: Any) -> Any:
        item = super().__getitem__(index)
        if isinstance(index, slice):
            return [self._message(m) for m in item]
        return self._message(item)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for m in super().__iter__():
            yield self._message(m)

    def _message(self, item: tuple[int, str, str, int] | int) -> dict[str, Any]:
        if type(item) is tuple:
            t, stream, text, task = item
            return {"k": Message.OUTPUT, "t": t, "stream": stream, "text": text, "task": task}
        return self._others[item]  # type: ignore[index]


class StallMessages:
    """What the watchdog said about one stall: its begin, progress samples and end."""

    __slots__ = ("begin", "end", "progress")

    def __init__(self) -> None:
        self.begin: dict[str, Any] | None = None
        self.progress: list[dict[str, Any]] = []
        self.end: dict[str, Any] | None = None


class MessageLog:
    """All messages of a recording, with the indexes queries need."""

    def __init__(self) -> None:
        self.all = MessageList()
        self.hello: dict[str, Any] | None = None
        self.sources: dict[str, str] = {}
        self.output: ChunkedList[tuple[int, str, str, int]] = ChunkedList()
        """(t ns, stream, text, task oid), sorted by time (stable: ties keep arrival order)."""
        self._output_t = Column(np.int64)
        self._pending_t: list[int] = []
        """Times of lines appended since ``_output_t`` was last brought up to date: a print
        flood appends a million lines, one numpy write each would cost more than the line."""
        self._last_t: int | None = None
        self.task_exceptions: dict[int, dict[str, Any]] = {}
        self.handler_calls: list[dict[str, Any]] = []
        self.stalls: dict[tuple[int, int], StallMessages] = {}
        self.recorder_errors: list[dict[str, Any]] = []
        self.limit: dict[str, Any] | None = None
        self.records_cut: int | None = None
        """ns of the first record a cap left out (events or buffer): records end there."""
        self.exit: dict[str, Any] | None = None
        self.run_end: dict[str, Any] | None = None
        self.load_error: dict[str, Any] | None = None
        self.t_max: int | None = None
        self._start: int | None = None

    @property
    def start_ns(self) -> int | None:
        return self._start

    @property
    def stall_ns(self) -> int:
        ms = None if self.hello is None else self.hello.get("stall_ms")
        if isinstance(ms, int | float) and not isinstance(ms, bool) and 0 < ms < 1e9:
            return int(ms * 1_000_000)
        return DEFAULT_STALL_MS * 1_000_000

    def add(self, m: Any, problems: Counter[str], ignored: Counter[str]) -> None:
        """Take one message; count it in ``problems`` if it is malformed."""
        if not isinstance(m, dict) or not isinstance(m.get("k"), str):
            problems["message is not an object with a kind"] += 1
            return
        self.all.add(m)
        kind = m["k"]
        t = as_int(m.get("t"))
        if t is not None:
            self.t_max = t if self.t_max is None else max(self.t_max, t)
        handler = _HANDLERS.get(kind)
        if handler is None:  # a kind from a newer runner: forward compatible, not an error
            ignored[f"message kind {kind!r}"] += 1
            return
        try:
            if not handler(self, m, t):
                problems[f"malformed {kind!r} message"] += 1
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError):
            problems[f"malformed {kind!r} message"] += 1

    def add_output(self, m: dict[str, Any]) -> bool:
        """Take a well-formed printed line's message (what :meth:`add` does, at a third of
        the cost); False, taking nothing, for anything else (then call :meth:`add`).

        Why: opening a 100 MB print flood adds a million of them on the worker thread, and
        its Python work holds the GIL the window's thread needs."""
        if len(m) != 5 or m.keys() != _OUTPUT_KEYS or m["k"] != Message.OUTPUT:
            return False
        t, stream, text, task = m["t"], m["stream"], m["text"], m["task"]
        if not (
            type(t) is int
            and type(task) is int
            and type(stream) is str
            and type(text) is str
            and -(2**63) <= t < 2**63
            and 0 <= task < 2**63
        ):
            return False
        line = (t, stream, text, task)
        self.all.append(line)  # as MessageList.add keeps it
        if self.t_max is None or t > self.t_max:
            self.t_max = t
        self._add_line(line)
        return True

    def sorted_output(self) -> tuple[ChunkedList[tuple[int, str, str, int]], np.ndarray]:
        """Output lines sorted by time, and their times (for ``searchsorted``)."""
        self._sync_times()
        return self.output, self._output_t.data

    def _sync_times(self) -> None:
        if self._pending_t:
            self._output_t.append(np.array(self._pending_t, dtype=np.int64))
            self._pending_t.clear()

    def _add_line(self, line: tuple[int, str, str, int]) -> None:
        # Lines arrive in time order (one runner) except the parent's raw output: append,
        # or insert after the lines of the same time.
        t = line[0]
        if self._last_t is None or t >= self._last_t:
            self._last_t = t
            self.output.append(line)
            self._pending_t.append(t)
            return
        self._sync_times()
        times = self._output_t
        k = int(np.searchsorted(times.data, t, side="right"))
        self.output.insert(k, line)
        times.reserve(times.n + 1)
        times.buf[k + 1 : times.n + 1] = times.buf[k : times.n]
        times.buf[k] = t
        times.n += 1

    # -- handlers: return False when the message is malformed ----------------

    def _hello(self, m: dict[str, Any], t: int | None) -> bool:
        if t is None:
            return False
        if self.hello is None:
            self.hello = m
            self._start = t
        return True

    def _source(self, m: dict[str, Any], t: int | None) -> bool:
        path, text = m.get("path"), m.get("text")
        if not isinstance(path, str) or not isinstance(text, str):
            return False
        self.sources[path] = text
        return True

    def _output(self, m: dict[str, Any], t: int | None) -> bool:
        text = m.get("text")
        if t is None or not isinstance(text, str):
            return False
        stream = m.get("stream", "stdout")
        if type(stream) is not str:
            stream = "stdout"
        task = m.get("task", 0)
        if type(task) is not int or not 0 <= task < 2**63:  # the common case costs no call
            task = as_int(task) or 0
        self._add_line((t, stream, text, task))
        return True

    def _task_exception(self, m: dict[str, Any], t: int | None) -> bool:
        task = as_int(m.get("task"))
        if task is None:
            return False
        self.task_exceptions[task] = m
        return True

    def _handler_call(self, m: dict[str, Any], t: int | None) -> bool:
        self.handler_calls.append(m)
        return True

    def _stall(self, m: dict[str, Any], t: int | None) -> bool:
        loop, serial = as_int(m.get("loop")), as_int(m.get("serial"))
        if loop is None or serial is None:
            return False
        entry = self.stalls.setdefault((loop, serial), StallMessages())
        if m["k"] == Message.STALL_BEGIN:
            if as_int(m.get("started")) is None:
                return False
            entry.begin = entry.begin or m
        elif m["k"] == Message.STALL_PROGRESS:
            entry.progress.append(m)
        else:
            if as_int(m.get("ended")) is None:
                return False
            entry.end = entry.end or m
        return True

    def _recorder_error(self, m: dict[str, Any], t: int | None) -> bool:
        self.recorder_errors.append(m)
        return True

    def _limit(self, m: dict[str, Any], t: int | None) -> bool:
        self.limit = self.limit or m
        if t is not None and m.get("what") in ("events", "buffer") and self.records_cut is None:
            self.records_cut = t
        if t is not None:  # shown where the user reads the run's output
            self._add_line((t, "loopviz", limit_text(m), 0))
        return True

    def _exit(self, m: dict[str, Any], t: int | None) -> bool:
        self.exit = m
        return True

    def _run_end(self, m: dict[str, Any], t: int | None) -> bool:
        self.run_end = m
        return True

    def _load_error(self, m: dict[str, Any], t: int | None) -> bool:
        self.load_error = m
        return True

    def _raw_output(self, m: dict[str, Any], t: int | None) -> bool:
        text = m.get("text")
        if t is None or not isinstance(text, str):
            return False
        stream = as_str(m.get("stream"), "stderr")
        for line in text.splitlines() or [""]:
            self._add_line((t, stream, line, 0))
        return True


def limit_text(m: dict[str, Any]) -> str:
    """One line a user can read for a ``limit_reached`` message."""
    what, limit = m.get("what"), as_int(m.get("limit"))
    figure = f"{limit:,}" if limit is not None else "its"
    if what == "events":
        return (
            f"loopviz: this recording reached its limit of {figure} events; the run goes on, "
            "but from here only its summary is recorded (see --max-events)"
        )
    if what == "buffer":
        return (
            "loopviz: the scenario made events faster than they could be taken "
            f"({figure} waiting); from here only its summary is recorded"
        )
    if what == "output":
        return f"loopviz: more than {figure} lines of output; further output is not kept"
    if what == "messages":
        return (
            f"loopviz: more than {figure} messages (exceptions, stall samples...); "
            "further ones are not kept"
        )
    return f"loopviz: a recording limit was reached ({as_str(what, '?')}: {figure})"


_HANDLERS = {
    Message.HELLO: MessageLog._hello,
    Message.SOURCE: MessageLog._source,
    Message.OUTPUT: MessageLog._output,
    Message.TASK_EXCEPTION: MessageLog._task_exception,
    Message.EXCEPTION_HANDLER: MessageLog._handler_call,
    Message.STALL_BEGIN: MessageLog._stall,
    Message.STALL_PROGRESS: MessageLog._stall,
    Message.STALL_END: MessageLog._stall,
    Message.RECORDER_ERROR: MessageLog._recorder_error,
    Message.LIMIT_REACHED: MessageLog._limit,
    Message.EXIT: MessageLog._exit,
    Message.RUN_END: MessageLog._run_end,
    Message.LOAD_ERROR: MessageLog._load_error,
    Message.RAW_OUTPUT: MessageLog._raw_output,
}
