"""A participant's path through the pathway, and the milestones it reaches.

Paths are sampled whole, on enrolment, from the participant's own uniforms: the engine then
needs events only where something interacts (a place released, an exit), and milestone dates
follow from the path by calendar arithmetic instead of waiting for each one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from sib.calendar import Clock
from sib.scenario.distributions import Sampler
from sib.scenario.schema import Milestone, Scenario

if TYPE_CHECKING:
    from sib.engine.streams import UniformTable

INF = math.inf


@dataclass(frozen=True)
class CompiledPathway:
    """The pathway as index-based tables, built once per scenario."""

    names: tuple[str, ...]
    start: int
    transitions: tuple[tuple[tuple[int, Sampler], ...], ...]  # per state: (target, sampler)
    holds_place: tuple[bool, ...]
    absorbing: tuple[bool, ...]

    @classmethod
    def of(cls, scenario: Scenario) -> "CompiledPathway":
        names = tuple(scenario.pathway.states)
        index = {n: i for i, n in enumerate(names)}
        states = scenario.pathway.states.values()
        return cls(
            names=names,
            start=index[scenario.pathway.start],
            transitions=tuple(
                tuple((index[t], d.sampler()) for t, d in s.transitions.items()) for s in states
            ),
            holds_place=tuple(s.holds_place for s in states),
            absorbing=tuple(s.absorbing for s in states),
        )

    def sample_all(self, table: "UniformTable", horizons: np.ndarray) -> list[tuple[list[int], list[float]]]:
        """Every referral's path at once: states entered and entry times (days from enrolment).

        Competing risks: from each state every transition draws its time from the
        participant's next uniforms (one per transition, in declaration order) and the earliest
        wins. Path i reads only row i of ``table``, so it is the same whatever else changes;
        ``horizons`` only cut it short (the engine cuts again at the real enrolment time).
        """
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
            for s, options in enumerate(self.transitions):
                rows = np.flatnonzero(live & (state == s))
                if not rows.size:
                    continue
                width = len(options)
                u = table.take(rows, ptr[rows], width)
                draws = np.stack([sampler(u[:, j]) for j, (_, sampler) in enumerate(options)], axis=1)
                best = draws.argmin(axis=1)
                step[rows] = draws[np.arange(rows.size), best]
                target[rows] = np.array([to for to, _ in options])[best]
                ptr[rows] += width
            t = t + np.where(live, step, 0.0)
            moved = live & (t < horizons)
            state = np.where(moved, target, state)
            states_by_step.append(np.where(moved, state, -1))
            times_by_step.append(t)
            live = moved & ~absorbing[state]
        states = np.array(states_by_step).T.tolist()
        times = np.array(times_by_step).T.tolist()
        out = []
        for srow, trow in zip(states, times):
            k = srow.index(-1) if -1 in srow else len(srow)
            out.append((srow[:k], trow[:k]))
        return out


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
    def of(cls, name: str, m: Milestone, pathway: CompiledPathway) -> "CompiledMilestone":
        index = {n: i for i, n in enumerate(pathway.names)}
        after = m.after
        months = after.months if after is not None and after.months is not None else 0
        days = 0.0
        if after is not None and after.days is not None:
            days = float(after.days)
        elif after is not None and after.weeks is not None:
            days = 7.0 * after.weeks
        return cls(name, frozenset(index[s] for s in m.states), m.kind, m.repeatable or m.kind == "each_month", days, months)


def stays(path_states: Sequence[int], path_times: Sequence[float], states: frozenset[int], end: float):
    """(entry, exit) times of each unbroken stay in ``states``; an open stay exits at ``end``."""
    out = []
    entry = None
    for s, t in zip(path_states, path_times):
        inside = s in states
        if inside and entry is None:
            entry = t
        elif not inside and entry is not None:
            out.append((entry, t))
            entry = None
    if entry is not None:
        out.append((entry, end))
    return out


ENTERED, CONTINUOUS_DAYS, CONTINUOUS_MONTHS, EACH_MONTH = range(4)


class MilestoneBook:
    """All milestones of a scenario, evaluated together on a path (stays computed once per state set).

    This runs once per enrolment, so it is written for speed: kinds are small ints and the
    calendar look-ups are the clock's precomputed lists.
    """

    def __init__(self, milestones: Sequence[CompiledMilestone], clock: Clock, window_end: float):
        groups: dict[frozenset[int], list[tuple[int, int, float, int, bool]]] = {}
        for mi, m in enumerate(milestones):
            if m.kind == "entered":
                spec = (mi, ENTERED, 0.0, 0, m.repeatable)
            elif m.kind == "each_month":
                spec = (mi, EACH_MONTH, 0.0, 1, True)
            elif m.months:
                spec = (mi, CONTINUOUS_MONTHS, 0.0, m.months, m.repeatable)
            else:
                spec = (mi, CONTINUOUS_DAYS, m.days, 0, m.repeatable)
            groups.setdefault(m.states, []).append(spec)
        self.groups = list(groups.items())
        self.plus_months = clock.plus_months
        self.window_end = window_end

    def hits(self, path_states: Sequence[int], abs_times: Sequence[float], path_end: float) -> list[tuple[int, float]]:
        """(milestone index, time) of every milestone reached before the window ends, by time."""
        out: list[tuple[int, float]] = []
        window_end, plus_months = self.window_end, self.plus_months
        for states, specs in self.groups:
            spans = stays(path_states, abs_times, states, path_end)
            if not spans:
                continue
            for mi, kind, days, months, repeatable in specs:
                for entry, exit_ in spans:
                    if entry >= window_end:
                        break
                    if kind == ENTERED:
                        out.append((mi, entry))
                        found = True
                    elif kind == EACH_MONTH:
                        base, k = int(entry), 1
                        found = False
                        while True:
                            tau = entry + (plus_months(base, k) - base)
                            if tau >= exit_ or tau >= window_end:
                                break
                            out.append((mi, tau))
                            k += 1
                    else:
                        if kind == CONTINUOUS_MONTHS:
                            base = int(entry)
                            tau = entry + (plus_months(base, months) - base)
                        else:
                            tau = entry + days
                        found = tau < exit_ and tau < window_end
                        if found:
                            out.append((mi, tau))
                    if found and not repeatable:
                        break
        if len(out) > 1:
            out.sort(key=_by_time)
        return out


def _by_time(hit: tuple[int, float]) -> float:
    return hit[1]
