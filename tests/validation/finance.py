"""Money the treasury computes, vs hand arithmetic and vs pyxirr on the same flows.

Credit interest and fees (actual/365 on the daily closing balance, rounded half up to the
öre), VAT, lönebidrag and guarantee payouts on deterministic scenarios; an investor's rate of
return, present value and multiple against their closed forms and pyxirr; and the multiple of
the reference scenario's investor against its ledger.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pyxirr
from scipy import optimize
from validation.deterministic import ledger_rows, month_end, ore, run, scenario, show
from validation.report import Check

import sib
from sib import finance

GROUP = "finance"
JAN1 = dt.date(2027, 1, 1)
SIB_FILE = Path(__file__).resolve().parents[2] / "scenarios" / "arbetsintegrering_sib.yaml"


def _exact(name: str, compared: str, expected, got, detects: str, seed: str = "0") -> Check:
    if isinstance(expected, list):
        return Check(GROUP, name, compared, show(expected), show(got), detects, passed=expected == got, seed=seed)
    return Check(GROUP, name, compared, expected, got, detects, passed=expected == got, seed=seed)


def _close(name: str, compared: str, expected: float, got: float, tol: float, detects: str, seed: str = "0") -> Check:
    ok = math.isfinite(got) and abs(got - expected) <= tol * max(1.0, abs(expected))
    return Check(GROUP, f"{name} (tolerance {tol:g})", compared, expected, got, detects, passed=ok, seed=seed)


def credit_line() -> list[Check]:
    """Opening cash 0; on 1 Jan a 1 000 kr set-up fee and 500 000 kr start-up are drawn on a
    1 000 000 kr line at 6 % (commitment fee 1 %); the 600 000 kr upfront payment (invoiced
    1 Jan, paid 31 Jan) repays it. Drawn 501 000 kr at the close of 1–30 January."""
    sc = scenario(
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 600_000}},
        provider={"opening_equity": 0, "costs": {"start_up": 500_000}},
        financing={"credit_line": {"limit": 1_000_000, "interest_rate": 0.06, "commitment_fee_rate": 0.01, "setup_fee": 1_000}},
        insolvency={"rule": "stop"},
    )
    rep = run(sc)
    drawn, days = 501_000, 30
    jan31, feb28 = dt.date(2027, 1, 31), dt.date(2027, 2, 28)
    interest = [(jan31, ore(0.06 * drawn * days / 365))]
    fees = [(jan31, ore(0.01 * ((1_000_000 - drawn) * days + 1_000_000 * 1) / 365)), (feb28, ore(0.01 * 1_000_000 * 28 / 365))]
    return [
        _exact(
            "credit interest, January",
            "0.06 × 501 000 × 30/365, half up (hand)",
            interest,
            ledger_rows(rep, "credit_interest"),
            "interest on the month-end balance, 360-day years, a day too many",
        ),
        _exact(
            "commitment fee on the undrawn limit, Jan–Feb",
            "0.01 × undrawn-days/365 (hand)",
            fees,
            ledger_rows(rep, "commitment_fee")[:2],
            "a fee on the whole limit; February's 28 days miscounted",
        ),
    ]


def vat() -> list[Check]:
    sc = scenario(
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 600_000}},
        provider={"opening_equity": 1_000_000, "costs": {"start_up": 100_000}, "vat": {"status": "exempt"}},
    )
    rep = run(sc)
    part = run(
        scenario(
            milestones={},
            contract={"rate_card": {}, "fixed": {"upfront": 600_000}},
            provider={
                "opening_equity": 1_000_000,
                "costs": {"start_up": 100_000},
                "vat": {"status": "exempt", "taxed_shares": {"start_up": 0.4}},
            },
        )
    )
    return [
        _exact(
            "input VAT of an exempt provider on a 100 000 kr start-up",
            "25 % of the purchase (hand)",
            [(JAN1, ore(0.25 * 100_000))],
            ledger_rows(rep, "input_vat"),
            "VAT left out of an exempt provider's costs",
        ),
        _exact(
            "input VAT when 40 % of the start-up is purchases carrying VAT (the rest pay)",
            "25 % of 40 000 kr (hand)",
            [(JAN1, ore(0.25 * 40_000))],
            ledger_rows(part, "input_vat"),
            "VAT charged on pay, which carries none",
        ),
        _exact(
            "VAT compensation (6 %) on a 600 000 kr payment",
            "6 % of what the municipality pays, when paid (hand)",
            [(dt.date(2027, 1, 31), ore(0.06 * 600_000))],
            ledger_rows(rep, "vat_compensation"),
            "compensation forgotten, or on the wrong amount or day",
        ),
        *grant_vat(),
    ]


def grant_vat() -> list[Check]:
    """A taxable provider paid by a grant (an IOP): no VAT on the grant, and the VAT on the
    grant-funded start-up is a cost, never refunded."""
    sc = scenario(
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 600_000}, "grant": True},
        provider={"opening_equity": 1_000_000, "costs": {"start_up": 100_000}, "vat": {"status": "taxable"}},
    )
    rep = run(sc)
    refunds = ledger_rows(rep, "vat_refund") + ledger_rows(rep, "vat_payment") + ledger_rows(rep, "output_vat")
    return [
        _exact(
            "a taxable provider's grant: no VAT on it, none returned",
            "a grant is not the price of a supply (hand)",
            [],
            refunds,
            "VAT added to a grant, or the grant-funded work's VAT refunded",
        ),
        _exact(
            "the VAT on a grant-funded 100 000 kr start-up is the provider's cost",
            "25 % of the purchase (hand)",
            [(JAN1, ore(0.25 * 100_000))],
            ledger_rows(rep, "input_vat"),
            "VAT left out of the grant-funded costs",
        ),
    ]


def wage_subsidy() -> list[Check]:
    wage, share, ceiling, fee = 26_147, 0.8, 20_000, 0.3142
    sc = scenario(
        pathway={"start": "employed", "states": {"employed": {"transitions": {"x": {"fixed": 3, "unit": "years"}}}, "x": {}}},
        milestones={},
        contract={"rate_card": {}, "service_months": 24},
        provider={
            "opening_equity": 1_000_000,
            "employment": {
                "states": ["employed"],
                "monthly_wage": wage,
                "employer_fee_rate": fee,
                "subsidy": {"share": share, "ceiling": ceiling, "months": 12, "lag_days": 30},
            },
        },
    )
    rep = run(sc)
    expected = []
    for m in range(12):  # January–December 2027, each paid 30 days after its month's end
        first = dt.date(2027 + (m // 12), m % 12 + 1, 1)
        expected.append((month_end(first) + dt.timedelta(days=30), ore(share * min(wage, ceiling) * (1 + fee))))
    job = {
        "states": ["employed"],
        "monthly_wage": wage,
        "employer_fee_rate": fee,
        "subsidy": {
            "share": share,
            "ceiling": ceiling,
            "months": 12,
            "lag_days": 30,
            "supervision_per_month": 2_000,
            "supervision_months": 6,
        },
    }
    supervised = run(
        scenario(
            pathway=sc.pathway.model_dump(mode="json"),
            milestones={},
            contract={"rate_card": {}, "service_months": 24},
            provider={"opening_equity": 1_000_000, "employment": job},
        )
    )
    with_supervision = [(day, amount + (ore(2_000) if m < 6 else 0)) for m, (day, amount) in enumerate(expected)]
    return [
        _exact(
            "wage subsidy: 80 % of wage cost on a 20 000 kr ceiling, 12 months",
            "share × min(wage, ceiling) × (1 + fees) (hand)",
            expected,
            ledger_rows(rep, "wage_subsidy"),
            "subsidy on the whole wage, a ceiling that follows wages, paid beyond its months",
        ),
        _exact(
            "introduktionsjobb's supervision support: 2 000 kr a month for the first 6 months, with the subsidy",
            "the subsidy + 2 000 kr in months 1–6 (hand)",
            with_supervision,
            ledger_rows(supervised, "wage_subsidy"),
            "supervision support missing, or paid beyond its months",
        ),
        _exact(
            "employer's fees on January's wage",
            "26 147 × 0.3142 on 12 February (hand)",
            [(dt.date(2027, 2, 12), ore(wage * fee))],
            ledger_rows(rep, "employer_fees")[:1],
            "fees on the wrong day or rate",
        ),
    ]


def guarantee() -> list[Check]:
    """100 000 kr start-up and 200 000 kr overhead a month on a 500 000 kr line: on 1 March the
    overhead cannot be paid and the service stops. The estate later receives January's and
    February's participant-month (10 000 kr each) and a 100 000 kr milestone; a 90 % guarantee
    on the line pays on demand (on the drawn 500 000 at once) or on the final loss (after the
    120 000 kr recovered)."""
    out = []
    for kind in ("on_demand", "final_loss"):
        sc = scenario(
            pathway={
                "start": "a",
                "states": {"a": {"transitions": {"b": {"fixed": 10}}}, "b": {"transitions": {"x": {"fixed": 1000}}}, "x": {}},
            },
            milestones={"m": {"state": "b"}},
            contract={"rate_card": {"m": {"price": 100_000}}, "fixed": {"per_participant_month": 10_000}, "verification_lag": {"days": 0}},
            provider={"opening_equity": 0, "costs": {"start_up": 100_000, "fixed_per_month": 200_000}},
            financing={
                "credit_line": {"limit": 500_000, "interest_rate": 0.0},
                "guarantee": {"share": 0.9, "type": kind, "covers": "credit_line"},
            },
            # No bill may wait: the overhead the provider cannot pay on 1 March stops it (the
            # grace days are checked in the liquidity group).
            insolvency={"rule": "stop", "takeover_cost": 25_000, "grace_days": {"suppliers": 0, "rent": 0}},
        )
        drawn = 100_000 + 200_000 + 200_000
        if kind == "on_demand":
            expected = [(dt.date(2027, 3, 1), ore(0.9 * drawn))]
            how = "90 % of the 500 000 drawn, on the stop (hand)"
        else:
            expected = [(dt.date(2027, 3, 30), ore(0.9 * (drawn - 10_000 - 100_000 - 10_000)))]
            how = "90 % of what 120 000 of recoveries leave, on the last receipt (hand)"
        out.append(
            _exact(
                f"guarantee payout, {kind.replace('_', '-')}",
                how,
                expected,
                ledger_rows(run(sc), "guarantee_payout"),
                "the guarantor paying before the estate's cash, or on the limit instead of the exposure",
            )
        )
    return out


def _xnpv(rate: float, dates: list[dt.date], flows: list[float]) -> float:
    """NPV, actual/365 from the first date, written out (not pyxirr)."""
    return sum(f / (1 + rate) ** ((d - dates[0]).days / 365) for d, f in zip(dates, flows))


def investor() -> list[Check]:
    """Four participants reach a 100 000 kr milestone on 11 Jan (paid 2 Mar); an investor put
    300 000 kr in on 1 Jan for at most 20 %: it keeps 360 000 and passes the rest on. Its rate
    of return is 1.2^(365/60) − 1, its multiple 1.2."""
    sc = scenario(
        cohorts=[("2027-01-01", 4)],
        pathway={
            "start": "a",
            "states": {"a": {"transitions": {"b": {"fixed": 10}}}, "b": {"transitions": {"x": {"fixed": 1000}}}, "x": {}},
        },
        contract={"rate_card": {"m": {"price": 100_000}}, "verification_lag": {"days": 0}},
        provider={"opening_equity": 0},
        financing={"investor": {"capital": 300_000}},
    )
    rep = run(sc)
    m = rep.metrics
    led = rep.ledger
    to = np.where(led["payee"].astype(str) == "investor", led["amount_ore"], 0)
    frm = np.where(led["payer"].astype(str) == "investor", led["amount_ore"], 0)
    net = (to - frm) / 100
    by_day: dict[dt.date, float] = {}
    for d, v in zip(led["date"], net):
        if v:
            by_day[d] = by_day.get(d, 0.0) + v
    dates, flows = list(by_day), list(by_day.values())
    days = (dt.date(2027, 3, 2) - JAN1).days
    closed = 1.2 ** (365 / days) - 1
    root = optimize.brentq(lambda r: _xnpv(r, dates, flows), -0.99, 100.0, xtol=1e-14)
    return [
        _close(
            "investor IRR vs its closed form",
            "1.2^(365/60) − 1",
            closed,
            float(m["investor_irr"]),
            1e-9,
            "a 360-day year, flows on the wrong day, the pass-through counted as the investor's",
        ),
        _close(
            "investor IRR vs pyxirr on the ledger's flows",
            "pyxirr.xirr on the investor's net flow per day",
            float(pyxirr.xirr(dates, flows)),
            float(m["investor_irr"]),
            1e-9,
            "flows summed wrongly per day or by party",
        ),
        _close(
            "investor IRR vs an independent root-finder",
            "brentq on Σ f/(1+r)^(days/365)",
            root,
            float(m["investor_irr"]),
            1e-8,
            "pyxirr's convention differing from actual/365",
        ),
        _close(
            "NPV at 5 % of the investor's flows",
            "Σ f/(1.05)^(days/365), written out",
            _xnpv(0.05, dates, flows),
            finance.xnpv(0.05, dates, flows),
            1e-9,
            "a 360-day year or discounting from the wrong date",
        ),
        _close(
            "investor multiple",
            "(300 000 + 20 %) / 300 000 (hand)",
            1.2,
            float(m["investor_multiple"]),
            1e-12,
            "the return cap ignored, or what it passes on counted as kept",
        ),
    ]


def reference_investor() -> list[Check]:
    """The reference scenario with an outcome investor: its multiple from the metrics vs the
    ledger (what it kept of the outcome payments, repayments and protection over capital)."""
    sc = sib.load_scenario(SIB_FILE)
    rep = sib.simulate(sc, 6_004, replication=0)
    led = rep.ledger
    cat, payee = led["category"].astype(str), led["payee"].astype(str)
    amt = led["amount_ore"].astype("int64")
    kept = (
        amt[cat.isin(["outcome_payment", "cohort_outcome_payment"]) & (payee == "investor")].sum()
        - amt[cat == "investor_pass_through"].sum()
    )
    back = amt[cat.isin(["investor_repayment", "investor_return", "capital_protection"])].sum()
    capital = amt[cat == "investor_capital"].sum()
    return [
        _close(
            "arbetsintegrering_sib.yaml: investor multiple",
            "(kept + repaid + protection) / capital, from the ledger",
            float((kept + back) / capital),
            float(rep.metrics["investor_multiple"]),
            1e-12,
            "a metric that disagrees with the ledger it summarises",
            seed="6004, replication 0",
        )
    ]


def run_all(full: bool) -> tuple[list[Check], dict[str, str]]:
    checks = credit_line() + vat() + wage_subsidy() + guarantee() + investor() + reference_investor()
    return checks, {"finance": "0 (deterministic); arbetsintegrering_sib.yaml: 6004, replication 0"}
