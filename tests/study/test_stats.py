"""``sib/study/stats.py``: every figure a study reports comes with a 95 % interval — a mean with
the normal interval, a probability with Wilson's, a quantile between two order statistics — each
checked here against closed forms, published values and scipy's binomial distribution."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from sib.study import stats

Z = 1.959963984540054  # the standard normal's 97.5 % point


def test_the_interval_uses_the_normal_97_5_percent_point():
    assert pytest.approx(Z, abs=1e-15) == stats.Z95


def test_a_mean_is_given_plus_or_minus_1_96_standard_errors():
    """1, 2, 3, 4: mean 2.5, sd √(5/3) (n − 1 in the divisor), standard error √(5/3)/2."""
    e = stats.mean(np.array([1.0, 2.0, 3.0, 4.0]))
    se = math.sqrt(5 / 3) / 2
    assert (e.value, e.n) == (2.5, 4)
    assert e.se == pytest.approx(se, rel=1e-14)
    assert (e.low, e.high) == pytest.approx(sps.norm.interval(0.95, loc=2.5, scale=se), rel=1e-12)
    assert e.low == pytest.approx(2.5 - Z * se, rel=1e-14)


def test_a_mean_leaves_out_replications_without_a_value_and_one_value_has_no_interval():
    e = stats.mean(np.array([1.0, math.nan, 3.0]))
    assert (e.value, e.n) == (2.0, 2) and e.se == pytest.approx(1.0, rel=1e-14)  # 1 and 3: sd √2, over √2
    one = stats.mean(np.array([7.0, math.nan]))
    assert (one.value, one.n) == (7.0, 1) and all(math.isnan(v) for v in (one.low, one.high, one.se))
    none = stats.mean(np.array([math.nan]))
    assert none.n == 0 and math.isnan(none.value)


@pytest.mark.parametrize(
    "successes, n, low, high",
    [
        # Newcombe (1998), Statistics in Medicine 17:857–872, table I, method 3 (Wilson score, no continuity correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_intervals_match_newcombes_published_values(successes, n, low, high):
    got = stats.wilson(successes, n)
    assert got == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize("n", [3, 20, 50, 1000])
def test_no_failures_and_all_failures_have_their_closed_form_bounds_inside_0_and_1(n):
    """At 0 of n the interval is [0, z²/(n + z²)], at n of n [n/(n + z²), 1]: never below zero
    or above one, however few the replications."""
    assert stats.wilson(0, n) == pytest.approx((0.0, Z * Z / (n + Z * Z)), abs=1e-12)
    assert stats.wilson(n, n) == pytest.approx((n / (n + Z * Z), 1.0), abs=1e-12)


def test_a_probability_is_the_share_of_replications_with_its_wilson_interval():
    flags = np.array([True] * 3 + [False] * 17)
    e = stats.probability(flags)
    assert (e.value, e.n) == (0.15, 20)
    assert e.se == pytest.approx(math.sqrt(0.15 * 0.85 / 20), rel=1e-14)
    assert (e.low, e.high) == stats.wilson(3, 20)
    assert e.low < 0.15 < e.high
    empty = stats.probability(np.array([], dtype=bool))
    assert empty.n == 0 and math.isnan(empty.value) and math.isnan(empty.low)


def test_the_median_of_100_values_lies_between_the_40th_and_the_61st():
    """The textbook distribution-free 95 % interval for a median of n = 100: the 40th and 61st
    order statistics, covering
    P(40 ≤ B ≤ 60) = 96.5 % with B ~ Bin(100, 1/2). The value itself interpolates linearly."""
    x = np.arange(1.0, 101.0)
    e = stats.quantile(np.random.default_rng(1).permutation(x), 0.5)
    assert (e.value, e.low, e.high, e.n) == (50.5, 40.0, 61.0, 100)
    assert e.se == pytest.approx((61 - 40) / (2 * Z))
    assert sps.binom.cdf(60, 100, 0.5) - sps.binom.cdf(39, 100, 0.5) == pytest.approx(0.9648, abs=5e-5)


def _coverage(n: int, q: float) -> float:
    """The exact probability that the interval ``quantile`` gives on n draws holds the true
    q-quantile: on the ranks 1..n its bounds are order statistics l and u, and it holds the
    quantile when l ≤ B < u, B ~ Bin(n, q) the draws below it (an infinite or missing bound
    holds it always)."""
    e = stats.quantile(np.arange(1.0, n + 1.0), q)
    below_low = sps.binom.cdf(e.low - 1, n, q) if math.isfinite(e.low) else 0.0
    up_to_high = sps.binom.cdf(e.high - 1, n, q) if math.isfinite(e.high) else 1.0
    return float(up_to_high - below_low)


@pytest.mark.parametrize("n", [100, 400, 1000])
@pytest.mark.parametrize("q", [0.05, 0.5, 0.95])
def test_a_quantile_interval_holds_the_true_quantile_in_at_least_95_percent_of_studies(n, q):
    assert _coverage(n, q) >= 0.95


@pytest.mark.parametrize("q", [0.05, 0.95])
def test_a_tail_quantile_of_50_replications_claims_no_interval_it_cannot_keep(q):
    """From 50 replications (the dashboard's fewest) the smallest or largest value would be a
    "95 %" bound of a 5th or 95th percentile that holds it in 91 % of studies: there is no
    interval instead, and from 100 there is one that holds."""
    e = stats.quantile(np.arange(1.0, 51.0), q)
    assert math.isnan(e.low) and math.isnan(e.high) and math.isnan(e.se) and e.n == 50
    assert np.isclose(e.value, np.quantile(np.arange(1.0, 51.0), q))
    assert _coverage(50, q) >= 0.95
    wide = stats.quantile(np.arange(1.0, 101.0), q)
    assert 1 <= wide.low < wide.value < wide.high <= 100


def test_a_quantile_leaves_out_replications_without_a_value():
    e = stats.quantile(np.array([math.nan, 4.0, 1.0, math.nan, 3.0, 2.0]), 0.5)
    assert (e.value, e.n) == (2.5, 4)
    assert stats.quantile(np.array([math.nan]), 0.5).n == 0
