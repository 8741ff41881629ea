"""Milestones reached on the sampled paths, compiled with numba: one pass, person by person.

``MilestoneBook.hits`` in numpy builds the stays in each milestone's states, then evaluates
each milestone on all stays at once and sorts the hits (a few dozen array operations a
replication). This walks each person's segments once per milestone with the same rules:

- a *stay* is a run of consecutive segments in the milestone's states; it begins at its first
  segment's entry and ends at its last segment's exit;
- entered: reached at the stay's entry; continuously for a number of days or calendar months:
  at entry + that duration (an anniversary date, clamped to month end), if the stay lasts
  beyond it; each full month: at every monthly anniversary within the stay;
- reached only before the window ends; a milestone that is not repeatable counts once, at
  the first stay that reaches it;
- hits come ordered by person, time, milestone.

Anniversaries use the calendar's month starts exactly as ``Clock.plus_months`` does; one
that falls past the calendar's tables (which reach 400 days past the last payment) is past
the window, so it is never reached.
"""

from __future__ import annotations

import math

import numba
import numpy as np

ENTERED, CONTINUOUS_DAYS, CONTINUOUS_MONTHS, EACH_MONTH = range(4)


@numba.njit(cache=True)
def _plus_months(day: int, months: int, month_starts, month_of_day) -> float:
    """``Clock.plus_months`` on the calendar's tables; inf past their end."""
    m = month_of_day[day]
    if m + months + 1 >= month_starts.size:
        return math.inf
    target = m + months
    length = month_starts[target + 1] - month_starts[target]
    return float(month_starts[target] + min(day - month_starts[m], length - 1))


@numba.njit(cache=True)
def hits(  # noqa: C901 (one compiled pass over the stays: every milestone kind in one loop)
    person,
    state,
    entry,
    exit_,
    member,
    group,
    kind,
    days,
    months,
    repeatable,
    month_starts,
    month_of_day,
    last_day: int,
    window_end: float,
):
    """(person, milestone, time) of every hit. Segments come person by person in path order;
    ``member[g, s]``: state s is in milestone group g (the last column is the -1 padding);
    milestone i belongs to group ``group[i]``."""
    n = person.size
    out_p = np.empty(max(16, 2 * n), dtype=np.int64)
    out_m = np.empty(out_p.size, dtype=np.int64)
    out_t = np.empty(out_p.size)
    count = 0
    # One person's hits, at most: a hit per stay and milestone, a hit per month for each full
    # month (allocated once; growing it inside the loop made the loop several times slower).
    longest, run = 0, 0
    for r in range(n):
        run = run + 1 if r > 0 and person[r] == person[r - 1] else 1
        longest = max(longest, run)
    per_stay = 0
    for mi in range(group.size):
        per_stay += int(max(window_end, 0.0) // 28) + 2 if kind[mi] == EACH_MONTH else 1
    buf_t = np.empty(max(1, longest * per_stay))
    buf_m = np.empty(buf_t.size, dtype=np.int64)
    i = 0
    while i < n:
        j = i
        while j < n and person[j] == person[i]:
            j += 1
        nb = 0
        for mi in range(group.size):
            g = group[mi]
            before = nb
            k = i
            while k < j:
                if not member[g, state[k]]:
                    k += 1
                    continue
                e = k
                while e + 1 < j and member[g, state[e + 1]]:
                    e += 1
                begin, end = entry[k], exit_[e]
                k = e + 1
                step = 1  # each full month: the step-th monthly anniversary
                while True:
                    if kind[mi] == ENTERED:
                        t = begin
                        reached = t < window_end
                    else:
                        if kind[mi] == CONTINUOUS_DAYS:
                            t = begin + days[mi]
                        else:
                            base = min(int(begin), last_day)
                            length = step if kind[mi] == EACH_MONTH else months[mi]
                            t = begin + (_plus_months(base, length, month_starts, month_of_day) - base)
                        reached = t < end and t < window_end
                    if not reached:
                        break
                    buf_t[nb] = t
                    buf_m[nb] = mi
                    nb += 1
                    if kind[mi] != EACH_MONTH:
                        break
                    step += 1
                if nb > before and not repeatable[mi]:
                    break
        # This person's hits by time, then milestone (insertion sort: a handful each).
        for a in range(1, nb):
            t, m = buf_t[a], buf_m[a]
            b = a - 1
            while b >= 0 and (buf_t[b] > t or (buf_t[b] == t and buf_m[b] > m)):
                buf_t[b + 1] = buf_t[b]
                buf_m[b + 1] = buf_m[b]
                b -= 1
            buf_t[b + 1] = t
            buf_m[b + 1] = m
        if count + nb > out_p.size:
            size = 2 * (count + nb)
            grown_p = np.empty(size, dtype=np.int64)
            grown_m = np.empty(size, dtype=np.int64)
            grown_t = np.empty(size)
            grown_p[:count] = out_p[:count]
            grown_m[:count] = out_m[:count]
            grown_t[:count] = out_t[:count]
            out_p, out_m, out_t = grown_p, grown_m, grown_t
        for a in range(nb):
            out_p[count] = person[i]
            out_m[count] = buf_m[a]
            out_t[count] = buf_t[a]
            count += 1
        i = j
    return out_p[:count].copy(), out_m[:count].copy(), out_t[:count].copy()
