"""The provider's costs as dated flows: start-up, overhead, staff, employer's fees, direct costs.

Costs run while the provider supports somebody: referrals arrive in the service period, but
support goes on after it (``contract.support``) until each participant leaves the pathway or
support ends. Staff follow the caseload: on each salary day (the 25th) before support ends
the provider employs ``max(minimum, ceil(active / participants per caseworker))``
caseworkers, where active counts participants enrolled and not yet exited before that day;
the employer's fees for that salary go to the state on the 12th of the next month. After the
service period the minimum staff and the overhead are paid only while somebody is still in
support: the provider keeps an organisation for its last participants, not an open service,
and a month nobody is left in costs it nothing. Wages and other costs are indexed each
1 January after the start.
"""

from __future__ import annotations

import numpy as np

from sib.calendar import add_months
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


def support_end_day(compiled: Compiled) -> int:
    """The day support ends for those still in the pathway (``contract.support``): the
    contract's last day, or the service period's end plus any months after it."""
    c = compiled.scenario.contract
    if c.support_months == c.service_months + c.outcome_tail_months:
        return compiled.window_end
    if c.support_months == c.service_months:
        return compiled.service_end
    return compiled.clock.day(add_months(compiled.scenario.start_date, c.support_months))


def months_until(compiled: Compiled, until: int) -> np.ndarray:
    """Month indexes that overlap the days [0, ``until``)."""
    months = np.arange(compiled.last_month + 1)
    starts = compiled.month_start
    return months[(starts[months + 1] > 0) & (starts[months] < until)]


def in_support(enrolled: np.ndarray, exited: np.ndarray, days: np.ndarray) -> np.ndarray:
    """How many participants are in support on each day: enrolled and not yet exited before it."""
    return np.searchsorted(np.sort(enrolled), days, side="left") - np.searchsorted(np.sort(exited), days, side="left")


def provider_costs(
    compiled: Compiled,
    flows: Flows,
    enrolled: np.ndarray,
    exited: np.ndarray,
    enrolled_ids: np.ndarray,
    participant_days: np.ndarray,
    support_end: int,
) -> None:
    """Add the provider's costs. ``exited`` is when each enrolled participant left support (inf
    if not before ``support_end``); ``participant_days`` are days in support per month index."""
    costs = compiled.scenario.provider.costs
    prices = costs.indexation.prices
    flows.add(0, START_OF_DAY, PROVIDER, EXTERNAL, CATEGORY["start_up"], round_ore_array(np.array([costs.start_up * 100])))
    if costs.fixed_per_month:
        _overhead(compiled, flows, enrolled, exited, support_end)
    if costs.per_intake and enrolled.size:
        day = enrolled.astype(np.int64)
        amount = costs.per_intake * 100 * index_factor(compiled, prices, day)
        flows.add(day, ENROLMENT, PROVIDER, EXTERNAL, CATEGORY["intake"], round_ore_array(amount), enrolled_ids, moment=enrolled)
    if costs.per_participant_month:
        months = months_until(compiled, support_end)
        starts, ends = compiled.month_start[months], compiled.month_start[months + 1]
        last = ends - 1
        pdays = participant_days[months]
        has = (pdays > 0) & (last >= 0)
        amount = costs.per_participant_month * 100 * pdays / (ends - starts) * index_factor(compiled, prices, np.maximum(last, 0))
        flows.add(last[has], END_OF_DAY, PROVIDER, EXTERNAL, CATEGORY["direct_costs"], round_ore_array(amount[has]))
    if costs.caseload is not None:
        _staff(compiled, flows, enrolled, exited, support_end)


def _overhead(compiled: Compiled, flows: Flows, enrolled: np.ndarray, exited: np.ndarray, support_end: int) -> None:
    """Overhead on the 1st of each month of service, pro rata for a part month; after the
    service period, on the 1st of each month of support (from the service's end in its month)
    pro rata to support's end, if somebody is still in support that day."""
    costs = compiled.scenario.provider.costs
    service_end = compiled.service_end
    months = compiled.service_months
    starts, ends = compiled.month_start[months], compiled.month_start[months + 1]
    day = np.maximum(starts, 0)
    share = (np.minimum(ends, service_end) - day) / (ends - starts)
    if support_end > service_end:
        tail = months_until(compiled, support_end)
        tail = tail[compiled.month_start[tail + 1] > service_end]
        t_starts, t_ends = compiled.month_start[tail], compiled.month_start[tail + 1]
        t_day = np.maximum(t_starts, service_end)
        open_ = in_support(enrolled, exited, t_day) > 0
        t_share = (np.minimum(t_ends, support_end) - t_day) / (t_ends - t_starts)
        day, share = np.concatenate([day, t_day[open_]]), np.concatenate([share, t_share[open_]])
    amount = costs.fixed_per_month * 100 * share * index_factor(compiled, costs.indexation.prices, day)
    flows.add(day, START_OF_DAY, PROVIDER, EXTERNAL, CATEGORY["overhead"], round_ore_array(amount))


def _staff(compiled: Compiled, flows: Flows, enrolled: np.ndarray, exited: np.ndarray, support_end: int) -> None:
    """Caseworkers' salaries on the 25th of each month before support ends, and the employer's
    fees on the 12th after; the minimum staff after the service period only while somebody is
    in support."""
    caseload = compiled.scenario.provider.costs.caseload
    month = np.arange(compiled.last_month + 1)
    payday = compiled.month_start[month] + 24
    paid = (payday >= 0) & (payday < support_end)
    month, payday = month[paid], payday[paid]
    active = in_support(enrolled, exited, payday)
    minimum = np.where((payday < compiled.service_end) | (active > 0), caseload.minimum_caseworkers, 0)
    workers = np.maximum(minimum, np.ceil(active / caseload.participants_per_caseworker - 1e-12))
    wages = compiled.scenario.provider.costs.indexation.wages
    gross = round_ore_array(workers * caseload.monthly_salary * 100 * index_factor(compiled, wages, payday))
    flows.add(payday, START_OF_DAY, PROVIDER, EXTERNAL, CATEGORY["salaries"], gross)
    fees = round_ore_array(gross * caseload.employer_fee_rate)
    # The fees belong to the salary month (accrual) though they are paid on the 12th after.
    fee_day = compiled.month_start[month + 1] + 11
    flows.add(fee_day, START_OF_DAY, PROVIDER, STATE, CATEGORY["employer_fees"], fees, accrued=payday)
