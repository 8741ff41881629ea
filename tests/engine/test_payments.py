"""Outcome payments equal the capped prices of the verified milestones, none paid before due."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import pytest
from helpers_deterministic import (
    D,
    chain,
    engine_verify,
    expected_payment_date,
    month_end,
    ore,
    quarter_end,
    raw_scenario,
    rows,
    run,
    scenario_dict,
    with_changes,
)

OUT, COHORT = "outcome_payment", "cohort_outcome_payment"
BOSTAD = "scenarios/bostad_forst.yaml"


# ---------------------------------------------------------------- caps, deterministic


def test_per_participant_cap_binds_exactly():
    # b on 31 Jan (30 000 kr), c on 2 Mar (40 000 kr); the cap of 50 000 kr cuts the second to 20 000.
    raw = scenario_dict(
        cohorts=[("2027-01-01", 2)],
        pathway=chain(("a", 30), ("b", 30), ("c", 1000)),
        milestones={"mb": {"state": "b"}, "mc": {"state": "c"}},
        contract={
            "rate_card": {"mb": {"price": 30_000}, "mc": {"price": 40_000}},
            "caps": {"per_participant": 50_000},
        },
    )
    rep = run(raw)
    C, P = "commissioner", "provider"
    assert rows(rep) == [
        (D("2027-04-30"), C, P, OUT, 3_000_000, 0, 1),
        (D("2027-04-30"), C, P, OUT, 3_000_000, 1, 1),
        # 2 Mar + 2 months = 2 May → 31 May → 30 Jun.
        (D("2027-06-30"), C, P, OUT, 2_000_000, 0, 2),
        (D("2027-06-30"), C, P, OUT, 2_000_000, 1, 2),
    ]


def test_per_participant_cap_stops_further_payments_once_reached():
    raw = scenario_dict(
        cohorts=[("2027-01-01", 1)],
        pathway=chain(("a", 30), ("b", 30), ("c", 1000)),
        milestones={"mb": {"state": "b"}, "mc": {"state": "c"}, "months": {"state": "c", "each_full_month": True}},
        contract={
            "rate_card": {"mb": {"price": 30_000}, "mc": {"price": 15_000}, "months": {"price": 1_000}},
            "caps": {"per_participant": 50_000},
        },
    )
    rep = run(raw)
    paid = [r[4] for r in rows(rep, OUT)]
    assert sum(paid) == ore(50_000)
    # 30 000 + 15 000 + five monthly payments of 1 000; nothing after the cap is reached.
    assert paid == [3_000_000, 1_500_000] + [100_000] * 5


def test_total_cap_binds_exactly_and_later_claims_get_nothing():
    raw = scenario_dict(
        cohorts=[("2027-01-01", 3), ("2027-02-01", 2)],
        pathway=chain(("a", 30), ("b", 1000)),
        contract={"rate_card": {"m": {"price": 30_000}}, "caps": {"total": 70_000}},
    )
    rep = run(raw)
    C, P = "commissioner", "provider"
    assert rows(rep) == [
        (D("2027-04-30"), C, P, OUT, 3_000_000, 0, 1),
        (D("2027-04-30"), C, P, OUT, 3_000_000, 1, 1),
        (D("2027-04-30"), C, P, OUT, 1_000_000, 2, 1),
    ]
    assert rep.metrics["commissioner_paid_outcome"] == 70_000


# ---------------------------------------------------------------- caps on a stochastic scenario


def _replay(rep, raw):
    """Independent replay: every priced milestone in ``rep.events``, capped in payment order."""
    c = raw["contract"]
    names = list(c["rate_card"])
    price = {n: ore(c["rate_card"][n]["price"]) for n in names}
    cap_pp = ore(c["caps"]["per_participant"]) if c.get("caps", {}).get("per_participant") is not None else math.inf
    cap_total = ore(c["caps"]["total"]) if c.get("caps", {}).get("total") is not None else math.inf
    lag, period = c.get("verification_lag", {"months": 2}), c.get("invoice_period", "monthly")
    terms = c.get("payment_terms_days", 30)
    ev = rep.events[rep.events["event"] == "milestone"]
    start = dt.date.fromisoformat(str(raw["start_date"]))
    claims = []
    for p, reached, m in zip(ev["participant"], ev["date"], ev["milestone"]):
        if m in price:
            verified = engine_verify(reached, lag)
            invoiced = month_end(verified) if period == "monthly" else quarter_end(verified)
            claims.append((invoiced, reached, int(p), names.index(m), m))
    paid_pp: dict[int, int] = defaultdict(int)
    total = 0
    out = []
    for invoiced, reached, p, _i, m in sorted(claims):
        # Prices indexed each 1 January since the start, by the year the outcome was reached.
        indexed = round(price[m] * (1 + c.get("indexation", 0.0)) ** (reached.year - start.year))
        amount = min(indexed, cap_pp - paid_pp[p], cap_total - total)
        if amount > 0:
            paid_pp[p] += amount
            total += amount
            out.append((invoiced + dt.timedelta(days=terms), p, int(amount), reached))
    return sorted(out)


def _ledger_outcomes(rep):
    led = rep.ledger[rep.ledger["category"].astype(str) == OUT]
    return sorted(zip(led["date"], (int(p) for p in led["participant"]), (int(a) for a in led["amount_ore"]), led["accrued"]))


CAPPED = {
    "contract.outcome_share": ...,
    "contract.rejected_share": 0.0,
    "contract.caps": {"per_participant": 60_000, "total": 2_000_000},
    "contract.pricing": {"replications": 20},
}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(
    "changes",
    [
        CAPPED,
        {**CAPPED, "contract.caps": {"per_participant": 60_000}},
        {**CAPPED, "contract.invoice_period": "quarterly", "contract.verification_lag": {"days": 45}, "contract.payment_terms_days": 45},
    ],
    ids=["both caps", "per-participant cap", "quarterly, 45 days"],
)
def test_outcome_payments_equal_capped_prices_of_verified_milestones(changes, seed):
    raw = with_changes(raw_scenario(BOSTAD), {"insolvency.rule": "continue", **changes})
    rep = run(raw, seed)
    got, want = _ledger_outcomes(rep), _replay(rep, raw)
    assert got == want
    caps = raw["contract"]["caps"]
    per = defaultdict(int)
    for _d, p, a, _r in got:
        per[p] += a
    # Never exceeded, and actually binding.
    assert max(per.values()) == ore(caps["per_participant"])
    if "total" in caps:
        assert sum(per.values()) == ore(caps["total"])


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"contract.invoice_period": "quarterly", "contract.verification_lag": {"days": 45}, "contract.payment_terms_days": 45},
        {"contract.verification_lag": {"weeks": 10}, "contract.payment_terms_days": 0},
    ],
    ids=["as filed", "quarterly, 45 days", "10 weeks, terms 0"],
)
def test_nothing_paid_before_due(changes, seed):
    # The contract's mechanics are under test: the run goes on whatever the provider's cash.
    raw = with_changes(raw_scenario(BOSTAD), {"contract.pricing": {"replications": 40}, "insolvency.rule": "continue", **changes})
    rep = run(raw, seed)
    c = raw["contract"]
    lag, period, terms = c["verification_lag"], c.get("invoice_period", "monthly"), c["payment_terms_days"]
    ev = rep.events[rep.events["event"] == "milestone"]
    reached = defaultdict(list)
    for p, d in zip(ev["participant"], ev["date"]):
        reached[int(p)].append(d)
    led = rep.ledger[rep.ledger["category"].astype(str) == OUT]
    assert len(led) > 50
    for date, p, accrued in zip(led["date"], led["participant"], led["accrued"]):
        assert accrued in reached[int(p)], "an outcome payment for a milestone the participant never reached"
        assert date >= engine_verify(accrued, lag)
        assert date == expected_payment_date(accrued, lag, period, terms)
    # The per-participant cap (in kr, not scaled by pricing) is never exceeded.
    cap = c.get("caps", {}).get("per_participant")
    if cap is not None:
        per = led.groupby(led["participant"].astype(int))["amount_ore"].sum()
        assert int(per.max()) <= ore(cap)


# ---------------------------------------------------------------- rejections


def _many(n, pathway, milestones, rate_card, rejected, months=12):
    raw = scenario_dict(
        cohorts=[("2027-01-01", n)],
        pathway=pathway,
        milestones=milestones,
        contract={"service_months": months, "rate_card": rate_card, "rejected_share": rejected},
    )
    return run(raw, seed=11)


@pytest.mark.parametrize("share", [0.0, 0.1, 0.3, 0.6])
def test_rejected_share_rejects_about_that_share(share):
    n = 3000
    rep = _many(n, chain(("a", 30), ("b", 1000)), {"m": {"state": "b"}}, {"m": {"price": 100}}, share)
    rejected, verified = rep.metrics["outcome_claims_rejected"], rep.metrics["outcome_claims_verified"]
    assert rejected + verified == n
    assert len(rows(rep, OUT)) == verified
    sd = math.sqrt(n * share * (1 - share))
    assert abs(rejected - share * n) <= 4 * sd + 1e-9


def test_rejected_share_applies_to_every_claim_of_a_long_stay():
    # Each full month in b over a 48-month window: ~47 claims per participant.
    n, share = 200, 0.3
    rep = _many(
        n,
        chain(("a", 30), ("b", 5000)),
        {"m": {"state": "b", "each_full_month": True}},
        {"m": {"price": 100}},
        share,
        months=48,
    )
    rejected, verified = rep.metrics["outcome_claims_rejected"], rep.metrics["outcome_claims_verified"]
    claims = rejected + verified
    assert claims == n * 47  # 31 Jan 2027 + k months < 1 Jan 2031 for k = 1..47
    assert len(rows(rep, OUT)) == verified
    sd = math.sqrt(claims * share * (1 - share))
    assert abs(rejected - share * claims) <= 4 * sd, f"rejected {rejected} of {claims} ({rejected / claims:.3f}), expected ~{share}"


# ---------------------------------------------------------------- tiers and baselines (cohort-settled)


def _cohort(item: dict, cap_total: float | None = None, price: float = 10_000):
    """10 enrolled: 4 (enrolled 1 Jan) reach b on 10 Feb; 6 (enrolled 1 Dec) would reach it after the window."""
    contract = {"rate_card": {"m": {"price": price, **item}}}
    if cap_total is not None:
        contract["caps"] = {"total": cap_total}
    raw = scenario_dict(
        cohorts=[("2027-01-01", 4), ("2027-12-01", 6)],
        pathway=chain(("a", 40), ("b", 1000)),
        contract=contract,
    )
    rep = run(raw)
    assert rep.metrics["enrolled"] == 10 and rep.metrics["milestone_m"] == 4
    return rep


def _settled_row(amount_ore):
    # Settled at cohort end: the window closes 1 Jan 2028; the last day 31 Dec 2027 + 2 months =
    # 29 Feb 2028 → invoiced 29 Feb → paid 30 Mar 2028.
    return (D("2028-03-30"), "commissioner", "provider", COHORT, amount_ore, None, 1)


@pytest.mark.parametrize("threshold", [0.41, 0.5, 1.0])
def test_threshold_not_reached_pays_nothing(threshold):
    rep = _cohort({"threshold": threshold})
    assert rows(rep) == []


def _tier_rows(*amounts_ore):
    """A met tier pays each participant's claim on the settling invoice (participants 0-3)."""
    return [(D("2028-03-30"), "commissioner", "provider", COHORT, amount, person, 1) for person, amount in enumerate(amounts_ore)]


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.4])
def test_threshold_reached_pays_every_unit_at_cohort_end(threshold):
    rep = _cohort({"threshold": threshold})
    assert rows(rep) == _tier_rows(*[1_000_000] * 4)
    # Each line accrues on the day its participant reached the milestone (10 Feb 2027).
    assert set(rep.ledger["accrued"]) == {D("2027-02-10")}


def test_threshold_payment_respects_total_cap():
    rep = _cohort({"threshold": 0.3}, cap_total=25_000)
    assert rows(rep) == _tier_rows(1_000_000, 1_000_000, 500_000)


def test_threshold_payment_respects_the_per_participant_cap():
    """Catches a tier settled as one cohort line, which no participant's cap could limit."""
    contract = {"rate_card": {"m": {"price": 10_000, "threshold": 0.3}}, "caps": {"per_participant": 4_000}}
    raw = scenario_dict(
        cohorts=[("2027-01-01", 4), ("2027-12-01", 6)],
        pathway=chain(("a", 40), ("b", 1000)),
        contract=contract,
    )
    rep = run(raw)
    assert rows(rep) == _tier_rows(*[400_000] * 4)


@pytest.mark.parametrize(
    "baseline, units",
    [(0.0, 4), (0.2, 2), (0.4, 0), (0.5, 0), (0.9, 0)],
)
def test_baseline_pays_only_units_above_baseline(baseline, units):
    rep = _cohort({"baseline_rate": baseline})
    assert rows(rep) == ([_settled_row(units * 1_000_000)] if units else [])


def test_baseline_fractional_expected_count():
    # Baseline 0.25 of 10 = 2.5 outcomes expected anyway; 4 reached: 1.5 are above it. Paying
    # whole units above the baseline (1) or the exact excess (1.5) are both defensible; more is not.
    rep = _cohort({"baseline_rate": 0.25})
    assert rows(rep) in ([_settled_row(1_000_000)], [_settled_row(1_500_000)])


def test_threshold_not_reached_pays_nothing_even_with_a_baseline():
    # 4 of 10 (40 %) is under the 50 % threshold: the tier pays nothing, whatever the baseline.
    rep = _cohort({"threshold": 0.5, "baseline_rate": 0.1})
    assert rows(rep) == []


def test_threshold_and_baseline_both_met_pay_units_above_baseline():
    rep = _cohort({"threshold": 0.3, "baseline_rate": 0.1})
    assert rows(rep) == [_settled_row(3 * 1_000_000)]


def test_cohort_settled_items_are_not_also_paid_per_claim():
    rep = _cohort({"threshold": 0.3})
    assert rows(rep, OUT) == []
    assert rep.metrics["commissioner_paid_outcome"] == 40_000


def _tiered(tiers, cap_per_participant=None):
    contract = {"rate_card": {"m": {"tiers": tiers}}}
    if cap_per_participant is not None:
        contract["caps"] = {"per_participant": cap_per_participant}
    raw = scenario_dict(
        cohorts=[("2027-01-01", 4), ("2027-12-01", 6)],
        pathway=chain(("a", 40), ("b", 1000)),
        contract=contract,
    )
    return run(raw)


@pytest.mark.parametrize(
    "tiers, price_ore",
    [
        # 4 of 10 reached (40 %): the highest tier reached sets the price of all four.
        ([{"share": 0.2, "price": 5_000}, {"share": 0.4, "price": 10_000}, {"share": 0.6, "price": 20_000}], 1_000_000),
        ([{"share": 0.1, "price": 5_000}, {"share": 0.3, "price": 7_000}], 700_000),
        ([{"share": 0.5, "price": 5_000}, {"share": 0.9, "price": 7_000}], 0),
    ],
)
def test_tiers_price_every_outcome_by_the_cohort_share_reached(tiers, price_ore):
    """Catches the wrong tier chosen (lowest instead of highest reached, or one above the share)."""
    rep = _tiered(tiers)
    assert rows(rep) == (_tier_rows(*[price_ore] * 4) if price_ore else [])


def test_tier_prices_obey_the_per_participant_cap():
    rep = _tiered([{"share": 0.2, "price": 5_000}, {"share": 0.4, "price": 10_000}], cap_per_participant=6_000)
    assert rows(rep) == _tier_rows(*[600_000] * 4)


def test_tiers_and_a_threshold_together_are_refused():
    from sib.scenario.errors import ScenarioError
    from sib.scenario.loader import build

    raw = scenario_dict(
        cohorts=[("2027-01-01", 4)],
        pathway=chain(("a", 40), ("b", 1000)),
        contract={"rate_card": {"m": {"tiers": [{"share": 0.2, "price": 1}], "threshold": 0.3}}},
    )
    with pytest.raises(ScenarioError, match="give 'threshold' or 'tiers', not both"):
        build(raw)
