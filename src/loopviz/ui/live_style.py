"""What the live panes share: state colours and dots, time texts, the table look.

The ready queue, the tasks, futures and coroutines panes all colour a state the
way the timeline does (``gantt.palette``), so a class that learnt "amber is
ready" on the chart reads the tables without a legend. Ends are told apart by
shape as well as colour, with the chart's own marker glyphs.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QWidget

from loopviz.ui.gantt.markers import draw_glyph
from loopviz.ui.gantt.palette import EndKind, GanttPalette, SliceState, palette_for
from loopviz.ui.theme import Theme

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role the tables sort by: numbers for times and counts, texts folded for names."""


class Shown(StrEnum):
    """A state as a table shows it: the task's state, or how it ended."""

    RUNNING = "running"
    BLOCKING = "blocking"
    READY = "ready"
    WAITING = "waiting"
    NEW = "new"
    FAILED = "failed"
    CANCELLED = "cancelled"
    DONE = "done"
    PENDING = "pending"
    RESOLVED = "resolved"


# Sorting by state puts what runs first, then what queues, what waits, and how tasks ended.
SHOWN_ORDER = {s: k for k, s in enumerate(Shown)}

SHOWN_MEANING: dict[Shown, str] = {
    Shown.NEW: "created, its first step not yet in the ready queue",
    Shown.READY: "in the ready queue, waiting for its turn",
    Shown.RUNNING: "running a step right now",
    Shown.BLOCKING: "running a step that blocks the event loop",
    Shown.WAITING: "suspended at an await",
    Shown.DONE: "finished and returned a result",
    Shown.CANCELLED: "cancelled",
    Shown.FAILED: "finished by raising an exception",
    Shown.PENDING: "not done yet: someone awaits it",
    Shown.RESOLVED: "no longer awaited: its result is in",
}


def state_palette(theme: Theme) -> GanttPalette:
    """The timeline's palette on this theme's surface."""
    return palette_for(theme.is_dark, background=theme.base, foreground=theme.text)


def shown_color(shown: Shown, palette: GanttPalette) -> str:
    """The colour of a state's dot (hex)."""
    s = SliceState
    return {
        Shown.NEW: palette.muted,
        Shown.READY: palette.state(s.READY),
        Shown.RUNNING: palette.state(s.RUNNING),
        Shown.BLOCKING: palette.state(s.BLOCKING),
        Shown.WAITING: palette.state(s.WAITING),
        Shown.DONE: palette.done,
        Shown.CANCELLED: palette.cancelled,
        Shown.FAILED: palette.failed,
        Shown.PENDING: palette.state(s.WAITING),
        Shown.RESOLVED: palette.done,
    }[shown]


_END_GLYPH = {
    Shown.DONE: EndKind.DONE,
    Shown.RESOLVED: EndKind.DONE,
    Shown.CANCELLED: EndKind.CANCELLED,
    Shown.FAILED: EndKind.FAILED,
}


@lru_cache(maxsize=256)
def _dot(shown: Shown, palette: GanttPalette, size: int, ratio: float) -> QIcon:
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    center = QPointF(size / 2, size / 2)
    radius = size * 0.36
    glyph = _END_GLYPH.get(shown)
    if glyph is not None:
        draw_glyph(painter, center, radius, glyph, palette)
    else:
        color = QColor(shown_color(shown, palette))
        # Pale fills (waiting) get a darker ring so they still read on white.
        ring = QColor(color).darker(150) if not palette.dark else QColor(color).lighter(150)
        painter.setPen(QPen(ring, 1.2))
        if shown in (Shown.NEW, Shown.PENDING):
            painter.setBrush(Qt.BrushStyle.NoBrush if shown is Shown.NEW else color)
            painter.setPen(QPen(ring if shown is Shown.PENDING else color, 1.6))
        else:
            painter.setBrush(color)
        painter.drawEllipse(center, radius, radius)
    painter.end()
    return QIcon(pixmap)


def state_dot(shown: Shown, palette: GanttPalette, size: int = 16, ratio: float = 1.0) -> QIcon:
    """A cached round icon for a state; ends carry the chart's tick, slash or cross."""
    return _dot(shown, palette, size, ratio)


def format_seconds(t: float) -> str:
    """A duration a student reads at a glance: ``2.00 s``, ``12.3 ms``, ``40 µs``, ``0``."""
    a = abs(t)
    if a < 5e-7:
        return "0"
    if a >= 0.99995:
        return f"{t:.2f} s"
    if a >= 0.0099995:
        return f"{t * 1e3:.1f} ms"
    if a >= 0.0009995:
        return f"{t * 1e3:.2f} ms"
    return f"{t * 1e6:.0f} µs"


def format_left(left: float) -> str:
    """A countdown: ``0.42 s`` (two decimals, like the model's awaiting texts); ``4.0 ms``."""
    if abs(left) >= 0.00995 or left == 0:
        return f"{left:.2f} s"
    return format_seconds(left)


def make_table(parent: QWidget, object_name: str) -> QTableView:
    """A read-only, row-selecting, sortable table in the style of every live pane."""
    view = QTableView(parent)
    view.setObjectName(object_name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.verticalHeader().setVisible(False)
    # Text off the cell edges; no dotted focus frame on a projected table.
    view.setStyleSheet("QTableView { outline: 0; } QTableView::item { padding: 0 6px; }")
    # Uniform rows: the view never measures thousands of rows to lay them out.
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(QFontMetrics(view.font()).height() + 10)
    view.setIconSize(QSize(16, 16))
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setMinimumSectionSize(40)
    return view


def make_filter_box(parent: QWidget, placeholder: str, object_name: str) -> QLineEdit:
    """The search field above a table: typing narrows the rows at once."""
    box = QLineEdit(parent)
    box.setObjectName(object_name)
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    return box


def fit_columns(view: QTableView, samples: tuple[str, ...], dotted: tuple[int, ...] = ()) -> None:
    """Each column as wide as its sample text (or title) and padding; ``dotted`` ones hold a dot."""
    metrics = QFontMetrics(view.font())
    header = QFontMetrics(view.horizontalHeader().font())
    model = view.model()
    for column, sample in enumerate(samples):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        extra = 56 if column in dotted else 30
        width = max(metrics.horizontalAdvance(sample) + extra, header.horizontalAdvance(title) + 24)
        view.setColumnWidth(column, width)
