"""The app takes the runner's event pipe a few milliseconds at a time, losing and reordering
nothing.

A print flood arrives as reads of up to 256 KiB, ~1,500 one-line frames each; the
app ingests frames for at most ``INGEST_BUDGET`` per event-loop turn, pauses
reading and takes the rest on the next turns. These runs set the budget to zero,
so every frame gets a turn of its own, and check every line arrived, in order.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from loopviz.model import Recording
from loopviz.runner import Runner, process

CHATTY = """\
import asyncio
import os


async def main():
    for k in range(int(os.environ["LINES"])):
        print(f"line {k}")
        if k % 5_000 == 0:
            await asyncio.sleep(0)
    print("done")
"""
LINES = 20_000


@pytest.fixture
def chatty(tmp_path: Path) -> Path:
    path = tmp_path / "chatty.py"
    path.write_text(CHATTY)
    return path


@pytest.fixture
def turns(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every frame in a turn of its own; counts the turns that followed a paused read."""
    monkeypatch.setattr(process, "INGEST_BUDGET", 0.0)
    counted: list[int] = []
    next_turn = process._EventsProtocol._next_turn

    def counting(self: process._EventsProtocol) -> None:
        counted.append(self._reader.pending)
        next_turn(self)

    monkeypatch.setattr(process._EventsProtocol, "_next_turn", counting)
    return counted


def record(path: Path, recording: Recording | None = None) -> Runner:
    runner = Runner(path, env={"LINES": str(LINES)}, timeout=120, recording=recording)
    asyncio.run(runner.run())
    return runner


def test_every_line_arrives_in_order_when_reads_are_split_over_many_turns(
    chatty: Path, turns: list[int]
) -> None:
    runner = record(chatty)
    assert runner.outcome is not None and runner.outcome.outcome == "returned"
    texts = [line.text for line in runner.recording.output()]
    assert texts == [f"line {k}" for k in range(LINES)] + ["done"]
    assert len(turns) > 1_000, "reads were split: the rest came on later turns"
    assert not runner.recording.problems


def test_the_output_cap_notice_comes_once_after_the_last_kept_line(
    chatty: Path, turns: list[int]
) -> None:
    runner = record(chatty, Recording(max_output_lines=5_000))
    assert runner.outcome is not None and runner.outcome.outcome == "returned"
    texts = [line.text for line in runner.recording.output()]
    assert texts[:5_000] == [f"line {k}" for k in range(5_000)]
    notices = [text for text in texts if "lines of output" in text]
    assert notices == ["loopviz: more than 5,000 lines of output; further output is not kept"]
    assert texts[-1] == notices[0]
    assert runner.recording.dropped == {"output lines": LINES + 1 - 5_000}
