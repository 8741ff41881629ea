"""Avoided costs worked out again in plain Python, person by person, for a random scenario.

sib/economics.py walks only the enrolled, from enrolment, in compiled code. Here every referral
is followed from the day they were referred to the horizon in both arms, as the rule is stated
(docs/how-it-works.md §9): on the counterfactual path while waiting or if lost; on their path
from enrolment; from an exit on the counterfactual again, from the mapped state. The paths are
the simulator's own (the same rows of the same streams, sampled further than needed); the
cutting, the mapping, the discounting and the sums are independent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from helpers_deterministic import scenario_dict

import sib
from sib.engine import pathway_kernels
from sib.engine.pathway import CompiledPathway
from sib.engine.streams import UniformTable, child
from sib.scenario.loader import build

MONTH = {"unit": "months"}


def _random_scenario(horizon_months: int | None) -> sib.Scenario:
    """Referrals at random, a short waiting list (some are lost), dropouts, evictions, deaths and
    institutions; a counterfactual of shelter, staircase and compulsory-care spells."""
    raw = scenario_dict(
        pathway={
            "start": "engaged",
            "states": {
                "engaged": {
                    "transitions": {
                        "housed": {"lognormal": {"median": 2, "sigma": 0.6}, **MONTH},
                        "dropped_out": {"exponential": {"mean": 10}, **MONTH},
                    }
                },
                "housed": {
                    "transitions": {
                        "evicted": {"weibull": {"shape": 0.6, "scale": 20}, **MONTH},
                        "moved": {"exponential": {"mean": 40}, **MONTH},
                        "institution": {"exponential": {"mean": 60}, **MONTH},
                        "died": {"exponential": {"mean": 100}, **MONTH},
                    }
                },
                "dropped_out": {},
                "evicted": {},
                "moved": {},
                "institution": {},
                "died": {},
            },
        },
        milestones={"m": {"state": "housed"}},
        contract={"rate_card": {"m": {"price": 0}}, "service_months": 24, "outcome_tail_months": 12},
        capacity={"places": 12, "waiting_list": {"max_length": 4, "max_wait_days": 60}},
    )
    raw["participants"] = {"referrals": {"per_month": 2.5}}
    raw["economics"] = {
        "discount_rate": 0.035,
        "horizon_months": horizon_months,
        "counterfactual": {
            "start": "shelter",
            "states": {
                "shelter": {
                    "transitions": {
                        "staircase": {"exponential": {"mean": 6}, **MONTH},
                        "institution": {"exponential": {"mean": 30}, **MONTH},
                    }
                },
                "staircase": {"transitions": {"shelter": {"exponential": {"mean": 9}, **MONTH}}},
                "institution": {"transitions": {"shelter": {"exponential": {"mean": 4}, **MONTH}}},
            },
        },
        "after_exit": {"dropped_out": "shelter", "evicted": "shelter", "moved": None, "institution": "institution", "died": None},
        "daily_costs": {
            "shelter": {"municipality": 1_000},
            "staircase": {"municipality": 1_100, "state": 50},
            "institution": {"municipality": 400, "state": 4_000},
            "engaged": {"municipality": 200},
            "housed": {"state": 30},
        },
    }
    return build(raw)


def _pv(a: float, b: float, delta: float) -> float:
    """One krona a day from day a to day b, discounted continuously to day 0."""
    if b <= a:
        return 0.0
    return b - a if delta == 0 else (math.exp(-delta * a) - math.exp(-delta * b)) / delta


def _stays(states: np.ndarray, times: np.ndarray, origin: float) -> list[tuple[int, float, float]]:
    """A sampled path as (state, from day, to day); the last stay never ends."""
    steps = [(int(s), origin + float(t)) for s, t in zip(states, times) if s >= 0]
    return [(s, a, steps[j + 1][1] if j + 1 < len(steps) else math.inf) for j, (s, a) in enumerate(steps)]


def _cost(stays, names, costs, lo: float, hi: float, delta: float, pocket: str) -> float:
    total = 0.0
    for s, a, b in stays:
        cost = costs.get(names[s])
        if cost is not None:
            total += getattr(cost, pocket) * _pv(max(a, lo), min(b, hi), delta)
    return total


def avoided_by_hand(rep: sib.Replication, pocket: str) -> float:
    sc = rep.realised
    econ = sc.economics
    model = rep._model
    delta = math.log1p(econ.discount_rate) / 365
    months = econ.horizon_months if econ.horizon_months is not None else sc.contract.service_months + sc.contract.outcome_tail_months
    y, m = divmod(sc.start_date.month - 1 + months, 12)
    horizon = float((dt.date(sc.start_date.year + y, m + 1, sc.start_date.day) - sc.start_date).days)
    pathway, cf = CompiledPathway.of(sc), CompiledPathway.of(sc, econ.counterfactual)
    referred, enrolled = model.participants.intake.referred, model.participants.intake.enrolled
    n = len(referred)
    far = horizon + 400 - referred  # further than needed: the cut at the horizon is made here
    cf_paths = cf.sample_all(UniformTable(model.streams.counterfactual_seed, n), far)
    paths = pathway.sample_all(UniformTable(model.streams.participants_seed, n), far)
    after_table = UniformTable(child(model.streams.counterfactual_seed, 2), n)
    costs = econ.daily_costs
    total = 0.0
    for i in range(n):
        without = _stays(cf_paths.states[i], cf_paths.times[i], referred[i])
        cost_without = _cost(without, cf.names, costs, referred[i], horizon, delta, pocket)
        at = enrolled[i]
        if math.isnan(at) or at >= horizon:  # never reached: the counterfactual days, as they are
            cost_with = cost_without
        else:
            cost_with = _cost(without, cf.names, costs, referred[i], at, delta, pocket)  # waiting
            own = _stays(paths.states[i], paths.times[i], at)
            for s, a, b in own:
                if a >= horizon:
                    break
                name = pathway.names[s]
                if not pathway.absorbing[s]:
                    cost_with += _cost([(s, a, b)], pathway.names, costs, a, horizon, delta, pocket)
                elif econ.after_exit[name] is not None:
                    goes_on = dataclasses.replace(cf, start=cf.names.index(econ.after_exit[name]))
                    horizons = np.zeros(i + 1)
                    horizons[i] = horizon + 400 - a
                    then = goes_on.sample_all(after_table, horizons)
                    cost_with += _cost(_stays(then.states[i], then.times[i], a), cf.names, costs, a, horizon, delta, pocket)
        total += cost_without - cost_with
    return total


@pytest.mark.parametrize("horizon_months", [None, 30, 60])
def test_avoided_costs_match_a_person_by_person_computation(horizon_months):
    """The default horizon (the contract's last day), one inside the outcome window and one
    two years past it; both pockets, discounted, in several replications."""
    sc = _random_scenario(horizon_months)
    lost = 0
    for i in range(6):
        rep = sib.simulate(sc, 0, replication=i)
        lost += sum(p.lost is not None for p in rep._model.people)
        for pocket in ("municipality", "state"):
            assert rep.metrics[f"econ_avoided_{pocket}"] == pytest.approx(avoided_by_hand(rep, pocket), rel=1e-9, abs=1e-6)
    assert lost > 0  # the rule for those never enrolled was exercised


def _plain_days_between(states, times, rows, origin, begin, end, delta, n_states):
    out = [0.0] * n_states
    for r, i in enumerate(rows):
        for s, a, b in _stays(states[i], times[i], origin[r]):
            if a < end:
                out[s] += _pv(max(a, begin[r]), min(b, end), delta)
    return out


@pytest.mark.parametrize("delta", [0.0, math.log1p(0.035) / 365])
def test_discounted_days_between_matches_plain_python(delta):
    rng = np.random.default_rng(7)
    n, width, n_states = 40, 6, 4
    steps = np.sort(rng.uniform(0, 900, (n, width)), axis=1)
    steps[:, 0] = 0.0
    states = rng.integers(0, n_states, (n, width))
    length = rng.integers(1, width + 1, n)  # -1 / inf padding past each path's end
    pad = np.arange(width)[None, :] >= length[:, None]
    states[pad], steps[pad] = -1, np.inf
    rows = rng.permutation(n)[:30]
    origin = rng.uniform(0, 300, 30)
    begin = origin + rng.uniform(0, 200, 30)
    got = pathway_kernels.discounted_days_between(states, steps, rows, origin, begin, 800.0, delta, n_states)
    assert got == pytest.approx(_plain_days_between(states, steps, rows, origin, begin, 800.0, delta, n_states), rel=1e-12)


def test_walking_some_rows_from_states_of_their_own_is_sample_all_from_each_state():
    """``walk_rows`` (the walk after an exit) against the pathway's numpy walk from each start:
    long paths, so that rows run past their uniforms and the columns must widen."""
    from sib.engine.pathway import walk_rows
    from sib.engine.streams import Streams

    sc = _random_scenario(None)
    flip = {
        "start": "a",
        "states": {
            # A cycle a → b → a of about 11 days (the quickest the schema allows is a week at the median).
            "a": {"transitions": {"b": {"exponential": {"mean": 5}}, "c": {"exponential": {"mean": 400}}}},
            "b": {"transitions": {"a": {"exponential": {"mean": 6}}}},
            "c": {},
        },
    }
    cf = CompiledPathway.of(sc, sib.scenario.schema.Pathway.model_validate(flip))
    seed = Streams(3, 0).counterfactual_seed
    rows, starts = np.array([2, 5, 70, 71, 130]), np.array([0, 1, 1, 0, 2])
    horizons = np.array([300.0, 250.0, 10.0, 400.0, 50.0])
    got = walk_rows(pathway_kernels.Table(cf.transitions, cf.absorbing), UniformTable(seed, 8), rows, starts, horizons)
    assert got.states.shape[1] > 16  # the columns widened
    for k, (row, start, horizon) in enumerate(zip(rows, starts, horizons)):
        h = np.zeros(row + 1)
        h[row] = horizon
        own = dataclasses.replace(cf, start=int(start)).sample_all_numpy(UniformTable(seed, row + 1), h)
        width = (own.states[row] >= 0).sum()
        assert (got.states[k] >= 0).sum() == width
        assert got.states[k, :width].tolist() == own.states[row, :width].tolist()
        np.testing.assert_allclose(got.times[k, :width], own.times[row, :width], rtol=1e-13, atol=0)  # an ulp apart at most
