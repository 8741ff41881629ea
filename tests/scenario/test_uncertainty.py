"""Parameter uncertainty: a number written as a distribution is drawn once per replication,
from a stream of its own, within the field's range, and the engine uses the value drawn."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest
from helpers_study import MEAN_PATH, tenancy
from scipy import stats

import sib
from sib.scenario.loader import build

COHORT = 400


def raw(mean: Any = 2.0, places: Any = None) -> dict[str, Any]:
    """The closed-form tenancy scenario with a cohort of 400."""
    return tenancy(mean, cohort=COHORT, places=places)


def test_a_distribution_is_drawn_once_per_replication_and_drives_the_engine():
    sc = build(raw(mean={"uniform": [1, 4]}))
    reps = [sib.simulate(sc, seed=5, replication=i) for i in range(150)]
    drawn = np.array([r.parameters[MEAN_PATH] for r in reps])
    reached = np.array([r.metrics["milestone_housed_6m"] for r in reps])
    assert drawn.min() >= 1 and drawn.max() <= 4
    assert len(set(drawn.tolist())) == len(drawn), "every replication draws anew"
    # The draws follow the stated distribution (Kolmogorov–Smirnov, false alarm 1e-3) ...
    assert stats.kstest(drawn, stats.uniform(1, 3).cdf).pvalue > 1e-3
    # ... and each replication's tenancies use its own draw: the share still housed after six
    # calendar months (181 days from 1 January 2030) is exp(-181 / mean) for that replication.
    expected = COHORT * np.exp(-181 / (drawn * 365.25 / 12))
    z = (reached - expected) / np.sqrt(expected * (1 - expected / COHORT))
    assert np.abs(z).max() < stats.norm.isf(1e-3 / (2 * len(z))), "count far from its drawn mean"
    assert np.corrcoef(drawn, reached)[0, 1] > 0.9


def test_same_seed_same_draws_and_another_parameter_moves_none_of_them():
    one = build(raw(mean={"triangular": [1, 2, 4]}))
    two = build(raw(mean={"triangular": [1, 2, 4]}, places={"uniform": [300, 400]}))
    for i in range(20):
        a, b = sib.simulate(one, 3, i), sib.simulate(two, 3, i)
        assert a.parameters[MEAN_PATH] == b.parameters[MEAN_PATH]
        assert a.metrics == sib.simulate(one, 3, i).metrics
    assert sib.simulate(one, 3, 0).parameters != sib.simulate(one, 4, 0).parameters


def test_a_whole_number_is_drawn_as_a_whole_number_and_used_as_the_places():
    sc = build(raw(places={"uniform": [0.5, 3.4999]}))
    seen = set()
    for i in range(40):
        rep = sib.simulate(sc, 1, i)
        places = rep.parameters["capacity.places"]
        assert isinstance(places, int) and 1 <= places <= 3
        seen.add(places)
        assert rep.metrics["enrolled"] >= places  # at least the first ones get a place at once
        assert rep.realised.capacity.places == places
    assert seen == {1, 2, 3}


def test_pricing_takes_the_expectation_over_the_uncertain_parameters():
    fixed = dict(raw(mean=2.5))
    fixed["contract"] = {
        **fixed["contract"],
        "expected_value": 1_000_000,
        "outcome_share": 0.5,
        "fixed": {"monthly": 50_000},
        "pricing": {"replications": 200},
    }
    spread = copy.deepcopy(fixed)
    spread["pathway"]["states"]["housed"]["transitions"]["out"]["exponential"]["mean"] = {"uniform": [1, 4]}
    a, b = sib.price(build(fixed)), sib.price(build(spread))
    # The same contract value is kept; the outcome price differs, since E[exp(-6/m)] over
    # m ~ U(1, 4) is not exp(-6/2.5).
    assert a.expected_value == pytest.approx(1_000_000) and b.expected_value == pytest.approx(1_000_000)
    assert a.terms.outcome_factor != b.terms.outcome_factor


@pytest.mark.parametrize(
    "where, value, message",
    [
        (
            ("capacity", "places"),
            {"lognormal": [3, 1]},
            "capacity.places: the lognormal distribution ranges over [0, inf], but every value must be >= 1",
        ),
        (
            ("pathway", "states", "housed", "transitions", "out", "exponential", "mean"),
            {"uniform": [-1, 2]},
            f"{MEAN_PATH}: the uniform distribution ranges over [-1, 2], but every value must be > 0",
        ),
        (
            ("pathway", "states", "housed", "transitions", "out", "exponential", "mean"),
            {"uniform": [3, 2]},
            f"{MEAN_PATH}.uniform: low must be < high, got [3.0, 2.0]",
        ),
        (
            ("pathway", "states", "housed", "transitions", "out", "exponential", "mean"),
            {"normal": [3, 2]},
            f"{MEAN_PATH}.normal: unknown key",
        ),
        (("contract", "rate_card", "housed_6m", "price"), {"uniform": [1, 2]}, "contract.rate_card.housed_6m.price: must be a number"),
    ],
)
def test_a_distribution_that_does_not_fit_its_field_is_refused_with_its_path(where, value, message):
    data = raw()
    node = data
    for key in where[:-1]:
        node = node.setdefault(key, {})
    node[where[-1]] = value
    with pytest.raises(sib.ScenarioError) as info:
        build(data)
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems


def test_a_drawn_value_is_never_clamped_to_its_range():
    sc = build(raw(mean={"beta": [2, 5]}))  # a mean in (0, 1) months: allowed, > 0
    values = [sib.simulate(sc, 0, i).parameters[MEAN_PATH] for i in range(30)]
    assert all(0 < v < 1 for v in values) and not math.isclose(min(values), max(values))
