"""What the checks share: running a scenario without pricing it, and reading the events.

Pricing simulates ``contract.pricing.replications`` whole replications before the first one;
for the large cohorts of the statistical checks that would cost twenty times the check. A
contract priced as written (no ``outcome_share``, no ``expected_value``) has pricing factors
a = b = 1, so its terms are ``Terms.of(scenario)`` and the run is exactly ``sib.simulate``'s.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

import sib
from sib.engine.terms import Terms
from sib.pricing import PricedContract
from sib.replication import simulate_priced
from sib.scenario.loader import build

DPM = 365.25 / 12  # days in a sampled month


def unpriced(scenario: sib.Scenario) -> PricedContract:
    """The priced contract of a scenario whose prices are used as written (a = b = 1)."""
    c = scenario.contract
    if c.outcome_share is not None or c.expected_value is not None:
        raise ValueError("this scenario must be priced: use sib.simulate")
    return PricedContract(
        terms=Terms.of(scenario),
        expected_value=math.nan,
        expected_fixed=math.nan,
        expected_outcome=math.nan,
        outcome_share_expected=math.nan,
        outcome_share_full=math.nan,
        max_contract_value=None,
        replications=0,
    )


def simulate(scenario: sib.Scenario, seed: int, replication: int = 0) -> sib.Replication:
    """``sib.simulate`` for a scenario priced as written, without the pricing run."""
    return simulate_priced(scenario, unpriced(scenario), seed, replication)


def engine_scenario(
    pathway: Mapping[str, Any],
    referrals: Mapping[str, Any],
    *,
    service_months: int,
    tail_months: int = 0,
    capacity: Mapping[str, Any] | None = None,
    milestones: Mapping[str, Any] | None = None,
    name: str = "validation",
    start_date: str = "2030-01-01",
) -> sib.Scenario:
    """A scenario whose contract pays nothing: only participants, places and milestones matter."""
    raw: dict[str, Any] = {
        "name": name,
        "start_date": start_date,
        "participants": {"referrals": dict(referrals)},
        "pathway": dict(pathway),
        "milestones": dict(milestones or {}),
        "contract": {"service_months": service_months, "outcome_tail_months": tail_months, "pricing": {"replications": 20}},
    }
    if capacity is not None:
        raw["capacity"] = dict(capacity)
    return build(raw)


def cohorts(date: str, n: int, most: int = 100_000) -> list[dict[str, Any]]:
    """``n`` people referred on one date, as cohorts of at most ``most`` (the schema's limit)."""
    return [{"date": date, "size": min(most, n - i)} for i in range(0, n, most)]


def entries(rep: sib.Replication) -> pd.DataFrame:
    """participant × state → the day the state was entered (first entry)."""
    ev = rep.events
    ent = ev[ev["event"] == "entered"]
    return ent.pivot_table(index="participant", columns="state", values="day", aggfunc="min")


def binomial_se(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n) if n else math.inf


def mean_se(x: np.ndarray) -> float:
    return float(np.std(x, ddof=1) / math.sqrt(len(x)))
