"""Rates of return and present values, by pyxirr, with the cases it cannot answer made explicit.

An internal rate of return is a root of the net present value. With one sign change in the
flows there is exactly one (Descartes' rule of signs); with none there is no rate at all, and
with several there may be several — then sib returns NaN and says why, never a number that is
merely one of the roots.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pyxirr


def irr(dates: Sequence[dt.date], flows: Sequence[float]) -> tuple[float, str]:
    """The annual internal rate of return (actual/365, as Excel's XIRR) and why it is NaN."""
    values = [float(v) for v in flows if v != 0]
    if not values or min(values) >= 0 or max(values) <= 0:
        return math.nan, "no rate of return: the flows do not change sign"
    if _sign_changes(flows) > 1:
        # Then there may be several rates (up to one per sign change) and a scan can miss
        # close or extreme ones: no rate is safer than a wrong one.
        return math.nan, "no single rate of return: the flows change sign more than once"
    try:
        rate = pyxirr.xirr(dates, flows)
    except (pyxirr.InvalidPaymentsError, ValueError) as exc:  # pragma: no cover - guarded above
        return math.nan, f"no rate of return: {exc}"
    if rate is None or not math.isfinite(rate):
        return math.nan, "no rate of return found"
    return float(rate), ""


def xnpv(rate: float, dates: Sequence[dt.date], flows: Sequence[float], start: dt.date | None = None) -> float:
    """Net present value, actual/365 from ``start`` (default: the first date), as Excel's XNPV."""
    if start is not None and (not dates or start < min(dates)):
        dates, flows = [start, *dates], [0.0, *flows]
    return float(pyxirr.xnpv(rate, dates, flows))


def npv(rate: float, flows: Sequence[float], first_discounted: bool = True) -> float:
    """NPV of periodic flows. ``first_discounted=True`` is Excel's NPV (the first flow is one
    period away); False treats the first flow as at t = 0."""
    return float(pyxirr.npv(rate, flows, start_from_zero=not first_discounted))


def _sign_changes(flows: Sequence[float]) -> int:
    signs = [v > 0 for v in flows if v != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)
