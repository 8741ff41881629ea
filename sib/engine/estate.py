"""Winding up the estate after a stop, compiled: the bank first, the guarantee, recoveries, the
investor.

Interest stops at the insolvency. The line is closed; the bills past due at the stop are left
unpaid (written off: the creditors' loss); the estate's cash repays the bank, the credit line
first, then the loan. An on-demand guarantee (proprieborgen) pays at once its share of what
the cash did not cover; for the final loss (fyllnadsborgen) the guarantor waits and pays its
share of what is left after every recovery, on the last day the estate receives money. What
the estate receives later (outcomes reached and months delivered before the stop) goes to the
bank, then back to the guarantor, then to the investor, and only then stays with the estate.
A function over the account's state (``account_state``) as the walk left it.
"""

from __future__ import annotations

import numba

from sib.engine import (
    investor,
    kernel_cache,  # noqa: F401 (stamps the account's kernels before they are decorated)
)
from sib.engine.account_kernels import BANK, PROVIDER, close_line, emit, end_guarantee, ore
from sib.engine.account_state import (
    F_SHARE,
    NEVER,
    P_COVERS_LINE,
    P_COVERS_LOAN,
    P_GUARANTEE,
    P_GUARANTEE_CAP,
    P_GUARANTOR,
    P_INVESTOR,
    P_ON_DEMAND,
    S_CASH,
    S_DRAWN,
    S_GENERATED,
    S_GUARANTEE_ON,
    S_LOAN,
    S_OFFSET,
    S_OWED_GUARANTOR,
    S_WRITTEN_OFF,
)
from sib.engine.investor import INVESTOR
from sib.engine.ledger import CATEGORY, Party

EXTERNAL = int(Party.EXTERNAL)
C_UNPAID_AT_STOP, C_CREDIT_REPAYMENT, C_LOAN_REPAYMENT = (
    CATEGORY["unpaid_at_stop"],
    CATEGORY["credit_repayment"],
    CATEGORY["loan_repayment"],
)
C_GUARANTEE_PAYOUT, C_GUARANTEE_RECOVERY = CATEGORY["guarantee_payout"], CATEGORY["guarantee_recovery"]


@numba.njit(cache=True)
def settle_from_cash(st, out, day, phase, moment, at):
    """The estate's cash repays the bank: the credit line first, then the loan."""
    amount = min(st[S_DRAWN], st[S_CASH])
    if amount > 0:
        st[S_DRAWN] -= amount
        emit(st, out, day, phase, moment, PROVIDER, BANK, C_CREDIT_REPAYMENT, amount, -amount, 0, 0, at)
    amount = min(st[S_LOAN], st[S_CASH])
    if amount > 0:
        st[S_LOAN] -= amount
        emit(st, out, day, phase, moment, PROVIDER, BANK, C_LOAN_REPAYMENT, amount, 0, -amount, 0, at)


@numba.njit(cache=True)
def guarantee_pays(st, ip, fp, out, day, phase, moment, at):
    """The guarantor pays the bank its share of the guaranteed debt still unpaid; once paid,
    it owes nothing more (on demand, it is owed instead)."""
    line_part = st[S_DRAWN] if ip[P_COVERS_LINE] else 0
    loan_part = st[S_LOAN] if ip[P_COVERS_LOAN] else 0
    amount = ore(fp[F_SHARE] * (line_part + loan_part) / 100)
    if ip[P_GUARANTEE_CAP] != NEVER:
        amount = min(amount, ip[P_GUARANTEE_CAP])
    if amount <= 0:
        return
    from_line = min(amount, line_part)
    st[S_DRAWN] -= from_line
    st[S_LOAN] -= amount - from_line
    st[S_OWED_GUARANTOR] = amount if ip[P_ON_DEMAND] else 0
    end_guarantee(st, at)
    emit(st, out, day, phase, moment, ip[P_GUARANTOR], BANK, C_GUARANTEE_PAYOUT, amount, -from_line, -(amount - from_line), 0, at)


@numba.njit(cache=True)
def k_wind_up(payer, payee, amount, day, phase, moment, marks, f_day, f_phase, f_moment, walked, st, ip, fp, out):
    """After the stop at (``f_day``, ``f_phase``, ``f_moment``), with ``walked`` base rows of
    the walk paid: the estate's cash and its later payments and receipts (the rows given,
    ``marks`` their changes in the investor's capital). Returns the rows of the output before
    the wind-up (the going concern's)."""
    going_concern = walked + st[S_GENERATED]
    close_line(st, walked)
    st[S_OWED_GUARANTOR] = 0
    if st[S_CASH] < 0:  # bills past due at the stop: the estate does not pay them, its creditors lose them
        st[S_WRITTEN_OFF] = -st[S_CASH]
        emit(st, out, f_day, f_phase, f_moment, EXTERNAL, PROVIDER, C_UNPAID_AT_STOP, st[S_WRITTEN_OFF], 0, 0, 0, walked)
    settle_from_cash(st, out, f_day, f_phase, f_moment, walked)
    guaranteed = ip[P_GUARANTEE] != 0 and st[S_GUARANTEE_ON] != 0
    if guaranteed and ip[P_ON_DEMAND] != 0:
        guarantee_pays(st, ip, fp, out, f_day, f_phase, f_moment, walked)
    st[S_OFFSET] = walked  # the later rows follow the walk's
    # The last day the estate receives money, and the row after which a final-loss guarantor
    # pays: not the last row of all (the municipality's own costs of carrying the service on
    # run to the end of support, and the bank's loss is known long before).
    last_day, last_phase, last_moment, last_at = f_day, f_phase, f_moment, walked
    n = payer.size
    for i in range(n):
        at = walked + i + 1
        d, p, m = day[i], phase[i], moment[i]
        if payer[i] == PROVIDER:
            st[S_CASH] -= amount[i]
        if payee[i] == INVESTOR:
            investor.keeps(st, ip, fp, out, marks, d, p, m, amount[i], at, i)  # may pass some on to the estate
        elif payee[i] == PROVIDER:
            st[S_CASH] += amount[i]
        if payee[i] == PROVIDER or payee[i] == INVESTOR:
            last_day, last_phase, last_moment, last_at = d, p, m, at
            settle_from_cash(st, out, d, p, m, at)
            if st[S_OWED_GUARANTOR] and st[S_CASH] > 0:
                recovery = min(st[S_OWED_GUARANTOR], st[S_CASH])
                st[S_OWED_GUARANTOR] -= recovery
                emit(st, out, d, p, m, PROVIDER, ip[P_GUARANTOR], C_GUARANTEE_RECOVERY, recovery, 0, 0, 0, at)
            if ip[P_INVESTOR] and st[S_CASH] > 0:  # then the investor, unsecured
                investor.pay(st, ip, fp, out, d, p, m, st[S_CASH], at)
    if guaranteed and st[S_GUARANTEE_ON] != 0 and ip[P_ON_DEMAND] == 0:
        guarantee_pays(st, ip, fp, out, last_day, last_phase, last_moment, last_at)
    investor.protect_capital(st, ip, fp, out, walked + n)
    return going_concern
