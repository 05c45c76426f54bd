"""Capture the scenario's ``print`` output as timestamped lines in the recording.

Why in the runner rather than by reading its stdout pipe in the app: a line
stamped where it is written lands between the events of the step that printed
it, so stepping through a recording shows "Number of tasks: 1" at exactly the
moment it was printed. Writes that bypass ``sys.stdout`` (C code, faulthandler)
still reach the real file descriptors, which the app reads as raw output.

Why ``on_line``: the runner passes the flusher's ``flush`` so a line leaves the
process as soon as it is printed — a scenario that prints "about to crash" and
then segfaults or calls ``os._exit`` must not take that line with it. Like a
real stdout pipe, a print waits if the app is slow to read.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from loopviz.protocol import Message
from loopviz.tracer.recorder import Recorder

MAX_LINE = 16_384
"""Longer lines are cut (with a marker) so one runaway print cannot flood the recording."""


class LineCapture(io.TextIOBase):
    """A text stream that turns each complete line into an OUTPUT message."""

    def __init__(
        self,
        recorder: Recorder,
        stream: str,
        encoding: str = "utf-8",
        on_line: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._recorder = recorder
        self._on_line = on_line
        self._stream = stream
        self._partial: list[str] = []
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "replace"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if "\n" not in s:
            self._partial.append(s)
            return len(s)
        lines = s.split("\n")
        lines[0] = "".join(self._partial) + lines[0]
        tail = lines.pop()
        self._partial = [tail] if tail else []
        now = time.monotonic_ns()
        for line in lines:
            self._emit(line, now)
        if self._on_line is not None:
            self._on_line()
        return len(s)

    def _emit(self, line: str, t: int) -> None:
        if len(line) > MAX_LINE:
            line = line[:MAX_LINE] + f" … [{len(line) - MAX_LINE} more characters cut]"
        self._recorder.message(Message.OUTPUT, t=t, stream=self._stream, text=line, task=0)

    def flush(self) -> None:
        """Lines are sent when complete; a partial line waits for its newline or close()."""

    def close(self) -> None:
        if self._partial:
            self._emit("".join(self._partial), time.monotonic_ns())
            self._partial = []
        super().close()
