"""Where the ready queue's boxes go, and how they move from one state to the next.

Pure arithmetic, no Qt: the strip (:mod:`loopviz.ui.ready_queue_pane`) measures
its boxes, asks :func:`fit_queue` where they fit, and asks :func:`plan_moves`
how to get from the boxes it shows to the new ones. Boxes are keyed by the
handle's serial, so a handle keeps its box while it moves up the queue.

The rule for animating is :func:`should_animate`: only when the states come
slowly enough for a transition to finish, and only when few boxes change — at
a live run's 30 updates a second, or when the whole queue is replaced, the
strip simply shows the newest state. Animations never queue up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DURATION = 0.15
"""Seconds a transition takes."""
MAX_CHANGES = 8
"""More boxes entering or leaving than this, and the strip snaps to the new state."""
ENTER_OFFSET = 48.0
"""Pixels to the right of its place a new box slides in from."""


@dataclass(frozen=True)
class Sprite:
    """One box in motion: from ``x0`` to ``x1`` while its opacity goes ``a0`` to ``a1``."""

    key: int
    x0: float
    x1: float
    a0: float
    a1: float

    def at(self, p: float) -> tuple[float, float]:
        """(x, opacity) at progress ``p`` in 0..1 (already eased)."""
        return self.x0 + (self.x1 - self.x0) * p, self.a0 + (self.a1 - self.a0) * p


@dataclass(frozen=True)
class Moves:
    """How the strip animates from the old boxes to the new ones."""

    queued: dict[int, Sprite]
    """Boxes in the new queue (new ones slide in from the right and fade in)."""
    leaving: dict[int, Sprite]
    """Boxes of the old queue that left it (to the running slot, or faded out)."""
    running: Sprite | None
    """The new running handle's box (from its old queue place, or faded in at the slot)."""
    old_running: Sprite | None
    """The previous running handle, moving out to the left as it fades."""


def fit_queue(
    widths: Sequence[float], total: int, left: float, right: float, gap: float, more_width: float
) -> tuple[list[float], int]:
    """x of each box that fits between ``left`` and ``right``, and how many do not.

    ``widths`` are the boxes the strip knows (the first ones of the queue);
    ``total`` is the queue's full length. When some do not fit, the last
    ``more_width`` pixels are kept for a "+N more" box.
    """
    xs: list[float] = []
    x = left
    for w in widths:
        if x + w > right:
            break
        xs.append(x)
        x += w + gap
    while len(xs) < total and xs and xs[-1] + widths[len(xs) - 1] + gap + more_width > right:
        xs.pop()
    return xs, total - len(xs)


def should_animate(
    animate: bool, since_last: float, changes: int, duration: float = DURATION
) -> bool:
    """Whether to animate: asked for, slow enough for a transition, a few boxes changing."""
    if not animate or changes == 0:
        return False
    if since_last < duration * 1.2:
        return False  # states come faster than a transition: show the newest at once
    return changes <= MAX_CHANGES


def plan_moves(
    old: Mapping[int, float],
    new: Mapping[int, float],
    still_queued: frozenset[int],
    old_running: int | None,
    new_running: int | None,
    slot_x: float,
) -> Moves:
    """Sprites for a transition; ``old``/``new`` map a visible box's key to its x.

    ``still_queued``: keys of the new queue that are hidden behind "+N more"
    (a box pushed there fades out where it is rather than flying to the slot).
    """
    queued = {
        key: Sprite(key, old[key], x, 1.0, 1.0)
        if key in old
        else Sprite(key, x + ENTER_OFFSET, x, 0.0, 1.0)
        for key, x in new.items()
    }
    leaving: dict[int, Sprite] = {}
    for key, x in old.items():
        if key in new or key == new_running:
            continue
        if key in still_queued:
            leaving[key] = Sprite(key, x, x + ENTER_OFFSET, 1.0, 0.0)
        else:
            leaving[key] = Sprite(key, x, slot_x, 1.0, 0.0)
    running = None
    if new_running is not None and new_running != old_running:
        if new_running in old:
            running = Sprite(new_running, old[new_running], slot_x, 1.0, 1.0)
        else:
            running = Sprite(new_running, slot_x, slot_x, 0.0, 1.0)
    gone = None
    if old_running is not None and old_running != new_running:
        gone = Sprite(old_running, slot_x, slot_x - ENTER_OFFSET, 1.0, 0.0)
    return Moves(queued, leaving, running, gone)


def ease_out(p: float) -> float:
    """Cubic ease-out: fast start, gentle stop."""
    p = min(1.0, max(0.0, p))
    return 1.0 - (1.0 - p) ** 3
