"""Where the spread comes from (``sib.study.spread``) against the law of total variance in closed form.

A cohort of N people each leaves state ``a`` for ``b`` (the milestone) at rate 1/θ or for
``c`` at rate 1/M; θ is uncertain, uniform on [L, H], drawn once per replication. The number
reaching ``b`` is binomial given θ with p(θ) = M / (M + θ), so

    Var(E[Y | θ]) = N² Var p(θ)      and      E[Var(Y | θ)] = N E[p(θ)(1 − p(θ))],

with the moments of p(θ) by quadrature. The regression's share of the variance explained
must match N² Var p / (N² Var p + N E[p(1 − p)]); its standard error comes from the spread
of the estimate over independent blocks of replications.
"""

from __future__ import annotations

import numpy as np
from scipy import integrate
from validation.common import cohorts, engine_scenario
from validation.report import Check

import sib
from sib.study.spread import explained

SEED = 7_001
N, M, LOW, HIGH = 40, 20.0, 5.0, 60.0
BLOCKS = 10


def closed_form() -> float:
    """The share of Var(Y) that θ explains, by the law of total variance."""
    p = lambda t: M / (M + t)  # noqa: E731
    mean = integrate.quad(p, LOW, HIGH)[0] / (HIGH - LOW)
    second = integrate.quad(lambda t: p(t) ** 2, LOW, HIGH)[0] / (HIGH - LOW)
    between = N**2 * (second - mean**2)
    within = N * (mean - second)
    return between / (between + within)


def run(full: bool) -> tuple[list[Check], dict[str, str]]:
    reps = 6_000 if full else 2_000
    sc = engine_scenario(
        {
            "start": "a",
            "states": {
                "a": {"transitions": {"b": {"exponential": {"mean": {"uniform": [LOW, HIGH]}}}, "c": {"exponential": {"mean": M}}}},
                "b": {},
                "c": {},
            },
        },
        {"cohorts": cohorts("2030-01-01", N)},
        service_months=1,
        tail_months=36,
        milestones={"reached": {"state": "b"}},
        name="spread",
    )
    summary = sib.run(sc, reps=reps, seed=SEED, executor="serial").summary
    x = summary[["param.pathway.states.a.transitions.b.exponential.mean"]].to_numpy(float)
    y = summary["milestone_reached"].to_numpy(float)
    whole = explained(x, y)
    blocks = [explained(x[k::BLOCKS], y[k::BLOCKS]) for k in range(BLOCKS)]
    se = float(np.std([b.from_parameters for b in blocks], ddof=1)) / np.sqrt(BLOCKS)
    check = Check(
        "where the spread comes from",
        f"share of the variance from an uncertain effect (N = {N}, θ uniform on [{LOW:g}, {HIGH:g}] days)",
        "N² Var p(θ) / (N² Var p(θ) + N E[p(1 − p)]) (quadrature)",
        closed_form(),
        whole.from_parameters,
        "the parameters' share computed on the wrong variance, in-sample (overfitted) instead of cross-validated, "
        "or the draws not recorded per replication",
        se=se,
        dof=BLOCKS - 1,
        seed=f"{SEED}",
    )
    return [check], {"where the spread comes from": f"{SEED}"}
