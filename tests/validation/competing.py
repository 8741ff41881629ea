"""Competing risks: the share ending in each outcome and the mean time to it, vs the closed form.

From one state three transitions compete and the earliest wins: an exponential (a rate per
month), a Weibull with rising risk (shape 1.5, in months) and an exponential given by its mean
in days. With survival functions S_i and densities f_i, the closed form is
P(j) = ∫ f_j(t) Π_{i≠j} S_i(t) dt and E[T | j] = ∫ t f_j(t) Π_{i≠j} S_i(t) dt / P(j),
evaluated by quadrature; the time given each cause has a known variance too, so each check's
standard error comes from the closed form, not from the sample.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, stats
from validation.common import DPM, binomial_se, cohorts, engine_scenario, entries, simulate
from validation.report import Check

SEED = 6_001

#: target → (transition as written in a scenario, the same distribution in days)
RISKS = {
    "job": ({"exponential": {"rate": 0.25}, "unit": "months"}, stats.expon(scale=DPM / 0.25)),
    "dropout": ({"weibull": {"shape": 1.5, "scale": 5.0}, "unit": "months"}, stats.weibull_min(c=1.5, scale=5.0 * DPM)),
    "moved": ({"exponential": {"mean": 400.0}, "unit": "days"}, stats.expon(scale=400.0)),
}


def closed_form() -> dict[str, tuple[float, float, float]]:
    """target → (P(j), E[T | j], sd[T | j]) in days."""
    out = {}
    for j, (_, dist) in RISKS.items():
        others = [d for k, (_, d) in RISKS.items() if k != j]

        def density(t: float, power: int) -> float:
            return t**power * dist.pdf(t) * math.prod(d.sf(t) for d in others)  # noqa: B023 (integrated within this iteration)

        p = integrate.quad(density, 0, math.inf, args=(0,), limit=200)[0]
        m1 = integrate.quad(density, 0, math.inf, args=(1,), limit=200)[0] / p
        m2 = integrate.quad(density, 0, math.inf, args=(2,), limit=200)[0] / p
        out[j] = (p, m1, math.sqrt(m2 - m1 * m1))
    return out


def run(full: bool) -> tuple[list[Check], dict[str, str]]:
    n = 200_000 if full else 20_000
    states = {"enrolled": {"transitions": {k: spec for k, (spec, _) in RISKS.items()}}, **{k: {} for k in RISKS}}
    sc = engine_scenario(
        {"start": "enrolled", "states": states},
        {"cohorts": cohorts("2030-01-01", n)},
        service_months=1,
        tail_months=240,  # P(still enrolled after 20 years) < e^-60
        name="competing risks",
    )
    rep = simulate(sc, SEED)
    ent = entries(rep)
    targets = list(RISKS)
    hit = ent[targets].to_numpy()
    cause = np.nanargmin(np.where(np.isnan(hit), np.inf, hit), axis=1)
    time_to = np.nanmin(hit, axis=1) - ent["enrolled"].to_numpy()
    truth = closed_form()
    checks = [
        Check(
            "competing risks",
            "everyone ends in exactly one outcome",
            "the cohort size",
            n,
            int((np.isfinite(hit).sum(axis=1) == 1).sum()),
            "paths cut short, or two exits for one person",
            passed=bool(len(ent) == n and (np.isfinite(hit).sum(axis=1) == 1).all()),
            seed=f"{SEED}",
        ),
    ]
    for k, j in enumerate(targets):
        p, mean, sd = truth[j]
        mask = cause == k
        checks.append(
            Check(
                "competing risks",
                f"share ending in '{j}'",
                "∫ f_j Π S_i dt (quadrature)",
                p,
                float(mask.mean()),
                "one uniform shared by the competing draws, a rate read as a mean, a unit mix-up",
                se=binomial_se(p, n),
                seed=f"{SEED}",
            )
        )
        checks.append(
            Check(
                "competing risks",
                f"mean days to '{j}', given it",
                "∫ t f_j Π S_i dt / P(j)",
                mean,
                float(time_to[mask].mean()),
                "the winner's time drawn afresh instead of the minimum; months of 30 days",
                se=sd / math.sqrt(max(1, int(mask.sum()))),
                unit="d",
                seed=f"{SEED}",
            )
        )
    return checks, {"competing risks": f"{SEED}, replication 0, a cohort of {n:,}"}
