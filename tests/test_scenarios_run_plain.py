"""The founding scenarios are plain asyncio programs: `python scenario.py` shows the lesson."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from loopviz.catalog import bundled_scenarios_dir
from loopviz.localhttp import URL_ENV, LessonServer


def run_scenario(name: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != URL_ENV}
    environment.update(env)
    return subprocess.run(
        [sys.executable, str(bundled_scenarios_dir() / name)],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )


def total_seconds(stdout: str) -> float:
    match = re.search(r"Total time: ([\d.]+) s", stdout)
    assert match, stdout
    return float(match.group(1))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "tasks", "low", "high"),
    [
        ("01_sequential_awaits.py", None, 4.9, 6.0),
        ("02_coroutines_are_not_tasks.py", 1, 2.9, 4.0),
        ("03_create_task.py", 6, 1.9, 3.0),
    ],
)
def test_timing_lessons(name: str, tasks: int | None, low: float, high: float) -> None:
    result = run_scenario(name)
    assert result.returncode == 0, result.stderr
    assert low <= total_seconds(result.stdout) <= high
    if tasks is not None:
        assert f"Number of tasks: {tasks}\n" in result.stdout


@pytest.mark.slow
def test_blocking_requests_stalls_the_ticker() -> None:
    with LessonServer() as server:
        result = run_scenario("04_blocking_requests.py", **{URL_ENV: server.url})
    assert result.returncode == 0, result.stderr
    assert "Status: 200" in result.stdout
    ticks = [float(ms) for ms in re.findall(r"slept ([\d.]+) ms", result.stdout)]
    assert len(ticks) == 10
    assert 950 <= ticks[0] <= 2000  # the first sleep lasted as long as requests.get
    assert max(ticks[1:]) < 500  # then the loop runs freely again
    # The status is printed before any tick: the ticker could not run meanwhile.
    assert result.stdout.index("Status: 200") < result.stdout.index("Tick 1:")


def test_blocking_requests_without_server_explains() -> None:
    result = run_scenario("04_blocking_requests.py")
    assert result.returncode != 0
    assert URL_ENV in result.stderr
    assert "python -m loopviz.localhttp" in result.stderr
    assert "Traceback" not in result.stderr
