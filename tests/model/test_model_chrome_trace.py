"""The Chrome Trace export opens in Perfetto: one track per task, steps, waits and stalls."""

from __future__ import annotations

import io
import json

import pytest
from model_lessons import blocking_requests, create_task, record

from loopviz.model import export_chrome_trace

X_FIELDS = {"ph", "cat", "name", "pid", "tid", "ts", "dur", "args"}
M_FIELDS = {"ph", "name", "pid", "tid", "args"}


def export(rec) -> dict:
    buf = io.StringIO()
    export_chrome_trace(rec, buf)
    return json.loads(buf.getvalue())


def test_tracks_steps_and_waits():
    rec = record(create_task().w)
    doc = export(rec)
    events = doc["traceEvents"]
    meta = [e for e in events if e["ph"] == "M"]
    assert all(set(e) == M_FIELDS for e in meta)
    threads = {e["tid"]: e["args"]["name"] for e in meta if e["name"] == "thread_name"}
    assert sorted(threads.values()) == sorted(["event loop", *(t.name for t in rec.tasks())])
    xs = [e for e in events if e["ph"] == "X"]
    assert all(set(e) == X_FIELDS for e in xs)
    assert {e["cat"] for e in xs} == {"step", "wait"}
    for task in rec.tasks():
        mine = [e for e in xs if threads[e["tid"]] == task.name and e["cat"] == "step"]
        assert len(mine) == (3 if task.name == "Task-1" else 2)
    waits = [e for e in xs if e["cat"] == "wait"]
    assert all(isinstance(e["args"]["awaiting"], str) and e["args"]["awaiting"] for e in waits)
    request_waits = [e for e in waits if threads[e["tid"]] == "Task-2"]
    assert request_waits[0]["args"]["awaiting"] == "sleep, 1.00 s left"
    assert request_waits[0]["dur"] == pytest.approx(1e6, rel=1e-3)
    main_waits = [e["args"]["awaiting"] for e in waits if threads[e["tid"]] == "Task-1"]
    assert main_waits == ["sleep, 2.00 s left", "gather: 5 of 5 done"]
    assert all(e["ts"] >= 0 and e["dur"] >= 0 for e in xs)


def test_stalls_on_the_event_loop_track(tmp_path):
    rec = record(blocking_requests(block=1.5).w)
    path = tmp_path / "trace.json"
    export_chrome_trace(rec, path)
    events = json.loads(path.read_text())["traceEvents"]
    threads = {e["tid"]: e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    [stall] = [e for e in events if e.get("cat") == "stall"]
    assert threads[stall["tid"]] == "event loop"
    assert stall["args"] == {"where": "04_blocking_requests.py:31", "call": "requests.get"}
    assert stall["ts"] == pytest.approx(0.5e6, rel=0.01)
    assert stall["dur"] == pytest.approx(1.5e6, rel=0.01)
    buf = io.BytesIO()
    export_chrome_trace(rec, buf)
    assert json.loads(buf.getvalue())["traceEvents"] == events


def test_a_blocking_step_says_blocked_at_the_line_like_the_app_not_paused():
    rec = record(blocking_requests(block=1.5).w)
    events = export(rec)["traceEvents"]
    threads = {e["tid"]: e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    steps = [e for e in events if e.get("cat") == "step" and threads[e["tid"]] == "Task-1"]
    [blocking] = [e for e in steps if e["dur"] > 1e6]
    first, second = blocking["args"]["detail"].split("\n")
    assert first == "blocked at 04_blocking_requests.py:31 requests.get(...)"
    assert second.startswith("Task-1 · ") and " · then paused at " in second
    # Steps that did not block keep the recording's words.
    short = [e["args"]["detail"] for e in steps if e["dur"] < 1e6]
    assert short and not any("blocked" in d for d in short)
