"""What the provider pays and receives for its participants: an ASF's wages, the employer's
fees and the wage subsidy; and rent for the apartments a Bostad först provider leases and sublets.

Both run while the provider supports the participant (``contract.support``): wages and rent
stop where support ends, as the provider's own costs do. Wages for a month are paid on its 25th, pro rata for the days employed in the month and
indexed with wages each 1 January; the employer's fees follow on the 12th of the next month.
The wage subsidy (introduktionsjobb, nystartsjobb, lönebidrag) pays a share of the wage cost,
calculated on the wage up to a ceiling that is not indexed (so its real value erodes as wages
rise), for a limited number of months from the person's first day of employment, with any
supervision support (handledarstöd) for its first months, ``lag_days`` after the month ends.
"""

from __future__ import annotations

import numba
import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.costs import index_factor
from sib.engine.ledger import (
    CATEGORY,
    COMMISSIONER,
    END_OF_DAY,
    EXTERNAL,
    PROVIDER,
    START_OF_DAY,
    STATE,
    Flows,
    round_ore_array,
)
from sib.engine.pathway import stays


def employment_flows(compiled: Compiled, flows: Flows, person, state, entry, exit_, support_end: int, subsidy_only: bool = False) -> None:
    """Add wages, fees and subsidy for the stays in the employment states before support ends
    (only the subsidy with ``subsidy_only``: after a stop the estate still receives it for the
    months worked before)."""
    job = compiled.scenario.provider.employment
    if job is None or not len(person):
        return
    st = _stays_in(compiled, job.states, person, state, entry, exit_)
    if not st.person.size:
        return
    start, stop = st.entry, np.minimum(st.exit, support_end)
    lo, hi = _months(compiled)
    days_in = hi - lo
    worked = days_per_month(start, stop, lo, hi)  # employee-days per month
    has = (worked > 0) & (lo + 24 >= 0)
    payday = (lo + 24)[has]
    wage_index = index_factor(compiled, compiled.scenario.provider.costs.indexation.wages, np.maximum(payday, 0))
    if not subsidy_only and job.revenue_per_month:
        prices = index_factor(compiled, compiled.scenario.provider.costs.indexation.prices, np.maximum(hi[has] - 1, 0))
        sales = round_ore_array(job.revenue_per_month * 100 * worked[has] / days_in[has] * prices)
        flows.add(hi[has] - 1, END_OF_DAY, EXTERNAL, PROVIDER, CATEGORY["sales"], sales)
    if not subsidy_only:
        wages = round_ore_array(job.monthly_wage * 100 * worked[has] / days_in[has] * wage_index)
        flows.add(np.maximum(payday, 0), START_OF_DAY, PROVIDER, EXTERNAL, CATEGORY["participant_wages"], wages)
        fees = round_ore_array(wages * job.employer_fee_rate)
        flows.add(hi[has] + 11, START_OF_DAY, PROVIDER, STATE, CATEGORY["employer_fees"], fees, accrued=np.maximum(payday, 0))
    sub = job.subsidy
    if sub is None:
        return
    # Eligible days: from each person's first day employed, for ``months`` calendar months.
    # Stays come person by person, so a person's first stay is where their run begins.
    first_day = st.entry[np.searchsorted(st.person, st.person, side="left")]

    def eligible_days(months: int) -> np.ndarray:
        until = first_day + compiled.book.ahead(months)[first_day.astype(np.int64)]
        return days_per_month(start, np.minimum(stop, until), lo, hi)

    eligible = eligible_days(sub.months)
    wage = job.monthly_wage * wage_index_all(compiled, lo)
    base = np.minimum(wage, sub.ceiling) * (1 + job.employer_fee_rate)  # the wage cost up to the ceiling
    ore = sub.share * base * 100 * eligible / days_in
    if sub.supervision_per_month and sub.supervision_months:
        # Handledarstöd is part of the same decision and paid with it.
        ore = ore + sub.supervision_per_month * 100 * eligible_days(sub.supervision_months) / days_in
    paid = ore > 0
    amount = round_ore_array(ore[paid])
    flows.add(hi[paid] - 1 + sub.lag_days, END_OF_DAY, STATE, PROVIDER, CATEGORY["wage_subsidy"], amount, accrued=hi[paid] - 1)


def lease_flows(compiled: Compiled, flows: Flows, person, state, entry, exit_, support_end: int) -> None:
    """Rent for the apartments the holder (the provider or the municipality) leases: to the
    landlord per month for each day an apartment is let or standing empty after a tenancy, and
    from the tenants, less arrears, until support ends (then the leases pass on: no rent
    after it)."""
    leases = compiled.scenario.provider.leases
    if leases is None or not len(person):
        return
    st = _stays_in(compiled, leases.states, person, state, entry, exit_)
    if not st.person.size:
        return
    start, lived = st.entry, np.minimum(st.exit, support_end)
    held = np.minimum(np.where(np.isfinite(st.exit), st.exit + leases.vacant_days, np.inf), support_end)
    lo, hi = _months(compiled)
    days_in = hi - lo
    held_days, lived_days = days_per_month(start, held, lo, hi), days_per_month(start, lived, lo, hi)
    prices = index_factor(compiled, compiled.scenario.provider.costs.indexation.prices, np.maximum(lo, 0))
    rent = round_ore_array(leases.monthly_rent * 100 * held_days / days_in * prices)
    paid_by_tenants = round_ore_array(leases.monthly_rent * 100 * lived_days / days_in * prices * (1 - leases.arrears_share))
    due = np.maximum(lo, 0)
    # The tenants pay by the due date and the provider passes their rent on, so theirs comes in
    # before the landlord's goes out on the same day: the other order would count a month's
    # rent as credit the provider needs for a few hours.
    holder = COMMISSIONER if leases.holder == "municipality" else PROVIDER
    flows.add(due, START_OF_DAY, EXTERNAL, holder, CATEGORY["tenant_rent"], paid_by_tenants, moment=-0.1)
    flows.add(due, START_OF_DAY, holder, EXTERNAL, CATEGORY["rent"], rent)


def unpaid_jobs(compiled: Compiled, person, state, entry, exit_, support_end: float, referrals: int) -> np.ndarray:
    """Per referral, when its path is cut because it would be in an employment state after
    support has ended (inf if it would not): nobody pays the wage then, so there is no job. A
    participant employed when support ends leaves the job then; one who would be employed
    later leaves the pathway's record at that moment. Either way no milestone on an
    employment state (or after it) can be reached from the cut on."""
    names = compiled.pathway.names
    members = np.zeros(len(names) + 1, dtype=bool)
    members[[names.index(s) for s in compiled.scenario.provider.employment.states]] = True
    unpaid = members[state] & (exit_ > support_end)
    cut = np.full(referrals, np.inf)
    np.minimum.at(cut, person[unpaid], np.maximum(entry[unpaid], support_end))
    return cut


def _stays_in(compiled: Compiled, state_names: list[str], person, state, entry, exit_):
    """Unbroken stays in the named states (see ``pathway.stays``)."""
    names = compiled.pathway.names
    members = np.zeros(len(names) + 1, dtype=bool)
    members[[names.index(s) for s in state_names]] = True
    return stays(person, state, entry, exit_, members)


def _months(compiled: Compiled) -> tuple[np.ndarray, np.ndarray]:
    """First day of each month index and of the next, through the last month money moves."""
    months = np.arange(compiled.last_month + 1)
    return compiled.month_start[months], compiled.month_start[months + 1]


def wage_index_all(compiled: Compiled, month_first_days: np.ndarray) -> np.ndarray:
    """The wage index in force on each month's 25th."""
    return index_factor(compiled, compiled.scenario.provider.costs.indexation.wages, np.maximum(month_first_days + 24, 0))


@numba.njit(cache=True)
def days_per_month(start: np.ndarray, stop: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Days of the intervals [start, stop) that fall in each month [lo, hi), summed over them.

    ``compiled.days_per_month`` without its (intervals × months) temporaries, which cost more
    than the sum on the engine's small arrays; the sum runs over the intervals in order, as
    numpy's sum over that axis does, so every bit is the same."""
    out = np.zeros(lo.size)
    for i in range(start.size):
        for m in range(lo.size):
            days = min(stop[i], hi[m]) - max(start[i], lo[m])
            if days > 0:
                out[m] += days
    return out
