"""The source pane: the selected scenario's header and its code, with where each task is.

Reads the file itself (the catalog only parses the docstring), and keeps working
for files that fail to load: whatever text can be read is still shown. The
header already shows the docstring as prose, so the code view opens scrolled to
the first line of code after it (line numbers keep the real file's numbering).

During a run (or a replay) :meth:`SourcePane.show_state` marks each task's line
in the gutter and the line that blocks the loop; a recording opened from a file
brings its own copy of the code (:meth:`SourcePane.show_source`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from loopviz.ui.code_view import CodeView
from loopviz.ui.empty_state import EmptyStateOverlay
from loopviz.ui.parameters_bar import ParametersBar
from loopviz.ui.python_tokens import first_code_line
from loopviz.ui.scenario_header import ScenarioHeader
from loopviz.ui.source_markers import (
    NO_MARKERS,
    SourceMarkers,
    lane_colors_for,
    markers_for,
    same_file,
)
from loopviz.ui.theme import LIGHT, Theme

if TYPE_CHECKING:
    from loopviz.catalog import ScenarioInfo
    from loopviz.model import LoopState

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
        self.parameters = ParametersBar(self)
        self.code = CodeView(self, theme)
        layout.addWidget(self.header)
        layout.addWidget(self.parameters)
        layout.addWidget(self.code, 1)
        self.empty = EmptyStateOverlay(self.code.viewport(), NO_SCENARIO_TEXT)
        self._scenario: ScenarioInfo | None = None
        self._path: str | None = None
        self._theme = theme
        self._focus: int | None = None
        self._last: tuple[LoopState | None, Callable[[int], QColor] | None] = (None, None)

    @property
    def scenario(self) -> ScenarioInfo | None:
        return self._scenario

    @property
    def path(self) -> str | None:
        """The file whose code is shown (markers are only drawn for locations in it)."""
        return self._path

    def show_scenario(self, info: ScenarioInfo | None) -> None:
        """Show ``info``'s header and code, or the empty state for ``None``."""
        self._scenario = info
        self._path = os.fspath(info.path) if info is not None else None
        self._focus = None
        self.header.show_scenario(info)
        self.parameters.show_scenario(info)
        source = read_source(info.path) if info is not None else ""
        self.code.set_source(source, first_code_line(source))
        self.empty.setVisible(info is None)

    def show_source(self, text: str, path: str | os.PathLike[str]) -> None:
        """Show code that came with a recording (``Recording.source(path)``), not from disk.

        The selected scenario's header stays only if it describes the same file.
        """
        self._path = os.fspath(path)
        self._focus = None
        same = self._scenario is not None and os.path.normpath(
            os.fspath(self._scenario.path)
        ) == os.path.normpath(self._path)
        if not same:
            self.header.show_scenario(None)
        self.code.set_source(text, first_code_line(text))
        self.empty.setVisible(False)

    def show_state(
        self, state: LoopState | None, lane_colors: Callable[[int], QColor] | None = None
    ) -> SourceMarkers:
        """Mark each task's line and the stall line of ``state`` (None clears the marks).

        ``lane_colors`` gives a lane's colour (default: the theme's lane palette). The
        stall line, else the running task's line, is scrolled into view when it changes
        and is off screen, so the lecturer never has to hunt for it.
        """
        self._last = (state, lane_colors)
        if state is None or self._path is None:
            self._focus = None
            self.code.set_markers(NO_MARKERS)
            return NO_MARKERS
        colors = lane_colors or lane_colors_for(self._theme.is_dark)
        markers = markers_for(state, self._path, colors)
        self.code.set_markers(markers)
        focus = markers.focus_line()
        if focus is not None and focus != self._focus:
            self.code.ensure_line_visible(focus)
        self._focus = focus
        return markers

    def reveal(self, path: str, line: int) -> bool:
        """Show 1-based ``line`` if ``path`` is the shown file (a console or banner click)."""
        if not same_file(path, self._path):
            return False
        return self.code.reveal_line(line - 1)

    def clear_state(self) -> None:
        """No run: no markers."""
        self.show_state(None)

    def set_theme(self, theme: Theme) -> None:
        """Recolour; markers in the theme's lane colours follow at once (even when paused)."""
        self._theme = theme
        self.code.set_theme(theme)
        state, colors = self._last
        if state is not None and colors is None:
            self.show_state(state)

    def source_text(self) -> str:
        """What the code view shows (tests read it)."""
        return self.code.toPlainText()
