"""Monte Carlo studies: the same numbers on every executor, means that match closed forms,
intervals that cover, and common random numbers that pay off."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from helpers_statistics import z_crit
from helpers_study import still_housed, tenancy
from scipy import stats as sps

import sib
from sib.scenario.loader import build
from sib.study import stats
from sib.study.results import RunInterrupted, run

COHORT = 300
PRICE = 1000


@pytest.fixture(scope="module")
def reference() -> sib.Scenario:
    return sib.load_scenario("scenarios/bostad_forst.yaml")


def test_replication_i_of_a_study_is_simulate_i_on_every_executor_and_batch_size(reference):
    serial = run(reference, reps=24, seed=11, executor="serial")
    pooled = run(reference, reps=24, seed=11)  # the default process pool
    threads = run(reference, reps=24, seed=11, executor=ThreadPoolExecutor(2), batch_size=5)
    pd.testing.assert_frame_equal(serial.summary, pooled.summary)
    pd.testing.assert_frame_equal(serial.summary, threads.summary)
    np.testing.assert_array_equal(serial.series("provider_liquidity_low"), pooled.series("provider_liquidity_low"))
    for i in (0, 13, 23):
        one = sib.simulate(reference, 11, replication=i).metrics
        row = serial.summary.iloc[i]
        for key in ("commissioner_paid", "provider_min_liquidity", "provider_insolvent", "enrolled"):
            assert row[key] == one[key], key
    assert serial.replication(13).metrics == sib.simulate(reference, 11, 13).metrics


def test_the_mean_outcome_payment_matches_its_closed_form():
    """E[payment] = price × cohort × exp(−181 days / mean); with a 6-month mean about 37 % are
    still housed. 400 replications give a standard error of about 0.4 % of the mean, so the
    check (z = 3.3) detects an error of 1.5 % or more."""
    res = run(build(tenancy(6.0)), reps=400, seed=3, executor="serial")
    expected = PRICE * COHORT * still_housed(6.0)
    est = res.kpi("commissioner_paid_outcome", "mean")
    assert abs(est.value - expected) <= z_crit(1) * est.se, (est, expected)
    assert est.se < 0.005 * expected


def test_summary_timeseries_and_kpis_have_what_a_reader_looks_for(reference):
    res = run(reference, reps=30, seed=2, executor="serial")
    s = res.summary
    assert list(s.columns[:3]) == ["scenario", "replication", "seed"]
    assert {"commissioner_paid", "provider_min_liquidity", "provider_insolvent", "funding_need"} <= set(s.columns)
    assert len(s) == 30 and s["replication"].tolist() == list(range(30))
    ts = res.timeseries
    assert {"month", "series", "mean", "p05", "p25", "p50", "p75", "p95"} <= set(ts.columns)
    low = ts[ts.series == "provider_liquidity_low"]
    assert len(low) == len(res.months) and (low.p05 <= low.p50).all() and (low.p50 <= low.p95).all()
    k = res.kpis()
    insolvent = k[(k.metric == "provider_insolvent") & (k.statistic == "probability")].iloc[0]
    assert insolvent.low <= insolvent.value <= insolvent.high and insolvent.low >= 0 and insolvent.high <= 1
    paid = k[(k.metric == "commissioner_paid") & (k.statistic == "p95")].iloc[0]
    assert paid.value == pytest.approx(np.quantile(s.commissioner_paid, 0.95))
    i = res.at_percentile("provider_min_liquidity", 5)
    assert (s.provider_min_liquidity < s.provider_min_liquidity[i]).mean() <= 0.05 + 1 / 30


def test_wilson_and_quantile_intervals_cover_at_their_level():
    """2 000 repetitions: a 95 % interval's coverage has a standard error of 0.5 points; the
    tolerance is 2 points (4 standard errors, less the interval's own discreteness)."""
    rng = np.random.default_rng(0)
    p, n, R = 0.08, 200, 2000
    hits = [stats.probability(rng.random(n) < p) for _ in range(R)]
    coverage = np.mean([e.low <= p <= e.high for e in hits])
    assert abs(coverage - 0.95) < 0.02, coverage
    true_q = sps.lognorm(1.0).ppf(0.95)
    cover_q = np.mean([(lambda e: e.low <= true_q <= e.high)(stats.quantile(rng.lognormal(0, 1, 400), 0.95)) for _ in range(R)])
    assert 0.93 < cover_q < 0.985, cover_q  # order-statistic intervals are conservative


def test_mean_intervals_of_real_studies_cover_the_closed_form():
    """60 studies of 40 replications each: the share whose 95 % interval holds the exact mean
    (binomial se 2.8 points) must lie within 0.95 ± 0.09."""
    sc = build(tenancy(2.0))
    expected = PRICE * COHORT * still_housed(2.0)

    covered = []
    for s in range(60):
        e = run(sc, reps=40, seed=100 + s, executor="serial").kpi("commissioner_paid_outcome")
        covered.append(e.low <= expected <= e.high)
    assert abs(np.mean(covered) - 0.95) <= 0.09, np.mean(covered)


def test_common_random_numbers_shrink_the_variance_of_a_difference():
    a, b = build(tenancy(2.0)), build(tenancy(2.4))
    crn = sib.compare({"a": a, "b": b}, reps=200, seed=7, executor="serial")
    diff_crn = crn.results["b"].values("commissioner_paid") - crn.results["a"].values("commissioner_paid")
    other = run(b, reps=200, seed=8, executor="serial")
    diff_ind = other.values("commissioner_paid") - crn.results["a"].values("commissioner_paid")
    ratio = diff_crn.var(ddof=1) / diff_ind.var(ddof=1)
    # Independent runs: the variance of a difference is the sum of both; with the same streams
    # most of it cancels. Require at least a halving, beyond what chance gives an F statistic.
    assert ratio < 0.5 / sps.f.ppf(1 - 1e-3, 199, 199), ratio
    paired = crn.difference("a", "b", "commissioner_paid")
    assert paired.se < 0.5 * math.sqrt(diff_ind.var(ddof=1) / 200)


def test_parameter_uncertainty_widens_the_spread_of_outcomes():
    fixed = run(build(tenancy(2.5)), reps=200, seed=4, executor="serial").values("milestone_housed_6m")
    spread = run(build(tenancy({"uniform": [1.5, 4]})), reps=200, seed=4, executor="serial")
    wide = spread.values("milestone_housed_6m")
    assert wide.var(ddof=1) > fixed.var(ddof=1) * sps.f.ppf(1 - 1e-3, 199, 199)
    assert "param.pathway.states.housed.transitions.out.exponential.mean" in spread.summary


def test_an_interrupted_run_says_how_far_it_came():
    sc = build(tenancy(2.0))

    def stop_after_first(done: int, total: int) -> None:
        if done >= 10:
            raise KeyboardInterrupt

    with pytest.raises(RunInterrupted) as info:
        run(sc, reps=50, seed=0, executor="serial", batch_size=10, progress=stop_after_first)
    assert (info.value.done, info.value.total) == (10, 50)
    assert "10 of 50" in str(info.value)


def test_bad_arguments_are_refused_plainly():
    sc = build(tenancy(2.0))
    with pytest.raises(ValueError, match="reps must be >= 1"):
        run(sc, reps=0)
    with pytest.raises(TypeError, match="executor must be"):
        run(sc, reps=2, executor=42)
