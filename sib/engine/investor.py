"""The investor's side of the provider's account (the social impact bond form).

A mixin of ``Treasury``: it shares the account's state (cash, the rows it emits) and adds
the investor's capital, what it is due, and how outcome payments repay it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sib.engine.ledger import CATEGORY, MONTH_CLOSE, PAYERS, ROW_FIELDS, Party, Rows, round_ore

PROVIDER, INVESTOR = int(Party.PROVIDER), int(Party.INVESTOR)
OUTCOMES = (CATEGORY["outcome_payment"], CATEGORY["cohort_outcome_payment"])
C = CATEGORY

if TYPE_CHECKING:  # the attributes Treasury provides
    from sib.engine.treasury import Treasury as _Base
else:
    _Base = object


class InvestorAccount(_Base):
    """Capital paid in, what the investor is due (principal, then a capped return), and how
    outcome payments, the provider or the estate repay it; capital protection at the end."""

    def _call_tranche(self, key: tuple[int, int, float], j: int) -> None:
        """The investor pays in tranche j (once; possibly early, when liquidity needs it)."""
        if j in self._tranches_called or self.investor is None:
            return
        self._tranches_called.add(j)
        amount = min(self.uncalled, round_ore(self.investor.capital * self.investor.tranches[j].share))
        if amount <= 0:
            return
        self.uncalled -= amount
        self.paid_in += amount
        self._emit(key, INVESTOR, PROVIDER, C["investor_capital"], amount, 0, 0, amount)
        self._repay_line(key)

    def _investor_due(self) -> tuple[int, int]:
        """(principal, return) the investor is still owed."""
        principal = self.paid_in - self.principal_repaid
        cap = self.investor.return_cap
        if cap.total_share is not None:
            earned = round_ore(cap.total_share * self.paid_in / 100)
        else:
            earned = round_ore(cap.yearly_rate * self._capital_days / 365 / 100)
        return principal, max(0, earned - self.return_paid)

    def _investor_keeps(self, key: tuple[int, int, float], amount: int) -> None:
        """An outcome payment reached the investor: it keeps its principal, then its return,
        and passes the rest to the provider."""
        principal, ret = self._investor_due()
        to_principal = min(amount, principal)
        to_return = min(amount - to_principal, ret)
        self.principal_repaid += to_principal
        self.return_paid += to_return
        rest = amount - to_principal - to_return
        if to_principal:
            self._investor_delta(-to_principal)
        if rest > 0:
            self._emit(key, INVESTOR, PROVIDER, C["investor_pass_through"], rest)
            if self.drawn and self.cash > self.floor:
                self._repay_line(key)

    def _provider_repays_investor(self, key: tuple[int, int, float], amount: int) -> None:
        """The provider received outcome money: it repays the investor, from that payment
        (investor first) or from the cash left once the credit line is repaid (costs first)."""
        inv = self.investor
        if inv is None or inv.receives_outcome_payments:
            return
        if inv.waterfall == "investor_first":
            budget = min(amount, self.cash)
        else:
            budget = self.cash - self.floor if not self.drawn else 0
        self._pay_investor(key, budget)

    def _estate_repays_investor(self, key: tuple[int, int, float]) -> None:
        """What the estate has left after the bank and the guarantor goes to the investor."""
        self._pay_investor(key, self.cash)

    def _pay_investor(self, key: tuple[int, int, float], budget: int) -> None:
        """The provider pays the investor up to ``budget``: principal first, then the return."""
        principal, ret = self._investor_due()
        for owed, category in ((principal, C["investor_repayment"]), (ret, C["investor_return"])):
            pay = min(owed, budget)
            if pay <= 0:
                continue
            budget -= pay
            if category == C["investor_repayment"]:
                self.principal_repaid += pay
            else:
                self.return_paid += pay
            self._emit(key, PROVIDER, INVESTOR, category, pay, 0, 0,
                       -pay if category == C["investor_repayment"] else 0)

    def _investor_delta(self, d: int) -> None:
        """Record a change in the investor's capital outstanding at the last row (the row that
        paid it: an outcome payment to the investor is a base row, not a generated one)."""
        self._investor_marks.append((self._position() - 1, d))

    def _protect_capital(self) -> None:
        """At the end: a protected share of the capital comes back, topped up by its guarantor."""
        inv = self.investor
        if inv is None or inv.protection is None or not self._segments:
            return
        received = self.principal_repaid + self.return_paid
        shortfall = round_ore(inv.protection.share * self.paid_in / 100) - received
        if shortfall > 0:
            day = int(self.k.end)
            payer = PAYERS[inv.protection.paid_by]
            self.principal_repaid += shortfall
            self._emit((day, MONTH_CLOSE, 1.0), payer, INVESTOR, C["capital_protection"], shortfall, 0, 0, -shortfall)



def outcomes_to_investor(rows: Rows) -> Rows:
    """The same rows with every outcome payment made to the investor instead of the provider."""
    outcome = np.isin(rows.category, OUTCOMES) & (rows.payee == PROVIDER)
    if not outcome.any():
        return rows
    payee = rows.payee.copy()
    payee[outcome] = INVESTOR
    return Rows(*(payee if f == "payee" else getattr(rows, f) for f in ROW_FIELDS))
