"""The insolvency test and the late-payment interest in plain Python, day by day, written from
the rule in docs/how-it-works.md §7 rather than from ``sib.engine.liquidity``: a check on the
compiled kernel, never used by sib itself.

The rule: after each row, the shortfall is what liquidity lacks of zero. A supplier bill due on
day j may be paid up to day j + grace[0], a rent up to j + grace[1]; nothing else may wait. The
insolvency is the first moment at which the shortfall is more than the bills still within
their grace — after a payment by the provider, or at the start of a day (when a bill's grace has
run out; an invoice advance's repayment, paid out of the invoice, never counts) — or at which the shortfall has lasted ``max_days`` days. Interest runs on each day's
closing shortfall and is paid when the shortfall ends (on the last row if it never does)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sib.engine.ledger import CATEGORY, PROVIDER

SUPPLIER_BILLS = {CATEGORY[n] for n in ("start_up", "overhead", "direct_costs", "intake", "input_vat")}
RENT = CATEGORY["rent"]
#: Repaid out of an invoice the financier collects: the provider cannot fail at these.
FROM_THE_INVOICE = {CATEGORY[n] for n in ("invoice_advance_repayment", "invoice_financing_fee")}


@dataclass
class Found:
    insolvent_row: int = -1
    insolvent_day: int = -1
    at_start_of_day: bool = False
    days_short: int = 0
    deepest: int = 0
    interest: list[tuple[int, int, int]] = field(default_factory=list)  # (day, row, öre)


def plain_assess(
    rows: list[tuple[int, int, int, int]], liquidity: list[int], grace: tuple[int, int], rate: float, max_days: int | None, last_day: int
) -> Found:
    """``rows``: (day, payer, category, amount) in the account's order; ``liquidity`` after each."""
    found = Found()
    bills: list[tuple[int, int, int]] = []  # (day due, grace days, amount) of every bill that may wait
    began = None  # the day the current shortfall began
    closing: dict[int, int] = {}  # each day's closing shortfall
    short = 0
    k = 0

    def may_owe(day: int, before: bool) -> int:
        return sum(a for d, g, a in bills if (d < day if before else d <= day) and day <= d + g)

    def fire(row: int, day: int, at_start: bool) -> None:
        if found.insolvent_row < 0:
            found.insolvent_row, found.insolvent_day, found.at_start_of_day = row, day, at_start

    for today in range(rows[0][0], last_day + 1) if rows else ():
        if short > 0 and (short > may_owe(today, before=True) or (max_days is not None and today - began >= max_days)):
            fire(k, today, True)
        while k < len(rows) and rows[k][0] == today:
            _, payer, category, amount = rows[k]
            if payer == PROVIDER and category in SUPPLIER_BILLS and grace[0] > 0:
                bills.append((today, grace[0], amount))
            if payer == PROVIDER and category == RENT and grace[1] > 0:
                bills.append((today, grace[1], amount))
            short = max(0, -liquidity[k])
            found.deepest = max(found.deepest, short)
            if short and began is None:
                began = today
            if (
                payer == PROVIDER
                and category not in FROM_THE_INVOICE
                and short > 0
                and (short > may_owe(today, before=False) or (max_days is not None and today - began >= max_days))
            ):
                fire(k, today, False)
            if short == 0 and began is not None:
                found.interest.append((today, k, _interest(closing, began, today, rate)))
                began = None
            k += 1
        closing[today] = short
        found.days_short += short > 0
    if began is not None:
        found.interest.append((rows[-1][0], len(rows) - 1, _interest(closing, began, last_day + 1, rate)))
    return found


def _interest(closing: dict[int, int], first: int, end: int, rate: float) -> int:
    """Interest on each day's closing shortfall from ``first`` up to (not including) ``end``."""
    return int(rate * sum(closing[d] for d in range(first, end)) / 365 + 0.5 + 1e-7)
