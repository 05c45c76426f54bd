"""The "Lecture notes" pane: what the selected scenario teaches, in large type.

Title, key point, the lecturer's notes and the explanation, all from the scenario's
docstring (:class:`loopviz.catalog.ScenarioInfo`), so a lecturer can talk from the
screen without a second document. Its text is larger than the other panes'
(:data:`NOTES_SCALE`): it is read from across a room, not scanned at a desk.
"""

from __future__ import annotations

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
        self._fit_font()
        self._render()

    @property
    def scenario(self) -> ScenarioInfo | None:
        return self._info

    def show_scenario(self, info: ScenarioInfo | None) -> None:
        self._info = info
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
        self.browser.setHtml(notes_html(self._info, self._theme))
