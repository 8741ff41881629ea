"""When being short of cash is an insolvency, and what the days short cost.

A provider that cannot pay a bill on the day it falls due is not bankrupt: it pays a supplier
some days late, with late-payment interest. Swedish law calls a debtor insolvent only when
its inability to pay is *not merely temporary* (konkurslagen 1 kap. 2 §). This module reads
the provider's account walked without a stop (``Treasury.walk`` with no ``stop_from``), where
a negative liquidity (cash plus undrawn credit) is what the provider owes past due, and says:

- the **shortfall** after each row, ``max(0, -liquidity)``: bills due and not yet paid;
- what the provider **may leave unpaid**: each bill of a kind with grace days
  (``insolvency.grace_days``: suppliers, rent) for that many days after it fell due. Wages, the
  employer's fees, tax and the bank's charges have none. A provider short of cash pays the
  oldest bills first, so what it may owe at a moment is the sum of the bills of each kind that
  fell due within that kind's grace days. An advance against an invoice is repaid out of that
  invoice when the municipality pays it (``invoice_financing``): that repayment is never the
  payment the provider fails at;
- the **insolvency**: the first payment after which the shortfall is more than that sum (a bill
  is left unpaid beyond its grace, or one that cannot wait is unpaid), or after which the
  shortfall has lasted ``max_days_short`` days;
- the **cost** of the days short: late-payment interest on the shortfall, each day's closing
  shortfall at ``late_interest_rate`` (actual/365), paid when the shortfall ends (or on the
  account's last row if it never does);
- **days short** (days that end with a shortfall) and the **deepest shortfall**.

The interest is computed on the shortfall before it (interest on that interest is left out:
of the order of the rate squared). ``Model`` adds the interest to the payments and walks the
account again; the insolvency is then read from that walk. The rule is written once, here, and
``tests/plain_liquidity.py`` checks it row by row in plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from sib.engine.account_state import INT, INTS
from sib.engine.ledger import CATEGORIES, CATEGORY, PROVIDER

#: The bills that may be paid late, by kind (an index into the grace days).
SUPPLIERS, RENT = 0, 1
_KINDS = {
    SUPPLIERS: ("start_up", "overhead", "direct_costs", "intake", "input_vat"),
    RENT: ("rent",),
}


def kind_of_category() -> np.ndarray:
    """Per ledger category, the kind of bill it is (``SUPPLIERS``, ``RENT``), or -1: may not wait."""
    kinds = np.full(len(CATEGORIES), -1, dtype=np.int64)
    for kind, names in _KINDS.items():
        for name in names:
            kinds[CATEGORY[name]] = kind
    return kinds


#: Paid out of an invoice the financier collects from the municipality (``invoice_financing``):
#: never a payment the provider can fail to make.
SETTLED = -2
_SETTLED = ("invoice_advance_repayment", "invoice_financing_fee")

KIND = kind_of_category()
KIND[[CATEGORY[name] for name in _SETTLED]] = SETTLED


@dataclass(frozen=True)
class Shortfall:
    """What ``assess`` found on a walked account."""

    insolvent_row: int  # the insolvency is after this row (a payment), or before it (a day's start); -1: none
    insolvent_day: int  # the day of the insolvency (-1: none)
    at_start_of_day: bool  # True: a bill became overdue beyond its grace at the start of that day, before the row
    days_short: int  # days that ended with a shortfall
    deepest: int  # öre: the largest shortfall after any row
    days_short_before: int  # days short before the insolvency (0 if none)
    deepest_before: int  # öre: the deepest shortfall up to the insolvency (0 if none)
    interest_day: np.ndarray  # the days late-payment interest is paid (an episode's last day)
    interest_row: np.ndarray  # the row after which it is paid (the payment that ended the episode)
    interest: np.ndarray  # öre

    @property
    def insolvent(self) -> bool:
        return self.insolvent_row >= 0


def assess(
    day: np.ndarray,
    payer: np.ndarray,
    category: np.ndarray,
    amount: np.ndarray,
    liquidity: np.ndarray,
    grace: tuple[int, int],
    rate: float,
    max_days_short: int | None,
    last_day: int,
) -> Shortfall:
    """The shortfall, the insolvency and the interest on an account walked without a stop;
    ``grace``: days for (suppliers, rent); ``last_day``: the account's last day."""
    out = _k_assess(
        day,
        payer,
        category,
        amount,
        liquidity,
        KIND,
        np.array(grace, dtype=np.int64),
        float(rate),
        -1 if max_days_short is None else int(max_days_short),
        int(last_day),
    )
    row, ins_day, at_start, days_short, deepest, days_before, deepest_before, n_episodes, ep_day, ep_row, ep_interest = out
    return Shortfall(
        int(row),
        int(ins_day),
        bool(at_start),
        int(days_short),
        int(deepest),
        int(days_before),
        int(deepest_before),
        ep_day[:n_episodes],
        ep_row[:n_episodes],
        ep_interest[:n_episodes],
    )


@numba.njit((INT, INTS, INTS, INTS, INTS, INTS, INTS, INTS, INTS, INT, INT, INT, INT), cache=True)
def _k_overdue(until, day, payer, category, amount, kind_of, grace, window, oldest, k, shortfall, since, max_days_short):
    """Move the clock to the start of day ``until``: the bills whose grace ran out before it
    leave their windows, in the order their grace runs out (a bill due on day j with g days'
    grace may be paid up to day j + g). Returns the first day on which the shortfall, unchanged
    since the last row, was more than the bills still within their grace, or the shortfall
    reached ``max_days_short`` days; -1 if none."""
    fired = -1
    while True:
        best, best_kd = until + 1, -1
        for kd in range(2):
            g = grace[kd]
            if g <= 0:
                continue
            while oldest[kd] < k and (payer[oldest[kd]] != PROVIDER or kind_of[category[oldest[kd]]] != kd):
                oldest[kd] += 1
            if oldest[kd] < k:
                expiry = day[oldest[kd]] + g + 1
                if expiry < best:
                    best, best_kd = expiry, kd
        if best_kd < 0:
            break
        if fired < 0 and shortfall > 0 and max_days_short > 0 and since + max_days_short < best:
            fired = since + max_days_short
        window[best_kd] -= amount[oldest[best_kd]]
        oldest[best_kd] += 1
        if fired < 0 and shortfall > window[0] + window[1]:
            fired = best
    if fired < 0 and shortfall > 0 and max_days_short > 0 and since + max_days_short <= until:
        fired = since + max_days_short
    return fired


@numba.njit(cache=True)
def _k_assess(day, payer, category, amount, liquidity, kind_of, grace, rate, max_days_short, last_day):
    """``assess``, row by row. Each kind of bill keeps a window of the bills still within
    their grace (rows are in date order, so each window's oldest bill is the first to leave
    it: a pointer per kind)."""
    n = day.size
    window = np.zeros(2, dtype=np.int64)  # öre of each kind's bills still within their grace
    oldest = np.zeros(2, dtype=np.int64)  # per kind: the next row to leave its window
    insolvent_row, insolvent_day, at_start = -1, -1, False
    days_short = 0
    deepest = 0
    days_before = deepest_before = 0  # days short and the deepest shortfall up to the insolvency
    since = -1  # the day the current shortfall began (-1: none)
    short_days = 0.0  # öre-days of shortfall in the current episode
    ep_day = np.empty(n + 1, dtype=np.int64)
    ep_row = np.empty(n + 1, dtype=np.int64)
    ep_interest = np.empty(n + 1, dtype=np.int64)
    n_episodes = 0
    shortfall = 0  # after the previous row
    for k in range(n):
        d = day[k]
        if k > 0 and d > day[k - 1]:
            fired = _k_overdue(d, day, payer, category, amount, kind_of, grace, window, oldest, k, shortfall, since, max_days_short)
            if insolvent_row < 0 and fired >= 0:
                insolvent_row, insolvent_day, at_start = k, fired, True
                days_before, deepest_before = days_short + (fired - day[k - 1]), deepest
            if shortfall > 0:  # the days between rows end with the last shortfall
                span = d - day[k - 1]
                days_short += span
                short_days += shortfall * span
        kd = kind_of[category[k]] if payer[k] == PROVIDER else -1
        if kd >= 0 and grace[kd] > 0:
            window[kd] += amount[k]
        now = -liquidity[k] if liquidity[k] < 0 else 0
        if now > 0 and since < 0:
            since = d
        deepest = max(deepest, now)
        if (
            insolvent_row < 0
            and payer[k] == PROVIDER
            and kind_of[category[k]] != SETTLED
            and now > 0
            and (now > window[0] + window[1] or (max_days_short > 0 and d - since >= max_days_short))
        ):
            insolvent_row, insolvent_day, at_start = k, d, False
            days_before, deepest_before = days_short, deepest
        if now == 0 and since >= 0:  # the shortfall ends: the interest on it is paid now
            ep_day[n_episodes] = d
            ep_row[n_episodes] = k
            ep_interest[n_episodes] = int(np.floor(rate * short_days / 365 + 0.5 + 1e-7))
            n_episodes += 1
            since = -1
            short_days = 0.0
        shortfall = now
    if n and since >= 0:  # still short on the account's last day
        fired = _k_overdue(last_day, day, payer, category, amount, kind_of, grace, window, oldest, n, shortfall, since, max_days_short)
        if insolvent_row < 0 and fired >= 0:
            insolvent_row, insolvent_day, at_start = n, fired, True
            days_before, deepest_before = days_short + (fired - day[n - 1]), deepest
        span = last_day + 1 - day[n - 1]
        days_short += span
        short_days += shortfall * span
        ep_day[n_episodes] = day[n - 1]
        ep_row[n_episodes] = n - 1
        ep_interest[n_episodes] = int(np.floor(rate * short_days / 365 + 0.5 + 1e-7))
        n_episodes += 1
    return (
        insolvent_row,
        insolvent_day,
        at_start,
        days_short,
        deepest,
        days_before,
        deepest_before,
        n_episodes,
        ep_day,
        ep_row,
        ep_interest,
    )
