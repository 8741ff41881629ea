"""The provider's account as named slots of arrays (``sib/engine/account_state.py``).

The compiled rules keep the account in plain int64/float64 arrays read through named indexes;
a user relies on this layout for an account that starts empty (no day short, the line open,
the guarantee in force until it ends), one flag per investor tranche that nothing else
overwrites, and markers that cannot be mistaken for a real amount, day or row.
"""

from __future__ import annotations

import numpy as np
import pytest

from sib.engine import account_state as acc
from sib.engine.account_state import NEVER, S_FIRST_SHORT, S_GUARANTEE_ENDED_AT, S_LIMIT_CLOSED_AT, S_TRANCHES, new_state


def _slots(prefix: str) -> dict[str, int]:
    return {name: value for name, value in vars(acc).items() if name.startswith(prefix) and isinstance(value, int)}


@pytest.mark.parametrize("tranches", [0, 1, 3])
def test_a_new_account_is_empty_with_no_day_short_and_nothing_closed_or_ended(tranches):
    st, fs = new_state(tranches)
    assert st.dtype == np.int64 and fs.dtype == np.float64
    assert st.shape == (S_TRANCHES + tranches,) and fs.shape == (acc.N_FLOAT_STATE,)
    assert st[S_FIRST_SHORT] == -1  # day 0 is a real day: "never short" must not be 0
    assert st[S_LIMIT_CLOSED_AT] == NEVER and st[S_GUARANTEE_ENDED_AT] == NEVER
    special = {S_FIRST_SHORT, S_LIMIT_CLOSED_AT, S_GUARANTEE_ENDED_AT}
    assert all(st[j] == 0 for j in range(st.size) if j not in special)  # cash, balances, every tranche uncalled
    assert fs.tolist() == [0.0]


def test_each_account_has_state_of_its_own():
    """Two treasuries (two replications) must not share balances."""
    a, fa = new_state(1)
    b, fb = new_state(1)
    a[acc.S_CASH] = 123
    a[S_TRANCHES] = 1
    fa[acc.G_GUARANTEED_DAYS] = 5.0
    assert b[acc.S_CASH] == 0 and b[S_TRANCHES] == 0 and fb[acc.G_GUARANTEED_DAYS] == 0.0


@pytest.mark.parametrize(
    ("prefix", "per_tranche", "size"),
    [
        ("S_", "S_TRANCHES", None),  # the state: one flag per tranche after the named slots
        ("P_", "P_TRANCHES", None),  # the integer parameters: one amount per tranche after them
        ("F_", None, acc.N_FLOAT_PARAMETERS),
        ("G_", None, acc.N_FLOAT_STATE),
        ("R_", None, acc.ROW_WIDTH),
    ],
)
def test_every_named_slot_has_a_place_of_its_own_and_the_per_tranche_slots_come_last(prefix, per_tranche, size):
    """Slots numbered 0, 1, … with no gap or double; the tranches' run starts after every named
    slot (a slot added after it would be overwritten by tranche 1); a fixed-size array has
    exactly room for its slots."""
    slots = _slots(prefix)
    assert sorted(slots.values()) == list(range(len(slots))), slots
    if per_tranche is not None:
        assert slots[per_tranche] == max(slots.values())
    if size is not None:
        assert len(slots) == size


def test_the_markers_cannot_be_taken_for_an_amount_a_day_or_a_row():
    """NEVER (no row, no maximum) is beyond any day or row count and stays exact in int64 with
    room to add to; a month end's fee code is negative (a fee in öre is at least 0) and the two
    codes differ; the event kinds and a walk's outcomes are distinct."""
    assert NEVER > 10**15 and int(np.array([NEVER], dtype=np.int64)[0]) == NEVER
    assert np.iinfo(np.int64).max > NEVER + 10**9
    assert acc.NO_FEE < 0 and acc.FEE_ON_EXPOSURE < 0 and acc.NO_FEE != acc.FEE_ON_EXPOSURE
    kinds = [acc.MONTH_END, acc.FIXED_FEE, acc.LINE_SETUP, acc.LOAN_PAYOUT, acc.GUARANTEE_EXPIRY, acc.TRANCHE]
    assert len(set(kinds)) == len(kinds)
    assert len({acc.DONE, acc.FAILED_ROW, acc.FAILED_EVENT}) == 3
