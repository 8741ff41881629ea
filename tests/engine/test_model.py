"""``sib/engine/model.py``: one replication from referrals to the ledger, and what happens when
the provider cannot pay: the service stops that day, the estate is owed what was delivered and
reached before it, and the municipality takes the participants over. Without financing
(``finance=False``, as pricing runs it) the contract runs its course whatever the cash.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers_deterministic import D, chain, scenario_dict

from sib.engine.compiled import compile_scenario
from sib.engine.ledger import CATEGORY, EXTERNAL, NO_ID, PROVIDER, ROW_FIELDS, Rows
from sib.engine.model import Model, _key_after, _merge, _unpaid
from sib.engine.streams import Streams
from sib.engine.terms import Terms
from sib.scenario.loader import build


def _short_of_cash(days_in_a: int = 30):
    """No cash at the start and a 50 000 kr start-up bill due on 1 January 2027 that nothing pays
    for 30 days' grace: the provider is insolvent on 1 February (day 31). Two participants
    enrolled on 1 January reach milestone m after ``days_in_a`` days; 10 000 kr a month fixed,
    1 000 kr an outcome, 5 000 kr a participant to take over."""
    raw = scenario_dict(
        cohorts=[("2027-01-01", 2)],
        pathway=chain(("a", days_in_a), ("b", 1000)),
        contract={"fixed": {"monthly": 10_000}},
        provider={"opening_equity": 0, "costs": {"start_up": 50_000}},
    )
    raw["insolvency"] = {"rule": "stop", "grace_days": {"suppliers": 30}, "takeover_cost": 5_000}
    return build(raw)


def _model(sc, finance: bool = True) -> Model:
    return Model(compile_scenario(sc), Terms.of(sc), Streams(0, 0), finance=finance).run()


def _ledger(model: Model) -> list[tuple]:
    """The ledger's rows as (date, payer, payee, category, öre, participant, invoice)."""
    frame = model.ledger.frame()

    def plain(v):
        return None if pd.isna(v) else int(v)

    return [
        (r.date, str(r.payer), str(r.payee), str(r.category), int(r.amount_ore), plain(r.participant), plain(r.invoice))
        for r in frame.itertuples(index=False)
    ]


@pytest.mark.parametrize("days_in_a, outcomes_paid", [(30, 2), (31, 0)])
def test_a_milestone_reached_before_the_stop_is_owed_to_the_estate_and_one_reached_on_the_stop_day_is_not(days_in_a, outcomes_paid):
    """After 30 days the milestone is reached on 31 January, the day before the stop: verified
    on 31 March, paid to the estate on 30 April. After 31 days it would be 1 February: the
    service had ended that morning. January's fee was earned; February's was not (no day of it)."""
    model = _model(_short_of_cash(days_in_a))
    assert model.stopped_at == 31 and model.k.clock.date(31) == D("2027-02-01")
    expected = [
        (D("2027-01-01"), "provider", "external", "start_up", 5_000_000, None, None),
        (D("2027-02-01"), "external", "provider", "unpaid_at_stop", 5_000_000, None, None),  # the supplier's loss
        (D("2027-02-01"), "commissioner", "external", "takeover", 1_000_000, None, None),  # 2 × 5 000 kr
        (D("2027-03-02"), "commissioner", "provider", "fixed_monthly", 1_000_000, None, 1),
    ]
    expected += [(D("2027-04-30"), "commissioner", "provider", "outcome_payment", 100_000, p, 2) for p in range(outcomes_paid)]
    assert _ledger(model) == expected
    assert model.taken_over == 2


def test_without_financing_the_contract_runs_its_course_whatever_the_providers_cash():
    """Pricing runs the contract at expected performance: no stop, no late interest, all twelve
    monthly fees (paid 30 days after each month end) and both outcomes."""
    sc = _short_of_cash()
    model = _model(sc, finance=False)
    assert model.stopped_at is None and model.shortfall is None
    got = _ledger(model)
    categories = [r[3] for r in got]
    assert categories.count("fixed_monthly") == 12 and categories.count("outcome_payment") == 2
    assert not {"unpaid_at_stop", "takeover", "overdue_interest"} & set(categories)
    fees = [r[0] for r in got if r[3] == "fixed_monthly"]
    assert fees[0] == D("2027-03-02") and fees[-1] == D("2028-01-30")  # 31 Jan + 30 days; 31 Dec + 30 days
    # With financing, the same scenario stops on 1 February.
    assert _model(sc, finance=True).stopped_at == 31


def _rows_of(day, phase, moment, amount, payer=PROVIDER, category="overhead", accrued=None, invoice=NO_ID):
    n = len(day)

    def col(values, dtype=np.int64):
        return np.asarray(values if np.ndim(values) else [values] * n, dtype=dtype)

    return Rows(
        col(day),
        col(phase),
        col(moment, float),
        col(payer),
        col(EXTERNAL),
        col(CATEGORY[category] if isinstance(category, str) else category),
        col(amount),
        col(NO_ID),
        col(invoice),
        col(day if accrued is None else accrued),
    )


def test_merged_flows_are_in_the_order_money_moves_and_on_a_tie_the_earlier_flows_come_first():
    """By day, then phase of the day, then moment; ``a``'s rows before ``b``'s on an equal key,
    ``b`` in the order it was added even where it was not ordered."""
    a = _rows_of([0, 5, 5], [1, 1, 2], [0.0, 0.0, 0.0], [1, 2, 3])
    b = _rows_of([5, 0, 5, 5], [1, 0, 1, 1], [0.0, 0.0, -1.0, 0.0], [10, 20, 30, 40])
    merged = _merge(a, b)
    assert merged.amount.tolist() == [20, 1, 30, 2, 10, 40, 3]
    assert merged.day.tolist() == [0, 0, 5, 5, 5, 5, 5]


def test_after_a_key_means_strictly_later_in_the_order_money_moves():
    rows_ = _rows_of([9, 10, 10, 10, 10, 10, 11], [3, 0, 1, 1, 1, 2, 0], [5.0, 9.0, -1.0, 0.5, 0.6, -9.0, -9.0], [1] * 7)
    assert _key_after(rows_, (10, 1, 0.5)).tolist() == [False, False, False, False, True, True, True]


def _concat(*parts: Rows) -> Rows:
    return Rows(*(np.concatenate([getattr(p, f) for p in parts]) for f in ROW_FIELDS))


def test_bills_for_costs_before_the_stop_that_fall_due_after_it_are_left_unpaid_but_not_an_advance_repaid_from_its_invoice():
    """Stop on day 10, the walk refused from row 1 on: 300 öre of overhead accrued on day 9 and
    due on day 12 is owed and unpaid; 500 öre accrued on the stop day itself is not a cost from
    before the stop; an advance's repayment is the financier's to collect from the invoice; a
    payment to the provider is no debt of its."""
    base = _concat(
        _rows_of([5], 0, 0.0, 100, accrued=[5]),
        _rows_of([12], 0, 0.0, 300, accrued=[9]),
        _rows_of([12], 0, 0.0, 500, accrued=[10]),
        _rows_of([12], 0, 0.0, 700, category="invoice_advance_repayment", accrued=[3]),
        _rows_of([12], 0, 0.0, 900, payer=EXTERNAL, accrued=[3]),
    )
    assert _unpaid(base, 1, 10) == 300
    assert _unpaid(base, 0, 10) == 400  # refused from the first row on: the bill due on day 5 too
