"""Limits that keep a scenario within bounded time and memory (sib/scenario/schema.py,
sib/engine/pathway.py): a cycle of pathway states taken in minutes, referrals by the hundred
thousand, pricing by the hundred thousand replications. Each is refused with its path, at
once or at the first replication that meets it, never a hang."""

from __future__ import annotations

import pytest
from helpers_deterministic import scenario_dict, with_changes
from helpers_paths import REPO

import sib
from sib.scenario.edit import with_values
from sib.scenario.loader import build, loads_scenario

BOSTAD = (REPO / "scenarios" / "bostad_forst.yaml").read_text(encoding="utf-8")
ENGAGED_TO_HOUSED = "        housed: {lognormal: {median: {triangular: [1.0, 2.0, 4.0]}, sigma: 0.6}, unit: months}"
HOUSED_EXITS = "        died: {exponential: {mean: 40}, unit: years}\n"


def cycle(there: str, back: str) -> str:
    """Bostad först with housed → engaged added: a cycle engaged → housed → engaged."""
    assert ENGAGED_TO_HOUSED in BOSTAD and HOUSED_EXITS in BOSTAD
    text = BOSTAD.replace(ENGAGED_TO_HOUSED, f"        housed: {there}")
    return text.replace(HOUSED_EXITS, f"{HOUSED_EXITS}        engaged: {back}\n", 1)


def problems(action) -> list[str]:
    with pytest.raises(sib.ScenarioError) as info:
        action()
    return info.value.problems


@pytest.mark.parametrize("days", ["0.000001", "0.01", "3"])
def test_a_cycle_quicker_than_a_week_is_refused_naming_it(days):
    got = problems(lambda: loads_scenario(cycle(f"{{fixed: {days}}}", f"{{fixed: {days}}}")))
    assert len(got) == 1 and got[0].startswith("pathway.states.engaged.transitions.housed: the cycle engaged → housed → engaged takes"), got
    assert "at least 7 days" in got[0]


def test_the_same_cycle_in_the_counterfactual_is_refused_too():
    line = "          shelter: {exponential: {mean: 18}, unit: months}"  # staircase → shelter, and back
    assert line in BOSTAD
    quick = BOSTAD.replace(line, "          shelter: {fixed: 0.01}").replace(
        "          staircase: {exponential: {mean: 12}, unit: months}", "          staircase: {fixed: 0.01}"
    )
    got = problems(lambda: loads_scenario(quick))
    assert len(got) == 1 and got[0].startswith("economics.counterfactual.states.") and "the cycle" in got[0], got


def test_a_cycle_of_a_month_runs_as_before():
    scenario = loads_scenario(cycle("{fixed: 30}", "{fixed: 30}"))
    rep = sib.simulate(scenario, 1)
    assert (rep.events["state"] == "engaged").sum() > rep.metrics["enrolled"], "nobody went round the cycle"


def test_a_cycle_quick_only_in_an_uncertain_tail_stops_at_the_first_replication_that_meets_it():
    # At the median engaged → housed → engaged takes 10 days and passes the schema; in about a
    # tenth of the replications the drawn duration is under a quarter of a day, and a path
    # would take tens of thousands of steps.
    scenario = loads_scenario(cycle("{fixed: 0.000001}", "{fixed: {lognormal: [10, 2.9]}}"))
    got = problems(lambda: sib.simulate(scenario))
    assert got == [
        "pathway: a participant went through more than 4096 transitions within the contract: a cycle of states "
        "is taken too quickly (durations that are mostly minutes?)"
    ]


@pytest.mark.parametrize(
    "path, value, expected",
    [
        ("participants.referrals.per_month", 1001, "participants.referrals.per_month: must be between 0 and 1000"),
        (
            "participants.referrals",
            {"cohorts": [{"date": "2027-02-01", "size": 100_000}] * 2 + [{"date": "2027-03-01", "size": 1}]},
            "participants.referrals.cohorts: at most 200000 people in all, got up to 200001",
        ),
        ("contract.pricing", {"replications": 10_001}, "contract.pricing.replications: must be between 20 and 10000"),
    ],
)
def test_work_beyond_the_documented_limits_is_refused(path, value, expected):
    got = problems(lambda: build(with_changes(scenario_dict(), {path: value})))
    assert any(p.startswith(expected) for p in got), got


@pytest.mark.parametrize(
    "changes, most",
    [
        ({"participants.referrals.per_month": 1000, "contract.pricing.replications": 10_000}, "36 000"),
        ({"participants.referrals.per_month": {"uniform": [100, 1000]}, "contract.pricing.replications": 400}, "36 000"),
        (
            {"participants.referrals.per_month": None, "participants.referrals.cohorts": [{"date": "2027-02-01", "size": 50_000}]},
            "50 000",
        ),
    ],
    ids=["at both limits", "an uncertain rate, at its highest", "one large cohort"],
)
def test_pricing_beyond_its_joint_limit_is_refused_before_it_starts(changes, most):
    """Each limit alone allowed hours of pricing (10 000 replications of 36 000 referrals)
    before `sib validate` could answer: their product is held to 4 million referrals."""
    with sib.i18n.speaking("sv"):
        got = problems(lambda: with_values(loads_scenario(BOSTAD), changes))
    assert any(
        p.startswith("contract.pricing.replications: prissättningen skulle simulera") and f"upp till {most} remisser" in p for p in got
    ), got
    assert any("högst 3 000 000 är tillåtna (minska replikeringarna eller remisserna)" in p for p in got), got


def test_pricing_just_within_its_joint_limit_is_accepted():
    """1 000 referrals a month for 36 months, 83 pricing replications: 2 988 000 referrals
    (pricing them takes about 6 s on the 2-core machine CI runs on)."""
    scenario = with_values(loads_scenario(BOSTAD), {"participants.referrals.per_month": 1000, "contract.pricing.replications": 83})
    assert scenario.most_referrals() * scenario.contract.pricing.replications == 2_988_000


@pytest.mark.parametrize(
    "sigma, problem",
    [
        ("16806492.249381185", "lognormal: sigma must be at most 5.0, got 16806492.249381185"),
        (
            "2.5",
            "lognormal: [median, sigma] = [3126.0, 2.5] can draw values up to about 2.6e12; at most 1e12 is allowed "
            "(lower sigma or the median)",
        ),
    ],
    ids=["the fuzz's sigma", "just too wide"],
)
def test_a_lognormal_that_can_draw_past_the_largest_number_is_refused(sigma, problem):
    """A tree mutant of the IOP file (make validate's file fuzz, case #2167) set a Weibull
    scale's sigma to 1.7e7: the file validated, then pricing crashed with an OverflowError. A
    draw is held to the bound a written number is held to (1e12), and sigma to 5."""
    text = BOSTAD.replace("scale: {lognormal: [3126, 1.0]}", f"scale: {{lognormal: [3126, {sigma}]}}")
    assert text != BOSTAD
    assert problems(lambda: loads_scenario(text)) == [f"pathway.states.housed.transitions.moved.weibull.scale.{problem}"]


def test_a_lognormal_just_within_the_bound_prices_and_runs():
    scenario = loads_scenario(BOSTAD.replace("scale: {lognormal: [3126, 1.0]}", "scale: {lognormal: [3126, 2.3]}"))
    assert sib.simulate(scenario, 0).metrics["enrolled"] > 0
