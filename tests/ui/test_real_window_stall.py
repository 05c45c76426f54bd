"""A live run under Xvfb, screenshotted from the X server in the middle of a stall.

``python -m loopviz scenarios/04_blocking_requests.py --run`` in a real X window
(``Xvfb -displayfd``, as in ``test_real_window``), with the debug hooks
``LOOPVIZ_SCREENSHOT=<png>`` and ``LOOPVIZ_SCREENSHOT_WHEN=stall`` (see
``loopviz.ui.debug_hooks``): once the blocked-loop banner has been showing, live,
for 0.3 s of the scenario's ≈1 s ``requests.get``, the app saves the window's
pixels and closes normally. If the stall ends (or the run does) before that, the
app exits with code 1 and says so on stderr, and this test fails with its words.

The picture must be the whole window, not blank, with the banner's red (it
pulses from #d32f2f to #7f1010, so any pixel with R > 120, G < 70, B < 70) as a
solid strip, and under it, in the timeline, the stall band: a tall column of
its pale-red tint across the lanes. Skipped only when ``Xvfb`` is not on PATH.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from .processes import base_env, image_stats, run_loopviz, xvfb_display

pytestmark = pytest.mark.xvfb

SCENARIO = "scenarios/04_blocking_requests.py"
RUN_TIMEOUT_S = 120  # the hook gives up after 60 s; this only catches a hung app
BANNER_PIXELS = 2000
BANNER_ROW_PIXELS = 100  # a banner row is red across most of the timeline's width
BANNER_MIN_HEIGHT = 40
BAND_MIN_COLUMNS = 4
BAND_MIN_EXTENT = 50  # px from the top lane to the bottom one; the legend swatch is ≈18


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with xvfb_display() as name:
        yield name


def rgb(path: Path) -> np.ndarray:
    """The PNG as an (height, width, 3) array of ints."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    rows = raw.reshape(height, image.bytesPerLine())[:, : width * 3]
    return rows.reshape(height, width, 3).astype(np.int32)


def longest_run(flags: np.ndarray) -> tuple[int, int]:
    """(start, stop) of the longest run of True in a 1-d array; (0, 0) if none."""
    best, start = (0, 0), None
    for i, flag in enumerate([*flags.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def banner_box(pixels: np.ndarray) -> tuple[int, int, int, int, int]:
    """(top, bottom, left, right, red pixels) of the banner: the tallest strip of red rows."""
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    red = (r > 120) & (g < 70) & (b < 70)
    top, bottom = longest_run(red.sum(axis=1) >= BANNER_ROW_PIXELS)
    strip = red[top:bottom]
    cols = np.flatnonzero(strip.sum(axis=0) > 0)
    if not len(cols):
        return 0, 0, 0, 0, 0
    return top, bottom, int(cols.min()), int(cols.max()) + 1, int(strip.sum())


def stall_band_columns(pixels: np.ndarray) -> int:
    """Widest run of columns holding the stall band's tint from the top lane to the bottom.

    The band is the stall colour at ≈30 % over the plot (light: about (242, 192, 192)),
    drawn behind the bars, so in each of its columns the tint shows between the
    bars all the way down the lanes.
    """
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    tint = (r > 200) & (r - g >= 30) & (r - g <= 90) & (np.abs(g - b) <= 12)
    extents = np.zeros(tint.shape[1], dtype=bool)
    for x in np.flatnonzero(tint.sum(axis=0) >= 10):
        ys = np.flatnonzero(tint[:, x])
        extents[x] = ys.max() - ys.min() >= BAND_MIN_EXTENT
    start, stop = longest_run(extents)
    return stop - start


def test_real_window_mid_stall_shows_banner_and_band(display: str, tmp_path: Path) -> None:
    shot = tmp_path / "stall.png"
    settings = tmp_path / "settings"
    settings.mkdir(exist_ok=True)  # the autouse fixture may have made it
    (settings / "loopviz.ini").write_text("[view]\ntheme=light\n")
    env = base_env(
        settings,
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        LOOPVIZ_SCREENSHOT=str(shot),
        LOOPVIZ_SCREENSHOT_WHEN="stall",
    )
    env.pop("WAYLAND_DISPLAY", None)
    done, left = run_loopviz(["-m", "loopviz", SCENARIO, "--run"], env, timeout=RUN_TIMEOUT_S)

    assert done.returncode == 0, f"loopviz exited with {done.returncode}; stderr:\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    assert "Fatal Python error" not in done.stderr, done.stderr
    assert left == [], "the runner and the lesson server end with the window"
    assert shot.is_file(), f"no screenshot was written; stderr:\n{done.stderr}"

    width, height, colours, spread = image_stats(shot)
    assert (width, height) == (1400, 900), "the whole window, at its default size"
    assert colours > 500, "text, syntax colours, bars and the banner, not a blank window"
    assert spread > 15

    pixels = rgb(shot)
    top, bottom, left_x, right_x, red = banner_box(pixels)
    assert red >= BANNER_PIXELS, (
        f"only {red} pixels of the banner's red (R > 120, G < 70, B < 70) in one strip: "
        "the banner is not on screen"
    )
    assert bottom - top >= BANNER_MIN_HEIGHT, f"red strip only {bottom - top} px tall"
    assert right_x - left_x >= 400, f"red strip only {right_x - left_x} px wide"

    under = pixels[bottom:, left_x:right_x]  # the timeline sits under the banner
    band = stall_band_columns(under)
    assert band >= BAND_MIN_COLUMNS, (
        f"no stall band in the timeline under the banner (widest tinted run: {band} px)"
    )
