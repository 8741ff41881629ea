"""Whose pocket: avoided costs, societal value and three economic views, discounted.

Avoided costs are counted against a counterfactual: each enrolled participant's days, from
enrolment to the end of the outcome window (or the stop), sampled on a pathway of what would
have happened without the intervention, from the participant's own stream. A day in a state
costs the municipality and/or the state what ``economics.daily_costs`` says, in the
intervention's pathway as in the counterfactual. A milestone's societal value counts for
``value_horizon_years`` from the day it is reached. Everything is discounted continuously at
the stated yearly rate (actual/365) to the contract start.

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
from typing import Any

import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.ledger import Party
from sib.engine.pathway import CompiledPathway
from sib.engine.pathway_kernels import discounted_days
from sib.engine.streams import UniformTable
from sib.scenario.schema import Scenario, per_scenario


@per_scenario
def _counterfactual(sc: Scenario) -> CompiledPathway | None:
    econ = sc.economics
    return CompiledPathway.of(sc, econ.counterfactual) if econ is not None and econ.counterfactual is not None else None


def economics_metrics(sc: Scenario, model: Any) -> dict[str, Any]:
    econ = sc.economics
    if econ is None:
        return {}
    k: Compiled = model.k
    delta = math.log1p(econ.discount_rate) / 365  # continuous rate per day
    end = float(model.window_end)
    _, state, entry, exit_ = model.segments
    actual = _state_costs(econ, k.pathway.names, state, entry, np.minimum(exit_, end), delta)
    counter = {"municipality": 0.0, "state": 0.0}
    cf = _counterfactual(sc)
    if cf is not None and len(model.enrolled_ids):
        ids, at = model.enrolled_ids, model.enrolled_at
        referred = len(model.intake.referred)
        horizons = np.zeros(referred)
        horizons[ids] = np.maximum(end - at, 0)
        paths = cf.sample_all(UniformTable(model.streams.counterfactual_seed, referred), horizons)
        days = discounted_days(paths.states, paths.times, ids, at, end, delta, len(cf.names))
        counter = _pocket_costs(econ, cf.names, days)
    # Without a counterfactual there is nothing to avoid costs against: say so, do not guess.
    avoided = {pocket: counter[pocket] - actual[pocket] for pocket in counter} if cf is not None else {"municipality": math.nan, "state": math.nan}
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


def _pv_days(start: np.ndarray, stop: np.ndarray, delta: float) -> np.ndarray:
    """Present value at day 0 of one krona a day from ``start`` to ``stop`` (continuous)."""
    stop = np.maximum(stop, start)
    if delta == 0:
        return stop - start
    return (np.exp(-delta * start) - np.exp(-delta * stop)) / delta


def _state_costs(econ, names, state, entry, exit_, delta) -> dict[str, float]:
    days = np.bincount(state, weights=_pv_days(entry, exit_, delta), minlength=len(names)) if len(state) else np.zeros(len(names))
    return _pocket_costs(econ, names, days)


def _pocket_costs(econ, names, days: np.ndarray) -> dict[str, float]:
    """What the (discounted) days in each state cost the municipality and the state."""
    out = {"municipality": 0.0, "state": 0.0}
    for s, name in enumerate(names):
        cost = econ.daily_costs.get(name)
        if cost is not None:
            out["municipality"] += cost.municipality * float(days[s])
            out["state"] += cost.state * float(days[s])
    return out


def _societal_value(econ, model, delta: float) -> float:
    hits = model.hits
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
