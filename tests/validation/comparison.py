"""Paying on an effect estimated against a comparison group, against its closed form.

A cohort of N people each reaches the milestone with probability p_t = 1/2 (they leave
state ``a`` for ``b`` or ``c`` at equal rates, long before the window ends). The comparison
group's true rate p_c has a beta prior with mean m and standard deviation σ, drawn per
replication; the evaluator sees n people of it. The estimated effect is the difference of the
two observed shares, τ̂ = K_t/N − K_c/n, and the contract pays when τ̂ reaches the threshold.
With the true effect τ = p_t − p_c ~ (μ = p_t − m, σ²) and the estimate's sampling error
SE² = p_t(1 − p_t)/N + m(1 − m)/n, the normal closed form is

    P(pay) ≈ Φ((μ − threshold) / √(σ² + SE²)),

and the exact probability sums the two binomials over the prior by quadrature. The simulated
share of replications that pay is checked against both (the closed form with its own
approximation error added to the tolerance), and the mean payment per effect — the price
for each outcome above the comparison share, rounded up to whole people — against its exact
expectation.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from validation.common import binomial_se, cohorts, mean_se
from validation.report import Check

import sib
from sib.scenario.loader import build

GROUP = "comparison group"
SEED = 7_101
N, N_C = 2_000, 2_000
P_T, MEAN_C, SD_C = 0.5, 0.42, 0.03
THRESHOLD, PRICE = 0.05, 1_000.0


def _prior() -> stats.rv_continuous:
    total = MEAN_C * (1 - MEAN_C) / SD_C**2 - 1
    return stats.beta(MEAN_C * total, (1 - MEAN_C) * total)


def closed_form() -> float:
    """Φ((μ − threshold)/√(σ² + SE²)): the normal approximation."""
    se2 = P_T * (1 - P_T) / N + MEAN_C * (1 - MEAN_C) / N_C
    return float(stats.norm.cdf((P_T - MEAN_C - THRESHOLD) / math.sqrt(SD_C**2 + se2)))


def exact() -> tuple[float, float]:
    """P(pay) and the mean payment per effect, summing both binomials over the prior by
    Gauss–Legendre quadrature on the prior's quantiles. With N = n the estimate clears the
    threshold when D = K_t − K_c ≥ threshold · N, and the outcomes above the comparison share
    are D itself, so each node needs only the distribution of D (a convolution)."""
    assert N == N_C
    x, w = np.polynomial.legendre.leggauss(200)
    nodes, weights = _prior().ppf((x + 1) / 2), w / 2
    pmf_t = stats.binom.pmf(np.arange(N + 1), N, P_T)
    d = np.arange(-N_C, N + 1)
    clears = d >= math.ceil(THRESHOLD * N - 1e-9)
    pay = paid = 0.0
    for p, weight in zip(nodes, weights):
        pmf_d = np.convolve(pmf_t, stats.binom.pmf(np.arange(N_C + 1), N_C, p)[::-1])
        pay += weight * float(pmf_d[clears].sum())
        paid += weight * float((pmf_d * d)[clears].sum()) * PRICE
    return pay, paid


def _scenario() -> sib.Scenario:
    a, b = MEAN_C * (MEAN_C * (1 - MEAN_C) / SD_C**2 - 1), (1 - MEAN_C) * (MEAN_C * (1 - MEAN_C) / SD_C**2 - 1)
    return build(
        {
            "name": "comparison group",
            "start_date": "2030-01-01",
            "participants": {"referrals": {"cohorts": cohorts("2030-01-01", N)}},
            "pathway": {
                "start": "a",
                "states": {
                    "a": {"transitions": {"b": {"exponential": {"mean": 10}}, "c": {"exponential": {"mean": 10}}}},
                    "b": {},
                    "c": {},
                },
            },
            "milestones": {"reached": {"state": "b"}},
            "contract": {
                "service_months": 1,
                "outcome_tail_months": 24,
                "pricing": {"replications": 20},
                "rate_card": {
                    "reached": {
                        "price": PRICE,
                        "comparison": {"size": N_C, "rate": {"beta": [a, b]}, "threshold": THRESHOLD, "pays": "per_effect"},
                    }
                },
            },
            "insolvency": {"rule": "continue"},
        }
    )


def run(full: bool) -> tuple[list[Check], dict[str, str]]:
    reps = 4_000 if full else 600
    summary = sib.run(_scenario(), reps=reps, seed=SEED, executor="serial").summary
    cleared = summary["effect_cleared_reached"].to_numpy(float)
    paid = summary["commissioner_paid_outcome"].to_numpy(float)
    p_exact, paid_exact = exact()
    normal = closed_form()
    se = binomial_se(p_exact, reps)
    why = (
        "the comparison group's sampling error or the prior left out (the estimate taken as the truth), "
        "the threshold compared the wrong way, or one draw shared by every replication"
    )
    setting = f"N = n = {N}, p_t = {P_T}, p_c ~ beta(mean {MEAN_C}, sd {SD_C}), threshold {THRESHOLD}"
    return [
        Check(
            GROUP,
            f"share of contracts that pay ({setting})",
            "binomial sums over the prior (quadrature)",
            p_exact,
            float(cleared.mean()),
            why,
            se=se,
            seed=f"{SEED}",
        ),
        Check(
            GROUP,
            "… against the normal closed form Φ((μ − threshold)/√(σ² + SE²))",
            f"closed form (approximation error {abs(normal - p_exact):.4f} added to the standard error)",
            normal,
            float(cleared.mean()),
            why,
            se=math.hypot(se, abs(normal - p_exact)),
            seed=f"{SEED}",
        ),
        Check(
            GROUP,
            "mean payment per effect: price × outcomes above the comparison share, when it clears",
            "binomial sums over the prior (quadrature)",
            paid_exact,
            float(paid.mean()),
            "the effect not rounded up to whole people, paid below the threshold, or per outcome instead of per effect",
            se=mean_se(paid),
            unit="kr",
            seed=f"{SEED}",
        ),
    ], {GROUP: f"{SEED}"}
