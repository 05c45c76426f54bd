"""The blocked-loop warning: a pulsing red banner with a live counter and the guilty line.

"Event loop blocked — 0.73 s — requests.get(...) in main() at 04_blocking_requests.py:21"

It has to be impossible to miss from the back of a lecture hall, and it has to
*move*: the scenario's loop is frozen, the app's is not, and the pulsing banner
with its counter running is the proof the class sees. So the banner drives
itself: its own timer repaints it about 33 times a second, the background
breathes between red and a darker red, and the counter is recomputed every
frame from the stall's start and a clock, not only when the model updates.

Live, the counter shows the stall as of the window's last frame (``now`` given
to :meth:`StallBanner.show_stall`, ~30 times a second), so it reads the same
number as the timeline's caption and the source's badge drawn in that frame.
When frames are late (more than ``FRESH_S`` behind), it runs on by itself:
``clock() - began`` when the window gives a clock (:meth:`StallBanner.set_clock`,
seconds since the run's start), else the last elapsed time reported plus the wall
time since. In replay (the cursor inside a stall that has ended) the banner holds
still: "Event loop was blocked for 1.00 s — …".

Everything is painted here (no child labels): one cheap paint per frame, text
that cannot reflow or jitter as digits change, and the same look offscreen.

Narrow (the timeline column is ~490 px at 1400×900): the headline's font shrinks
until "Event loop blocked — 000.00 s" fits, the location wraps between its
phrases — "requests.get(...)", "in main()", "at file:line" are never split, so
no "at" is left at the end of a line — and the guilty line uses the width under
the icon, its font shrinking before it is elided. Durations are written by
``units.format_duration``, like the timeline's caption and the source's badge.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QVBoxLayout, QWidget

from loopviz.model import StallNow
from loopviz.model.stall_caller import inside_phrase
from loopviz.model.stalls import StackFrame
from loopviz.ui.fonts import CODE_POINT_SIZE, code_font
from loopviz.ui.theme import LIGHT, Theme
from loopviz.ui.units import format_duration

PULSE_PERIOD = 1.2
"""Seconds from bright red to dark red and back."""
FRAME_MS = 30
"""Repaint interval while a live stall shows (≈33 frames per second)."""
FRESH_S = 0.1
"""A frame's stall time is shown as is while the clock is less than this past it."""

BRIGHT = QColor("#d32f2f")
DARK = QColor("#7f1010")
STILL = QColor("#b71c1c")
"""Replay: a past stall does not pulse."""
TEXT = QColor("#ffffff")
CODE_CHIP = QColor(0, 0, 0, 70)
COUNTER_TEMPLATE = "000.00 s"
"""Widest counter the headline is laid out for, so it never reflows as digits change."""
MIN_HEAD_POINT_SIZE = 15.0
"""The headline shrinks to fit a narrow banner, down to this."""
MIN_CODE_POINT_SIZE = 11.0
INNER_TEXT = QColor(255, 255, 255, 225)

Clock = Callable[[], float]


def _file_name(file: str) -> str:
    return os.path.basename(file) or file


def where_parts(stall: StallNow) -> list[str]:
    """The location's phrases, each kept on one line when wrapped.

    ``["requests.get(...)", "in main()", "at 04_blocking_requests.py:21"]`` (as much
    as is known).
    """
    where = stall.where or stall.innermost
    call = stall.call or (stall.stall.call if stall.stall else None)
    parts = []
    if call:
        parts.append(f"{call}(...)")
    if where is not None:
        if where.function:
            parts.append(f"in {where.function}()")
        parts.append(f"at {_file_name(where.file)}:{where.line}")
    return parts or ["where: not reported yet"]


def where_phrase(stall: StallNow) -> str:
    """ "requests.get(...) in main() at 04_blocking_requests.py:21" (as much as is known)."""
    return " ".join(where_parts(stall))


def headline(
    stall: StallNow, elapsed: float, live: bool, total: float | None = None
) -> tuple[str, str]:
    """The first line's two halves: the counter part and the location part.

    ``total``: the replay cursor is inside a stall of that length, ``elapsed`` into it.
    """
    if live:
        return f"Event loop blocked — {format_duration(elapsed)}", where_phrase(stall)
    if total is not None:
        counter = f"{format_duration(elapsed)} of {format_duration(total)}"
        return f"Event loop blocked — {counter}", where_phrase(stall)
    return f"Event loop was blocked for {format_duration(elapsed)}", where_phrase(stall)


def wrap_phrases(parts: list[str], fm: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Wrap whole phrases into at most ``max_lines`` lines; a phrase is split only if alone.

    The last two phrases ("in main()", "at file:line") stay together when they fit
    on a line, so a location reads as one unit.
    """
    if len(parts) >= 3:
        tail = f"{parts[-2]} {parts[-1]}"
        if fm.horizontalAdvance(tail) <= width:
            parts = [*parts[:-2], tail]
    out = []
    for line in _greedy(parts, fm, width, max_lines):
        if fm.horizontalAdvance(line) <= width:
            out.append(line)
        else:  # one phrase wider than the banner: words, then elision
            out.extend(wrap_words(line, fm, width, max(1, max_lines - len(out))))
    return out[:max_lines]


def inner_phrase(frame: StackFrame | None, where: StackFrame | None) -> str:
    """ "inside readinto() at socket.py:717" — the innermost frame, when it is not ``where``."""
    if frame is None or (where is not None and frame == where):
        return ""
    return inside_phrase(frame)


def wrap_words(text: str, fm: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; the last one is elided if need be."""
    *lines, last = _greedy(text.split(" "), fm, width, max_lines)
    return [*lines, fm.elidedText(last, Qt.TextElideMode.ElideMiddle, width)]


def _greedy(items: list[str], fm: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Items joined by spaces, as many on a line as fit; the rest all go on the last line."""
    lines: list[str] = []
    current = ""
    for k, item in enumerate(items):
        trial = f"{current} {item}" if current else item
        if fm.horizontalAdvance(trial) <= width or not current:
            current = trial
            continue
        lines.append(current)
        if len(lines) == max_lines - 1:
            current = " ".join(items[k:])
            break
        current = item
    lines.append(current)
    return lines


class StallBanner(QWidget):
    """The red warning strip shown while (or, in replay, where) the event loop is blocked.

    Put it above the timeline, hidden; call :meth:`show_stall` with
    ``LoopState.stall`` every time the cursor's state is computed.
    """

    locationActivated = Signal(str, int)  # file, line: a click on the banner

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("StallBanner")
        self.setAccessibleName("Event loop blocked")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._theme = theme
        self._stall: StallNow | None = None
        self._live = False
        self._so_far = False
        self._clock: Clock | None = None
        self._elapsed_at = 0.0
        self._shown_at = 0.0
        self._frame_now = 0.0
        self._pulse_t0 = time.monotonic()
        self._key: tuple[int, int, float] | None = None
        self.frames = 0
        """Paints since the banner was created (tests watch it grow)."""
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.update)
        self._lines: list[str] = []
        self.set_point_size(CODE_POINT_SIZE)
        self.setVisible(False)

    # -- what it shows ---------------------------------------------------------------

    def set_clock(self, clock: Clock | None) -> None:
        """Seconds since the run's start, now (live); the counter is ``clock() - began``.

        The window passes e.g. ``lambda: (time.monotonic_ns() - rec.start_ns) / 1e9``.
        """
        self._clock = clock

    def show_stall(
        self, stall: StallNow | None, now: float, *, live: bool | None = None, so_far: bool = False
    ) -> None:
        """Show ``stall`` as seen at ``now`` (s since the start); None hides the banner.

        ``live`` defaults to "the stall has not ended": the counter runs and the
        banner pulses. A stall that has ended (the replay cursor inside it) is
        shown still, with its whole duration — or, with ``so_far`` (lecture mode's
        cursor), with how long it had lasted at ``now``, "0.42 s of 1.01 s".
        """
        if stall is None:
            self._stall = None
            self._key = None
            self._timer.stop()
            self.setVisible(False)
            return
        if live is None:
            live = stall.stall is None or stall.stall.end is None
        key = (stall.loop, stall.serial, stall.began)
        if key != self._key or not self.isVisible():
            self._pulse_t0 = time.monotonic()
        self._key = key
        self._stall = stall
        self._live = live
        self._so_far = so_far and not live
        self._elapsed_at = max(stall.elapsed, now - stall.began, 0.0)
        self._shown_at = time.monotonic()
        self._frame_now = now
        if live:
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()
        self.setAccessibleDescription(self.text())
        self.setToolTip(self._tooltip())
        self.setVisible(True)
        self._relayout()
        self.update()

    @property
    def is_showing(self) -> bool:
        return self._stall is not None and not self.isHidden()

    @property
    def is_live(self) -> bool:
        """The counter runs and the banner pulses (a stall going on now)."""
        return self.is_showing and self._live

    @property
    def stall(self) -> StallNow | None:
        return self._stall

    def elapsed(self) -> float:
        """The number the counter shows now."""
        stall = self._stall
        if stall is None:
            return 0.0
        if self._so_far:
            return self._elapsed_at
        if not self._live:
            whole = stall.stall.duration if stall.stall and stall.stall.end is not None else None
            return whole if whole is not None else self._elapsed_at
        if self._clock is not None:
            clock = self._clock()
            if clock - self._frame_now <= FRESH_S:
                return self._elapsed_at  # the frame's number, as every other pane shows it
            return max(self._elapsed_at, clock - stall.began)
        late = time.monotonic() - self._shown_at
        return self._elapsed_at if late <= FRESH_S else self._elapsed_at + late

    def text(self) -> str:
        """The headline as one sentence, e.g. "Event loop blocked — 0.73 s — requests.get(...)…"."""
        if self._stall is None:
            return ""
        first, second = self._headline(self.elapsed())
        return f"{first} — {second}"

    def source_text(self) -> str:
        """The blocking line's source text ("" if the watchdog did not send it)."""
        where = self._stall.where if self._stall else None
        return where.text.strip() if where is not None else ""

    def inner_text(self) -> str:
        """ "inside readinto() at socket.py:717", or ""."""
        if self._stall is None:
            return ""
        return inner_phrase(self._stall.innermost, self._stall.where)

    def pulse_phase(self) -> float:
        """0 → 1 over one pulse (constant 0 when still)."""
        if not self._live:
            return 0.0
        return ((time.monotonic() - self._pulse_t0) / PULSE_PERIOD) % 1.0

    def background(self) -> QColor:
        """This frame's background: bright red → dark red → bright red."""
        if not self._live:
            return QColor(STILL)
        k = 0.5 - 0.5 * math.cos(2 * math.pi * self.pulse_phase())
        return QColor.fromRgbF(
            BRIGHT.redF() + (DARK.redF() - BRIGHT.redF()) * k,
            BRIGHT.greenF() + (DARK.greenF() - BRIGHT.greenF()) * k,
            BRIGHT.blueF() + (DARK.blueF() - BRIGHT.blueF()) * k,
        )

    def _tooltip(self) -> str:
        where = self._stall.where if self._stall else None
        if where is None:
            return "The scenario's event loop is stuck in a synchronous call."
        return (
            "A synchronous call is running inside a coroutine: nothing else on the event loop "
            f"can run until it returns. Click to show {_file_name(where.file)}:{where.line}."
        )

    # -- style ------------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        """The banner is red in both themes; the theme only tints its bottom edge."""
        self._theme = theme
        self.update()

    def set_point_size(self, code_point_size: float) -> None:
        """Scale with the code text (View › Larger text): the headline is ≈1.75× the code.

        The "inside socket.py:…" line is secondary but must reach the back row: as
        large as the code, in regular weight, where the location is bold.
        """
        base = QFont(QApplication.font())
        self._head_size = max(16.0, code_point_size * 1.75)
        self._head_font = QFont(base)
        self._head_font.setBold(True)
        self._head_font.setPointSizeF(self._head_size)
        self._code_font = code_font(max(MIN_CODE_POINT_SIZE, code_point_size * 1.2))
        self._code_font.setBold(True)
        self._where_font = QFont(base)
        self._where_font.setBold(True)
        self._where_font.setPointSizeF(self._head_font.pointSizeF() * 0.8)
        self._small_font = QFont(base)
        self._small_font.setPointSizeF(max(12.0, code_point_size * 1.1))
        self._relayout()

    # -- layout -----------------------------------------------------------------------

    PAD_X = 18
    PAD_Y = 10
    GAP = 6

    def _icon_size(self) -> float:
        return QFontMetricsF(self._head_font).height() * 1.45

    def _text_left(self) -> float:
        return self.PAD_X + self._icon_size() + 16

    def _headline(self, elapsed: float) -> tuple[str, str]:
        assert self._stall is not None
        total = None
        if self._so_far:
            whole = self._stall.stall
            total = whole.duration if whole is not None and whole.end is not None else None
        return headline(self._stall, elapsed, self._live, total)

    def _template_headline(self) -> tuple[str, str]:
        """The headline with the widest counter, for layout."""
        assert self._stall is not None
        first, second = self._headline(1.0)
        return first.replace(format_duration(1.0), COUNTER_TEMPLATE), second

    def _fit_head(self, width: float) -> None:
        """Shrink the headline (and the location) until the counter line fits ``width``."""
        size = self._head_size
        if self._stall is not None:
            first, _ = self._template_headline()
            font = QFont(self._head_font)
            while size > MIN_HEAD_POINT_SIZE:
                font.setPointSizeF(size)
                icon = QFontMetricsF(font).height() * 1.45
                room = width - (self.PAD_X + icon + 16) - self.PAD_X
                if QFontMetricsF(font).horizontalAdvance(first) <= room:
                    break
                size -= 0.5
        if size != self._head_font.pointSizeF():
            self._head_font.setPointSizeF(size)
            self._where_font.setPointSizeF(size * 0.8)

    def _where_lines(self, width: float) -> list[str]:
        """The location's lines under the counter; [] when the whole sentence fits one row."""
        if self._stall is None:
            return []
        room = width - self._text_left() - self.PAD_X
        first, second = self._template_headline()
        if QFontMetricsF(self._head_font).horizontalAdvance(f"{first} — {second}") <= room:
            return []
        parts = where_parts(self._stall)
        return wrap_phrases(parts, QFontMetricsF(self._where_font), room, max_lines=2)

    def _code_left(self, y: float) -> float:
        """The guilty line starts under the icon when it is below it (more room)."""
        icon_bottom = self.PAD_Y + 2.0 + self._icon_size() * 0.9
        return self.PAD_X + 8 if y >= icon_bottom + 4 else self._text_left()

    def _code_font_for(self, room: float) -> QFont:
        """The code font, shrunk (not below ``MIN_CODE_POINT_SIZE``) until the line fits."""
        font = QFont(self._code_font)
        text = self.source_text()
        size = font.pointSizeF()
        while size > MIN_CODE_POINT_SIZE and QFontMetricsF(font).horizontalAdvance(text) > room:
            size = max(MIN_CODE_POINT_SIZE, size - 0.5)
            font.setPointSizeF(size)
        return font

    def _content_height(self, where_lines: int) -> int:
        head = QFontMetricsF(self._head_font).height()
        where = QFontMetricsF(self._where_font).height() * where_lines
        code = QFontMetricsF(self._code_font).height() + 8
        small = QFontMetricsF(self._small_font).height()
        rows = head + where + self.GAP + code
        if self.inner_text():
            rows += self.GAP / 2 + small
        return math.ceil(max(rows, self._icon_size()) + 2 * self.PAD_Y + 4)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        size = self._head_font.pointSizeF()
        self._fit_head(width)
        height = self._content_height(len(self._where_lines(width)))
        if size != self._head_font.pointSizeF():  # a question, not a resize: put it back
            self._fit_head(self.width())
        return height

    def sizeHint(self) -> QSize:
        width = max(self.width(), 480)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.heightForWidth(max(self.width(), 240)))

    def _relayout(self) -> None:
        self._fit_head(self.width())
        self._lines = self._where_lines(self.width())
        height = self._content_height(len(self._lines))
        if height != self.height() or height != self.minimumHeight():
            self.setFixedHeight(height)
            self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    # -- painting ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        self.frames += 1
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        rect = QRectF(self.rect())
        painter.fillRect(rect, self.background())
        edge = QColor("#ff8a80") if self._live else QColor("#7f1010")
        painter.fillRect(QRectF(0, rect.height() - 4, rect.width(), 4), edge)
        if self._stall is None:
            painter.end()
            return
        self._paint_icon(painter)
        left = self._text_left()
        right = rect.width() - self.PAD_X
        y = float(self.PAD_Y)
        head = QFontMetricsF(self._head_font)
        first, second = self._headline(self.elapsed())
        painter.setPen(TEXT)
        painter.setFont(self._head_font)
        if self._lines:
            painter.drawText(QPointF(left, y + head.ascent()), first)
            y += head.height()
            where = QFontMetricsF(self._where_font)
            painter.setFont(self._where_font)
            for line in self._lines:
                painter.drawText(QPointF(left, y + where.ascent()), line)
                y += where.height()
        else:
            painter.drawText(QPointF(left, y + head.ascent()), f"{first} — {second}")
            y += head.height()
        y += self.GAP
        code_left = self._code_left(y)
        self._paint_code(painter, code_left, right, y)
        y += QFontMetricsF(self._code_font).height() + 8 + self.GAP / 2
        inner = self.inner_text()
        if inner:
            small = QFontMetricsF(self._small_font)
            painter.setFont(self._small_font)
            painter.setPen(INNER_TEXT)
            text = small.elidedText(inner, Qt.TextElideMode.ElideMiddle, right - code_left)
            painter.drawText(QPointF(code_left, y + small.ascent()), text)
        painter.end()

    def _paint_code(self, painter: QPainter, left: float, right: float, y: float) -> None:
        code = self.source_text() or "(the watchdog has not sent the line yet)"
        font = self._code_font_for(right - left - 20)
        fm = QFontMetricsF(font)
        line_h = QFontMetricsF(self._code_font).height()  # the chip keeps its height
        text = fm.elidedText(code, Qt.TextElideMode.ElideRight, right - left - 20)
        chip = QRectF(left - 8, y, fm.horizontalAdvance(text) + 20, line_h + 8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(CODE_CHIP)
        painter.drawRoundedRect(chip, 5, 5)
        painter.setPen(TEXT)
        painter.setFont(font)
        baseline = y + 4 + (line_h - fm.height()) / 2 + fm.ascent()
        painter.drawText(QPointF(left + 2, baseline), text)

    def _paint_icon(self, painter: QPainter) -> None:
        """A white warning triangle with a red "!" (the pulse shows through it)."""
        size = self._icon_size()
        top = self.PAD_Y + 2.0
        box = QRectF(self.PAD_X, top, size, size * 0.9)
        path = QPainterPath()
        path.moveTo(box.center().x(), box.top())
        path.lineTo(box.right(), box.bottom())
        path.lineTo(box.left(), box.bottom())
        path.closeSubpath()
        painter.setPen(
            QPen(TEXT, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        )
        painter.setBrush(TEXT)
        painter.drawPath(path)
        painter.setFont(self._head_font)
        painter.setPen(self.background())
        painter.drawText(
            box.adjusted(0, size * 0.22, 0, 0),
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
            "!",
        )

    # -- interaction ----------------------------------------------------------------

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        where = self._stall.where if self._stall else None
        if event.button() == Qt.MouseButton.LeftButton and where is not None and where.line > 0:
            self.locationActivated.emit(where.file, where.line)
        super().mouseReleaseEvent(event)

    def hideEvent(self, event) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._live and self._stall is not None:
            self._timer.start()


def banner_above(banner: StallBanner, body: QWidget, parent: QWidget | None = None) -> QWidget:
    """A widget holding ``banner`` (hidden until a stall) on top of ``body`` (the timeline).

    For ``QMainWindow.setCentralWidget``: the banner then spans the timeline's width
    and pushes it down while it shows, covering nothing.
    """
    holder = QWidget(parent)
    holder.setObjectName("StallBannerHolder")
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    layout.addWidget(body, 1)
    return holder
