"""One replication as a simpy model: referrals, places, participants, and the money calendar.

simpy arbitrates only what interacts: arrivals, places (a ``Resource``), exits that change the
caseload, and the calendar days on which money moves. Paths and milestone dates are computed
on enrolment (see ``pathway``), so a participant costs a handful of events, not one per day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import simpy
from simpy.core import URGENT

from sib.engine.compiled import (
    CLOSE_MONTH,
    EMPLOYER_FEES,
    OVERHEAD,
    SALARIES,
    SERVICE_END,
    START,
    Compiled,
    ceil_div,
)
from sib.engine.ledger import CATEGORY, NO_ID, Ledger, Party, round_ore
from sib.engine.pathway import INF
from sib.engine.streams import Streams, UniformTable
from sib.engine.terms import Terms, settled_units

COMMISSIONER, PROVIDER, STATE, EXTERNAL = Party.COMMISSIONER, Party.PROVIDER, Party.STATE, Party.EXTERNAL
INTAKE = CATEGORY["intake"]
LOST_LIST_FULL, LOST_MAX_WAIT, LOST_SERVICE_END, DECLINED_FULL = "list_full", "max_wait", "service_ended", "contract_full"


@dataclass
class Person:
    """What happened to one referral: compact, turned into the events table on demand."""

    index: int
    referred: float
    enrolled: float = math.nan
    lost: str | None = None
    left: float = math.nan  # when a lost referral was lost
    states: list[int] | None = None
    times: list[float] | None = None  # absolute entry times of ``states``
    hits: list[tuple[int, float]] | None = None  # (milestone index, time)


class Model:
    """Builds and runs the simpy environment for one replication."""

    def __init__(self, compiled: Compiled, terms: Terms, streams: Streams):
        self.k = compiled
        self.sc = compiled.scenario
        self.terms = terms
        self.streams = streams
        self.env = simpy.Environment()
        places = self.sc.capacity.places
        self.places = simpy.Resource(self.env, capacity=places) if places is not None else None
        self.service_over = self.env.event()
        self.ledger = Ledger(compiled.clock, round_ore(self.sc.provider.opening_equity))
        self.people: list[Person] = []
        self.admitted = 0  # enrolled or waiting, for the contract maximum
        self.in_service = True
        # Caseload integral: participant-days per month, updated when the count changes.
        self.active = 0
        self._last_t = 0.0
        self._pdays = 0.0
        self.participant_days: list[float] = []
        # Claims waiting for their invoice, keyed by invoice day: (reach day, person, item, seq).
        self.claims: dict[int, list[tuple[int, int, int, int]]] = {}
        self.claims_accepted: list[tuple[int, int, int]] = []  # (person, item, reach day)
        self.claims_rejected = 0
        self.settled_counts = [0] * len(compiled.rate_names)
        self.pending_fixed: list[tuple[int, int, int]] = []  # (category, öre, accrued day)
        self.paid_to_participant: dict[int, int] = {}
        self.outcome_paid_total = 0
        self.invoices = 0
        self.salary_paid: dict[int, int] = {}
        self.fixed_billed = 0  # öre of fixed payments invoiced (pricing reads this)
        self.settle_invoice_day = compiled.invoice_day[compiled.verify(compiled.window_end - 1)]
        self.has_rate_card = bool(compiled.rate_names)
        self.rejected_share = self.sc.contract.rejected_share
        self.intake_cost = self.sc.provider.costs.per_intake

    # ------------------------------------------------------------------ running

    def run(self) -> None:
        env = self.env
        env.process(self._referrals())
        env.process(self._calendar())
        env.run(until=self.k.end + 1)
        self.ledger.close(self.k.last_month)

    def _at(self, delay: float) -> simpy.Event:
        """A timeout that runs before ordinary events at the same moment (calendar first)."""
        ev = simpy.Event(self.env)
        ev._ok, ev._value = True, None
        self.env.schedule(ev, URGENT, delay)
        return ev

    # ------------------------------------------------------------------ participants

    def _referral_times(self) -> list[float]:
        ref = self.sc.participants.referrals
        if ref.cohorts is not None:
            clock = self.k.clock
            return [float(clock.day(c.date)) for c in sorted(ref.cohorts, key=lambda c: c.date) for _ in range(c.size)]
        rng = self.streams.arrivals
        times: list[float] = []
        for a, b, per_day in self.k.referral_segments:
            n = int(rng.poisson(per_day * (b - a)))
            times.extend(sorted((a + (b - a) * rng.random(n)).tolist()))
        return times

    def _referrals(self):
        env, k = self.env, self.k
        maximum = self.sc.participants.referrals.maximum
        service_end = k.service_end
        times = [t for t in self._referral_times() if t < service_end]
        # Every referral's path, sampled at once from its own row of uniforms; the path is cut
        # at the outcome window's end as seen from the referral, and again on enrolment.
        table = UniformTable(self.streams.participants_seed, len(times))
        self.paths = k.pathway.sample_all(table, k.window_end - np.asarray(times, dtype=float))
        self.verification = UniformTable(self.streams.verification_seed, len(times))
        for i, t in enumerate(times):
            if t > env.now:
                yield env.timeout(t - env.now)
            person = Person(i, t)
            self.people.append(person)
            if maximum is not None and self.admitted >= maximum:
                person.lost, person.left = DECLINED_FULL, t
                continue
            env.process(self._participant(person))

    def _participant(self, person: Person):
        env, places = self.env, self.places
        self.admitted += 1
        req = None
        if places is not None:
            wl = self.sc.capacity.waiting_list
            busy = places.count >= places.capacity or places.queue
            if busy and wl.max_length is not None and len(places.queue) >= wl.max_length:
                person.lost, person.left = LOST_LIST_FULL, env.now
                self.admitted -= 1
                return
            req = places.request()
            if busy:
                waits = [req, self.service_over]
                if wl.max_wait_days is not None:
                    waits.append(env.timeout(wl.max_wait_days))
                yield env.any_of(waits)
                if not req.triggered or not self.in_service:
                    req.cancel() if not req.triggered else places.release(req)
                    person.lost = LOST_SERVICE_END if not self.in_service else LOST_MAX_WAIT
                    person.left = env.now
                    self.admitted -= 1
                    return
            # A free place is granted at once (Resource.request succeeds synchronously).
        yield from self._follow_pathway(person, req)

    def _follow_pathway(self, person: Person, req):
        env, k = self.env, self.k
        now = env.now
        person.enrolled = now
        states, rel = self.paths[person.index]
        horizon = k.window_end - now
        if rel[-1] >= horizon:  # enrolled after waiting: the window leaves less of the path
            cut = next(j for j, x in enumerate(rel) if x >= horizon)
            states, rel = states[:cut], rel[:cut]
        times = [now + x for x in rel]
        person.states, person.times = states, times
        last_absorbing = k.pathway.absorbing[states[-1]]
        path_end = times[-1] if last_absorbing else INF
        person.hits = k.book.hits(states, times, path_end)
        if person.hits and self.has_rate_card:
            self._register_claims(person)
        self._change_active(+1)
        if self.intake_cost:
            day = int(now)
            self.ledger.post(day, PROVIDER, EXTERNAL, INTAKE, self._price_indexed(self.intake_cost, day), person.index)
        service_end = k.service_end
        if req is not None:
            holds = k.pathway.holds_place
            release = INF
            for s, t in zip(states, times):
                if not holds[s]:
                    release = t
                    break
            if release < service_end:
                yield env.timeout(release - now)
                self.places.release(req)
        if path_end < service_end:
            yield env.timeout(path_end - env.now)
            self._change_active(-1)

    def _change_active(self, delta: int) -> None:
        if self.in_service:
            now = self.env.now
            self._pdays += self.active * (now - self._last_t)
            self._last_t = now
            self.active += delta

    def _register_claims(self, person: Person) -> None:
        """File each priced milestone as a claim on the invoice that will bill it."""
        k = self.k
        item_of, settled, bill_day, claims = k.item_of_milestone, k.settled_items, k.bill_day, self.claims
        rejected_share = self.rejected_share
        draws = self.verification if rejected_share > 0 else None
        index = person.index
        seq = 0
        for mi, tau in person.hits:
            item = item_of[mi]
            if item < 0:
                continue
            reach = int(tau)
            seq += 1
            if draws is not None and draws.value(index, seq - 1) < rejected_share:
                self.claims_rejected += 1
                continue
            self.claims_accepted.append((index, item, reach))
            if item in settled:
                self.settled_counts[item] += 1
                continue
            day = bill_day[reach]
            if day in claims:
                claims[day].append((reach, index, item, seq))
            else:
                claims[day] = [(reach, index, item, seq)]

    # ------------------------------------------------------------------ money calendar

    def _calendar(self):
        env = self.env
        handlers = {
            CLOSE_MONTH: self._close_month,
            SERVICE_END: self._service_end,
            START: self._start,
            OVERHEAD: self._overhead,
            EMPLOYER_FEES: self._employer_fees,
            SALARIES: self._salaries,
        }
        for t, kind, month in self.k.calendar:
            if t > env.now:
                yield self._at(t - env.now)
            handlers[kind](month)

    def _index(self, rate: float, day: int) -> float:
        """Indexation factor on ``day``: one step each 1 January after the start."""
        years = self.k.year_of_day[day]
        return (1.0 + rate) ** years if years and rate else 1.0

    def _price_indexed(self, amount: float, day: int) -> int:
        return round_ore(amount * self._index(self.sc.provider.costs.indexation.prices, day))

    def _start(self, _month: int) -> None:
        costs = self.sc.provider.costs
        self.ledger.post(0, PROVIDER, EXTERNAL, CATEGORY["start_up"], round_ore(costs.start_up))
        if self.terms.upfront:
            self._issue_invoice(0, [(CATEGORY["upfront_payment"], self.terms.upfront, 0, NO_ID)])

    def _overhead(self, month: int) -> None:
        """Overhead for a calendar month of service, pro rata when the service covers part of it."""
        clock, k = self.k.clock, self.k
        first, nxt = clock.month_starts[month], clock.month_starts[month + 1]
        day = max(first, 0)
        share = (min(nxt, k.service_end) - day) / (nxt - first)
        amount = self._price_indexed(self.sc.provider.costs.fixed_per_month * share, day)
        self.ledger.post(day, PROVIDER, EXTERNAL, CATEGORY["overhead"], amount)

    def _salaries(self, month: int) -> None:
        cl = self.sc.provider.costs.caseload
        if cl is None:
            return
        day = int(self.env.now)
        workers = max(cl.minimum_caseworkers, ceil_div(self.active, cl.participants_per_caseworker))
        gross = round_ore(workers * cl.monthly_salary * self._index(self.sc.provider.costs.indexation.wages, day))
        self.salary_paid[month] = gross
        self.ledger.post(day, PROVIDER, EXTERNAL, CATEGORY["salaries"], gross)

    def _employer_fees(self, month: int) -> None:
        cl = self.sc.provider.costs.caseload
        gross = self.salary_paid.get(month, 0)
        if cl is not None and gross:
            self.ledger.post(int(self.env.now), PROVIDER, STATE, CATEGORY["employer_fees"], int(gross * cl.employer_fee_rate + 0.5))

    def _service_end(self, _month: int) -> None:
        self._change_active(0)
        self.in_service = False
        self.service_over.succeed()

    def _close_month(self, month: int) -> None:
        """Month end: participant-months, direct costs, fixed fees, and the invoice if due."""
        k, clock = self.k, self.k.clock
        first, nxt = clock.month_starts[month], clock.month_starts[month + 1]
        last_day = nxt - 1
        self._change_active(0)
        pdays, self._pdays = self._pdays, 0.0
        self.participant_days.append(pdays)
        dim = nxt - first
        service_days = max(0, min(nxt, k.service_end) - max(first, 0))
        if last_day < 0:
            return
        direct = self.sc.provider.costs.per_participant_month
        if direct and pdays:
            self.ledger.post(last_day, PROVIDER, EXTERNAL, CATEGORY["direct_costs"], self._price_indexed(direct * pdays / dim, last_day))
        t = self.terms
        if service_days:
            if t.monthly:
                self.pending_fixed.append((CATEGORY["fixed_monthly"], int(t.monthly * service_days / dim + 0.5), last_day))
            if t.per_participant_month and pdays:
                self.pending_fixed.append((CATEGORY["fixed_participant_months"], int(t.per_participant_month * pdays / dim + 0.5), last_day))
        if last_day < len(k.invoice_day) and k.invoice_day[last_day] == last_day:
            self._invoice_period(last_day)

    def _invoice_period(self, day: int) -> None:
        lines = [(cat, amount, accrued, NO_ID) for cat, amount, accrued in self.pending_fixed]
        self.pending_fixed = []
        t = self.terms
        for reach, person, item, _seq in sorted(self.claims.pop(day, [])):
            amount = t.prices[item]
            if t.cap_per_participant is not None:
                amount = min(amount, t.cap_per_participant - self.paid_to_participant.get(person, 0))
            if t.cap_total is not None:
                amount = min(amount, t.cap_total - self.outcome_paid_total)
            if amount > 0:
                self.paid_to_participant[person] = self.paid_to_participant.get(person, 0) + amount
                self.outcome_paid_total += amount
                lines.append((CATEGORY["outcome_payment"], amount, reach, person))
        if day == self.settle_invoice_day:
            lines.extend(self._settle_cohort())
        if lines:
            self._issue_invoice(day, lines)

    def _settle_cohort(self) -> list[tuple[int, int, int, int]]:
        """Tiers and baselines, settled once on the whole cohort after the outcome window."""
        k, t = self.k, self.terms
        enrolled = sum(1 for p in self.people if p.states is not None)
        out = []
        for item, name in enumerate(k.rate_names):
            if item not in k.settled_items or not enrolled:
                continue
            units = settled_units(self.sc.contract.rate_card[name], self.settled_counts[item], enrolled)
            amount = units * t.prices[item]
            if t.cap_total is not None:
                amount = min(amount, t.cap_total - self.outcome_paid_total)
            if amount > 0:
                self.outcome_paid_total += amount
                out.append((CATEGORY["cohort_outcome_payment"], amount, k.window_end - 1, NO_ID))
        return out

    def _issue_invoice(self, day: int, lines: list[tuple[int, int, int, int]]) -> None:
        """Bill the commissioner; the invoice is paid after the payment terms."""
        self.invoices += 1
        number = self.invoices
        self.fixed_billed += sum(a for c, a, _, _ in lines if c in _FIXED)
        pay_day = day + self.sc.contract.payment_terms_days
        if pay_day <= self.env.now:  # paid on the invoice day itself
            self._pay(day, number, lines)
            return
        ev = self.env.timeout(pay_day - self.env.now)
        ev.callbacks.append(lambda _e: self._pay(pay_day, number, lines))

    def _pay(self, day: int, number: int, lines: list[tuple[int, int, int, int]]) -> None:
        self.ledger.post_lines(day, COMMISSIONER, PROVIDER, number, lines)


_FIXED = {CATEGORY["upfront_payment"], CATEGORY["fixed_monthly"], CATEGORY["fixed_participant_months"]}
