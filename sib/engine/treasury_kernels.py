"""The treasury's walk compiled with numba: the common case of ``Treasury.walk`` (no investor,
no fee on the exposure), the positions after each row, and the estate's receipts after a stop.

The walk is a loop over ~1 000 rows in which every step depends on the last, so numpy cannot
take it; in Python it was a third of a replication. The rules here are ``Treasury``'s, step
for step, with the same integer and floating-point arithmetic, so the rows and positions are
the same (``treasury.COMPILED = False`` runs the Python walk, for comparison). Every other
event goes back to ``Treasury._event``. Compiled functions are cached on disk (``cache=True``):
the first run on a fresh machine compiles them in a few seconds, later processes load them.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sib.engine.ledger import CATEGORY, NO_ID, Party

PROVIDER, BANK = int(Party.PROVIDER), int(Party.BANK)
C = CATEGORY
CREDIT_DRAW = C["credit_draw"]
C_CREDIT_REPAYMENT, C_CREDIT_INTEREST, C_COMMITMENT_FEE = C["credit_repayment"], C["credit_interest"], C["commitment_fee"]
C_LOAN_INTEREST, C_LOAN_REPAYMENT, C_GUARANTEE_FEE = C["loan_interest"], C["loan_repayment"], C["guarantee_fee"]
C_GUARANTEE_RECOVERY = C["guarantee_recovery"]

(S_CASH, S_DRAWN, S_LIMIT, S_FLOOR, S_LOAN, S_LAST_DAY, S_DRAWN_DAYS, S_UNDRAWN_DAYS, S_LOAN_DAYS,
 S_FIRST_SHORT, S_REFUSED, S_REFUSED_FROM, S_GENERATED, S_OWED_GUARANTOR) = range(14)
# Slots of its integer and float parameters (P_STOP, P_STOP_DAY: the base row and the day from
# which a payment that cannot be covered is refused; ``NEVER``: none is).
(P_STOP, P_LINE, P_LOAN, P_PAID_OUT, P_FINAL, P_STRAIGHT, P_BULLET, P_FEE_PAYER, P_FEE_PAYEE, P_STOP_DAY) = range(10)
F_LINE_RATE, F_COMMITMENT_RATE, F_LOAN_RATE = range(3)
NEVER = 1 << 62
# What the compiled walk stopped at.
DONE, PYTHON_EVENT, FAILED_ROW, FAILED_EVENT = range(4)
MONTH_END, OTHER_EVENT, GUARANTEE_FEE = 0, 1, 2  # GUARANTEE_FEE: a fixed fee, in ``ev_fee``


@numba.njit(cache=True)
def _ore(amount_sek: float) -> int:
    """``round_ore``, compiled."""
    return math.floor(amount_sek * 100 + 0.5 + 1e-7)


@numba.njit(cache=True)
def _k_emit(st, out, day, phase, moment, payer, payee, category, amount, d_drawn, d_loan, at):
    g = st[S_GENERATED]
    out[g, 0] = day
    out[g, 1] = phase
    out[g, 2] = moment
    out[g, 3] = payer
    out[g, 4] = payee
    out[g, 5] = category
    out[g, 6] = amount
    out[g, 7] = d_drawn
    out[g, 8] = d_loan
    out[g, 9] = 0
    out[g, 10] = at
    st[S_GENERATED] = g + 1
    if payer == PROVIDER:
        st[S_CASH] -= amount
    elif payee == PROVIDER:
        st[S_CASH] += amount


@numba.njit(cache=True)
def _k_advance(st, day):
    span = day - st[S_LAST_DAY]
    if span > 0:
        st[S_DRAWN_DAYS] += st[S_DRAWN] * span
        st[S_UNDRAWN_DAYS] += (st[S_LIMIT] - st[S_DRAWN]) * span
        st[S_LOAN_DAYS] += st[S_LOAN] * span
        st[S_LAST_DAY] = day


@numba.njit(cache=True)
def _k_draw(st, out, day, phase, moment, amount, undrawn, at):
    short = st[S_FLOOR] - (st[S_CASH] - amount)
    if short > 0 and undrawn > 0:
        draw = min(short, undrawn)
        st[S_DRAWN] += draw
        _k_emit(st, out, day, phase, moment, BANK, PROVIDER, CREDIT_DRAW, draw, draw, 0, at)


@numba.njit(cache=True)
def _k_charge(st, ip, out, day, phase, moment, payee, category, amount, is_loan, at):
    """``Treasury._charge`` (not for the line itself); False if it was refused."""
    if amount <= 0:
        return True
    undrawn = st[S_LIMIT] - st[S_DRAWN]
    if amount > st[S_CASH] + undrawn:
        if st[S_FIRST_SHORT] < 0:
            st[S_FIRST_SHORT] = day
        if at >= ip[P_STOP] and day >= ip[P_STOP_DAY]:
            st[S_REFUSED] = amount
            st[S_REFUSED_FROM] = at
            return False
    _k_draw(st, out, day, phase, moment, amount, undrawn, at)
    if is_loan:
        st[S_LOAN] -= amount
        _k_emit(st, out, day, phase, moment, PROVIDER, payee, category, amount, 0, -amount, at)
    else:
        _k_emit(st, out, day, phase, moment, PROVIDER, payee, category, amount, 0, 0, at)
    return True


@numba.njit(cache=True)
def _k_month_end(st, ip, fp, out, day, phase, moment, fee, at):
    """``Treasury._month_end``; False if a charge was refused (the rest are not made)."""
    _k_advance(st, day)
    _k_advance(st, day + 1)
    if ip[P_LINE]:
        interest = _ore(fp[F_LINE_RATE] * st[S_DRAWN_DAYS] / 365 / 100)
        commitment = _ore(fp[F_COMMITMENT_RATE] * st[S_UNDRAWN_DAYS] / 365 / 100)
        st[S_DRAWN_DAYS] = 0
        st[S_UNDRAWN_DAYS] = 0
        if not _k_charge(st, ip, out, day, phase, moment, BANK, C_CREDIT_INTEREST, interest, False, at):
            return _k_guarantee_fee(st, ip, out, day, phase, moment, fee, at, False)
        if not _k_charge(st, ip, out, day, phase, moment, BANK, C_COMMITMENT_FEE, commitment, False, at):
            return _k_guarantee_fee(st, ip, out, day, phase, moment, fee, at, False)
    if ip[P_LOAN] and st[S_LOAN]:
        interest = _ore(fp[F_LOAN_RATE] * st[S_LOAN_DAYS] / 365 / 100)
        st[S_LOAN_DAYS] = 0
        if not _k_charge(st, ip, out, day, phase, moment, BANK, C_LOAN_INTEREST, interest, False, at):
            return _k_guarantee_fee(st, ip, out, day, phase, moment, fee, at, False)
        if day + 1 >= ip[P_FINAL]:
            instalment = st[S_LOAN]
        elif ip[P_BULLET] or day < ip[P_PAID_OUT]:
            instalment = 0
        else:
            instalment = min(st[S_LOAN], ip[P_STRAIGHT])
        if not _k_charge(st, ip, out, day, phase, moment, BANK, C_LOAN_REPAYMENT, instalment, True, at):
            return _k_guarantee_fee(st, ip, out, day, phase, moment, fee, at, False)
    return _k_guarantee_fee(st, ip, out, day, phase, moment, fee, at, True)


@numba.njit(cache=True)
def _k_guarantee_fee(st, ip, out, day, phase, moment, fee, at, going):
    """``Treasury._guarantee_fee`` at a month end (``fee`` < 0: none); a fee the provider owes
    is not paid once a charge was refused, one a third party pays still is."""
    if fee < 0:
        return going
    payer, payee = ip[P_FEE_PAYER], ip[P_FEE_PAYEE]
    if payer == PROVIDER:
        if going:
            return _k_charge(st, ip, out, day, phase, moment, payee, C_GUARANTEE_FEE, fee, False, at)
        return False
    if fee > 0 and payer != payee:
        _k_emit(st, out, day, phase, moment, payer, payee, C_GUARANTEE_FEE, fee, 0, 0, at)
    return going


@numba.njit(cache=True)
def _k_not_after(d1, p1, m1, d2, p2, m2):
    """(d1, p1, m1) <= (d2, p2, m2)."""
    return d1 < d2 or (d1 == d2 and (p1 < p2 or (p1 == p2 and m1 <= m2)))


@numba.njit(cache=True)
def _k_runs(payer, payee, amount, day, phase, moment):
    """``_runs`` (where each row's run ends), and the running sum of the amounts before each row."""
    n = payer.size
    run_end = np.empty(n, dtype=np.int64)
    end = n
    for j in range(n - 1, -1, -1):
        inflow = payee[j] == PROVIDER and payer[j] != PROVIDER
        outflow = payer[j] == PROVIDER
        if j == n - 1:
            end = n
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
def _k_walk(i, e, payer, payee, amount, day, phase, moment, run_end, run_sum,
            ev_kind, ev_day, ev_phase, ev_moment, ev_fee, st, ip, fp, out):
    """``Treasury.walk`` from row ``i`` and event ``e`` on; returns where it stopped and why."""
    n, n_events = payer.size, ev_day.size
    while True:
        while e < n_events and (i >= n or _k_not_after(ev_day[e], ev_phase[e], ev_moment[e], day[i], phase[i], moment[i])):
            # the financing's events due before this row
            if ev_kind[e] == MONTH_END:
                if not _k_month_end(st, ip, fp, out, ev_day[e], ev_phase[e], ev_moment[e], ev_fee[e], i):
                    return i, e, FAILED_EVENT
            elif ev_kind[e] == GUARANTEE_FEE:  # ``Treasury._event``: a yearly or upfront fee
                _k_advance(st, ev_day[e])
                if not _k_guarantee_fee(st, ip, out, ev_day[e], ev_phase[e], ev_moment[e], ev_fee[e], i, True):
                    return i, e, FAILED_EVENT
            else:
                return i, e, PYTHON_EVENT
            e += 1
        if i >= n:
            return i, e, DONE
        d = day[i]
        if payer[i] == PROVIDER:
            end = run_end[i]
            total = run_sum[end] - run_sum[i]
            room = st[S_CASH] - st[S_FLOOR]
            if total <= room or (st[S_DRAWN] >= st[S_LIMIT] and end <= ip[P_STOP] and st[S_FIRST_SHORT] >= 0):
                st[S_CASH] -= total
                i = end
                continue
            _k_advance(st, d)
            undrawn = st[S_LIMIT] - st[S_DRAWN]
            if end > i + 1 and total <= st[S_CASH] + undrawn:
                _k_draw(st, out, d, phase[i], moment[i], total, undrawn, i)
                st[S_CASH] -= total
                i = end
                continue
            a = amount[i]
            if a > room:
                if a > st[S_CASH] + undrawn:
                    if st[S_FIRST_SHORT] < 0:
                        st[S_FIRST_SHORT] = d
                    if i >= ip[P_STOP]:
                        st[S_REFUSED] = a
                        st[S_REFUSED_FROM] = i + 1
                        return i, e, FAILED_ROW
                _k_draw(st, out, d, phase[i], moment[i], a, undrawn, i)
            st[S_CASH] -= a
            i += 1
        elif payee[i] == PROVIDER:
            end = run_end[i]
            st[S_CASH] += run_sum[end] - run_sum[i]
            if st[S_DRAWN] and st[S_CASH] > st[S_FLOOR]:
                _k_advance(st, d)
                repay = min(st[S_DRAWN], st[S_CASH] - st[S_FLOOR])
                st[S_DRAWN] -= repay
                _k_emit(st, out, d, phase[i], moment[i], PROVIDER, BANK, C_CREDIT_REPAYMENT, repay, -repay, 0, end)
            i = end
        else:
            i += 1


@numba.njit(cache=True)
def _k_receipts(payer, payee, amount, day, phase, moment, guarantor, offset, st, out):
    """``Estate._receipts`` without an investor: each receipt repays the line, then the loan,
    then what the guarantor paid for the estate."""
    for i in range(payer.size):
        at = offset + i + 1
        if payer[i] == PROVIDER:
            st[S_CASH] -= amount[i]
        if payee[i] == PROVIDER:
            st[S_CASH] += amount[i]
            repay = min(st[S_DRAWN], st[S_CASH])
            if repay > 0:
                st[S_DRAWN] -= repay
                _k_emit(st, out, day[i], phase[i], moment[i], PROVIDER, BANK, C_CREDIT_REPAYMENT, repay, -repay, 0, at)
            repay = min(st[S_LOAN], st[S_CASH])
            if repay > 0:
                st[S_LOAN] -= repay
                _k_emit(st, out, day[i], phase[i], moment[i], PROVIDER, BANK, C_LOAN_REPAYMENT, repay, 0, -repay, at)
            if st[S_OWED_GUARANTOR] and st[S_CASH] > 0:
                recovery = min(st[S_OWED_GUARANTOR], st[S_CASH])
                st[S_OWED_GUARANTOR] -= recovery
                _k_emit(st, out, day[i], phase[i], moment[i], PROVIDER, guarantor, C_GUARANTEE_RECOVERY, recovery, 0, 0, at)


@numba.njit(cache=True)
def _k_account(table, day, phase, moment, payer, payee, category, amount, participant, invoice, accrued, opening_cash):
    """The base rows and the generated ``table`` merged in processing order (generated row g
    before base row b when its insertion point is at most b), with the credit drawn, the loan
    and the investor's capital (running sums of the generated rows' changes) and the
    provider's cash after each row; and for each row, the base rows before it (a base row's own
    index, or the base row a generated row goes before)."""
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
        if g < n_gen and (b >= n_base or table[g, 10] <= b):
            o_day[k], o_phase[k], o_moment[k] = int(table[g, 0]), int(table[g, 1]), table[g, 2]
            o_payer[k], o_payee[k], o_category[k], o_amount[k] = int(table[g, 3]), int(table[g, 4]), int(table[g, 5]), int(table[g, 6])
            o_participant[k], o_invoice[k], o_accrued[k] = NO_ID, NO_ID, int(table[g, 0])
            d += int(table[g, 7])
            lo += int(table[g, 8])
            inv += int(table[g, 9])
            g += 1
        else:
            o_day[k], o_phase[k], o_moment[k] = day[b], phase[b], moment[b]
            o_payer[k], o_payee[k], o_category[k], o_amount[k] = payer[b], payee[b], category[b], amount[b]
            o_participant[k], o_invoice[k], o_accrued[k] = participant[b], invoice[b], accrued[b]
            b += 1
        if o_payee[k] == PROVIDER:
            c += o_amount[k]
        if o_payer[k] == PROVIDER:
            c -= o_amount[k]
        drawn[k], loan[k], invested[k], cash[k] = d, lo, inv, c
    return (o_day, o_phase, o_moment, o_payer, o_payee, o_category, o_amount, o_participant, o_invoice, o_accrued,
            drawn, loan, invested, cash, base_before)
