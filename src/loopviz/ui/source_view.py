"""The source pane: the selected scenario's header and its code.

Reads the file itself (the catalog only parses the docstring), and keeps working
for files that fail to load: whatever text can be read is still shown. The
header already shows the docstring as prose, so the code view opens scrolled to
the first line of code after it (line numbers keep the real file's numbering).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from loopviz.ui.code_view import CodeView
from loopviz.ui.empty_state import EmptyStateOverlay
from loopviz.ui.python_tokens import first_code_line
from loopviz.ui.scenario_header import ScenarioHeader
from loopviz.ui.theme import LIGHT, Theme

if TYPE_CHECKING:
    from loopviz.catalog import ScenarioInfo

NO_SCENARIO_TEXT = "Pick a scenario in the list to see its code here."


def read_source(path: Path) -> str:
    """The file's text; undecodable bytes become U+FFFD rather than an error."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"# Could not read {path}:\n# {exc}\n"


class SourcePane(QWidget):
    """Header over code; an empty-state hint when nothing is selected."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("PaneBody")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = ScenarioHeader(self)
        self.code = CodeView(self, theme)
        layout.addWidget(self.header)
        layout.addWidget(self.code, 1)
        self.empty = EmptyStateOverlay(self.code.viewport(), NO_SCENARIO_TEXT)
        self._scenario: ScenarioInfo | None = None

    @property
    def scenario(self) -> ScenarioInfo | None:
        return self._scenario

    def show_scenario(self, info: ScenarioInfo | None) -> None:
        """Show ``info``'s header and code, or the empty state for ``None``."""
        self._scenario = info
        self.header.show_scenario(info)
        source = read_source(info.path) if info is not None else ""
        self.code.set_source(source, first_code_line(source))
        self.empty.setVisible(info is None)

    def set_theme(self, theme: Theme) -> None:
        self.code.set_theme(theme)

    def source_text(self) -> str:
        """What the code view shows (tests read it)."""
        return self.code.toPlainText()
