"""Financing and insolvency on deterministic scenarios, to the öre and the day.

Every expected figure is worked out by hand in the comments (actual/365, half-up rounding).
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers_deterministic import ENGINE_SCENARIOS, ROOT, D, rows, scenario_dict
from helpers_paths import REPO

import sib
from sib.scenario.edit import with_values, without_guarantee
from sib.scenario.loader import build

#: No bill may wait: the first payment the provider cannot make is the insolvency. These tests
#: are about what follows a stop; the insolvency test itself is tested in engine/test_liquidity.py.
NO_GRACE = {"grace_days": {"suppliers": 0, "rent": 0}}


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
    raw["insolvency"] = {**NO_GRACE, "rule": "stop"}
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
    raw["insolvency"] = {**NO_GRACE, "rule": rule, "takeover_cost": 25_000}
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


def test_a_final_loss_guarantor_pays_when_the_estate_s_last_money_comes_not_when_the_municipality_s_last_cost_does():
    """The municipality carries the participant on at 100 kr a day to the end of support (31 Dec):
    its own rows run on after the estate's last receipt (30 Mar). The bank's loss is known on
    30 Mar, and the guarantor pays it then, not on 31 Dec (as it once did), the same 342 000 kr."""
    raw = _default_scenario("final_loss")
    raw["insolvency"]["continuation"] = {"price_per_participant_day": 100, "gap_days": 0}
    rep = _run(raw)
    assert rows(rep, "continuation")[-1][0] == D("2027-12-31")
    assert rows(rep, "guarantee_payout") == [(D("2027-03-30"), "guarantor", "bank", "guarantee_payout", 34_200_000, None, None)]
    assert rep.metrics["guarantor_paid"] == 342_000


def test_continue_rule_pays_on_and_measures_the_funding_need():
    rep = _run(_default_scenario("on_demand", rule="continue"))
    m = rep.metrics
    assert not m["service_stopped"] and m["provider_insolvent"]
    assert m["provider_insolvency_date"] == D("2027-03-01")
    # 12 months of 200 000 kr overhead and 100 000 kr start-up against a 500 000 kr line and
    # 100 000 + 12 × 10 000 kr of income at most: liquidity falls far below zero.
    assert m["funding_need"] > 1_500_000
    assert m["guarantor_paid"] == 0


def _loan_scenario(guarantee: dict | None = None, **loan):
    raw = scenario_dict(
        milestones={},
        contract={"rate_card": {}},
        provider={"opening_equity": 1_000_000},
    )
    raw["financing"] = {"loan": {"principal": 120_000, "interest_rate": 0.05, "term_months": 12, **loan}}
    if guarantee is not None:
        raw["financing"]["guarantee"] = {"covers": "loan", **guarantee}
    return raw


def test_term_loan_pays_out_and_amortises_straight_with_interest_on_the_balance():
    """Catches interest on the original principal instead of the outstanding balance, or an
    instalment too many or too few."""
    rep = _run(_loan_scenario())
    bank = [r for r in rows(rep) if "bank" in (r[1], r[2])]
    assert bank[:5] == [
        (D("2027-01-01"), "bank", "provider", "loan_payout", 12_000_000, None, None),
        # 120 000 × 31 × 0.05 / 365 = 509.5890 → 509.59 kr; then the first 10 000 kr.
        (D("2027-01-31"), "provider", "bank", "loan_interest", 50_959, None, None),
        (D("2027-01-31"), "provider", "bank", "loan_repayment", 1_000_000, None, None),
        # 110 000 × 28 × 0.05 / 365 = 421.9178 → 421.92 kr.
        (D("2027-02-28"), "provider", "bank", "loan_interest", 42_192, None, None),
        (D("2027-02-28"), "provider", "bank", "loan_repayment", 1_000_000, None, None),
    ]
    repaid = [r for r in bank if r[3] == "loan_repayment"]
    assert len(repaid) == 12 and sum(r[4] for r in repaid) == 12_000_000
    assert repaid[-1][0] == D("2027-12-31")
    assert rep.metrics["bank_outstanding_end"] == 0


def test_bullet_loan_is_repaid_at_the_end_of_its_term():
    rep = _run(_loan_scenario(amortisation="bullet", paid_out_month=1, term_months=6))
    repaid = [r for r in rows(rep) if r[3] == "loan_repayment"]
    assert repaid == [(D("2027-07-31"), "provider", "bank", "loan_repayment", 12_000_000, None, None)]
    assert rows(rep, "loan_payout")[0][0] == D("2027-02-01")


@pytest.mark.parametrize(
    "guarantee, expected",
    [
        # Yearly in advance: 2 % of 80 % × 120 000 = 96 000 kr guaranteed → 1 920 kr for the year.
        (
            {"share": 0.8, "fee_rate": 0.02, "fee_paid": "yearly"},
            (D("2027-01-01"), "provider", "guarantor", "guarantee_fee", 192_000, None, None),
        ),
        # Upfront for the whole 36-month term: 3 × 1 920 kr.
        (
            {"share": 0.8, "fee_rate": 0.02, "fee_paid": "upfront"},
            (D("2027-01-01"), "provider", "guarantor", "guarantee_fee", 576_000, None, None),
        ),
        # Monthly in arrears, paid by the municipality: 96 000 × 0.02 × 31 / 365 = 163.0685 kr.
        (
            {"share": 0.8, "fee_rate": 0.02, "fee_paid": "monthly", "fee_payer": "commissioner"},
            (D("2027-01-31"), "commissioner", "guarantor", "guarantee_fee", 16_307, None, None),
        ),
        # Kommunal borgen: the municipality is the guarantor and receives the fee.
        (
            {"share": 0.8, "fee_rate": 0.02, "guarantor": "municipality"},
            (D("2027-01-01"), "provider", "commissioner", "guarantee_fee", 192_000, None, None),
        ),
    ],
)
def test_guarantee_fee_by_how_and_by_whom_it_is_paid(guarantee, expected):
    rep = _run(_loan_scenario(guarantee))
    assert rows(rep, "guarantee_fee")[0] == expected


def test_guarantee_expiry_with_repay_closes_the_line_and_can_force_a_default():
    """A one-month guarantee whose expiry demands repayment: on 1 Feb the provider owes the
    300 000 kr drawn for its start-up and has no cash, so the service stops that day."""
    raw = scenario_dict(milestones={}, contract={"rate_card": {}}, provider={"opening_equity": 0, "costs": {"start_up": 300_000}})
    raw["financing"] = {
        "credit_line": {"limit": 500_000, "interest_rate": 0.0},
        "guarantee": {"share": 0.9, "term_months": 1, "at_expiry": "repay"},
    }
    raw["insolvency"] = {**NO_GRACE, "rule": "stop"}
    rep = _run(raw)
    m = rep.metrics
    assert m["service_stopped_date"] == D("2027-02-01")
    assert m["guarantor_paid"] == 0  # it expired that day: the bank bears the loss
    assert m["bank_loss"] == 300_000


def _scenarios():

    files = [(p.stem, sib.load_scenario(p)) for p in ENGINE_SCENARIOS]
    built = [
        ("credit", build(_credit_scenario())),
        ("default on demand", build(_default_scenario("on_demand"))),
        ("default final loss", build(_default_scenario("final_loss"))),
        ("loan", build(_loan_scenario({"share": 0.5, "fee_rate": 0.03, "fee_paid": "monthly"}))),
    ]
    return files + built


@pytest.mark.parametrize("name, scenario", _scenarios(), ids=[n for n, _ in _scenarios()])
@pytest.mark.parametrize("seed", [0, 1])
def test_engine_positions_equal_the_ledger_at_every_row(name, scenario, seed):
    """The cash the engine decides with, the credit drawn and the loan outstanding are what the
    ledger's rows add up to, after every row; the bank's exposure falls only by repayments and
    guarantee payouts."""
    import numpy as np

    rep = sib.simulate(scenario, seed)
    led, pos = rep.ledger, rep.positions()
    cat, amount = led["category"].astype(str), led["amount_ore"].to_numpy()
    to_provider = (led["payee"] == "provider").to_numpy()
    from_provider = (led["payer"] == "provider").to_numpy()
    opening = round(scenario.provider.opening_equity * 100)
    cash = opening + np.cumsum(np.where(to_provider, amount, 0) - np.where(from_provider, amount, 0))
    assert np.array_equal(np.round(pos["cash"].to_numpy() * 100).astype(np.int64), cash)

    def running(*names):
        return np.cumsum(np.where(cat.isin(names).to_numpy(), amount, 0))

    owed = running("credit_draw", "loan_payout") - running("credit_repayment", "loan_repayment", "guarantee_payout")
    engine_owed = np.round((pos["credit_drawn"] + pos["loan_outstanding"]).to_numpy() * 100).astype(np.int64)
    assert np.array_equal(engine_owed, owed)
    if not (cat == "guarantee_payout").any():
        drawn = running("credit_draw") - running("credit_repayment")
        assert np.array_equal(np.round(pos["credit_drawn"].to_numpy() * 100).astype(np.int64), drawn)
    assert (pos["credit_drawn"] >= 0).all() and (pos["loan_outstanding"] >= 0).all()


def test_late_payment_delays_invoices_and_adds_interest_under_the_interest_act():
    """Every invoice paid 20 days late: the upfront 600 000 kr due 31 Jan arrives 20 Feb with
    600 000 × (0.02 + 0.08) × 20 / 365 = 3 287.67 kr of interest."""
    raw = _credit_scenario()
    raw["contract"]["late_payment"] = {"share": 1.0, "delay": {"fixed": 20}, "reference_rate": 0.02}
    rep = _run(raw)
    paid = [r for r in rows(rep) if r[1] == "commissioner"]
    assert paid == [
        (D("2027-02-20"), "commissioner", "provider", "upfront_payment", 60_000_000, None, 1),
        (D("2027-02-20"), "commissioner", "provider", "late_payment_interest", 328_767, None, 1),
    ]


def test_late_payment_share_and_common_random_numbers():
    """About the stated share of invoices is late, and which invoices are late does not change
    when the payment terms do (each invoice has its own draws)."""
    import numpy as np

    base = scenario_dict(
        cohorts=[("2027-01-01", 40)],
        pathway={"start": "a", "states": {"a": {"transitions": {"x": {"fixed": 5, "unit": "years"}}}, "x": {}}},
        milestones={},
        contract={"rate_card": {}, "service_months": 120, "fixed": {"monthly": 1_000}},
    )
    base["contract"]["late_payment"] = {"share": 0.3, "delay": {"exponential": {"mean": 15}}}
    late = []
    for terms in (30, 45):
        raw = {**base, "contract": {**base["contract"], "payment_terms_days": terms}}
        led = sib.simulate(build(raw), 5).ledger
        fixed = led[led["category"].astype(str) == "fixed_monthly"]
        invoice_day = fixed["accrued"].map(lambda d: d)  # the month the line is for
        delay = np.array([(p - a).days - terms for p, a in zip(fixed["date"], invoice_day)])
        late.append(delay > 0)
    assert 0.2 < late[0].mean() < 0.4  # 120 invoices, share 0.3: sd ≈ 0.04
    assert (late[0] == late[1]).all()


def _vat_scenario(status: str):
    raw = scenario_dict(
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 600_000}},
        provider={"opening_equity": 1_000_000, "costs": {"start_up": 100_000}, "vat": {"status": status}},
    )
    return raw


def test_exempt_provider_pays_input_vat_as_a_cost_and_the_municipality_is_compensated():
    """Catches VAT left out of an exempt provider's costs, or the 6 % compensation forgotten
    (or paid on something other than the price)."""
    rep = _run(_vat_scenario("exempt"))
    assert rows(rep, ["input_vat", "vat_compensation", "output_vat", "vat_payment"]) == [
        (D("2027-01-01"), "provider", "state", "input_vat", 2_500_000, None, None),  # 25 % of 100 000
        (D("2027-01-31"), "state", "commissioner", "vat_compensation", 3_600_000, None, None),  # 6 % of 600 000
    ]


def test_taxable_provider_invoices_vat_and_settles_the_difference_with_the_state():
    rep = _run(_vat_scenario("taxable"))
    assert rows(rep, ["input_vat", "vat_compensation", "output_vat", "vat_payment", "vat_refund"]) == [
        (D("2027-01-01"), "provider", "state", "input_vat", 2_500_000, None, None),
        (D("2027-01-31"), "commissioner", "provider", "output_vat", 15_000_000, None, 1),  # 25 % of 600 000
        # The municipality gets the VAT it paid back from the state (lag 2005:807): not its cost.
        (D("2027-01-31"), "state", "commissioner", "vat_compensation", 15_000_000, None, None),
        # January's return: 150 000 out less 25 000 in, on the 12th of the month after next.
        (D("2027-03-12"), "provider", "state", "vat_payment", 12_500_000, None, None),
    ]


def test_only_purchases_carry_input_vat():
    """Catches VAT charged on pay: with 40 % of the start-up being purchases, an exempt provider
    pays VAT on those 40 000 kr only."""
    raw = _vat_scenario("exempt")
    raw["provider"]["vat"]["taxed_shares"] = {"start_up": 0.4}
    assert rows(_run(raw), "input_vat") == [(D("2027-01-01"), "provider", "state", "input_vat", 1_000_000, None, None)]


def _employed(months: int = 24, **subsidy):
    raw = scenario_dict(
        pathway={"start": "employed", "states": {"employed": {"transitions": {"x": {"fixed": 3, "unit": "years"}}}, "x": {}}},
        milestones={},
        contract={"rate_card": {}, "service_months": months},
        provider={
            "opening_equity": 1_000_000,
            "costs": {"indexation": {"wages": 0.03}},
            "employment": {
                "states": ["employed"],
                "monthly_wage": 26_147,
                "subsidy": {"share": 0.8, "ceiling": 20_000, "months": 12, "lag_days": 30, **subsidy},
            },
        },
    )
    return _run(raw)


def test_wages_fees_and_lonebidrag_for_an_employed_participant():
    """Catches a subsidy on the whole wage instead of up to the ceiling, a ceiling that follows
    wages, a subsidy paid beyond its months, or fees on the wrong day."""
    rep = _employed()
    jan = [r for r in rows(rep, ["participant_wages", "employer_fees", "wage_subsidy"]) if r[0] <= D("2027-03-02")]
    assert jan == [
        (D("2027-01-25"), "provider", "external", "participant_wages", 2_614_700, None, None),
        # 26 147 × 0.3142 = 8 215.3874 → 8 215.39 kr on 12 February.
        (D("2027-02-12"), "provider", "state", "employer_fees", 821_539, None, None),
        (D("2027-02-25"), "provider", "external", "participant_wages", 2_614_700, None, None),
        # January's lönebidrag: 0.8 × 20 000 × 1.3142 = 21 027.20 kr, 30 days after 31 January.
        (D("2027-03-02"), "state", "provider", "wage_subsidy", 2_102_720, None, None),
    ]
    subsidy = rows(rep, "wage_subsidy")
    assert len(subsidy) == 12  # January to December 2027, then the months run out
    assert {r[4] for r in subsidy} == {2_102_720}  # the ceiling does not follow wages
    wages_2028 = [r[4] for r in rows(rep, "participant_wages") if r[0].year == 2028]
    assert wages_2028[0] == round(26_147 * 1.03 * 100)  # wages are indexed each 1 January
    m = rep.metrics
    assert m["wage_subsidy"] == pytest.approx(12 * 21_027.20)


def _sib_scenario(**investor):
    """Four participants reach a 100 000 kr milestone on 11 Jan (billed 31 Jan, paid 2 Mar); an
    investor put in 300 000 kr on 1 Jan for a return of at most 20 %."""
    raw = scenario_dict(
        cohorts=[("2027-01-01", 4)],
        pathway={
            "start": "a",
            "states": {"a": {"transitions": {"b": {"fixed": 10}}}, "b": {"transitions": {"x": {"fixed": 1000}}}, "x": {}},
        },
        milestones={"m": {"state": "b"}},
        contract={"rate_card": {"m": {"price": 100_000}}, "verification_lag": {"days": 0}},
        provider={"opening_equity": 0},
    )
    raw["financing"] = {"investor": {"capital": 300_000, **investor}}
    return _run(raw)


def test_investor_receives_outcome_payments_keeps_principal_and_capped_return_passes_the_rest():
    """Catches a return above the cap, principal and return in the wrong order, or what
    exceeds the investor's due kept instead of passed on."""
    import pyxirr

    rep = _sib_scenario()
    assert rows(rep, ["investor_capital", "outcome_payment", "investor_pass_through"]) == [
        (D("2027-01-01"), "investor", "provider", "investor_capital", 30_000_000, None, None),
        *[(D("2027-03-02"), "commissioner", "investor", "outcome_payment", 10_000_000, p, 1) for p in range(4)],
        # 300 000 principal and 60 000 return kept; the last 40 000 go on to the provider.
        (D("2027-03-02"), "investor", "provider", "investor_pass_through", 4_000_000, None, None),
    ]
    m = rep.metrics
    assert m["investor_paid_in"] == 300_000 and m["investor_received"] == 360_000
    assert m["investor_multiple"] == pytest.approx(1.2) and not m["investor_loss"]
    dates = [D("2027-01-01"), D("2027-03-02")]
    assert m["investor_irr"] == pytest.approx(pyxirr.xirr(dates, [-300_000, 360_000]))
    assert rep.positions()["investor_outstanding"].iloc[-1] == 0


def test_provider_receives_and_repays_the_investor_first():
    rep = _sib_scenario(receives_outcome_payments=False, waterfall="investor_first")
    repaid = rows(rep, ["investor_repayment", "investor_return"])
    assert [r[3:5] for r in repaid] == [
        ("investor_repayment", 10_000_000),
        ("investor_repayment", 10_000_000),
        ("investor_repayment", 10_000_000),
        ("investor_return", 6_000_000),
    ]
    assert all(r[1:3] == ("provider", "investor") for r in repaid)


def test_a_yearly_return_accrues_on_the_capital_outstanding():
    rep = _sib_scenario(return_cap={"yearly_rate": 0.10})
    # 300 000 × 10 % × 60 days / 365 = 4 931.51 kr earned by 2 March, when it is all repaid.
    assert rep.metrics["investor_received"] == pytest.approx(304_931.51)


def test_capital_protection_tops_up_a_total_loss():
    raw = scenario_dict(milestones={}, contract={"rate_card": {}}, provider={"opening_equity": 0})
    raw["financing"] = {"investor": {"capital": 300_000, "protection": {"share": 0.5, "paid_by": "commissioner"}}}
    m = _run(raw).metrics
    assert m["capital_protection_paid"] == 150_000
    assert m["investor_received"] == 150_000 and m["investor_loss"]
    assert m["investor_multiple"] == pytest.approx(0.5)


def test_undrawn_commitment_is_called_early_when_cash_runs_short():
    """A second tranche due in month 6 is called on 1 Jan to pay a start-up cost cash cannot."""
    raw = scenario_dict(milestones={}, contract={"rate_card": {}}, provider={"opening_equity": 0, "costs": {"start_up": 250_000}})
    raw["financing"] = {
        "investor": {
            "capital": 300_000,
            "tranches": [{"month": 0, "share": 0.5}, {"month": 6, "share": 0.5}],
            "undrawn_counts_as_liquidity": True,
        }
    }
    raw["insolvency"] = {**NO_GRACE, "rule": "stop"}
    rep = _run(raw)
    capital = rows(rep, "investor_capital")
    assert [r[0] for r in capital] == [D("2027-01-01"), D("2027-01-01")]
    assert not rep.metrics["service_stopped"]


def test_provider_holding_leases_pays_rent_and_collects_it_less_arrears():
    """One tenant housed 1 Jan to 15 Feb (45 days): the provider pays rent for those days and
    for the 30 days the apartment then stands empty (to 17 Mar), and receives the tenant's
    rent less 10 % arrears. Catches rent stopping with the tenancy, or arrears forgotten."""
    raw = scenario_dict(
        pathway={"start": "housed", "states": {"housed": {"transitions": {"moved": {"fixed": 45}}}, "moved": {}}},
        milestones={},
        contract={"rate_card": {}},
        provider={
            "opening_equity": 1_000_000,
            "leases": {"states": ["housed"], "monthly_rent": 6_200, "arrears_share": 0.1, "vacant_days": 30},
        },
    )
    assert rows(_run(raw), ["rent", "tenant_rent"]) == [
        # The tenant's rent comes in before the landlord's goes out on the same day.
        (D("2027-01-01"), "external", "provider", "tenant_rent", 558_000, None, None),  # 90 % of 6 200
        (D("2027-01-01"), "provider", "external", "rent", 620_000, None, None),
        (D("2027-02-01"), "external", "provider", "tenant_rent", 279_000, None, None),  # 14/28 × 6 200 × 0.9
        (D("2027-02-01"), "provider", "external", "rent", 620_000, None, None),  # let 14 days, empty 14
        (D("2027-03-01"), "provider", "external", "rent", 320_000, None, None),  # 16/31 × 6 200
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_investor_outstanding_is_what_the_ledger_says_it_was_paid_in_and_repaid(seed):
    """In the reference SIB variant: capital outstanding never negative, never above what was
    paid in, and at the end what the investor put in less the principal the ledger shows it
    got back (principal is repaid before any return)."""

    import numpy as np

    path = REPO / "scenarios" / "arbetsintegrering_sib.yaml"
    rep = sib.simulate(sib.load_scenario(path), seed)
    led, pos = rep.ledger, rep.positions()
    cat = led["category"].astype(str)
    amount = led["amount_ore"].to_numpy() / 100
    paid_in = np.cumsum(np.where(cat == "investor_capital", amount, 0))
    out = pos["investor_outstanding"].to_numpy()
    assert (out >= -1e-9).all() and (out <= paid_in + 1e-9).all()
    m = rep.metrics
    kept_or_repaid = m["investor_received"] - m["capital_protection_paid"]
    principal_back = min(kept_or_repaid, m["investor_paid_in"])
    assert out[-1] == pytest.approx(m["investor_paid_in"] - principal_back, abs=0.01)


def test_guarantee_fee_on_the_exposure_follows_the_daily_drawn_balance():
    """The credit scenario draws 501 000 kr for 30 days of January and is repaid on the 31st:
    a 2 % fee on 90 % of it is 0.02 × 0.9 × 501 000 × 30 / 365 = 741.21 kr."""
    raw = _credit_scenario()
    raw["financing"]["guarantee"] = {"share": 0.9, "fee_rate": 0.02, "fee_base": "exposure", "fee_paid": "monthly"}
    fees = rows(_run(raw), "guarantee_fee")
    assert fees[0] == (D("2027-01-31"), "provider", "guarantor", "guarantee_fee", 74_121, None, None)
    assert len(fees) == 1  # nothing drawn afterwards, nothing to pay


def test_a_fee_on_the_exposure_must_be_paid_monthly():
    from sib.scenario.errors import ScenarioError

    raw = _credit_scenario()
    raw["financing"]["guarantee"] = {"share": 0.9, "fee_rate": 0.02, "fee_base": "exposure", "fee_paid": "yearly"}
    with pytest.raises(ScenarioError, match="paid 'monthly'"):
        build(raw)


def test_after_a_stop_the_municipality_takes_the_participants_over():
    """The participant in service on the stop day is taken over by the municipality in the
    state it is in ('b', entered on 11 January); its path carries on after the stop."""
    raw = _default_scenario("on_demand")
    raw["pathway"]["states"]["b"]["transitions"]["x"]["fixed"] = 100  # leaves b on 21 April
    rep = _run(raw)
    ev = rep.events
    stop = D("2027-03-01")
    taken = ev[ev["event"] == "taken_over"]
    assert list(taken["state"]) == ["b"] and list(taken["date"]) == [stop]
    assert list(ev.loc[ev["event"] == "entered", "date"]) == [D("2027-01-01"), D("2027-01-11"), D("2027-04-21")]
    assert rep.metrics["participants_taken_over"] == 1


def test_a_stop_in_the_outcome_tail_pays_only_what_was_reached_before_it():
    """A bullet loan due in the tail that the provider cannot repay stops it there: outcomes
    reached after that day are not paid, and nobody is taken over (the service had ended).
    Support ends with the service (follow-up only), so the tail costs nothing until the loan."""
    raw = scenario_dict(
        pathway={"start": "a", "states": {"a": {"transitions": {"x": {"fixed": 3, "unit": "years"}}}, "x": {}}},
        milestones={"m1": {"state": "a", "after": {"months": 1}}, "m9": {"state": "a", "after": {"months": 9}}},
        contract={
            "rate_card": {"m1": {"price": 10_000}, "m9": {"price": 50_000}},
            "service_months": 3,
            "outcome_tail_months": 12,
            "verification_lag": {"days": 0},
            "support": {"ends": "service_end", "follow_up_after_support": True},
        },
        provider={"opening_equity": 0, "costs": {"fixed_per_month": 30_000}},
    )
    raw["financing"] = {"loan": {"principal": 100_000, "interest_rate": 0.0, "term_months": 5, "amortisation": "bullet"}}
    raw["insolvency"] = {**NO_GRACE, "rule": "stop", "takeover_cost": 7_000}
    rep = _run(raw)
    m = rep.metrics
    stop = m["service_stopped_date"]
    assert stop is not None and stop > D("2027-04-01")  # after the service period
    # The participant's path carries on after the stop (m9 is reached), but only what was
    # reached before it is paid to the estate.
    assert m["milestone_m1"] == 1 and m["milestone_m9"] == 1
    assert not any(r[3] == "outcome_payment" and r[4] == 5_000_000 for r in rows(rep))
    assert m["participants_taken_over"] == 0 and m["takeover_cost"] == 0


def test_unpaid_obligations_are_the_refused_payment_and_what_was_owed_for_before():
    """Start-up 50 000 kr is paid from 60 000 kr of equity; the 20 000 kr overhead the same
    moment is refused: 20 000 kr unpaid, not 70 000."""
    raw = scenario_dict(
        milestones={},
        contract={"rate_card": {}},
        provider={"opening_equity": 60_000, "costs": {"start_up": 50_000, "fixed_per_month": 20_000}},
    )
    raw["insolvency"] = {**NO_GRACE, "rule": "stop"}
    assert _run(raw).metrics["unpaid_obligations"] == 20_000


def test_an_upfront_guarantee_fee_is_paid_again_for_each_renewed_term():
    raw = _loan_scenario({"share": 0.8, "fee_rate": 0.02, "fee_paid": "upfront", "term_months": 12, "at_expiry": "renew"})
    raw["contract"]["service_months"] = 36
    fees = rows(_run(raw), "guarantee_fee")
    assert [r[0] for r in fees][:3] == [D("2027-01-01"), D("2028-01-01"), D("2029-01-01")]
    assert {r[4] for r in fees} == {192_000}  # 2 % of 96 000 kr for each 12-month term


def test_once_the_guarantor_has_paid_it_guarantees_nothing_more():
    rep = _run(_default_scenario("on_demand"))
    pos, led = rep.positions(), rep.ledger
    paid_at = int(np.flatnonzero((led["category"].astype(str) == "guarantee_payout").to_numpy())[0])
    assert pos["guaranteed"].iloc[paid_at - 1] == 450_000
    assert (pos["guaranteed"].iloc[paid_at:] == 0).all()


@pytest.mark.parametrize(
    "where, edit",
    [
        ("financing.loan.paid_out_month", {"loan": {"principal": 1, "interest_rate": 0, "term_months": 1, "paid_out_month": 240}}),
        ("financing.investor.tranches[0].month", {"investor": {"capital": 1, "tranches": [{"month": 240, "share": 1}]}}),
    ],
)
def test_money_arriving_after_the_contract_is_refused(where, edit):
    from sib.scenario.errors import ScenarioError

    raw = scenario_dict(milestones={}, contract={"rate_card": {}})
    raw["financing"] = edit
    with pytest.raises(ScenarioError, match=where.replace("[", r"\[").replace("]", r"\]")):
        build(raw)


def test_supervision_support_comes_with_the_subsidy_for_its_first_months():
    """Introduktionsjobb's handledarstöd: 2 000 kr a month for the first six months, paid with
    the wage subsidy; catches it paid beyond its months or left out."""
    rep = _employed(supervision_per_month=2_000, supervision_months=6)
    subsidy = [r[4] for r in rows(rep, "wage_subsidy")]
    assert subsidy == [2_102_720 + 200_000] * 6 + [2_102_720] * 6


# ---------------------------------------------------------------- credit follows from security


def _line(limit: float, guarantee: dict | None = None, loan: dict | None = None) -> sib.Scenario:
    raw = scenario_dict(milestones={}, contract={"rate_card": {}})
    raw["financing"] = {"credit_line": {"limit": limit, "interest_rate": 0.06}}
    if guarantee is not None:
        raw["financing"]["guarantee"] = {"share": 0.9, **guarantee}
    if loan is not None:
        raw["financing"]["loan"] = {"interest_rate": 0.06, "term_months": 24, **loan}
    return build(raw)


@pytest.mark.parametrize(
    ("guarantee", "loan", "granted"),
    [
        (None, None, 500_000),  # the provider's own standing
        ({"max_amount": 400_000, "covers": "credit_line"}, None, 500_000 + 400_000 / 0.9),
        ({"max_amount": 400_000, "covers": "both"}, {"principal": 200_000}, 500_000 + 400_000 / 0.9 - 200_000),
        ({"max_amount": 400_000, "covers": "loan"}, {"principal": 200_000}, 500_000),
        ({"covers": "credit_line"}, None, 500_000),  # no maximum: secures the line as given
    ],
)
def test_the_bank_lends_what_secures_it(guarantee, loan, granted):
    """A guarantee of at most G covering a share g lets the bank lend G / g more (less a loan the
    guarantee secures first); without the guarantee the line is the own-standing part alone."""
    sc = _line(500_000, guarantee, loan)
    assert sc.financing.credit_limit == pytest.approx(granted)
    if guarantee is not None:
        assert without_guarantee(sc).financing.credit_limit == 500_000


def test_a_guaranteed_line_is_drawn_beyond_the_provider_s_own_standing():
    """The reference case at 75 % on outcomes needs more than its own 500 000 kr: the provider
    draws on the part the guarantee secured, and without the guarantee it stops sooner."""
    sc = with_values(sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml"), {"contract.outcome_share": 0.75})
    assert sc.financing.credit_limit == pytest.approx(500_000 + 400_000 / 0.9)
    drawn = [sib.simulate(sc, seed).metrics["peak_credit_drawn"] for seed in range(6)]
    assert max(drawn) > 500_000 and max(drawn) <= sc.financing.credit_limit + 0.01
    bare = without_guarantee(sc)
    assert max(sib.simulate(bare, seed).metrics["peak_credit_drawn"] for seed in range(6)) <= 500_000 + 0.01
