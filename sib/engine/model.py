"""One replication: intake (simpy) → paths and milestones → claims → money flows → ledger.

Only referrals, places and the waiting list interact, so only they run as simpy events (see
``participants``). Everything after is a function of who enrolled when: milestone dates by
calendar arithmetic on the sampled paths, claims by verification, payments and costs as
dated flows, and the ledger as those flows in date order.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from sib.engine import pathway_kernels as kernels
from sib.engine.administration import commissioner_costs
from sib.engine.compiled import Compiled
from sib.engine.continuation import continuation_flows
from sib.engine.costs import provider_costs, support_end_day
from sib.engine.day_rate import DayClaims, day_claims
from sib.engine.employment import days_per_month, employment_flows, lease_flows, unpaid_jobs
from sib.engine.invoice_financing import REPAYMENT_MOMENT, invoice_advances
from sib.engine.ledger import (
    CATEGORY,
    COMMISSIONER,
    EXTERNAL,
    NO_ID,
    PROVIDER,
    ROW_FIELDS,
    START_OF_DAY,
    Flows,
    Ledger,
    Rows,
    category_mask,
    round_ore,
)
from sib.engine.liquidity import Shortfall, assess
from sib.engine.participants import Intake, Person
from sib.engine.pathway import Hits, Paths
from sib.engine.payments import Claims, commissioner_payments, comparison_shares, verify
from sib.engine.streams import Streams, UniformTable
from sib.engine.terms import Terms
from sib.engine.treasury import Account, Treasury
from sib.engine.vat import vat_flows

INF = math.inf


@dataclass(frozen=True)
class Participants:
    """Who was referred and enrolled, and what became of them, up to a day: their paths cut at
    the outcome window's end (``segments``: participant, state, entry and exit times), the
    milestones they reached (``hits``) and those verified (``claims``, ``day_claims``), when
    each left the pathway (``path_end``), stopped being followed (``followed_until``) or left
    support (``exited``), and the participant-days in each month. ``verification``: the
    uniforms claims are verified with, row i participant i's whatever else is drawn, kept for
    a rerun up to a stop day. A value: computed once, shared by designs, never changed."""

    intake: Intake
    verification: UniformTable
    paths: Paths
    enrolled_ids: np.ndarray
    enrolled_at: np.ndarray
    service_end: int
    window_end: int
    support_end: int
    segments: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    path_end: np.ndarray
    followed_until: np.ndarray
    hits: Hits
    day_claims: DayClaims
    claims: Claims
    exited: np.ndarray
    participant_days: np.ndarray


@dataclass(frozen=True)
class Start:
    """A replication up to the moment money meets financing: who was referred, enrolled and
    reached which milestone (``participants``), what the provider spends on them and earns
    besides the contract (``spending``), and with the contract's payments, every flow in order
    (``base``; ``fixed_billed``: the fixed payments invoiced; ``invoice_days``: when each invoice
    was issued).

    None of it reads the financing or the insolvency rule, so designs that differ in those
    alone (a guarantee or not, another credit line) have the same start in replication i; and
    designs that differ in the contract's prices too (another outcome share, say) have the same
    participants and spending. A comparison computes what they share once. What a design
    reads from a start is never changed by another: arrays and flows are only read, and a
    table of uniforms that grows gives every row the same numbers whenever it is made."""

    participants: Participants
    spending: Flows
    base: Rows
    fixed_billed: int
    invoice_days: np.ndarray


class Model:
    """Runs one replication of a compiled scenario under priced terms."""

    def __init__(self, compiled: Compiled, terms: Terms, streams: Streams, finance: bool = True):
        """``finance=False`` leaves out financing and insolvency: the contract as priced, at
        expected performance, whatever the provider's cash (pricing uses this)."""
        self.k = compiled
        self.sc = compiled.scenario
        self.terms = terms
        self.streams = streams
        self.finance = finance
        #: Everybody in the contract; after a stop, those the municipality carries on (the
        #: claims stay those the provider made before it).
        self.participants: Participants | None = None
        self.fixed_billed = 0
        self.invoice_days = np.zeros(0, dtype=np.int64)  # the day each invoice was issued
        self.ledger: Ledger | None = None
        self.account: Account | None = None
        self.stopped_at: int | None = None
        self.start: Start | None = None
        #: Per rate-card item, the share of its comparison group's sample that reached it.
        self.comparison = comparison_shares(compiled, streams)

    def run(self, start: Start | None = None, paid_alike: bool = False) -> Model:
        """The replication, from the ``start`` of the same replication of a design with the
        same participants and spending, if given; ``paid_alike``: its contract pays alike too
        (it differs from this one in its financing and insolvency rule only)."""
        k = self.k
        if start is None:
            people = self._participants(None)
            spending = self._spending(people)
        else:
            people, spending = start.participants, start.spending
        self.participants = people
        if start is not None and paid_alike:
            base, self.fixed_billed, self.invoice_days = start.base, start.fixed_billed, start.invoice_days
        else:
            base, self.fixed_billed, self.invoice_days = self._flows(people, spending.copy(), costs=True)
        self.start = Start(people, spending, base, self.fixed_billed, self.invoice_days)
        opening = round_ore(self.sc.provider.opening_equity)
        treasury = Treasury(k, opening, active=self.finance)
        account = treasury.walk(base)
        self.shortfall: Shortfall | None = None
        if self.finance and treasury.first_short is not None:
            base, account = self._short_of_cash(base, account)
        #: The account walked without a stop: its liquidity is what the provider would have
        #: needed (the funding need), whatever the insolvency rule.
        self.unstopped = account
        self.stopped_at = None
        self.taken_over = 0
        if self.shortfall is not None and self.shortfall.insolvent and self.sc.insolvency.rule == "stop":
            base, stop_from = self._insolvency_in(base, account)
            treasury = Treasury(k, opening)
            failed = treasury.walk(base, stop_from, self.shortfall.insolvent_day).failed_at
            assert failed is not None, "the stop walk refuses the payment the insolvency test fired at"
            account = self._stop(treasury, base, failed)
        self.account = account
        credit = round(self.sc.financing.credit_limit * 100)
        self.ledger = account.rows.ledger(k.clock, opening, k.last_month, account.liquidity, credit)
        return self

    def _short_of_cash(self, base: Rows, account: Account) -> tuple[Rows, Account]:
        """The provider ran short: the late-payment interest on its bills paid late joins its
        payments, the account is walked again, and the insolvency test is read from that walk
        (``liquidity``). Returns the payments and the account walked without a stop."""
        ins = self.sc.insolvency
        grace = (ins.grace_days.suppliers, ins.grace_days.rent)

        def assessed(acc: Account) -> Shortfall:
            rows = acc.rows
            return assess(
                rows.day,
                rows.payer,
                rows.category,
                rows.amount,
                acc.liquidity,
                grace,
                ins.late_interest_rate,
                ins.max_days_short,
                self.k.end,
            )

        terms = self.sc.financing.invoice_financing
        if terms is not None:  # the provider finances approved invoices before it pays late
            advances = invoice_advances(account.rows, account.liquidity, self.invoice_days, terms)
            if advances is not None:
                base = _merge(base, advances)
                account = Treasury(self.k, round_ore(self.sc.provider.opening_equity)).walk(base)
        found = assessed(account)
        if found.interest.size and found.interest.sum() > 0:
            rows, at = account.rows, found.interest_row
            flows = Flows()
            paid = found.interest > 0
            flows.add(
                found.interest_day[paid],
                rows.phase[at][paid],
                PROVIDER,
                EXTERNAL,
                CATEGORY["overdue_interest"],
                found.interest[paid],
                moment=rows.moment[at][paid],
            )
            base = _merge(base, flows.unordered())
            account = Treasury(self.k, round_ore(self.sc.provider.opening_equity)).walk(base)
            found = assessed(account)
        self.shortfall = found
        return base, account

    def _insolvency_in(self, base: Rows, account: Account) -> tuple[Rows, int]:
        """Where the stop walk must refuse a payment: the base row the insolvency test fired
        at. Where it fired at the start of a day (a bill's grace ran out, no payment was due),
        a payment of nothing that day stands for the demand the provider cannot meet: a walk
        refuses any payment while liquidity is below zero, so it stops there."""
        found = self.shortfall
        if not found.at_start_of_day:
            return base, int(account.base_before[found.insolvent_row])

        def one(value: float, dtype: type = np.int64) -> np.ndarray:
            return np.array([value], dtype=dtype)

        demand = Rows(
            one(found.insolvent_day),
            one(START_OF_DAY),
            one(-10.0, float),
            one(PROVIDER),
            one(EXTERNAL),
            one(CATEGORY["unpaid_at_stop"]),
            one(0),
            one(NO_ID),
            one(NO_ID),
            one(found.insolvent_day),
        )
        base = _merge(base, demand)
        return base, int(np.searchsorted(base.day, found.insolvent_day, side="left"))

    def _stop(self, treasury: Treasury, base: Rows, failed: tuple[int, int, float]) -> Account:
        """The service ends on the stop day: the estate is owed what was delivered and reached
        before it, and winds up; the municipality carries the participants on. The people's
        paths carry on unchanged: after the estate's payments are computed, the model's
        participants are those of the whole contract again (only the claims stay the provider's)."""
        k = self.k
        people = self.start.participants
        self.stopped_at = failed[0]
        stopped = self._participants(self.stopped_at, people)
        subsidies = Flows()
        employment_flows(k, subsidies, *stopped.segments, stopped.support_end, subsidy_only=True)
        later, self.fixed_billed, self.invoice_days = self._flows(stopped, subsidies, costs=False)
        after = later.take(np.flatnonzero(_key_after(later, failed)))
        unpaid = treasury.refused + _unpaid(base, treasury.refused_from, failed[0]) + _vat_collected(after)
        after = _merge(after, _advances_collected(base, treasury.refused_from))
        self.participants = dataclasses.replace(people, claims=stopped.claims)
        flows = Flows()
        self.taken_over = continuation_flows(k, flows, failed[0], people.enrolled_at, people.path_end, people.support_end)
        takeover = round_ore(self.sc.insolvency.takeover_cost) * self.taken_over
        flows.add(failed[0], failed[1], COMMISSIONER, EXTERNAL, CATEGORY["takeover"], takeover, moment=failed[2])
        account = treasury.wind_up(_merge(after, flows.unordered()))
        account.unpaid = unpaid + treasury.written_off
        return account

    @property
    def people(self) -> list[Person]:
        """Every referral of the last intake and what happened to it."""
        return self.participants.intake.people if self.participants is not None else []

    def _participants(self, stop: int | None, before: Participants | None = None) -> Participants:
        """Intake, paths, milestones and claims; after a ``stop`` day nothing more happens:
        the service ends (if it had not), the provider's support ends and no outcome is reached
        any more. Referrals arrive in the service period; support for those enrolled runs on
        to ``support_end`` (``contract.support``), the outcome window to ``window_end``. After a
        stop, ``before`` (the whole contract's) lends its intake's tables and verification draws."""
        k = self.k
        service_end = k.service_end if stop is None else min(k.service_end, stop)
        intake = Intake(k, self.streams, service_end, previous=before.intake if before is not None else None).run()
        ids = np.flatnonzero(intake.enrolled == intake.enrolled)  # not NaN
        at = intake.enrolled[ids]
        window_end = k.window_end if stop is None else min(k.window_end, stop)
        support_end = min(support_end_day(k), window_end)  # a stop ends support too
        person, state, entry, exit_, path_end, followed_until = self._segments(intake.paths, ids, at, window_end, support_end)
        hits = k.book.hits(person, state, entry, exit_, window_end)
        # Row i is participant i's whatever the rows: the same draws for a rerun up to a stop.
        draws = before.verification if before is not None else UniformTable(self.streams.verification_seed, len(intake.referred))
        exited = np.where(path_end < support_end, path_end, INF)
        return Participants(
            intake=intake,
            verification=draws,
            paths=intake.paths,
            enrolled_ids=ids,
            enrolled_at=at,
            service_end=service_end,
            window_end=window_end,
            support_end=support_end,
            segments=(person, state, entry, exit_),
            path_end=path_end,
            followed_until=followed_until,
            hits=hits,
            day_claims=day_claims(k, person, state, entry, exit_, window_end),
            claims=verify(k, hits.person, hits.milestone, hits.time, draws, self.sc.contract.rejected_share),
            exited=exited,
            participant_days=self._participant_days(at, np.minimum(exited, support_end)),
        )

    def _spending(self, p: Participants) -> Flows:
        """The provider's costs, and what employment and leases bring in besides the contract."""
        k = self.k
        flows = Flows()
        provider_costs(k, flows, p.enrolled_at, p.exited, p.enrolled_ids, p.participant_days, p.support_end)
        employment_flows(k, flows, *p.segments, p.support_end)
        lease_flows(k, flows, *p.segments, p.support_end)
        return flows

    def _flows(self, p: Participants, flows: Flows, costs: bool) -> tuple[Rows, int, np.ndarray]:
        """``flows`` (the spending, or after a stop what still comes in) with the contract's
        payments and the VAT, in order; ``costs``: ``flows`` include the provider's costs. And
        the fixed payments invoiced, and the day each invoice was issued."""
        k = self.k
        late = UniformTable(self.streams.late_payment_seed, 1) if self.sc.contract.late_payment is not None else None
        # The per participant-month fee: for the days in support, or in the service period only.
        fee_end = p.support_end if self.sc.contract.support.fee_runs_with_support else min(p.service_end, p.support_end)
        fee_days = p.participant_days
        if fee_end < p.support_end:
            fee_days = self._participant_days(p.enrolled_at, np.minimum(p.exited, fee_end))
        fixed_billed, invoice_days = commissioner_payments(
            k,
            self.terms,
            flows,
            p.claims,
            fee_days,
            len(p.enrolled_ids),
            p.service_end,
            late,
            fee_end,
            self.comparison,
            p.day_claims,
        )
        commissioner_costs(k, flows)
        if self.sc.provider.vat is None:
            return flows.ordered(), fixed_billed, invoice_days
        # VAT follows from the flows in any order (sums per invoice, per month), so the two are
        # ordered together, once: ties keep the flows first, each in the order it was added.
        rows = flows.unordered()
        return _merge(rows, vat_flows(k, rows, costs).unordered()), fixed_billed, invoice_days

    def _segments(self, paths: Paths, ids: np.ndarray, at: np.ndarray, window_end: float, support_end: float):
        """Each enrolled participant's path as flat segments: state, entry and exit times.

        A path is cut where the outcome window ends as seen from the enrolment; the last
        segment never ends (an exit is absorbing, and an open path is open). Where support
        ends before the window does, nobody pays an employee's wage after it: a path is cut
        where it would be in an employment state after support's end (``unpaid_jobs``), and
        its last segment ends there. Also returns ``path_end``: when each participant left the
        pathway (inf if they did not: an open or cut path); and ``followed_until``: when each
        participant's path is cut (the window's end, or earlier where a job went unpaid).
        """
        person, state, entry, exit_, path_end = kernels.segments(
            paths.states, paths.times, ids, at, float(window_end), self.k.pathway.absorbing_padded
        )
        followed_until = np.full(ids.size, float(window_end))
        job = self.sc.provider.employment
        if job is None or support_end >= window_end or not person.size:
            return person, state, entry, exit_, path_end, followed_until
        cut = unpaid_jobs(self.k, person, state, entry, exit_, support_end, len(paths.states))
        keep = entry < cut[person]
        followed_until = np.minimum(followed_until, cut[ids])
        return person[keep], state[keep], entry[keep], np.minimum(exit_, cut[person])[keep], path_end, followed_until

    def _participant_days(self, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """Participant-days enrolled in each calendar month (index 0..last month)."""
        ms = self.k.month_start
        return days_per_month(start, stop, ms[:-1], ms[1:])


def _key_after(rows: Rows, key: tuple[int, int, float]) -> np.ndarray:
    """Rows that come after ``key`` in the order money moves."""
    day, phase, moment = key
    return (rows.day > day) | ((rows.day == day) & ((rows.phase > phase) | ((rows.phase == phase) & (rows.moment > moment))))


def _unpaid(base: Rows, first: int, stop: int) -> int:
    """What the provider owed for costs incurred before the stop but due from row ``first`` on
    (employer's fees for earlier salaries, VAT for earlier months, say), left unpaid. An
    invoice advance is not among them: the financier collects the invoice (``_advances_collected``)."""
    later = np.arange(len(base)) >= first
    owed = later & (base.payer == PROVIDER) & (base.accrued < stop) & ~_FROM_INVOICE[base.category]
    return int(base.amount[owed].sum())


_FROM_INVOICE = category_mask(frozenset(CATEGORY[c] for c in ("invoice_advance_repayment", "invoice_financing_fee")))


def _advances_collected(base: Rows, first: int) -> Rows:
    """After a stop, the advances taken before it (base rows before ``first``) are repaid with
    their charges out of the invoices they were made against: the financier owns those
    receivables, so it is paid from them before the bank and the estate, the moment the
    municipality pays (the rows move just before the invoice's payment)."""
    index = np.arange(len(base))
    advanced = base.invoice[(index < first) & (base.category == CATEGORY["invoice_advance"])]
    due = (index >= first) & _FROM_INVOICE[base.category] & np.isin(base.invoice, advanced)
    rows = base.take(np.flatnonzero(due))
    rows.moment = np.full(len(rows), -REPAYMENT_MOMENT)
    return rows


def _vat_collected(rows: Rows) -> int:
    """Output VAT the estate collects after a stop: the state's money, which it does not pay on."""
    return int(rows.amount[rows.category == CATEGORY["output_vat"]].sum())


def _merge(a: Rows, b: Rows) -> Rows:
    """Ordered rows ``a`` and rows ``b`` as one, in order (stable: ``a`` first on equal keys,
    then ``b`` in its own order, so ``b`` need not be ordered first)."""
    both = Rows(*(np.concatenate([getattr(a, f), getattr(b, f)]) for f in ROW_FIELDS))
    order = np.lexsort((both.moment, both.phase, both.day))
    return both.take(order)
