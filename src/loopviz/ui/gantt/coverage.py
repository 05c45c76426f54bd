"""Merge slices narrower than a pixel into per-row pixel runs, with their share of time.

Zoomed out over a million slices, most bars are thinner than a pixel; drawing
each one costs per slice but paints the same few thousand pixels. Instead each
narrow slice adds its width (in pixels) to the ``rows x columns`` cell under its
midpoint: one weighted ``bincount`` for a whole batch. The cells with a non-zero
share are what is drawn, so the output is bounded by pixels, not by slices, and a
lane has no gap where it had bars: every slice lands in a cell, however short.

The share says *how much* of a pixel the lane spent in the state; the renderer
draws pixels where it is at least ``FULL_SHARE`` at full height and the others as
a thin line, so a task that steps briefly every millisecond reads as "mostly
waiting, stepping often", not as "running all the time". (A slice that straddles
two pixels counts in one of them: an error below a pixel, by construction.)
"""

from __future__ import annotations

import numpy as np

FULL_SHARE = 0.5
_MIN_WEIGHT = 1e-6  # a zero-length slice still marks the pixel it is in


class CoverageGrid:
    """Time share of ``n_rows`` x ``n_cols`` pixel columns; add narrow slices, read runs."""

    def __init__(self, n_rows: int, n_cols: int) -> None:
        self.n_rows = max(0, int(n_rows))
        self.n_cols = max(1, int(n_cols))
        self._share = np.zeros(self.n_rows * self.n_cols)

    def add(self, rows: np.ndarray, mid: np.ndarray, width: np.ndarray) -> None:
        """Add slices on ``rows`` (0-based) centred on column ``mid``, ``width`` columns wide.

        Rows must be inside the grid; midpoints are clamped to it (a slice just off
        the edge lands in the edge column, which it partly covers).
        """
        if len(rows) == 0 or self.n_rows == 0:
            return
        col = mid.astype(np.int64)
        np.clip(col, 0, self.n_cols - 1, out=col)
        col += rows.astype(np.int64) * self.n_cols
        weight = np.maximum(width, _MIN_WEIGHT)
        self._share += np.bincount(col, weight, len(self._share))

    def share(self) -> np.ndarray:
        """``(n_rows, n_cols)``: the part of each pixel column covered by slices."""
        return self._share.reshape(self.n_rows, self.n_cols)

    def runs(self, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(row, first_col, end_col)`` of the runs of ``mask`` (default: share > 0)."""
        return mask_runs(self.share() > 0 if mask is None else mask)

    def split_runs(self, full_share: float = FULL_SHARE):
        """Runs of pixels mostly in the state, and runs of pixels only touched by it."""
        share = self.share()
        full = share >= full_share - 1e-9
        return mask_runs(full), mask_runs((share > 0) & ~full)


def mask_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(row, first_col, end_col)`` of every run of True, row by row, left to right."""
    rows, cols = mask.shape
    padded = np.zeros((rows, cols + 2), np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    start_row, start_col = np.nonzero(edges == 1)
    _end_row, end_col = np.nonzero(edges == -1)
    return start_row, start_col, end_col
