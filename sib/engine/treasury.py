"""The provider's account, row by row: credit drawn and repaid, loans, interest, fees, the
guarantee, the investor, and what happens when a payment falls due that liquidity cannot cover.

The contract's payments and the provider's costs arrive as ordered rows. ``Treasury.walk``
takes them through the account in the compiled rules (``treasury_kernels``, with the
investor's waterfall in ``investor``); a payment that cash plus the undrawn line cannot cover
is paid anyway (the shortfall ``liquidity`` reads), or, from the stop on, refused. After a
stop ``Treasury.wind_up`` winds up the estate (``estate``). The result is an ``Account``: the
rows in the order money moved and the positions after each one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sib.engine.account_kernels import k_rows
from sib.engine.account_state import (
    F_SHARE,
    FAILED_EVENT,
    FAILED_ROW,
    NEVER,
    P_COVERS_LINE,
    P_COVERS_LOAN,
    P_GUARANTEE_CAP,
    P_STOP,
    P_STOP_DAY,
    ROW_WIDTH,
    S_CASH,
    S_FIRST_SHORT,
    S_FLOOR,
    S_GENERATED,
    S_GUARANTEE_ENDED_AT,
    S_GUARANTEE_ON,
    S_LIMIT,
    S_LIMIT_CLOSED_AT,
    S_REFUSED,
    S_REFUSED_FROM,
    S_UNCALLED,
    S_WRITTEN_OFF,
    new_state,
)
from sib.engine.compiled import Compiled
from sib.engine.estate import k_wind_up
from sib.engine.financing_tables import FinancingTables, tables
from sib.engine.investor import outcomes_to_investor
from sib.engine.ledger import ROW_FIELDS, Rows
from sib.engine.treasury_kernels import k_walk

__all__ = ["NEVER", "Account", "Treasury"]


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


class Treasury:
    """The provider's account under the scenario's financing: one walk of ordered rows, and
    after a stop the estate's wind-up. The state is the compiled rules' (``account_state``)."""

    def __init__(self, compiled: Compiled, opening_cash: int, active: bool = True):
        """``active=False``: no financing and no stop, only the cash (for pricing)."""
        self.tables: FinancingTables = tables(compiled, active)
        t = self.tables
        self.opening_cash = opening_cash
        self.st, self.fs = new_state(t.n_tranches)
        self.st[S_CASH], self.st[S_LIMIT], self.st[S_FLOOR] = opening_cash, t.limit, t.floor
        self.st[S_UNCALLED], self.st[S_GUARANTEE_ON] = t.capital, t.guarantee
        self.ip = t.ip
        self.out = np.empty((0, ROW_WIDTH))
        # The output: the base rows passed through (the first ``used`` of each segment: the
        # walk's, then the estate's), with their changes in the investor's capital.
        self._segments: list[Rows] = []
        self._marks: list[np.ndarray] = []
        self._used: list[int] = []
        self.failed_at: tuple[int, int, float] | None = None
        self._going_concern: int | None = None

    # ------------------------------------------------------------------ what the walk found

    @property
    def first_short(self) -> int | None:
        """The first day a payment could not be covered (None: never)."""
        day = int(self.st[S_FIRST_SHORT])
        return None if day < 0 else day

    @property
    def refused(self) -> int:
        """The payment refused at the stop (öre)."""
        return int(self.st[S_REFUSED])

    @property
    def refused_from(self) -> int:
        """Base rows from here on were not paid by the provider."""
        return int(self.st[S_REFUSED_FROM])

    @property
    def written_off(self) -> int:
        """Öre of bills past due at a stop that the estate leaves unpaid."""
        return int(self.st[S_WRITTEN_OFF])

    # ------------------------------------------------------------------ walking

    def walk(self, base: Rows, stop_from: int = NEVER, stop_day: int = 0) -> Account:
        """Process ``base`` with the financing's own events merged in, in order; the walk ends
        at the first payment it cannot make from base row ``stop_from`` on (``NEVER``: it goes
        on with negative cash; the insolvency test in ``liquidity`` says where to stop); the
        financing's own charges before that row are refused only from ``stop_day`` on."""
        assert not self._segments, "a treasury walks once"
        t = self.tables
        if t.receives_outcomes:
            base = outcomes_to_investor(base)
        self.ip = t.ip.copy()  # shared by every replication: the stop is this walk's own
        self.ip[P_STOP], self.ip[P_STOP_DAY] = stop_from, stop_day
        n = len(base)
        self.out = np.empty((t.rows_per_row * n + 12 * len(t.ev_day) + 4 * t.n_tranches + 16, ROW_WIDTH))
        marks = np.zeros(n, dtype=np.int64)
        i, e, status = k_walk(
            base.payer,
            base.payee,
            base.category,
            base.amount,
            base.day,
            base.phase,
            base.moment,
            marks,
            t.ev_kind,
            t.ev_day,
            t.ev_phase,
            t.ev_moment,
            t.ev_fee,
            t.ev_arg,
            self.st,
            self.fs,
            self.ip,
            t.fp,
            self.out,
        )
        self._segments, self._marks, self._used = [base], [marks], [int(i)]
        if status == FAILED_ROW:
            self.failed_at = (int(base.day[i]), int(base.phase[i]), float(base.moment[i]))
        elif status == FAILED_EVENT:
            self.failed_at = (int(t.ev_day[e]), int(t.ev_phase[e]), float(t.ev_moment[e]))
        return self._account()

    def wind_up(self, later: Rows) -> Account:
        """After a stop: the estate's cash and what it pays and receives later (``later``) go
        to the bank, the guarantor and the investor in that order (``estate``)."""
        failed = self.failed_at
        assert failed is not None and len(self._segments) == 1, "wind_up follows a stop"
        if self.tables.receives_outcomes:
            later = outcomes_to_investor(later)
        m = len(later)
        generated = int(self.st[S_GENERATED])
        out = np.empty((generated + 8 * m + 16, ROW_WIDTH))
        out[:generated] = self.out[:generated]
        self.out = out
        marks = np.zeros(m, dtype=np.int64)
        self._going_concern = int(
            k_wind_up(
                later.payer,
                later.payee,
                later.amount,
                later.day,
                later.phase,
                later.moment,
                marks,
                failed[0],
                failed[1],
                failed[2],
                self._used[0],
                self.st,
                self.ip,
                self.tables.fp,
                out,
            )
        )
        self._segments.append(later)
        self._marks.append(marks)
        self._used.append(m)
        return self._account()

    # ------------------------------------------------------------------ the result

    def _account(self) -> Account:
        """The rows in processing order, with the positions after each."""
        parts = [s if u == len(s) else s.take(np.arange(u)) for s, u in zip(self._segments, self._used)]
        marks = [m[:u] for m, u in zip(self._marks, self._used)]
        if len(parts) == 1:
            base, marks = [getattr(parts[0], f) for f in ROW_FIELDS], marks[0]
        else:
            base, marks = [np.concatenate([getattr(p, f) for p in parts]) for f in ROW_FIELDS], np.concatenate(marks)
        table = self.out[: int(self.st[S_GENERATED])]
        *columns, drawn, loan, invested, cash, base_before = k_rows(table, *base, marks, self.opening_cash)
        n = len(cash)
        t = self.tables
        limit = np.full(n, t.limit, dtype=np.int64)
        limit[min(int(self.st[S_LIMIT_CLOSED_AT]), n) :] = 0
        guaranteed = self._guaranteed(drawn, loan)
        guaranteed[min(int(self.st[S_GUARANTEE_ENDED_AT]), n) :] = 0
        going = n if self._going_concern is None else self._going_concern
        return Account(
            Rows(*columns),
            cash,
            drawn,
            loan,
            limit,
            guaranteed,
            self.failed_at,
            going_concern=going,
            invested=invested,
            base_before=base_before,
        )

    def _guaranteed(self, drawn: np.ndarray, loan: np.ndarray) -> np.ndarray:
        """The part of the bank's exposure the guarantee covers, after each row."""
        t, ip = self.tables, self.tables.ip
        if not t.guarantee:
            return np.zeros(len(drawn), dtype=np.int64)
        exposure = (drawn if ip[P_COVERS_LINE] else 0) + (loan if ip[P_COVERS_LOAN] else 0)
        amount = np.floor(t.fp[F_SHARE] * exposure + 0.5 + 1e-7).astype(np.int64)
        return np.minimum(amount, ip[P_GUARANTEE_CAP]) if ip[P_GUARANTEE_CAP] != NEVER else amount
