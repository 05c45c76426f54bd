"""The cap on one recording: past it the run goes on, only its summary is kept, and it says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import loopviz
from loopviz.model import Recording, from_bytes, load, to_bytes
from loopviz.model.synthetic import mixed_workload
from loopviz.protocol import Message

HOSTILE = Path(__file__).resolve().parent.parent / "hostile"


def test_an_event_flood_past_the_cap_finishes_with_its_summary_and_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOPVIZ_EVENTS", "600000")
    rec = loopviz.record(HOSTILE / "event_flood.py", max_events=50_000)
    assert rec.outcome is not None and rec.outcome.outcome == "returned"
    limit = rec.limit_reached
    assert limit is not None and limit["what"] == "events" and limit["limit"] == 50_000
    assert rec.event_count < 600_000 // 2, "per-event records stopped at the cap"
    texts = [line.text for line in rec.output()]
    assert "flood done" in texts, "the run went on after the cap"
    notice = [t for t in texts if t.startswith("loopviz: this recording reached its limit")]
    assert len(notice) == 1 and "50,000 events" in notice[0]
    assert not rec.stalls(), "the handle running at the cut is not a stall to the end"
    columns = rec.open_slices().columns.values()
    open_until = max((float(c.end.max()) for c in columns if len(c.end)), default=0.0)
    assert open_until <= (limit["t"] - rec.start_ns) / 1e9 + 1e-6
    spinners = [t for t in rec.tasks() if t.coro == "spin"]
    assert len(spinners) == 40
    assert all(t.outcome == "result" for t in spinners), "the summary still ends every task"
    again = from_bytes(to_bytes(rec))
    assert again.limit_reached == limit
    assert again.event_count == rec.event_count


def test_the_recording_itself_holds_at_most_its_cap() -> None:
    """A backstop for a runner that does not stop: the app keeps max_events records."""
    frames = mixed_workload(tasks=20, rounds=40, seed=3).frames()
    rec = Recording(max_events=2_000)
    for frame in frames:
        rec.feed(frame)
    assert rec.event_count == 2_000
    assert rec.dropped["events"] > 0
    limits = [m for m in rec.messages() if m["k"] == Message.LIMIT_REACHED]
    assert len(limits) == 1 and limits[0]["what"] == "events"
    rec.stats()
    rec.state_at(rec.duration / 2)
    assert rec.slice_arrays()


def test_printed_output_past_its_cap_is_counted_not_kept() -> None:
    rec = Recording(max_output_lines=100)
    rec.add_messages([{"k": "hello", "t": 1, "schema": 1}])
    rec.add_messages(
        [{"k": "output", "t": 10 + k, "stream": "stdout", "text": f"line {k}"} for k in range(250)]
    )
    texts = [line.text for line in rec.output()]
    assert texts[:100] == [f"line {k}" for k in range(100)]
    assert texts[100].startswith("loopviz: more than 100 lines of output")
    assert len(texts) == 101
    assert rec.dropped == {"output lines": 150}


def test_record_max_events_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "capped.lvz"
    env = {**os.environ, "LOOPVIZ_EVENTS": "300000"}
    base = [sys.executable, "-m", "loopviz", "record", str(HOSTILE / "event_flood.py")]
    proc = subprocess.run(
        [*base, "--max-events", "20000", "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "reached its limit of 20,000 events" in proc.stderr
    assert load(out).limit_reached is not None
    bad = subprocess.run(
        [*base, "--max-events", "-5"], capture_output=True, text=True, env=env, timeout=60
    )
    assert bad.returncode == 2 and "--max-events must be 0" in bad.stderr


def test_other_messages_past_their_cap_are_counted_and_the_outcome_still_kept() -> None:
    rec = Recording(max_messages=50)
    rec.add_messages([{"k": "hello", "t": 1, "schema": 1}])
    calls = [
        {"k": "exception_handler", "t": 10 + k, "message": "never retrieved", "task": 0}
        for k in range(120)
    ]
    rec.add_messages(calls)
    rec.add_messages([{"k": "exit", "t": 500, "outcome": "returned", "result": "None"}])
    assert rec.dropped == {"messages": 70}, "hello and exit are always kept"
    assert rec.outcome is not None and rec.outcome.outcome == "returned"
    assert rec.limit_reached is not None and rec.limit_reached["what"] == "messages"
    assert any("more than 50 messages" in line.text for line in rec.output())


def test_the_app_leaves_room_for_the_runners_summary_records() -> None:
    from loopviz.runner import process
    from loopviz.tracer import limits

    assert process.SUMMARY_ALLOWANCE == limits.SUMMARY_ALLOWANCE
    assert process.recording_cap(10) == 10 + limits.SUMMARY_ALLOWANCE
    assert process.recording_cap(None) is None
