"""The provider's account, row by row: credit drawn and repaid, loans, interest, fees, the
guarantee, and what happens when a payment falls due that liquidity cannot cover.

The contract's payments and the provider's costs arrive as ordered rows. The treasury walks
them in order, because here each step depends on the last: a cost draws on the credit line
when it would take cash below the floor; income repays the line; interest accrues on the
daily drawn balance (actual/365) and is charged at each month end. A payment that cash plus
the undrawn line cannot cover is the insolvency. Under ``continue`` it is paid anyway and
the deepest negative liquidity is the funding need; under ``stop`` the walk ends there and
``Model`` winds up the estate (see ``liquidate``).
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.estate import Estate
from sib.engine.investor import INVESTOR, OUTCOMES, InvestorAccount, outcomes_to_investor
from sib.engine.ledger import (
    MONTH_CLOSE,
    PAYERS,
    ROW_FIELDS,
    START_OF_DAY,
    Party,
    Rows,
    round_ore,
)
from sib.engine.treasury_kernels import (  # noqa: F401 (the walk and its state slots)
    BANK,
    C_COMMITMENT_FEE,
    C_CREDIT_INTEREST,
    C_CREDIT_REPAYMENT,
    C_GUARANTEE_FEE,
    C_GUARANTEE_RECOVERY,
    C_LOAN_INTEREST,
    C_LOAN_REPAYMENT,
    CREDIT_DRAW,
    DONE,
    F_COMMITMENT_RATE,
    F_LINE_RATE,
    F_LOAN_RATE,
    FAILED_ROW,
    GUARANTEE_FEE,
    MONTH_END,
    NEVER,
    OTHER_EVENT,
    P_BULLET,
    P_FEE_PAYEE,
    P_FEE_PAYER,
    P_FINAL,
    P_LINE,
    P_LOAN,
    P_PAID_OUT,
    P_STOP,
    P_STOP_DAY,
    P_STRAIGHT,
    PROVIDER,
    PYTHON_EVENT,
    S_CASH,
    S_DRAWN,
    S_DRAWN_DAYS,
    S_FIRST_SHORT,
    S_FLOOR,
    S_GENERATED,
    S_LAST_DAY,
    S_LIMIT,
    S_LOAN,
    S_LOAN_DAYS,
    S_OWED_GUARANTOR,
    S_REFUSED,
    S_REFUSED_FROM,
    S_UNDRAWN_DAYS,
    C,
    _k_account,
    _k_receipts,
    _k_runs,
    _k_walk,
)
from sib.scenario.financing import Financing

GEN_WIDTH = 11  # columns of a generated row (see ``Treasury._emit``)
#: Events whose guarantee fee is fixed in advance (the compiled walk charges them itself).
FEE_EVENTS = ("guarantee_fee_upfront", "guarantee_fee_year")

COMPILED = True  # walk the common case in ``_k_walk`` (False: always in Python, for comparison)


@dataclass
class Account:
    """What the treasury produced: the rows in order and the positions after each one."""

    rows: Rows
    cash: np.ndarray
    drawn: np.ndarray
    loan: np.ndarray
    limit: np.ndarray
    guaranteed: np.ndarray
    failed_at: tuple[int, int, float] | None = None  # (day, phase, moment) of the refused payment
    going_concern: int = 0  # rows before the estate was wound up (all of them if it never was)
    unpaid: int = 0  # öre of the provider's obligations left unpaid after a stop
    invested: np.ndarray | None = None  # the investor's capital outstanding after each row
    base_before: np.ndarray | None = None  # per row: the base rows before it (its own index if it is one)

    @property
    def liquidity(self) -> np.ndarray:
        return self.cash + self.limit - self.drawn


class Treasury(InvestorAccount, Estate):
    """Walks ordered rows through the provider's account under the scenario's financing."""

    def __init__(self, compiled: Compiled, opening_cash: int, active: bool = True):
        """``active=False``: no financing and no stop, only the cash (for pricing)."""
        self.k = compiled
        self.active = active
        self.fin = compiled.scenario.financing if active else Financing()
        self.rule = compiled.scenario.insolvency.rule if active else "continue"
        #: The base row from which a payment that cannot be covered is refused (the stop); before
        #: it, and always under ``continue``, it is paid with negative cash (a shortfall).
        self.stop_from = NEVER
        self.stop_day = 0
        line, g = self.fin.credit_line, self.fin.guarantee
        self.limit = self._initial_limit = round_ore(line.limit) if line else 0
        self.floor = round_ore(line.floor) if line else 0
        self.cash = opening_cash
        self.drawn = 0
        self.loan = 0
        self.opening_cash = opening_cash
        # The output: the base rows passed through untouched (``_segments``, the first ``_used``
        # rows of each), and the rows the treasury generates (draws, repayments, interest ...),
        # each with its insertion point: the number of base rows before it.
        self._segments: list[Rows] = []
        self._used: list[int] = []  # base rows of each earlier segment in the output
        self._offset = 0  # base rows of the earlier segments in the output
        self._i = 0  # base rows of the current segment processed (generated rows go after them)
        # Generated rows as (day, phase, moment, payer, payee, category, amount, d_drawn, d_loan,
        # d_investor, insertion point): tuples from Python, blocks of them from the compiled walk.
        self._generated: list[tuple] = []
        self._blocks: list[np.ndarray] = []
        self._n_generated = 0
        self._limit_changes: list[tuple[int, int]] = []  # (output position, new limit)
        self._guarantee_changes: list[tuple[int, bool]] = []
        self._investor_marks: list[tuple[int, int]] = []  # (output position, change) from base rows
        self.failed_at: tuple[int, int, float] | None = None
        self.refused = 0  # the payment refused at a stop (öre)
        self.refused_from = 0  # base rows from here on were not paid by the provider
        self.written_off = 0  # öre of bills past due at a stop that the estate leaves unpaid
        self.first_short: int | None = None
        # Balance-days since the last charge, for interest and fees (actual/365).
        self._last_day = 0
        self._drawn_days = 0
        self._undrawn_days = 0
        self._loan_days = 0
        inv = self.fin.investor
        self.investor = inv
        self.paid_in = 0  # investor capital paid in so far (öre)
        self.uncalled = round_ore(inv.capital) if inv else 0
        self.principal_repaid = 0
        self.return_paid = 0
        self._capital_days = 0  # principal outstanding × days, for a yearly return
        self._tranches_called: set[int] = set()
        self._refusing_base = False
        self._fee_on_exposure = g is not None and g.fee_base == "exposure"
        self._guaranteed_days = 0
        self.guarantee_active = g is not None
        self.guarantee_ends = compiled.clock.plus_months(0, g.term_months) if g else math.inf

    # ------------------------------------------------------------------ walking

    def walk(self, base: Rows, stop_from: int = NEVER, stop_day: int = 0) -> Account:
        """Process ``base`` with the financing's own events merged in, in order; the walk ends
        at the first payment it cannot make from base row ``stop_from`` on (``NEVER``: it goes
        on with negative cash; the insolvency test in ``liquidity`` says where to stop); the
        financing's own charges before that row are refused only from ``stop_day`` on.

        Most rows only move cash, so the loop works on runs of rows (one moment, one
        direction) and accrues balance-days only when a balance is about to change (integer
        sums do not care how the days are split; a fee on the exposure, a float, does, so
        then every day is accrued as it comes)."""
        if self.investor is not None and self.investor.receives_outcome_payments:
            base = outcomes_to_investor(base)
        self.stop_from, self.stop_day = stop_from, stop_day
        self._segments.append(base)
        if COMPILED and self.investor is None and not self._fee_on_exposure:
            return self._walk_compiled(base)
        events = self._events()
        days, phases, moments = base.day.tolist(), base.phase.tolist(), base.moment.tolist()
        at = _positions(base.day, phases, moments, events)
        e, n_events = 0, len(events)
        payers, payees, amounts = base.payer.tolist(), base.payee.tolist(), base.amount.tolist()
        categories = base.category.tolist()
        investor = self.investor
        costs_first = investor is not None and investor.waterfall == "costs_first"
        n = len(days)
        run_end = _runs(base) if investor is None else list(range(1, n + 1))
        run_sum = np.cumsum(np.concatenate([[0], base.amount])).tolist()
        every_day = self._fee_on_exposure
        # Once cash has run short under ``continue`` with nothing left to draw or call, a
        # payment changes nothing but the cash.
        calls_capital = investor is not None and investor.undrawn_counts_as_liquidity
        next_event = at[0] if n_events else n + 1
        i = 0
        while i < n:
            if i >= next_event:  # the financing's events due before this row
                self._i = i
                while e < n_events and at[e] <= i:
                    self._event(*events[e])
                    e += 1
                    if self.failed_at is not None:
                        return self._account()
                next_event = at[e] if e < n_events else n + 1
            day = days[i]
            if every_day and day > self._last_day:
                self._advance(day)
            if payers[i] == PROVIDER:  # the provider pays: the rows themselves pass through
                end = run_end[i]
                total = run_sum[end] - run_sum[i]
                room = self.cash - self.floor
                if total <= room or (self.drawn >= self.limit and end <= stop_from and not calls_capital and self.first_short is not None):
                    self.cash -= total
                    i = end
                    continue
                key = (day, phases[i], moments[i])
                self._i = i
                if day > self._last_day:
                    self._advance(day)
                undrawn = self.limit - self.drawn
                if end > i + 1 and total <= self.cash + undrawn:
                    # The payments due at one moment, covered together (one draw if needed).
                    self._draw(key, total, undrawn)
                    self.cash -= total
                    i = end
                    continue
                amount = amounts[i]
                if amount > room:
                    if amount <= self.cash + undrawn:  # covered: ``_cover`` without the checks
                        self._draw(key, amount, undrawn)
                    else:
                        self._refusing_base = True
                        if not self._cover(amount, key):
                            return self._account()
                        self._refusing_base = False
                self.cash -= amount
            elif payees[i] == PROVIDER:
                # The lines of one payment (same moment) come in together, then repay the line.
                end = run_end[i]
                self.cash += run_sum[end] - run_sum[i]
                if investor is not None and categories[i] in OUTCOMES:
                    self._i = end
                    self._advance(day)
                    self._provider_repays_investor((day, phases[i], moments[i]), amounts[i])
                if self.drawn and self.cash > self.floor:
                    self._i = end
                    if day > self._last_day:
                        self._advance(day)
                    key = (day, phases[i], moments[i])
                    self._repay_line(key)
                    if costs_first:
                        self._provider_repays_investor(key, 0)
                i = end
                continue
            elif payees[i] == INVESTOR:  # an outcome payment made to the investor
                self._i = i + 1
                self._advance(day)
                self._investor_keeps((day, phases[i], moments[i]), amounts[i])
            i += 1
        self._i = n
        while e < n_events:  # the events after the last row
            self._event(*events[e])
            e += 1
            if self.failed_at is not None:
                return self._account()
        self._protect_capital()
        return self._account()

    def _walk_compiled(self, base: Rows) -> Account:
        """``walk`` for the common case, in ``_k_walk``; the events it does not take are
        handed to ``_event`` here, with the state passed back and forth."""
        n = len(base)
        run_end, run_sum = _k_runs(base.payer, base.payee, base.amount, base.day, base.phase, base.moment)
        events, kinds, ev_day, ev_phase, ev_moment, ev_fee, ip, fp = _per_scenario(self.k, self.active, self._kernel_tables)
        ip = ip.copy()  # shared by every replication: the stop is this walk's own
        ip[P_STOP], ip[P_STOP_DAY] = self.stop_from, self.stop_day
        out = np.empty((n + 8 * len(events) + 16, GEN_WIDTH))
        st = np.zeros(14, dtype=np.int64)
        i = e = 0
        while True:
            self._close_block()
            first = self._to_state(st)
            i, e, status = _k_walk(i, e, base.payer, base.payee, base.amount, base.day, base.phase, base.moment,
                                   run_end, run_sum, kinds, ev_day, ev_phase, ev_moment, ev_fee, st, ip, fp, out)
            self._from_state(st, out, first)
            self._i = i
            if status == PYTHON_EVENT:
                self._event(*events[e])
                e += 1
                if self.failed_at is not None:
                    return self._account()
                continue
            if status == DONE:
                return self._account()
            self.failed_at = (int(base.day[i]), int(base.phase[i]), float(base.moment[i])) if status == FAILED_ROW else events[e][:3]
            self.refused, self.refused_from = int(st[S_REFUSED]), int(st[S_REFUSED_FROM])
            return self._account()

    def _receipts_compiled(self, later: Rows, guarantor: int, failed: tuple[int, int, float]) -> tuple[int, int, float] | None:
        """``Estate._receipts`` without an investor, in ``_k_receipts`` (None: not compiled)."""
        if not COMPILED:
            return None
        self._close_block()
        n = len(later)
        st = np.zeros(14, dtype=np.int64)
        st[S_CASH], st[S_DRAWN], st[S_LOAN], st[S_OWED_GUARANTOR] = self.cash, self.drawn, self.loan, self.owed_guarantor
        out = np.empty((3 * n + 16, GEN_WIDTH))
        _k_receipts(later.payer, later.payee, later.amount, later.day, later.phase, later.moment, guarantor, self._offset, st, out)
        self.cash, self.drawn, self.loan = int(st[S_CASH]), int(st[S_DRAWN]), int(st[S_LOAN])
        self.owed_guarantor = int(st[S_OWED_GUARANTOR])
        self._take_rows(out, 0, int(st[S_GENERATED]))
        self._i = n
        return (int(later.day[-1]), int(later.phase[-1]), float(later.moment[-1])) if n else failed

    def _kernel_tables(self) -> tuple:
        """The events and the financing as ``_k_walk`` reads them (the same for every
        replication of a compiled scenario): the events, and the kind, day, phase, moment and
        month-end guarantee fee of each; integer and float parameters."""
        events = self._events()
        ev_day, ev_phase, ev_moment, ev_kind, ev_arg = zip(*events) if events else ((), (), (), (), ())
        code = {"month_end": MONTH_END, **{kind: GUARANTEE_FEE for kind in FEE_EVENTS}}
        kinds = np.array([code.get(kind, OTHER_EVENT) for kind in ev_kind], dtype=np.int64)
        ev_day = np.array(ev_day, dtype=np.int64)
        fees = self._month_end_fees(ev_day, kinds)
        for j, (kind, arg) in enumerate(zip(ev_kind, ev_arg)):
            if kind in FEE_EVENTS:
                fees[j] = round_ore(self._fee_of_event(kind, int(ev_day[j]), arg))
        return (events, kinds, ev_day, np.array(ev_phase, dtype=np.int64), np.array(ev_moment, dtype=float), fees,
                *self._compiled_parameters())

    def _month_end_fees(self, ev_day: np.ndarray, kinds: np.ndarray) -> np.ndarray:
        """Per event: the guarantee's monthly fee on the limit at a month end (öre), else -1."""
        fees = np.full(len(kinds), -1, dtype=np.int64)
        g = self.fin.guarantee
        if g is not None and g.fee_paid == "monthly":
            for j, (day, kind) in enumerate(zip(ev_day.tolist(), kinds.tolist())):
                if kind == MONTH_END and day < self._guarantee_until():
                    fees[j] = round_ore(self._monthly_fee_on_limit(day))
        return fees

    def _compiled_parameters(self) -> tuple[np.ndarray, np.ndarray]:
        """The financing as the compiled walk reads it: integer and float parameters."""
        fin, g = self.fin, self.fin.guarantee
        ip = np.zeros(10, dtype=np.int64)
        fp = np.zeros(3)
        if fin.credit_line is not None:
            ip[P_LINE] = 1
            fp[F_LINE_RATE], fp[F_COMMITMENT_RATE] = fin.credit_line.interest_rate, fin.credit_line.commitment_fee_rate
        if fin.loan is not None:
            ip[P_LOAN] = 1
            ip[P_PAID_OUT], ip[P_FINAL], ip[P_STRAIGHT], ip[P_BULLET] = self._loan_schedule()
            fp[F_LOAN_RATE] = fin.loan.interest_rate
        if g is not None:
            ip[P_FEE_PAYER] = PAYERS[g.fee_payer]
            ip[P_FEE_PAYEE] = int(Party.GUARANTOR) if g.guarantor == "mikrofonden" else int(Party.COMMISSIONER)
        return ip, fp

    def _to_state(self, st: np.ndarray) -> int:
        """Put the account's state in ``st``; returns the rows of the output buffer used so far."""
        st[S_CASH], st[S_DRAWN], st[S_LIMIT], st[S_FLOOR], st[S_LOAN] = self.cash, self.drawn, self.limit, self.floor, self.loan
        st[S_LAST_DAY], st[S_DRAWN_DAYS], st[S_UNDRAWN_DAYS], st[S_LOAN_DAYS] = (
            self._last_day, self._drawn_days, self._undrawn_days, self._loan_days)
        st[S_FIRST_SHORT] = -1 if self.first_short is None else self.first_short
        return int(st[S_GENERATED])  # rows of the buffer used so far: the kernel goes on from there

    def _from_state(self, st: np.ndarray, out: np.ndarray, first: int) -> None:
        """Take the account's state back from ``st``, and the rows the compiled walk generated."""
        self.cash, self.drawn, self.limit, self.loan = int(st[S_CASH]), int(st[S_DRAWN]), int(st[S_LIMIT]), int(st[S_LOAN])
        self._last_day, self._drawn_days = int(st[S_LAST_DAY]), int(st[S_DRAWN_DAYS])
        self._undrawn_days, self._loan_days = int(st[S_UNDRAWN_DAYS]), int(st[S_LOAN_DAYS])
        self.first_short = None if st[S_FIRST_SHORT] < 0 else int(st[S_FIRST_SHORT])
        self._take_rows(out, first, int(st[S_GENERATED]))

    def _take_rows(self, out: np.ndarray, first: int, last: int) -> None:
        """The rows a compiled loop generated in ``out[first:last]``, as a block."""
        if last > first:
            self._blocks.append(out[first:last])
            self._n_generated += last - first

    def _events(self) -> list[tuple[int, int, float, str, int]]:
        """Dated events of the financing itself: fees, pay-outs, month-end charges, expiry."""
        k, fin = self.k, self.fin
        out: list[tuple[int, int, float, str, int]] = []
        if fin.credit_line is not None and fin.credit_line.setup_fee:
            out.append((0, START_OF_DAY, -1.0, "line_setup", 0))
        if fin.loan is not None:
            paid_out = max(k.clock.plus_months(0, fin.loan.paid_out_month), 0)
            out.append((paid_out, START_OF_DAY, -1.0, "loan_payout", 0))
        if fin.investor is not None:
            for j, tranche in enumerate(fin.investor.tranches):
                out.append((max(k.clock.plus_months(0, tranche.month), 0), START_OF_DAY, -0.9, "tranche", j))
        g = fin.guarantee
        if g is not None:
            if g.fee_paid == "upfront":  # for each term, at its start (renewals too)
                term = 0
                while True:
                    d = k.clock.plus_months(0, g.term_months * term)
                    if d > k.end or (term and g.at_expiry != "renew"):
                        break
                    out.append((d, START_OF_DAY, -0.5, "guarantee_fee_upfront", term))
                    term += 1
            elif g.fee_paid == "yearly":
                year = 0
                while True:
                    d = k.clock.plus_months(0, 12 * year)
                    if d >= self._guarantee_until() or d > k.end:
                        break
                    out.append((d, START_OF_DAY, -0.5, "guarantee_fee_year", year))
                    year += 1
            if g.at_expiry != "renew" and self.guarantee_ends <= k.end:
                out.append((int(self.guarantee_ends), START_OF_DAY, -0.25, "guarantee_expiry", 0))
        last_days = (k.month_start[1 : k.last_month + 2] - 1).tolist()
        out += [(last, MONTH_CLOSE, 0.0, "month_end", m) for m, last in enumerate(last_days) if last >= 0]
        out.sort()
        return out

    def _guarantee_until(self) -> float:
        g = self.fin.guarantee
        if g is None:
            return 0
        return math.inf if g.at_expiry == "renew" else self.guarantee_ends

    # ------------------------------------------------------------------ events

    def _event(self, day: int, phase: int, moment: float, kind: str, arg: int) -> None:
        self._advance(day)
        key = (day, phase, moment)
        fin = self.fin
        if kind == "month_end":
            self._month_end(key)
        elif kind == "line_setup":
            self._charge(key, BANK, C["setup_fee"], round_ore(fin.credit_line.setup_fee))
        elif kind == "loan_payout":
            loan = fin.loan
            amount = round_ore(loan.principal)
            self.loan = amount
            self._emit(key, BANK, PROVIDER, C["loan_payout"], amount, 0, amount)
            self._charge(key, BANK, C["setup_fee"], round_ore(loan.setup_fee))
            self._repay_line(key)
        elif kind in FEE_EVENTS:
            self._guarantee_fee(key, self._fee_of_event(kind, day, arg))
        elif kind == "guarantee_expiry":
            self._set_guarantee(False)
            if fin.guarantee.at_expiry == "repay" and self.limit:
                self._set_limit(0)  # the line closes: what is drawn must be repaid now
                self._charge(key, BANK, C["credit_repayment"], self.drawn, kind="line")
        elif kind == "tranche":
            self._call_tranche(key, arg)

    def _fee_of_event(self, kind: str, day: int, arg: int) -> float:
        """The guarantee fee due at an upfront (a term's) or a yearly fee event, in kronor."""
        g = self.fin.guarantee
        if kind == "guarantee_fee_upfront":
            return self._guaranteed_limit() * g.fee_rate * g.term_months / 12
        until = min(self._guarantee_until(), self.k.end)
        days = min(self.k.clock.plus_months(0, 12 * (arg + 1)), until) - day
        return self._guaranteed_limit() * g.fee_rate * days / 365

    def _month_end(self, key: tuple[int, int, float]) -> None:
        """Interest and fees for the month, charged on its last day; the loan's instalment."""
        self._advance(key[0] + 1)
        fin = self.fin
        if fin.credit_line is not None:
            line = fin.credit_line
            interest = round_ore(line.interest_rate * self._drawn_days / 365 / 100)
            fee = round_ore(line.commitment_fee_rate * self._undrawn_days / 365 / 100)
            self._drawn_days = self._undrawn_days = 0
            self._charge(key, BANK, C["credit_interest"], interest)
            self._charge(key, BANK, C["commitment_fee"], fee)
        if fin.loan is not None and self.loan:
            loan = fin.loan
            interest = round_ore(loan.interest_rate * self._loan_days / 365 / 100)
            self._loan_days = 0
            self._charge(key, BANK, C["loan_interest"], interest)
            self._charge(key, BANK, C["loan_repayment"], self._instalment(key[0]), kind="loan")
        if fin.guarantee is not None and fin.guarantee.fee_paid == "monthly" and key[0] < self._guarantee_until():
            g = fin.guarantee
            if self._fee_on_exposure:  # on the guaranteed part of each day's closing balance
                self._guarantee_fee(key, g.fee_rate * self._guaranteed_days / 365 / 100)
                self._guaranteed_days = 0
            else:
                self._guarantee_fee(key, self._monthly_fee_on_limit(key[0]))

    def _monthly_fee_on_limit(self, day: int) -> float:
        """The guarantee's monthly fee on the guaranteed limit, for the month ending on ``day`` (kr)."""
        g = self.fin.guarantee
        days = day + 1 - int(self.k.month_start[self.k.clock.month_of_day[day]])
        return self._guaranteed_limit() * g.fee_rate * days / 365

    def _loan_schedule(self) -> tuple[int, int, int, bool]:
        """The loan's pay-out day, its last day, the straight instalment and whether it is a bullet."""
        loan = self.fin.loan
        paid_out = self.k.clock.plus_months(0, loan.paid_out_month)
        final = self.k.clock.plus_months(paid_out, loan.term_months)
        return paid_out, final, round_ore(loan.principal / loan.term_months), loan.amortisation == "bullet"

    def _instalment(self, day: int) -> int:
        paid_out, final, straight, bullet = self._loan_schedule()
        if day + 1 >= final:  # the last month end of the term: whatever is left
            return self.loan
        if bullet or day < paid_out:
            return 0
        return min(self.loan, straight)

    def _guaranteed_exposure(self) -> float:
        """The guaranteed part of the bank's exposure now (öre)."""
        g = self.fin.guarantee
        exposure = (self.drawn if g.covers in ("credit_line", "both") else 0) + (self.loan if g.covers in ("loan", "both") else 0)
        amount = g.share * exposure
        return min(amount, g.max_amount * 100) if g.max_amount is not None else amount

    def _guaranteed_limit(self) -> float:
        """The guaranteed amount the fee is charged on: share × limit and principal, capped."""
        g, fin = self.fin.guarantee, self.fin
        base = 0.0
        if g.covers in ("credit_line", "both") and fin.credit_line is not None:
            base += fin.credit_line.limit
        if g.covers in ("loan", "both") and fin.loan is not None:
            base += fin.loan.principal
        amount = g.share * base
        return min(amount, g.max_amount) if g.max_amount is not None else amount

    def _guarantee_fee(self, key: tuple[int, int, float], amount_sek: float) -> None:
        g = self.fin.guarantee
        payee = int(Party.GUARANTOR) if g.guarantor == "mikrofonden" else int(Party.COMMISSIONER)
        amount = round_ore(amount_sek)
        payer = PAYERS[g.fee_payer]
        if payer == PROVIDER:
            self._charge(key, payee, C["guarantee_fee"], amount)
        elif amount > 0 and payer != payee:
            self._emit(key, payer, payee, C["guarantee_fee"], amount)

    # ------------------------------------------------------------------ money

    def _advance(self, day: int) -> None:
        """Accrue balance-days up to (not including) ``day``: each day counts its closing balance."""
        if day > self._last_day:
            span = day - self._last_day
            self._drawn_days += self.drawn * span
            self._undrawn_days += (self.limit - self.drawn) * span
            self._loan_days += self.loan * span
            self._capital_days += (self.paid_in - self.principal_repaid) * span
            if self._fee_on_exposure and self.guarantee_active:
                self._guaranteed_days += self._guaranteed_exposure() * span
            self._last_day = day

    def _charge(self, key, payee: int, category: int, amount: int, kind: str = "") -> None:
        """A payment the provider owes the bank or the guarantor, made like any other;
        ``kind`` 'line' or 'loan' marks a repayment of that debt (no drawing to pay it)."""
        if amount <= 0 or self.failed_at is not None:
            return
        if not self._cover(amount, key, kind):
            return
        if kind == "line":
            self.drawn -= amount
            self._emit(key, PROVIDER, payee, category, amount, -amount)
        elif kind == "loan":
            self.loan -= amount
            self._emit(key, PROVIDER, payee, category, amount, 0, -amount)
        else:
            self._emit(key, PROVIDER, payee, category, amount)

    def _cover(self, amount: int, key, kind: str = "") -> bool:
        """Make room to pay ``amount``: draw on the line if cash would fall below the floor. A
        payment that cash and the undrawn line together cannot cover is the insolvency: under
        ``stop`` it is refused (nothing drawn for it) and False is returned."""
        undrawn = self.limit - self.drawn if kind != "line" else 0  # the line cannot repay itself
        if amount > self.cash + undrawn:
            if self.investor is not None and self.investor.undrawn_counts_as_liquidity:
                for j in range(len(self.investor.tranches)):  # call committed capital early
                    if amount <= self.cash + undrawn:
                        break
                    self._call_tranche(key, j)
            if amount > self.cash + undrawn:
                if self.first_short is None:
                    self.first_short = key[0]
                if self._i >= self.stop_from and key[0] >= self.stop_day:
                    self.failed_at = key
                    self.refused = amount
                    # A refused base row is counted here; the base rows after it are counted
                    # by the caller if they were owed for the time before the stop.
                    self.refused_from = self._i + 1 if self._refusing_base else self._i
                    return False
        self._draw(key, amount, undrawn)
        return True

    def _draw(self, key: tuple[int, int, float], amount: int, undrawn: int) -> None:
        """Draw what paying ``amount`` needs to keep cash at the floor, up to ``undrawn``."""
        short = self.floor - (self.cash - amount)
        if short > 0 and undrawn > 0:
            draw = min(short, undrawn)
            self.drawn += draw
            self._emit(key, BANK, PROVIDER, CREDIT_DRAW, draw, draw)

    def _repay_line(self, key: tuple[int, int, float]) -> None:
        """Income repays the credit line down to the floor, at once."""
        if self.drawn and self.cash > self.floor:
            amount = min(self.drawn, self.cash - self.floor)
            self.drawn -= amount
            self._emit(key, PROVIDER, BANK, C["credit_repayment"], amount, -amount)

    def _emit(self, key: tuple[int, int, float], payer: int, payee: int, category: int, amount: int,
              d_drawn: int = 0, d_loan: int = 0, d_investor: int = 0) -> None:
        """Add a generated row after the base rows processed so far; ``d_*`` is what it
        changes in the credit drawn, the loan and the investor's capital outstanding."""
        self._generated.append(key + (payer, payee, category, amount, d_drawn, d_loan, d_investor, self._offset + self._i))
        self._n_generated += 1
        if payer == PROVIDER:
            self.cash -= amount
        elif payee == PROVIDER:
            self.cash += amount

    def _next_segment(self, rows: Rows) -> None:
        """Go on with ``rows`` after the base rows processed so far (the rest are left out)."""
        self._used.append(self._i)
        self._offset += self._i
        self._segments.append(rows)
        self._i = 0

    def _position(self) -> int:
        """Output rows so far (the next row's position)."""
        return self._offset + self._i + self._n_generated

    def _close_block(self) -> None:
        """The generated tuples so far as one block (before the compiled walk adds its own)."""
        if self._generated:
            self._blocks.append(np.array(self._generated, dtype=float).reshape(-1, GEN_WIDTH))
            self._generated = []

    def _set_limit(self, limit: int) -> None:
        self.limit = limit
        self._limit_changes.append((self._position(), limit))

    def _set_guarantee(self, active: bool) -> None:
        self.guarantee_active = active
        self._guarantee_changes.append((self._position(), active))

    def _account(self) -> Account:
        """The rows in processing order, with the positions after each, computed at once:
        base row b goes after the generated rows inserted at or before it, generated row g
        after its insertion point's base rows and the generated rows before it."""
        used = self._used + [self._i]
        parts = [s if u == len(s) else s.take(np.arange(u)) for s, u in zip(self._segments, used)]
        n_base = self._offset + self._i
        self._close_block()
        table = np.concatenate(self._blocks) if self._blocks else np.zeros((0, GEN_WIDTH))
        n = n_base + len(table)
        base = [getattr(parts[0], f) if len(parts) == 1 else np.concatenate([getattr(p, f) for p in parts]) for f in ROW_FIELDS]
        *columns, drawn, loan, invested, cash, base_before = _k_account(table, *base, self.opening_cash)
        rows = Rows(*columns)
        for position, change in self._investor_marks:
            invested[position:] += change
        limit = _stepwise(n, self._initial_limit, self._limit_changes)
        active = _stepwise(n, int(self.fin.guarantee is not None), [(p, int(a)) for p, a in self._guarantee_changes])
        guaranteed = self._guaranteed(drawn, loan) * active
        going = getattr(self, "going_concern", None)
        return Account(rows, cash, drawn, loan, limit, guaranteed, self.failed_at,
                       going_concern=n if going is None else going, invested=invested, base_before=base_before)

    def _guaranteed(self, drawn: np.ndarray, loan: np.ndarray) -> np.ndarray:
        """The part of the bank's exposure the guarantee covers, after each row."""
        g = self.fin.guarantee
        if g is None:
            return np.zeros(len(drawn), dtype=np.int64)
        exposure = (drawn if g.covers in ("credit_line", "both") else 0) + (loan if g.covers in ("loan", "both") else 0)
        amount = np.floor(g.share * exposure + 0.5 + 1e-7).astype(np.int64)
        return np.minimum(amount, round_ore(g.max_amount)) if g.max_amount is not None else amount


_PER_SCENARIO: dict[tuple[int, bool], tuple[weakref.ref, object]] = {}


def _per_scenario(compiled: Compiled, active: bool, build):
    """``build()``, once per compiled scenario and financing (its own, or none for pricing):
    what the treasury sets up for a walk that does not depend on the replication."""
    key = (id(compiled), active)
    hit = _PER_SCENARIO.get(key)
    if hit is not None and hit[0]() is compiled:
        return hit[1]
    value = build()
    _PER_SCENARIO[key] = (weakref.ref(compiled, lambda _ref, key=key: _PER_SCENARIO.pop(key, None)), value)
    return value


def _positions(day: np.ndarray, phases: list[int], moments: list[float], events: list[tuple[int, int, float, str, int]]) -> list[int]:
    """For each event (in order), the number of base rows that come before it: those whose
    (day, phase, moment) is less than the event's."""
    if not events:
        return []
    ev_day = np.array([e[0] for e in events], dtype=np.int64)
    lo = np.searchsorted(day, ev_day, side="left").tolist()
    hi = np.searchsorted(day, ev_day, side="right").tolist()
    out = []
    for (_, phase, moment, _, _), j, h in zip(events, lo, hi):
        while j < h and (phases[j] < phase or (phases[j] == phase and moments[j] < moment)):
            j += 1
        out.append(j)
    return out


def _runs(rows: Rows) -> list[int]:
    """For each row, where its run ends (exclusive): consecutive rows at the same moment that
    all pay the provider, or all are paid by it, which the treasury can take in one step."""
    n = len(rows)
    inflow = (rows.payee == PROVIDER) & (rows.payer != PROVIDER)
    outflow = rows.payer == PROVIDER
    same_as_next = np.zeros(n, dtype=bool)
    if n > 1:
        same_moment = (rows.day[1:] == rows.day[:-1]) & (rows.phase[1:] == rows.phase[:-1]) & (rows.moment[1:] == rows.moment[:-1])
        same_as_next[:-1] = same_moment & ((inflow[:-1] & inflow[1:]) | (outflow[:-1] & outflow[1:]))
    breaks = np.flatnonzero(~same_as_next)  # rows whose run ends right after them
    next_break = breaks[np.searchsorted(breaks, np.arange(n))]
    return np.where(inflow | outflow, next_break + 1, np.arange(1, n + 1)).tolist()


def _stepwise(n: int, start: int, changes: list[tuple[int, int]]) -> np.ndarray:
    """A value per output row that starts at ``start`` and changes at the given positions."""
    out = np.full(n, start, dtype=np.int64)
    for position, value in changes:
        out[position:] = value
    return out
