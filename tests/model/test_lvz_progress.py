"""Saving and loading report their progress, and a save abandoned half-way loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from loopviz.model import Recording, load, lvz, save
from loopviz.protocol import Message

T0 = 10**12


def printed(lines: int) -> Recording:
    rec = Recording()
    rec.add_messages([{"k": Message.HELLO, "t": T0, "schema": 1, "stall_ms": 100}])
    rec.add_messages(
        {"k": Message.OUTPUT, "t": T0 + k, "stream": "stdout", "text": f"line {k}", "task": 0}
        for k in range(lines)
    )
    return rec


class Stop(Exception):
    pass


def test_a_save_counts_its_frames_up_to_the_total_and_reads_back_equal(tmp_path: Path) -> None:
    rec = printed(5 * lvz.MESSAGES_PER_FRAME + 7)
    seen: list[tuple[int, int]] = []
    save(rec, tmp_path / "run.lvz", progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 6), "6 frames of messages; no strings, no records"
    assert seen[-1] == (6, 6)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    again = load(tmp_path / "run.lvz")
    assert again.messages() == rec.messages()


def test_a_load_counts_the_bytes_it_has_fed_up_to_the_declared_total(tmp_path: Path) -> None:
    path = tmp_path / "run.lvz"
    save(printed(50_000), path)
    seen: list[tuple[int, int]] = []
    again = load(path, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) > 1
    assert seen[-1][0] == seen[-1][1] > 0
    assert len(again.messages()) == 50_001


def test_a_save_stopped_by_its_progress_leaves_the_old_file_and_no_temporary(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.lvz"
    save(printed(10), path)
    old = path.read_bytes()

    def stop_half_way(done: int, total: int) -> None:
        if done * 2 >= total:
            raise Stop

    with pytest.raises(Stop):
        save(printed(10 * lvz.MESSAGES_PER_FRAME), path, progress=stop_half_way)
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["run.lvz"]


def test_files_saved_at_the_old_level_still_load(tmp_path: Path) -> None:
    rec = printed(3000)
    path = tmp_path / "old.lvz"
    save(rec, path, level=6)
    assert load(path).messages() == rec.messages()
