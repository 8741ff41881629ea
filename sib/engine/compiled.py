"""A scenario turned into the tables the engine reads in its inner loop, built once."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sib.calendar import Clock, add_months, month_end, quarter_end
from sib.engine.pathway import CompiledMilestone, CompiledPathway, MilestoneBook
from sib.scenario.distributions import DAYS_PER_MONTH
from sib.scenario.schema import Scenario, Span

# Calendar entries, in the order they run when they fall on the same moment.
CLOSE_MONTH, SERVICE_END, START, OVERHEAD, EMPLOYER_FEES, SALARIES = range(6)


@dataclass(frozen=True)
class Compiled:
    """Everything per scenario that does not change between replications."""

    scenario: Scenario
    clock: Clock
    pathway: CompiledPathway
    milestones: tuple[CompiledMilestone, ...]
    service_end: int  # day numbers from the start
    window_end: int
    end: int  # last day anything is paid
    last_month: int  # month index of ``end``
    invoice_day: list[int]  # per verification day: the invoice (period-end) day that bills it
    calendar: list[tuple[int, int, int]]  # (time in days, kind, month index), sorted
    referral_segments: list[tuple[float, float, float]] = field(default_factory=list)  # (from, to, per day)
    rate_items: tuple[int, ...] = ()  # milestone index of each rate-card item
    rate_names: tuple[str, ...] = ()
    settled_items: frozenset[int] = frozenset()  # rate-card items settled at cohort end
    book: MilestoneBook | None = None
    item_of_milestone: tuple[int, ...] = ()  # rate-card item of each milestone, -1 if unpriced
    bill_day: list[int] = field(default_factory=list)  # per reach day: the invoice day that bills it
    year_of_day: list[int] = field(default_factory=list)  # years since the start year, per day

    def verify(self, day: int) -> int:
        """The day a milestone reached on ``day`` is verified (after the verification lag)."""
        return shift(self.clock, day, self.scenario.contract.verification_lag)


def shift(clock: Clock, day: int, span: Span) -> int:
    if span.months is not None:
        return clock.plus_months(day, span.months)
    return day + (span.days if span.days is not None else 7 * (span.weeks or 0))


def _period_end(date, period: str):
    return month_end(date) if period == "monthly" else quarter_end(date)


_CACHE: dict[str, Compiled] = {}


def compile_scenario(scenario: Scenario) -> Compiled:
    """The compiled tables of a scenario, cached on its digest."""
    found = _CACHE.get(scenario.digest)
    if found is None:
        if len(_CACHE) >= 64:
            _CACHE.clear()
        found = _CACHE[scenario.digest] = _compile(scenario)
    return found


def _compile(sc: Scenario) -> Compiled:
    c = sc.contract
    start = sc.start_date
    service_end_date = sc.service_end
    window_end_date = sc.outcome_window_end
    # The last moment money can move: the last outcome, verified, invoiced, paid.
    lag = c.verification_lag
    last_reach = window_end_date.toordinal() - 1
    last_verify = (
        add_months(type(start).fromordinal(last_reach), lag.months)
        if lag.months is not None
        else type(start).fromordinal(last_reach + (lag.days if lag.days is not None else 7 * (lag.weeks or 0)))
    )
    last_invoice = _period_end(last_verify, c.invoice_period)
    end_date = type(start).fromordinal(last_invoice.toordinal() + c.payment_terms_days)
    rough = Clock(start, 0)
    end = rough.day(end_date)
    clock = Clock(start, end + 400)  # margin: tables cover any lag arithmetic near the end
    last_month = clock.month_of_day[end]

    # Invoice day for every possible verification day: the end of its invoice period.
    invoice_day: list[int] = []
    d = 0
    while d <= clock.day(last_invoice):
        pe = clock.day(_period_end(clock.date(d), c.invoice_period))
        invoice_day.extend([pe] * (pe - d + 1))
        d = pe + 1

    service_end, window_end = clock.day(service_end_date), clock.day(window_end_date)
    entries: list[tuple[int, int, int]] = [(0, START, 0)]
    for m in range(last_month + 1):
        first, nxt = clock.month_starts[m], clock.month_starts[m + 1]
        entries.append((nxt, CLOSE_MONTH, m))
        if nxt <= 0 or first >= service_end:
            continue
        entries.append((max(first, 0), OVERHEAD, m))
        if 0 <= first + 24 < service_end:  # salaries on the 25th, fees on the 12th after
            entries.append((first + 24, SALARIES, m))
            entries.append((nxt + 11, EMPLOYER_FEES, m))
    entries.append((service_end, SERVICE_END, 0))
    entries.sort()

    pathway = CompiledPathway.of(sc)
    milestones = tuple(CompiledMilestone.of(n, m, pathway) for n, m in sc.milestones.items())
    names = list(sc.milestones)
    rate_names = tuple(c.rate_card)
    window_end_day = clock.day(window_end_date)
    bill_day = [invoice_day[shift(clock, d, lag)] for d in range(window_end_day)]
    year_of_day = [clock.date(d).year - start.year for d in range(clock.last_day + 1)]
    return Compiled(
        scenario=sc,
        clock=clock,
        pathway=pathway,
        milestones=milestones,
        service_end=service_end,
        window_end=window_end,
        end=end,
        last_month=last_month,
        invoice_day=invoice_day,
        calendar=entries,
        referral_segments=_referral_segments(sc, clock, service_end),
        rate_items=tuple(names.index(n) for n in rate_names),
        rate_names=rate_names,
        settled_items=frozenset(i for i, n in enumerate(rate_names) if c.rate_card[n].settled_at_cohort_end),
        book=MilestoneBook(milestones, clock, float(window_end_day)),
        item_of_milestone=tuple(rate_names.index(n) if n in rate_names else -1 for n in names),
        bill_day=bill_day,
        year_of_day=year_of_day,
    )


def _referral_segments(sc: Scenario, clock: Clock, service_end: int) -> list[tuple[float, float, float]]:
    """Piecewise-constant Poisson intensity (per day) over the service period."""
    rate = sc.participants.referrals.per_month
    if rate is None:
        return []
    periods = [(0, float(rate))] if not isinstance(rate, list) else [
        (max(clock.day(p.from_), 0), p.per_month) for p in rate
    ]
    out = []
    for k, (a, per_month) in enumerate(periods):
        b = periods[k + 1][0] if k + 1 < len(periods) else service_end
        b = min(b, service_end)
        if b > a and per_month > 0:
            out.append((float(a), float(b), per_month / DAYS_PER_MONTH))
    return out


def ceil_div(a: float, b: float) -> int:
    return int(math.ceil(a / b - 1e-12))
