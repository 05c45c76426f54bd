"""Plain-text views of a recording for the terminal: ``record``'s summary, ``inspect``'s report."""

from __future__ import annotations

import os
from typing import TextIO

from loopviz.model import Recording, Stall, is_machinery

MAX_TASK_ROWS = 40


def print_summary(recording: Recording, out: TextIO) -> None:
    """What a user wants right after a run: how long, how many tasks, where it blocked, the end."""
    outcome = recording.outcome
    scenario = os.path.basename(str(recording.hello.get("scenario", "?")))
    tasks = recording.tasks()
    housekeeping = sum(1 for t in tasks if is_machinery(t))
    stalls = recording.stalls()
    out.write(f"scenario:  {scenario}\n")
    out.write(f"duration:  {recording.duration:.3f} s\n")
    extra = f" (+{housekeeping} of asyncio's own housekeeping)" if housekeeping else ""
    out.write(f"tasks:     {len(tasks) - housekeeping}{extra}\n")
    out.write(f"stalls:    {len(stalls)}" + (" (loop blocked)" if stalls else "") + "\n")
    for stall in stalls:
        out.write(f"  {describe_stall(stall)}\n")
    out.write(f"ended:     {outcome.detail if outcome else 'still running'}\n")
    problems = recording.problems
    if problems:
        out.write(f"warnings:  {sum(problems.values())} malformed events ignored\n")


def print_inspection(recording: Recording, out: TextIO) -> None:
    """The tasks table, the stalls and the statistics."""
    print_summary(recording, out)
    stats = recording.stats()
    out.write("\nstatistics\n")
    out.write(f"  loop busy:           {stats.busy * 100:.1f} %\n")
    out.write(f"  events recorded:     {stats.events}\n")
    if stats.longest_handle is not None:
        h = stats.longest_handle
        out.write(
            f"  longest handle:      {h.duration * 1000:.1f} ms  {h.label} at {h.begin:.3f} s\n"
        )
    lat = stats.latency
    if lat.count:
        out.write(
            "  scheduling latency:  "
            f"p50 {lat.p50 * 1000:.3f} ms  p90 {lat.p90 * 1000:.3f} ms  "
            f"p99 {lat.p99 * 1000:.3f} ms  max {lat.max * 1000:.3f} ms  ({lat.count} handles)\n"
        )
    for loop in stats.loops:
        out.write(
            f"  {loop.name}: {loop.handles} handles in {loop.iterations} iterations, "
            f"busy {loop.busy * 100:.1f} %\n"
        )
    per_task = {t.task: t for t in stats.tasks}
    out.write("\ntasks\n")
    header = f"  {'task':<24} {'parent':<12} {'outcome':<22} {'steps':>5} "
    header += f"{'running':>9} {'ready':>9} {'waiting':>9}  created at\n"
    out.write(header)
    names = {t.id: t.name for t in recording.tasks()}
    tasks = recording.tasks()
    for info in tasks[:MAX_TASK_ROWS]:
        ts = per_task.get(info.id)
        outcome = info.outcome or "pending"
        if info.detail and info.outcome in ("exception", "cancelled"):
            outcome = f"{outcome}: {info.detail}"
        out.write(
            f"  {_cut(info.name, 24):<24} {_cut(names.get(info.parent, '-'), 12):<12} "
            f"{_cut(outcome, 22):<22} {ts.steps if ts else 0:>5} "
            f"{_ms(ts.running if ts else 0):>9} {_ms(ts.ready if ts else 0):>9} "
            f"{_ms(ts.waiting if ts else 0):>9}  {_short_location(info.created_at)}\n"
        )
    if len(tasks) > MAX_TASK_ROWS:
        out.write(f"  … and {len(tasks) - MAX_TASK_ROWS} more tasks\n")


def describe_stall(stall: Stall) -> str:
    """ "1.004 s at 0.012 s: requests.get at 04_blocking_requests.py:57 (in main)"."""
    text = f"{stall.duration:.3f} s at {stall.begin:.3f} s"
    if stall.where is not None:
        call = f"{stall.call} " if stall.call else ""
        text += (
            f": {call}at {os.path.basename(stall.where.file)}:{stall.where.line}"
            f" (in {stall.where.function})"
        )
    if stall.ongoing:
        text += " — still blocked when the recording ended"
    return text


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.3f} s"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _short_location(location: str) -> str:
    if not location:
        return "-"
    path, _, line = location.rpartition(":")
    return f"{os.path.basename(path)}:{line}" if path else location
