"""Referrals, places and enrolment: the part of a replication simpy arbitrates.

A referral that finds a free place is enrolled at once. One that finds all places taken
becomes a simpy process waiting for a place, for its maximum wait or for the end of the
service period, whichever comes first; a full waiting list turns it away. A place is freed
when the participant first enters a state that does not hold one. Nothing else needs events:
paths were sampled up front and milestones follow from them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import simpy

from sib.engine.compiled import Compiled
from sib.engine.pathway import Paths
from sib.engine.streams import Streams, UniformTable

LIST_FULL, MAX_WAIT, SERVICE_ENDED, CONTRACT_FULL = "list_full", "max_wait", "service_ended", "contract_full"


@dataclass(slots=True)
class Person:
    """What happened to one referral: referred, then enrolled or lost (and when)."""

    index: int
    referred: float
    enrolled: float = math.nan
    lost: str | None = None
    left: float = math.nan  # when a lost referral was lost

    @property
    def is_enrolled(self) -> bool:
        return self.enrolled == self.enrolled  # not NaN


def referral_times(compiled: Compiled, rng: np.random.Generator, until: float) -> np.ndarray:
    """Referral times in days, sorted: scheduled cohorts, or a piecewise-constant Poisson stream."""
    ref = compiled.scenario.participants.referrals
    if ref.cohorts is not None:
        clock = compiled.clock
        days = [float(clock.day(c.date)) for c in sorted(ref.cohorts, key=lambda c: c.date) for _ in range(c.size)]
        times = np.array(days)
    else:
        parts = []
        for a, b, per_day in compiled.referral_segments:
            n = int(rng.poisson(per_day * (b - a)))
            parts.append(np.sort(a + (b - a) * rng.random(n)))
        times = np.concatenate(parts) if parts else np.zeros(0)
    return times[times < until]


class Intake:
    """Runs referrals through places and the waiting list.

    The outcome is kept as arrays, one entry per referral (``referred``, ``enrolled``,
    ``left``, ``lost``); ``people`` gives the same as ``Person`` objects, built only when asked
    for (pricing and the benchmark never are)."""

    def __init__(self, compiled: Compiled, streams: Streams, service_end: int | None = None, previous: Intake | None = None):
        """``service_end`` earlier than the contract's: the service stopped that day. With
        ``previous``, an intake of the same replication that ran at least as long, its draws
        are reused: the referrals are the first of its referrals, and their paths are theirs
        (each path reads only its own row of uniforms, up to the same outcome window)."""
        self.k = compiled
        self.sc = compiled.scenario
        self.service_end = compiled.service_end if service_end is None else min(service_end, compiled.service_end)
        if previous is not None and previous.service_end >= self.service_end:
            self._reuse(previous)
            return
        times = referral_times(compiled, streams.arrivals(), self.service_end)
        n = len(times)
        self.referred = times
        self.enrolled = np.full(n, math.nan)
        self.left = np.full(n, math.nan)  # when a lost referral was lost
        self.lost: list[str | None] = [None] * n
        self._people: list[Person] | None = None
        table = UniformTable(streams.participants_seed, n)
        self.paths: Paths = compiled.pathway.sample_all(table, compiled.window_end - times)
        # First time on each path (from enrolment) at which no place is held.
        holds = np.array(compiled.pathway.holds_place + (False,))
        free = ~holds[self.paths.states] & (self.paths.states >= 0)
        any_free = free.any(axis=1)
        first = np.where(any_free, free.argmax(axis=1), 0)
        self.release_after = np.where(any_free, self.paths.times[np.arange(n), first], math.inf)

    def _reuse(self, previous: Intake) -> None:
        """The first referrals of ``previous`` (those before this service end) and their paths."""
        n = int(np.searchsorted(previous.referred, self.service_end, side="left"))  # times < service end
        self.referred = previous.referred[:n]
        self.enrolled = np.full(n, math.nan)
        self.left = np.full(n, math.nan)
        self.lost = [None] * n
        self._people = None
        self.paths = Paths(previous.paths.states[:n], previous.paths.times[:n])
        self.release_after = previous.release_after[:n]

    def run(self) -> Intake:
        if self.sc.capacity.places is None or self._nobody_waits():
            self._without_places()
        else:
            self._with_places()
        return self

    @property
    def people(self) -> list[Person]:
        """What happened to each referral, as ``Person`` objects."""
        if self._people is None:
            self._people = [
                Person(i, t, e, lost, left)
                for i, (t, e, lost, left) in enumerate(zip(self.referred.tolist(), self.enrolled.tolist(), self.lost, self.left.tolist()))
            ]
        return self._people

    def _admitted(self) -> int:
        """How many referrals the contract maximum admits (enrolled or waiting)."""
        maximum = self.sc.participants.referrals.maximum
        return len(self.referred) if maximum is None else min(maximum, len(self.referred))

    def _nobody_waits(self) -> bool:
        """Whether every admitted referral would find a free place on arrival.

        Then simpy would enrol each at once and nobody would wait, so the queue need not be
        run: the outcome is the same, only faster. Holding ends at the first state without a
        place, if that comes before the service period ends (places are not freed after).
        """
        n = self._admitted()
        t = self.referred[:n]
        hold = self.release_after[:n]
        ends = np.where(t + hold < self.service_end, t + hold, math.inf)
        occupied = np.arange(n) - np.searchsorted(np.sort(ends), t, side="right")
        return bool((occupied < self.sc.capacity.places).all())

    def _without_places(self) -> None:
        n = self._admitted()
        self.enrolled[:n] = self.referred[:n]
        if n < len(self.referred):
            self.left[n:] = self.referred[n:]
            self.lost[n:] = [CONTRACT_FULL] * (len(self.referred) - n)

    def _with_places(self) -> None:
        env = self.env = simpy.Environment()
        self.places = simpy.Resource(env, capacity=self.sc.capacity.places)
        self.service_over = env.event()
        self.in_service = True
        self.admitted = 0  # enrolled or waiting, against the contract maximum
        self._release = self.release_after.tolist()
        people = [Person(i, t) for i, t in enumerate(self.referred.tolist())]
        env.process(self._referrals(people))
        env.timeout(self.service_end).callbacks.append(self._end_service)
        env.run()
        self.enrolled = np.array([p.enrolled for p in people], dtype=float)
        self.left = np.array([p.left for p in people], dtype=float)
        self.lost = [p.lost for p in people]
        self._people = people

    def _end_service(self, _event: simpy.Event) -> None:
        self.in_service = False
        self.service_over.succeed()

    def _referrals(self, people: list[Person]):
        env, places = self.env, self.places
        maximum = self.sc.participants.referrals.maximum
        max_length = self.sc.capacity.waiting_list.max_length
        for person in people:
            if person.referred > env.now:
                yield env.timeout(person.referred - env.now)
            if maximum is not None and self.admitted >= maximum:
                person.lost, person.left = CONTRACT_FULL, person.referred
                continue
            if places.count < places.capacity and not places.queue:
                self.admitted += 1
                self._enrol(person, places.request(), person.referred)  # granted at once
            elif max_length is not None and len(places.queue) >= max_length:
                person.lost, person.left = LIST_FULL, env.now
            else:
                self.admitted += 1
                # The request joins the queue now, not when the process first runs, so the
                # next referral at this same instant sees it in the list's length.
                env.process(self._wait(person, places.request()))

    def _wait(self, person: Person, req: simpy.resources.resource.Request):
        env, places = self.env, self.places
        waits = [req, self.service_over]
        max_wait = self.sc.capacity.waiting_list.max_wait_days
        if max_wait is not None:
            waits.append(env.timeout(max_wait))
        yield env.any_of(waits)
        if req.triggered and self.in_service:
            self._enrol(person, req, env.now)
            return
        if req.triggered:
            places.release(req)
        else:
            req.cancel()
        person.lost = MAX_WAIT if self.in_service else SERVICE_ENDED
        person.left = env.now
        self.admitted -= 1

    def _enrol(self, person: Person, req: simpy.resources.resource.Request, now: float) -> None:
        """Enrol at ``now`` (the referral time itself when a place was free: the simulation
        clock reached it as now + (t - now), which may differ in the last bit)."""
        person.enrolled = now
        release = now + self._release[person.index]
        if release < self.service_end:
            self.env.timeout(release - self.env.now).callbacks.append(lambda _e: self.places.release(req))
