"""Recordings to export: the blocking lesson, really run once, and a small simulated run.

The blocking lesson (``requests.get`` inside a coroutine) is the one lecturers
put on slides; the simulated run has slices wide enough that every one of them
is its own bar, so a picture can be checked slice by slice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from loopviz.model import Recording
from loopviz.model.synthetic import Sim

REPO = Path(__file__).resolve().parents[2]
BLOCKING_LESSON = REPO / "scenarios" / "04_blocking_requests.py"


@pytest.fixture(scope="session")
def blocking_recording() -> Recording:
    from loopviz.api import record

    rec = record(BLOCKING_LESSON)
    assert rec.outcome is not None and rec.outcome.outcome == "returned", rec.outcome
    assert rec.stalls(), "the blocking lesson must stall the loop"
    return rec


@pytest.fixture(scope="session")
def blocking_file(blocking_recording: Recording, tmp_path_factory) -> Path:
    from loopviz.model import save

    path = tmp_path_factory.mktemp("rec") / "blocking.lvz"
    save(blocking_recording, path)
    return path


def simulated_run() -> Recording:
    """Three workers sleeping 0.2 s three times, then a 0.3 s blocking call in main."""
    sim = Sim(scenario="workers.py")

    def worker(sim: Sim, k: int):
        for _ in range(3):
            sim.work(0.02 * (k + 1))
            yield from sim.sleep(0.2, at=10 + k)

    def main(sim: Sim):
        tasks = [sim.create_task(worker, k, name=f"worker-{k}", at=20) for k in range(3)]
        yield from sim.sleep(0.1, at=21)
        sim.block(0.3, call="time.sleep")
        yield from sim.gather(*tasks, at=22)

    sim.run(main)
    rec = Recording()
    rec.feed(sim.w.data())
    return rec


@pytest.fixture(scope="session")
def small_recording() -> Recording:
    return simulated_run()


@pytest.fixture
def export_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[QSettings]:
    directory = tmp_path / "settings"
    directory.mkdir()
    monkeypatch.setenv("LOOPVIZ_SETTINGS_DIR", str(directory))
    yield QSettings(str(directory / "test.ini"), QSettings.Format.IniFormat)
