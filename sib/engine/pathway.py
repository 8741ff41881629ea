"""A participant's path through the pathway, and the milestones it reaches.

Paths are sampled whole, on enrolment, from the participant's own uniforms: the engine then
needs events only where something interacts (a place released, an exit), and milestone dates
follow from the path by calendar arithmetic instead of waiting for each one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, Sequence

from sib.calendar import Clock
from sib.scenario.distributions import Sampler
from sib.scenario.schema import Milestone, Scenario

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

    def sample(self, uniforms: Iterator[float], horizon: float) -> tuple[list[int], list[float]]:
        """States entered and their entry times (days from enrolment), up to ``horizon``.

        Competing risks: from each state every transition draws its time, the earliest wins.
        Each visit consumes one uniform per outgoing transition, in declaration order.
        """
        state = self.start
        states, times = [state], [0.0]
        t = 0.0
        transitions = self.transitions
        while True:
            options = transitions[state]
            if not options:
                return states, times
            best, nxt = INF, -1
            for target, sampler in options:
                d = sampler(next(uniforms))
                if d < best:
                    best, nxt = d, target
            t += best
            if t >= horizon:
                return states, times
            state = nxt
            states.append(state)
            times.append(t)


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


class MilestoneBook:
    """All milestones of a scenario, evaluated together on a path (stays computed once per state set)."""

    def __init__(self, milestones: Sequence[CompiledMilestone], clock: Clock, window_end: float):
        groups: dict[frozenset[int], list[int]] = {}
        for mi, m in enumerate(milestones):
            groups.setdefault(m.states, []).append(mi)
        self.groups = [(states, [(mi, milestones[mi]) for mi in members]) for states, members in groups.items()]
        self.plus_months = clock.plus_months
        self.window_end = window_end

    def hits(self, path_states: Sequence[int], abs_times: Sequence[float], path_end: float) -> list[tuple[int, float]]:
        """(milestone index, time) of every milestone reached before the window ends, by time."""
        out: list[tuple[int, float]] = []
        window_end, plus_months = self.window_end, self.plus_months
        for states, members in self.groups:
            spans = stays(path_states, abs_times, states, path_end)
            if not spans:
                continue
            for mi, m in members:
                for tau in _times(m, spans, window_end, plus_months):
                    out.append((mi, tau))
        out.sort(key=_by_time)
        return out


def _by_time(hit: tuple[int, float]) -> float:
    return hit[1]


def _times(m: CompiledMilestone, spans, window_end: float, plus_months) -> list[float]:
    hits: list[float] = []
    for entry, exit_ in spans:
        if m.kind == "entered":
            if entry < window_end:
                hits.append(entry)
        elif m.kind == "continuous":
            if m.months:
                base = int(entry)
                tau = entry + (plus_months(base, m.months) - base)
            else:
                tau = entry + m.days
            if tau < exit_ and tau < window_end:
                hits.append(tau)
        else:  # each full calendar month in the state
            base, k = int(entry), 1
            while True:
                tau = entry + (plus_months(base, k) - base)
                if tau >= exit_ or tau >= window_end:
                    break
                hits.append(tau)
                k += 1
        if hits and not m.repeatable:
            return hits[:1]
    return hits
