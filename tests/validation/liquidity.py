"""Short of cash and after a failure, vs hand arithmetic on deterministic scenarios.

A supplier bill that waits for the municipality's payment within its grace days (not an
insolvency; late-payment interest at the reference rate + 8 points, actual/365); the same bill
with no grace (an insolvency that morning); rent that waits more than a week (an insolvency
on its eighth day late); the same bill carried by an advance against the municipality's
approved invoice (80 %, repaid with its charge the day the invoice is paid, also after a
failure); and what the municipality pays after the provider stops: the gap at a
stated daily cost, the continuation at its price per participant-day to support's end, and
the re-procurement on the stop day.
"""

from __future__ import annotations

import calendar
import datetime as dt

from validation.deterministic import ledger_rows, month_end, ore, run, scenario, show
from validation.report import Check

GROUP = "liquidity and failure"
JAN1 = dt.date(2027, 1, 1)


def _exact(name: str, compared: str, expected, got, detects: str) -> Check:
    if isinstance(expected, list):
        return Check(GROUP, name, compared, show(expected), show(got), detects, passed=expected == got, seed="0")
    return Check(GROUP, name, compared, expected, got, detects, passed=expected == got, seed="0")


def _bridge(financing=None, **insolvency):
    """No equity, no credit: a 100 000 kr start-up bill on 1 Jan 2027, and a 150 000 kr upfront
    payment invoiced that day and paid 30 days later."""
    return scenario(
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 150_000}},
        provider={"opening_equity": 0, "costs": {"start_up": 100_000}},
        financing=financing,
        insolvency={"rule": "stop", **insolvency},
    )


def grace() -> list[Check]:
    waits = run(_bridge())
    strict = run(_bridge(grace_days={"suppliers": 0, "rent": 0}))
    interest = [(dt.date(2027, 1, 31), ore(100_000 * 0.10 * 30 / 365))]
    rent = scenario(
        pathway={"start": "b", "states": {"b": {"transitions": {"x": {"fixed": 1000}}}, "x": {}}},
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 150_000}, "payment_terms_days": 10},
        provider={"opening_equity": 0, "leases": {"states": ["b"], "monthly_rent": 100_000, "arrears_share": 1.0}},
        insolvency={"rule": "stop"},
    )
    return [
        _exact(
            "a supplier bill 30 days late within 30 days' grace: no insolvency",
            "the rule (hand)",
            "not insolvent",
            "insolvent" if waits.metrics["provider_insolvent"] else "not insolvent",
            "a one-day gap counted as a bankruptcy",
        ),
        _exact(
            "late-payment interest on it",
            "100 000 × (2 % + 8 pp) × 30/365, half up, paid when the shortfall ends (hand)",
            interest,
            ledger_rows(waits, "overdue_interest"),
            "interest on the wrong days or rate, or never paid",
        ),
        _exact(
            "the same bill without grace: the service stops that morning",
            "the rule (hand)",
            JAN1.isoformat(),
            str(strict.metrics["service_stopped_date"]),
            "a bill that may not wait treated as one that may",
        ),
        _exact(
            "rent paid 10 days late with 7 days' grace: insolvent on the 8th day late",
            "jordabalken 12:42 (hand)",
            "2027-01-09",
            str(run(rent).metrics["service_stopped_date"]),
            "rent allowed to wait like a supplier's bill",
        ),
    ]


def invoice_financing() -> list[Check]:
    """The bridge with no grace, and the upfront invoice financed: 80 % or 50 % of it."""
    no_grace = {"suppliers": 0, "rent": 0}
    terms = {"advance_rate": 0.8, "yearly_rate": 0.09, "fee_per_invoice": 300}
    carried = run(_bridge({"invoice_financing": terms}, grace_days=no_grace))
    failed = run(_bridge({"invoice_financing": {**terms, "advance_rate": 0.5}}, grace_days=no_grace))
    jan31 = dt.date(2027, 1, 31)
    flows = ("invoice_advance", "invoice_advance_repayment", "invoice_financing_fee")
    return [
        _exact(
            "an approved invoice financed the morning cash runs short",
            "80 % of 150 000 on 1 Jan, repaid on 31 Jan with 9 % × 30/365 and 300 kr (hand)",
            [(JAN1, ore(120_000)), (jan31, ore(120_000)), (jan31, ore(120_000 * 0.09 * 30 / 365) + ore(300))],
            ledger_rows(carried, flows),
            "an advance on the wrong day, of the wrong size, or a charge for the wrong days",
        ),
        _exact(
            "with it, the bill that may not wait is paid: no insolvency",
            "the rule (hand)",
            "not insolvent",
            "insolvent" if carried.metrics["provider_insolvent"] else "not insolvent",
            "a provider failing with an approved invoice it could have borrowed against",
        ),
        _exact(
            "half the invoice is not enough: the financier is still repaid from it after the failure",
            "50 % of 150 000 lent 1 Jan, repaid 31 Jan out of the invoice (hand)",
            [(JAN1, ore(75_000)), (jan31, ore(75_000)), (jan31, ore(75_000 * 0.09 * 30 / 365) + ore(300))],
            ledger_rows(failed, flows),
            "an assigned invoice left in the estate for the bank",
        ),
    ]


def continuation() -> list[Check]:
    """Two participants in service all 2027; the provider stops on 1 Jan (no grace, no cash):
    a 30-day gap at 500 kr, then 800 kr a participant-day to 31 Dec, 100 000 kr re-procurement."""
    sc = scenario(
        cohorts=(("2027-01-01", 2),),
        milestones={},
        contract={"rate_card": {}, "fixed": {"per_participant_month": 10_000}},
        provider={"opening_equity": 0, "costs": {"start_up": 100_000}},
        insolvency={
            "rule": "stop",
            "grace_days": {"suppliers": 0, "rent": 0},
            "continuation": {
                "price_per_participant_day": 800,
                "gap_days": 30,
                "gap_cost_per_participant_day": 500,
                "reprocurement_cost": 100_000,
            },
        },
    )
    rep = run(sc)
    months = [month_end(dt.date(2027, m, 1)) for m in range(1, 13)]
    days = [1] + [calendar.monthrange(2027, m)[1] for m in range(2, 13)]  # January: the 31st only, after the gap
    want = [(d, ore(2 * n * 800)) for d, n in zip(months, days)]
    total = 100_000 + 2 * 30 * 500 + sum(2 * n * 800 for n in days)
    return [
        _exact(
            "the gap after a stop",
            "2 participants × 30 days × 500 kr, at January's end (hand)",
            [(dt.date(2027, 1, 31), ore(30_000))],
            ledger_rows(rep, "service_gap"),
            "participants left without cost in the gap",
        ),
        _exact(
            "the continuation, month by month",
            "2 × days in service after the gap × 800 kr (hand)",
            want,
            ledger_rows(rep, "continuation"),
            "continuation for the wrong days, or none",
        ),
        _exact(
            "re-procurement on the stop day",
            "100 000 kr on 1 Jan (hand)",
            [(JAN1, ore(100_000))],
            ledger_rows(rep, "reprocurement"),
            "a failure that costs the municipality nothing to replace",
        ),
        _exact(
            "the municipality's whole cost",
            "gap + continuation + re-procurement (hand)",
            float(total),
            float(rep.metrics["commissioner_whole_cost"]),
            "a municipality whose cost falls because the provider failed",
        ),
    ]


def run_all(full: bool) -> tuple[list[Check], dict[str, str]]:
    return grace() + invoice_financing() + continuation(), {"liquidity and failure": "0 (deterministic)"}
