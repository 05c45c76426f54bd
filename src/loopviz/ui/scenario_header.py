"""The header above the source: what this scenario shows, in one glance.

Title, the key point as a highlighted callout (the sentence the class should
remember), and the explanation. A scenario that failed to load shows its error
here instead, in the error colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from loopviz.ui.markup import inline_html, paragraphs_html
from loopviz.ui.scenario_labels import display_title

if TYPE_CHECKING:
    from loopviz.catalog import ScenarioInfo


def _label(object_name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class ScenarioHeader(QWidget):
    """Title, key point and explanation of the selected scenario."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ScenarioHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        self.title = _label("ScenarioTitle", self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.title.setFont(font)
        self.key_point = _label("ScenarioKeyPoint", self)
        self.explanation = _label("ScenarioExplanation", self)
        self.error = _label("ScenarioError", self)
        for label in (self.title, self.key_point, self.explanation, self.error):
            layout.addWidget(label)
        self.show_scenario(None)

    def show_scenario(self, info: ScenarioInfo | None) -> None:
        """Fill the labels from ``info``; hide the ones with nothing to say."""
        if info is None:
            self.setVisible(False)
            return
        self.setVisible(True)
        self.title.setText(inline_html(display_title(info)))
        self.title.setToolTip(
            f"<b>Lecture notes</b>{paragraphs_html(info.lecture_notes)}"
            if info.lecture_notes
            else ""
        )
        self._set(self.key_point, inline_html(info.key_point))
        self._set(self.explanation, inline_html(info.explanation))
        self._set(
            self.error,
            inline_html(f"Could not load this scenario: {info.error}") if info.error else "",
        )

    @staticmethod
    def _set(label: QLabel, html: str) -> None:
        label.setText(html)
        label.setVisible(bool(html))
