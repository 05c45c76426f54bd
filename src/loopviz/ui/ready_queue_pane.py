"""The ready-queue strip under the timeline: what runs now, what waits for its turn, timers.

One custom-painted widget (never one widget per box, so a queue of thousands
costs what fits on screen). Left to right:

    RUNNING        READY QUEUE · 4 waiting · first in, first out        TIMERS · 2
    ┌─────────┐ ◀ ┌────────┐┌──────────────┐┌────────┐┌─────────┐     sleep → Task-3  0.42 s
    │ Task-2  │   │ Task-3 ││ Task-4       ││ gather ││ +12 more│     report          1.20 s
    │ step    │   │ step   ││ wakeup ← ... ││ done … ││         │
    └─────────┘   └────────┘└──────────────┘└────────┘└─────────┘

Handles enter on the right and leave on the left into the running slot,
sliding over :data:`~loopviz.ui.ready_queue_anim.DURATION` when states come
slowly, snapping to the newest state when they do not. Boxes are coloured like
the timeline: task steps amber (ready), wakeups amber-outlined, loop callbacks
purple; the running slot blue, or red while a handle blocks the loop.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QToolTip, QWidget

from loopviz.model import LoopNow, LoopState, ReadyEntry, Recording, RunningHandle
from loopviz.protocol import HandleKind
from loopviz.ui.empty_state import EmptyStateOverlay
from loopviz.ui.gantt.palette import GanttPalette, SliceState
from loopviz.ui.live_style import state_palette
from loopviz.ui.ready_queue_anim import (
    DURATION,
    Moves,
    ease_out,
    fit_queue,
    plan_moves,
    should_animate,
)
from loopviz.ui.theme import LIGHT, Theme
from loopviz.ui.units import format_duration

EMPTY_TEXT = (
    "Empty — during a run, the handles waiting in the ready queue line up here, "
    "next to run on the left"
)
PAST_CUT_TEXT = (
    "Past the recording limit: only the summary is recorded here (tasks created and done, "
    "output, stalls), not the ready queue"
)
KIND_WORDS = {HandleKind.STEP: "step", HandleKind.WAKEUP: "wakeup", HandleKind.CALLBACK: "callback"}
KIND_MEANING = {
    HandleKind.STEP: "a task's step: the event loop will resume its coroutine",
    HandleKind.WAKEUP: "a task's wakeup: what it awaited is done, it resumes next",
    HandleKind.CALLBACK: "a callback: loop machinery that is not a task's step",
}

MARGIN = 10.0
GAP = 6.0  # between queue boxes
ARROW_GAP = 26.0  # between the running slot and the queue's head
PAD = 10.0  # inside a box
MIN_BOX = 76.0  # narrowest box
TARGETS = 8  # timers whose waiting task is looked up
RETRY = 15  # frames before looking again for a timer's task that was not found
DUE_NOW = 0.0005  # a timer this close to its deadline is "due now", not "-47 µs"
TIMER_GAP = 12.0  # between a timer's label and its time
MIN_TIMERS = 150.0
MAX_TIMERS = 420.0  # the timers column's width range, one line a timer
MIN_STACKED = 100.0  # the narrowest column of two-line timers
MIN_QUEUE = 180.0  # the queue's room beside one-line timers (else they stack)
MIN_QUEUE_NARROW = 110.0  # the queue's room beside two-line timers (else no timers)


@dataclass(frozen=True)
class QueueBox:
    """A box as laid out: a handle in the ready queue (tests read these)."""

    key: int
    """The handle's serial."""
    task: int
    kind: HandleKind
    label: str
    title: str
    detail: str
    rect: QRectF
    enqueued: float


@dataclass(frozen=True)
class RunningBox:
    """What the running slot shows."""

    key: int
    task: int
    label: str
    title: str
    detail: str
    blocking: bool
    elapsed: float
    rect: QRectF


@dataclass(frozen=True)
class TimerRow:
    """One line of the timers list: ``sleep → Task-3`` and ``0.42 s``."""

    timer: int
    label: str
    left: float
    time_text: str

    @property
    def text(self) -> str:
        return f"{self.label} · {self.time_text}"


def split_label(label: str, kind: HandleKind | None) -> tuple[str, str]:
    """A handle's label as two lines: who (bold) and what.

    ``"Task-3 · wakeup ← sleep"`` → ``("Task-3", "wakeup ← sleep")``;
    ``"gather.<locals>._done_callback"`` → ``("gather", "done callback")``.
    """
    if " · " in label:
        title, detail = label.split(" · ", 1)
        return title, detail
    if ".<locals>." in label:
        owner, name = label.split(".<locals>.", 1)
        return owner.rsplit(".", 1)[-1], name.strip("_").replace("_", " ")
    word = KIND_WORDS.get(kind, "callback") if kind is not None else "callback"
    return word, label


def next_timer_text(loop: LoopNow) -> str:
    """The idle sentence: what ``select()`` waits for."""
    if loop.timers:
        left = loop.timers[0].left
        if left < DUE_NOW:
            return "idle — in select(); the next timer is due now"
        return f"idle — waiting in select() for the next timer in {format_duration(left)}"
    return "idle — waiting in select() for I/O; no timer is scheduled"


_NUMBER_UNIT = re.compile(r"(\d) (s|ms|µs)\b")


def wrap_words(text: str, fm: QFontMetricsF, width: float, max_lines: int) -> tuple[str, ...]:
    """``text`` broken at spaces into lines ``width`` wide; the last allowed line elided.

    A number keeps its unit on its line ("1.00 s", never "1.00" / "s").
    """
    lines: list[str] = []
    words = [w.replace("\u00a0", " ") for w in _NUMBER_UNIT.sub("\\1\u00a0\\2", text).split(" ")]
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and fm.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        if len(lines) == max_lines - 1 and words:
            line = f"{line} {' '.join(words)}"
            words = []
        lines.append(fm.elidedText(line, Qt.TextElideMode.ElideRight, width))
    return tuple(lines)


def _mix(a: str, b: str, k: float) -> QColor:
    """``a`` blended towards ``b`` by ``k`` (0: a, 1: b)."""
    ca, cb = QColor(a), QColor(b)
    return QColor.fromRgbF(
        ca.redF() + (cb.redF() - ca.redF()) * k,
        ca.greenF() + (cb.greenF() - ca.greenF()) * k,
        ca.blueF() + (cb.blueF() - ca.blueF()) * k,
    )


class ReadyQueueStrip(QWidget):
    """The painted strip: running slot, ready queue boxes, "+N more", timers.

    Feed it with :meth:`show_loop` (one loop at one instant); read what it shows
    with :meth:`boxes`, :meth:`running_box`, :attr:`more`, :attr:`message` and
    :meth:`timer_rows`. Clicking a task's box emits ``taskSelected(task_oid)``.
    """

    taskSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("ReadyQueueStrip")
        self.clock: Callable[[], float] = time.monotonic
        """Where "how long since the last state" is read (tests pass a fake clock)."""
        self._theme = theme
        self._palette = state_palette(theme)
        self._loop: LoopNow | None = None
        self._t = 0.0
        self._targets: Mapping[int, str] = {}
        self._entries: tuple[ReadyEntry, ...] = ()
        self._boxes: list[QueueBox] = []
        self._running: RunningBox | None = None
        self._more = 0
        self._more_rect = QRectF()
        self._message = ""
        self._timers: list[TimerRow] = []
        self._timer_more = 0
        self._timer_need = 0.0
        """Width the timer rows have needed (grows during a run, so the column does not twitch)."""
        self._stack_need = 0.0
        """The same for two-line rows."""
        self._timer_fit: tuple[float, bool] = (0.0, False)
        self._wrapped: dict[tuple[str, int, int], tuple[str, ...]] = {}
        self._last_show = float("-inf")
        self._moves: Moves | None = None
        self._old_boxes: dict[int, QueueBox] = {}
        self._old_running: RunningBox | None = None
        self._progress = 1.0
        self._elided: dict[tuple[str, int, bool], str] = {}
        self._widths: dict[tuple[str, str], float] = {}
        self._splits: dict[tuple[str, HandleKind | None], tuple[str, str]] = {}
        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setDuration(round(DURATION * 1000))
        self._anim.setEasingCurve(QEasingCurve.Type.Linear)
        self._anim.valueChanged.connect(self._on_progress)
        self._anim.finished.connect(self._on_finished)
        self._set_fonts()

    # -- public -------------------------------------------------------------------------

    def show_loop(
        self,
        loop: LoopNow | None,
        t: float,
        animate: bool = True,
        timer_targets: Mapping[int, str] | None = None,
    ) -> None:
        """Show ``loop`` at time ``t``; slide the boxes if states come slowly, else snap.

        ``timer_targets`` maps a timer's future oid to the task it will wake
        (``sleep → Task-3``); without it timers show their own label only.
        """
        now = self.clock()
        since = now - self._last_show
        old_boxes = {b.key: b for b in self._boxes}
        old_running = self._running
        self._loop, self._t = loop, t
        self._targets = timer_targets or {}
        self._relayout()
        new_keys = {b.key for b in self._boxes}
        changes = len(new_keys ^ old_boxes.keys())
        if (old_running and old_running.key) != (self._running and self._running.key):
            changes += 1
        if changes == 0 and self.animating:
            # Playback shows a state every frame; most change nothing in the queue. Let the
            # transition under way finish rather than cutting it off at each repeat.
            self.update()
            return
        if changes or loop is None:
            # "Since the last change": frames that repeat the same queue do not count, so a
            # slow replay (or a quiet live run) slides its boxes instead of snapping them.
            self._last_show = now
        self._anim.stop()
        if loop is not None and should_animate(animate, since, changes):
            hidden = frozenset(e.serial for e in self._entries) - new_keys
            self._moves = plan_moves(
                {k: b.rect.x() for k, b in old_boxes.items()},
                {b.key: b.rect.x() for b in self._boxes},
                hidden,
                old_running.key if old_running else None,
                self._running.key if self._running else None,
                self._slot_rect().x(),
            )
            self._old_boxes, self._old_running = old_boxes, old_running
            self._progress = 0.0
            self._anim.start()
        else:
            self._moves = None
            self._progress = 1.0
        self.update()

    def clear(self) -> None:
        """Nothing to show (before a run)."""
        self._timer_need = self._stack_need = 0.0
        self.show_loop(None, 0.0, animate=False)

    def forget_texts(self) -> None:
        """Empty the caches of measured and cut labels (a new run names its own tasks)."""
        self._elided.clear()
        self._wrapped.clear()
        self._widths.clear()
        self._splits.clear()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._palette = state_palette(theme)
        self.update()

    @property
    def palette_colors(self) -> GanttPalette:
        """The state colours the strip paints with."""
        return self._palette

    @property
    def animating(self) -> bool:
        """Whether a transition is under way."""
        return self._moves is not None

    @property
    def more(self) -> int:
        """How many queued handles hide behind "+N more"."""
        return self._more

    @property
    def message(self) -> str:
        """The sentence shown where the boxes would be ("idle — …"), "" when boxes show."""
        return self._message

    def boxes(self) -> list[QueueBox]:
        """The visible queue boxes in FIFO order, with where they end up."""
        return list(self._boxes)

    def running_box(self) -> RunningBox | None:
        return self._running

    def timer_rows(self) -> list[TimerRow]:
        """Upcoming deadlines, soonest first, as listed."""
        return list(self._timers)

    def box_at(self, point: QPointF) -> QueueBox | RunningBox | None:
        if self._running is not None and self._running.rect.contains(point):
            return self._running
        return next((b for b in self._boxes if b.rect.contains(point)), None)

    # -- geometry -------------------------------------------------------------------

    def _set_fonts(self) -> None:
        base = QFont(self.font())
        self._font = base
        self._bold = QFont(base)
        self._bold.setWeight(QFont.Weight.Bold)
        self._caption = QFont(base)
        self._caption.setPointSizeF(max(8.0, base.pointSizeF() * 0.82))
        self._caption.setWeight(QFont.Weight.Bold)
        self._caption.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
        self._fm = QFontMetricsF(self._font)
        self._fm_bold = QFontMetricsF(self._bold)
        self._fm_caption = QFontMetricsF(self._caption)
        self.forget_texts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._set_fonts()
            self._relayout()
            self.updateGeometry()
        super().changeEvent(event)

    def _box_height(self) -> float:
        return self._fm_bold.height() + self._fm.height() + 2 * 6.0

    def _caption_height(self) -> float:
        return self._fm_caption.height() + 4.0

    def _row_height(self) -> float:
        return self._fm.height() + 2.0

    def minimumSizeHint(self) -> QSize:
        h = MARGIN + self._caption_height() + self._box_height() + MARGIN
        return QSize(240, int(h + 0.5))

    def sizeHint(self) -> QSize:
        return QSize(900, self.minimumSizeHint().height() + 8)

    def _slot_width(self) -> float:
        """The running slot: who (bold) over what, e.g. "Task-12" over "wakeup ← sleep"."""
        who = self._fm_bold.horizontalAdvance("Task-000")
        what = self._fm.horizontalAdvance("wakeup ← sleep")
        caption = self._fm_caption.horizontalAdvance("BLOCKING · 00.0 s") - ARROW_GAP
        return max(who, what, caption) + 2 * PAD

    def _timer_width(self) -> float:
        """The timers column: as wide as its caption and rows need (0: not shown).

        What it does not need goes to the queue, whose sentences then wrap less.
        """
        return self._timer_fit[0]

    @property
    def timers_stacked(self) -> bool:
        """Whether each timer takes two lines (its label over its time): a narrow strip."""
        return self._timer_fit[1]

    def _slot_rect(self) -> QRectF:
        top = MARGIN + self._caption_height()
        return QRectF(MARGIN, top, self._slot_width(), self._box_height())

    def _queue_span(self) -> tuple[float, float]:
        left = MARGIN + self._slot_width() + ARROW_GAP
        tw = self._timer_width()
        right = self.width() - MARGIN - (tw + 2 * MARGIN if tw else 0.0)
        return left, max(left, right)

    def _timer_rect(self) -> QRectF:
        tw = self._timer_width()
        return QRectF(self.width() - MARGIN - tw, MARGIN, tw, self.height() - 2 * MARGIN)

    def _box_width(self, title: str, detail: str) -> float:
        key = (title, detail)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > 4000:
                self._widths.clear()
            text = max(self._fm_bold.horizontalAdvance(title), self._fm.horizontalAdvance(detail))
            width = self._widths[key] = min(max(text + 2 * PAD, MIN_BOX), 240.0)
        return width

    def _split(self, label: str, kind: HandleKind | None) -> tuple[str, str]:
        key = (label, kind)
        lines = self._splits.get(key)
        if lines is None:
            if len(self._splits) > 4000:
                self._splits.clear()
            lines = self._splits[key] = split_label(label, kind)
        return lines

    def resizeEvent(self, event: object) -> None:
        self._anim.stop()  # a transition planned for the old width would jump: show the state
        self._moves = None
        self._progress = 1.0
        self._relayout()
        super().resizeEvent(event)  # type: ignore[arg-type]

    def _relayout(self) -> None:
        """Place boxes, the running slot, the message and the timers for the current state."""
        loop = self._loop
        self._boxes, self._more, self._message = [], 0, ""
        self._running, self._timers, self._timer_more = None, [], 0
        self._entries = ()
        if loop is None:
            self._timer_fit = (0.0, False)
            return
        self._layout_timers(loop)  # first: how wide the timers column must be
        slot = self._slot_rect()
        if loop.running is not None:
            self._running = self._running_box(loop.running, slot)
        self._entries = loop.ready
        left, right = self._queue_span()
        # Only the boxes that can fit are measured (every box is at least 76 px wide).
        fits = int((right - left) // (MIN_BOX + GAP)) + 1
        parts = [self._split(e.label, e.kind) for e in self._entries[:fits]]
        widths = [self._box_width(title, detail) for title, detail in parts]
        more_w = self._fm_bold.horizontalAdvance(f"+{loop.ready_count} more") + 2 * PAD
        xs, self._more = fit_queue(widths, loop.ready_count, left, right, GAP, more_w)
        top, height = slot.y(), slot.height()
        for entry, (title, detail), w, x in zip(self._entries, parts, widths, xs, strict=False):
            self._boxes.append(
                QueueBox(
                    entry.serial,
                    entry.task,
                    entry.kind,
                    entry.label,
                    title,
                    detail,
                    QRectF(x, top, w, height),
                    entry.enqueued,
                )
            )
        if self._more:
            x = xs[-1] + widths[len(xs) - 1] + GAP if xs else left
            self._more_rect = QRectF(x, top, min(more_w, right - x), height)
        if loop.ready_count == 0:
            if loop.idle:
                self._message = next_timer_text(loop)
            elif loop.running is not None and loop.running.blocking:
                self._message = "blocked — timers and I/O wait until this call returns"
            elif loop.running is not None:
                self._message = "empty — nothing else is waiting for its turn"
            else:
                self._message = "empty"

    def _running_box(self, run: RunningHandle, slot: QRectF) -> RunningBox:
        kind = None if run.task else HandleKind.CALLBACK
        title, detail = split_label(run.label, kind)
        return RunningBox(
            run.serial, run.task, run.label, title, detail, run.blocking, run.elapsed, slot
        )

    def _layout_timers(self, loop: LoopNow) -> None:
        """The timer rows, and how the timers column fits: one line a timer, two, or hidden."""
        self._timer_fit = (0.0, False)
        single_h = self._row_height()
        room = self.height() - 2 * MARGIN - self._caption_height()
        # The caption says how many there are; every row shows a deadline.
        rows: list[TimerRow] = []
        for timer in loop.timers[: max(1, int(room // max(1.0, single_h)))]:
            who = self._targets.get(timer.future, "")
            if who:
                label = f"{timer.label} → {who}"
            elif not timer.future and timer.label != "timer":
                label = f"{timer.label}()"  # call_later(delay, report): a plain callback
            else:
                label = timer.label
            if timer.left <= -DUE_NOW:
                when = f"overdue {format_duration(-timer.left)}"
            elif timer.left < DUE_NOW:
                when = "due now"
            else:
                when = format_duration(timer.left)
            rows.append(TimerRow(timer.timer, label, timer.left, when))
            label_w = self._fm.horizontalAdvance(label)
            when_w = self._fm_bold.horizontalAdvance(when)
            self._timer_need = max(self._timer_need, label_w + TIMER_GAP + when_w + 2)
            self._stack_need = max(self._stack_need, label_w + 2, when_w + 2)
        count = loop.timer_count
        self._timer_need = max(
            self._timer_need, self._caption_width(f"TIMERS · {count} · soonest first")
        )
        self._stack_need = max(self._stack_need, self._caption_width(f"TIMERS · {count}"))
        self._timer_fit = self._fit_timers()
        if self._timer_fit[1]:  # two lines a timer: fewer fit
            rows = rows[: max(1, int(room // max(1.0, 2 * single_h)))]
        self._timers = rows if self._timer_fit[0] else []
        self._timer_more = count - len(rows)

    def _caption_width(self, text: str) -> float:
        return self._fm_caption.horizontalAdvance(text) + 2

    def _fit_timers(self) -> tuple[float, bool]:
        """(width, stacked) of the timers column; width 0 when the strip is too narrow.

        One line a timer ("sleep → Task-1   0.71 s") while the queue keeps
        :data:`MIN_QUEUE` px; else the label over its time, in a narrower column;
        else no timers (the queue comes first).
        """
        w = self.width()
        queue_left = MARGIN + self._slot_width() + ARROW_GAP
        single = min(max(MIN_TIMERS, self._timer_need), w * 0.4, MAX_TIMERS)
        if w - queue_left - single - 2 * MARGIN >= MIN_QUEUE:
            return single, False
        stacked = min(max(MIN_STACKED, self._stack_need), w * 0.34)
        if w - queue_left - stacked - 2 * MARGIN >= MIN_QUEUE_NARROW:
            return stacked, True
        return 0.0, False

    # -- animation ------------------------------------------------------------------------

    def _on_progress(self, value: object) -> None:
        self._progress = ease_out(float(value))  # type: ignore[arg-type]
        self.update()

    def _on_finished(self) -> None:
        self._moves = None
        self._progress = 1.0
        self.update()

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.fillRect(self.rect(), QColor(self._theme.base))
        if self._loop is not None:
            self._paint_captions(painter)
            self._paint_slot(painter)
            self._paint_queue(painter)
            self._paint_running_on_top(painter)
            if self._timer_width():
                self._paint_timers(painter)
        painter.end()

    def _paint_captions(self, painter: QPainter) -> None:
        painter.setFont(self._caption)
        slot = self._slot_rect()
        y = MARGIN + self._fm_caption.ascent()
        run = self._running
        blocking = run is not None and run.blocking
        color = self._palette.state(SliceState.BLOCKING) if blocking else self._palette.muted
        painter.setPen(QColor(color))
        painter.drawText(QPointF(slot.x(), y), self.slot_caption())
        left, right = self._queue_span()
        painter.setPen(QColor(self._palette.muted))
        painter.drawText(QPointF(left, y), self.queue_caption(right - left))
        # The head of the queue points at the running slot.
        cy = slot.center().y()
        ax = slot.right() + ARROW_GAP / 2
        arrow = QPainterPath(QPointF(ax - 6, cy))
        arrow.lineTo(QPointF(ax + 5, cy - 7))
        arrow.lineTo(QPointF(ax + 5, cy + 7))
        arrow.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self._palette.muted))
        painter.drawPath(arrow)

    def _paint_slot(self, painter: QPainter) -> None:
        """The slot itself: idle, empty, or (when nothing moves) the running handle."""
        slot = self._slot_rect()
        pal = self._palette
        moves, p = self._moves, self._progress
        if moves is not None and moves.old_running is not None and self._old_running is not None:
            # The handle that ran is over: it fades where it was, quickly.
            old = self._old_running
            self._paint_running(painter, old, max(0.0, 1.0 - 2.0 * p))
        run = self._running
        if run is not None:
            return  # painted over the queue by _paint_running_on_top
        pen = QPen(QColor(pal.muted), 1.4, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        if self._loop is not None and self._loop.idle:
            painter.setBrush(QColor(pal.state(SliceState.IDLE)))
            painter.drawRoundedRect(slot, 6, 6)
            self._paint_two_lines(painter, slot, "idle", "in select()", pal.state_text[5])
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(slot, 6, 6)
            self._paint_two_lines(painter, slot, "—", "nothing running", pal.muted)

    def _paint_running_on_top(self, painter: QPainter) -> None:
        """The running handle, last, so a box sliding into the slot passes over the queue."""
        run = self._running
        if run is None:
            return
        slot = self._slot_rect()
        moves, p = self._moves, self._progress
        sprite = moves.running if moves is not None else None
        if sprite is None:
            self._paint_running(painter, run, 1.0)
            return
        x, alpha = sprite.at(p)
        rect = slot.translated(x - slot.x(), 0)
        queued = self._old_boxes.get(run.key)
        if queued is None:  # it was not on show: it appears in the slot
            self._paint_running(painter, replace(run, rect=rect), alpha)
            return
        # A queued box on its way: its colour turns into the running colour as it goes.
        fill, border, text = self._kind_style(queued.kind)
        state = self._running_state(run)
        k = min(1.0, max(0.0, (p - 0.4) / 0.6))  # keeps its queue colour for the first part
        painter.setOpacity(alpha)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_mix(fill.name(), self._palette.state(state), k))
        painter.drawRoundedRect(rect, 6, 6)
        if border is not None and k < 1.0:
            edge = QColor(border)
            edge.setAlphaF(1.0 - k)
            painter.setPen(QPen(edge, 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 6, 6)
        # The text switches colour half way (a blend of dark and white text is grey on
        # a half-blended fill: unreadable for the moment it lasts).
        color = text if k < 0.5 else self._palette.state_text[state]
        self._paint_two_lines(painter, rect, run.title, run.detail, color)
        painter.setOpacity(1.0)

    @staticmethod
    def _running_state(run: RunningBox) -> SliceState:
        if run.blocking:
            return SliceState.BLOCKING
        return SliceState.RUNNING if run.task else SliceState.CALLBACK

    def _paint_running(self, painter: QPainter, run: RunningBox, alpha: float) -> None:
        if alpha <= 0.01:
            return
        pal = self._palette
        state = self._running_state(run)
        painter.setOpacity(alpha)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(pal.state(state)))
        painter.drawRoundedRect(run.rect, 6, 6)
        self._paint_two_lines(painter, run.rect, run.title, run.detail, pal.state_text[state])
        painter.setOpacity(1.0)

    def _kind_style(self, kind: HandleKind) -> tuple[QColor, QColor | None, str]:
        """Fill, border (or None) and text colour of a queued box."""
        pal = self._palette
        if kind == HandleKind.CALLBACK:
            s = SliceState.CALLBACK
            return QColor(pal.state(s)), None, pal.state_text[s]
        ready = pal.state(SliceState.READY)
        if kind == HandleKind.WAKEUP:
            return _mix(ready, pal.background, 0.62), QColor(ready), pal.foreground
        return QColor(ready), None, pal.state_text[SliceState.READY]

    def _paint_queue(self, painter: QPainter) -> None:
        moves, p = self._moves, self._progress
        left, right = self._queue_span()
        painter.save()
        # Boxes slide in from the right edge of the queue, never over the timers.
        painter.setClipRect(QRectF(self._slot_rect().x(), 0, right - MARGIN + 4, self.height()))
        if moves is not None:
            for key, sprite in moves.leaving.items():
                box = self._old_boxes.get(key)
                if box is not None:
                    x, a = sprite.at(p)
                    self._paint_box(painter, box, box.rect.translated(x - box.rect.x(), 0), a)
        for box in self._boxes:
            rect, alpha = box.rect, 1.0
            if moves is not None and box.key in moves.queued:
                x, alpha = moves.queued[box.key].at(p)
                rect = box.rect.translated(x - box.rect.x(), 0)
            self._paint_box(painter, box, rect, alpha)
        painter.restore()
        pal = self._palette
        if self._more:
            painter.setPen(QPen(QColor(pal.muted), 1.2))
            painter.setBrush(QColor(pal.row_alt))
            painter.drawRoundedRect(self._more_rect, 6, 6)
            painter.setFont(self._bold)
            painter.setPen(QColor(pal.foreground))
            text = self._elide(f"+{self._more} more", self._more_rect.width() - 8, bold=True)
            painter.drawText(self._more_rect, Qt.AlignmentFlag.AlignCenter, text)
        if self._message:
            painter.setFont(self._font)
            painter.setPen(QColor(pal.muted))
            slot = self._slot_rect()
            line_h = self._fm.height()
            lines = self.message_lines()
            height = len(lines) * line_h
            x = left + 4
            y = slot.center().y() - height / 2 if height <= slot.height() else slot.y()
            # A box on its way to the slot passes over the sentence: it shows once the
            # box has gone by, never with its first letters under the box.
            if self._uncovered_from() <= x:
                for k, line in enumerate(lines):
                    painter.drawText(QPointF(x, y + k * line_h + self._fm.ascent()), line)

    def _uncovered_from(self) -> float:
        """Right edge (plus a gap) of the box sliding into the running slot; 0 if none."""
        moves, run = self._moves, self._running
        sprite = moves.running if moves is not None else None
        if sprite is None or run is None or run.key not in self._old_boxes:
            return 0.0
        x, _alpha = sprite.at(self._progress)
        return x + self._slot_rect().width() + GAP

    def _paint_box(self, painter: QPainter, box: QueueBox, rect: QRectF, alpha: float) -> None:
        if alpha <= 0.01:
            return
        fill, border, text = self._kind_style(box.kind)
        painter.setOpacity(alpha)
        if border is not None:
            painter.setPen(QPen(border, 2.0))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 6, 6)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 6, 6)
        self._paint_two_lines(painter, rect, box.title, box.detail, text)
        painter.setOpacity(1.0)

    def _paint_two_lines(
        self, painter: QPainter, rect: QRectF, title: str, detail: str, color: str
    ) -> None:
        width = rect.width() - 2 * PAD
        top = rect.y() + (rect.height() - self._fm_bold.height() - self._fm.height()) / 2
        painter.setPen(QColor(color))
        painter.setFont(self._bold)
        painter.drawText(
            QPointF(rect.x() + PAD, top + self._fm_bold.ascent()),
            self._elide(title, width, bold=True),
        )
        painter.setFont(self._font)
        painter.drawText(
            QPointF(rect.x() + PAD, top + self._fm_bold.height() + self._fm.ascent()),
            self._elide(detail, width),
        )

    def _paint_timers(self, painter: QPainter) -> None:
        pal = self._palette
        area = self._timer_rect()
        painter.setPen(QPen(QColor(pal.grid), 1.0))
        painter.drawLine(
            QPointF(area.x() - MARGIN, area.y()), QPointF(area.x() - MARGIN, area.bottom())
        )
        painter.setFont(self._caption)
        painter.setPen(QColor(pal.muted))
        painter.drawText(
            QPointF(area.x(), area.y() + self._fm_caption.ascent()), self.timer_caption()
        )
        y = area.y() + self._caption_height()
        row_h = self._row_height()
        stacked = self.timers_stacked
        for row in self._timers:
            overdue = row.left <= -DUE_NOW
            base = y + (row_h + self._fm.ascent() - self._fm.descent()) / 2
            painter.setFont(self._font)
            painter.setPen(QColor(pal.foreground))
            painter.drawText(QPointF(area.x(), base), self._timer_label(row, area.width()))
            painter.setFont(self._bold)
            time_w = self._fm_bold.horizontalAdvance(row.time_text)
            color = pal.state(SliceState.BLOCKING) if overdue else pal.foreground
            painter.setPen(QColor(color))
            if stacked:  # the time under its label
                painter.drawText(QPointF(area.x(), base + row_h), row.time_text)
                y += 2 * row_h
            else:
                painter.drawText(QPointF(area.right() - time_w, base), row.time_text)
                y += row_h

    def message_lines(self) -> tuple[str, ...]:
        """The message as painted: wrapped at words; only the last line that fits may be cut.

        It takes the queue's width, and the box's height or more, down to the margin.
        """
        left, right = self._queue_span()
        width = right - left - 4
        slot = self._slot_rect()
        room = max(slot.height(), self.height() - MARGIN - slot.y())
        max_lines = max(1, int(room // self._fm.height()))
        key = (self._message, int(width), max_lines)
        lines = self._wrapped.get(key)
        if lines is None:
            if len(self._wrapped) > 1000:
                self._wrapped.clear()
            lines = self._wrapped[key] = wrap_words(self._message, self._fm, width, max_lines)
        return lines

    def queue_caption(self, width: float | None = None) -> str:
        """The caption over the queue: the longest of its forms that fits ``width``."""
        if width is None:
            left, right = self._queue_span()
            width = right - left
        count = self._loop.ready_count if self._loop is not None else 0
        if count:
            forms = (
                f"READY QUEUE · {count} waiting · first in, first out",
                f"READY QUEUE · {count} waiting",
                f"QUEUE · {count}",
            )
        else:
            forms = ("READY QUEUE · empty", "READY QUEUE", "QUEUE")
        for text in forms:
            if self._fm_caption.horizontalAdvance(text) <= width:
                return text
        return self._elide(forms[-1], width, caption=True)

    def slot_caption(self) -> str:
        """The caption over the running slot: "RUNNING", "EVENT LOOP", "BLOCKING · 0.71 s"."""
        run = self._running
        if run is not None and run.blocking:
            return f"BLOCKING · {format_duration(run.elapsed)}"
        idle = self._loop is not None and self._loop.idle
        return "RUNNING" if run is not None or not idle else "EVENT LOOP"

    def timer_labels(self) -> list[str]:
        """The timers' labels as painted (cut with "…" only if the strip is too narrow)."""
        width = self._timer_width()
        return [self._timer_label(row, width) for row in self._timers] if width else []

    def _timer_label(self, row: TimerRow, width: float) -> str:
        if self.timers_stacked:
            return self._elide(row.label, width)
        time_w = self._fm_bold.horizontalAdvance(row.time_text)
        return self._elide(row.label, width - time_w - TIMER_GAP)

    def timer_caption(self, width: float | None = None) -> str:
        """The caption over the timers: the longest of its forms that fits ``width``.

        Whole words go first ("· soonest first", then the count), so a narrow pane
        reads "TIMERS · 1" rather than "TIMERS · 1 · soone…".
        """
        if width is None:
            width = self._timer_width()
        count = self._loop.timer_count if self._loop is not None else 0
        if not count:
            forms: tuple[str, ...] = ("TIMERS · none scheduled", "TIMERS · none")
        elif self._timer_more:
            forms = (f"TIMERS · {count} · the next {len(self._timers)}", f"TIMERS · {count}")
        else:
            forms = (f"TIMERS · {count} · soonest first", f"TIMERS · {count}")
        if self.timers_stacked:
            forms = forms[1:]
        for text in (*forms, "TIMERS"):
            if self._fm_caption.horizontalAdvance(text) <= width:
                return text
        return self._elide("TIMERS", width, caption=True)

    def _elide(self, text: str, width: float, bold: bool = False, caption: bool = False) -> str:
        key = (text, int(width), bold or caption)
        hit = self._elided.get(key)
        if hit is None:
            if len(self._elided) > 4000:
                self._elided.clear()
            fm = self._fm_caption if caption else (self._fm_bold if bold else self._fm)
            hit = self._elided[key] = fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
        return hit

    # -- hover and click ---------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self._tooltip(QPointF(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _tooltip(self, point: QPointF) -> str:
        hit = self.box_at(point)
        if isinstance(hit, QueueBox):
            waited = max(0.0, self._t - hit.enqueued)
            return (
                f"{hit.label}\n{KIND_MEANING.get(hit.kind, '')}\n"
                f"in the ready queue for {format_duration(waited)}"
            )
        if isinstance(hit, RunningBox):
            state = "blocking the event loop" if hit.blocking else "running"
            return f"{hit.label}\n{state} for {format_duration(hit.elapsed)}"
        if self._more and self._more_rect.contains(point):
            return f"{self._more} more handles wait behind these"
        return ""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.box_at(event.position())
        if hit is not None and hit.task:
            self.taskSelected.emit(hit.task)
        super().mousePressEvent(event)


class ReadyQueuePane(QWidget):
    """The dock's body: a loop selector (only with several loops) and the strip.

    ``show_state(state)`` picks the selected loop (the first one by default)
    and names, for each timer, the task its ``sleep`` will wake.
    """

    taskSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("PaneBody")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.loop_selector = QComboBox(self)
        self.loop_selector.setObjectName("LoopSelector")
        self.loop_selector.setToolTip("Which event loop's ready queue to show")
        self.loop_selector.setVisible(False)
        self.loop_selector.currentIndexChanged.connect(self._on_loop_chosen)
        self.strip = ReadyQueueStrip(self, theme)
        self.strip.taskSelected.connect(self.taskSelected)
        layout.addWidget(self.loop_selector, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.strip, 1)
        self.empty = EmptyStateOverlay(self.strip, EMPTY_TEXT)
        self._state: LoopState | None = None
        self._waiters: dict[int, str] = {}
        self._missed: dict[int, int] = {}
        self._frame = 0
        self._loop_indices: tuple[int, ...] = ()
        self._chosen: int | None = None

    def show_state(self, state: LoopState | None, animate: bool = True) -> None:
        """Show the ready queue at ``state.t`` (None: back to the empty state)."""
        self._state = state
        past_cut = state is not None and bool(state.loops) and state.summary_only
        self.empty.setText(PAST_CUT_TEXT if past_cut else EMPTY_TEXT)
        if state is None or not state.loops or past_cut:
            self._sync_selector(state.loops if past_cut else ())
            self.strip.clear()
            self.empty.setVisible(True)
            return
        self.empty.setVisible(False)
        self._sync_selector(state.loops)
        loop = self._selected(state)
        self.strip.show_loop(loop, state.t, animate, self._timer_targets(state, loop))

    def clear(self) -> None:
        self.show_state(None)

    def set_recording(self, recording: Recording | None) -> None:
        """A new run: forget what was learnt about the old one (its timers, the strip's
        measured labels), show nothing yet."""
        self._waiters.clear()
        self._missed.clear()
        self.strip.forget_texts()
        self.show_state(None)

    def set_theme(self, theme: Theme) -> None:
        self.strip.set_theme(theme)

    def select_loop(self, index: int) -> None:
        """Show loop ``index`` (a ``LoopNow.index``)."""
        self._chosen = index
        if index in self._loop_indices:
            self.loop_selector.setCurrentIndex(self._loop_indices.index(index))
        if self._state is not None:
            self.show_state(self._state, animate=False)

    def _selected(self, state: LoopState) -> LoopNow:
        return next((lp for lp in state.loops if lp.index == self._chosen), state.loops[0])

    def _sync_selector(self, loops: tuple[LoopNow, ...]) -> None:
        indices = tuple(lp.index for lp in loops)
        if indices == self._loop_indices:
            return
        self._loop_indices = indices
        self.loop_selector.blockSignals(True)
        self.loop_selector.clear()
        for lp in loops:
            self.loop_selector.addItem(lp.name, lp.index)
        if self._chosen in indices:
            self.loop_selector.setCurrentIndex(indices.index(self._chosen))
        self.loop_selector.blockSignals(False)
        self.loop_selector.setVisible(len(loops) > 1)

    def _on_loop_chosen(self, row: int) -> None:
        if 0 <= row < len(self._loop_indices):
            self.select_loop(self._loop_indices[row])

    def _timer_targets(self, state: LoopState, loop: LoopNow) -> dict[int, str]:
        """For the first timers, the task waiting on each timer's future (``sleep → Task-3``).

        A future's waiter does not change, so answers are kept; the model's
        array of awaited futures is searched only when a timer not seen before
        comes up, and only the waiters found are built.
        """
        self._frame += 1
        wanted = {timer.future for timer in loop.timers[:TARGETS] if timer.future}
        missing = {
            f
            for f in wanted - self._waiters.keys()
            if self._frame - self._missed.get(f, -RETRY) >= RETRY
        }
        if missing:
            if len(self._waiters) > 20_000:
                self._waiters.clear()
                self._missed.clear()
            awaiting = state.task_awaiting
            rows = np.flatnonzero(np.isin(awaiting, list(missing)))
            found = {}
            for r in rows.tolist():  # only the waiters, not a state per task
                task = state.task_at(r)
                found[task.awaiting] = task.name
            self._waiters.update(found)
            # Not (yet) awaited by a task: ask again a few frames later, not every frame.
            self._missed.update((f, self._frame) for f in missing - found.keys())
        return {f: self._waiters[f] for f in wanted if f in self._waiters}
