"""Give the old recording's memory back to the system when a new run replaces it.

Why: a run's recording, its states and the views' per-run caches are many
small allocations. When the next run replaces them, glibc's malloc keeps the
freed pages in its arenas for reuse, fragmented by whatever still lives
between them, so the app's resident memory creeps up run after run although
nothing is leaked (the soak, ``bench/soak.py``, measured it). ``malloc_trim(0)``
returns the free pages to the operating system; it costs under a millisecond,
so it runs once per replaced run, just after the old run is dropped, never
per frame. Elsewhere than glibc (macOS, Windows, musl) it does nothing.

Qt's pixmap cache is emptied first: the style caches every spin box it paints
under a key that holds the widget's palette, and the parameter fields are new
widgets for each scenario, so without this it filled its 10 MB with pictures of
fields long gone (heaptrack: +0.5 MB a round, nearly all of the soak's creep).
Fields still shown are painted again once, at no visible cost.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPixmapCache

SETTLE_MS = 0
"""The trim runs as soon as the window is back in its event loop: every view has switched to
the new run by then, and the new runner is still starting, so nothing animates yet. The full
``gc.collect`` is needed (an old run's runner and its pipe protocol hold each other, so its
recording is freed only by the cycle collector) and takes tens of milliseconds: never run it
mid-animation."""


def _load_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_TRIM = _load_trim()
_pending: QTimer | None = None


def trim_now() -> bool:
    """Drop cached pixmaps, collect cycles, return free heap pages to the OS.

    False where there is no way to return pages (not glibc).
    """
    QPixmapCache.clear()
    gc.collect()
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


def trim_soon(delay_ms: int = SETTLE_MS) -> None:
    """Trim once, ``delay_ms`` from now; calls before it fires share the one trim.

    Call it when a new run replaces the old recording: every pane that drops
    the old run may call it, and the trim still runs once.
    """
    global _pending
    if _pending is None:
        _pending = QTimer()
        _pending.setSingleShot(True)
        _pending.timeout.connect(trim_now)
    if not _pending.isActive():
        _pending.start(delay_ms)
