"""Where a key figure's spread comes from: the uncertain parameters or the cohort's luck."""

from __future__ import annotations

import numpy as np
import pytest
from helpers_paths import REPO

import sib
from sib.scenario.edit import with_values
from sib.study.spread import explained, parameter_columns, split

ROOT = REPO


@pytest.mark.parametrize("signal, noise", [(1.0, 1.0), (2.0, 1.0), (0.5, 1.0)])
def test_the_parameters_share_is_the_law_of_total_variance(signal, noise):
    """y = signal · θ + ε with θ and ε independent: the parameters' share is signal² Var θ /
    (signal² Var θ + noise²), here with θ uniform (Var 1/12) and a nonlinear transform."""
    rng = np.random.default_rng(3)
    theta = rng.uniform(0, 1, 4000)
    y = signal * np.sqrt(12) * theta + rng.normal(0, noise, theta.size)
    share = explained(theta[:, None], y).from_parameters
    assert share == pytest.approx(signal**2 / (signal**2 + noise**2), abs=0.03)
    # A monotone transform of the parameter changes nothing: the fit is on its rank.
    assert explained(np.exp(5 * theta)[:, None], y).from_parameters == pytest.approx(share, abs=0.01)


def test_noise_alone_is_not_explained_and_too_few_replications_are_refused():
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 1, (2000, 3))
    assert explained(x, rng.normal(size=2000)).from_parameters < 0.02  # cross-validated: fitting noise gains nothing
    assert explained(x[:50], rng.normal(size=50)) is None


def test_a_reference_scenario_with_priors_splits_its_spread_and_one_without_does_not():
    """Bostad först's tenancy retention and referrals are uncertain: a good part of the spread in
    the number of tenancies kept a year comes from them, and the rest from the cohort's luck."""
    sc = sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml")
    results = sib.run(with_values(sc, {"contract.pricing.replications": 50}), reps=400, seed=0, executor="serial")
    assert len(parameter_columns(results)) == 5
    kept = split(results, "milestone_tenancy_12m")
    assert 0.15 < kept.from_parameters < 0.75 and kept.from_cohort == pytest.approx(1 - kept.from_parameters)
    plain = sib.run(sib.load_scenario(ROOT / "scenarios" / "published" / "fair_chance_depaul.yaml"), reps=40, seed=0, executor="serial")
    assert not parameter_columns(plain) and split(plain, "commissioner_paid") is None
