"""The provider's account as the compiled rules read and change it: named slots of a few arrays.

numba cannot cache code that uses a class of its own (a jitclass), so the account's state is
an int64 array ``st`` (balances, balance-days, the investor's capital, where things changed),
a float64 array ``fs`` (the guaranteed balance-days a fee on the exposure is charged on), and
its rows an array ``out`` of the rows the rules generate. What the financing says (rates, the
loan's schedule, who pays the guarantee's fee, the investor's tranches) is an int64 array
``ip`` and a float64 array ``fp``, the same for every replication of a scenario
(``financing_tables``).
"""

from __future__ import annotations

import numpy as np
from numba import types as nt

# ---------------------------------------------------------------- the kernels' argument types
#: The account's helper kernels are given these types in their signatures. Left to infer them,
#: numba compiles a helper afresh for each combination of constants it is called with (it
#: made 57 copies of ``emit``): the signature makes one.
INTS = nt.int64[::1]  # ``st``, ``ip``, row marks
FLOATS = nt.float64[::1]  # ``fs``, ``fp``
TABLE = nt.float64[:, ::1]  # ``out``
INT, FLOAT, BOOL = nt.int64, nt.float64, nt.boolean

# ---------------------------------------------------------------- the state, ``st`` (öre, days)
(
    S_CASH,
    S_DRAWN,
    S_LIMIT,
    S_FLOOR,
    S_LOAN,
    S_LAST_DAY,
    S_DRAWN_DAYS,
    S_UNDRAWN_DAYS,
    S_LOAN_DAYS,
    S_FIRST_SHORT,  # the first day a payment could not be covered (-1: none)
    S_REFUSED,  # the payment refused at a stop
    S_REFUSED_FROM,  # base rows from here on were not paid by the provider
    S_GENERATED,  # rows the rules generated so far (in ``out``)
    S_OWED_GUARANTOR,  # what an on-demand guarantor paid for the estate and may recover
    S_OFFSET,  # base rows of the earlier segments in the output (the estate's receipts follow the walk's)
    S_GUARANTEE_ON,  # 1 while the guarantee is in force
    S_LIMIT_CLOSED_AT,  # the output row from which the credit limit is 0 (NEVER: not closed)
    S_GUARANTEE_ENDED_AT,  # the output row from which the guarantee is no longer in force (NEVER)
    S_PAID_IN,
    S_UNCALLED,
    S_PRINCIPAL_REPAID,
    S_RETURN_PAID,  # the investor's capital
    S_CAPITAL_DAYS,  # principal outstanding × days, for a yearly return
    S_WRITTEN_OFF,  # bills past due at a stop that the estate leaves unpaid
    S_TRANCHES,  # first of one flag per tranche: called
) = range(25)

# ---------------------------------------------------------------- the float state, ``fs``
G_GUARANTEED_DAYS = 0  # the guaranteed part of each day's closing balance, summed (öre-days)
N_FLOAT_STATE = 1

# ---------------------------------------------------------------- integer parameters, ``ip``
(
    P_STOP,  # the base row from which a payment that cannot be covered is refused (NEVER: none is)
    P_STOP_DAY,  # ... and the day (the financing's own charges before the stop row)
    P_LINE,
    P_LOAN,
    P_PAID_OUT,
    P_FINAL,
    P_STRAIGHT,
    P_BULLET,
    P_LOAN_SETUP,
    P_GUARANTEE,
    P_FEE_PAYER,
    P_FEE_PAYEE,
    P_COVERS_LINE,
    P_COVERS_LOAN,
    P_FEE_ON_EXPOSURE,
    P_GUARANTEE_CAP,  # the most the guarantor pays (öre; NEVER: no maximum)
    P_ON_DEMAND,  # 1: on demand (proprieborgen); 0: the final loss (fyllnadsborgen)
    P_REPAY_AT_EXPIRY,
    P_GUARANTOR,
    P_INVESTOR,
    P_RECEIVES,
    P_COSTS_FIRST,
    P_CALLS_CAPITAL,
    P_RETURN_ON_TOTAL,
    P_PROTECTION,
    P_PROTECTION_PAYER,
    P_END,
    P_N_TRANCHES,
    P_TRANCHES,  # first of one amount per tranche (öre)
) = range(29)

# ---------------------------------------------------------------- float parameters, ``fp``
(
    F_LINE_RATE,
    F_COMMITMENT_RATE,
    F_LOAN_RATE,
    F_SHARE,
    F_MAX_ORE,  # the guarantee's maximum in öre (inf: none), for the guaranteed exposure
    F_FEE_RATE,
    F_TOTAL_SHARE,
    F_YEARLY_RATE,
    F_PROTECTED_SHARE,
) = range(9)
N_FLOAT_PARAMETERS = 9

NEVER = 1 << 62

# ---------------------------------------------------------------- a generated row, ``out[g]``
#: day, phase, moment, payer, payee, category, amount, and what it changes in the credit drawn,
#: the loan and the investor's capital; then its insertion point: the base rows before it.
(R_DAY, R_PHASE, R_MOMENT, R_PAYER, R_PAYEE, R_CATEGORY, R_AMOUNT, R_D_DRAWN, R_D_LOAN, R_D_INVESTED, R_AT) = range(11)
ROW_WIDTH = 11

# ---------------------------------------------------------------- the financing's events
MONTH_END, FIXED_FEE, LINE_SETUP, LOAN_PAYOUT, GUARANTEE_EXPIRY, TRANCHE = range(6)
NO_FEE, FEE_ON_EXPOSURE = -1, -2  # a month end's ``ev_fee`` when it has no fixed guarantee fee

# ---------------------------------------------------------------- what a walk stopped at
DONE, FAILED_ROW, FAILED_EVENT = range(3)


def new_state(n_tranches: int) -> tuple[np.ndarray, np.ndarray]:
    """Empty state arrays (``st``, ``fs``) for an account with ``n_tranches`` investor tranches."""
    st = np.zeros(S_TRANCHES + n_tranches, dtype=np.int64)
    st[S_FIRST_SHORT] = -1
    st[S_LIMIT_CLOSED_AT] = st[S_GUARANTEE_ENDED_AT] = NEVER
    return st, np.zeros(N_FLOAT_STATE)
