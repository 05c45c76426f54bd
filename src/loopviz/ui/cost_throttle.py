"""Run a whole-recording refresh at most a fixed share of the time.

Some answers (every task's info, every lane) cost in proportion to the whole
recording: nothing with ten tasks, most of a second with 100,000. Done every
frame, they would freeze the window while a big run grows. A
:class:`CostThrottle` waits ``ratio`` times as long as the last refresh took
before the next one is due, so a cheap refresh still runs every frame and a
costly one takes at most ``1 / (ratio + 1)`` of the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable

RATIO = 10.0


class CostThrottle:
    """``due()`` says whether to refresh now; ``ran(began)`` notes what the refresh cost."""

    def __init__(self, ratio: float = RATIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.ratio = ratio
        self.clock = clock
        self._next = float("-inf")

    def due(self, force: bool = False) -> bool:
        return force or self.clock() >= self._next

    def start(self) -> float:
        """The clock now: pass it to :meth:`ran` once the refresh is done."""
        return self.clock()

    def ran(self, began: float) -> None:
        now = self.clock()
        self._next = now + self.ratio * (now - began)

    def reset(self) -> None:
        self._next = float("-inf")
