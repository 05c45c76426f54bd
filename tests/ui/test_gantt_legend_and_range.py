"""The timeline in a 490-px column: one-row legend, stall caption, and the run fitted at its end."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetricsF

from loopviz.ui.gantt import GanttView, SliceState
from loopviz.ui.gantt.item import stall_caption
from loopviz.ui.gantt.legend import ALL_KINDS, BASE_KINDS, ROW_PAD
from loopviz.ui.gantt.widget import auto_range
from loopviz.ui.timeline_feed import TimelineFeed

from .test_banner_recordings import blocking_recording, live_blocking_recording

S = SliceState
NARROW = (490, 400)  # the timeline column at 1400x900


def make_view(qtbot, size=NARROW) -> GanttView:
    view = GanttView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_legend_is_one_compact_row(qtbot) -> None:
    view = make_view(qtbot)
    legend = view.legend
    line = QFontMetricsF(legend._font).height()
    assert legend.size().height() <= line + ROW_PAD + 4, "one row, not three"
    lanes_top = view.data_to_pixel(0, -0.5).y()
    assert lanes_top < line + ROW_PAD + 30, "the lanes start right under it"


def test_legend_lists_what_is_drawn(qtbot) -> None:
    view = make_view(qtbot)
    assert view.legend.kinds == BASE_KINDS, "before a run: the four task states"
    view.set_lanes([(0, "event loop", 0), (1, "main", 0)])
    view.add_slices(
        np.array([0, 1]), np.array([0.0, 0.0]), np.array([1.0, 1.0]), np.array([S.IDLE, S.WAITING])
    )
    view.set_now(1.0)
    assert view.legend.kinds == (f"state:{int(S.WAITING)}", f"state:{int(S.IDLE)}", "now")
    view.set_stalls([(0.5, None)])
    view.set_markers([(1, 1.0, "done")])
    assert "stall" in view.legend.kinds and "end:done" in view.legend.kinds


def test_a_crowded_legend_keeps_the_telling_entries_in_one_row(qtbot) -> None:
    view = make_view(qtbot)
    view.legend.set_kinds(ALL_KINDS)
    placed = view.legend.placed()
    kinds = [p.kind for p in placed]
    assert kinds[-1] == "more" and placed[-1].text == f"+{len(ALL_KINDS) - len(kinds) + 1}"
    for wanted in ("state:3", "stall", "state:0", "state:2"):  # blocking, stall, running, waiting
        assert wanted in kinds
    assert placed[-1].x + placed[-1].width <= view.legend.size().width()
    wide = view.legend.placed(2400)
    assert [p.kind for p in wide] == list(ALL_KINDS), "all of them when there is room"
    assert wide[1].text == "ready (queued)", "with their full words"


def test_stall_caption_uses_the_common_duration_format_and_is_whole(qtbot) -> None:
    assert stall_caption(0.7099) == "stall 0.71 s"
    assert stall_caption(0.05) == "stall 50.0 ms"
    view = make_view(qtbot)
    view.set_lanes([(0, "event loop", 0), (1, "main", 0)])
    view.add_slices(np.array([1]), np.array([0.0]), np.array([0.2]), np.array([S.RUNNING]))
    view.set_following(True)
    view.set_stalls([(0.2, None)])
    view.set_now(0.9)
    image = view.grab().toImage()
    # The caption's pill (stall edge colour) is there, right of the band's start...
    pill = view.data_to_pixel(0.2, 0) + QPointF(8, 0).toPoint()
    top = view.data_to_pixel(0.2, -0.5).y() + 8
    edge = view.gantt_palette.stall_edge
    row = [image.pixelColor(x, top).name() for x in range(pill.x(), view.width() - 20)]
    assert edge in row
    # ...and ends before "now": the "now" line does not run through it.
    now_x = view.data_to_pixel(0.9, 0).x()
    last = max(i for i, c in enumerate(row) if c == edge) + pill.x()
    assert last < now_x - 1


def test_feed_follows_a_live_run_with_the_growing_range(qtbot) -> None:
    view = make_view(qtbot)
    feed = TimelineFeed(view)
    rec = live_blocking_recording(0.6)
    assert rec.outcome is None
    feed.reset(rec)
    view.set_following(True)
    feed.update(0.6)
    assert view.following and view.x_range() == pytest.approx(auto_range(0.6))


def test_feed_fits_the_whole_run_when_it_ends(qtbot) -> None:
    view = make_view(qtbot)
    feed = TimelineFeed(view)
    rec = blocking_recording(1.0)
    assert rec.outcome is not None
    feed.reset(rec)
    view.set_following(True)
    feed.update(rec.duration)
    assert not view.following, "the run is over: nothing to follow"
    qtbot.waitUntil(lambda: not view.animating, timeout=3000)
    a, b = view.x_range()
    assert a <= 0.0 and rec.duration <= b <= rec.duration * 1.1
    feed.update(rec.duration)
    assert view.x_range() == (a, b), "fitted once; later frames keep it"
