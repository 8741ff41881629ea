"""Winding up the estate after a stop: the bank first, the guarantee, recoveries, the investor.

A mixin of ``Treasury``; see ``Estate.wind_up``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sib.engine.investor import outcomes_to_investor
from sib.engine.ledger import CATEGORY, Party, Rows, round_ore

PROVIDER, BANK, INVESTOR, EXTERNAL = int(Party.PROVIDER), int(Party.BANK), int(Party.INVESTOR), int(Party.EXTERNAL)
C = CATEGORY

if TYPE_CHECKING:
    from sib.engine.treasury import Account
    from sib.engine.treasury import Treasury as _Base
else:
    _Base = object


class Estate(_Base):
    """After a stop: the estate's cash and later receipts go to the bank, the guarantor and the
    investor in that order."""

    def wind_up(self, later: Rows) -> Account:
        """After a stop: the estate repays the bank first, the guarantee pays its share, and
        what the estate receives later (outcomes reached and months delivered before the stop)
        goes to the bank, then back to the guarantor, and only then stays with the estate.

        Interest stops at the insolvency date. On demand (proprieborgen) the guarantor pays at
        once its share of what the estate's cash did not cover; for the final loss
        (fyllnadsborgen) it pays its share of what is left after every recovery, on the last day
        the estate receives money."""
        failed = self.failed_at
        assert failed is not None, "wind_up follows a stop"
        self.failed_at = None
        self.going_concern = self._position()
        self._set_limit(0)  # the line is closed
        if self.cash < 0:  # bills past due at the stop: the estate does not pay them, its creditors lose them
            self.written_off = -self.cash
            self._emit(failed, EXTERNAL, PROVIDER, C["unpaid_at_stop"], self.written_off)
        self._settle_from_cash(failed)
        g = self.fin.guarantee
        self.owed_guarantor = 0
        guarantor = int(Party.GUARANTOR) if g is None or g.guarantor == "mikrofonden" else int(Party.COMMISSIONER)
        if g is not None and self.guarantee_active and g.type == "on_demand":
            self._guarantee_pays(failed, guarantor)
        if self.investor is not None and self.investor.receives_outcome_payments:
            later = outcomes_to_investor(later)
        self._next_segment(later)
        last = self._receipts_compiled(later, guarantor, failed) if self.investor is None else None
        if last is None:
            last = self._receipts(later, guarantor, failed)
        if g is not None and self.guarantee_active and g.type == "final_loss":
            self._guarantee_pays(last, guarantor)
        self._protect_capital()
        account = self._account()
        account.failed_at = failed
        return account

    def _receipts(self, later: Rows, guarantor: int, failed: tuple[int, int, float]) -> tuple[int, int, float]:
        """The estate's payments and receipts after the stop, row by row: receipts go to the
        bank, then back to the guarantor, then to the investor. Returns the last row's key."""
        days, phases, moments = later.day.tolist(), later.phase.tolist(), later.moment.tolist()
        payers, payees, amounts = later.payer.tolist(), later.payee.tolist(), later.amount.tolist()
        last = failed
        for i in range(len(days)):
            key = (days[i], phases[i], moments[i])
            self._i = i + 1
            last = key
            if payers[i] == PROVIDER:
                self.cash -= amounts[i]
            if payees[i] == INVESTOR:
                self._investor_keeps(key, amounts[i])  # may pass some on to the estate
            elif payees[i] == PROVIDER:
                self.cash += amounts[i]
            if payees[i] in (PROVIDER, INVESTOR):
                self._settle_from_cash(key)
                if self.owed_guarantor and self.cash > 0:
                    amount = min(self.owed_guarantor, self.cash)
                    self.owed_guarantor -= amount
                    self._emit(key, PROVIDER, guarantor, C["guarantee_recovery"], amount)
                if self.investor is not None and self.cash > 0:  # then the investor, unsecured
                    self._estate_repays_investor(key)
        return last

    def _settle_from_cash(self, key: tuple[int, int, float]) -> None:
        """The estate's cash repays the bank: the credit line first, then the loan."""
        for kind, category in (("drawn", C["credit_repayment"]), ("loan", C["loan_repayment"])):
            owed = getattr(self, kind)
            amount = min(owed, self.cash)
            if amount > 0:
                setattr(self, kind, owed - amount)
                deltas = (-amount, 0) if kind == "drawn" else (0, -amount)
                self._emit(key, PROVIDER, BANK, category, amount, *deltas)

    def _guarantee_pays(self, key: tuple[int, int, float], guarantor: int) -> None:
        """The guarantor pays the bank its share of the guaranteed debt still unpaid."""
        g = self.fin.guarantee
        line_part = self.drawn if g.covers in ("credit_line", "both") else 0
        loan_part = self.loan if g.covers in ("loan", "both") else 0
        amount = round_ore(g.share * (line_part + loan_part) / 100)
        if g.max_amount is not None:
            amount = min(amount, round_ore(g.max_amount))
        if amount <= 0:
            return
        from_line = min(amount, line_part)
        self.drawn -= from_line
        self.loan -= amount - from_line
        self.owed_guarantor = amount if g.type == "on_demand" else 0
        self._set_guarantee(False)  # once paid, the guarantor owes nothing more (it is owed instead)
        self._emit(key, guarantor, BANK, C["guarantee_payout"], amount, -from_line, -(amount - from_line))
