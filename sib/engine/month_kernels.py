"""Month-end and month-lowest of a position kept after each ledger row, compiled with numba
(a pass over the rows instead of a dozen array operations per series and replication)."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def end_and_low(values, month, n: int, opening: int):
    """Per month 0..n-1: the position after the month's last row (carried over a month without
    rows) and its lowest point in the month, the month's opening included. ``month`` is each
    row's month, in order; rows past month n-1 count nowhere."""
    end = np.empty(n, dtype=np.int64)
    low = np.empty(n, dtype=np.int64)
    r, current = 0, opening
    for m in range(n):
        lowest = current
        while r < values.size and month[r] == m:
            current = values[r]
            lowest = min(lowest, current)
            r += 1
        end[m] = current
        low[m] = lowest
    return end, low
