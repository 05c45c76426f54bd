"""Where the stepping keys go: the model's :class:`StepIndex`, or a runs-only stand-in.

``loopviz.model.steps`` (handle runs, loop iterations, notable events) is being
written alongside this UI; until it is importable the window still steps by
handle run using :meth:`Recording.handle_runs`, and the iteration and notable
keys simply do nothing. The stand-in answers the same questions the same way.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from loopviz.model import Recording


class Steps(Protocol):
    begins: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int: ...
    def index_at(self, t: float) -> int: ...
    def next_run(self, t: float) -> float | None: ...
    def prev_run(self, t: float) -> float | None: ...
    def next_iteration(self, t: float) -> float | None: ...
    def prev_iteration(self, t: float) -> float | None: ...
    def next_notable(self, t: float) -> Any: ...
    def prev_notable(self, t: float) -> Any: ...


class RunSteps:
    """Handle runs only, from :meth:`Recording.handle_runs` (begin order)."""

    def __init__(self, rec: Recording) -> None:
        runs = rec.handle_runs()
        begun = runs[~np.isnan(runs["begin"])]
        order = np.argsort(begun["begin"], kind="stable")
        self.begins = np.asarray(begun["begin"][order], dtype=float)
        self.ends = np.asarray(begun["end"][order], dtype=float)

    def __len__(self) -> int:
        return len(self.begins)

    def index_at(self, t: float) -> int:
        return int(np.searchsorted(self.begins, t, side="right")) - 1

    def next_run(self, t: float) -> float | None:
        i = int(np.searchsorted(self.begins, t, side="right"))
        return float(self.begins[i]) if i < len(self.begins) else None

    def prev_run(self, t: float) -> float | None:
        i = int(np.searchsorted(self.begins, t, side="left")) - 1
        return float(self.begins[i]) if i >= 0 else None

    def next_iteration(self, t: float) -> float | None:
        return None

    def prev_iteration(self, t: float) -> float | None:
        return None

    def next_notable(self, t: float) -> Any:
        return None

    def prev_notable(self, t: float) -> Any:
        return None


def steps_of(rec: Recording, budget: int | None = None) -> Steps:
    """The recording's step index: the model's when it exists, else :class:`RunSteps`.

    ``budget`` bounds the handle runs taken in by this call (see ``StepIndex.of``)."""
    try:
        from loopviz.model.steps import StepIndex
    except ImportError:
        return RunSteps(rec)
    return StepIndex.of(rec, budget)
