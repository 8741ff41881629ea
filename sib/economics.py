"""Whose pocket: avoided costs, societal value and three economic views, discounted.

Avoided costs compare the same people over the same days, with the intervention and without
it: every referral, from the day they were referred to the economic horizon
(``economics.horizon_months`` from the contract start; by default the contract's last day),
which does not move when the contract's terms change or the service stops. Without the
intervention a referral's days follow the counterfactual pathway from the referral day, sampled
from their own stream. With it, they follow the same counterfactual days while they wait for a
place, and for good if they never get one; from enrolment they follow the participant's path;
and from an exit, the counterfactual pathway again, from the state ``economics.after_exit``
names for that exit (on a stream of their own), or nothing (a state mapped to null costs
nothing: died, moved away). So the days before enrolment are the same in both, and a referral
never enrolled avoids exactly nothing: avoided costs come only from days the intervention
changed. A day in a state costs the municipality and/or the state what
``economics.daily_costs`` says, in both. A milestone's societal value counts for
``value_horizon_years`` from the day it is reached. Everything is discounted continuously at
the stated yearly rate (actual/365) to the contract start. The money spent is the ledger's
(the contract's dates).

Three views, never summed into one:
- municipality: what it pays (net of what it receives, as the VAT compensation or a guarantee
  fee) less the municipal costs avoided;
- public sector: the municipality and the state together (lönebidrag, fees and VAT are
  transfers between them) less all public costs avoided;
- society: the provider's use of outside resources (payments to outsiders less what they pay
  it) against the costs avoided and the societal value; transfers between public bodies,
  provider, bank and investor cancel out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sib.calendar import add_months
from sib.engine import pathway_kernels as kernels
from sib.engine.ledger import Party
from sib.engine.pathway import CompiledPathway, Paths, walk_rows
from sib.engine.streams import Streams, UniformTable, child
from sib.scenario.schema import Economics, Scenario, per_scenario

POCKETS = ("municipality", "state")
#: The key, under the counterfactual's seed, of the stream a participant goes on after an exit
#: (row i: referral i), apart from the counterfactual path itself and its overflow (key 1).
AFTER_EXIT = 2


@dataclass(frozen=True)
class Arms:
    """What avoided costs need from a scenario, built once: the counterfactual, the horizon, where
    each exit goes on, and the daily costs of each pathway's states by pocket."""

    counterfactual: CompiledPathway
    exits: np.ndarray  # per pathway state: whether it is an exit (absorbing)
    horizon: float  # day number (from the contract start) avoided costs are counted to
    goes_on_in: np.ndarray  # per pathway state: the counterfactual state an exit goes on in; -1: none
    counterfactual_table: kernels.Table  # the counterfactual's transitions, for walks from any state
    intervention_cost: dict[str, np.ndarray]  # pocket → kr a day per pathway state (0 in an exit: its days go on elsewhere)
    counterfactual_cost: dict[str, np.ndarray]  # pocket → kr a day per counterfactual state


def horizon_day(sc: Scenario) -> int:
    """The economic horizon as a day number: ``horizon_months`` from the contract start, or the
    contract's last day (the end of the outcome window) by default."""
    econ = sc.economics
    months = econ.horizon_months if econ is not None else None
    end = sc.outcome_window_end if months is None else add_months(sc.start_date, months)
    return (end - sc.start_date).days


@per_scenario
def _arms(sc: Scenario) -> Arms | None:
    econ = sc.economics
    if econ is None or econ.counterfactual is None:
        return None
    pathway, cf = CompiledPathway.of(sc), CompiledPathway.of(sc, econ.counterfactual)
    index = {name: i for i, name in enumerate(cf.names)}
    goes_on_in = np.array(
        [
            index[econ.after_exit[n]] if absorbing and econ.after_exit.get(n) is not None else -1
            for n, absorbing in zip(pathway.names, pathway.absorbing)
        ],
        dtype=np.int64,
    )
    exits = np.array(pathway.absorbing)
    return Arms(
        counterfactual=cf,
        exits=exits,
        horizon=float(horizon_day(sc)),
        goes_on_in=goes_on_in,
        counterfactual_table=kernels.Table(cf.transitions, cf.absorbing),
        intervention_cost={p: np.where(exits, 0.0, _daily_cost(econ, pathway.names, p)) for p in POCKETS},
        counterfactual_cost={p: _daily_cost(econ, cf.names, p) for p in POCKETS},
    )


def _daily_cost(econ: Economics, names: tuple[str, ...], pocket: str) -> np.ndarray:
    return np.array([float(getattr(econ.daily_costs[n], pocket)) if n in econ.daily_costs else 0.0 for n in names])


def economics_metrics(sc: Scenario, model: Any) -> dict[str, Any]:
    econ = sc.economics
    if econ is None:
        return {}
    delta = math.log1p(econ.discount_rate) / 365  # continuous rate per day
    arms = _arms(sc)
    # Without a counterfactual there is nothing to avoid costs against: say so, do not guess.
    avoided = avoided_costs(arms, model, delta) if arms is not None else dict.fromkeys(POCKETS, math.nan)
    value = _societal_value(econ, model, delta)
    flows = _discounted_flows(model, delta)
    municipal_spend = flows[Party.COMMISSIONER]
    public_spend = flows[Party.COMMISSIONER] + flows[Party.STATE]
    society_cost = flows[Party.EXTERNAL] * -1  # what outsiders received from the provider, net
    return {
        "econ_discount_rate": econ.discount_rate,
        "econ_rate_basis": econ.rate_basis,
        "econ_avoided_municipality": avoided["municipality"],
        "econ_avoided_state": avoided["state"],
        "econ_societal_value": value,
        "econ_municipality_spend": municipal_spend,
        "econ_public_spend": public_spend,
        "econ_municipality_net_cost": municipal_spend - avoided["municipality"],
        "econ_municipality_bcr": avoided["municipality"] / municipal_spend if municipal_spend > 0 else math.nan,
        "econ_public_net_cost": public_spend - avoided["municipality"] - avoided["state"],
        "econ_public_bcr": (avoided["municipality"] + avoided["state"]) / public_spend if public_spend > 0 else math.nan,
        "econ_society_net_benefit": value + avoided["municipality"] + avoided["state"] - society_cost,
        "econ_society_bcr": (value + avoided["municipality"] + avoided["state"]) / society_cost if society_cost > 0 else math.nan,
    }


def avoided_costs(arms: Arms, model: Any, delta: float) -> dict[str, float]:
    """Costs without the intervention less costs with it, by pocket, discounted.

    Only the enrolled are walked: before enrolment, and for a referral never enrolled, the two
    arms are the same counterfactual days, so their difference is exactly zero."""
    reached = model.participants.enrolled_at < arms.horizon
    ids, at = model.participants.enrolled_ids[reached], model.participants.enrolled_at[reached]
    if not len(ids):
        return dict.fromkeys(POCKETS, 0.0)
    referred = model.participants.intake.referred
    without = _counterfactual_days(arms, model.streams, referred, ids, at, delta)
    paths = _intervention_paths(model, arms.horizon)
    with_ = kernels.discounted_days_between(paths.states, paths.times, ids, at, at, arms.horizon, delta, len(arms.exits))
    after = _after_exit_days(arms, model.streams, len(referred), paths, ids, at, delta)
    return {p: float(arms.counterfactual_cost[p] @ (without - after) - arms.intervention_cost[p] @ with_) for p in POCKETS}


def _counterfactual_days(arms: Arms, streams: Streams, referred: np.ndarray, ids: np.ndarray, at: np.ndarray, delta: float) -> np.ndarray:
    """Discounted days in each counterfactual state, from enrolment to the horizon, of paths that
    begin at the referral (row i of the counterfactual stream: referral i)."""
    horizons = np.zeros(int(ids.max()) + 1)
    horizons[ids] = arms.horizon - referred[ids]
    paths = arms.counterfactual.sample_all(UniformTable(streams.counterfactual_seed, len(referred)), horizons)
    return kernels.discounted_days_between(
        paths.states, paths.times, ids, referred[ids], at, arms.horizon, delta, len(arms.counterfactual.names)
    )


def _intervention_paths(model: Any, horizon: float) -> Paths:
    """The participants' paths, uncut by a stop, long enough to reach the horizon: the model's
    own (sampled to the outcome window from the referral), or sampled again further on from the
    same rows (a path read further on begins as the shorter one)."""
    k = model.k
    if horizon <= k.window_end:
        return model.participants.paths
    referred = model.participants.intake.referred
    return k.pathway.sample_all(UniformTable(model.streams.participants_seed, len(referred)), horizon - referred)


def exits(paths: Paths, ids: np.ndarray, at: np.ndarray, horizon: float, absorbing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each enrolled participant's exit before the horizon: the day and the exit state (inf and
    -1 for one still in the pathway then)."""
    state, entered = kernels.state_at(paths.states, paths.times, ids, at, horizon)
    left = (state >= 0) & absorbing[state]
    return np.where(left, entered, math.inf), np.where(left, state, -1)


def _after_exit_days(arms: Arms, streams: Streams, n: int, paths: Paths, ids: np.ndarray, at: np.ndarray, delta: float) -> np.ndarray:
    """Discounted days in each counterfactual state from each exit to the horizon, going on from
    the state the exit maps to (row i of the after-exit stream: referral i)."""
    day, state = exits(paths, ids, at, arms.horizon, arms.exits)
    goes_on_in = np.where(state >= 0, arms.goes_on_in[state], -1)
    pick = np.flatnonzero(goes_on_in >= 0)
    if not pick.size:
        return np.zeros(len(arms.counterfactual.names))
    begin = day[pick]
    uniforms = UniformTable(child(streams.counterfactual_seed, AFTER_EXIT), n)
    walked = walk_rows(arms.counterfactual_table, uniforms, ids[pick], goes_on_in[pick], arms.horizon - begin)
    return kernels.discounted_days_between(
        walked.states, walked.times, np.arange(pick.size), begin, begin, arms.horizon, delta, len(arms.counterfactual.names)
    )


def _pv_days(start: np.ndarray, stop: np.ndarray, delta: float) -> np.ndarray:
    """Present value at day 0 of one krona a day from ``start`` to ``stop`` (continuous)."""
    stop = np.maximum(stop, start)
    if delta == 0:
        return stop - start
    return (np.exp(-delta * start) - np.exp(-delta * stop)) / delta


def _societal_value(econ, model, delta: float) -> float:
    hits = model.participants.hits
    total = 0.0
    for mi, m in enumerate(model.k.milestones):
        per_year = econ.outcome_values.get(m.name)
        if not per_year:
            continue
        t = hits.time[hits.milestone == mi]
        total += per_year / 365 * float(_pv_days(t, t + 365 * econ.value_horizon_years, delta).sum())
    return total


def _discounted_flows(model, delta: float) -> list[float]:
    """Each party's discounted net payments out (paid less received), in kronor, by party."""
    led = model.ledger
    return (-led.by_party(np.exp(-delta * led.day) * led.amount / 100)[:, 0]).tolist()
