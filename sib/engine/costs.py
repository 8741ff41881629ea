"""The provider's costs as dated flows: start-up, overhead, staff, employer's fees, direct costs.

Staff follow the caseload: on each salary day (the 25th) the provider employs
``max(minimum, ceil(active / participants per caseworker))`` caseworkers, where active counts
participants enrolled and not yet exited before that day; the employer's fees for that
salary go to the state on the 12th of the next month. Wages and other costs are indexed each
1 January after the start.
"""

from __future__ import annotations

import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.ledger import (
    CATEGORY,
    END_OF_DAY,
    ENROLMENT,
    EXTERNAL,
    PROVIDER,
    START_OF_DAY,
    STATE,
    Flows,
    round_ore_array,
)


def index_factor(compiled: Compiled, rate: float, days: np.ndarray) -> np.ndarray:
    """Indexation on each day: (1 + rate) to the number of 1 Januaries since the start."""
    if not rate:
        return np.ones(len(days))
    return (1.0 + rate) ** compiled.year_of_day[days]


def provider_costs(
    compiled: Compiled,
    flows: Flows,
    enrolled: np.ndarray,
    exited: np.ndarray,
    enrolled_ids: np.ndarray,
    participant_days: np.ndarray,
) -> None:
    """Add the provider's costs. ``exited`` is when each enrolled participant left the service
    (inf if not before the service period ended); ``participant_days`` is per month index."""
    costs = compiled.scenario.provider.costs
    prices, wages = costs.indexation.prices, costs.indexation.wages
    months = compiled.service_months  # month indexes overlapping the service period
    starts = compiled.month_start[months]
    ends = compiled.month_start[months + 1]
    flows.add(0, START_OF_DAY, PROVIDER, EXTERNAL, CATEGORY["start_up"], round_ore_array(np.array([costs.start_up * 100])))
    if costs.fixed_per_month:
        day = np.maximum(starts, 0)
        share = (np.minimum(ends, compiled.service_end) - day) / (ends - starts)
        amount = costs.fixed_per_month * 100 * share * index_factor(compiled, prices, day)
        flows.add(day, START_OF_DAY, PROVIDER, EXTERNAL, CATEGORY["overhead"], round_ore_array(amount))
    if costs.per_intake and enrolled.size:
        day = enrolled.astype(np.int64)
        amount = costs.per_intake * 100 * index_factor(compiled, prices, day)
        flows.add(day, ENROLMENT, PROVIDER, EXTERNAL, CATEGORY["intake"], round_ore_array(amount), enrolled_ids, moment=enrolled)
    if costs.per_participant_month:
        days_in = ends - starts
        last = ends - 1
        pdays = participant_days[months]
        has = (pdays > 0) & (last >= 0)
        amount = costs.per_participant_month * 100 * pdays / days_in * index_factor(compiled, prices, np.maximum(last, 0))
        flows.add(last[has], END_OF_DAY, PROVIDER, EXTERNAL, CATEGORY["direct_costs"], round_ore_array(amount[has]))
    caseload = costs.caseload
    if caseload is not None:
        payday = compiled.salary_days
        entered = np.sort(enrolled)
        left = np.sort(exited)
        active = np.searchsorted(entered, payday, side="left") - np.searchsorted(left, payday, side="left")
        workers = np.maximum(caseload.minimum_caseworkers, np.ceil(active / caseload.participants_per_caseworker - 1e-12))
        gross = round_ore_array(workers * caseload.monthly_salary * 100 * index_factor(compiled, wages, payday))
        flows.add(payday, START_OF_DAY, PROVIDER, EXTERNAL, CATEGORY["salaries"], gross)
        fees = round_ore_array(gross * caseload.employer_fee_rate)
        # The fees belong to the salary month (accrual) though they are paid on the 12th after.
        flows.add(compiled.fee_days, START_OF_DAY, PROVIDER, STATE, CATEGORY["employer_fees"], fees, accrued=payday)
