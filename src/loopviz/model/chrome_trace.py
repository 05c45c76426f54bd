"""Export to the Chrome Trace Event format, so a run opens in Perfetto or chrome://tracing.

One thread track per task (named after the task) and one per event loop;
``"X"`` events for task steps (``cat: step``, ``args.detail``), suspensions
(``cat: wait``, ``args.awaiting``) and stalls on the loop's track (``cat: stall``,
``args.where`` = ``file:line`` in the scenario, ``args.call``, and ``args.inside``
when the loop was held inside a plain function that line called). Timestamps are
microseconds from the start of the run.

A blocking step's detail uses the app's words (:mod:`loopviz.model.slice_words`):
"blocked at lesson.py:57 requests.get(...)" first, then the step — the same
text as the bar's hover, so a trace opened in Perfetto reads like the app.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import IO, Any

from loopviz.model.recording import Recording
from loopviz.model.slice_words import SliceDescriber
from loopviz.model.slices import State
from loopviz.model.stall_caller import inside_text

PID = 1


def trace_events(recording: Recording) -> list[dict[str, Any]]:
    """The ``traceEvents`` list."""
    lanes = recording.lanes()
    scenario = recording.hello.get("scenario")
    title = f"loopviz: {os.path.basename(scenario)}" if isinstance(scenario, str) else "loopviz"
    events: list[dict[str, Any]] = [
        {"ph": "M", "name": "process_name", "pid": PID, "tid": 0, "args": {"name": title}}
    ]
    for lane in lanes:
        events.append(
            {
                "ph": "M",
                "name": "thread_name",
                "pid": PID,
                "tid": lane.id,
                "args": {"name": lane.name},
            }
        )
    names = {lane.id: lane.name for lane in lanes}
    is_task = {lane.id for lane in lanes if lane.kind == "task"}
    batch = recording.slice_arrays()
    describe = SliceDescriber(recording)
    for state in (State.RUNNING, State.BLOCKING):
        cols = batch[state]
        for lane, start, end, ref in zip(cols.lane, cols.start, cols.end, cols.ref, strict=True):
            if int(lane) not in is_task:
                continue
            events.append(
                _x(
                    "step",
                    names[int(lane)],
                    int(lane),
                    start,
                    end,
                    {"detail": describe(state, int(ref))},
                )
            )
    cols = batch[State.WAITING]
    for lane, start, end, ref in zip(cols.lane, cols.start, cols.end, cols.ref, strict=True):
        text = recording.describe_slice(State.WAITING, int(ref)).removeprefix("awaits ")
        events.append(_x("wait", "wait", int(lane), start, end, {"awaiting": text}))
    loop_lane = {lane.loop: lane.id for lane in lanes if lane.kind == "loop"}
    end_of_run = recording.duration
    for stall in recording.stalls():
        where = f"{os.path.basename(stall.where.file)}:{stall.where.line}" if stall.where else ""
        lane = loop_lane.get(stall.loop, next(iter(loop_lane.values()), 0))
        end = stall.end if stall.end is not None else max(end_of_run, stall.begin)
        args = {"where": where, "call": stall.call or ""}
        inside = inside_text(stall)
        if inside:
            args["inside"] = inside.removeprefix("inside ")
        events.append(_x("stall", "stall", lane, stall.begin, end, args))
    return events


def _x(
    cat: str, name: str, tid: int, start: float, end: float, args: dict[str, Any]
) -> dict[str, Any]:
    ts = round(float(start) * 1e6, 3)
    return {
        "ph": "X",
        "cat": cat,
        "name": name,
        "pid": PID,
        "tid": tid,
        "ts": ts,
        "dur": max(0.0, round(float(end) * 1e6, 3) - ts),
        "args": args,
    }


def export_chrome_trace(
    recording: Recording, path_or_file: str | os.PathLike[str] | IO[Any]
) -> None:
    """Write the recording as Chrome Trace Event JSON to a path or an open file."""
    doc = {"traceEvents": trace_events(recording), "displayTimeUnit": "ms"}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    if hasattr(path_or_file, "write"):
        if isinstance(path_or_file, io.TextIOBase):
            path_or_file.write(text)
        else:
            path_or_file.write(text.encode("utf-8"))
        return
    Path(path_or_file).write_text(text, encoding="utf-8")
