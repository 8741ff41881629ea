"""VAT on the provider's purchases and invoices, and the municipality's compensation.

Purchases that carry VAT (overhead, direct costs, intake, start-up; not salaries or fees)
pay it to the state through the supplier. An exempt provider (social care) cannot deduct it,
so it is a cost; the municipality that buys exempt care from a private provider gets 6 % of
the price back from the state. A taxable provider adds VAT to its invoices and settles the
difference with the state on the 12th of the second month after (a refund if it paid more);
the municipality gets the VAT it paid back from the state (lag 2005:807).

A grant (an IOP) is not the price of a supply, so a taxable provider adds no VAT to it, and the
grant-funded work, a part of its business with no taxed sales, cannot deduct the VAT on its
purchases (Skatteverket, Avdragsrätt i bidragsfinansierad verksamhet): for the contract's
flows it is then as if exempt.
"""

from __future__ import annotations

import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.ledger import (
    CATEGORY,
    COMMISSIONER,
    FIXED_CATEGORIES,
    NO_ID,
    OUTCOME_CATEGORIES,
    PROVIDER,
    START_OF_DAY,
    STATE,
    Flows,
    Rows,
    category_mask,
    round_ore_array,
)

#: The provider's cost categories that may carry VAT, by the cost line they come from.
TAXED_LINES = {"overhead": "fixed_per_month", "direct_costs": "per_participant_month", "intake": "per_intake", "start_up": "start_up"}
TAXED_COSTS = category_mask(frozenset(CATEGORY[c] for c in TAXED_LINES))
COMPENSATION_RATE = 0.06  # lag 2005:807, the main rule
CONTRACT_CATEGORIES = category_mask(FIXED_CATEGORIES | OUTCOME_CATEGORIES)


def vat_flows(compiled: Compiled, rows: Rows, costs: bool) -> Flows:
    """The VAT that goes with ``rows`` (the contract's payments and, with ``costs``, costs)."""
    flows = Flows()
    vat = compiled.scenario.provider.vat
    if vat is None:
        return flows
    if costs:
        taxed = TAXED_COSTS[rows.category] & (rows.payer == PROVIDER)
        input_vat = round_ore_array(rows.amount[taxed] * (vat.rate * _taxed_share(vat))[rows.category[taxed]])
        flows.add(
            rows.day[taxed],
            rows.phase[taxed],
            PROVIDER,
            STATE,
            CATEGORY["input_vat"],
            input_vat,
            rows.participant[taxed],
            NO_ID,
            rows.accrued[taxed],
            moment=rows.moment[taxed],
        )
    contract = (rows.payer == COMMISSIONER) & (rows.payee == PROVIDER)
    contract &= CONTRACT_CATEGORIES[rows.category]
    if not compiled.scenario.files_vat_returns:
        if vat.compensation and contract.any():
            # One compensation per invoice payment: 6 % of what was paid on it that day.
            day, phase, moment, invoice = rows.day[contract], rows.phase[contract], rows.moment[contract], rows.invoice[contract]
            first = np.empty(day.size, dtype=bool)
            first[0] = True
            first[1:] = (invoice[1:] != invoice[:-1]) | (day[1:] != day[:-1])
            starts = np.flatnonzero(first)
            paid = np.add.reduceat(rows.amount[contract], starts)
            flows.add(
                day[starts],
                phase[starts],
                STATE,
                COMMISSIONER,
                CATEGORY["vat_compensation"],
                round_ore_array(paid * COMPENSATION_RATE),
                NO_ID,
                NO_ID,
                day[starts],
                moment=moment[starts] + 0.25,
            )
        return flows
    output_vat = round_ore_array(rows.amount[contract] * vat.rate)
    flows.add(
        rows.day[contract],
        rows.phase[contract],
        COMMISSIONER,
        PROVIDER,
        CATEGORY["output_vat"],
        output_vat,
        rows.participant[contract],
        rows.invoice[contract],
        rows.accrued[contract],
        moment=rows.moment[contract],
    )
    if vat.compensation:
        # A municipality gets back the VAT it pays on purchases for its own (non-taxable) work
        # through the compensation system (lag 2005:807): the VAT is not a cost to it.
        flows.add(
            rows.day[contract],
            rows.phase[contract],
            STATE,
            COMMISSIONER,
            CATEGORY["vat_compensation"],
            output_vat,
            NO_ID,
            NO_ID,
            rows.day[contract],
            moment=rows.moment[contract] + 0.25,
        )
    if costs:
        _returns(compiled, flows, rows.day[contract], output_vat, rows.day[taxed], input_vat)
    return flows


def _taxed_share(vat) -> np.ndarray:
    """The share of each ledger category that carries VAT, indexed by category."""
    share = np.zeros(len(CATEGORY))
    for category, line in TAXED_LINES.items():
        share[CATEGORY[category]] = getattr(vat.taxed_shares, line)
    return share


def _returns(compiled: Compiled, flows: Flows, out_day, out_vat, in_day, in_vat) -> None:
    """Monthly VAT returns: output less input VAT of a month, settled on the 12th of the month
    after next (paid to the state, or refunded by it)."""
    month_of_day = compiled.clock.month_of_day_array
    n = compiled.last_month + 1
    net = np.bincount(month_of_day[out_day], out_vat, minlength=n)[:n] - np.bincount(month_of_day[in_day], in_vat, minlength=n)[:n]
    net = net.astype(np.int64)
    months = np.flatnonzero(net)
    day = compiled.month_start[np.minimum(months + 2, len(compiled.month_start) - 1)] + 11
    pay, refund = net[months] > 0, net[months] < 0
    month_end = compiled.month_start[np.minimum(months + 1, len(compiled.month_start) - 1)] - 1  # what they accrue to
    flows.add(day[pay], START_OF_DAY, PROVIDER, STATE, CATEGORY["vat_payment"], net[months][pay], accrued=month_end[pay])
    flows.add(day[refund], START_OF_DAY, STATE, PROVIDER, CATEGORY["vat_refund"], -net[months][refund], accrued=month_end[refund])
