"""The ledger: every movement of money, one row each, in whole öre, in date order.

Rows are kept as columns of plain Python lists while the engine runs (appending is the hot
path); the DataFrame is built once, when somebody asks for it. Balances are updated as rows
are posted, so the engine decides with exactly the positions the ledger shows.
"""

from __future__ import annotations

import math
from enum import IntEnum

import pandas as pd

from sib.calendar import Clock


class Party(IntEnum):
    COMMISSIONER = 0
    PROVIDER = 1
    BANK = 2
    GUARANTOR = 3
    INVESTOR = 4
    STATE = 5
    EXTERNAL = 6


PARTIES = tuple(p.name.lower() for p in Party)

#: Why money moved. New categories are appended (the codes are positions in this tuple).
CATEGORIES = (
    "upfront_payment",
    "fixed_monthly",
    "fixed_participant_months",
    "outcome_payment",
    "cohort_outcome_payment",
    "start_up",
    "overhead",
    "direct_costs",
    "intake",
    "salaries",
    "employer_fees",
)
CATEGORY = {name: code for code, name in enumerate(CATEGORIES)}

NO_ID = -1


def round_ore(amount_sek: float) -> int:
    """Kronor to whole öre, half up. The 1e-7 absorbs binary noise (2.675 kr is 267.5 öre)."""
    return math.floor(amount_sek * 100 + 0.5 + 1e-7)


class Ledger:
    """Columns of posted rows plus the running balance of each party and the provider's cash."""

    def __init__(self, clock: Clock, opening_cash_ore: int):
        self.clock = clock
        self.day: list[int] = []
        self.payer: list[int] = []
        self.payee: list[int] = []
        self.category: list[int] = []
        self.amount: list[int] = []
        self.participant: list[int] = []
        self.invoice: list[int] = []
        self.accrued: list[int] = []
        self.balance = [0] * len(Party)  # received minus paid, per party
        self.opening_cash = opening_cash_ore
        self.cash = opening_cash_ore
        # Monthly series of the provider's cash: month-end and month-lowest, and each party's
        # cumulative net flow at month end. ``_month`` is the month being filled.
        self._month = 0
        self._low = opening_cash_ore
        self.month_end_cash: list[int] = []
        self.month_low_cash: list[int] = []
        self.month_end_balance: list[list[int]] = []
        self.min_cash = opening_cash_ore
        self.min_cash_day = 0
        self.first_shortfall_day: int | None = None

    def post(
        self,
        day: int,
        payer: int,
        payee: int,
        category: int,
        amount_ore: int,
        participant: int = NO_ID,
        invoice: int = NO_ID,
        accrued: int | None = None,
    ) -> None:
        """Move ``amount_ore`` from payer to payee on ``day``; days must not go backwards."""
        if amount_ore <= 0:
            return
        month = self.clock.month_of_day[day]
        if month != self._month:
            self._close_months(month)
        self.day.append(day)
        self.payer.append(payer)
        self.payee.append(payee)
        self.category.append(category)
        self.amount.append(amount_ore)
        self.participant.append(participant)
        self.invoice.append(invoice)
        self.accrued.append(day if accrued is None else accrued)
        balance = self.balance
        balance[payer] -= amount_ore
        balance[payee] += amount_ore
        if payer == 1 or payee == 1:  # Party.PROVIDER
            cash = self.opening_cash + balance[1]
            self.cash = cash
            if cash < self._low:
                self._low = cash
            if cash < self.min_cash:
                self.min_cash, self.min_cash_day = cash, day
            if cash < 0 and self.first_shortfall_day is None:
                self.first_shortfall_day = day

    def post_lines(self, day: int, payer: int, payee: int, invoice: int, lines: list[tuple[int, int, int, int]]) -> None:
        """Post an invoice's lines (category, öre, accrued day, participant) in one go."""
        if payer == 1:  # money leaving the provider goes row by row: each may set a new low
            for cat, amount, accrued, person in lines:
                self.post(day, payer, payee, cat, amount, person, invoice, accrued)
            return
        lines = [line for line in lines if line[1] > 0]
        if not lines:
            return
        month = self.clock.month_of_day[day]
        if month != self._month:
            self._close_months(month)
        n = len(lines)
        cats, amounts, accrued, people = zip(*lines)
        self.day.extend([day] * n)
        self.payer.extend([payer] * n)
        self.payee.extend([payee] * n)
        self.category.extend(cats)
        self.amount.extend(amounts)
        self.participant.extend(people)
        self.invoice.extend([invoice] * n)
        self.accrued.extend(accrued)
        total = sum(amounts)
        self.balance[payer] -= total
        self.balance[payee] += total
        if payee == 1:
            self.cash = self.opening_cash + self.balance[1]

    def _close_months(self, upto: int) -> None:
        """Record month-end figures for every month before ``upto``."""
        while self._month < upto:
            self.month_end_cash.append(self.cash)
            self.month_low_cash.append(self._low)
            self.month_end_balance.append(list(self.balance))
            self._month += 1
            self._low = self.cash

    def close(self, last_month: int) -> None:
        """Finish the monthly series through month index ``last_month``."""
        self._close_months(last_month + 1)

    def frame(self) -> pd.DataFrame:
        """The ledger as a DataFrame, one row per movement of money."""
        dates = pd.to_datetime(self.clock.start) + pd.to_timedelta(self.day, unit="D")
        accrued = pd.to_datetime(self.clock.start) + pd.to_timedelta(self.accrued, unit="D")
        return pd.DataFrame(
            {
                "date": dates.date,
                "payer": pd.Categorical.from_codes(self.payer, PARTIES),
                "payee": pd.Categorical.from_codes(self.payee, PARTIES),
                "category": pd.Categorical.from_codes(self.category, CATEGORIES),
                "amount_ore": pd.array(self.amount, dtype="int64"),
                "participant": pd.array([p if p >= 0 else None for p in self.participant], dtype="Int64"),
                "invoice": pd.array([v if v >= 0 else None for v in self.invoice], dtype="Int64"),
                "accrued": accrued.date,
            }
        )
