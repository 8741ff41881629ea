"""Calendar arithmetic: the engine counts days from the contract start, people read dates.

Months are calendar months. A month-based duration lands on the anniversary date, clamped to
the month's last day (31 January + 1 month = 28/29 February).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np


def add_months(day: dt.date, months: int) -> dt.date:
    """The anniversary date ``months`` calendar months after ``day``, clamped to month end."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = _cal.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def month_end(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, _cal.monthrange(day.year, day.month)[1])


def quarter_end(day: dt.date) -> dt.date:
    month = ((day.month - 1) // 3 + 1) * 3
    return dt.date(day.year, month, _cal.monthrange(day.year, month)[1])


@dataclass(frozen=True)
class Clock:
    """Day numbers from the contract start ↔ calendar dates, with fast month look-ups.

    The engine works in float days (day 0.0 is the start date at 00:00); the day number of a
    float time is its floor. Month look-ups are lists indexed by day number, built once.
    """

    start: dt.date
    last_day: int  # the last day number the tables cover

    def date(self, day: float) -> dt.date:
        return self.start + dt.timedelta(days=math.floor(day))  # a time on day d, 0 <= frac < 1, is on day d

    def day(self, date: dt.date) -> int:
        return (date - self.start).days

    @cached_property
    def month_starts(self) -> list[int]:
        """Day number of the first day of each calendar month, from the start's month on.

        Index 0 is the start's month (its first day may be negative), plus one month past the end.
        """
        first = self.start.replace(day=1)
        out, m = [], 0
        while True:
            d = self.day(add_months(first, m))
            out.append(d)
            if d > self.last_day:
                return out
            m += 1

    @cached_property
    def month_of_day(self) -> list[int]:
        """Month index (into ``month_starts``) of each day number 0..last_day."""
        starts = self.month_starts
        out: list[int] = []
        for m in range(len(starts) - 1):
            lo, hi = max(starts[m], 0), min(starts[m + 1], self.last_day + 1)
            out.extend([m] * max(hi - lo, 0))
        return out

    @cached_property
    def month_of_day_array(self) -> np.ndarray:
        """``month_of_day`` as a read-only array, for looking up a column of days at once."""
        out = np.array(self.month_of_day, dtype=np.int64)
        out.flags.writeable = False
        return out

    def month_date(self, m: int) -> dt.date:
        """First calendar day of month index m."""
        return self.date(self.month_starts[m])

    def plus_months(self, day: int, months: int) -> int:
        """Day number of the anniversary ``months`` calendar months after day number ``day``."""
        starts = self.month_starts
        m = self.month_of_day[day] if 0 <= day <= self.last_day else None
        if m is None or m + months + 1 >= len(starts):
            return self.day(add_months(self.date(day), months))
        dom = day - starts[m]  # 0-based day of month
        target = m + months
        length = starts[target + 1] - starts[target]
        return starts[target] + min(dom, length - 1)
