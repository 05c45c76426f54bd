"""The blocked-loop banner: what the class sees when ``requests.get`` freezes the loop."""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF

from loopviz.model import StallNow
from loopviz.ui.stall_banner import (
    BRIGHT,
    DARK,
    FRAME_MS,
    STILL,
    TEXT,
    StallBanner,
    wrap_phrases,
)
from loopviz.ui.theme import DARK as DARK_THEME

from .test_banner_recordings import (
    BLOCKING,
    blocking_lines,
    blocking_recording,
    live_blocking_recording,
)

LIVE = re.compile(
    r"^Event loop blocked — (\d+\.\d\d) s — requests\.get\(\.\.\.\) in main\(\) "
    r"at 04_blocking_requests\.py:(\d+)$"
)


def make_banner(qtbot, width: int = 1300) -> StallBanner:
    banner = StallBanner()
    qtbot.addWidget(banner)
    banner.resize(width, 120)
    return banner


def live_stall(at: float = 0.73) -> StallNow:
    stall = live_blocking_recording(at).state_at(at).stall
    assert stall is not None
    return stall


def counter(banner: StallBanner) -> float:
    match = LIVE.match(banner.text())
    assert match, banner.text()
    return float(match.group(1))


def contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_banner_says_how_long_which_call_and_which_line(qtbot) -> None:
    banner = make_banner(qtbot)
    banner.set_clock(lambda: 0.73)
    stall = live_stall(0.73)
    banner.show_stall(stall, 0.73)
    assert banner.is_showing and banner.isVisible() and banner.is_live
    match = LIVE.match(banner.text())
    assert match, banner.text()
    assert match.group(1) == "0.73"
    assert int(match.group(2)) == blocking_lines()["get"]
    assert banner.source_text() == "response = requests.get(url, timeout=10)"
    assert banner.inner_text() == "inside readinto() at socket.py:717"
    assert banner.accessibleDescription() == banner.text()


def test_banner_shows_at_once_and_hides_when_the_stall_ends(qtbot) -> None:
    banner = make_banner(qtbot)
    assert not banner.is_showing and banner.isHidden()
    banner.show_stall(live_stall(0.2), 0.2)
    assert banner.isVisible(), "shown synchronously, not on a later timer"
    qtbot.waitUntil(lambda: banner.frames > 0, timeout=2000)
    banner.show_stall(None, 1.01)
    assert not banner.is_showing and banner.isHidden()
    assert banner.text() == ""


def test_banner_pulses_by_itself_during_the_stall(qtbot) -> None:
    """Nothing feeds it: its own timer repaints, and the red visibly changes."""
    banner = make_banner(qtbot)
    banner.show_stall(live_stall(0.3), 0.3)
    qtbot.waitExposed(banner)
    first_phase = banner.pulse_phase()
    first = banner.grab().toImage().pixelColor(4, 4)
    start = banner.frames
    qtbot.waitUntil(lambda: banner.frames >= start + 6, timeout=5000)
    qtbot.waitUntil(lambda: abs(banner.pulse_phase() - first_phase) > 0.1, timeout=5000)
    qtbot.waitUntil(lambda: banner.grab().toImage().pixelColor(4, 4) != first, timeout=5000)
    assert FRAME_MS <= 50, "at least 20 frames per second"


def test_pulse_goes_between_red_and_dark_red(qtbot) -> None:
    banner = make_banner(qtbot)
    banner.show_stall(live_stall(0.3), 0.3)
    seen = set()

    def sample() -> bool:
        seen.add(banner.background().name())
        return len(seen) >= 5

    qtbot.waitUntil(sample, timeout=5000)
    for name in seen:
        color = QColor(name)
        assert color.red() > 2 * color.green() and color.red() > 2 * color.blue(), name
        assert DARK.red() - 2 <= color.red() <= BRIGHT.red() + 2


def test_counter_runs_between_model_updates(qtbot) -> None:
    """The model reports 0.20 s once; the banner keeps counting from the wall clock."""
    banner = make_banner(qtbot)
    banner.show_stall(live_stall(0.2), 0.2)
    assert 0.19 <= counter(banner) < 0.5
    qtbot.waitUntil(lambda: counter(banner) >= 0.35, timeout=5000)


def test_counter_follows_the_clock_the_window_gives(qtbot) -> None:
    now = [0.5]
    banner = make_banner(qtbot)
    banner.set_clock(lambda: now[0])
    banner.show_stall(live_stall(0.5), 0.5)
    assert counter(banner) == 0.50
    now[0] = 2.25
    assert counter(banner) == 2.25


def test_replay_inside_a_past_stall_shows_it_still(qtbot) -> None:
    rec = blocking_recording(1.0)
    stall = rec.state_at(0.5).stall
    assert stall is not None
    banner = make_banner(qtbot)
    banner.show_stall(stall, 0.5)
    assert banner.is_showing and not banner.is_live
    assert banner.text().startswith(
        "Event loop was blocked for 1.00 s — requests.get(...) in main()"
    )
    assert banner.pulse_phase() == 0.0
    assert banner.background() == STILL
    frames = banner.frames
    qtbot.wait(200)
    assert banner.frames - frames <= 2, "a still banner is not repainted every frame"


def test_text_is_white_on_red_and_large(qtbot) -> None:
    banner = make_banner(qtbot)
    banner.show_stall(live_stall(), 0.73)
    for background in (BRIGHT, DARK, STILL):
        assert contrast(TEXT, background) >= 4.5
    assert QFontInfo(banner._head_font).pointSizeF() >= 18
    assert banner._head_font.bold()


def test_banner_is_red_in_the_dark_theme_too(qtbot) -> None:
    banner = StallBanner(theme=DARK_THEME)
    qtbot.addWidget(banner)
    banner.resize(900, 100)
    banner.show_stall(live_stall(), 0.73, live=False)
    pixel = banner.grab().toImage().pixelColor(4, 4)
    assert pixel.red() > 150 and pixel.green() < 60


def test_narrow_banner_wraps_the_location_instead_of_losing_it(qtbot) -> None:
    wide = make_banner(qtbot, 1600)
    wide.show_stall(live_stall(), 0.73)
    narrow = make_banner(qtbot, 560)
    narrow.show_stall(live_stall(), 0.73)
    assert narrow.height() > wide.height()
    assert narrow._lines and "04_blocking_requests.py" in " ".join(narrow._lines)
    assert narrow.heightForWidth(560) == narrow.height()


def test_unknown_location_is_said_plainly(qtbot) -> None:
    banner = make_banner(qtbot)
    stall = replace(live_stall(), stall=None, where=None, innermost=None, call=None)
    banner.show_stall(stall, 0.73)
    assert banner.text().endswith("— where: not reported yet")
    assert banner.inner_text() == ""


def test_clicking_the_banner_asks_for_the_blocking_line(qtbot) -> None:
    banner = make_banner(qtbot)
    banner.show_stall(live_stall(), 0.73)
    qtbot.waitExposed(banner)
    with qtbot.waitSignal(banner.locationActivated, timeout=2000) as blocker:
        qtbot.mouseClick(banner, Qt.MouseButton.LeftButton, pos=QPoint(200, 30))
    assert blocker.args == [str(BLOCKING), blocking_lines()["get"]]


def test_counter_shows_the_frames_number_like_the_other_panes(qtbot) -> None:
    """Between frames the clock runs on a few ms; the banner keeps the frame's number."""
    now = [0.73]
    banner = make_banner(qtbot)
    banner.set_clock(lambda: now[0])
    stall = live_stall(0.73)
    banner.show_stall(stall, 0.73)
    shown = counter(banner)
    now[0] = 0.73 + 0.03  # one frame later, before the next frame arrives
    assert counter(banner) == shown, "the same number as the timeline and the source"
    now[0] = 0.73 + 0.5  # frames stopped coming: the banner counts on by itself
    assert counter(banner) > shown + 0.4


def test_narrow_banner_keeps_each_phrase_of_the_location_whole(qtbot) -> None:
    banner = make_banner(qtbot, 490)  # the timeline column at 1400x900
    banner.show_stall(live_stall(), 0.73)
    lines = banner._lines
    assert lines, "too narrow for one row"
    assert not any(line.endswith((" at", " in")) for line in lines), lines
    assert any(line.startswith("at 04_blocking_requests.py:") for line in lines) or any(
        line.startswith("in main() at ") for line in lines
    ), lines
    # The counter line fits: the headline font shrinks rather than being cut.
    first = banner.text().split(" — requests")[0]
    room = banner.width() - banner._text_left() - banner.PAD_X
    assert QFontMetricsF(banner._head_font).horizontalAdvance(first) <= room
    assert QFontInfo(banner._head_font).pointSizeF() >= 15


def test_wrap_phrases_breaks_between_phrases_only() -> None:
    font = QFont()
    font.setPointSizeF(16)
    fm = QFontMetricsF(font)
    parts = ["requests.get(...)", "in main()", "at 04_blocking_requests.py:57"]
    whole = fm.horizontalAdvance(" ".join(parts))
    tail = fm.horizontalAdvance("in main() at 04_blocking_requests.py:57")
    assert wrap_phrases(parts, fm, whole + 1, 2) == [" ".join(parts)]
    assert wrap_phrases(parts, fm, tail + 1, 2) == [
        "requests.get(...)",
        "in main() at 04_blocking_requests.py:57",
    ]
    narrow = wrap_phrases(parts, fm, tail - 20, 2)
    assert narrow == ["requests.get(...) in main()", "at 04_blocking_requests.py:57"]


def test_the_inside_line_is_readable_but_secondary(qtbot) -> None:
    banner = make_banner(qtbot)
    banner.show_stall(live_stall(), 0.73)
    small = QFontInfo(banner._small_font).pointSizeF()
    assert small >= 12, "as large as the code, for the back row"
    assert small < QFontInfo(banner._where_font).pointSizeF()
    assert not banner._small_font.bold()
