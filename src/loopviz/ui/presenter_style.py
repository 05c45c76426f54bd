"""How the presenter view paints the timeline: saturated states and a thick cursor.

A projector washes colours out and the back row sees the chart at a fraction of
its size, so the high-contrast themes (``Theme.high_contrast``) get their own
chart palette: pure black or white behind, states one shade more saturated than
the desk palettes (waiting is still the palest, so the eye still goes to work),
and the cursor and "now" lines drawn thick and solid rather than thin and dashed.
The live panes share it through :func:`loopviz.ui.live_style.state_palette`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtGui import QColor

from loopviz.ui.gantt.palette import GanttPalette

if TYPE_CHECKING:
    from loopviz.ui.gantt import GanttView
    from loopviz.ui.theme import Theme

TITLE_SCALE = 1.35
"""The scenario's title against the text around it (as ``ScenarioHeader`` sets it)."""
HINT_SCALE = 1.1
"""Empty-pane hints, as ``EmptyStateOverlay`` sizes them."""
NOTES_SCALE = 1.15
"""The lecture notes, as ``NotesPane`` sizes them."""
CURSOR_WIDTH = 4.0
"""Pixels of the cursor line in the presenter view (the desk view's is 2, dashed)."""
NOW_WIDTH = 4.0

HIGH_CONTRAST_LIGHT_CHART = GanttPalette(
    dark=False,
    background="#ffffff",
    foreground="#000000",
    muted="#30343b",
    row_alt="#eceff3",
    grid="#9aa1ab",
    selection="#301f5fd1",
    selection_edge="#0033cc",
    hover="#000000",
    now="#00703f",
    cursor="#8e00b8",
    stall="#59e00000",
    stall_edge="#b00000",
    stall_text="#ffffff",
    done="#00620f",
    cancelled="#404040",
    failed="#c00018",
    states=("#0050d8", "#ff9900", "#8fb0e6", "#e00000", "#8a1fb0", "#c3c8cf"),
    state_text=("#ffffff", "#000000", "#000000", "#ffffff", "#ffffff", "#000000"),
)

HIGH_CONTRAST_DARK_CHART = GanttPalette(
    dark=True,
    background="#000000",
    foreground="#ffffff",
    muted="#d0d4da",
    row_alt="#121418",
    grid="#5a616c",
    selection="#405b9bff",
    selection_edge="#8cbcff",
    hover="#ffffff",
    now="#3dff8f",
    cursor="#ff5cff",
    stall="#66ff3030",
    stall_edge="#ff5050",
    stall_text="#000000",
    done="#6dff7d",
    cancelled="#c4c4c4",
    failed="#ff5c7c",
    states=("#3d8eff", "#ffb300", "#3a5a8c", "#ff2e2e", "#cf85ff", "#3a414c"),
    state_text=("#000000", "#000000", "#ffffff", "#000000", "#000000", "#ffffff"),
)


def presenter_font_rules(point_size: float) -> str:
    """Style-sheet rules that put every widget's text at ``point_size`` (the presenter view).

    A rule, not ``setFont``: once the application has a style sheet, Qt no longer
    passes a parent's (or the application's) new font down to the widgets it styles,
    so only a rule reaches them all. Panes that size a label relative to the text
    around it keep that ratio here. The source pane's header (title, key point,
    explanation) gives its lines to the code: the lecture notes pane shows the same,
    larger.
    """
    pt = round(point_size, 1)
    return f"""
QWidget {{ font-size: {pt}pt; }}
QLabel#ScenarioTitle {{ font-size: {round(pt * TITLE_SCALE, 1)}pt; }}
QLabel#EmptyState {{ font-size: {round(pt * HINT_SCALE, 1)}pt; }}
QTextBrowser#LectureNotes {{ font-size: {round(pt * NOTES_SCALE, 1)}pt; }}
QWidget#ScenarioHeader {{ max-height: 0px; border: none; }}
"""


def high_contrast_palette(theme: Theme) -> GanttPalette:
    """The saturated chart palette matching a high-contrast theme's light or dark."""
    return HIGH_CONTRAST_DARK_CHART if theme.is_dark else HIGH_CONTRAST_LIGHT_CHART


def style_chart(chart: GanttView, theme: Theme) -> None:
    """After ``chart.set_theme(theme)``: in high contrast, saturated states and thick lines.

    For a desk theme this does nothing: ``set_theme`` already chose the palette.
    """
    if not getattr(theme, "high_contrast", False):
        return
    palette = high_contrast_palette(theme)
    chart.set_palette(palette)
    chart.cursor_line.setPen(pg.mkPen(QColor(palette.cursor), width=CURSOR_WIDTH))
    chart.now_line.setPen(pg.mkPen(QColor(palette.now), width=NOW_WIDTH))
