"""The investor's side of the provider's account (the social impact bond form), compiled.

Capital paid in by tranches (early, when liquidity needs it and the terms allow), what the
investor is due (its principal, then a return capped at a share of the capital or accrued at a
yearly rate on the capital outstanding), how outcome payments repay it — kept by the investor
when they are paid to it, or repaid by the provider at once (``investor_first``) or from
what is left once the credit line is repaid (``costs_first``), or by the estate after a stop
— and the capital protection topped up at the end. Functions over the account's state
(``account_state``), called by the walk (``treasury_kernels``) and the estate (``estate``).
"""

from __future__ import annotations

import numba
import numpy as np

from sib.engine import kernel_cache  # noqa: F401 (stamps the account's kernels before they are decorated)
from sib.engine.account_kernels import emit, ore, repay_line
from sib.engine.account_state import (
    BOOL,
    F_PROTECTED_SHARE,
    F_TOTAL_SHARE,
    F_YEARLY_RATE,
    FLOAT,
    FLOATS,
    INT,
    INTS,
    P_END,
    P_INVESTOR,
    P_PROTECTION,
    P_PROTECTION_PAYER,
    P_RECEIVES,
    P_RETURN_ON_TOTAL,
    P_TRANCHES,
    S_CAPITAL_DAYS,
    S_CASH,
    S_DRAWN,
    S_FLOOR,
    S_PAID_IN,
    S_PRINCIPAL_REPAID,
    S_RETURN_PAID,
    S_TRANCHES,
    S_UNCALLED,
    TABLE,
)
from sib.engine.ledger import CATEGORY, MONTH_CLOSE, ROW_FIELDS, Party, Rows

PROVIDER, INVESTOR = int(Party.PROVIDER), int(Party.INVESTOR)
OUTCOMES = (CATEGORY["outcome_payment"], CATEGORY["cohort_outcome_payment"])
OUTCOME, COHORT_OUTCOME = OUTCOMES
C_CAPITAL, C_PASS_THROUGH = CATEGORY["investor_capital"], CATEGORY["investor_pass_through"]
C_REPAYMENT, C_RETURN, C_PROTECTION = CATEGORY["investor_repayment"], CATEGORY["investor_return"], CATEGORY["capital_protection"]


def outcomes_to_investor(rows: Rows) -> Rows:
    """The same rows with every outcome payment made to the investor instead of the provider."""
    outcome = np.isin(rows.category, OUTCOMES) & (rows.payee == PROVIDER)
    if not outcome.any():
        return rows
    payee = rows.payee.copy()
    payee[outcome] = INVESTOR
    return Rows(*(payee if f == "payee" else getattr(rows, f) for f in ROW_FIELDS))


@numba.njit((INTS, INTS, TABLE, INT, INT, FLOAT, INT, INT), cache=True)
def call_tranche(st, ip, out, day, phase, moment, j, at):
    """The investor pays in tranche j (once; possibly early, when liquidity needs it); the
    money repays the credit line first."""
    if not ip[P_INVESTOR] or st[S_TRANCHES + j]:
        return
    st[S_TRANCHES + j] = 1
    amount = min(st[S_UNCALLED], ip[P_TRANCHES + j])
    if amount <= 0:
        return
    st[S_UNCALLED] -= amount
    st[S_PAID_IN] += amount
    emit(st, out, day, phase, moment, INVESTOR, PROVIDER, C_CAPITAL, amount, 0, 0, amount, at)
    repay_line(st, out, day, phase, moment, at)


@numba.njit(cache=True)
def due(st, ip, fp):
    """(principal, return) the investor is still owed."""
    principal = st[S_PAID_IN] - st[S_PRINCIPAL_REPAID]
    if ip[P_RETURN_ON_TOTAL]:
        earned = ore(fp[F_TOTAL_SHARE] * st[S_PAID_IN] / 100)
    else:
        earned = ore(fp[F_YEARLY_RATE] * st[S_CAPITAL_DAYS] / 365 / 100)
    return principal, max(0, earned - st[S_RETURN_PAID])


@numba.njit((INTS, INTS, FLOATS, TABLE, INTS, INT, INT, FLOAT, INT, INT, INT), cache=True)
def keeps(st, ip, fp, out, marks, day, phase, moment, amount, at, row):
    """An outcome payment (base row ``row``) reached the investor: it keeps its principal,
    then its return, and passes the rest to the provider, whose cash repays the line."""
    principal, ret = due(st, ip, fp)
    to_principal = min(amount, principal)
    to_return = min(amount - to_principal, ret)
    st[S_PRINCIPAL_REPAID] += to_principal
    st[S_RETURN_PAID] += to_return
    rest = amount - to_principal - to_return
    marks[row] -= to_principal
    if rest > 0:
        emit(st, out, day, phase, moment, INVESTOR, PROVIDER, C_PASS_THROUGH, rest, 0, 0, 0, at)
        repay_line(st, out, day, phase, moment, at)


@numba.njit(cache=True)
def pay(st, ip, fp, out, day, phase, moment, budget, at):
    """The provider pays the investor up to ``budget``: principal first, then the return."""
    principal, ret = due(st, ip, fp)
    paid = min(principal, budget)
    if paid > 0:
        budget -= paid
        st[S_PRINCIPAL_REPAID] += paid
        emit(st, out, day, phase, moment, PROVIDER, INVESTOR, C_REPAYMENT, paid, 0, 0, -paid, at)
    paid = min(ret, budget)
    if paid > 0:
        st[S_RETURN_PAID] += paid
        emit(st, out, day, phase, moment, PROVIDER, INVESTOR, C_RETURN, paid, 0, 0, 0, at)


@numba.njit((INTS, INTS, FLOATS, TABLE, INT, INT, FLOAT, INT, BOOL, INT), cache=True)
def provider_repays(st, ip, fp, out, day, phase, moment, amount, costs_first, at):
    """The provider received outcome money (``amount``; 0: the line was just repaid): it
    repays the investor from that payment (investor first) or from the cash left once the
    credit line is repaid (costs first)."""
    if not ip[P_INVESTOR] or ip[P_RECEIVES]:
        return
    if not costs_first:
        budget = min(amount, st[S_CASH])
    else:
        budget = st[S_CASH] - st[S_FLOOR] if not st[S_DRAWN] else 0
    pay(st, ip, fp, out, day, phase, moment, budget, at)


@numba.njit(cache=True)
def protect_capital(st, ip, fp, out, at):
    """At the end: a protected share of the capital comes back, topped up by its guarantor."""
    if not ip[P_INVESTOR] or not ip[P_PROTECTION]:
        return
    received = st[S_PRINCIPAL_REPAID] + st[S_RETURN_PAID]
    shortfall = ore(fp[F_PROTECTED_SHARE] * st[S_PAID_IN] / 100) - received
    if shortfall > 0:
        st[S_PRINCIPAL_REPAID] += shortfall
        emit(st, out, ip[P_END], MONTH_CLOSE, 1.0, ip[P_PROTECTION_PAYER], INVESTOR, C_PROTECTION, shortfall, 0, 0, -shortfall, at)
