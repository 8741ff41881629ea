"""Winding up the estate after a stop (``sib/engine/estate.py``), called directly on small arrays.

A user relies on it for the order of claims in the provider's bankruptcy: the bills past due
at the stop written off, the estate's cash to the bank (the credit line before the loan), an
on-demand guarantor paying at once and recovering from later receipts after the bank, a
final-loss guarantor paying its share of what every recovery leaves, and the investor last.
"""

from __future__ import annotations

import numpy as np
import pytest

from sib.engine import estate
from sib.engine.account_state import (
    F_MAX_ORE,
    F_SHARE,
    F_TOTAL_SHARE,
    N_FLOAT_PARAMETERS,
    NEVER,
    P_COVERS_LINE,
    P_COVERS_LOAN,
    P_GUARANTEE,
    P_GUARANTEE_CAP,
    P_GUARANTOR,
    P_INVESTOR,
    P_ON_DEMAND,
    P_RETURN_ON_TOTAL,
    P_STOP,
    P_TRANCHES,
    ROW_WIDTH,
    S_CASH,
    S_DRAWN,
    S_GENERATED,
    S_GUARANTEE_ENDED_AT,
    S_GUARANTEE_ON,
    S_LIMIT,
    S_LIMIT_CLOSED_AT,
    S_LOAN,
    S_OFFSET,
    S_OWED_GUARANTOR,
    S_PAID_IN,
    S_WRITTEN_OFF,
    new_state,
)
from sib.engine.ledger import CATEGORY, Party

PROVIDER, BANK, GUARANTOR, INVESTOR = int(Party.PROVIDER), int(Party.BANK), int(Party.GUARANTOR), int(Party.INVESTOR)
COMMISSIONER, STATE, EXTERNAL = int(Party.COMMISSIONER), int(Party.STATE), int(Party.EXTERNAL)
NAME = {code: name for name, code in CATEGORY.items()}
PARTY = {int(p): p.name.lower() for p in Party}


def _estate(cash=0, drawn=0, loan=0, share=0.0, covers=(), on_demand=True, cap=NEVER, investor=False):
    """An account at the stop: ``covers`` the debts the guarantee covers ('line', 'loan')."""
    st, _ = new_state(0)
    st[S_CASH], st[S_DRAWN], st[S_LIMIT], st[S_LOAN] = cash, drawn, drawn, loan
    ip = np.zeros(P_TRANCHES, dtype=np.int64)
    fp = np.zeros(N_FLOAT_PARAMETERS)
    ip[P_STOP], ip[P_GUARANTOR], ip[P_GUARANTEE_CAP], fp[F_MAX_ORE] = NEVER, GUARANTOR, cap, np.inf
    if covers:
        ip[P_GUARANTEE], st[S_GUARANTEE_ON] = 1, 1
        ip[P_COVERS_LINE], ip[P_COVERS_LOAN], ip[P_ON_DEMAND] = "line" in covers, "loan" in covers, on_demand
        fp[F_SHARE] = share
    if investor:
        ip[P_INVESTOR], ip[P_RETURN_ON_TOTAL], fp[F_TOTAL_SHARE] = 1, 1, 0.2
    return st, ip, fp, np.zeros((32, ROW_WIDTH))


def _rows(st, out):
    """Generated rows as (day, payer, payee, category, öre)."""
    return [(int(r[0]), PARTY[int(r[3])], PARTY[int(r[4])], NAME[int(r[5])], int(r[6])) for r in out[: st[S_GENERATED]]]


def _wind_up(st, ip, fp, out, later, stop_day=31, walked=10):
    """``later``: (day, payer, payee, öre) rows the estate pays and receives after the stop."""
    i64 = lambda j: np.array([r[j] for r in later], dtype=np.int64)  # noqa: E731
    n = len(later)
    return estate.k_wind_up(
        i64(1),
        i64(2),
        i64(3),
        i64(0),
        np.ones(n, dtype=np.int64),
        np.zeros(n),
        np.zeros(n, dtype=np.int64),
        stop_day,
        0,
        0.0,
        walked,
        st,
        ip,
        fp,
        out,
    )


def test_the_estate_s_cash_repays_the_credit_line_before_the_loan():
    st, _, _, out = _estate(cash=70_000, drawn=50_000, loan=100_000)
    estate.settle_from_cash(st, out, 31, 0, 0.0, 4)
    assert _rows(st, out) == [(31, "provider", "bank", "credit_repayment", 50_000), (31, "provider", "bank", "loan_repayment", 20_000)]
    assert (st[S_CASH], st[S_DRAWN], st[S_LOAN]) == (0, 0, 80_000)
    # Less cash than the line: all of it to the line, nothing to the loan.
    st, _, _, out = _estate(cash=30_000, drawn=50_000, loan=100_000)
    estate.settle_from_cash(st, out, 31, 0, 0.0, 4)
    assert _rows(st, out) == [(31, "provider", "bank", "credit_repayment", 30_000)]


@pytest.mark.parametrize(
    ("covers", "cap", "paid", "drawn_after", "loan_after"),
    [
        # 90 % of the 333 333 öre drawn = 299 999.7 → 300 000 öre (half up).
        (("line",), NEVER, 300_000, 33_333, 1_000_000),
        (("loan",), NEVER, 900_000, 333_333, 100_000),
        # Both: 0.9 × 1 333 333 = 1 199 999.7 → 1 200 000, taken from the line first.
        (("line", "loan"), NEVER, 1_200_000, 0, 133_333),
        (("line", "loan"), 500_000, 500_000, 0, 833_333),  # the guarantee's maximum
    ],
    ids=["line", "loan", "both", "both, capped"],
)
def test_the_guarantor_pays_its_share_of_the_covered_debt_to_the_ore_the_line_first(covers, cap, paid, drawn_after, loan_after):
    st, ip, fp, out = _estate(drawn=333_333, loan=1_000_000, share=0.9, covers=covers, cap=cap)
    st[S_GENERATED] = 2  # two rows generated before: the guarantee ends from output row 2 + 7
    out[:2] = 0
    estate.guarantee_pays(st, ip, fp, out, 31, 0, 0.0, 7)
    assert _rows(st, out)[2:] == [(31, "guarantor", "bank", "guarantee_payout", paid)]
    assert (st[S_DRAWN], st[S_LOAN]) == (drawn_after, loan_after)
    assert st[S_OWED_GUARANTOR] == paid  # on demand: the guarantor may recover what it paid
    assert st[S_GUARANTEE_ON] == 0 and st[S_GUARANTEE_ENDED_AT] == 9


def test_on_demand_the_guarantor_pays_at_the_stop_and_recovers_after_the_bank():
    """At the stop the provider owes 200 kr of bills past due (cash -200 kr) and 500 000 kr on
    the line, 90 % guaranteed on demand. The bills are written off; the guarantor pays 450 000
    kr at once. Later: 60 000 kr in (the bank's unguaranteed 50 000 first, 10 000 to the
    guarantor), 5 000 kr the estate pays out, 10 000 kr in (5 000 left for the guarantor)."""
    st, ip, fp, out = _estate(cash=-20_000, drawn=50_000_000, share=0.9, covers=("line",))
    later = [(40, COMMISSIONER, PROVIDER, 6_000_000), (45, PROVIDER, STATE, 500_000), (60, COMMISSIONER, PROVIDER, 1_000_000)]
    going_concern = _wind_up(st, ip, fp, out, later)
    assert _rows(st, out) == [
        (31, "external", "provider", "unpaid_at_stop", 20_000),
        (31, "guarantor", "bank", "guarantee_payout", 45_000_000),
        (40, "provider", "bank", "credit_repayment", 5_000_000),
        (40, "provider", "guarantor", "guarantee_recovery", 1_000_000),
        (60, "provider", "guarantor", "guarantee_recovery", 500_000),
    ]
    assert going_concern == 10  # the walk's rows, none generated before
    assert st[S_WRITTEN_OFF] == 20_000 and st[S_OWED_GUARANTOR] == 45_000_000 - 1_500_000
    assert (st[S_CASH], st[S_DRAWN], st[S_LIMIT], st[S_LIMIT_CLOSED_AT], st[S_OFFSET]) == (0, 0, 0, 10, 10)


def test_a_final_loss_guarantor_pays_its_share_of_what_every_recovery_leaves():
    """The same estate with a final-loss guarantee: receipts go to the bank (60 000 and 5 000
    kr of the 10 000 kr after the 5 000 kr payment), and on the last day the estate receives
    money the guarantor pays 90 % of the 435 000 kr left: 391 500 kr."""
    st, ip, fp, out = _estate(cash=-20_000, drawn=50_000_000, share=0.9, covers=("line",), on_demand=False)
    later = [(40, COMMISSIONER, PROVIDER, 6_000_000), (45, PROVIDER, STATE, 500_000), (60, COMMISSIONER, PROVIDER, 1_000_000)]
    _wind_up(st, ip, fp, out, later)
    assert _rows(st, out) == [
        (31, "external", "provider", "unpaid_at_stop", 20_000),
        (40, "provider", "bank", "credit_repayment", 6_000_000),
        (60, "provider", "bank", "credit_repayment", 500_000),
        (60, "guarantor", "bank", "guarantee_payout", 39_150_000),
    ]
    assert st[S_DRAWN] == 4_350_000 and st[S_OWED_GUARANTOR] == 0  # the bank's own loss: 43 500 kr


def test_a_final_loss_guarantor_does_not_wait_for_the_municipality_s_own_later_costs():
    """The municipality's continuation rows (commissioner → external, to the end of support)
    come with the estate's later rows; they are no money of the estate's, so the guarantor
    still pays on day 60, the estate's last receipt, not on day 200."""
    st, ip, fp, out = _estate(drawn=50_000_000, share=0.9, covers=("line",), on_demand=False)
    later = [(40, COMMISSIONER, PROVIDER, 6_000_000), (60, COMMISSIONER, PROVIDER, 1_000_000), (200, COMMISSIONER, EXTERNAL, 310_000)]
    _wind_up(st, ip, fp, out, later)
    assert _rows(st, out)[-1] == (60, "guarantor", "bank", "guarantee_payout", 38_700_000)


def test_the_investor_is_paid_after_the_bank_principal_before_return_and_the_rest_stays():
    """No guarantee; 10 000 kr on the line; the investor put in 30 000 kr for at most 20 %.
    A 50 000 kr receipt repays the line, then the investor's 30 000 kr and its 6 000 kr return;
    4 000 kr stays with the estate."""
    st, ip, fp, out = _estate(drawn=1_000_000, investor=True)
    st[S_PAID_IN] = 3_000_000
    _wind_up(st, ip, fp, out, [(50, COMMISSIONER, PROVIDER, 5_000_000)])
    assert _rows(st, out) == [
        (50, "provider", "bank", "credit_repayment", 1_000_000),
        (50, "provider", "investor", "investor_repayment", 3_000_000),
        (50, "provider", "investor", "investor_return", 600_000),
    ]
    assert st[S_CASH] == 400_000


def test_rows_generated_before_the_stop_count_in_the_going_concern():
    """The wind-up's rows follow the walk's: the going concern is the base rows walked plus the
    rows the walk generated, and a refused payment leaves the estate nothing to pay."""
    st, ip, fp, out = _estate(cash=5_000, drawn=0)
    st[S_GENERATED] = 3
    assert _wind_up(st, ip, fp, out, [], walked=12) == 15
    assert st[S_GENERATED] == 3 and st[S_CASH] == 5_000
