"""The few style rules the palette cannot express.

Kept deliberately short: every rule here switches the matching widgets to Qt's
style-sheet style, so only borders, paddings and pane headers are touched and
Fusion draws everything else from the palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loopviz.ui.theme import Theme


def build_stylesheet(theme: Theme) -> str:
    """The application style sheet for ``theme``."""
    t = theme
    return f"""
QMainWindow::separator {{ background: {t.window}; width: 6px; height: 6px; }}
QMainWindow::separator:hover {{ background: {t.accent}; }}
QStatusBar {{ border-top: 1px solid {t.border}; }}
QStatusBar QLabel#StatusScenario {{ color: {t.muted}; padding: 0 8px; }}
QStatusBar QLabel#StatusText {{ padding: 0 6px; }}
QToolTip {{ color: {t.text}; background: {t.base}; border: 1px solid {t.border}; padding: 6px; }}
QHeaderView::section {{
    background: {t.header}; color: {t.text}; padding: 5px 6px; border: none;
    border-right: 1px solid {t.border}; border-bottom: 1px solid {t.border};
}}
QWidget#PaneTitleBar {{ background: {t.header}; border-bottom: 1px solid {t.border}; }}
QLabel#PaneTitle {{ color: {t.text}; font-weight: 600; }}
QLabel#PaneSubtitle {{ color: {t.muted}; }}
QToolButton#PaneClose {{ border: none; color: {t.muted}; padding: 0 6px; }}
QToolButton#PaneClose:hover {{ color: {t.text}; background: {t.border}; border-radius: 3px; }}
QWidget#PaneBody {{ background: {t.base}; }}
QLabel#EmptyState {{ color: {t.muted}; }}
QWidget#ScenarioHeader {{ background: {t.alt_base}; border-bottom: 1px solid {t.border}; }}
QLabel#ScenarioTitle {{ color: {t.text}; font-weight: 700; }}
QLabel#ScenarioExplanation {{ color: {t.text}; }}
QLabel#ScenarioKeyPoint {{
    color: {t.text}; background: {t.selection}; border-left: 4px solid {t.accent};
    padding: 6px 10px; border-radius: 2px;
}}
QLabel#ScenarioError {{
    color: {t.error}; background: {t.base}; border-left: 4px solid {t.error}; padding: 6px 10px;
}}
QLabel#ReadyQueueLabel {{ color: {t.muted}; font-weight: 600; }}
QPlainTextEdit, QListView, QTableView {{ border: none; }}
QDialog QTableWidget {{ border: 1px solid {t.border}; }}
"""
