"""Printed lines take a fast path into a recording; it keeps exactly what the general one does.

Why it exists: opening a 100 MB print flood adds a million such messages on a worker
thread, and their Python work holds the GIL the window needs (bench/bench_files.py)."""

from __future__ import annotations

from typing import Any

import pytest

from loopviz.model import Recording
from loopviz.model.messages import MessageLog
from loopviz.protocol import Message

T0 = 10**12


def messages() -> list[Any]:
    """Well-formed lines among odd ones: out of order, extra keys, wrong types, huge ints."""
    line = {"k": Message.OUTPUT, "stream": "stdout", "text": "x", "task": 0}
    return [
        {"k": Message.HELLO, "t": T0, "schema": 1, "stall_ms": 100},
        *({**line, "t": T0 + k, "text": f"line {k}"} for k in range(10)),
        {**line, "t": T0 + 5, "text": "late, sorted in"},
        {**line, "t": T0 + 20, "extra": 1},
        {**line, "t": True},
        {**line, "t": 2**64},
        {**line, "t": T0 + 21, "task": -1},
        {**line, "t": T0 + 22, "stream": 3},
        {**line, "t": T0 + 23, "text": None},
        {"k": Message.OUTPUT, "t": T0 + 24, "text": "no stream, no task"},
        {"k": Message.RAW_OUTPUT, "t": T0 + 25, "stream": "stderr", "text": "raw"},
        "not a message",
        *({**line, "t": T0 + 30 + k, "text": f"after {k}"} for k in range(10)),
    ]


def kept(rec: Recording) -> tuple[Any, ...]:
    return rec.messages(), rec.output(), rec.problems, rec.dropped, rec.end_ns, rec.duration


@pytest.mark.parametrize("cap", [None, 15])
def test_the_fast_path_keeps_what_the_general_path_keeps(
    cap: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = Recording(max_output_lines=cap)
    fast.add_messages(messages())
    monkeypatch.setattr(MessageLog, "add_output", lambda _log, _m: False)
    general = Recording(max_output_lines=cap)
    general.add_messages(messages())
    assert kept(fast) == kept(general)
    assert [line.text for line in fast.output()[:7]] == [
        *(f"line {k}" for k in range(6)),
        "late, sorted in",
    ]
    if cap is not None:
        printed = [m for m in messages() if isinstance(m, dict) and m["k"] != Message.HELLO]
        assert fast.dropped == {"output lines": len(printed) - cap}
