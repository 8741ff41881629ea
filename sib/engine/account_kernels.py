"""The moves every rule of the account is made of, compiled: a row generated, balance-days
accrued, a draw on the credit line, the line repaid; and at the end the account as rows in
order with the positions after each (``k_rows``).

They work on the state arrays of ``account_state``; the rules that use them are in
``treasury_kernels`` (the walk), ``investor`` (the investor's waterfall) and ``estate`` (the
wind-up after a stop). A key (day, phase, moment) says when a generated row moves money; its
insertion point ``at`` how many base rows come before it in the output.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sib.engine import kernel_cache  # noqa: F401 (stamps the account's kernels before they are decorated)
from sib.engine.account_state import (
    F_MAX_ORE,
    F_SHARE,
    FLOAT,
    G_GUARANTEED_DAYS,
    INT,
    INTS,
    NEVER,
    P_COVERS_LINE,
    P_COVERS_LOAN,
    P_FEE_ON_EXPOSURE,
    R_AMOUNT,
    R_AT,
    R_CATEGORY,
    R_D_DRAWN,
    R_D_INVESTED,
    R_D_LOAN,
    R_DAY,
    R_MOMENT,
    R_PAYEE,
    R_PAYER,
    R_PHASE,
    S_CAPITAL_DAYS,
    S_CASH,
    S_DRAWN,
    S_DRAWN_DAYS,
    S_FLOOR,
    S_GENERATED,
    S_GUARANTEE_ENDED_AT,
    S_GUARANTEE_ON,
    S_LAST_DAY,
    S_LIMIT,
    S_LIMIT_CLOSED_AT,
    S_LOAN,
    S_LOAN_DAYS,
    S_PAID_IN,
    S_PRINCIPAL_REPAID,
    S_UNDRAWN_DAYS,
    TABLE,
)
from sib.engine.ledger import CATEGORY, NO_ID, Party

PROVIDER, BANK = int(Party.PROVIDER), int(Party.BANK)
CREDIT_DRAW, CREDIT_REPAYMENT = CATEGORY["credit_draw"], CATEGORY["credit_repayment"]


@numba.njit(cache=True)
def ore(amount_sek: float) -> int:
    """Kronor to whole öre, half up (``ledger.round_ore``)."""
    return math.floor(amount_sek * 100 + 0.5 + 1e-7)


@numba.njit((INTS, TABLE, INT, INT, FLOAT, INT, INT, INT, INT, INT, INT, INT, INT), cache=True)
def emit(st, out, day, phase, moment, payer, payee, category, amount, d_drawn, d_loan, d_invested, at):
    """A generated row: it moves the provider's cash, and ``d_*`` is what it changes in the
    credit drawn, the loan and the investor's capital outstanding (the caller changes those)."""
    g = st[S_GENERATED]
    if g >= out.shape[0]:
        raise IndexError("the account's row buffer is full")
    out[g, R_DAY] = day
    out[g, R_PHASE] = phase
    out[g, R_MOMENT] = moment
    out[g, R_PAYER] = payer
    out[g, R_PAYEE] = payee
    out[g, R_CATEGORY] = category
    out[g, R_AMOUNT] = amount
    out[g, R_D_DRAWN] = d_drawn
    out[g, R_D_LOAN] = d_loan
    out[g, R_D_INVESTED] = d_invested
    out[g, R_AT] = at
    st[S_GENERATED] = g + 1
    if payer == PROVIDER:
        st[S_CASH] -= amount
    elif payee == PROVIDER:
        st[S_CASH] += amount


@numba.njit((INTS, INT), cache=True)
def position(st, at):
    """The output row the next generated row at insertion point ``at`` will be."""
    return at + st[S_GENERATED]


@numba.njit(cache=True)
def guaranteed_exposure(st, ip, fp):
    """The guaranteed part of the bank's exposure now (öre, a float: share × drawn and loan)."""
    exposure = 0
    if ip[P_COVERS_LINE]:
        exposure += st[S_DRAWN]
    if ip[P_COVERS_LOAN]:
        exposure += st[S_LOAN]
    return min(fp[F_SHARE] * exposure, fp[F_MAX_ORE])


@numba.njit(cache=True)
def advance(st, fs, ip, fp, day):
    """Accrue balance-days up to (not including) ``day``: each day counts its closing balance."""
    span = day - st[S_LAST_DAY]
    if span > 0:
        st[S_DRAWN_DAYS] += st[S_DRAWN] * span
        st[S_UNDRAWN_DAYS] += (st[S_LIMIT] - st[S_DRAWN]) * span
        st[S_LOAN_DAYS] += st[S_LOAN] * span
        st[S_CAPITAL_DAYS] += (st[S_PAID_IN] - st[S_PRINCIPAL_REPAID]) * span
        if ip[P_FEE_ON_EXPOSURE] and st[S_GUARANTEE_ON]:
            fs[G_GUARANTEED_DAYS] += guaranteed_exposure(st, ip, fp) * span
        st[S_LAST_DAY] = day


@numba.njit((INTS, TABLE, INT, INT, FLOAT, INT, INT, INT), cache=True)
def draw(st, out, day, phase, moment, amount, undrawn, at):
    """Draw what paying ``amount`` needs to keep cash at the floor, up to ``undrawn``."""
    short = st[S_FLOOR] - (st[S_CASH] - amount)
    if short > 0 and undrawn > 0:
        drawn = min(short, undrawn)
        st[S_DRAWN] += drawn
        emit(st, out, day, phase, moment, BANK, PROVIDER, CREDIT_DRAW, drawn, drawn, 0, 0, at)


@numba.njit((INTS, TABLE, INT, INT, FLOAT, INT), cache=True)
def repay_line(st, out, day, phase, moment, at):
    """Income repays the credit line down to the floor, at once."""
    if st[S_DRAWN] and st[S_CASH] > st[S_FLOOR]:
        amount = min(st[S_DRAWN], st[S_CASH] - st[S_FLOOR])
        st[S_DRAWN] -= amount
        emit(st, out, day, phase, moment, PROVIDER, BANK, CREDIT_REPAYMENT, amount, -amount, 0, 0, at)


@numba.njit((INTS, INT), cache=True)
def close_line(st, at):
    """The credit line closes: its limit is 0 from the next output row on."""
    st[S_LIMIT] = 0
    if st[S_LIMIT_CLOSED_AT] == NEVER:
        st[S_LIMIT_CLOSED_AT] = position(st, at)


@numba.njit((INTS, INT), cache=True)
def end_guarantee(st, at):
    """The guarantee is no longer in force from the next output row on."""
    st[S_GUARANTEE_ON] = 0
    if st[S_GUARANTEE_ENDED_AT] == NEVER:
        st[S_GUARANTEE_ENDED_AT] = position(st, at)


@numba.njit(cache=True)
def k_rows(table, day, phase, moment, payer, payee, category, amount, participant, invoice, accrued, marks, opening_cash):
    """The base rows and the generated ``table`` merged in processing order (generated row g
    before base row b when its insertion point is at most b), with the credit drawn, the loan
    and the investor's capital (running sums of the rows' changes; ``marks``: a base row's
    change in the investor's capital) and the provider's cash after each row; and for each
    row, the base rows before it (a base row's own index, or the base row a generated row
    goes before)."""
    n_base, n_gen = day.size, table.shape[0]
    n = n_base + n_gen
    o_day, o_phase, o_moment = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n)
    o_payer, o_payee, o_category = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    o_amount, o_participant = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    o_invoice, o_accrued = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    drawn, loan = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    invested, cash = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    base_before = np.empty(n, dtype=np.int64)
    b = g = 0
    d = lo = inv = 0
    c = opening_cash
    for k in range(n):
        base_before[k] = b
        if g < n_gen and (b >= n_base or table[g, R_AT] <= b):
            o_day[k], o_phase[k], o_moment[k] = int(table[g, R_DAY]), int(table[g, R_PHASE]), table[g, R_MOMENT]
            o_payer[k], o_payee[k], o_category[k], o_amount[k] = (
                int(table[g, R_PAYER]),
                int(table[g, R_PAYEE]),
                int(table[g, R_CATEGORY]),
                int(table[g, R_AMOUNT]),
            )
            o_participant[k], o_invoice[k], o_accrued[k] = NO_ID, NO_ID, int(table[g, R_DAY])
            d += int(table[g, R_D_DRAWN])
            lo += int(table[g, R_D_LOAN])
            inv += int(table[g, R_D_INVESTED])
            g += 1
        else:
            o_day[k], o_phase[k], o_moment[k] = day[b], phase[b], moment[b]
            o_payer[k], o_payee[k], o_category[k], o_amount[k] = payer[b], payee[b], category[b], amount[b]
            o_participant[k], o_invoice[k], o_accrued[k] = participant[b], invoice[b], accrued[b]
            inv += marks[b]
            b += 1
        if o_payee[k] == PROVIDER:
            c += o_amount[k]
        if o_payer[k] == PROVIDER:
            c -= o_amount[k]
        drawn[k], loan[k], invested[k], cash[k] = d, lo, inv, c
    return (
        o_day,
        o_phase,
        o_moment,
        o_payer,
        o_payee,
        o_category,
        o_amount,
        o_participant,
        o_invoice,
        o_accrued,
        drawn,
        loan,
        invested,
        cash,
        base_before,
    )
