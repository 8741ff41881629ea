"""Referrals, places and enrolment: the part of a replication simpy arbitrates.

A referral that finds a free place is enrolled at once. One that finds all places taken
joins the waiting list (first in, first out) and waits for a place, for its maximum wait or
for the end of the service period, whichever comes first; a full waiting list turns it away.
A place is freed when the participant first enters a state that does not hold one. Nothing
else needs events: paths were sampled up front and milestones follow from them.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from functools import partial

import numpy as np
import simpy
from simpy.core import URGENT

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


class Departure(simpy.Timeout):
    """A place freed or a wait given up, ``delay`` days from now: a timeout that simpy
    processes before the ordinary events of the same instant (its URGENT priority), so a
    referral arriving then sees the place free and the list without the one who left. Set up
    as simpy's own ``Timeout`` sets itself up, with the other priority."""

    def __init__(self, env: simpy.Environment, delay: float, callback) -> None:
        self.env = env
        self.callbacks = [callback]
        self._value = None
        self._delay = delay
        self._ok = True
        env.schedule(self, URGENT, delay)


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
        """The queue as simpy events with callbacks: a referral's arrival, a place freed, a
        wait given up and the service's end each run a small function when simpy reaches
        them. At one instant, places freed and waits given up come first: a referral then
        finds the list as it is after them. (Places as a ``simpy.Resource`` and a process per
        waiting referral cost three times as much, and ordered such ties by which event
        happened to be made first: this is the engine's inner loop where places bind.)"""
        env = self.env = simpy.Environment()
        n = len(self.referred)
        self._times = self.referred.tolist()
        self._release = self.release_after.tolist()
        self._enrolled = [math.nan] * n
        self._left = [math.nan] * n
        self._lost: list[str | None] = [None] * n
        self._free = self.sc.capacity.places
        self._queue: deque[int] = deque()  # waiting referrals in order, and those no longer waiting
        self._waiting: set[int] = set()
        self._in_service = True
        self._in_contract = 0  # enrolled or waiting, against the contract maximum
        self._next = 0
        waiting_list = self.sc.capacity.waiting_list
        self._rules = (self.sc.participants.referrals.maximum, waiting_list.max_length, waiting_list.max_wait_days)
        env.timeout(self.service_end).callbacks.append(self._end_service)
        self._arrivals(None)
        env.run()
        self.enrolled = np.array(self._enrolled, dtype=float)
        self.left = np.array(self._left, dtype=float)
        self.lost = self._lost
        self._people = None

    def _arrivals(self, event: simpy.Event | None) -> None:
        """The referral this event was set for and every other due at the same instant, in
        order; then wait for the next one."""
        env, times = self.env, self._times
        maximum, max_length, max_wait = self._rules
        due = event is not None  # even where now + (t - now) missed t in the last bit
        while self._next < len(times):
            i, t = self._next, times[self._next]
            if t > env.now and not due:
                env.timeout(t - env.now).callbacks.append(self._arrivals)
                return
            due = False
            self._next += 1
            if maximum is not None and self._in_contract >= maximum:
                self._lost[i], self._left[i] = CONTRACT_FULL, t
            elif self._free and not self._waiting:
                self._in_contract += 1
                self._free -= 1
                self._enrol(i, t)  # at once: at the referral time itself
            elif max_length is not None and len(self._waiting) >= max_length:
                self._lost[i], self._left[i] = LIST_FULL, env.now
            else:
                self._in_contract += 1
                self._queue.append(i)
                self._waiting.add(i)
                if max_wait is not None:
                    Departure(env, max_wait, partial(self._give_up, i))

    def _enrol(self, i: int, now: float) -> None:
        """Enrol referral i at ``now``; its place is freed when its path first leaves the
        states that hold one, if that is before the service ends."""
        self._enrolled[i] = now
        release = now + self._release[i]
        if release < self.service_end:
            Departure(self.env, release - self.env.now, self._freed)

    def _freed(self, _event: simpy.Event) -> None:
        """A place is free: the first still waiting takes it, or it stays free."""
        if not self._in_service:
            return
        while self._queue:
            i = self._queue.popleft()
            if i in self._waiting:
                self._waiting.discard(i)
                self._enrol(i, self.env.now)
                return
        self._free += 1

    def _give_up(self, i: int, _event: simpy.Event) -> None:
        """Referral i waited as long as it may: lost, if it is still waiting."""
        if i in self._waiting:
            self._waiting.discard(i)
            self._lost[i], self._left[i] = MAX_WAIT, self.env.now
            self._in_contract -= 1

    def _end_service(self, _event: simpy.Event) -> None:
        """The service is over: whoever still waits is lost, and no place matters any more."""
        self._in_service = False
        for i in self._queue:
            if i in self._waiting:
                self._lost[i], self._left[i] = SERVICE_ENDED, self.env.now
        self._waiting.clear()
        self._queue.clear()
