"""Whose pocket: avoided costs against the counterfactual, societal value, three views.

Avoided costs compare the same people over the same days (sib/economics.py): every referral
from the day they were referred to the horizon, with the intervention and without it. The
deterministic cases below are worked out by hand, in days and kronor."""

import math

import pytest
from helpers_deterministic import scenario_dict

import sib
from sib.scenario.errors import ScenarioError
from sib.scenario.loader import build

SHELTER = {"start": "shelter", "states": {"shelter": {"transitions": {"gone": {"fixed": 20, "unit": "years"}}}, "gone": {}}}
#: Without the intervention: 30 days in a shelter (1 000 kr a day), then the staircase (1 100 kr).
SHELTER_THEN_STAIRCASE = {
    "start": "shelter",
    "states": {
        "shelter": {"transitions": {"staircase": {"fixed": 30}}},
        "staircase": {"transitions": {"gone": {"fixed": 20, "unit": "years"}}},
        "gone": {},
    },
}
COSTS = {"shelter": {"municipality": 1_000}, "staircase": {"municipality": 1_100}}


def _housed(days: float = 5 * 365, exit: str = "x") -> dict:
    """Housed for ``days``, then the exit ``exit``."""
    return {"start": "housed", "states": {"housed": {"transitions": {exit: {"fixed": days}}}, exit: {}}}


def _raw(pathway: dict | None = None, counterfactual: dict | None = None, after_exit: dict | None = None, **kw) -> dict:
    """Participants housed (by default all year: 365 days in the window) who would otherwise be
    in ``counterfactual`` (an emergency shelter all along by default)."""
    raw = scenario_dict(
        pathway=pathway or _housed(), milestones={"m": {"state": "housed"}}, contract={"rate_card": {"m": {"price": 0}}}, **kw
    )
    counterfactual = counterfactual or SHELTER
    raw["economics"] = {
        "discount_rate": 0.0,
        "counterfactual": counterfactual,
        "after_exit": after_exit if after_exit is not None else {"x": None},
        "daily_costs": {state: cost for state, cost in COSTS.items() if state in counterfactual["states"]},
    }
    return raw


def _avoided(raw: dict, replication: int = 0) -> float:
    return sib.simulate(build(raw), 0, replication=replication).metrics["econ_avoided_municipality"]


def _scenario(rate: float = 0.0, fee: float = 0.0):
    """One participant housed all year (365 days in the window) who would otherwise have spent
    it in an emergency shelter at 1 000 kr a day to the municipality; housing is worth 10 000 kr
    a year to society for 2 years; the municipality pays ``fee`` kr a month."""
    raw = scenario_dict(
        pathway={"start": "housed", "states": {"housed": {"transitions": {"x": {"fixed": 5, "unit": "years"}}}, "x": {}}},
        milestones={"m": {"state": "housed"}},
        contract={"rate_card": {"m": {"price": 0}}, "fixed": {"monthly": fee}},
    )
    raw["economics"] = {
        "discount_rate": rate,
        "counterfactual": SHELTER,
        "after_exit": {"x": "shelter"},
        "daily_costs": {"shelter": {"municipality": 1_000}},
        "outcome_values": {"m": 10_000},
        "value_horizon_years": 2,
    }
    return build(raw)


def test_avoided_costs_and_societal_value_undiscounted():
    """Catches avoided costs counted over the wrong days, or a value counted past its horizon."""
    m = sib.simulate(_scenario(), 0).metrics
    assert m["econ_avoided_municipality"] == pytest.approx(365_000)
    assert m["econ_avoided_state"] == 0
    assert m["econ_societal_value"] == pytest.approx(20_000)


def test_discounting_is_continuous_at_the_stated_yearly_rate():
    m = sib.simulate(_scenario(rate=0.05), 0).metrics
    delta = math.log(1.05) / 365
    assert m["econ_avoided_municipality"] == pytest.approx(1_000 * (1 - math.exp(-delta * 365)) / delta)
    assert m["econ_rate_basis"] == "real"


def test_three_views_are_kept_apart():
    """12 × 20 000 kr paid by the municipality against 365 000 kr of shelter avoided."""
    m = sib.simulate(_scenario(fee=20_000), 0).metrics
    assert m["econ_municipality_net_cost"] == pytest.approx(240_000 - 365_000)
    assert m["econ_municipality_bcr"] == pytest.approx(365_000 / 240_000)
    assert m["econ_public_net_cost"] == pytest.approx(240_000 - 365_000)  # no state money here


def test_a_daily_cost_for_an_unknown_state_is_refused():
    raw = _scenario().model_dump(by_alias=True, mode="json")
    raw["economics"]["daily_costs"]["hotel"] = {"municipality": 1}
    with pytest.raises(ScenarioError, match="economics.daily_costs.hotel"):
        build(raw)


def test_without_a_counterfactual_no_costs_are_called_avoided():
    raw = _scenario().model_dump(by_alias=True, mode="json")
    raw["economics"]["counterfactual"] = None
    raw["economics"]["after_exit"] = {}
    raw["economics"]["daily_costs"] = {"housed": {"municipality": 100}}
    m = sib.simulate(build(raw), 0).metrics
    assert math.isnan(m["econ_avoided_municipality"]) and math.isnan(m["econ_municipality_bcr"])


# ---------------------------------------------------------------- after an exit


def test_a_dropout_whose_counterfactual_self_is_in_shelter_costs_shelter_days_too():
    """Housed 100 days, then dropped out into a shelter, where the counterfactual self has been
    all year: only the 100 housed days are avoided (the old rule counted all 365)."""
    pathway = _housed(100, exit="dropped_out")
    assert _avoided(_raw(pathway, after_exit={"dropped_out": "shelter"})) == pytest.approx(100 * 1_000)


def test_an_exit_mapped_to_nothing_costs_nothing_from_then_on():
    """Died after 100 days: as stated (null), nothing from then on; the counterfactual self
    would have spent the year in a shelter."""
    pathway = _housed(100, exit="died")
    assert _avoided(_raw(pathway, after_exit={"died": None})) == pytest.approx(365 * 1_000)


def test_after_an_exit_the_counterfactual_goes_on_from_the_mapped_state():
    """Without the intervention: shelter days 0–30, staircase 30–365. With it: housed 0–100,
    then dropped out into a shelter for 30 days (100–130), then the staircase (130–365). The
    difference is 100 staircase days: 110 000 kr. (Taking up the counterfactual self's state at
    the exit would give 100 × 1 100 + 0 too; joining it at the referral's shelter would not.)"""
    raw = _raw(_housed(100, exit="dropped_out"), SHELTER_THEN_STAIRCASE, {"dropped_out": "shelter"})
    assert _avoided(raw) == pytest.approx(30 * 1_000 + 335 * 1_100 - (30 * 1_000 + 235 * 1_100))


# ---------------------------------------------------------------- the same people


def test_a_referral_waiting_for_a_place_is_on_the_counterfactual_path_from_the_referral():
    """One place, two referrals on 1 January, both housed 60 days and then moving away (null).
    The first is enrolled at once: avoided 30 shelter days and 335 staircase days. The second
    waits 60 days, on the counterfactual path in both arms, and is housed from day 60: avoided
    the staircase days 60–365 (its counterfactual began at the referral, not at enrolment)."""
    raw = _raw(_housed(60, exit="moved"), SHELTER_THEN_STAIRCASE, {"moved": None}, cohorts=[("2027-01-01", 2)], capacity={"places": 1})
    rep = sib.simulate(build(raw), 0)
    assert [p.enrolled for p in rep._model.people] == [0, 60]
    assert rep.metrics["econ_avoided_municipality"] == pytest.approx((30 * 1_000 + 335 * 1_100) + 305 * 1_100)


@pytest.mark.parametrize("lost", ["contract_full", "max_wait"])
def test_a_referral_never_enrolled_avoids_nothing(lost):
    """A random counterfactual (shelter and staircase spells), a random pathway; a second cohort
    that is lost, because the contract is full or after waiting 30 days for the one place: the
    avoided costs are those of the first cohort alone, to the öre, in every replication."""
    counterfactual = {
        "start": "shelter",
        "states": {
            "shelter": {"transitions": {"staircase": {"exponential": {"mean": 3}, "unit": "months"}}},
            "staircase": {"transitions": {"shelter": {"exponential": {"mean": 4}, "unit": "months"}}},
        },
    }
    pathway = {
        "start": "housed",
        "states": {"housed": {"transitions": {"evicted": {"exponential": {"mean": 9}, "unit": "months"}}}, "evicted": {}},
    }
    args = {"pathway": pathway, "counterfactual": counterfactual, "after_exit": {"evicted": "shelter"}}
    if lost == "contract_full":
        more = {"cohorts": [("2027-01-01", 3), ("2027-03-01", 3)], "maximum": 3}
    else:
        more = {"cohorts": [("2027-01-01", 1), ("2027-01-02", 1)], "capacity": {"places": 1, "waiting_list": {"max_wait_days": 30}}}
    alone = {"cohorts": more["cohorts"][:1]}
    for i in range(5):
        rep = sib.simulate(build(_raw(**args, **more)), 0, replication=i)
        if lost == "max_wait" and rep._model.people[1].lost is None:
            continue  # the first tenant left within 30 days: the second got the place
        assert {p.lost for p in rep._model.people[len(rep._model.people) // 2 :]} == {lost}
        assert round(rep.metrics["econ_avoided_municipality"], 2) == round(_avoided(_raw(**args, **alone), i), 2)


# ---------------------------------------------------------------- the horizon


def test_the_horizon_can_reach_past_the_contract():
    """Housed for five years, on a one-year contract, counted over two years from the start
    (1 Jan 2027 – 1 Jan 2029, 731 days): the paths are followed past the outcome window."""
    raw = _raw()
    raw["economics"]["horizon_months"] = 24
    assert _avoided(raw) == pytest.approx(731 * 1_000)


def _failing(rule: str) -> dict:
    """Five tenants from 1 January, housed about nine months each and then evicted into a
    shelter, or moving away; the provider has no money and a 150 000 kr credit line against
    100 000 kr of costs a month, so it runs out in the spring."""
    pathway = {
        "start": "housed",
        "states": {
            "housed": {
                "transitions": {
                    "evicted": {"exponential": {"mean": 9}, "unit": "months"},
                    "moved": {"exponential": {"mean": 30}, "unit": "months"},
                }
            },
            "evicted": {},
            "moved": {},
        },
    }
    raw = _raw(
        pathway,
        SHELTER_THEN_STAIRCASE,
        {"evicted": "shelter", "moved": None},
        cohorts=[("2027-01-01", 5)],
        provider={"opening_equity": 0, "costs": {"fixed_per_month": 100_000}},
    )
    raw["contract"]["outcome_tail_months"] = 12
    raw["financing"] = {"credit_line": {"limit": 150_000, "interest_rate": 0.05}}
    raw["insolvency"] = {"rule": rule}
    return raw


def test_avoided_costs_do_not_depend_on_an_insolvency_stop():
    """The same people over the same days whether or not the provider failed: after the stop
    the municipality carries the service on, and the horizon is the contract's last day, not
    the stop (the old rule counted to the stop)."""
    for i in range(3):
        stop = sib.simulate(build(_failing("stop")), 0, replication=i).metrics
        go_on = sib.simulate(build(_failing("continue")), 0, replication=i).metrics
        assert stop["service_stopped"] and not go_on["service_stopped"]
        assert stop["econ_avoided_municipality"] == go_on["econ_avoided_municipality"]
        assert stop["econ_avoided_municipality"] > 0


# ---------------------------------------------------------------- what the file must say


def _refused(raw: dict, *words: str) -> None:
    with pytest.raises(ScenarioError) as info:
        build(raw)
    for word in words:
        assert word in str(info.value)


def test_an_exit_state_without_a_mapping_is_refused_with_the_allowed_values():
    raw = _raw(_housed(100, exit="dropped_out"), SHELTER_THEN_STAIRCASE, after_exit={})
    _refused(raw, "economics.after_exit.dropped_out", "gone, shelter, staircase or null")


def test_a_mapping_to_an_unknown_state_or_from_a_state_that_is_no_exit_is_refused():
    _refused(_raw(after_exit={"x": "hotel"}), "economics.after_exit.x", "no such counterfactual state 'hotel'")
    _refused(_raw(after_exit={"x": None, "housed": "shelter"}), "economics.after_exit.housed", "not an exit state")


def test_after_exit_without_a_counterfactual_is_refused():
    raw = _raw()
    raw["economics"]["counterfactual"] = None
    raw["economics"]["daily_costs"] = {}
    _refused(raw, "economics.after_exit")


def test_a_daily_cost_on_an_exit_state_is_refused_where_its_days_go_on_elsewhere():
    raw = _raw(after_exit={"x": "shelter"})
    raw["economics"]["daily_costs"]["x"] = {"municipality": 1_000}
    _refused(raw, "economics.daily_costs.x", "economics.after_exit.x")
