"""What the commissioner pays, and when: fixed parts, verified outcomes, caps and invoices.

A milestone reached on day d is verified after the verification lag, billed on the invoice
at the end of that invoice period, and paid ``payment_terms_days`` after the invoice. Fixed
parts accrue month by month and are billed on the invoice of the period the month ends in:
the lump sum per month of service (or, paid in advance, on an invoice that falls due on the
first day of the period), the per participant-month fee per participant-day in support (to
support's end, or to the service's end if the fee does not run with support), and the places
of a guaranteed volume left unused in the service period. A start-up grant and an upfront
payment are billed at the start. Caps apply in billing order: per participant first, then in total; milestones with
a tier or a baseline are settled once, on the whole cohort, on the invoice that bills the
last day of the outcome window: a met threshold or tier pays its participants' claims one by
one at the tier's price (their per-participant caps apply), a baseline pays one cohort line
for the outcomes above it. Day and exit claims (``day_rate``) are billed with the outcome
claims, in the same order and under the same caps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.costs import index_factor, months_until
from sib.engine.day_rate import EXIT, DayClaims
from sib.engine.ledger import (
    CATEGORY,
    COMMISSIONER,
    NO_ID,
    PAYMENTS,
    PROVIDER,
    Flows,
    int_columns,
    round_ore_array,
)
from sib.engine.streams import Streams, UniformTable
from sib.engine.terms import Terms, settle


@dataclass(frozen=True)
class Claims:
    """Outcome claims after verification: who, which rate-card item, the day it was reached."""

    person: np.ndarray
    item: np.ndarray
    reach: np.ndarray
    rejected: int

    def count(self, item: int) -> int:
        return int((self.item == item).sum())


def verify(
    compiled: Compiled, person: np.ndarray, milestone: np.ndarray, time: np.ndarray, draws: UniformTable, rejected_share: float
) -> Claims:
    """Priced milestones become claims; each is rejected with the contract's share, decided by
    the participant's own verification uniforms (claim k of participant i reads column k)."""
    item = compiled.item_of_milestone[milestone] if milestone.size else milestone
    priced = item >= 0
    person, item, reach = person[priced], item[priced], time[priced].astype(np.int64)
    rejected = 0
    if rejected_share > 0 and person.size:
        # Hits arrive ordered by person and time: the k-th claim of a person is column k.
        first = np.searchsorted(person, person, side="left")
        seq = np.arange(person.size) - first
        u = draws.take(person, seq, 1)[:, 0]
        ok = u >= rejected_share
        rejected = int((~ok).sum())
        person, item, reach = person[ok], item[ok], reach[ok]
    return Claims(person, item, reach, rejected)


def comparison_shares(k: Compiled, streams: Streams) -> np.ndarray:
    """Per rate-card item, the share of its comparison group's sample that reached the
    milestone in this replication (NaN for an item without one): the group reaches it
    binomially at its rate (drawn from its prior, if it has one, with the replication's
    other parameters), from a stream of its own, so nothing else shifts another draw."""
    items = list(k.scenario.contract.rate_card.values())
    out = np.full(len(items), np.nan)
    if any(item.comparison is not None for item in items):
        rng = np.random.Generator(np.random.PCG64(streams.comparison_seed))
        for i, item in enumerate(items):
            if item.comparison is not None:
                out[i] = rng.binomial(item.comparison.size, item.comparison.rate) / item.comparison.size
    return out


def _item_mask(items, n: int) -> np.ndarray:
    """A lookup table over rate-card items: ``mask[item]`` is whether it is one of ``items``."""
    mask = np.zeros(n, dtype=bool)
    mask[list(items)] = True
    return mask


@numba.njit(cache=True)
def _capped_by_person(person: np.ndarray, price: np.ndarray, cap: int) -> np.ndarray:
    """Each claim's payment when a participant's payments may not exceed ``cap`` in all: in
    billing order, each claim pays what is left under the cap of what its participant was paid."""
    order = np.argsort(person, kind="mergesort")  # stable: billing order within a person
    out = np.empty_like(price)
    paid = 0
    for j in range(order.size):
        k = order[j]
        if j == 0 or person[k] != person[order[j - 1]]:
            paid = 0
        pay = min(paid + price[k], cap) - min(paid, cap)
        paid += price[k]
        out[k] = pay
    return out


def commissioner_payments(  # noqa: C901 (each payment rule of the contract in turn; split next in issue 15's treasury work)
    compiled: Compiled,
    terms: Terms,
    flows: Flows,
    claims: Claims,
    participant_days: np.ndarray,
    enrolled: int,
    service_end: int | None = None,
    late_draws: UniformTable | None = None,
    fee_end: int | None = None,
    comparison: np.ndarray | None = None,
    days: DayClaims | None = None,
) -> tuple[int, np.ndarray]:
    """Add every invoice's payment to ``flows``; returns the fixed part billed (öre) and the
    day each invoice was issued (invoice n on ``invoice_days[n - 1]``).
    ``participant_days`` are the days the fee is paid for, per month index, up to ``fee_end``
    (the service's end if not given); ``comparison``: the comparison groups' shares per item
    (``comparison_shares``); ``days``: the day and exit claims (``contract.per_day``)."""
    k = compiled
    lines: list[tuple] = []  # (day, category, amount, accrued, person): scalars or arrays
    sizes: list[int] = []

    def bill(day, category, amount, accrued, person=NO_ID) -> None:
        lines.append((day, category, amount, accrued, person))
        sizes.append(np.size(amount))

    if terms.upfront:
        bill(0, CATEGORY["upfront_payment"], terms.upfront, 0)
    if terms.start_up_grant:
        bill(0, CATEGORY["start_up_grant"], terms.start_up_grant, 0)
    # Fixed parts, month by month: lump sum first (in the service period), then participant-months.
    end = k.service_end if service_end is None else service_end
    months = months_until(k, max(end, end if fee_end is None else fee_end))
    first, nxt = k.month_start[months], k.month_start[months + 1]
    last = nxt - 1
    dim = nxt - first
    sdays = np.maximum(np.minimum(nxt, end) - np.maximum(first, 0), 0)
    keep = last >= 0
    index = price_index(k, np.maximum(last, 0))
    monthly = round_ore_array(terms.monthly * sdays / dim * index)
    fee_days = participant_days[months]
    ppm = round_ore_array(terms.per_participant_month * fee_days / dim * index)
    # Month by month: lump sum, participant-months, unused places.
    amounts = [monthly[keep], ppm[keep], _unused_places(k, terms, fee_days, sdays, dim, index)[keep]]
    cats = [CATEGORY[c] for c in ("fixed_monthly", "fixed_participant_months", "unused_places")]
    billed_on = k.invoice_day[last[keep]]
    on_days = [_advance_day(k, np.maximum(first[keep], 0)) if k.scenario.contract.fixed.in_advance else billed_on, billed_on, billed_on]
    n = len(amounts)
    pair_amount = np.empty(n * int(keep.sum()), dtype=np.int64)
    pair_cat = np.empty(pair_amount.size, dtype=np.int64)
    pair_day = np.empty(pair_amount.size, dtype=np.int64)
    for j in range(n):
        pair_amount[j::n], pair_cat[j::n], pair_day[j::n] = amounts[j], cats[j], on_days[j]
    pair_last = np.repeat(last[keep], n)
    if pair_amount.size:
        bill(pair_day, pair_cat, pair_amount, pair_last)
    fixed_billed = int(pair_amount.sum()) + terms.upfront + terms.start_up_grant
    # Outcome claims, in billing order: invoice, then day reached, participant, item. A tier
    # (threshold) that the cohort met pays its claims one by one on the settling invoice, so
    # per-participant caps apply to them too; a baseline pays one cohort line (no participant).
    settle_day = k.settle_invoice_day
    rate_card = k.scenario.contract.rate_card
    seen = lambda it: float(comparison[it]) if comparison is not None else np.nan  # noqa: E731
    tier_price = {}  # price per claim of each tier the cohort reached
    for it in k.settled_items - k.pooled_items:
        units, unit_price = settle(rate_card[k.rate_names[it]], terms.schedules[it], claims.count(it), enrolled, seen(it))
        if units:
            tier_price[it] = unit_price
    if k.settled_items:
        individual = ~_item_mask(k.settled_items, len(terms.prices))[claims.item]
        keep = individual | _item_mask(list(tier_price), len(terms.prices))[claims.item]
        person, item, reach = claims.person[keep], claims.item[keep], claims.reach[keep]
        alone = individual[keep]
        invoice = np.where(alone, k.bill_day[reach], settle_day) if reach.size else reach
    else:  # every claim is billed on its own, on the invoice of the period it was verified in
        person, item, reach = claims.person, claims.item, claims.reach
        alone = np.ones(person.size, dtype=bool)
        invoice = k.bill_day[reach]
    if k.settled_items or not person.size:
        order = np.lexsort((item, person, reach, invoice))
    else:  # the invoice follows the day reached, so one integer key sorts the same (and faster)
        n_items = len(terms.prices)
        order = np.argsort((reach * (int(person.max()) + 1) + person) * n_items + item, kind="stable")
    person, item, reach, invoice, alone = person[order], item[order], reach[order], invoice[order], alone[order]
    prices = np.array([tier_price.get(it, p) for it, p in enumerate(terms.prices)], dtype=np.int64)
    price = prices[item] if item.size else np.zeros(0, dtype=np.int64)
    if k.scenario.contract.indexation and price.size:  # the price list of the year the outcome was reached
        price = round_ore_array(price * price_index(k, reach))
    category = np.where(alone, CATEGORY["outcome_payment"], CATEGORY["cohort_outcome_payment"])
    if days is not None and len(days):  # day and exit claims join the outcome claims in billing order
        d_price = round_ore_array(days.weight * terms.outcome_factor * price_index(k, days.reach))
        d_cat = np.where(days.kind == EXIT, CATEGORY["exit_payment"], CATEGORY["day_payment"])
        person, reach = np.concatenate([person, days.person]), np.concatenate([reach, days.reach])
        invoice = np.concatenate([invoice, k.bill_day[days.reach]])
        price, category = np.concatenate([price, d_price]), np.concatenate([category, d_cat])
        order = np.lexsort((person, reach, invoice))  # stable: an outcome claim before a day claim on ties
        person, reach, invoice, price, category = person[order], reach[order], invoice[order], price[order], category[order]
    if terms.cap_per_participant is not None and price.size:
        price = _capped_by_person(person, price, terms.cap_per_participant)
    pooled = [
        units * unit_price
        for units, unit_price in (
            settle(rate_card[k.rate_names[it]], terms.schedules[it], claims.count(it), enrolled, seen(it)) for it in sorted(k.pooled_items)
        )
    ]
    s_amount = np.array([a for a in pooled if a > 0], dtype=np.int64)
    if k.scenario.contract.indexation and s_amount.size:  # settled on the window's last day's price list
        s_amount = round_ore_array(s_amount * price_index(k, np.array([k.window_end - 1]))[0])
    all_amount = np.concatenate([price, s_amount])
    if terms.cap_total is not None and all_amount.size:
        cum = np.minimum(np.cumsum(all_amount), terms.cap_total)
        all_amount = np.diff(np.concatenate([[0], cum]))
    price, s_amount = all_amount[: price.size], all_amount[price.size :]
    bill(invoice, category, price, reach, person)
    bill(settle_day, CATEGORY["cohort_outcome_payment"], s_amount, k.window_end - 1)
    # Invoices: all lines billed on one day form one invoice, numbered in date order.
    day, cat, amount, accrued, who = int_columns(lines, sizes, list(range(5)))
    billed = amount > 0
    day, amount, cat, accrued, who = day[billed], amount[billed], cat[billed], accrued[billed], who[billed]
    order = np.argsort(day, kind="stable")
    day, amount, cat, accrued, who = day[order], amount[order], cat[order], accrued[order], who[order]
    new_invoice = np.empty(day.size, dtype=bool)  # ``day`` is sorted: an invoice starts where it changes
    new_invoice[:1] = True
    np.not_equal(day[1:], day[:-1], out=new_invoice[1:])
    invoice_days = day[new_invoice]
    number = np.cumsum(new_invoice)
    due = invoice_days + k.scenario.contract.payment_terms_days
    late = _late_days(k, len(invoice_days), late_draws)
    pay = (due + late)[number - 1]
    flows.add(pay, PAYMENTS, COMMISSIONER, PROVIDER, cat, amount, who, number, accrued)
    lp = k.scenario.contract.late_payment
    if lp is not None and lp.interest_claimed and late.any():
        # Interest under räntelagen: reference rate + 8 points, actual/365, paid with the invoice.
        totals = np.bincount(number - 1, amount, minlength=len(invoice_days))
        interest = round_ore_array(totals * (lp.reference_rate + 0.08) * late / 365)
        late_ones = (late > 0) & (interest > 0)
        flows.add(
            (due + late)[late_ones],
            PAYMENTS,
            COMMISSIONER,
            PROVIDER,
            CATEGORY["late_payment_interest"],
            interest[late_ones],
            NO_ID,
            np.flatnonzero(late_ones) + 1,
            (due + late)[late_ones],
            moment=0.5,
        )
    return fixed_billed, invoice_days


def _unused_places(
    k: Compiled, terms: Terms, fee_days: np.ndarray, service_days: np.ndarray, dim: np.ndarray, index: np.ndarray
) -> np.ndarray:
    """Per month, öre paid for the places of a guaranteed volume left unused: the days short of
    places × the month's service days, at the volume's share of the per participant-month fee."""
    volume = k.scenario.contract.fixed.minimum_volume
    if volume is None or not terms.per_participant_month:
        return np.zeros(fee_days.size, dtype=np.int64)
    short = np.maximum(volume.places * service_days - fee_days, 0)
    return round_ore_array(terms.per_participant_month * volume.share_of_fee * short / dim * index)


def _advance_day(k: Compiled, first: np.ndarray) -> np.ndarray:
    """The invoice day of a sum paid in advance for the month starting on ``first``: so that it
    falls due on the first day of the invoice period the month is in (not before the start)."""
    period_start = np.searchsorted(k.invoice_day, k.invoice_day[first], side="left")
    return np.maximum(period_start - k.scenario.contract.payment_terms_days, 0)


def price_index(k: Compiled, days: np.ndarray) -> np.ndarray:
    """The contract's price index on each day: (1 + ``contract.indexation``) to the number of
    1 Januaries since the start (the price list in force that day)."""
    return index_factor(k, k.scenario.contract.indexation, days)


MAX_LATE_DAYS = 365


def _late_days(k: Compiled, invoices: int, draws: UniformTable | None) -> np.ndarray:
    """Days each invoice is paid after its due date: invoice n reads row n - 1 of its table
    (whether it is late, then how late), so invoice n's fate does not depend on the others."""
    lp = k.scenario.contract.late_payment
    if lp is None or draws is None or not invoices:
        return np.zeros(invoices, dtype=np.int64)
    rows = np.arange(invoices)
    u = draws.take(rows, np.zeros(invoices, dtype=np.int64), 2)
    delay = np.ceil(lp.delay.sampler()(u[:, 1])).astype(np.int64)
    delay = np.minimum(delay, MAX_LATE_DAYS)  # the simulated horizon allows a year
    return np.where(u[:, 0] < lp.share, delay, 0)
