"""Tenancy survival: the share still housed 6, 12 and 24 months after moving in, vs S(t).

The tenancy ends by the competing transitions out of ``housed`` in scenarios/bostad_forst.yaml
(three Weibulls and an exponential, in years), taken from the file itself at the most likely
values of their priors, so the check follows the reference scenario. A cohort moves in on 1 January 2030; the milestone "in housed for N
calendar months" falls on the anniversary date, t days later, and the share reaching it must be
S(t) = Π_i S_i(t), the product of the transitions' survival functions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scipy import stats
from validation.common import binomial_se, cohorts, engine_scenario, simulate
from validation.report import Check

from sib.scenario.loader import resolve_extends

SEED = 6_002
SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "bostad_forst.yaml"
UNIT_DAYS = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12, "years": 365.25}
START = dt.date(2030, 1, 1)
MONTHS = (6, 12, 24)


def _plain(value: Any) -> Any:
    """A number written as a prior replaced by its median (lognormal) or most likely value
    (triangular): the check is of the engine at fixed parameters, not of the prior."""
    if isinstance(value, Mapping) and "lognormal" in value:
        return float(value["lognormal"][0])
    if isinstance(value, Mapping) and "triangular" in value:
        return float(value["triangular"][1])
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def survival_in_days(spec: Mapping[str, Any]):
    """A frozen scipy distribution (in days) for one transition written with plain numbers."""
    u = UNIT_DAYS[spec.get("unit", "days")]
    if "weibull" in spec:
        w = spec["weibull"]
        return stats.weibull_min(c=float(w["shape"]), scale=float(w["scale"]) * u)
    if "exponential" in spec:
        e = spec["exponential"]
        mean = float(e["mean"]) if "mean" in e else 1.0 / float(e["rate"])
        return stats.expon(scale=mean * u)
    raise ValueError(f"no closed form written here for {spec}")


def run(full: bool) -> tuple[list[Check], dict[str, str]]:
    n = 200_000 if full else 20_000
    housed = _plain(resolve_extends(SCENARIO, SCENARIO.parent)["pathway"]["states"]["housed"]["transitions"])
    dists = [survival_in_days(spec) for spec in housed.values()]
    states = {"housed": {"transitions": dict(housed)}, **{k: {} for k in housed}}
    milestones = {f"housed_{m}m": {"state": "housed", "after": {"months": m}} for m in MONTHS}
    sc = engine_scenario(
        {"start": "housed", "states": states},
        {"cohorts": cohorts(START.isoformat(), n)},
        service_months=1,
        tail_months=30,
        milestones=milestones,
        name="tenancy survival",
        start_date=START.isoformat(),
    )
    rep = simulate(sc, SEED)
    checks = []
    for m in MONTHS:
        t = (dt.date(START.year + m // 12, START.month + m % 12, 1) - START).days
        p = math.prod(float(d.sf(t)) for d in dists)
        got = rep.metrics[f"milestone_housed_{m}m"] / n
        checks.append(
            Check(
                "tenancy survival",
                f"share still housed at {m} months (day {t})",
                "S(t) of bostad_forst.yaml's housed exits",
                p,
                got,
                "Weibull shape and scale swapped or the scale read as a rate; anniversary dates off; "
                "a milestone that ignores the clock restarting",
                se=binomial_se(p, n),
                seed=f"{SEED}",
            )
        )
    return checks, {"tenancy survival": f"{SEED}, replication 0, a cohort of {n:,}"}
