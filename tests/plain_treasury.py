"""The provider's account walked in plain Python, one row at a time, written from the rules in
docs/how-it-works.md §7–§8 rather than from the compiled kernels: a check on
``sib.engine.treasury_kernels``, ``investor`` and ``estate``, never used by sib itself.

It reads the scenario's financing itself (no ``financing_tables``), keeps the account as plain
attributes, and writes each row out as it is paid, with the positions after it, so the ledger
is simply the rows in the order they happened. ``PlainTreasury`` has ``Treasury``'s interface,
so ``Model`` can run a whole replication on it (see ``tests/engine/test_treasury_kernels.py``).

The rules, in the order the walk applies them:

- rows are taken in order; the financing's own events (month ends, the loan's pay-out, set-up
  fees, the guarantee's fixed fees and its expiry, the investor's tranches) come before the
  rows at or after their moment;
- the lines of one payment (rows at one moment, all paid by the provider or all paid to it)
  are one payment, except with an investor, where each row is a payment of its own;
- a payment that would take cash below the floor draws on the credit line first (payments of
  one moment together); one that cash and the undrawn line cannot cover calls the investor's
  committed capital early where the terms allow, and is then paid with negative cash (a
  shortfall), or, from the stop on, refused;
- income repays the line at once, down to the floor; with an investor paid by the provider,
  an outcome payment first repays the investor (investor first: from that payment; costs
  first: only from cash left once the line is repaid, and again whenever income repays it);
- an outcome payment made to the investor goes to its principal, then its return; the rest
  passes on to the provider;
- interest on the line's closing balance each day, the commitment fee on the undrawn limit and
  the loan's interest, all actual/365, and a guarantee fee on the exposure, are charged at each
  month end with the loan's instalment (the last of its term is whatever is left); a charge
  refused at the stop ends the provider's payments of that month end, though a fee the
  municipality or a third party pays is still paid;
- after a stop: the line closes, the bills past due are written off, the estate's cash repays
  the line and then the loan, an on-demand guarantee pays its share of what is left at once;
  each later receipt repays the line, the loan, the guarantor, then the investor; a final-loss
  guarantee pays its share of what is left on the last day the estate receives money;
- at the end a protected share of the investor's capital is topped up.
"""

from __future__ import annotations

import math

import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.ledger import (
    CATEGORY,
    MONTH_CLOSE,
    NO_ID,
    PAYERS,
    ROW_FIELDS,
    START_OF_DAY,
    Party,
    Rows,
    round_ore,
)
from sib.engine.treasury import Account
from sib.scenario.financing import Financing

PROVIDER, BANK, INVESTOR, EXTERNAL = int(Party.PROVIDER), int(Party.BANK), int(Party.INVESTOR), int(Party.EXTERNAL)
C = CATEGORY
OUTCOMES = (C["outcome_payment"], C["cohort_outcome_payment"])
NEVER = 1 << 62


class Refused(Exception):
    """A payment the provider owed was refused at the stop: the walk ends."""


class PlainTreasury:
    """``sib.engine.treasury.Treasury``, in plain Python."""

    def __init__(self, compiled: Compiled, opening_cash: int, active: bool = True):
        self.k = compiled
        self.fin = fin = compiled.scenario.financing if active else Financing()
        line, g, inv = fin.credit_line, fin.guarantee, fin.investor
        self.limit = self.first_limit = round_ore(fin.credit_limit)  # the scenario's rule: own standing + what the guarantee secures
        self.floor = round_ore(line.floor) if line else 0
        self.opening_cash = self.cash = opening_cash
        self.drawn = self.loan = 0
        self.g, self.inv = g, inv
        self.guarantee_on = g is not None
        self.guarantee_ends = compiled.clock.plus_months(0, g.term_months) if g else math.inf
        self.guarantor = int(Party.GUARANTOR) if g is None or g.guarantor == "mikrofonden" else int(Party.COMMISSIONER)
        # the investor
        self.uncalled = round_ore(inv.capital) if inv else 0
        self.paid_in = self.principal_repaid = self.return_paid = 0
        self.called: set[int] = set()
        # balance-days since the last charge, for interest and fees (actual/365)
        self.last_day = 0
        self.drawn_days = self.undrawn_days = self.loan_days = self.capital_days = 0
        self.guaranteed_days = 0.0
        # what the walk found
        self.stop_from, self.stop_day = NEVER, 0
        self.first_short: int | None = None
        self.failed_at: tuple[int, int, float] | None = None
        self.refused = self.refused_from = self.written_off = 0
        self.i = 0  # base rows of the current segment walked
        # the output: each row as it is paid, the positions after it, the base rows before it
        self.rows: list[tuple] = []
        self.after: list[tuple[int, int, int, int, int, int]] = []
        self.base_before: list[int] = []
        self.bases = 0
        self.going_concern: int | None = None

    # ------------------------------------------------------------------ the output

    def _write(self, row: tuple, base: bool = False) -> None:
        """Row (day, phase, moment, payer, payee, category, amount, participant, invoice,
        accrued) has moved money: its effect on cash is applied here, the positions noted."""
        payer, payee, amount = row[3], row[4], row[6]
        if payer == PROVIDER:
            self.cash -= amount
        elif payee == PROVIDER:
            self.cash += amount
        self.rows.append(row)
        self.base_before.append(self.bases)
        self.bases += base
        self.after.append(
            (
                self.cash,
                self.drawn,
                self.loan,
                self.limit,
                self._guaranteed() if self.guarantee_on else 0,
                self.paid_in - self.principal_repaid,
            )
        )

    def _new(self, key, payer: int, payee: int, category: int, amount: int) -> None:
        """A row the account itself moves (a draw, interest, a fee, a repayment ...)."""
        self._write((key[0], key[1], key[2], payer, payee, category, amount, NO_ID, NO_ID, key[0]))

    def _guaranteed(self) -> int:
        g = self.g
        exposure = (self.drawn if g.covers in ("credit_line", "both") else 0) + (self.loan if g.covers in ("loan", "both") else 0)
        amount = math.floor(g.share * exposure + 0.5 + 1e-7)
        return min(amount, round_ore(g.max_amount)) if g.max_amount is not None else amount

    def _account(self) -> Account:
        columns = list(zip(*self.rows)) if self.rows else [[] for _ in ROW_FIELDS]
        dtypes = [np.int64, np.int64, float] + [np.int64] * 7
        rows = Rows(*(np.array(c, dtype=t) for c, t in zip(columns, dtypes)))
        cash, drawn, loan, limit, guaranteed, invested = (
            np.array(c, dtype=np.int64) for c in (zip(*self.after) if self.after else [[]] * 6)
        )
        n = len(self.rows)
        return Account(
            rows,
            cash,
            drawn,
            loan,
            limit,
            guaranteed,
            self.failed_at,
            going_concern=n if self.going_concern is None else self.going_concern,
            invested=invested,
            base_before=np.array(self.base_before, dtype=np.int64),
        )

    # ------------------------------------------------------------------ the walk

    def walk(self, base: Rows, stop_from: int = NEVER, stop_day: int = 0) -> Account:
        self.stop_from, self.stop_day = stop_from, stop_day
        rows = [tuple(getattr(base, f)[j].item() for f in ROW_FIELDS) for j in range(len(base))]
        if self.inv is not None and self.inv.receives_outcome_payments:
            rows = [r[:4] + (INVESTOR,) + r[5:] if r[5] in OUTCOMES and r[4] == PROVIDER else r for r in rows]
        events = self._events()
        try:
            self.i = 0
            while self.i < len(rows):
                row = rows[self.i]
                while events and events[0][:3] <= row[:3]:
                    self._event(*events.pop(0))
                self._payment(rows)
            self.i = len(rows)
            while events:
                self._event(*events.pop(0))
            self._protect_capital()
        except Refused:
            pass
        self.walked = self.i
        return self._account()

    def _payment(self, rows: list[tuple]) -> None:
        """Pay the payment that starts at row ``self.i``; ``self.i`` moves past what was paid."""
        i = self.i
        row = rows[i]
        day, key = row[0], row[:3]
        if self._fee_on_exposure():
            self._accrue(day)
        payer, payee = row[3], row[4]
        same = [r for r in _payment_at(rows, i, single=self.inv is not None)]
        total = sum(r[6] for r in same)
        if payer == PROVIDER:
            room = self.cash - self.floor
            calls = self.inv is not None and self.inv.undrawn_counts_as_liquidity
            # Short already, with nothing to draw or call: a payment changes nothing but the cash.
            stuck = self.drawn >= self.limit and i + len(same) <= self.stop_from and not calls and self.first_short is not None
            if total <= room or stuck:
                self._pay(same)
                return
            self._accrue(day)
            undrawn = self.limit - self.drawn
            if len(same) > 1 and total <= self.cash + undrawn:
                self._draw(key, total, undrawn)
                self._pay(same)
                return
            if row[6] > room:
                if row[6] <= self.cash + undrawn:
                    self._draw(key, row[6], undrawn)
                else:
                    self._cover(row[6], key, refusing_row=True)
            self._pay([row])
        elif payee == PROVIDER and payer != PROVIDER:
            self._pay(same)
            if self.inv is not None and row[5] in OUTCOMES:
                self._accrue(day)
                self._provider_repays_investor(key, row[6])
            if self.drawn and self.cash > self.floor:
                self._accrue(day)
                self._repay_line(key)
                if self.inv is not None and self.inv.waterfall == "costs_first":
                    self._provider_repays_investor(key, 0)
        elif payee == INVESTOR:
            self._accrue(day)
            self._investor_keeps(row)
            self.i += 1
        else:
            self._pay([row])

    def _pay(self, rows: list[tuple]) -> None:
        for row in rows:
            self._write(row, base=True)
            self.i += 1

    # ------------------------------------------------------------------ the financing's events

    def _events(self) -> list[tuple[int, int, float, str, int]]:
        k, fin = self.k, self.fin
        out = []
        if fin.credit_line is not None and fin.credit_line.setup_fee:
            out.append((0, START_OF_DAY, -1.0, "line_setup", 0))
        if fin.loan is not None:
            out.append((max(k.clock.plus_months(0, fin.loan.paid_out_month), 0), START_OF_DAY, -1.0, "loan_payout", 0))
        if fin.investor is not None:
            for j, tranche in enumerate(fin.investor.tranches):
                out.append((max(k.clock.plus_months(0, tranche.month), 0), START_OF_DAY, -0.9, "tranche", j))
        g = fin.guarantee
        if g is not None:
            if g.fee_paid == "upfront":  # for each term, at its start (renewals too)
                term = 0
                while (d := k.clock.plus_months(0, g.term_months * term)) <= k.end and (term == 0 or g.at_expiry == "renew"):
                    out.append((d, START_OF_DAY, -0.5, "guarantee_fee_upfront", term))
                    term += 1
            elif g.fee_paid == "yearly":
                year = 0
                while (d := k.clock.plus_months(0, 12 * year)) < self._guarantee_until() and d <= k.end:
                    out.append((d, START_OF_DAY, -0.5, "guarantee_fee_year", year))
                    year += 1
            if g.at_expiry != "renew" and self.guarantee_ends <= k.end:
                out.append((int(self.guarantee_ends), START_OF_DAY, -0.25, "guarantee_expiry", 0))
        for m in range(k.last_month + 1):
            last = int(k.month_start[m + 1]) - 1
            if last >= 0:
                out.append((last, MONTH_CLOSE, 0.0, "month_end", m))
        return sorted(out)

    def _event(self, day: int, phase: int, moment: float, kind: str, arg: int) -> None:
        self._accrue(day)
        key = (day, phase, moment)
        fin = self.fin
        if kind == "month_end":
            self._month_end(key)
        elif kind == "line_setup":
            self._charge(key, BANK, C["setup_fee"], round_ore(fin.credit_line.setup_fee))
        elif kind == "loan_payout":
            self.loan = round_ore(fin.loan.principal)
            self._new(key, BANK, PROVIDER, C["loan_payout"], self.loan)
            try:
                self._charge(key, BANK, C["setup_fee"], round_ore(fin.loan.setup_fee))
            finally:
                self._repay_line(key)  # the principal repays the line, even when the fee was refused
        elif kind in ("guarantee_fee_upfront", "guarantee_fee_year"):
            self._guarantee_fee(key, self._fee_of_event(kind, day, arg))
        elif kind == "guarantee_expiry":
            self.guarantee_on = False
            if self.g.at_expiry == "repay" and self.limit:
                self.limit = 0  # the line closes: what is drawn must be repaid now
                self._charge(key, BANK, C["credit_repayment"], self.drawn, kind="line")
        elif kind == "tranche":
            self._call_tranche(key, arg)

    def _month_end(self, key) -> None:
        """Interest and fees for the month, charged on its last day; the loan's instalment; the
        guarantee's monthly fee. A refused charge ends the provider's own."""
        self._accrue(key[0] + 1)
        fin, g = self.fin, self.g
        refused = None
        try:
            if fin.credit_line is not None:
                interest = round_ore(fin.credit_line.interest_rate * self.drawn_days / 365 / 100)
                fee = round_ore(fin.credit_line.commitment_fee_rate * self.undrawn_days / 365 / 100)
                self.drawn_days = self.undrawn_days = 0
                self._charge(key, BANK, C["credit_interest"], interest)
                self._charge(key, BANK, C["commitment_fee"], fee)
            if fin.loan is not None and self.loan:
                interest = round_ore(fin.loan.interest_rate * self.loan_days / 365 / 100)
                self.loan_days = 0
                self._charge(key, BANK, C["loan_interest"], interest)
                self._charge(key, BANK, C["loan_repayment"], self._instalment(key[0]), kind="loan")
        except Refused as e:
            refused = e
        if g is not None and g.fee_paid == "monthly" and key[0] < self._guarantee_until():
            if g.fee_base == "exposure":  # on the guaranteed part of each day's closing balance
                fee = g.fee_rate * self.guaranteed_days / 365 / 100
                self.guaranteed_days = 0.0
            else:
                days = key[0] + 1 - int(self.k.month_start[self.k.clock.month_of_day[key[0]]])
                fee = self._guaranteed_limit() * g.fee_rate * days / 365
            if refused is None or PAYERS[g.fee_payer] != PROVIDER:
                self._guarantee_fee(key, fee)
        if refused is not None:
            raise refused

    def _instalment(self, day: int) -> int:
        loan = self.fin.loan
        paid_out = self.k.clock.plus_months(0, loan.paid_out_month)
        if day + 1 >= self.k.clock.plus_months(paid_out, loan.term_months):
            return self.loan  # the last month end of the term: whatever is left
        if loan.amortisation == "bullet" or day < paid_out:
            return 0
        return min(self.loan, round_ore(loan.principal / loan.term_months))

    def _guarantee_until(self) -> float:
        if self.g is None:
            return 0
        return math.inf if self.g.at_expiry == "renew" else self.guarantee_ends

    def _guaranteed_limit(self) -> float:
        """share × (limit and principal covered), capped, in kronor: what a fee on the limit is on."""
        g, fin = self.g, self.fin
        base = 0.0
        if g.covers in ("credit_line", "both") and fin.credit_line is not None:
            base += fin.credit_limit
        if g.covers in ("loan", "both") and fin.loan is not None:
            base += fin.loan.principal
        return min(g.share * base, g.max_amount) if g.max_amount is not None else g.share * base

    def _fee_of_event(self, kind: str, day: int, arg: int) -> float:
        g = self.g
        if kind == "guarantee_fee_upfront":
            return self._guaranteed_limit() * g.fee_rate * g.term_months / 12
        until = min(self._guarantee_until(), self.k.end)
        days = min(self.k.clock.plus_months(0, 12 * (arg + 1)), until) - day
        return self._guaranteed_limit() * g.fee_rate * days / 365

    def _guarantee_fee(self, key, amount_sek: float) -> None:
        payee = int(Party.GUARANTOR) if self.g.guarantor == "mikrofonden" else int(Party.COMMISSIONER)
        amount = round_ore(amount_sek)
        payer = PAYERS[self.g.fee_payer]
        if payer == PROVIDER:
            self._charge(key, payee, C["guarantee_fee"], amount)
        elif amount > 0 and payer != payee:
            self._new(key, payer, payee, C["guarantee_fee"], amount)

    def _fee_on_exposure(self) -> bool:
        return self.g is not None and self.g.fee_base == "exposure"

    # ------------------------------------------------------------------ money

    def _accrue(self, day: int) -> None:
        """Balance-days up to (not including) ``day``: each day counts its closing balance."""
        if day > self.last_day:
            span = day - self.last_day
            self.drawn_days += self.drawn * span
            self.undrawn_days += (self.limit - self.drawn) * span
            self.loan_days += self.loan * span
            self.capital_days += (self.paid_in - self.principal_repaid) * span
            if self._fee_on_exposure() and self.guarantee_on:
                g = self.g
                exposure = (self.drawn if g.covers in ("credit_line", "both") else 0) + (self.loan if g.covers in ("loan", "both") else 0)
                guaranteed = min(g.share * exposure, g.max_amount * 100) if g.max_amount is not None else g.share * exposure
                self.guaranteed_days += guaranteed * span
            self.last_day = day

    def _charge(self, key, payee: int, category: int, amount: int, kind: str = "") -> None:
        """A payment the provider owes the bank or the guarantor; ``kind`` 'line' or 'loan': a
        repayment of that debt. Raises ``Refused`` if it is refused at the stop."""
        if amount <= 0:
            return
        self._cover(amount, key, line=kind == "line")
        if kind == "line":
            self.drawn -= amount
        elif kind == "loan":
            self.loan -= amount
        self._new(key, PROVIDER, payee, category, amount)

    def _cover(self, amount: int, key, line: bool = False, refusing_row: bool = False) -> None:
        """Make room to pay ``amount``: call committed capital where allowed, then draw; refuse
        it (raise ``Refused``) from the stop on when cash and the undrawn line cannot cover it."""
        undrawn = 0 if line else self.limit - self.drawn  # the line cannot repay itself
        if amount > self.cash + undrawn:
            if self.inv is not None and self.inv.undrawn_counts_as_liquidity:
                for j in range(len(self.inv.tranches)):
                    if amount <= self.cash + undrawn:
                        break
                    self._call_tranche(key, j)
            if amount > self.cash + undrawn:
                if self.first_short is None:
                    self.first_short = key[0]
                if self.i >= self.stop_from and key[0] >= self.stop_day:
                    self.failed_at = key
                    self.refused = amount
                    self.refused_from = self.i + 1 if refusing_row else self.i
                    raise Refused
        # the room as it was before any capital came in (which may have repaid some of the line)
        self._draw(key, amount, undrawn)

    def _draw(self, key, amount: int, undrawn: int) -> None:
        short = self.floor - (self.cash - amount)
        if short > 0 and undrawn > 0:
            self.drawn += min(short, undrawn)
            self._new(key, BANK, PROVIDER, C["credit_draw"], min(short, undrawn))

    def _repay_line(self, key) -> None:
        if self.drawn and self.cash > self.floor:
            amount = min(self.drawn, self.cash - self.floor)
            self.drawn -= amount
            self._new(key, PROVIDER, BANK, C["credit_repayment"], amount)

    # ------------------------------------------------------------------ the investor

    def _call_tranche(self, key, j: int) -> None:
        if self.inv is None or j in self.called:
            return
        self.called.add(j)
        amount = min(self.uncalled, round_ore(self.inv.capital * self.inv.tranches[j].share))
        if amount <= 0:
            return
        self.uncalled -= amount
        self.paid_in += amount
        self._new(key, INVESTOR, PROVIDER, C["investor_capital"], amount)
        self._repay_line(key)

    def _investor_due(self) -> tuple[int, int]:
        cap = self.inv.return_cap
        if cap.total_share is not None:
            earned = round_ore(cap.total_share * self.paid_in / 100)
        else:
            earned = round_ore(cap.yearly_rate * self.capital_days / 365 / 100)
        return self.paid_in - self.principal_repaid, max(0, earned - self.return_paid)

    def _investor_keeps(self, row: tuple) -> None:
        """An outcome payment paid to the investor: principal, then return, the rest to the provider."""
        amount, key = row[6], row[:3]
        principal, ret = self._investor_due()
        to_principal = min(amount, principal)
        to_return = min(amount - to_principal, ret)
        self.principal_repaid += to_principal
        self.return_paid += to_return
        self._write(row, base=True)
        rest = amount - to_principal - to_return
        if rest > 0:
            self._new(key, INVESTOR, PROVIDER, C["investor_pass_through"], rest)
            self._repay_line(key)

    def _provider_repays_investor(self, key, amount: int) -> None:
        inv = self.inv
        if inv.receives_outcome_payments:
            return
        if inv.waterfall == "investor_first":
            budget = min(amount, self.cash)
        else:
            budget = self.cash - self.floor if not self.drawn else 0
        self._pay_investor(key, budget)

    def _pay_investor(self, key, budget: int) -> None:
        principal, ret = self._investor_due()
        pay = min(principal, budget)
        if pay > 0:
            budget -= pay
            self.principal_repaid += pay
            self._new(key, PROVIDER, INVESTOR, C["investor_repayment"], pay)
        pay = min(ret, budget)
        if pay > 0:
            self.return_paid += pay
            self._new(key, PROVIDER, INVESTOR, C["investor_return"], pay)

    def _protect_capital(self) -> None:
        inv = self.inv
        if inv is None or inv.protection is None:
            return
        shortfall = round_ore(inv.protection.share * self.paid_in / 100) - self.principal_repaid - self.return_paid
        if shortfall > 0:
            self.principal_repaid += shortfall
            self._new((int(self.k.end), MONTH_CLOSE, 1.0), PAYERS[inv.protection.paid_by], INVESTOR, C["capital_protection"], shortfall)

    # ------------------------------------------------------------------ the estate

    def wind_up(self, later: Rows) -> Account:
        failed = self.failed_at
        assert failed is not None
        self.going_concern = len(self.rows)
        self.limit = 0  # the line is closed
        if self.cash < 0:  # bills past due at the stop: the creditors lose them
            self.written_off = -self.cash
            self._new(failed, EXTERNAL, PROVIDER, C["unpaid_at_stop"], self.written_off)
        self._settle(failed)
        g = self.g
        owed_guarantor = 0
        if g is not None and self.guarantee_on and g.type == "on_demand":
            owed_guarantor = self._guarantee_pays(failed)
        rows = [tuple(getattr(later, f)[j].item() for f in ROW_FIELDS) for j in range(len(later))]
        if self.inv is not None and self.inv.receives_outcome_payments:
            rows = [r[:4] + (INVESTOR,) + r[5:] if r[5] in OUTCOMES and r[4] == PROVIDER else r for r in rows]
        last = failed
        for row in rows:
            key = row[:3]
            if row[4] == INVESTOR:
                self._investor_keeps(row)
            else:
                self._write(row, base=True)
            if row[4] in (PROVIDER, INVESTOR):  # the estate receives money: the last such day is the guarantor's
                last = key
                self._settle(key)
                if owed_guarantor and self.cash > 0:
                    recovery = min(owed_guarantor, self.cash)
                    owed_guarantor -= recovery
                    self._new(key, PROVIDER, self.guarantor, C["guarantee_recovery"], recovery)
                if self.inv is not None and self.cash > 0:  # then the investor, unsecured
                    self._pay_investor(key, self.cash)
        if g is not None and self.guarantee_on and g.type == "final_loss":
            self._guarantee_pays(last)
        self._protect_capital()
        return self._account()

    def _settle(self, key) -> None:
        """The estate's cash repays the bank: the credit line first, then the loan."""
        amount = min(self.drawn, self.cash)
        if amount > 0:
            self.drawn -= amount
            self._new(key, PROVIDER, BANK, C["credit_repayment"], amount)
        amount = min(self.loan, self.cash)
        if amount > 0:
            self.loan -= amount
            self._new(key, PROVIDER, BANK, C["loan_repayment"], amount)

    def _guarantee_pays(self, key) -> int:
        """The guarantor pays the bank its share of the guaranteed debt still unpaid; returns
        what it may recover from the estate (on demand)."""
        g = self.g
        line_part = self.drawn if g.covers in ("credit_line", "both") else 0
        loan_part = self.loan if g.covers in ("loan", "both") else 0
        amount = round_ore(g.share * (line_part + loan_part) / 100)
        if g.max_amount is not None:
            amount = min(amount, round_ore(g.max_amount))
        if amount <= 0:
            return 0
        self.drawn -= min(amount, line_part)
        self.loan -= amount - min(amount, line_part)
        self.guarantee_on = False  # once paid, the guarantor owes nothing more
        self._new(key, self.guarantor, BANK, C["guarantee_payout"], amount)
        return amount if g.type == "on_demand" else 0


def _payment_at(rows: list[tuple], i: int, single: bool) -> list[tuple]:
    """The rows of the payment that starts at row ``i``: the rows from it at the same moment
    that all pay the provider, or are all paid by it (only row ``i`` when ``single``)."""

    def side(r: tuple) -> str:
        if r[3] == PROVIDER:
            return "out"
        return "in" if r[4] == PROVIDER else "other"

    first = rows[i]
    if single or side(first) == "other":
        return [first]
    out = [first]
    for r in rows[i + 1 :]:
        if r[:3] != first[:3] or side(r) != side(first):
            break
        out.append(r)
    return out
