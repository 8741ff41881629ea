"""The provider's account walked row by row, compiled: the one implementation of its rules.

The walk is a loop over ~1 000 rows in which every step depends on the last (a draw on the
credit line changes what the next payment can use), so numpy cannot take it. Here are the
rules of the walk: a payment covered from cash, then the credit line (and committed capital,
where it may be called early), or refused at a stop; income repaying the line; interest and
fees actual/365 at each month end; the loan's pay-out and instalments; the guarantee's fees
and its expiry; the investor's tranches and its waterfall (``investor``). The estate's wind-up
after a stop is in ``estate``. ``tests/plain_treasury.py`` walks the same rules in plain
Python, row by row, as the check on this code.

Compiled functions are cached on disk (``cache=True``; ``kernel_cache`` stamps them with all
the files they are compiled from): the first run on a fresh machine compiles them in a few
seconds, later processes load them.
"""

from __future__ import annotations

import numba
import numpy as np

from sib.engine import (
    investor,
    kernel_cache,  # noqa: F401 (stamps the account's kernels before they are decorated)
)
from sib.engine.account_kernels import (
    BANK,
    PROVIDER,
    advance,
    close_line,
    draw,
    emit,
    end_guarantee,
    ore,
    repay_line,
)
from sib.engine.account_state import (
    BOOL,
    DONE,
    F_COMMITMENT_RATE,
    F_FEE_RATE,
    F_LINE_RATE,
    F_LOAN_RATE,
    FAILED_EVENT,
    FAILED_ROW,
    FEE_ON_EXPOSURE,
    FIXED_FEE,
    FLOAT,
    FLOATS,
    G_GUARANTEED_DAYS,
    GUARANTEE_EXPIRY,
    INT,
    INTS,
    LINE_SETUP,
    LOAN_PAYOUT,
    MONTH_END,
    NO_FEE,
    P_BULLET,
    P_CALLS_CAPITAL,
    P_COSTS_FIRST,
    P_FEE_ON_EXPOSURE,
    P_FEE_PAYEE,
    P_FEE_PAYER,
    P_FINAL,
    P_INVESTOR,
    P_LINE,
    P_LOAN,
    P_LOAN_SETUP,
    P_N_TRANCHES,
    P_PAID_OUT,
    P_REPAY_AT_EXPIRY,
    P_STOP,
    P_STOP_DAY,
    P_STRAIGHT,
    S_CASH,
    S_DRAWN,
    S_DRAWN_DAYS,
    S_FIRST_SHORT,
    S_FLOOR,
    S_LIMIT,
    S_LOAN,
    S_LOAN_DAYS,
    S_REFUSED,
    S_REFUSED_FROM,
    S_UNDRAWN_DAYS,
    TABLE,
    TRANCHE,
)
from sib.engine.investor import COHORT_OUTCOME, INVESTOR, OUTCOME
from sib.engine.ledger import CATEGORY

C = CATEGORY
C_CREDIT_REPAYMENT, C_CREDIT_INTEREST, C_COMMITMENT_FEE = C["credit_repayment"], C["credit_interest"], C["commitment_fee"]
C_LOAN_INTEREST, C_LOAN_REPAYMENT, C_LOAN_PAYOUT = C["loan_interest"], C["loan_repayment"], C["loan_payout"]
C_GUARANTEE_FEE, C_SETUP_FEE = C["guarantee_fee"], C["setup_fee"]
OTHER, LINE, LOAN = 0, 1, 2  # what a charge pays: a cost, the credit line itself, the loan


@numba.njit((INTS, INTS, TABLE, INT, INT, FLOAT, INT, BOOL, INT, BOOL), cache=True)
def cover(st, ip, out, day, phase, moment, amount, is_line, i, refusing_row):
    """Make room to pay ``amount``: draw on the line if cash would fall below the floor,
    calling committed capital first where it may be. A payment that cash and the undrawn line
    together cannot cover is paid with negative cash (a shortfall), or, from the stop on, is
    refused (nothing drawn for it) and False is returned. ``i``: base rows before it;
    ``refusing_row``: it is base row ``i`` itself."""
    undrawn = 0 if is_line else st[S_LIMIT] - st[S_DRAWN]  # the line cannot repay itself
    if amount > st[S_CASH] + undrawn:
        if ip[P_CALLS_CAPITAL]:
            for j in range(ip[P_N_TRANCHES]):
                if amount <= st[S_CASH] + undrawn:
                    break
                investor.call_tranche(st, ip, out, day, phase, moment, j, i)
        if amount > st[S_CASH] + undrawn:
            if st[S_FIRST_SHORT] < 0:
                st[S_FIRST_SHORT] = day
            if i >= ip[P_STOP] and day >= ip[P_STOP_DAY]:
                st[S_REFUSED] = amount
                st[S_REFUSED_FROM] = i + 1 if refusing_row else i
                return False
    # ``undrawn`` as it was before any capital came in (which may have repaid some of the line)
    draw(st, out, day, phase, moment, amount, undrawn, i)
    return True


@numba.njit((INTS, INTS, TABLE, INT, INT, FLOAT, INT, INT, INT, INT, INT), cache=True)
def charge(st, ip, out, day, phase, moment, payee, category, amount, kind, i):
    """A payment the provider owes the bank or the guarantor, made like any other; ``kind``
    LINE or LOAN: a repayment of that debt. False if it was refused."""
    if amount <= 0:
        return True
    if not cover(st, ip, out, day, phase, moment, amount, kind == LINE, i, False):
        return False
    if kind == LINE:
        st[S_DRAWN] -= amount
        emit(st, out, day, phase, moment, PROVIDER, payee, category, amount, -amount, 0, 0, i)
    elif kind == LOAN:
        st[S_LOAN] -= amount
        emit(st, out, day, phase, moment, PROVIDER, payee, category, amount, 0, -amount, 0, i)
    else:
        emit(st, out, day, phase, moment, PROVIDER, payee, category, amount, 0, 0, 0, i)
    return True


@numba.njit((INTS, INTS, TABLE, INT, INT, FLOAT, INT, BOOL, INT), cache=True)
def guarantee_fee(st, ip, out, day, phase, moment, fee, going, i):
    """The guarantee's fee (öre). The provider pays it like any other charge, unless a charge
    was already refused (``going`` False); the municipality or a third party pays it anyway."""
    payer, payee = ip[P_FEE_PAYER], ip[P_FEE_PAYEE]
    if payer == PROVIDER:
        if going:
            return charge(st, ip, out, day, phase, moment, payee, C_GUARANTEE_FEE, fee, OTHER, i)
        return False
    if fee > 0 and payer != payee:
        emit(st, out, day, phase, moment, payer, payee, C_GUARANTEE_FEE, fee, 0, 0, 0, i)
    return going


@numba.njit(cache=True)
def instalment(st, ip, day):
    """The loan's instalment at the month end ``day``: the last of the term is whatever is left."""
    if day + 1 >= ip[P_FINAL]:
        return st[S_LOAN]
    if ip[P_BULLET] or day < ip[P_PAID_OUT]:
        return 0
    return min(st[S_LOAN], ip[P_STRAIGHT])


@numba.njit((INTS, FLOATS, INTS, FLOATS, TABLE, INT, INT, FLOAT, INT, INT), cache=True)
def month_end(st, fs, ip, fp, out, day, phase, moment, fee, i):
    """Interest and fees for the month, actual/365 on each day's closing balance, charged on
    its last day; the loan's instalment; the guarantee's monthly fee (``fee``: fixed, on the
    exposure, or none). False if a charge was refused (the provider's later ones are not made)."""
    advance(st, fs, ip, fp, day + 1)
    going = True
    if ip[P_LINE]:
        interest = ore(fp[F_LINE_RATE] * st[S_DRAWN_DAYS] / 365 / 100)
        commitment = ore(fp[F_COMMITMENT_RATE] * st[S_UNDRAWN_DAYS] / 365 / 100)
        st[S_DRAWN_DAYS] = 0
        st[S_UNDRAWN_DAYS] = 0
        going = charge(st, ip, out, day, phase, moment, BANK, C_CREDIT_INTEREST, interest, OTHER, i)
        going = going and charge(st, ip, out, day, phase, moment, BANK, C_COMMITMENT_FEE, commitment, OTHER, i)
    if ip[P_LOAN] and st[S_LOAN]:
        interest = ore(fp[F_LOAN_RATE] * st[S_LOAN_DAYS] / 365 / 100)
        st[S_LOAN_DAYS] = 0
        going = going and charge(st, ip, out, day, phase, moment, BANK, C_LOAN_INTEREST, interest, OTHER, i)
        going = going and charge(st, ip, out, day, phase, moment, BANK, C_LOAN_REPAYMENT, instalment(st, ip, day), LOAN, i)
    if fee == FEE_ON_EXPOSURE:  # on the guaranteed part of each day's closing balance
        amount = ore(fp[F_FEE_RATE] * fs[G_GUARANTEED_DAYS] / 365 / 100)
        going = guarantee_fee(st, ip, out, day, phase, moment, amount, going, i)
        fs[G_GUARANTEED_DAYS] = 0.0
    elif fee != NO_FEE:
        going = guarantee_fee(st, ip, out, day, phase, moment, fee, going, i)
    return going


@numba.njit((INTS, FLOATS, INTS, FLOATS, TABLE, INT, INT, INT, FLOAT, INT, INT, INT), cache=True)
def event(st, fs, ip, fp, out, kind, day, phase, moment, fee, arg, i):
    """One of the financing's own events (``i``: base rows before it). False if a payment the
    provider owed at it was refused."""
    advance(st, fs, ip, fp, day)
    if kind == MONTH_END:
        return month_end(st, fs, ip, fp, out, day, phase, moment, fee, i)
    if kind == FIXED_FEE:  # a guarantee fee due upfront for a term, or yearly in advance
        return guarantee_fee(st, ip, out, day, phase, moment, fee, True, i)
    if kind == LINE_SETUP:
        return charge(st, ip, out, day, phase, moment, BANK, C_SETUP_FEE, fee, OTHER, i)
    if kind == LOAN_PAYOUT:
        st[S_LOAN] = fee
        emit(st, out, day, phase, moment, BANK, PROVIDER, C_LOAN_PAYOUT, fee, 0, fee, 0, i)
        going = charge(st, ip, out, day, phase, moment, BANK, C_SETUP_FEE, ip[P_LOAN_SETUP], OTHER, i)
        repay_line(st, out, day, phase, moment, i)
        return going
    if kind == GUARANTEE_EXPIRY:
        end_guarantee(st, i)
        if ip[P_REPAY_AT_EXPIRY] and st[S_LIMIT]:
            close_line(st, i)  # the line closes: what is drawn must be repaid now
            return charge(st, ip, out, day, phase, moment, BANK, C_CREDIT_REPAYMENT, st[S_DRAWN], LINE, i)
        return True
    if kind == TRANCHE:
        investor.call_tranche(st, ip, out, day, phase, moment, arg, i)
    return True


@numba.njit(cache=True)
def not_after(d1, p1, m1, d2, p2, m2):
    """(d1, p1, m1) <= (d2, p2, m2)."""
    return d1 < d2 or (d1 == d2 and (p1 < p2 or (p1 == p2 and m1 <= m2)))


@numba.njit(cache=True)
def runs(payer, payee, amount, day, phase, moment, single):
    """For each row, where its run ends (exclusive): consecutive rows at the same moment that
    all pay the provider, or all are paid by it, which the walk takes as one payment
    (``single``: every row is a payment of its own, as with an investor); and the running sum
    of the amounts before each row."""
    n = payer.size
    run_end = np.empty(n, dtype=np.int64)
    end = n
    for j in range(n - 1, -1, -1):
        inflow = payee[j] == PROVIDER and payer[j] != PROVIDER
        outflow = payer[j] == PROVIDER
        if j == n - 1 or single:
            end = j + 1
        else:
            same = day[j + 1] == day[j] and phase[j + 1] == phase[j] and moment[j + 1] == moment[j]
            next_in = payee[j + 1] == PROVIDER and payer[j + 1] != PROVIDER
            next_out = payer[j + 1] == PROVIDER
            if not (same and ((inflow and next_in) or (outflow and next_out))):
                end = j + 1
        run_end[j] = end if inflow or outflow else j + 1
    run_sum = np.zeros(n + 1, dtype=np.int64)
    for j in range(n):
        run_sum[j + 1] = run_sum[j] + amount[j]
    return run_end, run_sum


@numba.njit(cache=True)
def k_walk(  # noqa: C901 (the account's compiled walk; issue 15 splits it into named records)
    payer,
    payee,
    category,
    amount,
    day,
    phase,
    moment,
    marks,
    ev_kind,
    ev_day,
    ev_phase,
    ev_moment,
    ev_fee,
    ev_arg,
    st,
    fs,
    ip,
    fp,
    out,
):
    """The base rows with the financing's events merged in, in order, until the first payment
    refused from the stop (``ip[P_STOP]``) on. Returns (base rows walked, events walked, why it
    ended: DONE, FAILED_ROW or FAILED_EVENT).

    Most rows only move cash, so payments of one moment are taken together, and balance-days
    accrue only when a balance is about to change (integer sums do not care how the days are
    split; a fee on the exposure, a float, does, so then every day is accrued as it comes)."""
    n, n_events = payer.size, ev_day.size
    has_investor = ip[P_INVESTOR] != 0
    run_end, run_sum = runs(payer, payee, amount, day, phase, moment, has_investor)
    every_day = ip[P_FEE_ON_EXPOSURE] != 0
    costs_first = ip[P_COSTS_FIRST] != 0
    # Once cash has run short under ``continue`` with nothing left to draw or call, a payment
    # changes nothing but the cash.
    calls_capital = ip[P_CALLS_CAPITAL] != 0
    stop = ip[P_STOP]
    i = e = 0
    while True:
        while e < n_events and (i >= n or not_after(ev_day[e], ev_phase[e], ev_moment[e], day[i], phase[i], moment[i])):
            # the financing's events due before this row
            if not event(st, fs, ip, fp, out, ev_kind[e], ev_day[e], ev_phase[e], ev_moment[e], ev_fee[e], ev_arg[e], i):
                return i, e, FAILED_EVENT
            e += 1
        if i >= n:
            break
        d = day[i]
        if every_day:
            advance(st, fs, ip, fp, d)
        if payer[i] == PROVIDER:  # the provider pays: the rows themselves pass through
            end = run_end[i]
            total = run_sum[end] - run_sum[i]
            room = st[S_CASH] - st[S_FLOOR]
            if total <= room or (st[S_DRAWN] >= st[S_LIMIT] and end <= stop and not calls_capital and st[S_FIRST_SHORT] >= 0):
                st[S_CASH] -= total
                i = end
                continue
            advance(st, fs, ip, fp, d)
            undrawn = st[S_LIMIT] - st[S_DRAWN]
            if end > i + 1 and total <= st[S_CASH] + undrawn:
                # the payments due at one moment, covered together (one draw if needed)
                draw(st, out, d, phase[i], moment[i], total, undrawn, i)
                st[S_CASH] -= total
                i = end
                continue
            a = amount[i]
            if a > room:
                if a <= st[S_CASH] + undrawn:
                    draw(st, out, d, phase[i], moment[i], a, undrawn, i)
                elif not cover(st, ip, out, d, phase[i], moment[i], a, False, i, True):
                    return i, e, FAILED_ROW
            st[S_CASH] -= a
            i += 1
        elif payee[i] == PROVIDER:
            # the lines of one payment (same moment) come in together, then repay the line
            end = run_end[i]
            st[S_CASH] += run_sum[end] - run_sum[i]
            if has_investor and (category[i] == OUTCOME or category[i] == COHORT_OUTCOME):
                advance(st, fs, ip, fp, d)
                investor.provider_repays(st, ip, fp, out, d, phase[i], moment[i], amount[i], costs_first, end)
            if st[S_DRAWN] and st[S_CASH] > st[S_FLOOR]:
                advance(st, fs, ip, fp, d)
                repay_line(st, out, d, phase[i], moment[i], end)
                if costs_first:
                    investor.provider_repays(st, ip, fp, out, d, phase[i], moment[i], 0, True, end)
            i = end
        elif payee[i] == INVESTOR:  # an outcome payment made to the investor
            advance(st, fs, ip, fp, d)
            investor.keeps(st, ip, fp, out, marks, d, phase[i], moment[i], amount[i], i + 1, i)
            i += 1
        else:
            i += 1
    investor.protect_capital(st, ip, fp, out, n)
    return n, e, DONE
