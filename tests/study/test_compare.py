"""Sweeps and break-even searches: every value run with the same streams, and the break-even
found where the risk crosses its threshold, with an interval."""

from __future__ import annotations

import math

import pytest
from helpers_study import MEAN_PATH, tenancy

import sib
from sib.scenario.edit import with_value
from sib.scenario.loader import build
from sib.study.compare import parse_values


def test_a_sweep_runs_each_value_with_the_same_streams():
    sc = build(tenancy(2.0))
    sw = sib.sweep(sc, "contract.rate_card.housed_6m.price", [500, 1000, 2000], reps=30, seed=1, executor="serial")
    counts = [r.values("milestone_housed_6m") for r in sw.results]
    assert (counts[0] == counts[1]).all() and (counts[1] == counts[2]).all()  # prices move no participant
    paid = [r.values("commissioner_paid_outcome") for r in sw.results]
    assert (paid[2] == 4 * paid[0]).all()
    table = sw.table([("commissioner_paid_outcome", "mean")])
    assert table["contract.rate_card.housed_6m.price"].tolist() == [500, 1000, 2000]


def test_break_even_finds_where_the_risk_crosses_and_brackets_it():
    """The number still housed after six months rises with the mean tenancy; the largest mean
    at which it stays below 20 % of the cohort is where exp(-181 / (m · 30.44)) = 0.2, at
    m = 3.69 months. A cohort of 300 makes the crossing sharp."""
    sc = build(tenancy(3.0))
    result = sib.break_even(
        sc,
        "pathway.states.housed.transitions.out.exponential.mean",
        metric="milestone_housed_6m",
        statistic="mean",
        threshold=0.2 * 300,
        low=1.0,
        high=8.0,
        tolerance=0.05,
        reps=40,
        seed=2,
        executor="serial",
    )
    crossing = 181 / (math.log(1 / 0.2) * 365.25 / 12)
    assert result.value == pytest.approx(crossing, abs=0.15)
    assert result.low is not None and result.high is not None
    assert result.low <= result.value <= result.high
    assert result.high - result.low < 1.0
    assert len(result.evaluations) >= 5


def test_break_even_says_none_when_even_the_lowest_value_is_too_risky():
    sc = build(tenancy(3.0))
    result = sib.break_even(
        sc,
        "pathway.states.housed.transitions.out.exponential.mean",
        metric="milestone_housed_6m",
        statistic="mean",
        threshold=1,
        low=4.0,
        high=8.0,
        reps=10,
        seed=0,
        executor="serial",
    )
    assert result.value is None


def test_a_parameter_path_or_value_that_does_not_fit_is_a_clear_error():
    sc = build(tenancy(2.0))
    with pytest.raises(sib.ScenarioError, match="contract.outcome_share: must be between 0 and 1, got 1.5"):
        with_value(sc, "contract.outcome_share", 1.5)
    with pytest.raises(sib.ScenarioError, match="unknown key"):
        with_value(sc, "contract.outcome_shar", 0.5)
    with pytest.raises(sib.ScenarioError, match="not a parameter path"):
        with_value(sc, "contract..x", 0.5)
    assert parse_values("0.2:0.75:0.05")[-1] == 0.75 and len(parse_values("0.2:0.75:0.05")) == 12
    assert parse_values("0.2,0.4") == [0.2, 0.4]
    with pytest.raises(ValueError, match="start:stop:step"):
        parse_values("0.5:0.2:0.1")


def test_sweeps_of_several_designs_are_each_what_their_own_sweep_gives():
    """With and without a price on the six-month milestone, swept over the mean tenancy as one
    study: each design's sweep is its own sweep, value by value (they share the participants)."""
    paid, free = build(tenancy(2.0)), build(tenancy(2.0, price=3000))
    both = sib.sweeps({"a": paid, "b": free}, MEAN_PATH, [1.5, 3.0], reps=20, seed=4, executor="serial")
    assert list(both) == ["a", "b"]
    for name, sc in (("a", paid), ("b", free)):
        alone = sib.sweep(sc, MEAN_PATH, [1.5, 3.0], reps=20, seed=4, executor="serial")
        assert both[name].values == [1.5, 3.0]
        for together, own in zip(both[name].results, alone.results):
            assert together.summary.equals(own.summary)
    assert (both["b"].results[1].values("commissioner_paid") == 3 * both["a"].results[1].values("commissioner_paid")).all()


def test_a_sweeps_crossing_asks_the_question_the_setting_asks():
    """A risk that rises with the value (the outcome share) gives the highest value still under
    the threshold; one that falls (a credit line) the lowest value from which it stays under."""
    from sib.study.compare import crossing as on_the_page

    shares = [0.2, 0.3, 0.4, 0.5, 0.6]
    assert on_the_page(shares, [0.0, 0.01, 0.04, 0.2, 0.6], 0.05) == (0.4, "highest")
    lines = [0, 250_000, 500_000, 750_000, 1_000_000]
    assert on_the_page(lines, [0.9, 0.3, 0.06, 0.02, 0.01], 0.05) == (750_000, "lowest")
    assert on_the_page(lines, [0.9, 0.02, 0.06, 0.02, 0.01], 0.05) == (750_000, "lowest")  # safe from there on, not before
    assert on_the_page(lines, [0.01] * 5, 0.05) is None and on_the_page(lines, [0.5] * 5, 0.05) is None


def test_break_even_downward_finds_the_lowest_value_from_which_the_risk_stays_below():
    """The same cohort, by the rate of leaving housing: more still housed at six months the
    lower the rate, so the safe side is above. exp(-181 · r / 30.44) = 0.2 at r = 0.2707 a month."""
    sc = with_value(build(tenancy(3.0)), "pathway.states.housed.transitions.out.exponential", {"rate": 0.3})
    result = sib.break_even(
        sc,
        "pathway.states.housed.transitions.out.exponential.rate",
        metric="milestone_housed_6m",
        statistic="mean",
        threshold=0.2 * 300,
        low=0.1,
        high=0.6,
        tolerance=0.005,
        reps=40,
        seed=2,
        executor="serial",
        direction="lowest",
    )
    crossing = math.log(1 / 0.2) * 365.25 / 12 / 181
    assert result.direction == "lowest"
    assert result.value == pytest.approx(crossing, abs=0.02)
    assert result.low is not None and result.high is not None
    assert result.low <= result.value <= result.high and result.high - result.low < 0.1
    below = result.evaluations[result.evaluations["value"] < 0.2 * 300]
    assert below[result.parameter].min() == pytest.approx(result.value), "a lower value than the answer was safe too"
    with pytest.raises(ValueError, match="direction must be 'highest' or 'lowest', got up"):
        sib.break_even(sc, "contract.outcome_share", direction="up", reps=2, executor="serial")
