"""File › Open scenario… adds any .py file to the list and selects it, even a broken one."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from loopviz.ui.scenario_delegate import badge_text, summary_text

GOOD = '''"""My own scenario

Two tasks take turns.

Key point: tasks interleave at awaits.
"""

import asyncio


async def main() -> None:
    await asyncio.sleep(0.1)
'''

BROKEN = "async def main(:\n    pass\n"


@pytest.fixture
def choose(monkeypatch: pytest.MonkeyPatch):
    """Make the file dialog answer with the given path (or cancel with None)."""
    calls: list[tuple] = []

    def answer(path: Path | None) -> list[tuple]:
        def fake(*args, **kwargs):
            calls.append(args)
            return (str(path) if path else "", "")

        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake))
        return calls

    return answer


def test_open_adds_a_file_and_selects_it(window, choose, tmp_path: Path) -> None:
    path = tmp_path / "my_scenario.py"
    path.write_text(GOOD, encoding="utf-8")
    before = window.scenario_list.model.rowCount()
    calls = choose(path)
    window.app_actions.open_scenario.trigger()
    assert calls, "the file dialog was asked"
    assert window.scenario_list.model.rowCount() == before + 1
    assert window.current_scenario is not None and window.current_scenario.path == path
    assert window.source.source_text() == GOOD
    assert window.windowTitle() == "My own scenario — loopviz"
    assert badge_text(window.current_scenario) == "py", "not a numbered course scenario"


def test_opening_the_same_file_twice_does_not_duplicate_it(window, choose, tmp_path) -> None:
    path = tmp_path / "again.py"
    path.write_text(GOOD, encoding="utf-8")
    choose(path)
    window.app_actions.open_scenario.trigger()
    count = window.scenario_list.model.rowCount()
    window.app_actions.open_scenario.trigger()
    assert window.scenario_list.model.rowCount() == count


def test_a_broken_file_is_added_with_its_error_shown(window, choose, tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text(BROKEN, encoding="utf-8")
    choose(path)
    window.app_actions.open_scenario.trigger()
    info = window.current_scenario
    assert info is not None and info.path == path and info.error
    assert window.source.header.error.isVisible()
    assert "SyntaxError" in window.source.header.error.text()
    assert window.source.source_text() == BROKEN, "the code is still shown"
    assert "could not be loaded" in window.status_text.text()
    assert summary_text(info).startswith("Could not load")
    assert badge_text(info) == "!"


def test_cancelling_the_dialog_changes_nothing(window, choose) -> None:
    before = window.scenario_list.model.rowCount()
    choose(None)
    window.app_actions.open_scenario.trigger()
    assert window.scenario_list.model.rowCount() == before
    assert window.current_scenario is None


def test_a_file_that_is_not_python_is_refused_with_a_message(window, choose, tmp_path, qtbot):
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    before = window.scenario_list.model.rowCount()
    choose(path)
    window.app_actions.open_scenario.trigger()
    assert window.scenario_list.model.rowCount() == before
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "notes.txt" in boxes[0].text()
    boxes[0].close()


def test_the_dialog_starts_in_the_bundled_scenarios(window, choose) -> None:
    calls = choose(None)
    window.app_actions.open_scenario.trigger()
    _parent, _caption, start_dir, file_filter = calls[0]
    assert Path(start_dir).name == "scenarios"
    assert "*.py" in file_filter
