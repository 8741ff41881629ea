"""Payments per day in some states, and for planned exits by length of stay (``contract.per_day``).

A stay is an unbroken run of path segments in a rate's paid and deducted states (``stays``);
it is paid once it has lasted ``min_stay_days`` within the outcome window. Each paid segment's
days are split by calendar month; a month's days become payable at the later of the month's
last day (or the window's last day) and the day the stay qualified, so a qualifying stay's
earlier days are paid at once. A stay that ends in one of the exit payment's states before the
window ends pays the tier its length reached, on the day it ended. Each becomes a claim line
of its own (a participant, the day it became payable, its amount in öre at the given prices),
verified, invoiced and capped with the outcome claims (``payments``), and priced with them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.pathway import stays

DAY, EXIT = 0, 1
#: Sorts (person, time) pairs as one number: more days than any contract has.
_SPAN = 1 << 20


@dataclass(frozen=True)
class DayClaims:
    """Per claim line: the participant, the rate (index in ``contract.per_day``), day or exit,
    the day it became payable, the days paid (1 for an exit), its amount in öre at the given
    prices (not scaled by pricing, not indexed)."""

    person: np.ndarray
    rate: np.ndarray
    kind: np.ndarray
    reach: np.ndarray
    days: np.ndarray
    weight: np.ndarray

    @classmethod
    def none(cls) -> DayClaims:
        i, f = np.zeros(0, dtype=np.int64), np.zeros(0)
        return cls(i, i, i, i, f, f)

    def __len__(self) -> int:
        return self.person.size


def day_claims(k: Compiled, person: np.ndarray, state: np.ndarray, entry: np.ndarray, exit_: np.ndarray, window_end: float) -> DayClaims:
    """Every day and exit claim of the enrolled participants' paths (flat segments, path order)."""
    rates = k.scenario.contract.per_day
    if not rates or not person.size:
        return DayClaims.none()
    names = list(k.pathway.names)
    parts: list[tuple[np.ndarray, ...]] = []
    for r, rate in enumerate(rates.values()):
        paid = _mask(names, rate.states)
        members = paid | _mask(names, rate.deducted_states)
        st = stays(person, state, entry, exit_, members)
        if not st.person.size:
            continue
        end = np.minimum(st.exit, window_end)
        qualified_on = st.entry + rate.min_stay_days
        qualifies = end - st.entry >= rate.min_stay_days
        # Each paid segment's stay: the last stay of the same person that began at or before it.
        seg = np.flatnonzero(paid[state] & (entry < window_end))
        which = np.searchsorted(st.person * _SPAN + st.entry, person[seg] * _SPAN + entry[seg], side="right") - 1
        keep = qualifies[which]
        seg, which = seg[keep], which[keep]
        if seg.size:
            parts.append(
                _days(k, r, rate.price * 100, person[seg], entry[seg], np.minimum(exit_[seg], window_end), qualified_on[which], window_end)
            )
        if rate.exit_payment is not None:
            parts.append(_exits(r, rate.exit_payment, names, person, state, entry, st, window_end))
    if not parts:
        return DayClaims.none()
    return DayClaims(*(np.concatenate([p[j] for p in parts]) for j in range(6)))


def _mask(names: list[str], chosen: list[str]) -> np.ndarray:
    out = np.zeros(len(names) + 1, dtype=bool)  # the last entry: padding (no state)
    out[[names.index(s) for s in chosen]] = True
    return out


def _days(k: Compiled, rate: int, price: float, person, start, stop, qualified_on, window_end: float):
    """One line per paid segment and calendar month with days in it."""
    lo, hi = k.month_start[:-1], k.month_start[1:]
    days = np.clip(np.minimum(stop[:, None], hi[None, :]) - np.maximum(start[:, None], lo[None, :]), 0, None)
    seg, month = np.nonzero(days > 0)
    n = days[seg, month]
    last_day = np.minimum(hi[month], math.ceil(window_end)) - 1  # the month's (or the window's) last day
    reach = np.maximum(last_day, np.ceil(qualified_on[seg]).astype(np.int64))
    reach = np.minimum(reach, math.ceil(window_end) - 1)
    return (person[seg], np.full(seg.size, rate), np.full(seg.size, DAY), reach.astype(np.int64), n, n * price)


def _exits(rate: int, pay, names: list[str], person, state, entry, st, window_end: float):
    """One line per stay that ended, before the window did, in a planned exit state: the tier
    its length reached."""
    ended = np.isfinite(st.exit) & (st.exit < window_end)
    # The state after the stay: the segment of the same person that begins where the stay ends.
    keys = person * _SPAN + entry
    at = np.searchsorted(keys, st.person * _SPAN + st.exit, side="left")
    at = np.minimum(at, keys.size - 1)
    follows = ended & (keys[at] == st.person * _SPAN + st.exit)
    planned = _mask(names, pay.states)
    ok = follows & planned[np.where(follows, state[at], len(names))]
    length = st.exit - st.entry
    tiers = np.array([t.after_days for t in pay.tiers], dtype=float)
    prices = np.array([t.price for t in pay.tiers], dtype=float)
    tier = np.searchsorted(tiers, length, side="right") - 1
    ok &= tier >= 0
    price = np.where(ok, prices[np.maximum(tier, 0)] * 100, 0.0)
    i = np.flatnonzero(ok)
    return (st.person[i], np.full(i.size, rate), np.full(i.size, EXIT), np.ceil(st.exit[i]).astype(np.int64), np.ones(i.size), price[i])
