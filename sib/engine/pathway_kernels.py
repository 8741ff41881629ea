"""The pathway walk compiled with numba: every referral's path, one row at a time.

``CompiledPathway.sample_all`` in numpy steps all paths together, one pathway step at a time;
with a handful of states that is a few dozen small array operations per step, and it was a
fifth of a study replication (the path and the counterfactual path of every referral). This
walks each path to its end in machine code, with the same rules: from a state every
transition draws its time from the participant's next uniforms (one each, in declaration
order), the earliest wins (the first on a tie), and the path stops at an absorbing state or
where the next entry would fall at or after the horizon.

Durations come from ``Inverse`` (sib/scenario/distributions.py), evaluated with ``math``'s
log1p/exp/pow and SciPy's ndtri/gammaincinv (sib/engine/special.py). numpy's vectorised
log1p and exp may round the last bit differently from the C library's, so a duration here can
differ from the numpy walk's by an ulp (1e-16 relative); everything else is identical, and
``tests/engine/test_pathway_kernels.py`` holds the two walks together.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sib.engine.special import gammaincinv, ndtri
from sib.scenario.distributions import DISTRIBUTIONS, Inverse

FIXED, EXPONENTIAL, WEIBULL, LOGNORMAL, GAMMA, EMPIRICAL = (DISTRIBUTIONS.index(k) for k in DISTRIBUTIONS)
# What a walk stopped at: all done, or row ``at`` needs more uniforms / more steps than given.
DONE, NEED_UNIFORMS, NEED_STEPS = range(3)


class Table:
    """A pathway's transitions as flat arrays for the kernel: state s's transitions are
    ``first[s] .. first[s] + count[s] - 1``; an empirical one reads its values and cumulative
    weights at ``emp_first .. emp_first + emp_count - 1`` of ``emp_values`` / ``emp_cum``."""

    def __init__(self, transitions: tuple[tuple[tuple[int, Inverse], ...], ...], absorbing: tuple[bool, ...]):
        flat = [(to, inv) for options in transitions for to, inv in options]
        self.absorbing = np.array(absorbing, dtype=np.bool_)
        self.count = np.array([len(o) for o in transitions], dtype=np.int64)
        self.first = np.concatenate([[0], np.cumsum(self.count)[:-1]]).astype(np.int64)
        self.target = np.array([to for to, _ in flat], dtype=np.int64)
        self.kind = np.array([DISTRIBUTIONS.index(inv.kind) for _, inv in flat], dtype=np.int64)
        self.a = np.array([inv.a for _, inv in flat], dtype=np.float64)
        self.b = np.array([inv.b for _, inv in flat], dtype=np.float64)
        sizes = np.array([len(inv.values) for _, inv in flat], dtype=np.int64)
        self.emp_count = sizes
        self.emp_first = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.emp_values = np.array([v for _, inv in flat for v in inv.values], dtype=np.float64)
        self.emp_cum = np.array([c for _, inv in flat for c in inv.cum], dtype=np.float64)

    def arguments(self) -> tuple:
        return (
            self.absorbing,
            self.first,
            self.count,
            self.target,
            self.kind,
            self.a,
            self.b,
            self.emp_first,
            self.emp_count,
            self.emp_values,
            self.emp_cum,
        )


@numba.njit(cache=True)
def duration(kind: int, a: float, b: float, u: float, emp_values, emp_cum, emp_first: int, emp_count: int) -> float:
    """One draw of a transition's time in days from uniform ``u`` (``Inverse.sampler``'s rules)."""
    if kind == FIXED:
        return a
    if kind == EXPONENTIAL:
        return -a * math.log1p(-u)
    if kind == WEIBULL:
        return a * (-math.log1p(-u)) ** b
    if kind == LOGNORMAL:
        return math.exp(a + b * ndtri(u))
    if kind == GAMMA:
        return b * gammaincinv(a, u)
    # empirical: the first value whose cumulative weight exceeds u (searchsorted, side right)
    i = 0
    while i < emp_count - 1 and emp_cum[emp_first + i] <= u:
        i += 1
    return emp_values[emp_first + i]


@numba.njit(cache=True)
def segments(states, times, ids, at, window_end: float, absorbing):
    """The enrolled participants' paths as flat segments (``Model._segments``): for each row
    ``ids[r]``, enrolled on day ``at[r]``, the states entered before ``window_end`` with their
    entry and exit days (a path's last segment never ends), and when each participant left the
    pathway (inf unless the last state entered is absorbing). ``absorbing`` has one more slot,
    False, for the -1 padding."""
    n, width = ids.size, states.shape[1]
    size = 0
    count = np.empty(n, dtype=np.int64)
    for r in range(n):
        i, limit = ids[r], window_end - at[r]
        c = 0
        while c < width and states[i, c] >= 0 and times[i, c] < limit:
            c += 1
        count[r] = c
        size += c
    person = np.empty(size, dtype=np.int64)
    state = np.empty(size, dtype=np.int64)
    entry = np.empty(size)
    exit_ = np.empty(size)
    path_end = np.empty(n)
    k = 0
    for r in range(n):
        i = ids[r]
        for c in range(count[r]):
            person[k] = i
            state[k] = states[i, c]
            entry[k] = times[i, c] + at[r]
            exit_[k] = times[i, c + 1] + at[r] if c + 1 < count[r] else math.inf
            k += 1
        last = count[r] - 1 if count[r] else width - 1  # as numpy indexes -1: the last column
        s = states[i, last]
        path_end[r] = times[i, last] + at[r] if absorbing[s] else math.inf
    return person, state, entry, exit_, path_end


@numba.njit(cache=True)
def discounted_days_between(states, times, rows, origin, begin, end: float, delta: float, n_states: int):
    """Row ``rows[r]``'s path begins on day ``origin[r]`` (its times are days from then); its days
    in each state from ``begin[r]`` to ``end`` are discounted continuously at ``delta`` per day to
    day 0, and summed by state.
    (A counterfactual path begins at the referral, but only the days from the enrolment on
    can differ from it.) A path's last state lasts until ``end``."""
    out = np.zeros(n_states)
    width = states.shape[1]
    for r in range(rows.shape[0]):
        i = rows[r]
        limit = end - origin[r]
        c = 0
        while c < width and states[i, c] >= 0 and times[i, c] < limit:
            entry = max(times[i, c] + origin[r], begin[r])
            if c + 1 < width and states[i, c + 1] >= 0 and times[i, c + 1] < limit:
                stop = times[i, c + 1] + origin[r]
            else:
                stop = end
            if stop > entry:
                if delta == 0:
                    out[states[i, c]] += stop - entry
                else:
                    out[states[i, c]] += (math.exp(-delta * entry) - math.exp(-delta * stop)) / delta
            c += 1
    return out


@numba.njit(cache=True)
def state_at(states, times, rows, origin, end: float):
    """For row ``rows[r]``'s path, begun on day ``origin[r]``: the last state entered before
    ``end`` and the day it was entered (-1 and inf if none was)."""
    n = rows.shape[0]
    state = np.full(n, -1, dtype=np.int64)
    entered = np.full(n, math.inf)
    for r in range(n):
        i = rows[r]
        c = 0
        while c < states.shape[1] and states[i, c] >= 0 and times[i, c] < end - origin[r]:
            state[r] = states[i, c]
            entered[r] = times[i, c] + origin[r]
            c += 1
    return state, entered


@numba.njit(cache=True)
def walk_rows(
    u,
    filled,
    rows,
    starts,
    horizons,
    k0,
    states,
    times,
    attempts,
    absorbing,
    first,
    count,
    target,
    kind,
    a,
    b,
    emp_first,
    emp_count,
    emp_values,
    emp_cum,
):
    """Walk paths ``k0 ..`` into ``states``/``times`` (pre-filled with -1/inf) and ``attempts``
    (transitions drawn per path): path k reads row ``rows[k]`` of ``u``, begins in
    ``starts[k]`` and is cut at ``horizons[k]``; it is written to row k. (Every referral's path
    begins in the start state; one who left the pathway goes on along the counterfactual from
    the state their exit maps to.) Returns (DONE, n) or, at the first path that needs more,
    (NEED_UNIFORMS, k) with ``attempts[k]`` = uniforms needed, or (NEED_STEPS, k)."""
    n = rows.shape[0]
    width = states.shape[1]
    for k in range(k0, n):
        i = rows[k]
        state = starts[k]
        t = 0.0
        ptr = 0
        c = 0
        states[k, 0] = state
        times[k, 0] = 0.0
        while not absorbing[state]:
            w = count[state]
            if ptr + w > filled[i]:
                attempts[k] = ptr + w
                return NEED_UNIFORMS, k
            c += 1
            if c >= width:
                return NEED_STEPS, k
            step = math.inf
            best = -1
            for j in range(w):
                x = first[state] + j
                d = duration(kind[x], a[x], b[x], u[i, ptr + j], emp_values, emp_cum, emp_first[x], emp_count[x])
                if best < 0 or d < step:
                    step = d
                    best = x
            ptr += w
            t = t + step
            if t < horizons[k] and best >= 0:
                state = target[best]
                states[k, c] = state
                times[k, c] = t
            else:
                states[k, c] = -1
                times[k, c] = math.inf
                break
        attempts[k] = c
    return DONE, n
