"""The financing as the compiled account reads it: its dated events and its parameters.

None of it depends on the replication, so it is built once per compiled scenario (and once
for pricing, which walks the contract without financing): the events of the financing itself
(month ends, the loan's pay-out, set-up fees, the guarantee's fixed fees and its expiry, the
investor's tranches) in the order money moves, and the integer and float parameters of
``account_state``.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from sib.engine.account_state import (
    F_COMMITMENT_RATE,
    F_FEE_RATE,
    F_LINE_RATE,
    F_LOAN_RATE,
    F_MAX_ORE,
    F_PROTECTED_SHARE,
    F_SHARE,
    F_TOTAL_SHARE,
    F_YEARLY_RATE,
    FEE_ON_EXPOSURE,
    FIXED_FEE,
    GUARANTEE_EXPIRY,
    LINE_SETUP,
    LOAN_PAYOUT,
    MONTH_END,
    N_FLOAT_PARAMETERS,
    NEVER,
    NO_FEE,
    P_BULLET,
    P_CALLS_CAPITAL,
    P_COSTS_FIRST,
    P_COVERS_LINE,
    P_COVERS_LOAN,
    P_END,
    P_FEE_ON_EXPOSURE,
    P_FEE_PAYEE,
    P_FEE_PAYER,
    P_FINAL,
    P_GUARANTEE,
    P_GUARANTEE_CAP,
    P_GUARANTOR,
    P_INVESTOR,
    P_LINE,
    P_LOAN,
    P_LOAN_SETUP,
    P_N_TRANCHES,
    P_ON_DEMAND,
    P_PAID_OUT,
    P_PROTECTION,
    P_PROTECTION_PAYER,
    P_RECEIVES,
    P_REPAY_AT_EXPIRY,
    P_RETURN_ON_TOTAL,
    P_STOP,
    P_STRAIGHT,
    P_TRANCHES,
    TRANCHE,
)
from sib.engine.compiled import Compiled
from sib.engine.ledger import MONTH_CLOSE, PAYERS, START_OF_DAY, Party, round_ore
from sib.scenario.financing import Financing

#: The kernel's code for each kind of event (events at one moment are taken in the order of their names).
_KIND = {
    "guarantee_expiry": GUARANTEE_EXPIRY,
    "guarantee_fee_upfront": FIXED_FEE,
    "guarantee_fee_year": FIXED_FEE,
    "line_setup": LINE_SETUP,
    "loan_payout": LOAN_PAYOUT,
    "month_end": MONTH_END,
    "tranche": TRANCHE,
}


@dataclass(frozen=True)
class FinancingTables:
    """What the compiled account reads of a scenario's financing (the same in every replication)."""

    ev_kind: np.ndarray
    ev_day: np.ndarray
    ev_phase: np.ndarray
    ev_moment: np.ndarray
    ev_fee: np.ndarray  # öre: a fixed fee, a set-up fee, the loan's principal; NO_FEE or FEE_ON_EXPOSURE at a month end
    ev_arg: np.ndarray  # a tranche's index
    ip: np.ndarray  # integer parameters (``account_state.P_*``); the stop is a walk's own
    fp: np.ndarray  # float parameters (``account_state.F_*``)
    limit: int  # the credit line's limit (öre)
    floor: int
    capital: int  # the investor's capital committed (öre)
    n_tranches: int
    receives_outcomes: bool  # the municipality pays outcomes to the investor
    guarantee: bool
    rows_per_row: int  # the most rows the rules generate per base row, for the output buffer


def tables(compiled: Compiled, active: bool) -> FinancingTables:
    """The tables of ``compiled``'s financing (``active=False``: none, for pricing), built once."""
    key = (id(compiled), active)
    hit = _BUILT.get(key)
    if hit is not None and hit[0]() is compiled:
        return hit[1]
    value = _build(compiled, compiled.scenario.financing if active else Financing())
    _BUILT[key] = (weakref.ref(compiled, lambda _ref, key=key: _BUILT.pop(key, None)), value)
    return value


_BUILT: dict[tuple[int, bool], tuple[weakref.ref, FinancingTables]] = {}


def _build(k: Compiled, fin: Financing) -> FinancingTables:
    events = _events(k, fin)
    n = len(events)
    ev_day = np.array([e[0] for e in events], dtype=np.int64)
    ev_phase = np.array([e[1] for e in events], dtype=np.int64)
    ev_moment = np.array([e[2] for e in events], dtype=float)
    ev_kind = np.array([_KIND[e[3]] for e in events], dtype=np.int64)
    ev_arg = np.array([e[4] for e in events], dtype=np.int64)
    ev_fee = np.full(n, NO_FEE, dtype=np.int64)
    g, line, loan, inv = fin.guarantee, fin.credit_line, fin.loan, fin.investor
    for j, (day, _, _, kind, arg) in enumerate(events):
        if kind == "month_end" and g is not None and g.fee_paid == "monthly" and day < _guarantee_until(k, fin):
            ev_fee[j] = FEE_ON_EXPOSURE if g.fee_base == "exposure" else round_ore(_monthly_fee_on_limit(k, fin, day))
        elif kind in ("guarantee_fee_upfront", "guarantee_fee_year"):
            ev_fee[j] = round_ore(_fee_of_event(k, fin, kind, day, arg))
        elif kind == "line_setup":
            ev_fee[j] = round_ore(line.setup_fee)
        elif kind == "loan_payout":
            ev_fee[j] = round_ore(loan.principal)
    ip, fp = _parameters(k, fin)
    n_tranches = len(inv.tranches) if inv else 0
    return FinancingTables(
        ev_kind,
        ev_day,
        ev_phase,
        ev_moment,
        ev_fee,
        ev_arg,
        ip,
        fp,
        limit=round_ore(fin.credit_limit),
        floor=round_ore(line.floor) if line else 0,
        capital=round_ore(inv.capital) if inv else 0,
        n_tranches=n_tranches,
        receives_outcomes=inv is not None and inv.receives_outcome_payments,
        guarantee=g is not None,
        rows_per_row=1 if inv is None else 6,
    )


def _parameters(k: Compiled, fin: Financing) -> tuple[np.ndarray, np.ndarray]:
    g, line, loan, inv = fin.guarantee, fin.credit_line, fin.loan, fin.investor
    n_tranches = len(inv.tranches) if inv else 0
    ip = np.zeros(P_TRANCHES + n_tranches, dtype=np.int64)
    fp = np.zeros(N_FLOAT_PARAMETERS)
    ip[P_STOP] = NEVER
    ip[P_END] = int(k.end)
    ip[P_GUARANTOR] = int(Party.GUARANTOR)
    fp[F_MAX_ORE] = math.inf
    if line is not None:
        ip[P_LINE] = 1
        fp[F_LINE_RATE], fp[F_COMMITMENT_RATE] = line.interest_rate, line.commitment_fee_rate
    if loan is not None:
        ip[P_LOAN] = 1
        ip[P_PAID_OUT], ip[P_FINAL], ip[P_STRAIGHT], ip[P_BULLET] = _loan_schedule(k, fin)
        ip[P_LOAN_SETUP] = round_ore(loan.setup_fee)
        fp[F_LOAN_RATE] = loan.interest_rate
    if g is not None:
        ip[P_GUARANTEE] = 1
        ip[P_FEE_PAYER] = PAYERS[g.fee_payer]
        ip[P_GUARANTOR] = ip[P_FEE_PAYEE] = int(Party.GUARANTOR) if g.guarantor == "mikrofonden" else int(Party.COMMISSIONER)
        ip[P_COVERS_LINE] = g.covers in ("credit_line", "both")
        ip[P_COVERS_LOAN] = g.covers in ("loan", "both")
        ip[P_FEE_ON_EXPOSURE] = g.fee_base == "exposure"
        ip[P_GUARANTEE_CAP] = round_ore(g.max_amount) if g.max_amount is not None else NEVER
        ip[P_ON_DEMAND] = g.type == "on_demand"
        ip[P_REPAY_AT_EXPIRY] = g.at_expiry == "repay"
        fp[F_SHARE], fp[F_FEE_RATE] = g.share, g.fee_rate
        if g.max_amount is not None:
            fp[F_MAX_ORE] = g.max_amount * 100
    if inv is not None:
        ip[P_INVESTOR] = 1
        ip[P_RECEIVES] = inv.receives_outcome_payments
        ip[P_COSTS_FIRST] = inv.waterfall == "costs_first"
        ip[P_CALLS_CAPITAL] = inv.undrawn_counts_as_liquidity
        ip[P_N_TRANCHES] = n_tranches
        cap = inv.return_cap
        ip[P_RETURN_ON_TOTAL] = cap.total_share is not None
        fp[F_TOTAL_SHARE] = cap.total_share if cap.total_share is not None else 0.0
        fp[F_YEARLY_RATE] = cap.yearly_rate if cap.yearly_rate is not None else 0.0
        if inv.protection is not None:
            ip[P_PROTECTION] = 1
            ip[P_PROTECTION_PAYER] = PAYERS[inv.protection.paid_by]
            fp[F_PROTECTED_SHARE] = inv.protection.share
        for j, tranche in enumerate(inv.tranches):
            ip[P_TRANCHES + j] = round_ore(inv.capital * tranche.share)
    return ip, fp


def _events(k: Compiled, fin: Financing) -> list[tuple[int, int, float, str, int]]:
    """Dated events of the financing itself: fees, pay-outs, month-end charges, expiry."""
    out: list[tuple[int, int, float, str, int]] = []
    if fin.credit_line is not None and fin.credit_line.setup_fee:
        out.append((0, START_OF_DAY, -1.0, "line_setup", 0))
    if fin.loan is not None:
        paid_out = max(k.clock.plus_months(0, fin.loan.paid_out_month), 0)
        out.append((paid_out, START_OF_DAY, -1.0, "loan_payout", 0))
    if fin.investor is not None:
        for j, tranche in enumerate(fin.investor.tranches):
            out.append((max(k.clock.plus_months(0, tranche.month), 0), START_OF_DAY, -0.9, "tranche", j))
    g = fin.guarantee
    if g is not None:
        if g.fee_paid == "upfront":  # for each term, at its start (renewals too)
            term = 0
            while True:
                d = k.clock.plus_months(0, g.term_months * term)
                if d > k.end or (term and g.at_expiry != "renew"):
                    break
                out.append((d, START_OF_DAY, -0.5, "guarantee_fee_upfront", term))
                term += 1
        elif g.fee_paid == "yearly":
            year = 0
            while True:
                d = k.clock.plus_months(0, 12 * year)
                if d >= _guarantee_until(k, fin) or d > k.end:
                    break
                out.append((d, START_OF_DAY, -0.5, "guarantee_fee_year", year))
                year += 1
        ends = k.clock.plus_months(0, g.term_months)
        if g.at_expiry != "renew" and ends <= k.end:
            out.append((int(ends), START_OF_DAY, -0.25, "guarantee_expiry", 0))
    last_days = (k.month_start[1 : k.last_month + 2] - 1).tolist()
    out += [(last, MONTH_CLOSE, 0.0, "month_end", m) for m, last in enumerate(last_days) if last >= 0]
    out.sort()
    return out


def _guarantee_until(k: Compiled, fin: Financing) -> float:
    """The day the guarantee ends (inf: it renews)."""
    g = fin.guarantee
    if g is None:
        return 0
    return math.inf if g.at_expiry == "renew" else k.clock.plus_months(0, g.term_months)


def _guaranteed_limit(fin: Financing) -> float:
    """The guaranteed amount a fee on the limit is charged on: share × limit and principal, capped (kr)."""
    g = fin.guarantee
    base = 0.0
    if g.covers in ("credit_line", "both") and fin.credit_line is not None:
        base += fin.credit_limit
    if g.covers in ("loan", "both") and fin.loan is not None:
        base += fin.loan.principal
    amount = g.share * base
    return min(amount, g.max_amount) if g.max_amount is not None else amount


def _fee_of_event(k: Compiled, fin: Financing, kind: str, day: int, arg: int) -> float:
    """The guarantee fee due at an upfront (a term's) or a yearly fee event, in kronor."""
    g = fin.guarantee
    if kind == "guarantee_fee_upfront":
        return _guaranteed_limit(fin) * g.fee_rate * g.term_months / 12
    until = min(_guarantee_until(k, fin), k.end)
    days = min(k.clock.plus_months(0, 12 * (arg + 1)), until) - day
    return _guaranteed_limit(fin) * g.fee_rate * days / 365


def _monthly_fee_on_limit(k: Compiled, fin: Financing, day: int) -> float:
    """The guarantee's monthly fee on the guaranteed limit, for the month ending on ``day`` (kr)."""
    days = day + 1 - int(k.month_start[k.clock.month_of_day[day]])
    return _guaranteed_limit(fin) * fin.guarantee.fee_rate * days / 365


def _loan_schedule(k: Compiled, fin: Financing) -> tuple[int, int, int, bool]:
    """The loan's pay-out day, its last day, the straight instalment and whether it is a bullet."""
    loan = fin.loan
    paid_out = k.clock.plus_months(0, loan.paid_out_month)
    final = k.clock.plus_months(paid_out, loan.term_months)
    return paid_out, final, round_ore(loan.principal / loan.term_months), loan.amortisation == "bullet"
