"""Financing and insolvency on deterministic scenarios, to the öre and the day.

Every expected figure is worked out by hand in the comments (actual/365, half-up rounding).
"""

from __future__ import annotations

import pytest

from helpers_deterministic import D, rows, scenario_dict
from sib.scenario.loader import build

import sib


def _run(raw):
    return sib.simulate(build(raw), 0)


def _credit_scenario(**line):
    """One cohort member, no milestones; the municipality pays 600 000 kr upfront (invoiced on
    1 Jan, paid 31 Jan); the provider starts at 0 and pays 500 000 kr start-up on 1 Jan."""
    raw = scenario_dict(
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 600_000}},
        provider={"opening_equity": 0, "costs": {"start_up": 500_000}},
    )
    raw["financing"] = {"credit_line": {"limit": 1_000_000, "interest_rate": 0.06, "commitment_fee_rate": 0.01, "setup_fee": 1_000, **line}}
    raw["insolvency"] = {"rule": "stop"}
    return raw


def test_credit_line_draws_repays_and_charges_interest_and_fees_to_the_ore():
    """Catches interest on the month-end instead of the daily balance, 360-day years, a fee on
    the limit instead of the undrawn part, or the repayment counted a day late."""
    rep = _run(_credit_scenario())
    bank = [r for r in rows(rep) if "bank" in (r[1], r[2])]
    assert bank[:7] == [
        # 1 Jan: the set-up fee and the start-up cost are drawn on the line (cash is 0).
        (D("2027-01-01"), "bank", "provider", "credit_draw", 100_000, None, None),
        (D("2027-01-01"), "provider", "bank", "setup_fee", 100_000, None, None),
        (D("2027-01-01"), "bank", "provider", "credit_draw", 50_000_000, None, None),
        # 31 Jan: the upfront payment arrives and repays all 501 000 kr at once.
        (D("2027-01-31"), "provider", "bank", "credit_repayment", 50_100_000, None, None),
        # Interest: 501 000 kr held at the close of 30 days (1-30 Jan), 0 on 31 Jan:
        # 0.06 × 501 000 × 30 / 365 = 2 470.6849 → 2 470.68 kr.
        (D("2027-01-31"), "provider", "bank", "credit_interest", 247_068, None, None),
        # Commitment fee: undrawn 499 000 × 30 days + 1 000 000 × 1 day, × 0.01 / 365
        # = 437.5342 → 437.53 kr.
        (D("2027-01-31"), "provider", "bank", "commitment_fee", 43_753, None, None),
        # February: nothing drawn; 1 000 000 × 28 × 0.01 / 365 = 767.1233 → 767.12 kr.
        (D("2027-02-28"), "provider", "bank", "commitment_fee", 76_712, None, None),
    ]
    # March: 31 days × 1 000 000 × 0.01 / 365 = 849.3151 → 849.32 kr; and so on each month end.
    assert bank[7] == (D("2027-03-31"), "provider", "bank", "commitment_fee", 84_932, None, None)
    m = rep.metrics
    assert m["peak_credit_drawn"] == 501_000
    assert m["days_overdrawn"] == 30
    assert m["bank_interest"] == pytest.approx(2_470.68)
    assert not m["provider_insolvent"] and not m["service_stopped"]


def test_a_floor_keeps_cash_on_the_account():
    """With a 50 000 kr floor, the start-up draws 550 000 kr and leaves 50 000 kr of cash."""
    rep = _run(_credit_scenario(floor=50_000, setup_fee=0))
    first = rows(rep)[:2]
    assert first == [
        (D("2027-01-01"), "bank", "provider", "credit_draw", 55_000_000, None, None),
        (D("2027-01-01"), "provider", "external", "start_up", 50_000_000, None, None),
    ]


def _default_scenario(guarantee_type: str, rule: str = "stop"):
    """The provider pays 100 000 kr start-up and 200 000 kr overhead a month from a 500 000 kr
    line (no interest): drawn 300 000 on 1 Jan, 500 000 on 1 Feb; on 1 Mar the overhead cannot
    be paid. Its one participant reached a 100 000 kr milestone on 11 Jan (billed 31 Jan, paid
    2 Mar) and earns 10 000 kr per participant-month for January (paid 2 Mar) and February
    (paid 30 Mar). A 90 % guarantee covers the line; taking the participant back costs the
    municipality 25 000 kr."""
    raw = scenario_dict(
        pathway={
            "start": "a",
            "states": {
                "a": {"transitions": {"b": {"fixed": 10}}},
                "b": {"transitions": {"x": {"fixed": 1000}}},
                "x": {},
            },
        },
        milestones={"m": {"state": "b"}},
        contract={
            "rate_card": {"m": {"price": 100_000}},
            "fixed": {"per_participant_month": 10_000},
            "verification_lag": {"days": 0},
        },
        provider={"opening_equity": 0, "costs": {"start_up": 100_000, "fixed_per_month": 200_000}},
    )
    raw["financing"] = {
        "credit_line": {"limit": 500_000, "interest_rate": 0.0},
        "guarantee": {"share": 0.9, "type": guarantee_type, "covers": "credit_line"},
    }
    raw["insolvency"] = {"rule": rule, "takeover_cost": 25_000}
    return raw


def _after_stop(rep):
    return [r for r in rows(rep) if r[0] >= D("2027-03-01")]


def test_forced_default_on_demand_guarantee_pays_at_once_and_is_repaid_from_recoveries():
    """Catches a service that runs on after the stop, earnings lost with the provider, the
    guarantor paying before the estate's cash is used, or recoveries going to the wrong party."""
    rep = _run(_default_scenario("on_demand"))
    m = rep.metrics
    assert m["service_stopped"] and m["service_stopped_date"] == D("2027-03-01")
    assert m["provider_insolvency_date"] == D("2027-03-01")
    assert _after_stop(rep) == [
        # 1 Mar: the estate has no cash; the guarantor pays 90 % of the 500 000 kr drawn.
        (D("2027-03-01"), "guarantor", "bank", "guarantee_payout", 45_000_000, None, None),
        (D("2027-03-01"), "commissioner", "external", "takeover", 2_500_000, None, None),
        # 2 Mar: January's participant-month and the milestone reach the estate; the bank's
        # unguaranteed 50 000 kr comes first, then the guarantor.
        (D("2027-03-02"), "commissioner", "provider", "fixed_participant_months", 1_000_000, None, 1),
        (D("2027-03-02"), "provider", "bank", "credit_repayment", 1_000_000, None, None),
        (D("2027-03-02"), "commissioner", "provider", "outcome_payment", 10_000_000, 0, 1),
        (D("2027-03-02"), "provider", "bank", "credit_repayment", 4_000_000, None, None),
        (D("2027-03-02"), "provider", "guarantor", "guarantee_recovery", 6_000_000, None, None),
        # 30 Mar: February's participant-month (March had no day of service).
        (D("2027-03-30"), "commissioner", "provider", "fixed_participant_months", 1_000_000, None, 2),
        (D("2027-03-30"), "provider", "guarantor", "guarantee_recovery", 1_000_000, None, None),
    ]
    assert m["guarantor_paid"] == 450_000 and m["guarantor_recovered"] == 70_000
    assert m["bank_loss"] == 0 and m["takeover_cost"] == 25_000 and m["participants_taken_over"] == 1
    assert m["unpaid_obligations"] == 200_000  # the refused overhead
    assert m["provider_final_cash"] == 0


def test_forced_default_final_loss_guarantee_pays_its_share_of_what_recoveries_leave():
    rep = _run(_default_scenario("final_loss"))
    after = _after_stop(rep)
    assert after == [
        (D("2027-03-01"), "commissioner", "external", "takeover", 2_500_000, None, None),
        (D("2027-03-02"), "commissioner", "provider", "fixed_participant_months", 1_000_000, None, 1),
        (D("2027-03-02"), "provider", "bank", "credit_repayment", 1_000_000, None, None),
        (D("2027-03-02"), "commissioner", "provider", "outcome_payment", 10_000_000, 0, 1),
        (D("2027-03-02"), "provider", "bank", "credit_repayment", 10_000_000, None, None),
        (D("2027-03-30"), "commissioner", "provider", "fixed_participant_months", 1_000_000, None, 2),
        (D("2027-03-30"), "provider", "bank", "credit_repayment", 1_000_000, None, None),
        # After every recovery 380 000 kr is left; the guarantor pays 90 % of it.
        (D("2027-03-30"), "guarantor", "bank", "guarantee_payout", 34_200_000, None, None),
    ]
    m = rep.metrics
    assert m["bank_loss"] == 38_000 and m["guarantor_paid"] == 342_000


def test_continue_rule_pays_on_and_measures_the_funding_need():
    rep = _run(_default_scenario("on_demand", rule="continue"))
    m = rep.metrics
    assert not m["service_stopped"] and m["provider_insolvent"]
    assert m["provider_insolvency_date"] == D("2027-03-01")
    # 12 months of 200 000 kr overhead and 100 000 kr start-up against a 500 000 kr line and
    # 100 000 + 12 × 10 000 kr of income at most: liquidity falls far below zero.
    assert m["funding_need"] > 1_500_000
    assert m["guarantor_paid"] == 0
