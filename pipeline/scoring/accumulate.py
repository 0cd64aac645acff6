"""Per-unit statistics added up shard by shard in compact arrays (the driver's memory stays bounded).

A run's driver keeps, for every system and metric, one row of sufficient statistics per scoring
unit (sacrebleu's counts: 10 numbers a unit for BLEU, 18 for chrF) and one segment score per bead,
until the shards are all in and the corpus scores, intervals and tests are computed.  Kept as
lists of per-shard float64 arrays and concatenated at the end, a 1M-unit job held them twice, at
8 bytes a number.  :class:`Rows` appends each shard's rows into one array that grows by doubling
(a size hint, the job's number of source segments, usually avoids any regrowth) and stores integer
statistics as int32 while every value fits (BLEU and chrF counts always do; TER's averaged
reference lengths do not, and keep float64).  The scorer converts one metric at a time back to
float64: exactly the same numbers, so every score is unchanged.
"""

from __future__ import annotations

import numpy as np

_INT32 = np.iinfo(np.int32)


def _compact(rows: np.ndarray) -> np.dtype:
    """int32 when every value is an integer int32 holds, else float64."""
    if not rows.size:
        return np.dtype(np.int32)  # nothing to hold: keeps the buffer's type
    integral = rows.dtype.kind in "iu" or (rows.dtype.kind == "f" and bool(np.isfinite(rows).all()) and bool((rows == np.round(rows)).all()))
    return np.dtype(np.int32) if integral and rows.min() >= _INT32.min and rows.max() <= _INT32.max else np.dtype(np.float64)


class Rows:
    """Rows of one statistic appended in order into one growing array (see the module docstring);
    ``float_only``: always float64 (segment scores, NaN where there is none)."""

    def __init__(self, hint: int = 0, float_only: bool = False) -> None:
        self.hint = max(0, hint)
        self.float_only = float_only
        self.n = 0
        self._buf: np.ndarray | None = None

    def extend(self, rows: np.ndarray) -> None:
        rows = np.asarray(rows, dtype=np.float64) if self.float_only else np.asarray(rows)
        dtype = np.dtype(np.float64) if self.float_only else _compact(rows)
        if self._buf is None:
            self._buf = np.empty((max(self.hint, len(rows)), *rows.shape[1:]), dtype=dtype)
        elif self._buf.dtype != dtype and dtype == np.float64:
            self._buf = self._buf.astype(np.float64)  # a value int32 cannot hold: exact from here on
        if self.n + len(rows) > len(self._buf):
            grown = np.empty((max(2 * len(self._buf), self.n + len(rows)), *self._buf.shape[1:]), dtype=self._buf.dtype)
            grown[: self.n] = self._buf[: self.n]
            self._buf = grown
        self._buf[self.n : self.n + len(rows)] = rows
        self.n += len(rows)

    def array(self) -> np.ndarray:
        """The rows so far (a view: no copy), in the compact type."""
        if self._buf is None:
            return np.empty((0,), dtype=np.float64)
        return self._buf[: self.n]


def scores_rows(scores: list[float | None]) -> np.ndarray:
    """Segment scores as float64, NaN where there is none (None)."""
    return np.array([np.nan if x is None else x for x in scores], dtype=np.float64)


def scores_list(rows: np.ndarray) -> list[float | None]:
    """The inverse of :func:`scores_rows`: the same floats, None for NaN."""
    return [None if x != x else x for x in rows.tolist()]
