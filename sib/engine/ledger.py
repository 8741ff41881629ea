"""The ledger: every movement of money, one row each, in whole öre, in date order.

The engine collects dated flows from the contract and the provider's costs as arrays, then
orders them once: by date, and within a day by the phase of the day in which money moves
(``START_OF_DAY`` costs such as salaries, then incoming ``PAYMENTS``, then costs at the
moment of an ``ENROLMENT``, then ``END_OF_DAY`` month-end costs). Balances, the provider's
cash after every row and the monthly series are cumulative sums over that order, so the
positions the engine reports are the ledger's by construction, to the öre.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property

import numpy as np
import pandas as pd

from sib.calendar import Clock
from sib.engine.month_kernels import end_and_low


class Party(IntEnum):
    COMMISSIONER = 0
    PROVIDER = 1
    BANK = 2
    GUARANTOR = 3
    INVESTOR = 4
    STATE = 5
    EXTERNAL = 6


PARTIES = tuple(p.name.lower() for p in Party)
#: The parties as plain ints, for the engine's arrays (an enum member costs a call to look up
#: and to convert).
COMMISSIONER, PROVIDER, BANK, GUARANTOR, INVESTOR, STATE, EXTERNAL = (int(p) for p in Party)
#: Who may pay a fee or a top-up, by the name a scenario uses.
PAYERS = {"provider": int(Party.PROVIDER), "commissioner": int(Party.COMMISSIONER), "external": int(Party.EXTERNAL)}

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
    "credit_draw",
    "credit_repayment",
    "credit_interest",
    "commitment_fee",
    "setup_fee",
    "loan_payout",
    "loan_repayment",
    "loan_interest",
    "guarantee_fee",
    "guarantee_payout",
    "guarantee_recovery",
    "estate_repayment",
    "takeover",
    "late_payment_interest",
    "input_vat",
    "output_vat",
    "vat_payment",
    "vat_refund",
    "vat_compensation",
    "participant_wages",
    "wage_subsidy",
    "sales",
    "investor_capital",
    "investor_repayment",
    "investor_return",
    "investor_pass_through",
    "capital_protection",
    "rent",
    "tenant_rent",
    "overdue_interest",  # late-payment interest on the provider's bills paid late (liquidity)
    "unpaid_at_stop",  # bills past due at a stop that the estate does not pay (creditors' loss)
    "reprocurement",  # the municipality's one-off cost of replacing a failed provider
    "service_gap",  # participant-days without support between a stop and its continuation
    "continuation",  # the municipality carrying the service on after a stop
    "invoice_advance",  # a financier's advance against an approved municipal invoice
    "invoice_advance_repayment",  # the advance repaid when the invoice is paid
    "invoice_financing_fee",  # the financier's charge for the advance
    "start_up_grant",  # the contract's start-up grant (not scaled by pricing)
    "unused_places",  # the fee paid for places of a guaranteed volume left unused
    "commissioner_set_up",  # the municipality's own cost of designing and procuring the contract
    "contract_management",  # its contract management and ongoing evaluation
    "final_evaluation",  # the final evaluation report
    "day_payment",  # a price per day in some states (contract.per_day)
    "exit_payment",  # a planned exit, by the length of the stay
)
CATEGORY = {name: code for code, name in enumerate(CATEGORIES)}
FIXED_CATEGORIES = frozenset(
    CATEGORY[c] for c in ("upfront_payment", "start_up_grant", "fixed_monthly", "fixed_participant_months", "unused_places")
)
OUTCOME_CATEGORIES = frozenset(CATEGORY[c] for c in ("outcome_payment", "cohort_outcome_payment", "day_payment", "exit_payment"))


@functools.cache
def category_mask(codes: frozenset[int]) -> np.ndarray:
    """A lookup table: ``category_mask(codes)[category]`` is whether a row's category is one of
    ``codes`` (cheaper than ``np.isin`` on the engine's small arrays). Read-only: shared."""
    mask = np.zeros(len(CATEGORIES), dtype=bool)
    mask[list(codes)] = True
    mask.flags.writeable = False
    return mask


NO_ID = -1
START_OF_DAY, PAYMENTS, ENROLMENT, END_OF_DAY, MONTH_CLOSE = range(5)


def round_ore(amount_sek: float) -> int:
    """Kronor to whole öre, half up. The 1e-7 absorbs binary noise (2.675 kr is 267.5 öre)."""
    return math.floor(amount_sek * 100 + 0.5 + 1e-7)


def round_ore_array(amount_ore: np.ndarray | float) -> np.ndarray:
    """Öre amounts (floats) to whole öre, half up, with the same tolerance as ``round_ore``."""
    return np.floor(np.asarray(amount_ore, dtype=float) + 0.5 + 1e-7).astype(np.int64)


class Flows:
    """Dated movements of money collected before they are ordered into the ledger.

    Each ``add`` keeps its arguments as given; the columns are built once, in ``ordered``,
    where a column that is a scalar in every part is one ``np.repeat`` (adding flows is in
    the engine's inner loop, and a column of constants per call was most of its time)."""

    def __init__(self) -> None:
        self._parts: list[tuple] = []
        self._sizes: list[int] = []

    def add(
        self,
        day,
        phase: int,
        payer: int,
        payee: int,
        category,
        amount,
        participant=NO_ID,
        invoice=NO_ID,
        accrued=None,
        moment=0.0,
    ) -> None:
        """Add flows; scalars broadcast against the array arguments."""
        day = np.asarray(day, dtype=np.int64)
        if day.ndim == 0:
            day = day.reshape(1)
        n = day.size
        if n == 0:
            return
        self._parts.append((day, phase, moment, payer, payee, category, amount, participant, invoice, day if accrued is None else accrued))
        self._sizes.append(n)

    def copy(self) -> Flows:
        """Another collection with these flows, to add more to (the flows themselves are never
        changed once added, so they are not copied)."""
        out = Flows()
        out._parts, out._sizes = list(self._parts), list(self._sizes)
        return out

    def columns(self) -> list[np.ndarray]:
        """The flows as the ten ``ROW_FIELDS`` columns, in the order they were added."""
        if not self._parts:
            cols = [np.zeros(0, dtype=np.int64) for _ in ROW_FIELDS]
            cols[2] = np.zeros(0)
            return cols
        sizes = self._sizes
        cols = int_columns(self._parts, sizes, [j for j in range(len(ROW_FIELDS)) if j != 2])
        cols.insert(2, column([p[2] for p in self._parts], sizes, float))
        return cols

    def ordered(self) -> Rows:
        """The flows with an amount, in the order money moves (day, phase of day, moment)."""
        rows = Rows(*self.columns())
        keep = np.flatnonzero(rows.amount > 0)
        order = np.lexsort((rows.moment[keep], rows.phase[keep], rows.day[keep]))
        return rows.take(keep[order])

    def unordered(self) -> Rows:
        """The flows with an amount, in the order they were added (for a stable merge that
        orders them anyway)."""
        rows = Rows(*self.columns())
        keep = rows.amount > 0
        return rows if keep.all() else rows.take(np.flatnonzero(keep))


def int_columns(parts: list[tuple], sizes: list[int], fields: list[int]) -> list[np.ndarray]:
    """Integer columns from parts (tuples of scalars or arrays, one per part's size): the
    scalars of every part in one matrix, repeated to their part's size in one call, then the
    arrays copied into their slices (a column per call cost more than the values on the
    engine's small arrays). One pass over the parts finds both."""
    fills: list[list] = []
    arrays: list[tuple[int, int, int, np.ndarray]] = []  # (field, first row, end row, values)
    start = 0
    for part, n in zip(parts, sizes):
        fill = []
        for row, j in enumerate(fields):
            v = part[j]
            if type(v) is np.ndarray and v.ndim:
                fill.append(0)
                arrays.append((row, start, start + n, v))
            else:
                fill.append(v)
        fills.append(fill)
        start += n
    table = np.repeat(np.array(fills, dtype=np.int64).T, sizes, axis=1)
    for row, a, b, v in arrays:
        table[row, a:b] = v
    return list(table)


def column(values: list, sizes: list[int], dtype) -> np.ndarray:
    """One column from the parts' values: scalars repeated to their part's size, arrays as given."""
    arrays = [isinstance(v, np.ndarray) and v.ndim > 0 for v in values]
    if not any(arrays):
        return np.repeat(np.array(values, dtype=dtype), sizes)
    if all(arrays):
        return np.concatenate([np.asarray(v, dtype=dtype) for v in values])
    out = np.repeat(np.array([0 if a else v for v, a in zip(values, arrays)], dtype=dtype), sizes)
    start = 0
    for v, a, n in zip(values, arrays, sizes):
        if a:
            out[start : start + n] = np.asarray(v, dtype=dtype)
        start += n
    return out


@dataclass
class Rows:
    """Flows as columns, in order once ``Flows.ordered`` made them."""

    day: np.ndarray
    phase: np.ndarray
    moment: np.ndarray
    payer: np.ndarray
    payee: np.ndarray
    category: np.ndarray
    amount: np.ndarray
    participant: np.ndarray
    invoice: np.ndarray
    accrued: np.ndarray

    def take(self, index: np.ndarray) -> Rows:
        return Rows(*(getattr(self, f)[index] for f in ROW_FIELDS))

    def __len__(self) -> int:
        return len(self.day)

    def keys(self) -> np.ndarray:
        """A sortable key per row: (day, phase, moment) as one float-free tuple array."""
        return np.rec.fromarrays([self.day, self.phase, self.moment], names="day,phase,moment")

    def ledger(
        self, clock: Clock, opening_cash_ore: int, last_month: int, liquidity: np.ndarray | None = None, credit_ore: int = 0
    ) -> Ledger:
        return Ledger(
            *(getattr(self, f) for f in ROW_FIELDS),
            clock=clock,
            opening_cash=opening_cash_ore,
            last_month=last_month,
            liquidity=liquidity,
            opening_liquidity=opening_cash_ore + credit_ore,
        )


ROW_FIELDS = ("day", "phase", "moment", "payer", "payee", "category", "amount", "participant", "invoice", "accrued")


@dataclass
class Ledger(Rows):
    """The ordered rows, with the balances and monthly figures they imply."""

    clock: Clock | None = None
    opening_cash: int = 0
    last_month: int = 0
    liquidity: np.ndarray | None = None  # the provider's cash plus undrawn credit after each row
    opening_liquidity: int = 0  # before the first row: the opening cash and the whole credit line

    def net(self, party: int) -> np.ndarray:
        """The party's signed flow on each row: + received, − paid."""
        return np.where(self.payee == party, self.amount, 0) - np.where(self.payer == party, self.amount, 0)

    def by_party(self, weights: np.ndarray | None = None, bins: np.ndarray | None = None, n_bins: int = 1) -> np.ndarray:
        """Each party's net receipts (received − paid), in öre or weighted per row, summed
        per bin (e.g. the month of each row): a (parties × bins) array, two bincounts in all."""
        w = self.amount if weights is None else weights
        payee, payer, b = self.payee, self.payer, 0 if bins is None else bins
        if bins is not None and bins.size and bins.max() >= n_bins:  # rows past the last bin count nowhere
            keep = bins < n_bins
            payee, payer, w, b = payee[keep], payer[keep], w[keep], bins[keep]
        size = len(Party) * n_bins
        received = np.bincount(payee * n_bins + b, weights=w, minlength=size)
        paid = np.bincount(payer * n_bins + b, weights=w, minlength=size)
        return (received - paid).reshape(len(Party), n_bins)

    @cached_property
    def cash(self) -> np.ndarray:
        """The provider's cash after each row (öre)."""
        return self.opening_cash + np.cumsum(self.net(PROVIDER))

    @property
    def final_cash(self) -> int:
        return int(self.cash[-1]) if self.cash.size else self.opening_cash

    @property
    def min_cash(self) -> tuple[int, int]:
        """The lowest cash and the day it was first reached (the start, if never below it)."""
        if not self.cash.size or self.cash.min() >= self.opening_cash:
            return self.opening_cash, 0
        i = int(self.cash.argmin())
        return int(self.cash[i]), int(self.day[i])

    def total(self, categories: frozenset[int], payer: int | None = None) -> int:
        mask = category_mask(categories)[self.category]
        if payer is not None:
            mask &= self.payer == payer
        return int(self.amount[mask].sum())

    @cached_property
    def monthly(self) -> dict[str, np.ndarray]:
        """Per month index 0..last_month: provider cash at month end and its lowest point in
        the month (including the month's opening), and each party's cumulative net flow."""
        n = self.last_month + 1
        month = self.clock.month_of_day_array[self.day] if self.day.size else np.zeros(0, dtype=np.int64)
        end, low = end_and_low(self.cash, month, n, self.opening_cash)
        out = {"provider_cash_end": end, "provider_cash_low": low}
        if self.liquidity is not None:
            end, low = end_and_low(self.liquidity.astype(np.int64), month, n, self.opening_liquidity)
            out.update(provider_liquidity_end=end, provider_liquidity_low=low)
        # Each party's net flow per month, cumulated: öre sums are exact in float64 (< 2^53).
        cum = np.cumsum(self.by_party(bins=month, n_bins=n), axis=1).astype(np.int64)
        for party in Party:
            if party is not Party.PROVIDER:
                out[PARTIES[party]] = cum[party]
        return out

    def frame(self) -> pd.DataFrame:
        """The ledger as a DataFrame, one row per movement of money."""
        start = pd.Timestamp(self.clock.start)
        return pd.DataFrame(
            {
                "date": (start + pd.to_timedelta(self.day, unit="D")).date,
                "payer": pd.Categorical.from_codes(self.payer, PARTIES),
                "payee": pd.Categorical.from_codes(self.payee, PARTIES),
                "category": pd.Categorical.from_codes(self.category, CATEGORIES),
                "amount_ore": self.amount.astype("int64"),
                "participant": _nullable(self.participant),
                "invoice": _nullable(self.invoice),
                "accrued": (start + pd.to_timedelta(self.accrued, unit="D")).date,
            }
        )


def _nullable(ids: np.ndarray) -> pd.arrays.IntegerArray:
    """Ids as a nullable integer column: NO_ID becomes missing."""
    out = pd.array(ids.astype("int64"), dtype="Int64")
    out[ids < 0] = pd.NA
    return out
