"""What the live panes share: state colours and dots, time texts, the table look.

The ready queue, the tasks, futures and coroutines panes all colour a state the
way the timeline does (``gantt.palette``), so a class that learnt "amber is
ready" on the chart reads the tables without a legend. Ends are told apart by
shape as well as colour, with the chart's own marker glyphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from PySide6.QtCore import QEvent, QObject, QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetrics, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QWidget

from loopviz.ui.fonts import UI_POINT_SIZE
from loopviz.ui.gantt.markers import draw_glyph
from loopviz.ui.gantt.palette import EndKind, GanttPalette, SliceState, palette_for
from loopviz.ui.presenter_style import high_contrast_palette
from loopviz.ui.theme import Theme
from loopviz.ui.units import format_duration

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role the tables sort by: numbers for times and counts, texts folded for names."""
ROW_AIR = 5
"""Pixels of a table row above and below its text (compact: more rows fit a short pane)."""
HEADER_PADDING = 14
"""A header section's padding and border around its title (the style sheet's 6 px a side)."""
SORT_ARROW = 22
"""Extra width of the column the table is sorted by: its arrow."""


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
    """The timeline's palette on this theme's surface (the presenter view's when high-contrast)."""
    if theme.high_contrast:
        return high_contrast_palette(theme)
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


def duration_cell(seconds: float) -> str:
    """A duration in a table cell: :func:`~loopviz.ui.units.format_duration`, or ``0``."""
    return "0" if abs(seconds) < 5e-7 else format_duration(seconds)


def row_height(font: QFont) -> int:
    """A compact row: the text, a 16 px state dot, and a few pixels of air."""
    return max(QFontMetrics(font).height() + ROW_AIR, 16 + ROW_AIR)


class RowsFollowFont(QObject):
    """Keeps a table's fixed row height fitted to its font when the font changes.

    Rows are fixed-height for speed, so a larger font (Ctrl+plus in the presenter
    view) would otherwise be cut off at the old height.
    """

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.FontChange:
            self.view.verticalHeader().setDefaultSectionSize(row_height(self.view.font()))
        return False


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
    # A compact header: the application's style with less air above and below the titles.
    view.setStyleSheet(
        "QTableView { outline: 0; } QTableView::item { padding: 0 6px; }"
        " QHeaderView::section { padding: 3px 6px; }"
    )
    # Uniform rows: the view never measures thousands of rows to lay them out.
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setMinimumSectionSize(1)
    rows.setDefaultSectionSize(row_height(view.font()))
    RowsFollowFont(view)
    view.setIconSize(QSize(16, 16))
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setMinimumSectionSize(24)
    return view


def table_height(view: QTableView, rows: int) -> int:
    """Pixels a table needs to show its header and ``rows`` rows without scrolling."""
    header = view.horizontalHeader().sizeHint().height()
    frame = 2 * view.frameWidth()
    return header + rows * view.verticalHeader().defaultSectionSize() + frame


def make_filter_box(parent: QWidget, placeholder: str, object_name: str) -> QLineEdit:
    """The search field above a table: typing narrows the rows at once."""
    box = QLineEdit(parent)
    box.setObjectName(object_name)
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    return box


@dataclass(frozen=True)
class Column:
    """How :class:`ColumnFitter` treats one column.

    ``rank``: lower ranks keep their room longest. ``floor``: the narrowest a
    column may be squeezed to when the table is short of width (None: never
    squeezed, its text is never cut). ``cap``: the widest its content makes it.
    ``hideable``: hidden rather than scrolled to when even the floors do not fit.
    """

    rank: int = 5
    floor: int | None = 60
    cap: int = 260
    hideable: bool = False


class ColumnFitter(QObject):
    """Sizes a table's columns to what they show and to the width the view has.

    Each column is as wide as its title or its widest visible cell, within its
    :class:`Column` cap. Widths only grow until :meth:`reset` (a new run), so a
    ticking countdown does not make the table twitch. Then, to fit the view:

    * everything fits: ``stretch`` (or the last column shown) takes the spare
      width, and there is no horizontal scroll bar;
    * too wide: columns of the highest rank give up width down to their floor,
      then hideable ones are hidden (the rows' tooltips still tell), and what is
      still too wide scrolls (``scroll``) or cuts the ``stretch`` column (not ``scroll``).

    A column the user resized by hand keeps that width. An empty table shows no
    horizontal scroll bar. Measuring costs a few visible rows, at most every
    ``interval_ms`` while the model changes; rows inserted or a reset re-fit at once.
    """

    def __init__(
        self,
        view: QTableView,
        columns: tuple[Column, ...],
        stretch: int,
        scroll: bool = True,
        interval_ms: int = 200,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.columns = columns
        self.stretch = stretch
        self.scroll = scroll
        self._natural = [0] * len(columns)
        self._user: dict[int, int] = {}
        self._applying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refit)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(0)  # the visible rows only
        header.sectionResized.connect(self._on_section_resized)
        header.sortIndicatorChanged.connect(self.refit)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        model = view.model()
        model.dataChanged.connect(self.schedule)
        model.rowsInserted.connect(self.refit)
        model.rowsRemoved.connect(self._distribute)
        model.modelReset.connect(self.refit)
        model.layoutChanged.connect(self.schedule)
        self.refit()

    # -- public -------------------------------------------------------------------------

    def reset(self) -> None:
        """A new run: forget the widths learnt from the old one's rows (not the user's)."""
        self._natural = [0] * len(self.columns)
        self.refit()

    def schedule(self, *_args: object) -> None:
        """Re-measure soon (many changes a second cost one measurement)."""
        if not self._timer.isActive():
            self._timer.start()

    def refit(self, *_args: object) -> None:
        """Measure the visible rows now, then fit the columns to the view's width."""
        self._timer.stop()
        self._measure()
        self._distribute()

    def natural_width(self, column: int) -> int:
        """What the column's title and visible cells need (learnt so far)."""
        return self._natural[column]

    # -- internals ----------------------------------------------------------------------

    def _measure(self) -> None:
        view = self.view
        header = view.horizontalHeader()
        model = view.model()
        metrics = header.fontMetrics()
        sorted_by = header.sortIndicatorSection() if header.isSortIndicatorShown() else -1
        measure_cells = view.isVisible() and model.rowCount() > 0
        for c, spec in enumerate(self.columns):
            title = str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            need = metrics.horizontalAdvance(title) + HEADER_PADDING
            if c == sorted_by:
                need += SORT_ARROW
            if measure_cells:
                need = max(need, view.sizeHintForColumn(c) + 2)
            self._natural[c] = max(self._natural[c], min(need, spec.cap))

    def _widths(self, shown: list[int]) -> tuple[dict[int, int], int]:
        """Widths of the ``shown`` columns squeezed towards ``avail``; and their total.

        Squeezing only to fit: if the table scrolls anyway, no column is cut.
        """
        natural = {c: self._user.get(c, self._natural[c]) for c in shown}
        widths = dict(natural)
        total = sum(widths.values())
        avail = self.view.viewport().width()
        scale = self._font_scale()
        for c in sorted(shown, key=lambda c: -self.columns[c].rank):
            floor = self.columns[c].floor
            if total <= avail:
                break
            if c in self._user or floor is None:
                continue
            floor = round(floor * scale)
            give = min(total - avail, widths[c] - floor)
            if give > 0:
                widths[c] -= give
                total -= give
        if total > avail and self.scroll:
            return natural, sum(natural.values())
        return widths, total

    def _font_scale(self) -> float:
        """Floors are pixels at the desk's text size; larger text (presenter view) needs more."""
        return max(1.0, QFontInfo(self.view.font()).pointSizeF() / UI_POINT_SIZE)

    def _distribute(self, *_args: object) -> None:
        view = self.view
        avail = view.viewport().width()
        everything = list(range(len(self.columns)))
        hideable = sorted(
            (c for c in everything if self.columns[c].hideable and c not in self._user),
            key=lambda c: -self.columns[c].rank,
        )
        shown = everything
        widths, total = self._widths(shown)
        for k in range(1, len(hideable) + 1):
            if total <= avail:
                break
            shown = [c for c in everything if c not in hideable[:k]]
            widths, total = self._widths(shown)
        target = self.stretch if self.stretch in widths else shown[-1]
        if total < avail and target not in self._user:
            widths[target] += avail - total
        elif total > avail and not self.scroll:
            widths[target] = max(24, widths[target] - (total - avail))
        self._applying = True
        try:
            for c in everything:
                view.setColumnHidden(c, c not in widths)
                if c in widths and view.columnWidth(c) != widths[c]:
                    view.setColumnWidth(c, widths[c])
        finally:
            self._applying = False
        empty = view.model().rowCount() == 0
        policy = Qt.ScrollBarPolicy
        view.setHorizontalScrollBarPolicy(
            policy.ScrollBarAlwaysOff if empty or not self.scroll else policy.ScrollBarAsNeeded
        )

    def _on_section_resized(self, column: int, _old: int, new: int) -> None:
        if not self._applying and new > 0:
            self._user[column] = new  # dragged by hand: keep it

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize and watched is self._viewport:
            self._distribute()
        elif kind == QEvent.Type.Show and watched is self._viewport:
            self.schedule()
        return False
