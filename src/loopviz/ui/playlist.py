"""The course as a playlist: Page Down / Page Up walk the scenario list in course order.

A lecture goes lesson by lesson; the lecturer should not have to reach for the
mouse and the scenario list between them. Moving only *selects* the next
scenario (its source, notes and title appear): nothing runs until F5, so the
lecturer can introduce the lesson first. The status bar says where in the course
the class is ("Lesson 5 of 16 — Blocking requests").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loopviz.ui.scenario_labels import plain_title

if TYPE_CHECKING:
    from loopviz.catalog import ScenarioInfo
    from loopviz.ui.scenario_list import ScenarioList

RUN_HINT = "press F5 to run it"


def lesson_text(row: int, count: int, info: ScenarioInfo) -> str:
    """``"Lesson 5 of 16 — Blocking requests"`` for the scenario in ``row`` (0-based)."""
    return f"Lesson {row + 1} of {count} — {plain_title(info)}"


def position_text(row: int, count: int, info: ScenarioInfo, moved: bool) -> str:
    """What the status bar says after Page Down / Page Up.

    ``moved`` False means the walk was already at the first or last lesson.
    """
    text = lesson_text(row, count, info)
    if not moved:
        end = "first" if row == 0 else "last"
        return f"{text} · this is the {end} lesson"
    return f"{text} · {RUN_HINT}"


class Playlist:
    """Steps through a :class:`ScenarioList` and describes where the walk is."""

    def __init__(self, scenarios: ScenarioList) -> None:
        self.scenarios = scenarios

    def step(self, delta: int) -> str | None:
        """Select the scenario ``delta`` rows away; the status text (None: empty list)."""
        before = self.scenarios.current_row()
        row = self.scenarios.step(delta)
        if row < 0:
            return None
        info = self.scenarios.current()
        if info is None:
            return None
        return position_text(row, self.scenarios.count(), info, moved=row != before)

    def next(self) -> str | None:
        return self.step(1)

    def previous(self) -> str | None:
        return self.step(-1)
