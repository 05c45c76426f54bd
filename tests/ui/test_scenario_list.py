"""The scenario list shows the course in order, and selecting one shows its code."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo

from loopviz.catalog import list_scenarios
from loopviz.ui.scenario_delegate import badge_text, summary_text
from loopviz.ui.scenario_list import ScenarioList
from loopviz.ui.scenario_model import INFO_ROLE

from .conftest import REPO


def rows(window) -> list:
    model = window.scenario_list.model
    return [model.index(r).data(INFO_ROLE) for r in range(model.rowCount())]


def click_row(qtbot, window, row: int) -> None:
    view = window.scenario_list.view
    rect = view.visualRect(window.scenario_list.model.index(row))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_bundled_scenarios_are_listed_in_course_order(window) -> None:
    shown = rows(window)
    assert [i.path for i in shown] == [i.path for i in list_scenarios()]
    assert len(shown) >= 4
    assert [i.order for i in shown[:4]] == [1, 2, 3, 4]
    assert all(info.path.parent == REPO / "scenarios" for info in shown)


def test_each_row_shows_number_title_and_explanation(window) -> None:
    model = window.scenario_list.model
    first = rows(window)[0]
    assert model.index(0).data(Qt.ItemDataRole.DisplayRole) == f"1. {first.title}"
    assert badge_text(first) == "1"
    assert summary_text(first) and summary_text(first).split()[0] in first.explanation
    tooltip = model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert first.title in tooltip and "Key point" in tooltip


def test_selecting_a_scenario_shows_its_source_header_and_title(window, qtbot) -> None:
    click_row(qtbot, window, 0)
    info = rows(window)[0]
    assert window.current_scenario == info
    code = window.source.source_text()
    assert code == info.path.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert "async def main" in code
    assert window.windowTitle() == f"{info.title} — loopviz"
    assert info.title in window.source.header.title.text()
    assert window.source.header.key_point.isVisible()
    assert window.source.header.explanation.isVisible()
    assert "F5" in window.status_text.text()
    assert info.title in window.status_scenario.text()
    assert not window.source.empty.isVisible()


def test_source_is_monospace_numbered_and_highlighted(window, qtbot) -> None:
    click_row(qtbot, window, 0)
    code = window.source.code
    assert QFontInfo(code.font()).fixedPitch()
    assert code.isReadOnly()
    assert code.gutter_width() > 0
    lines = window.source.source_text().split("\n")
    await_line = next(n for n, line in enumerate(lines) if line.strip().startswith("await "))
    column = lines[await_line].index("await")
    assert code.highlighter.kind_at(await_line, column) == "await"
    def_line = next(n for n, line in enumerate(lines) if line.startswith("async def main"))
    assert code.highlighter.kind_at(def_line, 0) == "await"
    assert code.highlighter.kind_at(def_line, len("async def ")) == "definition"
    block = code.document().findBlockByNumber(await_line)
    formats = block.layout().formats()
    assert any(f.start == column and f.length == len("await") for f in formats)


def test_code_view_opens_after_the_docstring_shown_in_the_header(window, qtbot) -> None:
    click_row(qtbot, window, 0)
    top = window.source.code.top_line()
    lines = window.source.source_text().split("\n")
    assert top > 0, "the code view starts below the docstring shown in the header"
    assert '"""' in "\n".join(lines[:top])


def test_keyboard_moves_through_the_list(window, qtbot) -> None:
    click_row(qtbot, window, 0)
    qtbot.keyClick(window.scenario_list.view, Qt.Key.Key_Down)
    assert window.current_scenario == rows(window)[1]
    assert rows(window)[1].title in window.windowTitle()


def test_list_beside_the_console_shows_titles_only(window, qtbot) -> None:
    """The strip beside the console is short: one line per scenario, the rest scrolls."""
    qtbot.waitUntil(lambda: window.docks.source.width() > 600, timeout=3000)
    listing = window.scenario_list
    view = listing.view
    qtbot.waitUntil(lambda: listing.compact, timeout=2000)
    first = view.visualRect(listing.model.index(0))
    assert first.height() < 50, "one line per row"
    rows_in_view = view.viewport().height() // first.height()
    assert rows_in_view >= 4, "several lessons visible at once"


def test_a_tall_list_shows_the_summaries_again(qtbot) -> None:
    listing = ScenarioList()
    qtbot.addWidget(listing)
    listing.set_scenarios(list_scenarios()[:4])  # the founding lessons fit in 700 px
    listing.resize(320, 200)
    listing.show()
    qtbot.waitExposed(listing)
    qtbot.waitUntil(lambda: listing.compact, timeout=2000)
    listing.resize(320, 700)
    qtbot.waitUntil(lambda: not listing.compact, timeout=2000)
    first = listing.view.visualRect(listing.model.index(0))
    assert first.height() >= 60, "title and a two-line summary"
