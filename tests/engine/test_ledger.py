"""The ledger's sums by party: every row counted once, for its payee and against its payer."""

from __future__ import annotations

import datetime as dt

import numpy as np
from helpers_deterministic import D, rows, run, scenario_dict

from sib.calendar import Clock
from sib.engine.ledger import CATEGORY, Ledger, Party


def _ledger(rows: list[tuple[int, Party, Party, int]]) -> Ledger:
    day, payer, payee, amount = (np.array(c, dtype=np.int64) for c in zip(*rows))
    n = len(rows)
    zeros = np.zeros(n, dtype=np.int64)
    return Ledger(
        day,
        zeros,
        np.zeros(n),
        payer,
        payee,
        np.full(n, CATEGORY["overhead"]),
        amount,
        zeros - 1,
        zeros - 1,
        day,
        clock=Clock(dt.date(2027, 1, 1), 400),
        opening_cash=1_000,
        last_month=1,
    )


def test_net_receipts_by_party_and_month_add_up_and_rows_past_the_last_month_count_nowhere():
    led = _ledger(
        [
            (3, Party.COMMISSIONER, Party.PROVIDER, 500),
            (40, Party.PROVIDER, Party.BANK, 120),
            (45, Party.BANK, Party.PROVIDER, 70),
            (80, Party.PROVIDER, Party.EXTERNAL, 9),
        ]
    )
    month = led.clock.month_of_day_array[led.day]  # 0, 1, 1, 2: the last is past month 1
    by_month = led.by_party(bins=month, n_bins=2)
    assert by_month[Party.PROVIDER].tolist() == [500, -50]
    assert by_month[Party.COMMISSIONER].tolist() == [-500, 0]
    assert by_month[Party.BANK].tolist() == [0, 50]
    assert by_month[Party.EXTERNAL].tolist() == [0, 0]  # day 80 is in March: no bin of its own
    assert by_month.sum() == 0
    assert led.by_party()[:, 0].tolist() == [-500, 441, 50, 0, 0, 0, 9]
    assert led.monthly["bank"].tolist() == [0, 50] and led.monthly["provider_cash_end"].tolist() == [1_500, 1_450]


def test_month_end_and_lowest_cash_carry_over_months_without_rows():
    """Cash opens at 1 000; January dips to 500 and ends at 900; February has no rows (ends
    and bottoms at 900); the March row lies past the ledger's last month and counts nowhere."""
    led = _ledger(
        [
            (3, Party.PROVIDER, Party.EXTERNAL, 500),
            (20, Party.COMMISSIONER, Party.PROVIDER, 400),
            (70, Party.PROVIDER, Party.EXTERNAL, 5_000),
        ]
    )
    led.last_month = 1
    monthly = led.monthly
    assert monthly["provider_cash_end"].tolist() == [900, 900]
    assert monthly["provider_cash_low"].tolist() == [500, 900]


def test_the_monthly_liquidity_opens_at_the_opening_cash_and_the_whole_credit_line():
    """One participant referred 1 Jan 2027 whose milestone is paid 30 April; no cost before it, a
    50 000 kr line, no equity. Until that first row the provider holds 0 kr and 50 000 kr of
    credit: January to April are lowest at 50 000 kr (the series once opened at its value after
    the first row, 51 234,56 kr), as the metric of the lowest liquidity says."""
    raw = scenario_dict(cohorts=(("2027-01-01", 1),), contract={"rate_card": {"m": {"price": 1234.56}}})
    raw["financing"] = {"credit_line": {"limit": 50_000, "interest_rate": 0.0}}
    rep = run(raw)
    monthly = rep.monthly_series()
    assert rows(rep)[0][0] == D("2027-04-30")
    assert list(monthly["provider_liquidity_low"][:4]) == [50_000] * 4
    assert monthly["provider_liquidity_end"][3] == 51_234.56
    assert rep.metrics["provider_min_liquidity"] == monthly["provider_liquidity_low"].min() == 50_000
