"""``sib/engine/month_kernels.py``: the provider's cash (and liquidity) at each month's end and
at its lowest in the month, from the position after every ledger row: the monthly series
behind the cash chart and the "lowest cash" a council is shown.
"""

from __future__ import annotations

import numpy as np

from sib.engine.month_kernels import end_and_low


def _kernel(values, month, n, opening):
    end, low = end_and_low(np.array(values, dtype=np.int64), np.array(month, dtype=np.int64), n, opening)
    return end.tolist(), low.tolist()


def test_a_month_ends_where_its_last_row_left_the_cash_and_its_low_is_the_lowest_point():
    """January: 100 000 kr opening, salaries take it to 20 000, a payment brings it to 90 000."""
    assert _kernel([2_000_000, 9_000_000], [0, 0], 1, 10_000_000) == ([9_000_000], [2_000_000])


def test_the_opening_of_a_month_counts_in_its_low():
    """Cash that only rises in a month was lowest when the month opened (the previous end)."""
    end, low = _kernel([-500, 300, 800, 1_200], [0, 0, 1, 1], 2, -100)
    assert end == [300, 1_200]
    assert low == [-500, 300]  # February opens at 300, January's end, and only rises


def test_a_month_without_rows_carries_the_position_over():
    """No row in February or March: both end, and bottom out, at January's close; a month
    before the first row keeps the opening balance."""
    assert _kernel([700, 400], [1, 4], 5, 1_000) == ([1_000, 700, 700, 700, 400], [1_000, 700, 700, 700, 400])


def test_rows_past_the_last_month_count_nowhere():
    end, low = _kernel([50, -9_999, 10], [0, 2, 3], 2, 100)
    assert end == [50, 50] and low == [50, 50]


def test_no_months_asked_and_no_rows_at_all():
    assert _kernel([5], [0], 0, 0) == ([], [])
    assert _kernel([], [], 3, 42) == ([42, 42, 42], [42, 42, 42])


def test_the_compiled_pass_is_the_month_by_month_rule_written_in_plain_python():
    """3 000 rows over 40 months with gaps, as a ledger's cash column would run."""
    rng = np.random.default_rng(11)
    month = np.sort(rng.integers(0, 44, 3_000))  # some past the 40 months asked for
    month[(month >= 10) & (month <= 12)] = 13  # three months without a row
    month.sort()
    values = np.cumsum(rng.integers(-50_000, 50_000, 3_000))
    n, opening = 40, 123_456
    ends, lows, current = [], [], opening
    for m in range(n):
        mine = values[month == m].tolist()
        lows.append(min([current, *mine]))
        current = mine[-1] if mine else current
        ends.append(current)
    assert _kernel(values, month, n, opening) == (ends, lows)
