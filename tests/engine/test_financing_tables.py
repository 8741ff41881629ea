"""The financing as the compiled account reads it (``sib/engine/financing_tables.py``).

A user relies on it for when the financing's own money moves — set-up fees, the loan's
pay-out, the investor's tranches, the guarantee's fees and its expiry, each month's close — in
the order money moves within a day, with fees worked out to the öre for the days they cover,
and for the terms (the loan's schedule, the guarantee's cap and cover, the tranches) in öre.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from helpers_deterministic import D, scenario_dict

from sib.engine import account_state as acc
from sib.engine.compiled import compile_scenario
from sib.engine.financing_tables import tables
from sib.engine.ledger import MONTH_CLOSE, START_OF_DAY, Party
from sib.scenario.loader import build

KIND = {
    acc.MONTH_END: "month_end",
    acc.FIXED_FEE: "guarantee_fee",
    acc.LINE_SETUP: "line_setup",
    acc.LOAN_PAYOUT: "loan_payout",
    acc.GUARANTEE_EXPIRY: "guarantee_expiry",
    acc.TRANCHE: "tranche",
}
#: 0.8 × (100 000 kr line + 120 000 kr loan) = 176 000 kr guaranteed, the base of a fee on the limit.
GUARANTEED = 176_000


def _compiled(financing, service_months=24, start="2027-01-01"):
    """No participants' money; the contract runs ``service_months`` from ``start`` (24: the last
    payment falls on 30 March 2029, two months' verification and 30 days after the window)."""
    raw = scenario_dict(start=start, cohorts=[(start, 1)], milestones={}, contract={"rate_card": {}, "service_months": service_months})
    raw["financing"] = financing
    return compile_scenario(build(raw))


def _line_and_loan(guarantee=None, loan=None, **extra):
    fin = {
        "credit_line": {"limit": 100_000, "interest_rate": 0.05},
        "loan": {"principal": 120_000, "interest_rate": 0.05, "term_months": 7, **(loan or {})},
        **extra,
    }
    if guarantee is not None:
        fin["guarantee"] = {"share": 0.8, "fee_rate": 0.02, "covers": "both", **guarantee}
    return fin


def _events(k, active=True, kinds=None):
    """(date, phase, moment, kind, fee or None, argument) of each event."""
    t = tables(k, active)
    out = []
    for day, phase, moment, kind, fee, arg in zip(t.ev_day, t.ev_phase, t.ev_moment, t.ev_kind, t.ev_fee, t.ev_arg):
        if kinds is None or KIND[int(kind)] in kinds:
            out.append((k.clock.date(int(day)), int(phase), float(moment), KIND[int(kind)], int(fee), int(arg)))
    return out


def test_on_the_start_day_set_up_then_pay_out_then_capital_then_the_guarantee_fee():
    """The line's set-up fee and the loan's pay-out (both first thing; set-up before pay-out),
    the first tranche, the guarantee's yearly fee in advance: 2 % of 176 000 kr = 3 520 kr; the
    month's charges at its close, on 31 January."""
    fin = _line_and_loan(
        {"fee_paid": "yearly"},
        investor={"capital": 50_000, "tranches": [{"month": 0, "share": 0.5}, {"month": 3, "share": 0.5}]},
    )
    fin["credit_line"]["setup_fee"] = 1_000
    k = _compiled(fin)
    first = [e for e in _events(k) if e[0] <= D("2027-01-31")]
    assert first == [
        (D("2027-01-01"), START_OF_DAY, -1.0, "line_setup", 100_000, 0),
        (D("2027-01-01"), START_OF_DAY, -1.0, "loan_payout", 12_000_000, 0),
        (D("2027-01-01"), START_OF_DAY, -0.9, "tranche", acc.NO_FEE, 0),
        (D("2027-01-01"), START_OF_DAY, -0.5, "guarantee_fee", 352_000, 0),
        (D("2027-01-31"), MONTH_CLOSE, 0.0, "month_end", acc.NO_FEE, 0),
    ]
    assert _events(k, kinds={"tranche"})[1][0] == D("2027-04-01")  # the second in month 3
    t = tables(k, True)
    assert t.ip[acc.P_TRANCHES :].tolist() == [2_500_000, 2_500_000] and t.capital == 5_000_000 and t.n_tranches == 2


def test_a_yearly_guarantee_fee_is_paid_in_advance_and_the_last_year_only_for_the_days_it_runs():
    """An 18-month guarantee: 3 520 kr on 1 Jan 2027; on 1 Jan 2028 the 182 days to its end on
    1 Jul 2028 (a leap year: 31+29+31+30+31+30): 176 000 × 0.02 × 182 / 365 = 1 755.18 kr;
    then it expires, and nothing is charged for 2029."""
    k = _compiled(_line_and_loan({"fee_paid": "yearly", "term_months": 18}))
    assert _events(k, kinds={"guarantee_fee", "guarantee_expiry"}) == [
        (D("2027-01-01"), START_OF_DAY, -0.5, "guarantee_fee", 352_000, 0),
        (D("2028-01-01"), START_OF_DAY, -0.5, "guarantee_fee", 175_518, 1),
        (D("2028-07-01"), START_OF_DAY, -0.25, "guarantee_expiry", acc.NO_FEE, 0),
    ]


def test_a_monthly_fee_on_the_limit_covers_the_month_s_days_and_stops_with_the_guarantee():
    """176 000 kr × 2 % a year: January 31 days = 298.96 kr, February 28 days = 270.03 kr; the
    last is June 2028's (30 days, 289.32 kr): the guarantee ends on 1 July."""
    k = _compiled(_line_and_loan({"fee_paid": "monthly", "term_months": 18}))
    fees = {e[0]: e[4] for e in _events(k, kinds={"month_end"})}
    assert fees[D("2027-01-31")] == 29_896
    assert fees[D("2027-02-28")] == 27_003
    assert fees[D("2028-06-30")] == 28_932
    assert fees[D("2028-07-31")] == acc.NO_FEE
    assert all(fee == acc.NO_FEE for day, fee in fees.items() if day > D("2028-07-01"))
    # On the exposure the amount is known only at the month's close: the month end says so.
    k = _compiled(_line_and_loan({"fee_paid": "monthly", "fee_base": "exposure", "term_months": 18}))
    fees = {e[0]: e[4] for e in _events(k, kinds={"month_end"})}
    assert fees[D("2027-01-31")] == fees[D("2028-06-30")] == acc.FEE_ON_EXPOSURE and fees[D("2028-07-31")] == acc.NO_FEE


@pytest.mark.parametrize(
    ("at_expiry", "terms"),
    [("renew", [D("2027-01-01"), D("2028-01-01"), D("2029-01-01")]), ("unguaranteed", [D("2027-01-01")])],
)
def test_an_upfront_fee_is_paid_for_each_term_begun_only_if_the_guarantee_renews(at_expiry, terms):
    """A 12-month guarantee of at most 50 000 kr on the line: the line grows by 50 000 / 0.8 to
    162 500 kr and the guaranteed amount is the cap, 50 000 kr; 2 % × 12/12 = 1 000 kr a term.
    Renewed, a term begins each 1 January up to the last payment (30 March 2029)."""
    fin = {
        "credit_line": {"limit": 100_000, "interest_rate": 0.05},
        "guarantee": {
            "share": 0.8,
            "fee_rate": 0.02,
            "fee_paid": "upfront",
            "term_months": 12,
            "covers": "credit_line",
            "at_expiry": at_expiry,
            "max_amount": 50_000,
        },
    }
    k = _compiled(fin)
    fees = _events(k, kinds={"guarantee_fee"})
    assert [e[0] for e in fees] == terms and {e[4] for e in fees} == {100_000}
    expiry = _events(k, kinds={"guarantee_expiry"})
    assert [e[0] for e in expiry] == ([] if at_expiry == "renew" else [D("2028-01-01")])
    t = tables(k, True)
    assert t.limit == 16_250_000
    assert t.ip[acc.P_GUARANTEE_CAP] == 5_000_000 and t.fp[acc.F_MAX_ORE] == 5_000_000.0


def test_the_terms_are_read_in_ore_and_days():
    """A 120 000 kr loan paid out in month 1 (1 Feb, day 31) over 7 months: the term ends 1 Sep
    (day 243), the straight instalment is 120 000 / 7 = 17 142.857 → 17 142.86 kr. A kommunal
    borgen covering the line only, for the final loss, repaid at expiry, its fee paid by the
    provider: the municipality guarantees and receives the fee."""
    fin = _line_and_loan(
        {"covers": "credit_line", "guarantor": "municipality", "type": "final_loss", "at_expiry": "repay"},
        loan={"paid_out_month": 1},
    )
    k = _compiled(fin)
    t = tables(k, True)
    ip = t.ip
    assert (ip[acc.P_PAID_OUT], ip[acc.P_FINAL], ip[acc.P_STRAIGHT], ip[acc.P_BULLET]) == (31, 243, 1_714_286, 0)
    assert _events(k, kinds={"loan_payout"}) == [(D("2027-02-01"), START_OF_DAY, -1.0, "loan_payout", 12_000_000, 0)]
    assert ip[acc.P_GUARANTOR] == ip[acc.P_FEE_PAYEE] == int(Party.COMMISSIONER) and ip[acc.P_FEE_PAYER] == int(Party.PROVIDER)
    assert (ip[acc.P_COVERS_LINE], ip[acc.P_COVERS_LOAN], ip[acc.P_ON_DEMAND], ip[acc.P_REPAY_AT_EXPIRY]) == (1, 0, 0, 1)
    assert ip[acc.P_GUARANTEE_CAP] == acc.NEVER and t.fp[acc.F_MAX_ORE] == np.inf  # no maximum
    assert (t.limit, t.floor, t.guarantee, t.rows_per_row) == (10_000_000, 0, True, 1)
    assert ip[acc.P_END] == k.end and ip[acc.P_STOP] == acc.NEVER


def test_a_month_closes_on_its_last_day_from_a_part_first_month_to_the_month_of_the_last_payment():
    """A contract from 15 Jan 2027 for 12 months: the last payment is on 30 April 2028 (window
    to 14 Jan 2028, verified 14 March, invoiced 31 March, 30 days); the month ends run from 31
    Jan 2027 (a part month) to 30 Apr 2028, one each month."""
    k = _compiled({"credit_line": {"limit": 100_000, "interest_rate": 0.05}}, service_months=12, start="2027-01-15")
    assert k.clock.date(k.end) == D("2028-04-30")
    ends = [e[0] for e in _events(k, kinds={"month_end"})]
    expected, year, month = [], 2027, 1
    while (year, month) <= (2028, 4):
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        expected.append(nxt - dt.timedelta(days=1))
        year, month = nxt.year, nxt.month
    assert ends == expected


def test_pricing_walks_the_contract_without_financing_and_each_table_is_built_once():
    k = _compiled(_line_and_loan({"fee_paid": "monthly"}, investor={"capital": 50_000}))
    bare = tables(k, False)
    # Only the month ends, with no fee: no set-up, pay-out, tranche, guarantee fee or expiry.
    assert _events(k, active=False) == [(e[0], e[1], e[2], "month_end", acc.NO_FEE, e[5]) for e in _events(k, kinds={"month_end"})]
    assert (bare.limit, bare.capital, bare.guarantee, bare.receives_outcomes, bare.n_tranches) == (0, 0, False, False, 0)
    assert not bare.ip[acc.P_LINE] and not bare.ip[acc.P_LOAN] and not bare.ip[acc.P_INVESTOR]
    assert tables(k, True) is tables(k, True) and tables(k, False) is bare
    assert tables(k, True).rows_per_row == 6  # an investor generates up to six rows per row
