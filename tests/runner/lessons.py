"""Shared helpers for tests that record the bundled scenarios and read their lessons."""

from __future__ import annotations

from pathlib import Path

from loopviz.catalog import bundled_scenarios_dir
from loopviz.model import Recording, State, TaskInfo


def scenario(name: str) -> Path:
    return bundled_scenarios_dir() / name


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` containing ``needle``."""
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def user_tasks(recording: Recording, path: Path) -> list[TaskInfo]:
    """Tasks running the scenario's own coroutines (not asyncio.run's shutdown helpers)."""
    return [t for t in recording.tasks() if t.coro_location.startswith(str(path) + ":")]


def spans(recording: Recording, task: TaskInfo, state: State) -> list[tuple[float, float]]:
    return [(s.start, s.end) for s in recording.slices(task.id) if s.state == state]


def output_time(recording: Recording, prefix: str) -> float:
    for line in recording.output():
        if line.text.startswith(prefix):
            return line.t
    raise AssertionError(f"no output line starting with {prefix!r}")
