"""The account's elementary moves (``sib/engine/account_kernels.py``), called directly on small arrays.

Every rule of the provider's account is built from these: a row generated, balance-days
accrued for actual/365 interest, a draw on the credit line, the line repaid from income, the
line closed or the guarantee ended, and at the end the account's rows merged in the order money
moved with the positions after each. A user relies on them for interest on the right days,
draws that keep cash exactly at the floor, and positions that add up to the ledger.
"""

from __future__ import annotations

import numpy as np
import pytest

from sib.engine import account_kernels as ak
from sib.engine.account_state import (
    F_MAX_ORE,
    F_SHARE,
    G_GUARANTEED_DAYS,
    N_FLOAT_PARAMETERS,
    NEVER,
    P_COVERS_LINE,
    P_COVERS_LOAN,
    P_FEE_ON_EXPOSURE,
    P_TRANCHES,
    ROW_WIDTH,
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
    new_state,
)
from sib.engine.ledger import CATEGORY, NO_ID, Party

BANK, PROVIDER, COMMISSIONER, EXTERNAL, INVESTOR = (
    int(Party.BANK),
    int(Party.PROVIDER),
    int(Party.COMMISSIONER),
    int(Party.EXTERNAL),
    int(Party.INVESTOR),
)
DRAW, REPAY = CATEGORY["credit_draw"], CATEGORY["credit_repayment"]


def _account(cash=0, limit=0, floor=0, drawn=0, loan=0, rows=8):
    st, fs = new_state(0)
    st[S_CASH], st[S_LIMIT], st[S_FLOOR], st[S_DRAWN], st[S_LOAN] = cash, limit, floor, drawn, loan
    return st, fs, np.zeros((rows, ROW_WIDTH))


def _parameters(share=0.0, covers_line=False, covers_loan=False, on_exposure=False, max_ore=np.inf):
    ip = np.zeros(P_TRANCHES, dtype=np.int64)
    fp = np.zeros(N_FLOAT_PARAMETERS)
    ip[P_COVERS_LINE], ip[P_COVERS_LOAN], ip[P_FEE_ON_EXPOSURE] = covers_line, covers_loan, on_exposure
    fp[F_SHARE], fp[F_MAX_ORE] = share, max_ore
    return ip, fp


def _generated(st, out):
    """The generated rows as (day, phase, moment, payer, payee, category, amount, d_drawn, d_loan, d_invested, at)."""
    return [tuple(int(v) if j != 2 else float(v) for j, v in enumerate(r)) for r in out[: st[S_GENERATED]]]


@pytest.mark.parametrize(
    ("kronor", "ore"),
    [
        (1.005, 101),  # 1.005 × 100 is 100.49999999999999 in binary: half up all the same
        (0.145, 15),  # 14.499999999999998
        (0.285, 29),  # 28.499999999999996
        (0.0049, 0),  # under half an öre
        (0.005, 1),  # exactly half an öre goes up
        (1234.56, 123_456),
    ],
)
def test_kronor_round_half_up_to_whole_ore_whatever_the_binary_noise(kronor, ore):
    assert ak.ore(kronor) == ore


def test_balance_days_count_each_day_s_closing_balance_up_to_but_not_including_the_day():
    """From day 0 to day 31 (a 31-day January) every balance counts 31 days: drawn, undrawn
    limit, loan, and the investor's capital still out (paid in less principal repaid). A
    second call for the same or an earlier day adds nothing."""
    st, fs, _ = _account(limit=1_000_000, drawn=100_000, loan=50_000)
    st[S_PAID_IN], st[S_PRINCIPAL_REPAID] = 300_000, 100_000
    ip, fp = _parameters()
    ak.advance(st, fs, ip, fp, 31)
    assert (st[S_DRAWN_DAYS], st[S_UNDRAWN_DAYS], st[S_LOAN_DAYS], st[S_CAPITAL_DAYS]) == (
        100_000 * 31,
        900_000 * 31,
        50_000 * 31,
        200_000 * 31,
    )
    assert st[S_LAST_DAY] == 31
    ak.advance(st, fs, ip, fp, 31)
    ak.advance(st, fs, ip, fp, 20)
    assert st[S_DRAWN_DAYS] == 100_000 * 31 and st[S_LAST_DAY] == 31


def test_a_balance_changed_mid_month_accrues_the_old_balance_to_the_day_before_the_change():
    """Nothing drawn for 10 days, then 250 000 öre from day 10 to the month's last day (30):
    21 days count the new balance (the month end's interest is charged on these öre-days)."""
    st, fs, _ = _account(limit=1_000_000)
    ip, fp = _parameters()
    ak.advance(st, fs, ip, fp, 10)
    st[S_DRAWN] = 250_000
    ak.advance(st, fs, ip, fp, 31)
    assert st[S_DRAWN_DAYS] == 250_000 * 21
    assert st[S_UNDRAWN_DAYS] == 1_000_000 * 10 + 750_000 * 21


@pytest.mark.parametrize(
    ("covers_line", "covers_loan", "max_ore", "guaranteed"),
    [
        (True, False, np.inf, 0.9 * 400_000),
        (False, True, np.inf, 0.9 * 1_000_000),
        (True, True, np.inf, 0.9 * 1_400_000),
        (True, True, 1_000_000.0, 1_000_000),  # the guarantee's maximum
        (True, False, 360_000.0, 0.9 * 400_000),  # exactly at the maximum
    ],
)
def test_the_guaranteed_exposure_is_the_share_of_what_the_guarantee_covers_up_to_its_maximum(covers_line, covers_loan, max_ore, guaranteed):
    st, _, _ = _account(limit=1_000_000, drawn=400_000, loan=1_000_000)
    ip, fp = _parameters(0.9, covers_line, covers_loan, max_ore=max_ore)
    assert ak.guaranteed_exposure(st, ip, fp) == pytest.approx(guaranteed, rel=1e-15)


def test_a_fee_on_the_exposure_accrues_only_while_the_guarantee_is_in_force():
    """90 % of 400 000 öre drawn for 10 days, then the guarantee ends: 10 × 360 000 öre-days,
    and nothing for the 21 days after (the drawn balance accrues on)."""
    st, fs, _ = _account(limit=1_000_000, drawn=400_000)
    st[S_GUARANTEE_ON] = 1
    ip, fp = _parameters(0.9, covers_line=True, on_exposure=True)
    ak.advance(st, fs, ip, fp, 10)
    ak.end_guarantee(st, 0)
    ak.advance(st, fs, ip, fp, 31)
    assert fs[G_GUARANTEED_DAYS] == pytest.approx(360_000 * 10, rel=1e-15)
    assert st[S_DRAWN_DAYS] == 400_000 * 31
    # A fee on the limit (not the exposure) accrues no guaranteed days at all.
    st, fs, _ = _account(limit=1_000_000, drawn=400_000)
    st[S_GUARANTEE_ON] = 1
    ip, fp = _parameters(0.9, covers_line=True, on_exposure=False)
    ak.advance(st, fs, ip, fp, 31)
    assert fs[G_GUARANTEED_DAYS] == 0


def test_a_payment_draws_exactly_what_keeps_cash_at_the_floor():
    """Cash 30 000, floor 10 000 öre: a 50 000 payment draws 30 000 (cash 60 000, 10 000 after
    paying); one of 20 000 (cash down to the floor, not below) draws nothing; one öre more draws
    one öre."""
    st, _, out = _account(cash=30_000, limit=100_000, floor=10_000)
    ak.draw(st, out, 40, 1, 0.0, 50_000, 100_000, 3)
    assert _generated(st, out) == [(40, 1, 0.0, BANK, PROVIDER, DRAW, 30_000, 30_000, 0, 0, 3)]
    assert st[S_DRAWN] == 30_000 and st[S_CASH] == 60_000

    st, _, out = _account(cash=30_000, limit=100_000, floor=10_000)
    ak.draw(st, out, 40, 1, 0.0, 20_000, 100_000, 3)
    assert _generated(st, out) == [] and st[S_DRAWN] == 0
    ak.draw(st, out, 40, 1, 0.0, 20_001, 100_000, 3)
    assert [r[6] for r in _generated(st, out)] == [1]


def test_a_draw_stops_at_the_undrawn_limit():
    """200 000 öre due with no cash and 50 000 undrawn: the line gives its 50 000 and no more
    (the walk then pays on short of money or refuses); with nothing undrawn there is no row."""
    st, _, out = _account(limit=100_000, drawn=50_000)
    ak.draw(st, out, 5, 1, 0.0, 200_000, 50_000, 0)
    assert [r[6] for r in _generated(st, out)] == [50_000] and st[S_DRAWN] == 100_000
    ak.draw(st, out, 5, 1, 0.0, 200_000, 0, 0)
    assert st[S_GENERATED] == 1


def test_income_repays_the_line_at_once_down_to_the_floor():
    """Cash 70 000 with 100 000 drawn and a 10 000 floor: 60 000 goes to the bank. At the floor,
    or with nothing drawn, nothing is repaid."""
    st, _, out = _account(cash=70_000, limit=200_000, floor=10_000, drawn=100_000)
    ak.repay_line(st, out, 61, 1, 0.0, 7)
    assert _generated(st, out) == [(61, 1, 0.0, PROVIDER, BANK, REPAY, 60_000, -60_000, 0, 0, 7)]
    assert (st[S_CASH], st[S_DRAWN]) == (10_000, 40_000)
    ak.repay_line(st, out, 62, 1, 0.0, 8)
    assert st[S_GENERATED] == 1

    st, _, out = _account(cash=70_000, limit=200_000, drawn=30_000)
    ak.repay_line(st, out, 61, 1, 0.0, 7)
    assert [r[6] for r in _generated(st, out)] == [30_000] and (st[S_CASH], st[S_DRAWN]) == (40_000, 0)


def test_the_line_closes_and_the_guarantee_ends_from_the_next_output_row_recorded_once():
    """With 3 rows generated, a close before base row 5 takes effect at output row 8; a second
    close later does not move it (the positions show the limit 0 from the first)."""
    st, _, _ = _account(limit=500_000)
    st[S_GUARANTEE_ON] = 1
    st[S_GENERATED] = 3
    assert st[S_LIMIT_CLOSED_AT] == NEVER and st[S_GUARANTEE_ENDED_AT] == NEVER
    ak.close_line(st, 5)
    ak.end_guarantee(st, 5)
    assert (st[S_LIMIT], st[S_LIMIT_CLOSED_AT], st[S_GUARANTEE_ON], st[S_GUARANTEE_ENDED_AT]) == (0, 8, 0, 8)
    ak.close_line(st, 9)
    ak.end_guarantee(st, 9)
    assert (st[S_LIMIT_CLOSED_AT], st[S_GUARANTEE_ENDED_AT]) == (8, 8)


def test_a_full_row_buffer_is_an_error_not_a_lost_payment():
    st, _, out = _account(cash=0, rows=1)
    ak.emit(st, out, 0, 0, 0.0, EXTERNAL, PROVIDER, CATEGORY["sales"], 100, 0, 0, 0, 0)
    with pytest.raises(IndexError, match="row buffer is full"):
        ak.emit(st, out, 0, 0, 0.0, EXTERNAL, PROVIDER, CATEGORY["sales"], 100, 0, 0, 0, 0)
    assert st[S_CASH] == 100  # the refused row moved no money


def test_rows_come_out_in_the_order_money_moved_with_the_positions_after_each():
    """Base rows b0 (income 100 öre, day 5), b1 (a 300 öre cost, day 6), b2 (50 öre, day 7);
    generated: capital of 1 000 from the investor before b0 (at 0), a draw of 250 before b1
    (at 1) and one of 50 right after it (also at 1: generated rows keep their order), and a
    repayment of 200 after the last base row (at 3). The investor's capital also falls by 400
    at b1 (its mark). Opening cash 10."""
    table = np.array(
        [
            # day phase moment payer payee category amount d_drawn d_loan d_invested at
            [4, 0, -0.9, INVESTOR, PROVIDER, CATEGORY["investor_capital"], 1_000, 0, 0, 1_000, 0],
            [6, 1, 0.0, BANK, PROVIDER, DRAW, 250, 250, 0, 0, 1],
            [6, 1, 0.0, BANK, PROVIDER, DRAW, 50, 50, 0, 0, 1],
            [8, 4, 0.0, PROVIDER, BANK, REPAY, 200, -200, 0, 0, 3],
        ],
        dtype=float,
    )
    i64 = lambda *v: np.array(v, dtype=np.int64)  # noqa: E731
    out = ak.k_rows(
        table,
        i64(5, 6, 7),  # day
        i64(1, 1, 1),  # phase
        np.array([0.0, 0.0, 0.0]),
        i64(COMMISSIONER, PROVIDER, PROVIDER),
        i64(PROVIDER, EXTERNAL, EXTERNAL),
        i64(CATEGORY["outcome_payment"], CATEGORY["overhead"], CATEGORY["overhead"]),
        i64(100, 300, 50),
        i64(0, NO_ID, NO_ID),  # participant
        i64(1, NO_ID, NO_ID),  # invoice
        i64(3, 6, 7),  # accrued
        i64(0, -400, 0),  # marks
        10,
    )
    day, _, _, payer, _, _, amount, participant, _, accrued, drawn, loan, invested, cash, base_before = out
    assert list(day) == [4, 5, 6, 6, 6, 7, 8]
    assert list(payer) == [INVESTOR, COMMISSIONER, BANK, BANK, PROVIDER, PROVIDER, PROVIDER]
    assert list(amount) == [1_000, 100, 250, 50, 300, 50, 200]
    assert list(participant) == [NO_ID, 0, NO_ID, NO_ID, NO_ID, NO_ID, NO_ID]
    assert list(accrued) == [4, 3, 6, 6, 6, 7, 8]  # a generated row accrues to its own day
    assert list(cash) == [1_010, 1_110, 1_360, 1_410, 1_110, 1_060, 860]
    assert list(drawn) == [0, 0, 250, 300, 300, 300, 100]
    assert list(loan) == [0] * 7
    assert list(invested) == [1_000, 1_000, 1_000, 1_000, 600, 600, 600]
    assert list(base_before) == [0, 0, 1, 1, 1, 2, 3]
