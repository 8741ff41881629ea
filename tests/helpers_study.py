"""A small scenario with a closed form, for the Monte Carlo and uncertainty tests: a cohort
housed on 1 January 2030, tenancies ending after an exponential time (months), the contract
paying a price for each one still housed six calendar months later (181 days)."""

from __future__ import annotations

import math
from typing import Any

DAYS_TO_1_JULY = 181  # 2030-01-01 + 6 calendar months
MEAN_PATH = "pathway.states.housed.transitions.out.exponential.mean"


def tenancy(mean: Any = 2.0, price: float = 1000, cohort: int = 300, places: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": f"tenancy {mean}",
        "start_date": "2030-01-01",
        "participants": {"referrals": {"cohorts": [{"date": "2030-01-01", "size": cohort}]}},
        "pathway": {
            "start": "housed",
            "states": {"housed": {"transitions": {"out": {"exponential": {"mean": mean}, "unit": "months"}}}, "out": {}},
        },
        "milestones": {"housed_6m": {"state": "housed", "after": {"months": 6}}},
        "contract": {"service_months": 12, "rate_card": {"housed_6m": {"price": price}}, "pricing": {"replications": 20}},
    }
    if places is not None:
        out["capacity"] = {"places": places}
    return out


def still_housed(mean_months: float) -> float:
    """The share still housed on 1 July: exp(-181 days / mean)."""
    return math.exp(-DAYS_TO_1_JULY / (mean_months * 365.25 / 12))
