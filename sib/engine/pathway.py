"""A participant's path through the pathway, and the milestones it reaches.

Paths are sampled whole, on enrolment, from the participant's own uniforms: the engine then
needs events only where something interacts (a place released, an exit), and milestone dates
follow from the path by calendar arithmetic instead of waiting for each one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from sib.calendar import Clock
from sib.engine import milestone_kernels
from sib.engine import pathway_kernels as kernels
from sib.engine.milestone_kernels import CONTINUOUS_DAYS, CONTINUOUS_MONTHS, EACH_MONTH, ENTERED
from sib.i18n import say
from sib.scenario.distributions import Inverse, Sampler
from sib.scenario.errors import ScenarioError
from sib.scenario.schema import Milestone, Pathway, Scenario

if TYPE_CHECKING:
    from sib.engine.streams import UniformTable

INF = math.inf
COMPILED = True  # walk paths in ``pathway_kernels.walk_rows`` (False: in numpy, for comparison)


@dataclass(frozen=True)
class CompiledPathway:
    """The pathway as index-based tables, built once per scenario."""

    names: tuple[str, ...]
    start: int
    transitions: tuple[tuple[tuple[int, Inverse], ...], ...]  # per state: (target, inverse CDF)
    holds_place: tuple[bool, ...]
    absorbing: tuple[bool, ...]

    @classmethod
    def of(cls, scenario: Scenario, pathway: Pathway | None = None) -> CompiledPathway:
        """The scenario's pathway (or another, such as the counterfactual) as tables."""
        pathway = pathway if pathway is not None else scenario.pathway
        names = tuple(pathway.states)
        index = {n: i for i, n in enumerate(names)}
        states = pathway.states.values()
        return cls(
            names=names,
            start=index[pathway.start],
            transitions=tuple(tuple((index[t], d.inverse()) for t, d in s.transitions.items()) for s in states),
            holds_place=tuple(s.holds_place for s in states),
            absorbing=tuple(s.absorbing for s in states),
        )

    @cached_property
    def _moving(self) -> list[tuple[int, list[Sampler], np.ndarray]]:
        """(state, samplers, targets) of the states that can be left."""
        return [
            (s, [inverse.sampler() for _, inverse in options], np.array([to for to, _ in options]))
            for s, options in enumerate(self.transitions)
            if options
        ]

    @cached_property
    def absorbing_padded(self) -> np.ndarray:
        """``absorbing`` as an array with one more slot, False, for a path's -1 padding."""
        return np.array(self.absorbing + (False,))

    @cached_property
    def _kernel_table(self) -> kernels.Table:
        return kernels.Table(self.transitions, self.absorbing)

    def sample_all(self, table: UniformTable, horizons: np.ndarray) -> Paths:
        """Every referral's path at once: states entered and entry times (days from enrolment).

        Competing risks: from each state every transition draws its time from the
        participant's next uniforms (one per transition, in declaration order) and the earliest
        wins. Path i reads only row i of ``table``, so it is the same whatever else changes;
        ``horizons`` only cut it short (the engine cuts again at the real enrolment time).
        Walked in compiled code (``walk_rows``); ``COMPILED = False`` steps the
        paths in numpy instead, the reference the compiled walk is tested against.
        """
        if not COMPILED:
            return self.sample_all_numpy(table, horizons)
        n = len(horizons)
        return walk_rows(self._kernel_table, table, np.arange(n), np.full(n, self.start), horizons)

    def sample_all_numpy(self, table: UniformTable, horizons: np.ndarray) -> Paths:
        """``sample_all`` stepped in numpy: all paths together, one pathway step at a time."""
        n = len(horizons)
        absorbing = np.array(self.absorbing)
        state = np.full(n, self.start)
        t = np.zeros(n)
        ptr = np.zeros(n, dtype=np.int64)
        states_by_step, times_by_step = [state.copy()], [t.copy()]
        live = ~absorbing[state]
        while live.any():
            step = np.full(n, INF)
            target = state.copy()
            for s, samplers, targets in self._moving:
                rows = np.flatnonzero(live & (state == s))
                if not rows.size:
                    continue
                width = len(samplers)
                u = table.take(rows, ptr[rows], width)
                draws = np.stack([sampler(u[:, j]) for j, sampler in enumerate(samplers)], axis=1)
                best = draws.argmin(axis=1)
                step[rows] = draws.min(axis=1)  # the value at ``best``
                target[rows] = targets[best]
                ptr[rows] += width
            t = t + np.where(live, step, 0.0)
            moved = live & (t < horizons)
            state = np.where(moved, target, state)
            states_by_step.append(np.where(moved, state, -1))
            times_by_step.append(np.where(moved, t, INF))
            live = moved & ~absorbing[state]
        return Paths(np.array(states_by_step).T.copy(), np.array(times_by_step).T.copy())


@dataclass(frozen=True)
class Paths:
    """Sampled paths as matrices, one row per referral: state entered at each step (-1 past the
    end) and its entry time in days from enrolment (inf past the end)."""

    states: np.ndarray
    times: np.ndarray


@dataclass(frozen=True)
class CompiledMilestone:
    """A milestone as the engine evaluates it on a sampled path."""

    name: str
    states: frozenset[int]
    kind: str  # "entered" | "continuous" | "each_month"
    repeatable: bool
    days: float  # continuous: fixed length in days (0 when calendar months are used)
    months: int  # continuous: calendar months

    @classmethod
    def of(cls, name: str, m: Milestone, pathway: CompiledPathway) -> CompiledMilestone:
        index = {n: i for i, n in enumerate(pathway.names)}
        after = m.after
        months = after.months if after is not None and after.months is not None else 0
        days = 0.0
        if after is not None and after.days is not None:
            days = float(after.days)
        elif after is not None and after.weeks is not None:
            days = 7.0 * after.weeks
        return cls(name, frozenset(index[s] for s in m.states), m.kind, m.repeatable or m.kind == "each_month", days, months)


@dataclass(frozen=True)
class Stays:
    """Unbroken stays in a set of states: who, when they entered, when they left (inf: never)."""

    person: np.ndarray
    entry: np.ndarray
    exit: np.ndarray


def stays(person: np.ndarray, state: np.ndarray, entry: np.ndarray, exit_: np.ndarray, members: np.ndarray) -> Stays:
    """Merge consecutive path segments whose states are all in ``members`` into stays.

    The segments come flattened in path order (person by person, step by step); a stay begins
    where a member segment follows a non-member or starts a path, and ends where the next
    segment is not a member or belongs to someone else.
    """
    inside = members[state]
    if not inside.any():
        empty = np.zeros(0)
        return Stays(np.zeros(0, dtype=np.int64), empty, empty)
    same_prev = np.empty(len(person), dtype=bool)
    same_prev[0] = False
    same_prev[1:] = person[1:] == person[:-1]
    prev_inside = np.empty(len(person), dtype=bool)
    prev_inside[0] = False
    prev_inside[1:] = inside[:-1]
    begins = inside & ~(same_prev & prev_inside)
    same_next = np.empty(len(person), dtype=bool)
    same_next[-1] = False
    same_next[:-1] = same_prev[1:]
    next_inside = np.empty(len(person), dtype=bool)
    next_inside[-1] = False
    next_inside[:-1] = inside[1:]
    ends = inside & ~(same_next & next_inside)
    return Stays(person[begins], entry[begins], exit_[ends])


def _first_per_person(p: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each person's first hit: ``np.unique(p, return_index=True)``, without a sort when the
    hits already come person by person (they do: stays are in path order)."""
    if p.size > 1 and not (p[1:] >= p[:-1]).all():
        p, first = np.unique(p, return_index=True)
        return p, t[first]
    first = np.empty(p.size, dtype=bool)
    first[0] = True
    np.not_equal(p[1:], p[:-1], out=first[1:])
    return p[first], t[first]


@dataclass(frozen=True)
class Hits:
    """Milestones reached: by whom, which, and when (days from the contract start)."""

    person: np.ndarray
    milestone: np.ndarray
    time: np.ndarray


class MilestoneBook:
    """All milestones of a scenario, evaluated on every enrolled participant's path at once.

    Calendar months use the clock's tables: ``ahead[m][d]`` is how many days after day d its
    m-month anniversary falls (clamped to month end), so a whole column of stays is shifted
    by months in one array look-up.
    """

    def __init__(self, milestones: Sequence[CompiledMilestone], n_states: int, clock: Clock, window_end: float):
        self.groups: list[tuple[np.ndarray, list[tuple[int, int, float, int, bool]]]] = []
        by_set: dict[frozenset[int], list[tuple[int, int, float, int, bool]]] = {}
        for mi, m in enumerate(milestones):
            if m.kind == "entered":
                spec = (mi, ENTERED, 0.0, 0, m.repeatable)
            elif m.kind == "each_month":
                spec = (mi, EACH_MONTH, 0.0, 1, True)
            elif m.months:
                spec = (mi, CONTINUOUS_MONTHS, 0.0, m.months, m.repeatable)
            else:
                spec = (mi, CONTINUOUS_DAYS, m.days, 0, m.repeatable)
            by_set.setdefault(m.states, []).append(spec)
        for members, specs in by_set.items():
            mask = np.zeros(n_states + 1, dtype=bool)  # the extra slot is the -1 padding
            mask[list(members)] = True
            self.groups.append((mask, specs))
        self.clock = clock
        self.window_end = window_end
        self._ahead: dict[int, np.ndarray] = {}
        # The same, as arrays for the compiled evaluation: milestone i's group, kind and length.
        self._member = np.array([mask for mask, _ in self.groups]).reshape(len(self.groups), n_states + 1)
        by_milestone = sorted((spec[0], g) + spec[1:] for g, (_, specs) in enumerate(self.groups) for spec in specs)
        self._group = np.array([g for _, g, *_ in by_milestone], dtype=np.int64)
        self._kind = np.array([kind for _, _, kind, *_ in by_milestone], dtype=np.int64)
        self._days = np.array([days for *_, days, _, _ in by_milestone], dtype=np.float64)
        self._months = np.array([months for *_, months, _ in by_milestone], dtype=np.int64)
        self._repeatable = np.array([rep for *_, rep in by_milestone], dtype=np.bool_)
        self._month_starts = np.asarray(clock.month_starts, dtype=np.int64)

    def ahead(self, months: int) -> np.ndarray:
        table = self._ahead.get(months)
        if table is None:
            days = np.arange(self.clock.last_day + 1)
            table = np.array([self.clock.plus_months(int(d), months) for d in days]) - days
            self._ahead[months] = table
        return table

    def hits(self, person: np.ndarray, state: np.ndarray, entry: np.ndarray, exit_: np.ndarray, window_end: float | None = None) -> Hits:
        """Every milestone reached before the window ends (or the service stopped), ordered by
        person, time, milestone. Evaluated in compiled code (``milestone_kernels.hits``);
        ``COMPILED = False`` evaluates them in numpy instead, the reference it is tested against."""
        if not COMPILED:
            return self.hits_numpy(person, state, entry, exit_, window_end)
        window_end = self.window_end if window_end is None else min(window_end, self.window_end)
        p, m, t = milestone_kernels.hits(
            person,
            state,
            entry,
            exit_,
            self._member,
            self._group,
            self._kind,
            self._days,
            self._months,
            self._repeatable,
            self._month_starts,
            self.clock.month_of_day_array,
            self.clock.last_day,
            float(window_end),
        )
        return Hits(p, m, t)

    def hits_numpy(
        self, person: np.ndarray, state: np.ndarray, entry: np.ndarray, exit_: np.ndarray, window_end: float | None = None
    ) -> Hits:
        """``hits`` in numpy: stays in each group's states, each milestone on all of them at once."""
        window_end = self.window_end if window_end is None else min(window_end, self.window_end)
        people, which, when = [], [], []
        for mask, specs in self.groups:
            st = stays(person, state, entry, exit_, mask)
            if not st.person.size:
                continue
            base = st.entry.astype(np.int64)
            for mi, kind, days, months, repeatable in specs:
                if kind == EACH_MONTH:
                    p, t = self._each_month(st, base, window_end)
                else:
                    if kind == ENTERED:
                        t = st.entry
                        ok = t < window_end
                    else:
                        t = st.entry + (days if kind == CONTINUOUS_DAYS else self.ahead(months)[base])
                        ok = (t < st.exit) & (t < window_end)
                    p, t = st.person[ok], t[ok]
                    if not repeatable and p.size:
                        p, t = _first_per_person(p, t)
                people.append(p)
                when.append(t)
                which.append(np.full(p.size, mi))
        if not people:
            z = np.zeros(0, dtype=np.int64)
            return Hits(z, z, np.zeros(0))
        p, m, t = np.concatenate(people), np.concatenate(which), np.concatenate(when)
        order = np.lexsort((m, t, p))
        return Hits(p[order], m[order], t[order])

    def _each_month(self, st: Stays, base: np.ndarray, window_end: float) -> tuple[np.ndarray, np.ndarray]:
        people, when = [], []
        k = 1
        while True:
            t = st.entry + self.ahead(k)[np.minimum(base, self.clock.last_day)]
            ok = (t < st.exit) & (t < window_end)
            if not ok.any():
                break
            people.append(st.person[ok])
            when.append(t[ok])
            k += 1
        if not people:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(people), np.concatenate(when)


#: The most steps one participant's path may take: the schema refuses cycles quicker than a week
#: at the median (``MIN_CYCLE_DAYS``), so only a duration mostly near zero with a long tail gets
#: here; the walk's table (16 bytes a step a referral) stays bounded.
MAX_PATH_STEPS = 4096


def walk_rows(table: kernels.Table, uniforms: UniformTable, rows: np.ndarray, starts: np.ndarray, horizons: np.ndarray) -> Paths:
    """Paths walked in compiled code: path k reads row ``rows[k]`` of ``uniforms``, begins in
    state ``starts[k]`` and is cut at ``horizons[k]``; as many columns as the longest path."""
    n = len(rows)
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    starts = np.ascontiguousarray(starts, dtype=np.int64)
    horizons = np.ascontiguousarray(horizons, dtype=np.float64)
    if n:
        uniforms.value(int(rows.max()), 0)  # the table has those rows
    width = 16  # columns: steps a path may take before the walk must widen them
    states, times = np.full((n, width), -1, dtype=np.int64), np.full((n, width), INF)
    attempts = np.zeros(n, dtype=np.int64)
    args = table.arguments()
    k = 0
    while True:
        status, k = kernels.walk_rows(uniforms.u, uniforms.filled, rows, starts, horizons, k, states, times, attempts, *args)
        if status == kernels.DONE:
            break
        if status == kernels.NEED_UNIFORMS:  # the row continues on its overflow stream
            uniforms.value(int(rows[k]), int(attempts[k]) - 1)
        else:  # a longer path than the columns hold: twice as many, and walk it again
            if width >= MAX_PATH_STEPS:
                raise ScenarioError(
                    [
                        say(
                            "pathway: en deltagare gick igenom mer än {most} övergångar under avtalet: en krets av tillstånd "
                            "tas för snabbt (varaktigheter som oftast är minuter?)",
                            "pathway: a participant went through more than {most} transitions within the contract: a cycle "
                            "of states is taken too quickly (durations that are mostly minutes?)",
                            most=MAX_PATH_STEPS,
                        )
                    ]
                )
            states = np.concatenate([states, np.full((n, width), -1, dtype=np.int64)], axis=1)
            times = np.concatenate([times, np.full((n, width), INF)], axis=1)
            width *= 2
    steps = int(attempts.max()) + 1 if n else 1
    return Paths(states[:, :steps].copy(), times[:, :steps].copy())
