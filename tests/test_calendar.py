"""``sib/calendar.py``: the engine counts days from the contract start, and a person reads
calendar dates; every due date, month-end invoice, anniversary milestone and budget year
rests on this translation being the calendar's own.

Expected dates are worked out here with nothing but ``datetime`` (stepping month by month
with ``timedelta``), not with the ``calendar`` module sib uses.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from helpers_deterministic import D

from sib.calendar import Clock, add_months, month_end, quarter_end

ONE_DAY = dt.timedelta(days=1)


def first_of_month_after(first: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` away from ``first`` (itself a first), by stepping."""
    for _ in range(abs(months)):
        first = (first + dt.timedelta(days=32)).replace(day=1) if months > 0 else (first - ONE_DAY).replace(day=1)
    return first


def last_day_of_month(first: dt.date) -> dt.date:
    return first_of_month_after(first, 1) - ONE_DAY


def anniversary(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later, or the month's last day if it is shorter."""
    first = first_of_month_after(day.replace(day=1), months)
    return first.replace(day=min(day.day, last_day_of_month(first).day))


@pytest.mark.parametrize(
    "day, months, expected",
    [
        ("2027-01-31", 1, "2027-02-28"),  # clamped to a short February
        ("2028-01-31", 1, "2028-02-29"),  # a leap year's February
        ("2028-02-29", 12, "2029-02-28"),  # a leap day's anniversary in a common year
        ("2100-01-31", 1, "2100-02-28"),  # 2100 is not a leap year (divisible by 100)
        ("2000-01-31", 1, "2000-02-29"),  # 2000 is (divisible by 400)
        ("2027-08-31", 1, "2027-09-30"),
        ("2027-12-15", 1, "2028-01-15"),  # over the year end
        ("2027-03-31", -1, "2027-02-28"),  # backwards, clamped too
        ("2027-01-01", -1, "2026-12-01"),
        ("2027-05-31", 0, "2027-05-31"),
        ("2027-01-31", 13, "2028-02-29"),
    ],
)
def test_a_month_later_is_the_anniversary_clamped_to_the_months_last_day(day, months, expected):
    assert add_months(D(day), months) == D(expected)


def test_add_months_agrees_with_plain_datetime_on_every_day_of_three_years():
    """Every start day of 2027–2029 (a leap year among them), up to 25 months either way."""
    day = D("2027-01-01")
    wrong = []
    while day <= D("2029-12-31"):
        for months in (-25, -13, -12, -11, -2, -1, 0, 1, 2, 3, 11, 12, 13, 25):
            if add_months(day, months) != anniversary(day, months):
                wrong.append((day, months, add_months(day, months), anniversary(day, months)))
        day += ONE_DAY
    assert not wrong, wrong[:5]


def test_month_and_quarter_ends_are_the_last_days_before_the_next_month_and_quarter():
    """The invoice dates of a monthly and a quarterly invoice period, for every day of 2027–2028."""
    day = D("2027-01-01")
    while day <= D("2028-12-31"):
        first = day.replace(day=1)
        assert month_end(day) == last_day_of_month(first), day
        quarter_first = first_of_month_after(first, -((day.month - 1) % 3))  # Jan, Apr, Jul or Oct
        assert quarter_end(day) == first_of_month_after(quarter_first, 3) - ONE_DAY, day
        day += ONE_DAY
    assert quarter_end(D("2027-11-15")) == D("2027-12-31") and quarter_end(D("2028-01-01")) == D("2028-03-31")


def test_a_clock_turns_day_numbers_into_dates_and_back_and_a_fraction_of_a_day_is_that_day():
    clock = Clock(D("2027-07-15"), 400)
    for n in (0, 1, 16, 17, 169, 170, 400):
        assert clock.date(n) == D("2027-07-15") + dt.timedelta(days=n)
        assert clock.day(clock.date(n)) == n
    # Float times: day 30.999 is still the 30th day after the start, 31.0 the next.
    assert clock.date(30.999) == D("2027-08-14") and clock.date(31.0) == D("2027-08-15")
    assert clock.day(D("2027-07-01")) == -14  # before the start: negative
    # ...and a time before the start is on the day it falls in: half a day before is the 14th.
    assert clock.date(-0.5) == D("2027-07-14") and clock.date(-14.0) == D("2027-07-01")


def test_months_are_calendar_months_from_the_starts_month_and_a_budget_year_starts_on_1_january():
    """A contract starting mid-July 2027: its first month is July (which began 14 days before
    the start), and 1 January 2028, the first day of the next budget year, opens month 6."""
    start = D("2027-07-15")
    clock = Clock(start, 800)
    first = start.replace(day=1)
    for m in range(len(clock.month_starts)):
        assert clock.month_starts[m] == (first_of_month_after(first, m) - start).days
        assert clock.month_date(m) == first_of_month_after(first, m)
    assert clock.month_starts[-1] > 800 >= clock.month_starts[-2]  # one month past the tables' end
    expected = []
    for n in range(801):
        date = start + dt.timedelta(days=n)
        expected.append((date.year - start.year) * 12 + date.month - start.month)
    assert clock.month_of_day == expected
    assert clock.month_of_day[clock.day(D("2027-12-31"))] == 5
    assert clock.month_of_day[clock.day(D("2028-01-01"))] == 6 and clock.month_date(6) == D("2028-01-01")
    np.testing.assert_array_equal(clock.month_of_day_array, expected)
    with pytest.raises(ValueError, match="read-only"):
        clock.month_of_day_array[0] = 3  # shared by every replication: nobody may change it


@pytest.mark.parametrize("start", ["2027-01-31", "2027-07-15", "2028-02-29"])
def test_plus_months_on_day_numbers_is_the_calendar_anniversary_inside_and_past_the_tables(start):
    """The look-up tables give the anniversary in day numbers; near and past their end (a lag
    added to a late day) the answer is still the calendar's."""
    clock = Clock(D(start), 500)
    wrong = []
    for n in range(0, 501, 3):
        for months in (0, 1, 2, 3, 6, 11, 12, 13, 24):
            want = (anniversary(clock.date(n), months) - D(start)).days
            if clock.plus_months(n, months) != want:
                wrong.append((n, months, clock.plus_months(n, months), want))
    assert not wrong, wrong[:5]
    # A milestone of one month from 31 January is reached on the last day of February.
    assert clock.date(clock.plus_months(clock.day(D("2028-01-31")), 1)) == D("2028-02-29")
