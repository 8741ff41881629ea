"""``sib/scenario/distributions.py``: how long a participant stays in a state — each family's mean
in days, its inverse distribution function (one uniform in, one duration out, which is what makes
compared designs share their random numbers), the calendar spans of lags, and a clear error
naming the path when a duration is written wrongly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers_deterministic import scenario_dict, with_changes
from scipy import stats

import sib
from sib.scenario.distributions import Duration, Span
from sib.scenario.loader import build

MONTH = 365.25 / 12  # 30.4375 days: a sampled month
U = np.array([0.0, 1e-6, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999999])


@pytest.mark.parametrize(
    "spec, days",
    [
        ({"fixed": 2, "unit": "weeks"}, 14.0),
        ({"exponential": {"rate": 0.5}, "unit": "weeks"}, 14.0),  # 0.5 a week: a mean of 2 weeks
        ({"exponential": {"mean": 3}, "unit": "months"}, 3 * 30.4375),
        ({"weibull": {"shape": 0.5, "scale": 2}, "unit": "months"}, 2 * 2 * 30.4375),  # λ·Γ(1 + 1/k) = 2·Γ(3) = 4 months
        ({"weibull": {"shape": 2, "scale": 10}}, 10 * math.sqrt(math.pi) / 2),  # 10·Γ(1.5)
        ({"lognormal": {"median": 10, "sigma": 0.5}}, 10 * math.exp(0.125)),  # median·exp(σ²/2)
        ({"lognormal": {"mean": 12, "sd": 3}, "unit": "years"}, 12 * 365.25),
        ({"gamma": {"shape": 3, "scale": 2}}, 6.0),
        ({"gamma": {"mean": 18, "sd": 6}, "unit": "weeks"}, 126.0),
        ({"empirical": {"values": [1, 2, 4], "weights": [1, 1, 2]}, "unit": "weeks"}, (1 + 2 + 8) / 4 * 7),
    ],
    ids=lambda v: next(iter(v)) if isinstance(v, dict) else None,
)
def test_the_mean_in_days_is_each_familys_closed_form_in_its_unit(spec, days):
    assert Duration.model_validate(spec).mean_days() == pytest.approx(days, rel=1e-12)


@pytest.mark.parametrize(
    "spec, law",
    [
        ({"exponential": {"mean": 3}, "unit": "months"}, stats.expon(scale=3 * MONTH)),
        ({"weibull": {"shape": 0.7, "scale": 2}, "unit": "months"}, stats.weibull_min(0.7, scale=2 * MONTH)),
        ({"lognormal": {"median": 2, "sigma": 0.6}, "unit": "months"}, stats.lognorm(0.6, scale=2 * MONTH)),
        ({"gamma": {"shape": 2.5, "scale": 4}, "unit": "days"}, stats.gamma(2.5, scale=4)),
        # mean 18 and sd 6 weeks: shape (18/6)² = 9, scale 18/9 = 2 weeks
        ({"gamma": {"mean": 18, "sd": 6}, "unit": "weeks"}, stats.gamma(9, scale=14)),
    ],
    ids=lambda v: next(iter(v)) if isinstance(v, dict) else None,
)
def test_each_sampler_is_its_familys_inverse_distribution_function(spec, law):
    """One uniform in, one duration out: u ↦ F⁻¹(u), in days (scipy's ppf, to 1e-9)."""
    got = Duration.model_validate(spec).sampler()(U)
    np.testing.assert_allclose(got, law.ppf(U), rtol=1e-9, atol=1e-9)
    assert np.all(np.diff(got) >= 0)  # a larger uniform, a longer stay: neighbours under common random numbers stay neighbours


def test_a_lognormal_by_mean_and_sd_has_that_mean_and_sd():
    """The file's mean and sd are of the time itself, not of its log: 12 and 3 years."""
    d = Duration.model_validate({"lognormal": {"mean": 12, "sd": 3}, "unit": "years"})
    mu, sigma = d.lognormal.mu_sigma()
    law = stats.lognorm(sigma, scale=math.exp(mu))
    assert law.mean() == pytest.approx(12, rel=1e-12) and law.std() == pytest.approx(3, rel=1e-12)
    # ... and the sampler draws from it in days
    np.testing.assert_allclose(d.sampler()(U[1:-1]), law.ppf(U[1:-1]) * 365.25, rtol=1e-9)


def test_an_empirical_table_is_sampled_by_its_cumulative_weights_to_the_edge():
    """Values 1, 2, 4 weeks with weights 1, 1, 2: cumulative 0.25, 0.5, 1. A uniform exactly at
    a cumulative weight takes the next value; the last value reaches to 1."""
    d = Duration.model_validate({"empirical": {"values": [1, 2, 4], "weights": [1, 1, 2]}, "unit": "weeks"})
    u = np.array([0.0, 0.2499999, 0.25, 0.4999999, 0.5, 0.9999999999])
    assert d.sampler()(u).tolist() == [7.0, 7.0, 14.0, 14.0, 28.0, 28.0]
    thirds = Duration.model_validate({"empirical": {"values": [3, 5, 8], "weights": [1, 1, 1]}})
    assert thirds.sampler()(np.array([1 - 2**-53])).tolist() == [8.0]  # the largest uniform below 1: the last value


def test_a_fixed_duration_is_the_same_for_every_uniform():
    d = Duration.model_validate({"fixed": 1, "unit": "months"})
    assert d.sampler()(U).tolist() == [30.4375] * len(U)


TRANSITION = "pathway.states.a.transitions.b"


@pytest.mark.parametrize(
    "spec, problem",
    [
        ({"exponential": {"mean": 3, "rate": 0.2}}, f"{TRANSITION}.exponential: give exactly one of 'mean' or 'rate'"),
        ({"exponential": {}}, f"{TRANSITION}.exponential: give exactly one of 'mean' or 'rate'"),
        (
            {"fixed": 3, "weibull": {"shape": 1, "scale": 2}},
            f"{TRANSITION}: give exactly one distribution of fixed, exponential, weibull, lognormal, gamma, empirical, got fixed, weibull",
        ),
        ({}, f"{TRANSITION}: give exactly one distribution of fixed, exponential, weibull, lognormal, gamma, empirical, got none"),
        ({"weibull": {"shape": 0, "scale": 2}}, f"{TRANSITION}.weibull.shape: must be > 0, got 0"),
        ({"fixed": 0}, f"{TRANSITION}.fixed: must be > 0, got 0"),
        ({"lognormal": {"median": 3, "sd": 1}}, f"{TRANSITION}.lognormal: give either 'median' and 'sigma', or 'mean' and 'sd'"),
        (
            {"lognormal": {"median": 3, "sigma": 1, "mean": 2}},
            f"{TRANSITION}.lognormal: give either 'median' and 'sigma', or 'mean' and 'sd'",
        ),
        ({"gamma": {"shape": 3}}, f"{TRANSITION}.gamma: give either 'shape' and 'scale', or 'mean' and 'sd'"),
        (
            {"empirical": {"values": [1, 2, 3], "weights": [1, 2]}},
            f"{TRANSITION}.empirical: 'values' and 'weights' must have the same length, got 3 and 2",
        ),
        ({"empirical": {"values": [1, 0], "weights": [1, 1]}}, f"{TRANSITION}.empirical.values[1]: must be > 0, got 0"),
        ({"fixed": 3, "unit": "hours"}, f"{TRANSITION}.unit: must be one of 'days', 'weeks', 'months' or 'years', got 'hours'"),
    ],
)
def test_a_duration_written_wrongly_is_refused_naming_its_path_and_rule(spec, problem):
    with pytest.raises(sib.ScenarioError) as info:
        build(with_changes(scenario_dict(), {TRANSITION: spec}))
    assert info.value.problems == [problem]


@pytest.mark.parametrize(
    "lag, problem",
    [
        ({"days": 36500}, None),  # a hundred years: the most a span may be
        ({"days": 36501}, "contract.verification_lag.days: must be between 0 and 36500, got 36501"),
        ({"weeks": 5200}, None),
        ({"weeks": 5201}, "contract.verification_lag.weeks: must be between 0 and 5200, got 5201"),
        ({"months": 1200}, None),
        ({"months": 1201}, "contract.verification_lag.months: must be between 0 and 1200, got 1201"),
        ({"days": 0}, None),
        ({"days": 3, "weeks": 1}, "contract.verification_lag: give exactly one of 'days', 'weeks' or 'months'"),
        ({}, "contract.verification_lag: give exactly one of 'days', 'weeks' or 'months'"),
    ],
)
def test_a_calendar_span_takes_exactly_one_unit_up_to_a_hundred_years(lag, problem):
    raw = with_changes(scenario_dict(), {"contract.verification_lag": lag})
    if problem is None:
        assert build(raw).contract.verification_lag == Span(**lag)
        return
    with pytest.raises(sib.ScenarioError) as info:
        build(raw)
    assert info.value.problems == [problem]
