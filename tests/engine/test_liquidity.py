"""Short of cash is not insolvent: bills that may wait, the insolvency test, the interest on the
days short, and the funding need whatever the rule (docs/how-it-works.md §7)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers_deterministic import D, rows, run, scenario_dict
from plain_liquidity import plain_assess

import sib
from sib.engine.liquidity import assess
from sib.scenario.edit import with_values
from sib.scenario.loader import build

NO_GRACE = {"suppliers": 0, "rent": 0}


def _bridge(**insolvency) -> dict:
    """No equity and no credit: a 100 000 kr start-up bill on 1 Jan, and a 150 000 kr upfront
    payment invoiced that day and paid 30 days later, on 31 Jan. The provider is 100 000 kr
    short from 1 to 30 January."""
    raw = scenario_dict(
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 150_000}},
        provider={"opening_equity": 0, "costs": {"start_up": 100_000}},
    )
    raw["insolvency"] = {"rule": "stop", **insolvency}
    return raw


def test_a_supplier_paid_thirty_days_late_is_a_cost_not_a_bankruptcy():
    """30 days' grace for suppliers: the start-up bill waits for the municipality's payment, and
    costs 10 % a year for the 30 days it waited: 100 000 × 0.10 × 30/365 = 821.92 kr."""
    rep = run(_bridge())
    m = rep.metrics
    assert not m["provider_insolvent"] and not m["service_stopped"]
    assert m["shortfall_days"] == 30 and m["shortfall_deepest"] == 100_000
    assert rows(rep, "overdue_interest") == [(D("2027-01-31"), "provider", "external", "overdue_interest", 82_192, None, None)]
    assert m["shortfall_cost"] == 821.92
    assert m["funding_need"] == 100_000 and m["provider_min_liquidity"] == -100_000


def test_without_grace_the_first_bill_that_cannot_be_paid_stops_the_service():
    m = run(_bridge(grace_days=NO_GRACE)).metrics
    assert m["provider_insolvent"] and m["service_stopped_date"] == D("2027-01-01")
    # What would have carried it through is known under the stop rule too.
    assert m["funding_need"] == 100_000


def test_a_shortfall_that_lasts_too_long_is_an_insolvency():
    """With ``max_days_short`` 20 the shortfall from 1 January is more than temporary on its
    21st day, 21 January, though no bill has waited past its grace and none falls due then."""
    m = run(_bridge(max_days_short=20)).metrics
    assert m["provider_insolvent"] and m["service_stopped_date"] == D("2027-01-21")
    assert m["shortfall_days"] == 20


def test_wages_cannot_wait():
    """A salary due on 25 January that cash cannot cover is an insolvency that day, though the
    municipality's payment comes six days later and suppliers could have waited."""
    raw = scenario_dict(
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 150_000}, "payment_terms_days": 30},
        provider={
            "opening_equity": 0,
            "costs": {"caseload": {"participants_per_caseworker": 10, "monthly_salary": 40_000, "minimum_caseworkers": 1}},
        },
    )
    raw["insolvency"] = {"rule": "stop"}
    m = run(raw).metrics
    assert m["provider_insolvent"] and m["service_stopped_date"] == D("2027-01-25")
    # Under ``continue`` it runs on: the same insolvency, and the service goes on.
    raw["insolvency"]["rule"] = "continue"
    m = run(raw).metrics
    assert m["provider_insolvent"] and not m["service_stopped"] and m["provider_insolvency_date"] == D("2027-01-25")


def test_rent_waits_a_week_only():
    """Rent on the leases the provider holds is forfeit after a week: 7 days' grace."""
    base = _bridge()
    base["provider"]["costs"] = {}
    base["provider"]["leases"] = {"states": ["b"], "monthly_rent": 100_000, "arrears_share": 1.0}  # tenants pay nothing
    base["pathway"] = {"start": "b", "states": {"b": {"transitions": {"x": {"fixed": 1000}}}, "x": {}}}
    base["contract"]["fixed"] = {"upfront": 150_000}
    base["contract"]["payment_terms_days"] = 10
    # January's rent (1 Jan) waits for the payment on 11 Jan: 10 days, more than a week.
    assert run(base).metrics["service_stopped_date"] == D("2027-01-09")
    # With 15 days' grace it waits; February's rent (1 Feb) finds 50 000 kr and no more income:
    # its grace runs out on 16 Feb, and the provider is insolvent on 17 Feb.
    base["insolvency"]["grace_days"] = {"suppliers": 30, "rent": 15}
    m = run(base).metrics
    assert m["service_stopped_date"] == D("2027-02-17") and m["shortfall_days"] == 10 + 16


def _stressed(name: str, **changes) -> sib.Scenario:
    path = sib.load_scenario(f"scenarios/{name}.yaml")
    return with_values(path, {"provider.opening_equity": 100_000, "contract.pricing.replications": 50, **changes})


@pytest.mark.parametrize("grace, max_days", [((30, 7), None), ((0, 0), None), ((10, 3), 45), ((60, 30), 20)])
@pytest.mark.parametrize("name", ["bostad_forst_utan_garanti", "arbetsintegrering"])
def test_the_compiled_test_is_the_rule_written_in_plain_python(name, grace, max_days):
    """The kernel against an independent day-by-day walker, on accounts that run short."""
    sc = _stressed(name, **{"insolvency.rule": "continue"})
    short = 0
    for i in range(12):
        acc = sib.simulate(sc, 5, i)._model.unstopped
        r = acc.rows
        got = assess(r.day, r.payer, r.category, r.amount, acc.liquidity, grace, 0.1, max_days, int(r.day[-1]) + 40)
        want = plain_assess(
            list(zip(r.day.tolist(), r.payer.tolist(), r.category.tolist(), r.amount.tolist())),
            acc.liquidity.tolist(),
            grace,
            0.1,
            max_days,
            int(r.day[-1]) + 40,
        )
        assert (got.insolvent_row, got.insolvent_day, got.at_start_of_day) == (want.insolvent_row, want.insolvent_day, want.at_start_of_day)
        assert (got.days_short, got.deepest) == (want.days_short, want.deepest)
        assert list(zip(got.interest_day.tolist(), got.interest_row.tolist(), got.interest.tolist())) == want.interest
        short += got.days_short > 0
    assert short >= 3, "the variants must run short for the comparison to mean anything"


def test_without_grace_insolvency_is_any_shortfall():
    """The old rule is the special case of no grace: insolvent exactly when the funding need is
    positive, in every replication."""
    sc = _stressed("bostad_forst_utan_garanti", **{"insolvency.grace_days.suppliers": 0, "insolvency.grace_days.rent": 0})
    m = [sib.simulate(sc, 1, i).metrics for i in range(20)]
    assert [x["provider_insolvent"] for x in m] == [x["funding_need"] > 0 for x in m]
    assert any(x["provider_insolvent"] for x in m)


def test_grace_never_makes_a_provider_fail_sooner():
    """More grace can only move an insolvency later or remove it (common random numbers)."""
    strict = _stressed("bostad_forst_utan_garanti", **{"insolvency.grace_days.suppliers": 0, "insolvency.grace_days.rent": 0})
    lenient = _stressed("bostad_forst_utan_garanti")
    later = 0
    for i in range(20):
        a, b = sib.simulate(strict, 1, i).metrics, sib.simulate(lenient, 1, i).metrics
        if b["provider_insolvent"]:
            assert a["provider_insolvent"] and a["provider_insolvency_date"] <= b["provider_insolvency_date"]
        later += a["provider_insolvent"] and (not b["provider_insolvent"] or b["provider_insolvency_date"] > a["provider_insolvency_date"])
    assert later, "grace should rescue or delay some of these providers"


def test_the_funding_need_is_the_same_under_stop_and_continue():
    """The money that would have carried the provider through is measured on the walk without a
    stop, so the insolvency rule does not change it, and the lowest liquidity can be negative."""
    stop = _stressed("bostad_forst_utan_garanti")
    go = with_values(stop, {"insolvency.rule": "continue"})
    stopped = 0
    for i in range(10):
        a, b = sib.simulate(stop, 2, i).metrics, sib.simulate(go, 2, i).metrics
        assert a["funding_need"] == b["funding_need"]
        assert a["provider_min_liquidity"] == b["provider_min_liquidity"] == min(b["provider_min_liquidity"], -b["funding_need"])
        stopped += a["service_stopped"]
    assert stopped, "some replications must stop for this to test anything"


def test_bad_grace_is_refused_with_its_path():
    raw = _bridge(grace_days={"suppliers": -1})
    with pytest.raises(sib.ScenarioError, match=r"insolvency\.grace_days\.suppliers"):
        build(raw)


def test_the_stop_walk_refuses_the_payment_the_test_fired_at():
    """Under ``stop`` the service stops on the day the insolvency test fired; what the provider
    owed past due that day is left unpaid by the estate, and counted."""
    sc = _stressed("bostad_forst_utan_garanti")
    seen = 0
    for i in range(15):
        rep = sib.simulate(sc, 3, i)
        m = rep.metrics
        if not m["service_stopped"]:
            continue
        seen += 1
        assert m["service_stopped_date"] == m["provider_insolvency_date"]
        led = rep.ledger
        written = led[led["category"].astype(str) == "unpaid_at_stop"]["amount_ore"].sum() / 100
        assert m["unpaid_at_stop"] == written and m["unpaid_obligations"] >= written
        assert np.all(rep.positions()["cash"].iloc[-1:] >= 0)
    assert seen
