"""The "Lecture notes" pane: what the selected scenario teaches, in large type.

Title, key point, the lecturer's notes and the explanation, all from the scenario's
docstring (:class:`loopviz.catalog.ScenarioInfo`), so a lecturer can talk from the
screen without a second document. Its text is larger than the other panes'
(:data:`NOTES_SCALE`): it is read from across a room, not scanned at a desk.
"""

from __future__ import annotations

import html
from pathlib import PurePath
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QTextBrowser, QVBoxLayout, QWidget

from loopviz.ui.markup import inline_html
from loopviz.ui.presenter_style import NOTES_SCALE
from loopviz.ui.scenario_labels import display_title
from loopviz.ui.theme import LIGHT, Theme

if TYPE_CHECKING:
    from loopviz.catalog import ScenarioInfo

NO_SCENARIO_TEXT = "Pick a scenario to see its lecture notes."
NO_NOTES_TEXT = "No lecture notes for this scenario."
NOT_IN_COURSE_TEXT = (
    "It is not one of the course's scenarios, so there are no lecture notes for it."
)


def scenario_of_recording(
    scenario: object, catalog: list[ScenarioInfo]
) -> tuple[str, ScenarioInfo | None]:
    """The file name a recording's ``hello["scenario"]`` names, and its catalog entry if any.

    The same path first; else the same file name, so a recording made on another
    machine (another checkout, another home directory) still finds its lesson.
    """
    if not isinstance(scenario, str) or not scenario:
        return "", None
    name = PurePath(scenario.replace("\\", "/")).name  # a Windows path too
    same_path = next((i for i in catalog if str(i.path) == scenario), None)
    if same_path is not None:
        return name, same_path
    return name, next((i for i in catalog if i.name == name), None)


def recording_notes_html(name: str, theme: Theme) -> str:
    """What the pane says for a recording whose scenario is not in the course."""
    if not name:
        return (
            f"<p style='color: {theme.muted}'>This recording does not say which scenario "
            f"it is of. {NOT_IN_COURSE_TEXT}</p>"
        )
    return (
        f"<h3 style='margin: 0 0 8px 0'>Recording of {html.escape(name)}</h3>"
        f"<p style='color: {theme.muted}'>{NOT_IN_COURSE_TEXT}</p>"
    )


def note_items(notes: str) -> list[str]:
    """The catalog's notes (one per line, usually "- " bullets) as a list of items."""
    items = []
    for line in notes.splitlines():
        text = line.strip()
        if text.startswith(("- ", "* ")):
            text = text[2:].strip()
        if text:
            items.append(text)
    return items


def notes_html(info: ScenarioInfo | None, theme: Theme) -> str:
    """The pane's rich text for ``info`` (escaped: a scenario cannot inject markup)."""
    if info is None:
        return f"<p style='color: {theme.muted}'>{NO_SCENARIO_TEXT}</p>"
    parts = [f"<h3 style='margin: 0 0 8px 0'>{inline_html(display_title(info))}</h3>"]
    if info.key_point:
        parts.append(
            f"<table width='100%' cellpadding='10' cellspacing='0' "
            f"style='background-color: {theme.selection}; margin: 4px 0 10px 0'>"
            f"<tr><td><b>Key point:</b> {inline_html(info.key_point)}</td></tr></table>"
        )
    parts.append("<p style='margin: 10px 0 4px 0'><b>Lecture notes</b></p>")
    items = note_items(info.lecture_notes)
    if items:
        bullets = "".join(f"<li style='margin-bottom: 6px'>{inline_html(i)}</li>" for i in items)
        parts.append(f"<ul style='margin-left: 0px'>{bullets}</ul>")
    else:
        parts.append(f"<p style='color: {theme.muted}'><i>{NO_NOTES_TEXT}</i></p>")
    paragraphs = [p for p in info.explanation.split("\n\n") if p.strip()]
    if paragraphs:
        parts.append("<p style='margin: 14px 0 4px 0'><b>What the scenario does</b></p>")
        parts.extend(f"<p>{inline_html(paragraph)}</p>" for paragraph in paragraphs)
    return "".join(parts)


class NotesPane(QWidget):
    """A read-only text view of the selected scenario's notes; ``show_scenario`` fills it."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("PaneBody")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("LectureNotes")
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.setOpenLinks(False)
        self.browser.document().setDocumentMargin(14)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self._theme = theme
        self._info: ScenarioInfo | None = None
        self._recording_of: str | None = None  # a recording's scenario not in the course
        self._fit_font()
        self._render()

    @property
    def scenario(self) -> ScenarioInfo | None:
        return self._info

    def show_scenario(self, info: ScenarioInfo | None) -> None:
        self._info = info
        self._recording_of = None
        self._render()

    def show_recording_of(self, scenario: object, catalog: list[ScenarioInfo]) -> None:
        """A recording opened from a file: its scenario's notes, or which scenario it is of."""
        name, info = scenario_of_recording(scenario, catalog)
        self._info = info
        self._recording_of = None if info is not None else name
        self._render()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._render()

    def text(self) -> str:
        """The notes as plain text (what a screen reader, or a test, reads)."""
        return self.browser.toPlainText()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_font()
        super().changeEvent(event)

    def _fit_font(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * NOTES_SCALE)
        self.browser.setFont(font)

    def _render(self) -> None:
        if self._recording_of is not None:
            self.browser.setHtml(recording_notes_html(self._recording_of, self._theme))
        else:
            self.browser.setHtml(notes_html(self._info, self._theme))
