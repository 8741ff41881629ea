"""Advances against the municipality's approved invoices (fakturabelåning), when cash runs short.

A provider whose contract lets it assign its claims can borrow against an invoice the
municipality has approved and not yet paid: a financier advances a share of it at once and is
repaid, with its charge, when the municipality pays. This module decides, on the provider's
account walked without a stop, which invoices the provider finances and when:

- it looks at the account row by row; where liquidity (cash plus undrawn credit, plus the
  advances already taken) is below zero, the provider finances the oldest invoice outstanding
  then (issued on or before that day, paid after that row, not financed before), at the start
  of that day, and goes on to the next oldest until liquidity is back at zero or no invoice is
  left. So the credit line is used first, and an invoice is financed only when it is needed;
- an advance is ``advance_rate`` of the invoice's amount the provider is to receive (VAT
  included; an outcome paid to an investor is the investor's, not the provider's to assign);
- each invoice backs one advance; it is repaid on the day the municipality pays the invoice,
  right after the payment, with the charge: ``yearly_rate`` on the advance for the days it was
  outstanding (actual/365) and ``fee_per_invoice``.

The choice reads liquidity as the walk without advances left it; ``Model`` adds the advances to
the payments and walks the account again, so their effect on the credit line's interest is
exact. The rule is written once, here (plain numpy: a replication finances tens of invoices),
and ``tests/engine/test_invoice_financing.py`` checks it against an account built by hand.
"""

from __future__ import annotations

import numpy as np

from sib.engine.ledger import (
    BANK,
    CATEGORY,
    COMMISSIONER,
    FIXED_CATEGORIES,
    NO_ID,
    OUTCOME_CATEGORIES,
    PAYMENTS,
    PROVIDER,
    START_OF_DAY,
    Flows,
    Rows,
    category_mask,
    round_ore,
    round_ore_array,
)
from sib.scenario.financing import InvoiceFinancing

#: The advance comes in at the start of the day it is needed, before that day's payments.
ADVANCE_MOMENT = -5.0
#: The repayment follows the invoice's payment (moment 0) on the same day, before anything else
#: that day (late-payment interest comes at 0.5).
REPAYMENT_MOMENT = 0.1

#: What an invoice is made of: the contract's payments and the VAT on them.
INVOICED = category_mask(frozenset(FIXED_CATEGORIES | OUTCOME_CATEGORIES | {CATEGORY["output_vat"]}))


def _position(rows: Rows, day: int, phase: int, moment: float) -> int:
    """The number of rows at or before (``day``, ``phase``, ``moment``) in the order money moves."""
    lo, hi = np.searchsorted(rows.day, day, "left"), np.searchsorted(rows.day, day, "right")
    p, m = rows.phase[lo:hi], rows.moment[lo:hi]
    return int(lo + np.count_nonzero((p < phase) | ((p == phase) & (m <= moment))))


def invoice_advances(rows: Rows, liquidity: np.ndarray, invoice_days: np.ndarray, terms: InvoiceFinancing) -> Rows | None:
    """The advances, their repayments and charges, as flows between the provider and the
    financier (``BANK``), for an account walked without a stop (``rows`` in order, the
    ``liquidity`` after each); ``invoice_days[n - 1]``: the day invoice n was issued. None:
    nothing financed."""
    paid = (rows.payer == COMMISSIONER) & (rows.payee == PROVIDER) & (rows.invoice != NO_ID) & INVOICED[rows.category]
    if not paid.any() or not (liquidity < 0).any():
        return None
    at = np.flatnonzero(paid)
    invoices, first, which = np.unique(rows.invoice[at], return_index=True, return_inverse=True)
    amount = np.bincount(which, rows.amount[at]).astype(np.int64)  # öre, exact in float64
    first_row = at[first]  # where its payment comes in
    pay_day = rows.day[first_row]
    issued = invoice_days[invoices - 1]
    repaid_at = np.array([_position(rows, d, PAYMENTS, REPAYMENT_MOMENT) for d in pay_day])  # first row after the repayment
    advance = round_ore_array(terms.advance_rate * amount)
    financed = np.zeros(invoices.size, dtype=bool)
    added = np.zeros(len(rows) + 1, dtype=np.int64)  # changes in liquidity from the advances, as steps
    chosen: list[tuple[int, int, int]] = []  # (invoice index, day advanced, charge)
    k = 0
    while True:
        short = np.flatnonzero(liquidity[k:] + np.cumsum(added)[k:-1] < 0)
        if not short.size:
            break
        k += int(short[0])
        today = int(rows.day[k])
        open_ = ~financed & (issued <= today) & (first_row > k) & (advance > 0)
        if not open_.any():  # nothing to finance now: look again when the next invoice is issued
            later = ~financed & (issued > today) & (advance > 0)
            if not later.any():
                break
            k = max(k + 1, int(np.searchsorted(rows.day, issued[later].min(), "left")))
            continue
        i = int(np.flatnonzero(open_)[np.lexsort((invoices[open_], issued[open_]))[0]])
        financed[i] = True
        start = _position(rows, today, START_OF_DAY, ADVANCE_MOMENT)
        charge = _charge(terms, int(advance[i]), int(pay_day[i]) - today)
        added[start] += advance[i]
        added[repaid_at[i]] -= advance[i] + charge
        chosen.append((i, today, charge))
    if not chosen:
        return None
    flows = Flows()
    for i, today, charge in chosen:
        n, d = int(invoices[i]), int(pay_day[i])
        flows.add(today, START_OF_DAY, BANK, PROVIDER, CATEGORY["invoice_advance"], int(advance[i]), NO_ID, n, today, moment=ADVANCE_MOMENT)
        flows.add(d, PAYMENTS, PROVIDER, BANK, CATEGORY["invoice_advance_repayment"], int(advance[i]), NO_ID, n, d, moment=REPAYMENT_MOMENT)
        if charge:
            flows.add(d, PAYMENTS, PROVIDER, BANK, CATEGORY["invoice_financing_fee"], charge, NO_ID, n, d, moment=REPAYMENT_MOMENT)
    return flows.unordered()


def _charge(terms: InvoiceFinancing, advance: int, days: int) -> int:
    """The financier's charge in öre: interest on the advance for ``days`` (actual/365) and the
    fee per invoice."""
    interest = np.floor(terms.yearly_rate * advance * days / 365 + 0.5 + 1e-7)
    return int(interest) + round_ore(terms.fee_per_invoice)
