"""The console pane: what the scenario printed, with timestamps; errors in red.

Each line is stamped with when it was printed, in seconds since the run began
(``1.009``, small and dim in a narrow column on the left), so "Tick 1: slept
1000.2 ms" can be matched with the stall on the timeline. The stamps are painted
beside the text rather than being part of it, so a long line wraps at the pane's
edge with its continuation under the text, never under the stamp, and is never
cut: the console is narrow and each lesson's key line must show whole. stderr
is red; a traceback (whichever stream it went to) is red on a faint red band,
and its ``File "…", line N`` frames in the scenario are links that emit
:attr:`ConsoleView.locationActivated`. The run ends with one line saying how
("— main() returned after 2.00 s —"); a scenario that could not load shows its
error with the file, line and caret.

Speed: the console keeps every line as data (plain tuples in
:class:`~loopviz.model.chunked.ChunkedList` parts, so a million of them cost the garbage
collector's full collections nothing) and shows at most ``MAX_BLOCKS`` of them;
appending inserts only the new lines with one cursor in one edit block (≈3 µs a
line), and moving the replay
cursor back trims the end rather than rebuilding, so 100k lines stay responsive;
only the stamps of the lines on screen are painted. Removing lines from the top of
the document costs ~20 µs each (Qt's own ``maximumBlockCount`` included), so a
live run (:meth:`ConsoleView.follow`) works to a per-frame budget: beyond
``FRAME_LINES`` new lines, or when the top would need more trimming than that,
the document restarts with the newest ``FRAME_LINES`` lines, and once the output
pauses the earlier lines are put back above, a chunk per tick, up to ``MAX_BLOCKS``.
A whole recording shown at once (an opened file) shows its newest lines first and
keeps the earlier ones ``INDEX_SLICE`` per timer turn (:meth:`ConsoleView.indexing`
says when they all are), testing each slice in bulk: a million plain stdout lines
need no line-by-line look for tracebacks.

Before any run the empty console says what will appear in it; once a run has
started (:meth:`ConsoleView.clear`) and printed nothing yet it says "no output yet".
"""

from __future__ import annotations

import bisect
import os
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from loopviz.model import LoopState, OutputLine, Recording, RunOutcome
from loopviz.ui.console_lines import KeptLines
from loopviz.ui.fonts import CODE_POINT_SIZE, code_font
from loopviz.ui.source_markers import same_file
from loopviz.ui.theme import DARK, LIGHT, Theme
from loopviz.ui.units import format_duration

PLACEHOLDER = "The scenario's output — print(), logging, tracebacks — appears here when it runs."
RUN_PLACEHOLDER = "no output yet"
"""What an empty console says once a run has started."""
MAX_BLOCKS = 20_000
FRAME_LINES = 1_000
"""Lines a live frame inserts or trims at most (≈3 ms to insert; trimming costs ~7× more a
line, so at most ``FRAME_LINES // 7`` are trimmed): a print flood cannot freeze the window."""
BACKFILL_MS = 50
"""Tick of the refill of earlier lines after a live restart; a tick with new output skips."""
INDEX_SLICE = 25_000
"""Earlier lines of a recording shown at once that are kept per timer turn (≈15 ms)."""
INDEX_MS = 10
"""Pause between those turns, for the window to paint."""
AT_ONCE = 50_000
"""Earlier lines few enough to keep at once (≈30 ms): a small recording is whole at once."""
LOOKBACK = 500
"""Lines before a slice classified again to know whether it starts inside a traceback."""
_MARKERS = (
    "Traceback (most recent call last):",
    "(most recent call first):",
    "Fatal Python error:",
)
STAMP_SCALE = 0.85
"""The stamps' font size, relative to the text's."""
STAMP_LEFT = 4
STAMP_GAP = 8
"""Pixels left of the stamps, and between a stamp and its line's text."""
DOCUMENT_MARGIN = 4
ERROR_BAND = {False: "#fdeceb", True: "#3a1d20"}
BANDED = frozenset({"traceback", "exception", "load_error"})
KIND = 1
"""Index of the kind in a kept line's ``(t, kind, text, links)`` tuple."""
_LINKABLE = frozenset({"traceback", "stderr", "stdout", "exception"})
TRIM_COST = 7
"""Removing a line from the top of the document costs about as much as inserting 7."""
MAX_DETAIL = 160

_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')
_WARNING = re.compile(r"^(?P<file>\S+\.py):(?P<line>\d+): ")
_CHAIN = (
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
)


@dataclass(frozen=True, slots=True)
class Link:
    """A clickable ``file:line`` inside a line's text."""

    start: int
    length: int
    file: str
    line: int


class Entry(NamedTuple):
    """One console line: when, what kind (for its colour), the text and its links.

    The console keeps its lines as plain ``(t, kind, text, links)`` tuples: the cyclic
    garbage collector stops tracking an exact tuple of plain values (not a subclass's),
    and a print flood keeps a million lines. Entries are what its API hands out."""

    t: float
    kind: str
    """stdout, stderr, traceback, exception, end_ok, end_error, end_stopped, load_error."""
    text: str
    links: tuple[Link, ...] = ()


Line = tuple[float, str, str, tuple[Link, ...]]
"""A kept line: an :class:`Entry`'s fields in an exact tuple."""


def format_time(t: float) -> str:
    """A line's stamp: seconds since the run began, to the millisecond (``1.009``)."""
    return f"{t:.3f}"


def _cut(text: str, limit: int = MAX_DETAIL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(file: Any, line: Any) -> tuple[str, int] | None:
    if isinstance(file, str) and file and isinstance(line, int) and line > 0:
        return file, line
    return None


def _with_link(text: str, where: tuple[str, int] | None) -> tuple[str, tuple[Link, ...]]:
    """``text`` + " at name.py:7", the location being a link."""
    if where is None:
        return text, ()
    shown = f"{os.path.basename(where[0])}:{where[1]}"
    start = len(text) + len(" at ")
    return f"{text} at {shown}", (Link(start, len(shown), where[0], where[1]),)


def run_end_entry(outcome: RunOutcome, t: float, duration: float | None = None) -> Entry:
    """The closing line: "— main() returned after 2.00 s —", "— raised ValueError: … —"."""
    how = outcome.outcome
    exit_msg = outcome.exit or {}
    links: tuple[Link, ...] = ()
    kind = "end_error"
    if how == "returned":
        kind = "end_ok"
        after = f" after {format_duration(duration)}" if duration is not None else ""
        text = f"main() returned{after}"
    elif how == "raised" and exit_msg.get("type"):
        detail = _cut(f"{exit_msg.get('type')}: {exit_msg.get('message') or ''}".rstrip(": "))
        text, links = _with_link(
            f"raised {detail}", _where(exit_msg.get("file"), exit_msg.get("line"))
        )
    elif how == "exit":
        code = exit_msg.get("code", outcome.returncode)
        kind = "end_ok" if code in (0, None) else "end_error"
        text = f"exited with sys.exit({code})"
    elif how == "stopped":
        kind = "end_stopped"
        text = "stopped by the user"
    elif how == "load_error" and outcome.load_error:
        err = outcome.load_error
        first = str(err.get("message") or "could not load").splitlines()[0]
        text, links = _with_link(
            f"could not load: {_cut(first)}", _where(err.get("file"), err.get("line"))
        )
    else:
        if how in ("killed", "timeout"):
            kind = "end_stopped"
        text = _cut(outcome.detail.splitlines()[0] if outcome.detail else how)
    prefix = "— "
    links = tuple(Link(k.start + len(prefix), k.length, k.file, k.line) for k in links)
    return Entry(t, kind, f"{prefix}{text} —", links)


def load_error_entries(
    error: dict[str, Any], t: float = 0.0, source: str | None = None
) -> list[Entry]:
    """A LOAD_ERROR message as console lines: the error, its location (a link), the caret."""
    message = str(error.get("message") or "the scenario could not be loaded")
    lines = message.splitlines() or [message]
    out = [Entry(t, "exception", lines[0])]
    where = _where(error.get("file"), error.get("line"))
    if where is not None:
        text = f'  File "{where[0]}", line {where[1]}'
        out.append(Entry(t, "load_error", text, (Link(2, len(text) - 2, *where),)))
        if len(lines) == 1 and source:
            src = source.replace("\r\n", "\n").split("\n")
            if where[1] <= len(src):
                out.append(Entry(t, "load_error", "    " + src[where[1] - 1].strip()))
    out.extend(Entry(t, "load_error", line) for line in lines[1:])
    return out


class _Classifier:
    """Tells tracebacks apart from ordinary output, line by line, per stream."""

    def __init__(self) -> None:
        self.state: dict[str, int] = {}  # 0 plain, 1 inside a traceback, 2 just after one

    def kind(self, stream: str, text: str) -> str:
        base = "stderr" if stream == "stderr" else "stdout"
        state = self.state.get(stream, 0)
        stripped = text.strip()
        if "Traceback (most recent call last):" in text or "(most recent call first):" in text:
            self.state[stream] = 1  # Python's tracebacks, and faulthandler's crash report
            return "traceback"
        if text.startswith("Fatal Python error:"):
            self.state[stream] = 2
            return "exception"
        if state == 1:
            if text[:1] in (" ", "\t", "|", "+") or not stripped:
                return "traceback"
            self.state[stream] = 2
            return "exception"
        if state == 2:
            if not stripped or stripped in _CHAIN:
                return "traceback"
            self.state[stream] = 0
        return base


def _plain(streams: Sequence[str], texts: Sequence[str], classifier: _Classifier) -> bool:
    """Whether these lines are all plain stdout, one line each, outside any traceback.

    Why in bulk: a print flood is a million such lines, and testing each costs ~2 µs;
    one search through the joined text says none of them starts a traceback."""
    joined = "\n".join(texts)
    return (
        classifier.state.get("stdout", 0) == 0
        and joined.count("\n") == len(texts) - 1
        and all(marker not in joined for marker in _MARKERS)
        and set(streams) == {"stdout"}
    )


def _classified(
    times: Sequence[float],
    streams: Sequence[str],
    texts: Sequence[str],
    classifier: _Classifier,
    skip: int = 0,
) -> list[Line]:
    """Lines as kept tuples, the first ``skip`` only run through ``classifier`` (context)."""
    if _plain(streams, texts, classifier):
        return list(zip(times[skip:], repeat("stdout"), texts[skip:], repeat(()), strict=False))
    kind = classifier.kind
    out: list[Line] = []
    for k, (t, stream, text) in enumerate(zip(times, streams, texts, strict=True)):
        parts = text.split("\n") if "\n" in text else (text,)
        if k < skip:
            for part in parts:
                kind(stream, part)
        else:
            out.extend((t, kind(stream, part), part, ()) for part in parts)
    return out


class _StampColumn(QWidget):
    """The strip left of the text where the console paints each line's stamp."""

    def __init__(self, console: ConsoleView) -> None:
        super().__init__(console)
        self.setObjectName("ConsoleStamps")
        self.setToolTip("When each line was printed: seconds since the run began")
        self._console = console

    def sizeHint(self) -> QSize:
        return QSize(self._console.stamp_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._console._paint_stamps(self, event)


class ConsoleView(QPlainTextEdit):
    """Read-only monospace output with a time column, red errors and clickable locations."""

    locationActivated = Signal(str, int)  # file path, 1-based line

    def __init__(self, parent: QWidget | None = None, theme: Theme | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConsoleView")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        # Long lines wrap at the edge (anywhere in a long URL): a line is never cut.
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setPlaceholderText(PLACEHOLDER)
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        self.viewport().setMouseTracking(True)
        self._stamps = _StampColumn(self)
        self._stamp_font = QFont()
        self._stamp_metrics = QFontMetricsF(self._stamp_font)
        self._stamp_width = 0
        self.updateRequest.connect(self._on_update_request)
        self._theme_given = theme is not None
        self._theme = theme or LIGHT
        self._formats: dict[str, QTextCharFormat] = {}
        self._entries: KeptLines[Line] = KeptLines()
        self._keys = array("d")
        """Latest time up to each line (non-decreasing, for ``bisect``); an array, not a list
        of floats the garbage collector would walk."""
        self._lo = 0
        self._hi = 0
        self._until: float | None = None
        self._classifier = _Classifier()
        self._scenario: str | None = None
        self._fed = 0
        self._load_error_shown = False
        self._pressed_href = ""
        self._quiet = True
        """No live line was appended since the last backfill tick."""
        self._reader_scrolled = False
        """The reader has used the scroll bar since the last backfill (they may have
        scrolled up, and lines put back above must not move what they read)."""
        self.verticalScrollBar().actionTriggered.connect(self._on_scroll_action)
        self._backfill = QTimer(self)
        self._backfill.setSingleShot(True)
        self._backfill.setInterval(BACKFILL_MS)
        self._backfill.timeout.connect(self._backfill_step)
        self._indexing: tuple[Recording, int] | None = None
        """A recording whose lines before the given one are still to be kept (see
        :meth:`_index_step`): the newest are shown first, the rest follow a slice a turn."""
        self._indexer = QTimer(self)
        self._indexer.setSingleShot(True)
        self._indexer.setInterval(INDEX_MS)
        self._indexer.timeout.connect(self._index_step)
        self._build_formats()
        self.set_point_size(CODE_POINT_SIZE)

    # -- settings ---------------------------------------------------------------------

    def set_point_size(self, point_size: float) -> None:
        font = code_font(point_size)
        self.setFont(font)
        stamp = QFont(font)
        stamp.setPointSizeF(font.pointSizeF() * STAMP_SCALE)
        self._stamp_font = stamp
        self._stamp_metrics = QFontMetricsF(stamp)
        self._stamp_width = -1  # measure again
        self._sync_stamp_width()

    def set_theme(self, theme: Theme) -> None:
        """Recolour (re-renders the shown lines: their colours are baked into the text)."""
        self._theme_given = True
        self._switch_theme(theme)

    def set_scenario_path(self, path: str | os.PathLike[str] | None) -> None:
        """Only locations in this file become links (None: every traceback frame does)."""
        self._scenario = os.fspath(path) if path is not None else None

    @property
    def theme(self) -> Theme:
        return self._theme

    # -- content ----------------------------------------------------------------------

    def clear(self) -> None:
        """Forget everything: a new run starts (while it prints nothing: "no output yet")."""
        self._entries.clear()
        del self._keys[:]
        self._lo = self._hi = 0
        self._until = None
        self._fed = 0
        self._load_error_shown = False
        self._classifier = _Classifier()
        self._backfill.stop()
        self._indexing = None
        self._indexer.stop()
        self._quiet = True
        self._reader_scrolled = False
        super().clear()
        self.setPlaceholderText(RUN_PLACEHOLDER)
        self._sync_stamp_width()

    def append_lines(self, lines: Iterable[OutputLine]) -> None:
        """Add printed lines (in time order); shown at once unless replay stops earlier."""
        self._add(self._entries_of(lines))

    def _entries_of(self, lines: Iterable[OutputLine]) -> Iterable[Line]:
        kind = self._classifier.kind
        for line in lines:
            text = line.text
            if "\n" not in text:  # the usual case: no copy of the text
                yield (line.t, kind(line.stream, text), text, ())
            else:
                for part in text.split("\n"):
                    yield (line.t, kind(line.stream, part), part, ())

    def append_output(self, text: str, t: float | None = None, stream: str = "stdout") -> None:
        """Raw text (several lines at once), stamped ``t`` (default: the last line's time)."""
        when = t if t is not None else (self._keys[-1] if self._keys else 0.0)
        self.append_lines([OutputLine(when, stream, line, 0) for line in text.splitlines()])

    def show_run_end(self, outcome: RunOutcome, t: float, duration: float | None = None) -> None:
        """The closing line at ``t`` (s since the start); replaces an earlier closing line."""
        if self._entries and self._entries[-1][KIND].startswith("end_"):
            self._drop_last()
        self._add([run_end_entry(outcome, t, duration)])

    def show_load_error(
        self, error: dict[str, Any], t: float = 0.0, source: str | None = None
    ) -> None:
        """A LOAD_ERROR message: error, ``File "…", line N`` (a link) and the caret."""
        self._add(load_error_entries(error, t, source))

    def follow(self, recording: Recording, state: LoopState) -> int:
        """Live: append what was printed since the last call, up to ``state``; returns how many.

        Cheap per frame: new lines come from ``state.recent_output`` when there are
        few, from ``recording.output()`` only after a burst.
        """
        if self.placeholderText() != RUN_PLACEHOLDER:
            self.setPlaceholderText(RUN_PLACEHOLDER)  # a run is on, even if clear() was not called
        count = state.output_count
        new = count - self._fed
        if new <= 0:
            return 0
        if new <= len(state.recent_output):
            lines: Sequence[OutputLine] = state.recent_output[-new:]
        elif not self._entries and new > MAX_BLOCKS and self._indexing is None:
            self._show_newest_first(recording, count)
            self._fed = count
            return new
        else:
            lines = recording.output(self._fed, count)  # only the slice, not the whole list
        self._add(self._entries_of(lines), budget=FRAME_LINES)
        self._fed = count
        return new

    def _show_newest_first(self, recording: Recording, count: int) -> None:
        """A whole recording at once (an opened file): show its newest lines now and keep
        the earlier ones a slice per timer turn, so a million lines freeze nothing."""
        lo = count - MAX_BLOCKS
        skip = min(lo, LOOKBACK)
        times, streams, texts = recording.output_columns(lo - skip, count)
        self._add(_classified(times, streams, texts, self._classifier, skip), budget=FRAME_LINES)
        self._indexing = (recording, lo)
        if lo <= AT_ONCE:
            self._index_step(AT_ONCE)  # a few tens of thousands: all kept at once
        else:
            self._indexer.start()

    def _index_step(self, most: int = INDEX_SLICE) -> None:
        """Keep the next ``most`` earlier lines, before the kept ones (see ``_indexing``)."""
        if self._indexing is None:
            return
        recording, hi = self._indexing
        lo = max(0, hi - most)
        skip = min(lo, LOOKBACK)
        times, streams, texts = recording.output_columns(lo - skip, hi)
        classifier = _Classifier()
        if _plain(streams, texts, classifier):
            lines = list(zip(times[skip:], repeat("stdout"), texts[skip:], repeat(())))
        else:
            lines = [  # not a plain flood: as _add does
                (t, kind, text, self._links(kind, text))
                if ".py" in text and kind in _LINKABLE
                else (t, kind, text, links)
                for t, kind, text, links in _classified(times, streams, texts, classifier, skip)
            ]
        seconds = np.fromiter(map(itemgetter(0), lines), dtype=np.float64, count=len(lines))
        keys = array("d", np.maximum.accumulate(seconds).tobytes())
        self._entries.prepend(lines)
        self._keys = keys + self._keys
        self._lo += len(lines)
        self._hi += len(lines)
        self._indexing = (recording, lo) if lo > 0 else None
        if self._indexing is not None:
            self._indexer.start()
        if self._until is not None:
            self._show_range_to(self._target_hi())
        self._stamps.update()

    def indexing(self) -> bool:
        """Whether earlier lines of a recording shown at once are still being kept."""
        return self._indexing is not None

    def show_outcome(self, recording: Recording) -> bool:
        """Once the run has ended: its load error (with caret) if any, and the closing line."""
        outcome = recording.outcome
        if outcome is None:
            return False
        start = recording.start_ns

        def seconds(message: dict[str, Any] | None) -> float | None:
            t = message.get("t") if message else None
            return (t - start) / 1e9 if isinstance(t, int) and start else None

        error = outcome.load_error
        if error and not self._load_error_shown and error.get("reason") != "import":
            file = error.get("file")
            source = recording.source(file) if isinstance(file, str) else None
            self.show_load_error(error, seconds(error) or 0.0, source)
            self._load_error_shown = True  # an import error's traceback was printed already
        exited = seconds(outcome.exit)
        end = seconds(outcome.run_end) or exited or seconds(error) or recording.duration
        self.show_run_end(outcome, max(end, self._keys[-1] if self._keys else 0.0), exited)
        return True

    def show_until(self, t: float | None) -> None:
        """Replay: show only what was printed up to ``t``; None shows everything (live)."""
        self._until = t
        self._show_range_to(self._target_hi())

    # -- what tests and the window read -----------------------------------------------

    def entries(self) -> list[Entry]:
        """Every line kept, shown or not."""
        return [Entry._make(e) for e in self._entries]

    def shown_entries(self) -> list[Entry]:
        """The lines in the document, top to bottom."""
        return [Entry._make(e) for e in self._entries[self._lo : self._hi]]

    def line_count(self) -> int:
        return len(self._entries)

    def block_of(self, index: int):
        """The text block showing entry ``index`` (None if it is not shown)."""
        if not self._lo <= index < self._hi:
            return None
        return self.document().findBlockByNumber(index - self._lo)

    def text_format_at(self, block_number: int, column: int) -> QTextCharFormat:
        """The character format of one character (tests check colours)."""
        block = self.document().findBlockByNumber(block_number)
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + column + 1)
        return cursor.charFormat()

    def link_at(self, pos: QPoint) -> tuple[str, int] | None:
        """The location under a viewport point, if it is a link."""
        return _parse_href(self.anchorAt(pos))

    def stamp_text(self, block_number: int) -> str:
        """The stamp painted beside a shown line ("" for none)."""
        index = self._lo + block_number
        return format_time(self._entries[index][0]) if self._lo <= index < self._hi else ""

    def stamp_width(self) -> int:
        """Pixels of the stamp column (0 while no line is shown)."""
        return max(self._stamp_width, 0)

    def stamp_color(self) -> QColor:
        """The stamps' (dim) colour."""
        return QColor(self._theme.muted)

    def line_rects(self, block_number: int) -> list[QRectF]:
        """Where each wrapped line of a shown block sits in the viewport (tests check wrapping)."""
        block = self.document().findBlockByNumber(block_number)
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft()
        layout = block.layout()
        return [
            layout.lineAt(k).naturalTextRect().translated(top) for k in range(layout.lineCount())
        ]

    # -- internals --------------------------------------------------------------------

    def _target_hi(self) -> int:
        if self._until is None:
            return len(self._entries)
        return bisect.bisect_right(self._keys, self._until)

    def _add(self, entries: Iterable[Line], budget: int | None = None) -> None:
        """Keep ``entries`` and show them; ``budget``: a live frame's, see :data:`FRAME_LINES`."""
        last = self._keys[-1] if self._keys else float("-inf")
        keep, key = self._entries.append, self._keys.append
        for t, kind, text, links in entries:
            if not links and ".py" in text and kind in _LINKABLE:
                links = self._links(kind, text)
            keep((t, kind, text, links))  # an exact tuple: see Entry
            if t > last:
                last = t
            key(last)
        if budget is not None:
            self._quiet = False
        self._show_range_to(self._target_hi(), budget)

    def _links(self, kind: str, text: str) -> tuple[Link, ...]:
        """The scenario location in a traceback frame or warning line, as a link."""
        match = None
        if kind == "traceback":
            match = _FRAME.search(text)
        elif kind != "stdout":
            match = _WARNING.match(text) or _FRAME.search(text)
        if match is None:
            return ()
        file, line = match.group("file"), int(match.group("line"))
        if self._scenario is not None and not same_file(file, self._scenario):
            return ()
        start, end = match.span()
        if match.re is _WARNING:
            end = match.end("line")
        return (Link(start, end - start, file, line),)

    def _show_range_to(self, hi: int, budget: int | None = None) -> None:
        if hi == self._hi:
            return
        if hi > self._hi:
            limit = MAX_BLOCKS if budget is None else budget
            if hi - self._hi >= limit or (self._hi == self._lo and self._lo > 0):
                self._rebuild(hi, limit)
            else:
                self._insert(self._entries[self._hi : hi])
                self._hi = hi
                self._trim_top(budget)
                self._sync_stamp_width()
            if self._hi - self._lo < min(MAX_BLOCKS, self._hi):
                self._backfill.start()
            return
        if hi <= self._lo or (self._lo > 0 and hi - self._lo < MAX_BLOCKS // 2):
            self._rebuild(hi)
            return
        self._trim_to(hi)

    def _rebuild(self, hi: int, limit: int = MAX_BLOCKS) -> None:
        """Show the ``limit`` lines up to entry ``hi`` in a cleared document."""
        super().clear()
        self._lo = max(0, hi - limit)
        self._hi = self._lo
        self._insert(self._entries[self._lo : hi])
        self._hi = hi
        self._sync_stamp_width()

    def _trim_top(self, budget: int | None) -> None:
        """Keep at most ``MAX_BLOCKS`` lines: remove the oldest, or restart when that costs
        more than inserting anew (within ``budget`` lines' worth of work, when given)."""
        excess = self._hi - self._lo - MAX_BLOCKS
        if excess <= 0:
            return
        limit = MAX_BLOCKS if budget is None else budget
        if excess * TRIM_COST > limit:
            self._rebuild(self._hi, limit)
            return
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.movePosition(
            QTextCursor.MoveOperation.NextBlock, QTextCursor.MoveMode.KeepAnchor, excess
        )
        cursor.removeSelectedText()
        self._lo += excess

    def _backfill_step(self) -> None:
        """Put earlier lines back above the shown ones, a chunk per quiet tick (live only)."""
        want = max(0, self._hi - MAX_BLOCKS)
        if self._lo <= want or self._hi <= self._lo:
            return
        if not self._quiet:
            self._quiet = True
            self._backfill.start()
            return
        if self._reader_scrolled:
            bar = self.verticalScrollBar()
            if bar.value() < bar.maximum() - 2:
                self._backfill.start()  # look again later: they may come back to the end
                return  # the reader has scrolled up: leave what they read where it is
            self._reader_scrolled = False
        lo = max(want, self._lo - FRAME_LINES)
        self._insert_above(self._entries[lo : self._lo])
        self._lo = lo
        if lo > want:
            self._backfill.start()

    def _trim_to(self, hi: int) -> None:
        """Remove the shown lines from entry ``hi`` on (the replay cursor moved back)."""
        keep = hi - self._lo
        doc = self.document()
        cursor = QTextCursor(doc)
        if keep <= 0:
            super().clear()
        else:
            last_kept = doc.findBlockByNumber(keep - 1)
            cursor.setPosition(last_kept.position() + last_kept.length() - 1)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        self._hi = hi
        self._sync_stamp_width()

    def _insert(self, entries: Sequence[Line]) -> None:
        if not entries:
            return
        bar = self.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        empty = doc.isEmpty() and self._hi == self._lo
        plain_block, error_block = self._block_formats()
        for entry in entries:
            block = error_block if entry[KIND] in BANDED else plain_block
            if empty:
                cursor.setBlockFormat(block)
                empty = False
            else:
                cursor.insertBlock(block)
            self._write(cursor, entry)
        cursor.endEditBlock()
        if at_end:
            bar.setValue(bar.maximum())

    def _insert_above(self, entries: Sequence[Line]) -> None:
        """Insert lines before the first shown one (the document is not empty)."""
        if not entries:
            return
        plain_block, error_block = self._block_formats()

        def block_of(entry: Line) -> QTextBlockFormat:
            return error_block if entry[KIND] in BANDED else plain_block

        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        # Each inserted line splits the first block: its text stays above with its own
        # format, the rest (the next line) moves below with the next line's format.
        cursor.setBlockFormat(block_of(entries[0]))
        following = [*entries[1:], self._entries[self._lo]]
        for entry, after in zip(entries, following, strict=True):
            self._write(cursor, entry)
            cursor.insertBlock(block_of(after))
        cursor.endEditBlock()
        self._pin_to_end()
        # Laying out the lines that come into view wraps some of them, which moves the
        # end a little further: pin again once that is done (if the console still exists:
        # with ``self`` as the context, Qt drops the call when the widget is deleted).
        QTimer.singleShot(0, self, self._pin_to_end)

    def _pin_to_end(self) -> None:
        if not self._reader_scrolled:
            bar = self.verticalScrollBar()
            bar.setValue(bar.maximum())

    def _on_scroll_action(self, _action: int) -> None:
        """The reader moved the scroll bar (wheel, drag, keys): see :meth:`_backfill_step`."""
        self._reader_scrolled = True

    def _block_formats(self) -> tuple[QTextBlockFormat, QTextBlockFormat]:
        """The plain and the error-band paragraph formats."""
        error_block = QTextBlockFormat()
        error_block.setBackground(QColor(ERROR_BAND[self._theme.is_dark]))
        return QTextBlockFormat(), error_block

    def _write(self, cursor: QTextCursor, entry: Line) -> None:
        """One line's text at the cursor, in its colour, with its links."""
        _, kind, text, links = entry
        f = self._formats
        body = f.get(kind, f["stdout"])
        pos = 0
        for link in links:
            if link.start > pos:
                cursor.insertText(text[pos : link.start], body)
            cursor.insertText(
                text[link.start : link.start + link.length], self._link_format(kind, link)
            )
            pos = link.start + link.length
        if pos < len(text):
            cursor.insertText(text[pos:], body)

    # -- the stamp column -----------------------------------------------------------------

    def _sync_stamp_width(self) -> None:
        """Make the stamp column as wide as the widest stamp shown (none shown: no column)."""
        if self._hi <= self._lo:
            width = 0
        else:
            widest = format_time(max(self._keys[self._hi - 1], 0.0))
            width = round(self._stamp_metrics.horizontalAdvance(widest)) + STAMP_LEFT + STAMP_GAP
        if width == self._stamp_width:
            return
        self._stamp_width = width
        self.setViewportMargins(width, 0, 0, 0)
        self._place_stamps()

    def _place_stamps(self) -> None:
        rect = self.contentsRect()
        self._stamps.setGeometry(QRect(rect.left(), rect.top(), self.stamp_width(), rect.height()))
        self._stamps.update()

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._stamps.scroll(0, dy)
        else:
            self._stamps.update(0, rect.y(), self._stamps.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_stamps()

    def _paint_stamps(self, column: QWidget, event: QPaintEvent) -> None:
        """Each shown line's stamp, right-aligned, on the baseline of the line's first row."""
        painter = QPainter(column)
        area = event.rect()
        painter.fillRect(area, QColor(self._theme.base))
        if self._hi > self._lo:
            painter.setFont(self._stamp_font)
            painter.setPen(self.stamp_color())
            band = QColor(ERROR_BAND[self._theme.is_dark])
            right = column.width() - STAMP_GAP
            metrics = self._stamp_metrics
            block = self.firstVisibleBlock()
            top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
            while block.isValid() and top <= area.bottom():
                height = self.blockBoundingRect(block).height()
                index = self._lo + block.blockNumber()
                if index >= self._hi:
                    break
                if block.isVisible() and top + height >= area.top():
                    t, kind, _, _ = self._entries[index]
                    if kind in BANDED:
                        painter.fillRect(QRectF(0, top, column.width(), height), band)
                    line = block.layout().lineAt(0)
                    baseline = top + line.y() + line.ascent()
                    text = format_time(t)
                    painter.drawText(
                        QPointF(right - metrics.horizontalAdvance(text), baseline), text
                    )
                top += height
                block = block.next()
        painter.end()

    def _drop_last(self) -> None:
        index = len(self._entries) - 1
        if index < self._hi:
            self._trim_to(index)
        self._entries.pop()
        self._keys.pop()

    def _link_format(self, kind: str, link: Link) -> QTextCharFormat:
        fmt = QTextCharFormat(self._formats.get(kind, self._formats["stdout"]))
        fmt.setAnchor(True)
        fmt.setAnchorHref(f"{link.line}:{link.file}")
        fmt.setFontUnderline(True)
        fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setToolTip(f"Show {os.path.basename(link.file)}:{link.line} in the source")
        return fmt

    def _build_formats(self) -> None:
        t = self._theme

        def fmt(color: str, bold: bool = False) -> QTextCharFormat:
            f = QTextCharFormat()
            f.setForeground(QColor(color))
            if bold:
                f.setFontWeight(QFont.Weight.Bold)
            return f

        self._formats = {
            "stdout": fmt(t.text),
            "stderr": fmt(t.error),
            "traceback": fmt(t.error),
            "exception": fmt(t.error, bold=True),
            "load_error": fmt(t.error),
            "end_ok": fmt(t.text, bold=True),
            "end_error": fmt(t.error, bold=True),
            "end_stopped": fmt(t.warning, bold=True),
        }

    def _switch_theme(self, theme: Theme) -> None:
        if theme == self._theme and self._formats:
            return
        self._theme = theme
        self._build_formats()
        self._stamps.update()
        if self._hi > self._lo:
            hi = self._hi
            self._hi = self._lo
            super().clear()
            self._insert(self._entries[self._lo : hi])
            self._hi = hi

    def changeEvent(self, event: QEvent) -> None:
        """Follow the application's light/dark palette until the window calls set_theme."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._theme_given:
            base = self.palette().color(QPalette.ColorRole.Base)
            self._switch_theme(DARK if base.lightness() < 128 else LIGHT)

    # -- links ------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed_href = self.anchorAt(event.position().toPoint())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        href = self.anchorAt(event.position().toPoint())
        pressed, self._pressed_href = self._pressed_href, ""
        if event.button() != Qt.MouseButton.LeftButton or not href or href != pressed:
            return
        if self.textCursor().hasSelection():
            return
        where = _parse_href(href)
        if where is not None:
            self.locationActivated.emit(*where)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        over = bool(self.anchorAt(event.position().toPoint()))
        shape = Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.IBeamCursor
        if self.viewport().cursor().shape() != shape:
            self.viewport().setCursor(shape)


def _parse_href(href: str) -> tuple[str, int] | None:
    line, sep, file = href.partition(":")
    if not sep or not line.isdigit() or not file:
        return None
    return file, int(line)
