"""What the municipality pays to carry the service on after the provider stops.

The municipality keeps the ultimate responsibility for the participants (socialtjänstlagen), so
a provider's failure does not end their support: after ``gap_days`` the municipality carries it
on, in-house or through a replacement provider, to the day support would have ended, for every
participant in service — those enrolled before the stop who have not left, and those referred
after it, whom the continued service enrols. Their paths carry on unchanged (the same people,
the same random numbers): the stop changes who pays whom, not what happens to them.

Three kinds of row, all commissioner → external, in their own categories:

- ``reprocurement``: the one-off cost of procuring a replacement (or setting up in-house), on
  the stop day;
- ``service_gap``: each participant-day in service during the gap, at the daily cost of being
  without the support (the counterfactual pathway's start state, or a stated cost), at each
  month's end for the month;
- ``continuation``: each participant-day after the gap, at the continuation price indexed each
  1 January with the provider's wages (support is mostly wages), at each month's end.
"""

from __future__ import annotations

import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.costs import index_factor
from sib.engine.employment import days_per_month
from sib.engine.ledger import (
    CATEGORY,
    COMMISSIONER,
    END_OF_DAY,
    EXTERNAL,
    START_OF_DAY,
    Flows,
    round_ore,
    round_ore_array,
)
from sib.scenario.schema import Scenario


def gap_cost_per_day(sc: Scenario) -> float:
    """What a participant-day without support costs the municipality during the gap (kr)."""
    cont = sc.insolvency.continuation
    if cont.gap_cost_per_participant_day is not None:
        return cont.gap_cost_per_participant_day
    econ = sc.economics  # the scenario's validation requires one of the two
    return econ.daily_costs[econ.counterfactual.start].municipality


def in_service(
    enrolled_at: np.ndarray, path_end: np.ndarray, support_end: float, start: float, stop: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each enrolled participant's days in service within [start, stop): from enrolment to
    leaving the pathway or the end of support, as (from, to) with to <= from where none."""
    return np.maximum(enrolled_at, start), np.minimum(np.minimum(path_end, support_end), stop)


def continuation_flows(k: Compiled, flows: Flows, stop: int, enrolled_at: np.ndarray, path_end: np.ndarray, support_end: float) -> int:
    """Add the continuation's rows after a stop on day ``stop``; returns the participants in
    service on the stop day (those the municipality takes over)."""
    sc = k.scenario
    cont = sc.insolvency.continuation
    taken_over = int(((enrolled_at <= stop) & (path_end > stop) & (stop < support_end)).sum())
    if cont is None or stop >= support_end:
        return taken_over
    if cont.reprocurement_cost:
        flows.add(
            stop,
            START_OF_DAY,
            COMMISSIONER,
            EXTERNAL,
            CATEGORY["reprocurement"],
            round_ore_array(np.array([round_ore(cont.reprocurement_cost)], dtype=float)),
        )
    resumed = min(stop + cont.gap_days, support_end)
    lo, hi = k.month_start[:-1], k.month_start[1:]
    wages = sc.provider.costs.indexation.wages
    for category, start, end, price in (
        # A gap of no days has no cost to look up (and a scenario without economics needs none).
        ("service_gap", stop, resumed, gap_cost_per_day(sc) if cont.gap_days else 0.0),
        ("continuation", resumed, support_end, cont.price_per_participant_day),
    ):
        if end <= start or not price:
            continue
        a, b = in_service(enrolled_at, path_end, support_end, start, end)
        days = days_per_month(a, b, lo, hi)
        months = np.flatnonzero(days > 0)
        if not months.size:
            continue
        last = (hi[months] - 1).astype(np.int64)
        factor = index_factor(k, wages, last) if category == "continuation" else 1.0
        amount = round_ore_array(price * 100 * days[months] * factor)
        paid = amount > 0
        flows.add(last[paid], END_OF_DAY, COMMISSIONER, EXTERNAL, CATEGORY[category], amount[paid])
    return taken_over
