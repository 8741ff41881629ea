"""Designs that differ only in their financing share each replication's start (participants,
milestones, the contract's payments, the costs), and designs that differ in the contract's
prices share the participants and costs: a comparison computes them once, and every design's
results are still exactly what its own study gives."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from helpers_paths import REPO

import sib
from sib.engine.compiled import compile_replication
from sib.engine.model import Model
from sib.engine.streams import Streams
from sib.pricing import price
from sib.scenario.edit import with_value
from sib.study.batch import share_starts

SCENARIOS = REPO / "scenarios"


def bostad(name: str = "bostad_forst") -> sib.Scenario:
    return sib.load_scenario(SCENARIOS / f"{name}.yaml")


def assert_same_study(a: sib.Results, b: sib.Results) -> None:
    pd.testing.assert_frame_equal(a.summary, b.summary)
    assert a.months == b.months
    for name in a.series_names:
        np.testing.assert_array_equal(a.series(name), b.series(name), err_msg=name)


def test_a_comparison_of_financing_gives_each_design_its_own_study():
    """With and without the guarantee, and the municipality's own guarantee: each design's
    replications in the comparison are those of its own run, down to the monthly series, also
    where the provider runs out of cash and stops (the rerun from the stop day)."""
    designs = [bostad(), bostad("bostad_forst_utan_garanti"), bostad("bostad_forst_kommunal_borgen")]
    compared = sib.compare(designs, reps=24, seed=11, executor="serial")
    assert share_starts(designs, [price(d) for d in designs]) == ((0, False), (0, True), (0, True))
    for design in designs:
        assert_same_study(compared.results[design.name], sib.run(design, reps=24, seed=11, executor="serial"))
    assert compared.results[designs[1].name].values("provider_insolvent").any()  # the stop was exercised


def test_the_start_is_computed_once_per_replication_for_designs_that_share_it(monkeypatch):
    designs = [bostad(), bostad("bostad_forst_kommunal_borgen"), with_value(bostad(), "contract.outcome_share", 0.5)]
    for design in designs:
        price(design)  # pricing simulates too: done before counting
    calls = []
    participants = Model._participants

    def counted(self, stop):
        calls.append(stop)
        return participants(self, stop)

    monkeypatch.setattr(Model, "_participants", counted)
    sib.compare(designs, reps=5, seed=3, executor="serial")
    assert calls.count(None) == 5  # the reruns after a stop (a stop day) come on top


def test_other_prices_share_the_participants_and_spending_but_not_the_payments():
    """Another outcome share, other milestone prices, a cap, and the provider's opening cash:
    the same people and costs, priced and paid differently — each still its own study."""
    base = bostad("bostad_forst_utan_garanti")
    designs = [
        base,
        with_value(base, "contract.outcome_share", 0.5),
        with_value(base, "contract.rate_card.tenancy_12m.price", 60_000),
        with_value(base, "contract.caps.per_participant", 350_000),  # binds: the same people, paid differently
        with_value(base, "provider.opening_equity", 1_000_000),
    ]
    assert share_starts(designs, [price(d) for d in designs]) == ((0, False), (0, False), (0, False), (0, False), (0, True))
    compared = sib.compare(designs, reps=16, seed=9, executor="serial")
    for design in designs[1:]:
        assert_same_study(compared.results[design.name], sib.run(design, reps=16, seed=9, executor="serial"))
    paid = [compared.results[d.name].values("commissioner_paid_outcome") for d in designs[:2]]
    assert (paid[1] != paid[0]).all()  # the same people, paid differently


def test_designs_that_differ_in_their_participants_or_calendar_share_nothing():
    base = bostad()
    others = [
        with_value(base, "contract.verification_lag.months", 4),
        with_value(base, "contract.payment_terms_days", 60),
        with_value(base, "contract.invoice_period", "quarterly"),
        with_value(base, "contract.rejected_share", 0.1),
        with_value(base, "participants.referrals.per_month", 3.0),
        with_value(base, "provider.costs.fixed_per_month", 210_000),
        with_value(base, "capacity.places", {"uniform": [100, 120]}),
    ]
    designs = [base, *others]
    assert share_starts(designs, [price(d) for d in designs]) == tuple((j, False) for j in range(len(designs)))


def test_designs_with_uncertain_parameters_share_the_draws_and_the_start():
    """Places drawn anew in each replication (the same draw in every design: common random
    numbers): with and without the guarantee the start is shared, and each design still gets
    its own study, draws included."""
    drawn = with_value(bostad(), "capacity.places", {"uniform": [60, 120]})
    without = with_value(drawn, "financing.guarantee", None)
    assert share_starts([drawn, without], [price(drawn), price(without)]) == ((0, False), (0, True))
    compared = sib.compare([drawn, without], reps=12, seed=5, executor="serial")
    alone = sib.run(without, reps=12, seed=5, executor="serial")
    assert_same_study(compared.results[without.name], alone)
    assert alone.values("param.capacity.places").std() > 0


def test_the_participants_step_is_a_value_a_start_hands_on_whole():
    """``Model._participants`` returns a frozen record and leaves the model as it was, so a
    design that takes a start receives all of it: nothing can be left out or stale."""
    design = bostad()
    streams = Streams(0, 0)
    model = Model(compile_replication(design, streams), price(design).terms, streams)
    before = dict(vars(model))
    people = model._participants(None)
    assert vars(model).keys() == before.keys() and all(vars(model)[k] is v for k, v in before.items())
    with pytest.raises(dataclasses.FrozenInstanceError):
        people.claims = None
    first = model.run()
    other = Model(compile_replication(design, streams), price(design).terms, streams).run(first.start)
    assert other.participants is first.start.participants and other.ledger.frame().equals(first.ledger.frame())
