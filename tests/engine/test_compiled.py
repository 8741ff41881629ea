"""A scenario's date tables as the engine reads them (``sib/engine/compiled.py``).

A user relies on them for when things happen: the invoice that bills an outcome reached on a
given day, the invoice that settles the cohort, the last day money moves, the salary days of
the service and their employer's fees, the 1 Januaries that index prices, the Poisson
referral rate in force on each day, and participant-days split by calendar month.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from helpers_deterministic import D, engine_verify, scenario_dict
from validation.deterministic import add_months, month_end, quarter_end

from sib.engine.compiled import compile_replication, compile_scenario, days_per_month
from sib.engine.streams import Streams
from sib.scenario.loader import build


def _compiled(start="2027-01-01", **contract):
    return compile_scenario(build(scenario_dict(start=start, cohorts=[(start, 1)], contract=contract)))


def _dates(k, days):
    return [k.clock.date(int(d)) for d in days]


@pytest.mark.parametrize(
    ("lag", "period"),
    [({"months": 1}, "monthly"), ({"months": 2}, "quarterly"), ({"days": 0}, "quarterly"), ({"weeks": 3}, "monthly")],
)
def test_every_day_of_the_window_is_billed_on_the_invoice_of_the_period_its_verification_falls_in(lag, period):
    """Worked out with plain datetime for each day of a 2027–2028 window (a month's lag from
    31 January is 28 February; from 31 December 2027 two months is 29 February 2028)."""
    k = _compiled(verification_lag=lag, invoice_period=period, service_months=12, outcome_tail_months=12)
    period_end = month_end if period == "monthly" else quarter_end
    start = D("2027-01-01")
    days = [start + dt.timedelta(days=d) for d in range(k.window_end)]
    assert _dates(k, k.bill_day) == [period_end(engine_verify(day, lag)) for day in days]
    # The cohort is settled on the invoice that bills the window's last day, 31 December 2028.
    assert k.clock.date(k.settle_invoice_day) == period_end(engine_verify(D("2028-12-31"), lag))


@pytest.mark.parametrize(
    ("late", "expected"),
    [
        # 31 Dec 2027 + 2 months = 29 Feb 2028 (a leap year), invoiced that day, paid 30 days on.
        (None, D("2028-03-30")),
        # A late invoice may come up to a year after that.
        ({"share": 0.1, "delay": {"fixed": 20}}, D("2028-03-30") + dt.timedelta(days=365)),
        ({"share": 0.0, "delay": {"fixed": 20}}, D("2028-03-30")),  # nobody is late: no extra year
    ],
)
def test_the_last_day_money_moves_is_the_last_outcome_verified_invoiced_and_paid(late, expected):
    contract = {"late_payment": late} if late is not None else {}
    k = _compiled(**contract)
    assert k.clock.date(k.settle_invoice_day) == D("2028-02-29")
    assert k.clock.date(k.end) == expected
    assert k.clock.date(int(k.month_start[k.last_month])) == expected.replace(day=1)  # the month it falls in


@pytest.mark.parametrize(
    ("start", "first", "last"),
    [
        # From the 25th: the start day is a salary day; 25 January 2028 is the day the service
        # ends, not in it.
        ("2027-01-25", D("2027-02-12"), D("2028-01-12")),
        # From the 26th: January's salary day has passed; 25 January 2028 is in the service.
        ("2027-01-26", D("2027-03-12"), D("2028-02-12")),
    ],
)
def test_employer_s_fees_fall_on_the_12th_after_each_salary_day_of_the_service(start, first, last):
    k = _compiled(start=start)
    fees = _dates(k, k.fee_days)
    assert len(fees) == 12 and fees[0] == first and fees[-1] == last
    assert all(d.day == 12 for d in fees) and fees == [add_months(first, m) for m in range(12)]


def test_prices_are_indexed_by_the_1_januaries_passed_since_the_start():
    k = _compiled(start="2027-07-01", service_months=12, outcome_tail_months=12)
    year = {d: int(k.year_of_day[k.clock.day(d)]) for d in (D("2027-07-01"), D("2027-12-31"), D("2028-01-01"), D("2029-01-01"))}
    assert year == {D("2027-07-01"): 0, D("2027-12-31"): 0, D("2028-01-01"): 1, D("2029-01-01"): 2}
    # Month 0 is the start's month; the service covers July 2027 to June 2028.
    assert k.month_start[0] == 0 and k.month_start[1] == 31 and k.service_months.tolist() == list(range(12))


def test_referrals_arrive_at_the_rate_in_force_only_in_the_service_period():
    """Periods from 1 Dec 2026 (before the start: from day 0), 10 a month; from 1 April, none;
    from 1 July, 20 a month, to the service's end (365 days). Per day: a month is 365.25/12 days."""
    raw = scenario_dict()
    raw["participants"]["referrals"] = {
        "per_month": [
            {"from": "2026-12-01", "per_month": 10},
            {"from": "2027-04-01", "per_month": 0},
            {"from": "2027-07-01", "per_month": 20},
        ]
    }
    segments = compile_scenario(build(raw)).referral_segments
    assert [(a, b) for a, b, _ in segments] == [(0.0, 90.0), (181.0, 365.0)]
    assert [r for _, _, r in segments] == pytest.approx([10 * 12 / 365.25, 20 * 12 / 365.25], rel=1e-12)
    assert _compiled().referral_segments == []  # cohorts only: no Poisson stream


def test_participant_days_are_split_by_calendar_month():
    """[10, 40) has 21 days in January and 9 in February; [30, 31) one in January; a stay that
    never ends runs to each month's end; an interval outside the months counts nowhere."""
    lo, hi = np.array([0, 31, 59]), np.array([31, 59, 90])
    got = days_per_month(np.array([10.0, 30.0, 80.0, 95.0]), np.array([40.0, 31.0, np.inf, 100.0]), lo, hi)
    assert got.tolist() == [22.0, 9.0, 10.0]
    assert days_per_month(np.zeros(0), np.zeros(0), lo, hi).tolist() == [0.0, 0.0, 0.0]


def test_a_replication_draws_its_own_parameters_on_the_scenario_s_shared_date_tables():
    """Overhead drawn uniformly between 1 000 and 2 000 kr: each replication has its own value,
    recorded by its path; the date tables are built once; a scenario of plain numbers is
    compiled once for all its replications."""
    raw = scenario_dict(provider={"costs": {"fixed_per_month": {"uniform": [1000, 2000]}}})
    sc = build(raw)
    a, b = compile_replication(sc, Streams(0, 0)), compile_replication(sc, Streams(0, 1))
    drawn = [k.parameters["provider.costs.fixed_per_month"] for k in (a, b)]
    assert drawn[0] != drawn[1] and all(1000 <= v <= 2000 for v in drawn)
    assert [k.scenario.provider.costs.fixed_per_month for k in (a, b)] == drawn
    assert compile_replication(sc, Streams(0, 0)).parameters == a.parameters  # the same draw again
    assert a.bill_day is b.bill_day and a.month_start is b.month_start
    plain = build(scenario_dict())
    assert compile_replication(plain, Streams(0, 0)) is compile_replication(plain, Streams(5, 3)) is compile_scenario(plain)
