"""The pathway sampler against closed forms: competing exponential risks and single durations.

Each test runs one large cohort with a fixed seed; its checks share a family-wise false-alarm
probability of ``FAMILY_ALPHA`` (Bonferroni), so a correct engine fails with probability below
1e-3 for any seed, while the errors named in the docstrings move an estimate many standard
errors (the power arithmetic is in each docstring).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from helpers_statistics import FAMILY_ALPHA, Checks, binomial_se, engine_scenario, run_engine, z_crit
from scipy import stats

import sib

DPM = 365.25 / 12  # days in a month, as the engine samples durations given in months
SEED = 20_250_601


def _entries(rep: sib.Replication) -> pd.DataFrame:
    """participant × state → entry day, from the events table."""
    ev = rep.events
    ent = ev[ev["event"] == "entered"]
    return ent.pivot(index="participant", columns="state", values="day")


# ---------------------------------------------------------------------------------- the helper


def test_run_engine_matches_simulate():
    """``run_engine`` (conftest) skips pricing for contracts that pay nothing; it must give
    exactly what ``sib.simulate`` gives, or the other tests in this file test the wrong thing."""
    sc = engine_scenario(
        {
            "start": "s",
            "states": {
                "s": {"transitions": {"x": {"exponential": {"mean": 1}, "unit": "months"}}},
                "x": {},
            },
        },
        {"per_month": 10},
        service_months=24,
        capacity={"places": 8, "waiting_list": {"max_length": 3}},
    )
    a, b = run_engine(sc, 5, 3), sib.simulate(sc, seed=5, replication=3)
    assert a.metrics == b.metrics
    pd.testing.assert_frame_equal(a.events, b.events)


# ----------------------------------------------------------------------- competing exponentials

# Rates per month, each written in a different unit so that a unit conversion error shows up as
# a wrong share: a as a rate per month, b as a mean in days, c as a rate per year.
LAMBDA = {"a": 0.5, "b": 0.3, "c": 0.2}  # per month; the total is 1 per month
COMPETING = {
    "a": {"exponential": {"rate": 0.5}, "unit": "months"},
    "b": {"exponential": {"mean": DPM / 0.3}, "unit": "days"},
    "c": {"exponential": {"rate": 0.2 * 12}, "unit": "years"},
}
N_COMPETING = 20_000


def test_competing_exponential_risks():
    """Three competing exponential exits from one state, a cohort of 20 000, unlimited places.

    Closed form: the exit is j with probability λj/Σλ, the time to exit is Exp(Σλ) (mean
    1/Σλ = 1 month = 30.4375 days), and the time is independent of the cause, so the mean time
    *given* each cause is also 1/Σλ.

    Checks (Bonferroni over 8): 3 shares, the mean time, the 3 cause-specific mean times, and a
    KS test of the times against Exp(Σλ); plus exact bookkeeping (everyone exits; the
    ``exit_<state>`` metrics equal the counts in the events table).

    Errors it catches (binomial SE of a share ≤ 0.0035; SE of a mean ≈ 0.7 %):
    - one uniform shared by all transitions of a visit: the largest rate always wins
      (shares 1/0/0) — off by > 100 SE; antithetic or otherwise correlated uniforms shift the
      shares by tens of SE;
    - rate read as a mean: shares become 0.86/0.13/0.01 (mean read as a rate: b always wins);
    - a unit read wrongly (days/weeks/months/years mixed up; years = 12 days...): shares move
      by far more than 4 SE;
    - taking the winner's time from a fresh draw of its own distribution (instead of the
      minimum): cause-specific means become 1/λj (2, 3.3, 5 months) — dozens of SE;
    - the latest instead of the earliest transition winning: shares and mean both wrong;
    - paths cut short at the horizon: not everybody exits.
    """
    sc = engine_scenario(
        {
            "start": "waiting",
            "states": {"waiting": {"transitions": COMPETING}, "a": {}, "b": {}, "c": {}},
        },
        {"cohorts": [{"date": "2030-01-01", "size": N_COMPETING}]},
        service_months=1,
        tail_months=60,  # P(no exit in 61 months) = e^-61
    )
    rep = run_engine(sc, SEED)
    ent = _entries(rep)
    n = len(ent)
    chk = Checks()
    chk.true("everyone enrolled", n == N_COMPETING and rep.metrics["enrolled"] == N_COMPETING, f"({n})")
    exit_day = ent[["a", "b", "c"]].min(axis=1)
    cause = ent[["a", "b", "c"]].idxmin(axis=1)
    chk.true("everyone exits exactly once", bool(exit_day.notna().all()) and bool((ent[["a", "b", "c"]].notna().sum(axis=1) == 1).all()))
    counts = cause.value_counts()
    for s in "abc":
        chk.true(
            f"metrics exit_{s} == events count",
            rep.metrics[f"exit_{s}"] == int(counts.get(s, 0)),
            f"({rep.metrics[f'exit_{s}']} vs {int(counts.get(s, 0))})",
        )

    total = sum(LAMBDA.values())
    mean_days = DPM / total
    m = 8
    z = z_crit(m)
    t = (exit_day - ent["waiting"]).to_numpy()
    for s, lam in LAMBDA.items():
        p = lam / total
        chk.close(f"share exiting to {s}", counts.get(s, 0) / n, p, binomial_se(p, n), z)
    # Under H0 the time is exponential: sd = mean, so the SE is known exactly.
    chk.close("mean time to exit (days)", float(t.mean()), mean_days, mean_days / math.sqrt(n), z)
    for s in "abc":
        ts = t[(cause == s).to_numpy()]
        chk.close(f"mean time to exit given exit to {s} (days)", float(ts.mean()), mean_days, mean_days / math.sqrt(len(ts)), z)
    ks = stats.kstest(t, stats.expon(scale=mean_days).cdf)
    chk.true("KS: time to exit ~ Exp(Σλ)", ks.pvalue > 1e-3 / m, f"(D = {ks.statistic:.4f}, p = {ks.pvalue:.3g})")
    chk.assert_all()


# ------------------------------------------------------------------------- single durations

# A chain of states, one transition each, so that one cohort samples every family once per
# participant: time in state X is the entry day of the next state minus that of X.
CHAIN = [
    # state, transition spec, the closed form as a frozen scipy distribution in DAYS
    ("weibull", {"weibull": {"shape": 4.0, "scale": 3.0}, "unit": "months"}, stats.weibull_min(c=4.0, scale=3.0 * DPM)),
    ("lognormal_median", {"lognormal": {"median": 2.0, "sigma": 0.25}, "unit": "months"}, stats.lognorm(s=0.25, scale=2.0 * DPM)),
    # mean 10 weeks, sd 3 weeks: sigma² = ln(1 + 0.09), median = mean / sqrt(1 + 0.09)
    (
        "lognormal_mean",
        {"lognormal": {"mean": 10.0, "sd": 3.0}, "unit": "weeks"},
        stats.lognorm(s=math.sqrt(math.log1p(0.09)), scale=70.0 / math.sqrt(1.09)),
    ),
    ("gamma_shape", {"gamma": {"shape": 9.0, "scale": 2.0}, "unit": "days"}, stats.gamma(a=9.0, scale=2.0)),
    # mean 1.5 years, sd 0.3 years: shape (1.5/0.3)² = 25, scale 0.06 years
    ("gamma_mean", {"gamma": {"mean": 1.5, "sd": 0.3}, "unit": "years"}, stats.gamma(a=25.0, scale=0.06 * 365.25)),
    ("fixed", {"fixed": 1.0, "unit": "months"}, None),
    ("empirical", {"empirical": {"values": [1, 2, 4], "weights": [1, 1, 2]}, "unit": "weeks"}, None),
]
N_CHAIN = 20_000


def test_duration_families_match_closed_forms():
    """Weibull, lognormal (both parameterisations), gamma (both), fixed and empirical durations.

    One cohort of 20 000 walks a chain of states with one transition each. For each continuous
    family: the mean time in the state vs the closed-form mean (SE = the closed-form sd / √N),
    the empirical CDF at the closed-form 10 % and 90 % quantiles vs 0.1 / 0.9 (binomial SE
    0.0021), and a KS test; the rank correlation of neighbouring random durations vs 0 (SE 1/√N). The
    fixed duration must be exactly 365.25/12 days; the empirical one must take only its values,
    with shares 1/4, 1/4, 1/2. Bonferroni over the 4·5 + 5 + 3 = 28 statistical checks
    (z ≈ 4.1).

    Errors it catches:
    - months as 30 days (or 365/12): the Weibull and the median-lognormal means, in months,
      shift by 1.4 % = 7.3 and 8.4 SE of the mean, and the fixed month is not 30.4375 days;
    - lognormal sigma read as the variance (sd of the log 0.5 instead of 0.25): the ECDF at the
      90 % quantile is 0.74, not 0.90 (> 70 SE); the mean/sd form with mu = ln(mean) (no −σ²/2)
      moves the mean by 4.4 % (≈ 20 SE);
    - gamma scale read as a rate (mean 4.5 instead of 18 days), or the mean/sd form with
      shape = mean/sd instead of (mean/sd)²: the mean or the quantiles off by > 100 SE;
    - Weibull shape and scale swapped, scale read as a rate, or exponent k instead of 1/k;
    - the same uniform reused for every visit (rank correlation 1 between neighbours);
    - empirical weights not normalised or cumulated wrongly (shares off by > 20 SE).
    """
    names = [name for name, _, _ in CHAIN]
    states = {}
    for i, (name, spec, _) in enumerate(CHAIN):
        target = names[i + 1] if i + 1 < len(names) else "done"
        states[name] = {"transitions": {target: spec}}
    states["done"] = {}
    sc = engine_scenario(
        {"start": names[0], "states": states},
        {"cohorts": [{"date": "2030-01-01", "size": N_CHAIN}]},
        service_months=1,
        tail_months=120,  # the whole chain takes < 4 years for everybody
    )
    rep = run_engine(sc, SEED + 1)
    ent = _entries(rep)
    chk = Checks()
    chk.true("everyone reaches the end of the chain", len(ent) == N_CHAIN and bool(ent["done"].notna().all()))
    order = names + ["done"]
    d = {name: (ent[order[i + 1]] - ent[name]).to_numpy() for i, name in enumerate(names)}

    continuous = [(name, dist) for name, _, dist in CHAIN if dist is not None]
    random_names = [name for name in names if name != "fixed"]  # a constant has no rank
    m = 4 * len(continuous) + (len(random_names) - 1) + 3
    z = z_crit(m)
    n = N_CHAIN
    for name, dist in continuous:
        x = d[name]
        chk.close(f"{name}: mean (days)", float(x.mean()), float(dist.mean()), float(dist.std()) / math.sqrt(n), z)
        for p in (0.1, 0.9):
            q = float(dist.ppf(p))
            chk.close(f"{name}: P(T <= q{int(p * 100)} = {q:.2f} d)", float((x <= q).mean()), p, binomial_se(p, n), z)
        ks = stats.kstest(x, dist.cdf)
        chk.true(f"{name}: KS", ks.pvalue > FAMILY_ALPHA / m, f"(D = {ks.statistic:.4f}, p = {ks.pvalue:.3g})")
    for a, b in zip(random_names, random_names[1:]):
        rho = stats.spearmanr(d[a], d[b]).statistic
        chk.close(f"rank correlation of {a} and {b}", float(rho), 0.0, 1 / math.sqrt(n - 1), z)

    fixed = d["fixed"]
    chk.true(
        "fixed: 1 month is 365.25/12 days for everybody",
        bool(np.allclose(fixed, DPM, rtol=0, atol=1e-6)),
        f"(min {fixed.min():.6f}, max {fixed.max():.6f}, expected {DPM})",
    )
    emp = d["empirical"]
    values = np.array([7.0, 14.0, 28.0])
    nearest = values[np.abs(emp[:, None] - values[None, :]).argmin(axis=1)]
    chk.true("empirical: only the tabled values", bool(np.allclose(emp, nearest, atol=1e-6)))
    for v, p in zip(values, (0.25, 0.25, 0.5)):
        chk.close(f"empirical: share of {v:g} days", float((nearest == v).mean()), p, binomial_se(p, n), z)
    chk.assert_all()


# ----------------------------------------------------------------- paths longer than a row

N_LONG = 5_000
LONG_STEPS = 40
NEXT_MEAN = 10.0  # days
RARE_MEAN = 1e7  # days: a competing exit that (almost) never happens


def test_long_paths_continue_on_independent_overflow_uniforms():
    """Paths that need more uniforms than a participant's row holds (``WIDTH`` = 32).

    A chain of 40 states: the first has one transition, the others two (to the next state,
    exponential with mean 10 days, and a competing exit with mean 10⁷ days), so a path reads
    80 uniforms: step 16 straddles the row's end (columns 31 and 32), steps 17–39 read only
    the participant's overflow stream, over two overflow blocks. Closed form: every sojourn is
    Exp(1/10 + 1/10⁷), independent of every other sojourn and of other participants'.

    Checks (Bonferroni over 5, z ≈ 3.7): the pooled mean and a KS test of the overflow
    sojourns (steps 17–39, n ≈ 115 000, SE of the mean 0.3 %), a KS test of the straddling
    step, the rank correlation of step k with step k − 16 (what an overflow that re-reads the
    row from its start would pair: correlation 1), and the rank correlation of neighbouring
    participants' step-20 sojourns (an overflow stream shared by all participants: 1).
    Exact: no NaN or negative sojourn (an unfilled padding column read as a uniform gives NaN).
    """
    states: dict = {"s0": {"transitions": {"s1": {"exponential": {"mean": NEXT_MEAN}}}}}
    for k in range(1, LONG_STEPS):
        states[f"s{k}"] = {
            "transitions": {
                f"s{k + 1}": {"exponential": {"mean": NEXT_MEAN}},
                "rare": {"exponential": {"mean": RARE_MEAN}},
            }
        }
    states[f"s{LONG_STEPS}"] = {}
    states["rare"] = {}
    sc = engine_scenario(
        {"start": "s0", "states": states},
        {"cohorts": [{"date": "2030-01-01", "size": N_LONG}]},
        service_months=1,
        tail_months=60,  # the chain takes ~400 days
    )
    rep = run_engine(sc, SEED + 2)
    ent = _entries(rep)
    names = [f"s{k}" for k in range(LONG_STEPS + 1)]
    # Sojourn in step k (k ≥ 1 has the rare competitor; its rate is in the closed form).
    d = np.column_stack([(ent[names[k + 1]] - ent[names[k]]).to_numpy() for k in range(LONG_STEPS)])
    done = ent[names[-1]].notna().to_numpy()
    chk = Checks()
    chk.true("at least 99.9 % reach the end of the chain", done.mean() >= 0.999, f"({done.mean():.5f})")
    d = d[done]
    chk.true("no NaN or negative sojourn", bool(np.isfinite(d).all() and (d >= 0).all()))
    rate = 1 / NEXT_MEAN + 1 / RARE_MEAN
    dist = stats.expon(scale=1 / rate)
    m = 5
    z = z_crit(m)
    over = d[:, 17:].ravel()
    chk.close("overflow sojourns: mean (days)", float(over.mean()), 1 / rate, (1 / rate) / math.sqrt(over.size), z)
    ks = stats.kstest(over, dist.cdf)
    chk.true("overflow sojourns: KS", ks.pvalue > FAMILY_ALPHA / m, f"(D = {ks.statistic:.4f}, p = {ks.pvalue:.3g})")
    ks = stats.kstest(d[:, 16], dist.cdf)
    chk.true("straddling step 16: KS", ks.pvalue > FAMILY_ALPHA / m, f"(D = {ks.statistic:.4f}, p = {ks.pvalue:.3g})")
    a, b = d[:, 17:].ravel(), d[:, 1 : LONG_STEPS - 16].ravel()
    chk.close("rank correlation of step k and step k − 16", float(stats.spearmanr(a, b).statistic), 0.0, 1 / math.sqrt(a.size - 1), z)
    s20 = d[:, 20]
    chk.close(
        "rank correlation of neighbours' step 20", float(stats.spearmanr(s20[:-1], s20[1:]).statistic), 0.0, 1 / math.sqrt(s20.size - 2), z
    )
    chk.assert_all()
