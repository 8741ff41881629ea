"""A scenario turned into the tables the engine reads in its inner loop, built once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sib.calendar import Clock, add_months, month_end, quarter_end
from sib.engine.pathway import CompiledMilestone, CompiledPathway, MilestoneBook
from sib.engine.streams import Streams
from sib.scenario.distributions import DAYS_PER_MONTH
from sib.scenario.schema import Scenario, Span, per_scenario
from sib.scenario.uncertainty import UncertainParameter, realise, uncertain_parameters


@dataclass(frozen=True)
class Compiled:
    """Everything per scenario that does not change between replications."""

    scenario: Scenario  # with every uncertain parameter drawn: plain numbers only
    parameters: dict[str, float]  # the values drawn for this replication (path → value)
    clock: Clock
    pathway: CompiledPathway
    milestones: tuple[CompiledMilestone, ...]
    book: MilestoneBook
    service_end: int  # day numbers from the start
    window_end: int
    end: int  # last day anything is paid
    last_month: int  # month index of ``end``
    month_start: np.ndarray  # day number of the first day of each month index
    service_months: np.ndarray  # month indexes that overlap the service period
    fee_days: np.ndarray  # the 12th of the month after each service month's salary day (the 25th)
    invoice_day: np.ndarray  # per day: the invoice (period-end) day that bills it
    bill_day: np.ndarray  # per day a milestone is reached: the invoice day that bills it
    settle_invoice_day: int  # the invoice that settles tiers and baselines
    year_of_day: np.ndarray  # 1 Januaries passed since the start, per day
    referral_segments: list[tuple[float, float, float]]  # (from, to, referrals per day)
    rate_names: tuple[str, ...]
    item_of_milestone: np.ndarray  # rate-card item of each milestone, -1 if unpriced
    settled_items: frozenset[int]  # rate-card items settled at cohort end (tiers and baselines)
    pooled_items: frozenset[int]  # settled items with a baseline or paid per effect: one cohort line


def shift(clock: Clock, day: int, span: Span) -> int:
    if span.months is not None:
        return clock.plus_months(day, span.months)
    return day + (span.days if span.days is not None else 7 * (span.weeks or 0))


def _period_end(date, period: str):
    return month_end(date) if period == "monthly" else quarter_end(date)


@dataclass(frozen=True)
class _Calendar:
    """The date tables: they depend on the dates and the contract's terms only, so a
    replication that draws its own parameters reuses them."""

    clock: Clock
    service_end: int
    window_end: int
    end: int
    last_month: int
    month_start: np.ndarray
    service_months: np.ndarray
    fee_days: np.ndarray
    invoice_day: np.ndarray
    bill_day: np.ndarray
    settle_invoice_day: int
    year_of_day: np.ndarray


_calendars: dict[str, tuple[_Calendar, dict[str, tuple[tuple[CompiledMilestone, ...], MilestoneBook]]]] = {}


def _calendar(sc: Scenario, pathway: CompiledPathway) -> tuple[_Calendar, tuple[CompiledMilestone, ...], MilestoneBook]:
    """The date tables and the milestone book (which fills tables of anniversary dates as it
    is used): shared by every scenario with the same dates, contract and milestones."""
    vat = sc.provider.vat
    # Not the rate card: its prices and a comparison group's drawn rate do not move a date.
    key = f"{sc.start_date}|{vat is not None and vat.status}|{sc.contract.model_dump_json(exclude={'rate_card'})}"
    found = _calendars.get(key)
    if found is None:
        if len(_calendars) >= 64:
            _calendars.clear()
        found = _calendars[key] = (_build_calendar(sc), {})
    cal, books = found
    book_key = f"{pathway.names}|{[m.model_dump_json() for m in sc.milestones.values()]}|{list(sc.milestones)}"
    if book_key not in books:
        milestones = tuple(CompiledMilestone.of(n, m, pathway) for n, m in sc.milestones.items())
        books[book_key] = milestones, MilestoneBook(milestones, len(pathway.names), cal.clock, float(cal.window_end))
    return (cal, *books[book_key])


def _build_calendar(sc: Scenario) -> _Calendar:
    c = sc.contract
    start = sc.start_date
    service_end_date = sc.service_end
    window_end_date = sc.outcome_window_end
    # The last moment money can move: the last outcome, verified, invoiced, paid.
    lag = c.verification_lag
    rough = Clock(start, 0)
    last_verify = rough.date(shift(rough, rough.day(window_end_date) - 1, lag))
    last_invoice = _period_end(last_verify, c.invoice_period)
    end = rough.day(last_invoice) + c.payment_terms_days
    if c.late_payment is not None and c.late_payment.share > 0:  # a late invoice may arrive later still (bounded: 1 year)
        end += 365
    if sc.files_vat_returns:
        # The last VAT return: on the 12th of the month after next.
        end = rough.day(add_months(rough.date(end).replace(day=1), 2)) + 11
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
    starts = np.asarray(clock.month_starts)
    months = np.arange(last_month + 1)
    service_months = months[(starts[months + 1] > 0) & (starts[months] < service_end)]
    salary = starts[service_months] + 24
    on = (salary >= 0) & (salary < service_end)
    invoice = np.asarray(invoice_day)
    return _Calendar(
        clock=clock,
        service_end=service_end,
        window_end=window_end,
        end=end,
        last_month=last_month,
        month_start=starts,
        service_months=service_months,
        fee_days=starts[service_months[on] + 1] + 11,
        invoice_day=invoice,
        bill_day=np.array([invoice[shift(clock, d, lag)] for d in range(window_end)], dtype=np.int64),
        settle_invoice_day=int(invoice[shift(clock, window_end - 1, lag)]),
        year_of_day=np.array([clock.date(d).year - start.year for d in range(clock.last_day + 1)]),
    )


@per_scenario
def compile_scenario(sc: Scenario) -> Compiled:
    """The tables the engine reads, built once per scenario (whose parameters are numbers)."""
    return _compile(sc, {})


def _compile(sc: Scenario, parameters: dict[str, float]) -> Compiled:
    c = sc.contract
    pathway = CompiledPathway.of(sc)
    cal, milestones, book = _calendar(sc, pathway)
    names = list(sc.milestones)
    rate_names = tuple(c.rate_card)
    return Compiled(
        scenario=sc,
        parameters=parameters,
        pathway=pathway,
        milestones=milestones,
        book=book,
        **{f: getattr(cal, f) for f in _Calendar.__dataclass_fields__},
        referral_segments=_referral_segments(sc, cal.clock, cal.service_end),
        rate_names=rate_names,
        item_of_milestone=np.array([rate_names.index(n) if n in rate_names else -1 for n in names], dtype=np.int64),
        settled_items=frozenset(i for i, n in enumerate(rate_names) if c.rate_card[n].settled_at_cohort_end),
        pooled_items=frozenset(i for i, n in enumerate(rate_names) if c.rate_card[n].pooled),
    )


@per_scenario
def _uncertain(sc: Scenario) -> tuple[UncertainParameter, ...]:
    return uncertain_parameters(sc)


def compile_replication(sc: Scenario, streams: Streams) -> Compiled:
    """The tables for one replication: the scenario's own (cached) when all its parameters are
    numbers; otherwise built for the values this replication draws (the date tables cached)."""
    parameters = _uncertain(sc)
    if not parameters:
        return compile_scenario(sc)
    realised, values = realise(sc, parameters, streams.parameter_uniform)
    return _compile(realised, values)


def _referral_segments(sc: Scenario, clock: Clock, service_end: int) -> list[tuple[float, float, float]]:
    """Piecewise-constant Poisson intensity (per day) over the service period."""
    rate = sc.participants.referrals.per_month
    if rate is None:
        return []
    periods = [(0, float(rate))] if not isinstance(rate, list) else [(max(clock.day(p.from_), 0), p.per_month) for p in rate]
    out = []
    for k, (a, per_month) in enumerate(periods):
        b = periods[k + 1][0] if k + 1 < len(periods) else service_end
        b = min(b, service_end)
        if b > a and per_month > 0:
            out.append((float(a), float(b), per_month / DAYS_PER_MONTH))
    return out


def days_per_month(start: np.ndarray, stop: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Days of the intervals [start, stop) that fall in each month [lo, hi), summed over them."""
    if not len(start):
        return np.zeros(len(lo))
    return np.clip(np.minimum(stop[:, None], hi[None, :]) - np.maximum(start[:, None], lo[None, :]), 0, None).sum(axis=0)
