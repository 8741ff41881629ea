"""Avoided costs on deterministic scenarios, exact against hand arithmetic in days and kronor.

The rule (docs/how-it-works.md §9): the same people over the same days, with and without the
intervention: every referral from the day they were referred to the horizon; a person waiting
for a place, or lost, is on their counterfactual path in both; after an exit the person goes on
along the counterfactual from the state their exit maps to. Without the intervention each
person here spends 30 days in an emergency shelter (1 000 kr a day) and then the staircase
(1 100 kr a day); housed, they cost nothing.
"""

from __future__ import annotations

import math
from typing import Any

from validation.deterministic import chain, run, scenario
from validation.report import Check

from sib.scenario.loader import build

GROUP = "economics"
SHELTER, STAIRCASE = 1_000, 1_100
COUNTERFACTUAL = {
    "start": "shelter",
    "states": {
        "shelter": {"transitions": {"staircase": {"fixed": 30}}},
        "staircase": {"transitions": {"gone": {"fixed": 20, "unit": "years"}}},
        "gone": {},
    },
}


def _with_economics(exit: str, housed_days: float, goes_on_in: str | None, cohort: int = 1, rate: float = 0.0, **extra: Any):
    """Housed for ``housed_days`` on a one-year contract, then ``exit``, which goes on in
    ``goes_on_in`` (None: nothing)."""
    sc = scenario(
        cohorts=[("2027-01-01", cohort)],
        pathway=chain(("housed", housed_days), exit=exit),
        milestones={"m": {"state": "housed"}},
        contract={"rate_card": {"m": {"price": 0}}},
    )
    raw = sc.model_dump(by_alias=True, mode="json", exclude_none=True)
    raw.update(extra)
    raw["economics"] = {
        "discount_rate": rate,
        "counterfactual": COUNTERFACTUAL,
        "after_exit": {exit: goes_on_in},
        "daily_costs": {"shelter": {"municipality": SHELTER}, "staircase": {"municipality": STAIRCASE}},
    }
    return build(raw)


def _avoided(sc) -> float:
    return run(sc).metrics["econ_avoided_municipality"]


def _exact(name: str, compared: str, expected: float, got: float, detects: str) -> Check:
    return Check(GROUP, name, compared, round(expected, 2), round(got, 2), detects, passed=abs(expected - got) < 0.005, unit="kr", seed="0")


def checks() -> list[Check]:
    housed_all_year = 30 * SHELTER + 335 * STAIRCASE
    delta = math.log(1.035) / 365
    discounted = (SHELTER * (1 - math.exp(-delta * 30)) + STAIRCASE * (math.exp(-delta * 30) - math.exp(-delta * 365))) / delta
    return [
        _exact(
            "housed all year instead of 30 shelter and 335 staircase days",
            "30 × 1 000 + 335 × 1 100 (hand)",
            housed_all_year,
            _avoided(_with_economics("x", 1000, None)),
            "days counted from the wrong day, or to the wrong end",
        ),
        _exact(
            "the same, discounted continuously at 3.5 % a year",
            "∫ cost e^(−δt) dt, δ = ln 1.035 / 365 (hand)",
            discounted,
            _avoided(_with_economics("x", 1000, None, rate=0.035)),
            "discounting by whole years or to the wrong day",
        ),
        _exact(
            "dropped out after 100 days, into a shelter",
            "100 × 1 100: the exit goes on from the shelter (hand)",
            100 * STAIRCASE,
            _avoided(_with_economics("dropped_out", 100, "shelter")),
            "a dropout counted as costing nothing (would give 398 500)",
        ),
        _exact(
            "two referrals for one place: the second waits 60 days",
            "398 500 + 305 × 1 100 (hand)",
            housed_all_year + 305 * STAIRCASE,
            _avoided(_with_economics("moved", 60, None, cohort=2, capacity={"places": 1})),
            "the counterfactual begun at enrolment instead of the referral",
        ),
        _exact(
            "two referrals for one place: the second is lost after 30 days",
            "398 500: as one referral alone (hand)",
            housed_all_year,
            _avoided(_with_economics("x", 1000, None, cohort=2, capacity={"places": 1, "waiting_list": {"max_wait_days": 30}})),
            "a referral lost from the waiting list counted as avoiding costs",
        ),
    ]


def run_all(full: bool) -> tuple[list[Check], dict[str, str]]:
    return checks(), {"economics": "0 (deterministic)"}
