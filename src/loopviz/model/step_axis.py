"""The loop-steps time axis: every handle run one equal column, waits squeezed thin.

Why a second axis: in wall time the five ``create_task`` starts of a lesson happen
within a few microseconds and the one-second sleeps around them take the whole
width, so the moments a lecture talks about are sub-pixel. On the steps axis run
*i* covers ``[x_i, x_i + 1)`` whatever it lasted, so each is as wide as any other.

The mapping is piecewise linear through *knots*: each run's begin and end, with
the time between two runs (the loop in ``select()``, or a few microseconds of
bookkeeping) given ``GAP_STEPS`` of a column if it lasted at least
``GAP_MIN_SECONDS``, else nothing. Wall time 0 s is step 0. Times after the last
known run map to the end of it (a live run's newest instants are not columns yet).
Both directions are ``numpy.searchsorted`` on the knots, so mapping a batch of
slices costs O(n log runs).
"""

from __future__ import annotations

import numpy as np

GAP_STEPS = 0.25  # of a column, for a wait between two runs (select(), a timer)
GAP_MIN_SECONDS = 50e-6  # shorter gaps are the loop's own bookkeeping: no width


class StepAxis:
    """Maps wall seconds to loop steps and back; see the module docstring."""

    def __init__(self, begins: np.ndarray, ends: np.ndarray) -> None:
        b = np.asarray(begins, np.float64)
        e = np.asarray(ends, np.float64)
        if b.shape != e.shape:
            raise ValueError("begins and ends must have the same length")
        keep = np.isfinite(b)
        b = b[keep]
        e = np.where(np.isfinite(e[keep]), e[keep], b)  # a run still going: no length yet
        order = np.argsort(b, kind="stable")
        b, e = b[order], np.maximum(b[order], e[order])
        self.begins, self.ends = b, e
        n = len(b)
        if n == 0:
            self.wall = np.zeros(1)
            self.steps = np.zeros(1)
            self.run_x = np.zeros(0)
            return
        # Overlapping runs (nested loops) keep wall order: a run begins no earlier
        # than the previous one ended, as far as the axis is concerned.
        prev_end = np.concatenate(([min(0.0, b[0])], np.maximum.accumulate(e)[:-1]))
        b_eff = np.maximum(b, prev_end)
        e_eff = np.maximum(e, b_eff)
        gap = b_eff - prev_end
        gap_x = np.where(gap >= GAP_MIN_SECONDS, GAP_STEPS, 0.0)
        run_x = np.cumsum(gap_x) + np.arange(n, dtype=np.float64)
        self.run_x = run_x  # where each run's column starts
        wall = np.empty(2 * n + 1)
        steps = np.empty(2 * n + 1)
        wall[0], steps[0] = prev_end[0], 0.0
        wall[1::2], wall[2::2] = b_eff, e_eff
        steps[1::2], steps[2::2] = run_x, run_x + 1.0
        self.wall, self.steps = wall, steps

    @classmethod
    def empty(cls) -> StepAxis:
        return cls(np.zeros(0), np.zeros(0))

    def __len__(self) -> int:
        return len(self.begins)

    @property
    def total_steps(self) -> float:
        """The x of the end of the last run: the width of the whole recording in steps."""
        return float(self.steps[-1])

    def to_steps(self, t: np.ndarray | float) -> np.ndarray | float:
        """Wall seconds -> step x (vectorised; a float in, a float out)."""
        scalar = np.ndim(t) == 0
        x = self._map(np.asarray(t, np.float64), self.wall, self.steps)
        return float(x) if scalar else x

    def to_wall(self, x: np.ndarray | float) -> np.ndarray | float:
        """Step x -> wall seconds; inside a zero-width gap, the later instant."""
        scalar = np.ndim(x) == 0
        t = self._map(np.asarray(x, np.float64), self.steps, self.wall)
        return float(t) if scalar else t

    @staticmethod
    def _map(v: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        """Piecewise-linear ``src -> dst`` through the knots, clamped at both ends."""
        if len(src) < 2:
            return np.full(v.shape, float(dst[0]))
        i = np.clip(np.searchsorted(src, v, side="right") - 1, 0, len(src) - 2)
        s0, s1 = src[i], src[i + 1]
        d0, d1 = dst[i], dst[i + 1]
        width = s1 - s0
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.where(width > 0, (v - s0) / np.where(width > 0, width, 1.0), 1.0)
        out = d0 + np.clip(k, 0.0, 1.0) * (d1 - d0)
        out = np.where(v <= src[0], dst[0], out)
        return np.where(v >= src[-1], dst[-1], out)

    def run_index_at(self, x: float) -> int:
        """The run whose column holds step ``x`` (-1 before the first)."""
        return int(np.searchsorted(self.run_x, x, side="right")) - 1


def step_times(recording: object) -> tuple[np.ndarray, np.ndarray]:
    """The begin and end seconds of every handle run of ``recording`` (run order).

    The same numbers as ``StepIndex.of(rec).begins/.ends``; for code and tests that
    have a Recording and no step index.
    """
    runs = recording.handle_runs()  # type: ignore[attr-defined]
    ran = np.isfinite(runs["begin"])
    return np.asarray(runs["begin"][ran], np.float64), np.asarray(runs["end"][ran], np.float64)
