"""What a failure costs the municipality: it carries the service on, and its whole cost counts
that (docs/how-it-works.md §7)."""

from __future__ import annotations

import pytest
from helpers_deterministic import D, rows, run, scenario_dict

import sib
from sib.scenario.edit import with_values
from sib.scenario.loader import build


def _failing(**continuation) -> dict:
    """Two participants enrolled on 1 Jan 2027, in service all year (service 12 months, no
    tail); no equity, no credit and no bill may wait, so the 100 000 kr start-up on 1 Jan stops
    the provider that morning. The municipality carries the two on."""
    raw = scenario_dict(
        cohorts=(("2027-01-01", 2),),
        milestones={},
        contract={"rate_card": {}, "fixed": {"per_participant_month": 10_000}},
        provider={"opening_equity": 0, "costs": {"start_up": 100_000}},
    )
    raw["insolvency"] = {
        "rule": "stop",
        "grace_days": {"suppliers": 0, "rent": 0},
        "continuation": {
            "price_per_participant_day": 800,
            "gap_days": 30,
            "gap_cost_per_participant_day": 500,
            "reprocurement_cost": 100_000,
            **continuation,
        },
    }
    return raw


def test_the_municipality_pays_the_gap_the_continuation_and_the_reprocurement():
    """Gap: 1–30 January, 2 × 30 days × 500 kr = 30 000 kr on 31 Jan; then 800 kr a participant-
    day from 31 January: 2 × 1 × 800 on 31 Jan, 2 × 28 × 800 on 28 Feb, ... 2 × 31 × 800 on 31 Dec;
    re-procurement 100 000 kr on the stop day."""
    rep = run(_failing())
    m = rep.metrics
    assert m["service_stopped_date"] == D("2027-01-01") and m["participants_taken_over"] == 2
    assert rows(rep, "reprocurement") == [(D("2027-01-01"), "commissioner", "external", "reprocurement", 10_000_000, None, None)]
    assert rows(rep, "service_gap") == [(D("2027-01-31"), "commissioner", "external", "service_gap", 3_000_000, None, None)]
    days = {1: 1, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
    want = [(D(f"2027-{mo:02d}-{[31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]}"), 2 * n * 800 * 100) for mo, n in days.items()]
    assert [(r[0], r[4]) for r in rows(rep, "continuation")] == want
    total = 100_000 + 30_000 + sum(a for _, a in want) / 100
    assert m["continuation_cost"] == total
    # The municipality paid the provider nothing (it stopped on its first morning): its whole
    # cost is the continuation's, and in the 2027 budget year.
    assert m["commissioner_paid"] == 0
    assert m["commissioner_whole_cost"] == m["commissioner_whole_cost_2027"] == total
    assert m["commissioner_cost_continuation"] + m["commissioner_cost_service_gap"] + m["commissioner_cost_reprocurement"] == total


def test_the_continuation_price_follows_wages_each_january():
    raw = _failing(gap_days=0)
    raw["contract"]["service_months"] = 24
    raw["provider"]["costs"]["indexation"] = {"wages": 0.03}
    cont = rows(run(raw), "continuation")
    assert cont[0] == (D("2027-01-31"), "commissioner", "external", "continuation", 2 * 31 * 800 * 100, None, None)
    assert cont[12] == (D("2028-01-31"), "commissioner", "external", "continuation", round(2 * 31 * 800 * 1.03 * 100), None, None)


def test_without_a_gap_cost_or_a_counterfactual_the_scenario_is_refused():
    raw = _failing(gap_cost_per_participant_day=None)
    with pytest.raises(sib.ScenarioError, match=r"insolvency\.continuation\.gap_cost_per_participant_day"):
        build(raw)


def _fee_only(name: str, price: float) -> sib.Scenario:
    """A reference scenario paid by the participant-day only (no outcome part, no upfront
    payment), made to fail often (little equity, a small line), with a continuation at ``price``."""
    sc = sib.load_scenario(f"scenarios/{name}.yaml")
    return with_values(
        sc,
        {
            "contract.outcome_share": None,
            "contract.rate_card": {},
            "contract.fixed.upfront": 0,
            "contract.caps": None,
            "contract.pricing.replications": 50,
            "provider.opening_equity": 0,
            "financing.credit_line.limit": 400_000,
            "insolvency.continuation": {"price_per_participant_day": price, "gap_days": 30, "reprocurement_cost": 150_000},
        },
    )


def test_a_failure_never_makes_the_municipality_pay_less():
    """On common random numbers, a replication in which the provider fails costs the
    municipality at least what the same replication costs when the provider carries on, if
    carrying the service on costs at least the contract's highest price per participant-day
    (here the fee a month over 28 days, the most it pays for a day; the gap costs shelter days
    at 1 000 kr)."""
    fee = sib.load_scenario("scenarios/bostad_forst_utan_garanti.yaml").contract.fixed.per_participant_month
    stop = _fee_only("bostad_forst_utan_garanti", fee / 28)
    go = with_values(stop, {"insolvency.rule": "continue"})
    failed = 0
    for i in range(16):
        a, b = sib.simulate(stop, 7, i).metrics, sib.simulate(go, 7, i).metrics
        if a["service_stopped"]:
            failed += 1
            assert a["commissioner_whole_cost"] >= b["commissioner_whole_cost"], (
                i,
                a["commissioner_whole_cost"],
                b["commissioner_whole_cost"],
            )
            # The provider's own payments fall: that alone would have looked like a saving.
            assert a["commissioner_paid"] < b["commissioner_paid"]
    assert failed >= 4, "the stressed scenario must fail in some replications"


def test_the_whole_cost_is_everything_the_municipality_pays_less_what_it_receives():
    """Itemised, it adds up; and a kommunal borgen that is called counts in it."""
    sc = with_values(
        sib.load_scenario("scenarios/bostad_forst_kommunal_borgen.yaml"),
        {
            "provider.opening_equity": 0,
            "contract.pricing.replications": 50,
            "contract.outcome_share": 0.5,
            "financing.credit_line.limit": 60_000,
            "financing.guarantee.max_amount": 540_000,
        },
    )
    called = 0
    for i in range(12):
        rep = sib.simulate(sc, 4, i)
        m = rep.metrics
        led = rep.ledger
        out = led[led["payer"].astype(str) == "commissioner"]["amount_ore"].sum()
        back = led[led["payee"].astype(str) == "commissioner"]["amount_ore"].sum()
        assert m["commissioner_whole_cost"] == (out - back) / 100
        items = [v for k, v in m.items() if k.startswith("commissioner_cost_")]
        assert sum(items) == pytest.approx(m["commissioner_whole_cost"], abs=0.01)
        assert sum(v for k, v in m.items() if k.startswith("commissioner_whole_cost_2")) == pytest.approx(
            m["commissioner_whole_cost"], abs=0.01
        )
        if m["guarantee_called"]:
            called += 1
            # The municipality is the guarantor: it pays the bank, less what it recovers and its fees.
            assert m["commissioner_cost_guarantee"] == pytest.approx(
                m["guarantor_paid"] - m["guarantor_recovered"] - m["guarantor_fees"], abs=0.005
            )
    assert called, "the guarantee must be called in some replications"


def test_a_continuation_without_a_gap_needs_no_gap_cost_and_no_economics():
    """The municipality takes the two on the stop day itself: no gap, so no gap cost to give and
    no economics to read one from (such a file validated, then crashed at the stop). It pays
    800 kr a participant-day for the whole year, 2 × 365 days, and the re-procurement."""
    raw = _failing(gap_days=0)
    del raw["insolvency"]["continuation"]["gap_cost_per_participant_day"]
    assert "economics" not in raw
    rep = run(raw)
    assert rows(rep, "service_gap") == []
    assert rep.metrics["continuation_cost"] == 100_000 + 2 * 365 * 800
