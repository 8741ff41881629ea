"""The municipality's own costs of the contract (``sib/engine/administration.py``), row by row.

A user relies on it for what procuring, managing and evaluating an outcome contract costs the
municipality besides its payments: the set-up on the first day, the yearly management cost
month by month over the service period and the outcome tail (pro rata for part months,
indexed with wages each 1 January), and the final evaluation on the invoice that settles the
cohort — all paid by the municipality to outsiders.
"""

from __future__ import annotations

import pytest
from helpers_deterministic import D, scenario_dict

from sib.engine.administration import commissioner_costs
from sib.engine.compiled import compile_scenario
from sib.engine.ledger import CATEGORY, END_OF_DAY, PARTIES, START_OF_DAY, Flows
from sib.scenario.loader import build

NAME = {code: name for name, code in CATEGORY.items()}


def _rows(costs, start="2027-01-15", **contract):
    """The rows for a contract from ``start``: 12 months' service and a 12-month tail, outcomes
    verified in 10 days; wages rise 3 % a year. (date, phase, payer, payee, category, öre)."""
    raw = scenario_dict(
        start=start,
        cohorts=[(start, 1)],
        contract={
            "service_months": 12,
            "outcome_tail_months": 12,
            "verification_lag": {"days": 10},
            "commissioner_costs": costs,
            **contract,
        },
        provider={"costs": {"indexation": {"wages": 0.03}}},
    )
    k = compile_scenario(build(raw))
    flows = Flows()
    commissioner_costs(k, flows)
    r = flows.ordered()
    return [
        (k.clock.date(int(r.day[i])), int(r.phase[i]), PARTIES[r.payer[i]], PARTIES[r.payee[i]], NAME[int(r.category[i])], int(r.amount[i]))
        for i in range(len(r))
    ]


def test_the_yearly_cost_is_paid_month_by_month_pro_rata_and_indexed_each_1_january():
    """120 000 kr a year from 15 Jan 2027 to the window's end on 15 Jan 2029: January 2027's
    17 of 31 days (5 483.87 kr), then 10 000 kr a month, 10 300 kr in 2028 (+3 %), and January
    2029's 14 days at 10 609 kr (4 791.16 kr) on the window's last day, 14 Jan 2029."""
    rows = _rows({"per_year": 120_000})
    assert all(r[1:5] == (END_OF_DAY, "commissioner", "external", "contract_management") for r in rows)
    assert len(rows) == 25
    assert rows[0][::5] == (D("2027-01-31"), 548_387)
    assert [r[5] for r in rows[1:12]] == [1_000_000] * 11
    assert [r[0] for r in rows[11:13]] == [D("2027-12-31"), D("2028-01-31")]
    assert [r[5] for r in rows[12:24]] == [1_030_000] * 12
    assert rows[-1][::5] == (D("2029-01-14"), 479_116)


@pytest.mark.parametrize(("period", "evaluated"), [("monthly", D("2029-01-31")), ("quarterly", D("2029-03-31"))])
def test_set_up_is_paid_on_the_first_day_and_the_evaluation_on_the_invoice_that_settles_the_cohort(period, evaluated):
    """The window's last day (14 Jan 2029) is verified on 24 Jan and billed at the end of its
    invoice period: the evaluation is paid that day (it needs the final figures), not 30 days
    later like the invoice."""
    rows = _rows({"set_up": 50_000, "final_evaluation": 80_000}, invoice_period=period)
    assert rows == [
        (D("2027-01-15"), START_OF_DAY, "commissioner", "external", "commissioner_set_up", 5_000_000),
        (evaluated, END_OF_DAY, "commissioner", "external", "final_evaluation", 8_000_000),
    ]


def test_a_contract_that_starts_on_the_1st_has_whole_months_only():
    """From 1 Jan 2027: 24 months of 10 000 / 10 300 kr, the last on 31 Dec 2028, nothing in 2029."""
    rows = _rows({"per_year": 120_000}, start="2027-01-01")
    assert [r[5] for r in rows] == [1_000_000] * 12 + [1_030_000] * 12
    assert rows[0][0] == D("2027-01-31") and rows[-1][0] == D("2028-12-31")


def test_without_commissioner_costs_there_are_no_rows():
    assert _rows({}) == []
    assert [r[4] for r in _rows({"set_up": 1})] == ["commissioner_set_up"]
