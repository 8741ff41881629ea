"""The investor's side of the provider's account (``sib/engine/investor.py``), called directly.

A user relies on it for the social impact bond's money: tranches paid in once (and repaying
the credit line first), what the investor is due (its principal, then a return capped at a
share of the capital or accrued yearly on the capital outstanding), outcome payments kept or
passed on in that order, the provider's repayments under each waterfall, and the capital
protection's top-up at the end.
"""

from __future__ import annotations

import numpy as np
import pytest

from sib.engine import investor
from sib.engine.account_state import (
    F_PROTECTED_SHARE,
    F_TOTAL_SHARE,
    F_YEARLY_RATE,
    N_FLOAT_PARAMETERS,
    P_END,
    P_INVESTOR,
    P_N_TRANCHES,
    P_PROTECTION,
    P_PROTECTION_PAYER,
    P_RECEIVES,
    P_RETURN_ON_TOTAL,
    P_TRANCHES,
    ROW_WIDTH,
    S_CAPITAL_DAYS,
    S_CASH,
    S_DRAWN,
    S_FLOOR,
    S_GENERATED,
    S_LIMIT,
    S_PAID_IN,
    S_PRINCIPAL_REPAID,
    S_RETURN_PAID,
    S_TRANCHES,
    S_UNCALLED,
    new_state,
)
from sib.engine.ledger import CATEGORY, MONTH_CLOSE, NO_ID, Party, Rows

PROVIDER, INVESTOR, COMMISSIONER, EXTERNAL = int(Party.PROVIDER), int(Party.INVESTOR), int(Party.COMMISSIONER), int(Party.EXTERNAL)
NAME = {code: name for name, code in CATEGORY.items()}
PARTY = {int(p): p.name.lower() for p in Party}


def _account(tranches=(), paid_in=0, cash=0, drawn=0, floor=0, total_share=0.2, yearly_rate=None, receives=True):
    st, _ = new_state(len(tranches))
    st[S_PAID_IN], st[S_CASH], st[S_DRAWN], st[S_LIMIT], st[S_FLOOR] = paid_in, cash, drawn, 10_000_000, floor
    st[S_UNCALLED] = sum(tranches)
    ip = np.zeros(P_TRANCHES + len(tranches), dtype=np.int64)
    fp = np.zeros(N_FLOAT_PARAMETERS)
    ip[P_INVESTOR], ip[P_RECEIVES], ip[P_N_TRANCHES], ip[P_END] = 1, receives, len(tranches), 700
    ip[P_TRANCHES : P_TRANCHES + len(tranches)] = tranches
    if yearly_rate is None:
        ip[P_RETURN_ON_TOTAL], fp[F_TOTAL_SHARE] = 1, total_share
    else:
        fp[F_YEARLY_RATE] = yearly_rate
    return st, ip, fp, np.zeros((16, ROW_WIDTH))


def _rows(st, out):
    """Generated rows as (day, payer, payee, category, öre, change in the capital outstanding)."""
    return [(int(r[0]), PARTY[int(r[3])], PARTY[int(r[4])], NAME[int(r[5])], int(r[6]), int(r[9])) for r in out[: st[S_GENERATED]]]


def test_only_outcome_payments_to_the_provider_go_to_the_investor_instead():
    def i64(*v):
        return np.array(v, dtype=np.int64)

    cats = i64(
        CATEGORY["outcome_payment"], CATEGORY["cohort_outcome_payment"], CATEGORY["fixed_participant_months"], CATEGORY["outcome_payment"]
    )
    rows = Rows(
        i64(10, 10, 10, 12),
        i64(1, 1, 1, 1),
        np.zeros(4),
        i64(COMMISSIONER, COMMISSIONER, COMMISSIONER, PROVIDER),
        i64(PROVIDER, PROVIDER, PROVIDER, EXTERNAL),
        cats,
        i64(100, 200, 300, 400),
        i64(0, NO_ID, NO_ID, 0),
        i64(1, 1, 1, NO_ID),
        i64(3, 3, 3, 12),
    )
    moved = investor.outcomes_to_investor(rows)
    assert moved.payee.tolist() == [INVESTOR, INVESTOR, PROVIDER, EXTERNAL]
    assert rows.payee.tolist() == [PROVIDER, PROVIDER, PROVIDER, EXTERNAL]  # the rows given are not changed
    assert moved.amount.tolist() == [100, 200, 300, 400] and moved.payer.tolist() == rows.payer.tolist()
    # Without an outcome payment to the provider, the rows come back as they were.
    fees = rows.take(np.array([2, 3]))
    assert investor.outcomes_to_investor(fees) is fees


def test_a_tranche_is_paid_in_once_repays_the_line_first_and_never_beyond_the_commitment():
    """Tranches of 10 000 and 25 000 kr against 30 000 kr committed (the shares rounded up, say):
    the first repays the 4 000 kr drawn; calling it again pays nothing; the second pays the
    20 000 kr left of the commitment."""
    st, ip, _, out = _account(tranches=(1_000_000, 2_500_000), drawn=400_000)
    st[S_UNCALLED] = 3_000_000
    investor.call_tranche(st, ip, out, 0, 0, -0.9, 0, 0)
    investor.call_tranche(st, ip, out, 5, 0, -0.9, 0, 0)
    assert _rows(st, out) == [
        (0, "investor", "provider", "investor_capital", 1_000_000, 1_000_000),
        (0, "provider", "bank", "credit_repayment", 400_000, 0),
    ]
    assert (st[S_CASH], st[S_DRAWN], st[S_PAID_IN], st[S_UNCALLED], st[S_TRANCHES]) == (600_000, 0, 1_000_000, 2_000_000, 1)
    investor.call_tranche(st, ip, out, 181, 0, -0.9, 1, 4)
    assert _rows(st, out)[2] == (181, "investor", "provider", "investor_capital", 2_000_000, 2_000_000)
    assert (st[S_PAID_IN], st[S_UNCALLED]) == (3_000_000, 0)


@pytest.mark.parametrize(
    ("paid_in", "repaid", "return_paid", "capital_days", "yearly_rate", "due"),
    [
        # A total share: 20 % of the 30 000 kr paid in, whatever has been repaid.
        (3_000_000, 1_000_000, 0, 0, None, (2_000_000, 600_000)),
        (3_000_000, 3_000_000, 450_000, 0, None, (0, 150_000)),
        (3_000_000, 3_000_000, 600_000, 0, None, (0, 0)),  # the cap reached
        # A yearly rate on the capital outstanding: 7 % × 20 000 kr × 100 days / 365
        # = 383.5616 kr → 38 356 öre.
        (2_000_000, 0, 0, 2_000_000 * 100, 0.07, (2_000_000, 38_356)),
    ],
)
def test_the_investor_is_due_its_principal_and_a_return_never_below_zero(paid_in, repaid, return_paid, capital_days, yearly_rate, due):
    st, ip, fp, _ = _account(paid_in=paid_in, yearly_rate=yearly_rate)
    st[S_PRINCIPAL_REPAID], st[S_RETURN_PAID], st[S_CAPITAL_DAYS] = repaid, return_paid, capital_days
    assert investor.due(st, ip, fp) == due


def test_an_outcome_paid_to_the_investor_is_kept_as_principal_then_return_and_the_rest_passed_on():
    """30 000 kr in, 20 % cap. A 10 000 kr outcome is all principal (the capital outstanding
    falls by it: the row's mark); a 30 000 kr one pays the last 20 000 kr of principal, the 6 000
    kr return and passes 4 000 kr on, which repays the provider's 3 000 kr drawn at once."""
    st, ip, fp, out = _account(paid_in=3_000_000, drawn=300_000)
    marks = np.zeros(2, dtype=np.int64)
    investor.keeps(st, ip, fp, out, marks, 60, 1, 0.0, 1_000_000, 1, 0)
    assert st[S_GENERATED] == 0 and marks.tolist() == [-1_000_000, 0]
    investor.keeps(st, ip, fp, out, marks, 91, 1, 0.0, 3_000_000, 2, 1)
    assert marks.tolist() == [-1_000_000, -2_000_000]
    assert (st[S_PRINCIPAL_REPAID], st[S_RETURN_PAID]) == (3_000_000, 600_000)
    assert _rows(st, out) == [
        (91, "investor", "provider", "investor_pass_through", 400_000, 0),
        (91, "provider", "bank", "credit_repayment", 300_000, 0),
    ]
    assert st[S_CASH] == 100_000 and st[S_DRAWN] == 0


def test_the_provider_repays_principal_before_return_up_to_what_it_can():
    st, ip, fp, out = _account(paid_in=3_000_000, cash=10_000_000)
    investor.pay(st, ip, fp, out, 91, 1, 0.0, 3_200_000, 0)
    assert _rows(st, out) == [
        (91, "provider", "investor", "investor_repayment", 3_000_000, -3_000_000),
        (91, "provider", "investor", "investor_return", 200_000, 0),
    ]
    assert st[S_CASH] == 10_000_000 - 3_200_000


@pytest.mark.parametrize(
    ("costs_first", "cash", "drawn", "floor", "amount", "paid"),
    [
        (False, 500_000, 0, 0, 800_000, 500_000),  # investor first: from the payment, as far as cash goes
        (False, 5_000_000, 0, 0, 800_000, 800_000),  # ... and no more than the payment
        (True, 5_000_000, 100_000, 0, 800_000, 0),  # costs first: not while the line is drawn
        (True, 900_000, 0, 200_000, 0, 700_000),  # ... then the cash above the floor
    ],
)
def test_a_provider_that_receives_outcomes_repays_the_investor_by_its_waterfall(costs_first, cash, drawn, floor, amount, paid):
    st, ip, fp, out = _account(paid_in=3_000_000, cash=cash, drawn=drawn, floor=floor, receives=False)
    investor.provider_repays(st, ip, fp, out, 91, 1, 0.0, amount, costs_first, 0)
    assert sum(r[4] for r in _rows(st, out)) == paid
    # When the investor receives the outcomes itself, the provider repays nothing.
    st, ip, fp, out = _account(paid_in=3_000_000, cash=cash, drawn=drawn, floor=floor, receives=True)
    investor.provider_repays(st, ip, fp, out, 91, 1, 0.0, amount, costs_first, 0)
    assert st[S_GENERATED] == 0


@pytest.mark.parametrize(("received", "top_up"), [(1_200_000, 300_000), (1_500_000, 0), (2_000_000, 0)])
def test_capital_protection_tops_up_the_protected_share_at_the_end(received, top_up):
    """Half of 30 000 kr protected, paid by the municipality: whatever the investor got back
    (principal and return) short of 15 000 kr comes on the contract's last day, at its close."""
    st, ip, fp, out = _account(paid_in=3_000_000)
    ip[P_PROTECTION], ip[P_PROTECTION_PAYER], fp[F_PROTECTED_SHARE] = 1, COMMISSIONER, 0.5
    st[S_PRINCIPAL_REPAID], st[S_RETURN_PAID] = received - 200_000, 200_000
    investor.protect_capital(st, ip, fp, out, 9)
    expected = [(700, "commissioner", "investor", "capital_protection", top_up, -top_up)] if top_up else []
    assert _rows(st, out) == expected
    if top_up:
        assert (out[0, 1], out[0, 2]) == (MONTH_CLOSE, 1.0)  # after everything else on that day
