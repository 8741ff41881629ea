"""Deterministic scenarios and independent calendar arithmetic for the exact checks.

Fixed cohorts and fixed durations make every ledger row predictable; the expected rows are
worked out here with plain ``datetime`` arithmetic, not with sib's calendar, so a mistake in
either shows as a difference.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from validation.common import simulate

import sib
from sib.scenario.loader import build

Row = tuple[dt.date, int]  # (date, amount in öre)


def add_months(day: dt.date, months: int) -> dt.date:
    """The anniversary date, clamped to the month's last day."""
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def month_end(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def quarter_end(day: dt.date) -> dt.date:
    m = ((day.month - 1) // 3 + 1) * 3
    return dt.date(day.year, m, calendar.monthrange(day.year, m)[1])


def ore(kr: float) -> int:
    """Kronor to öre, rounded half up (as sib rounds where it computes an amount)."""
    return int((abs(kr) * 100 + 0.5) // 1) * (1 if kr >= 0 else -1)


def chain(*steps: tuple[str, float], exit: str = "x", unit: str = "days") -> dict[str, Any]:
    """A linear pathway: each (state, length) is left after that fixed time for the next
    state, the last for the absorbing ``exit``; the first is the start state."""
    names = [s for s, _ in steps] + [exit]
    states: dict[str, Any] = {n: {"transitions": {nxt: {"fixed": length, "unit": unit}}} for (n, length), nxt in zip(steps, names[1:])}
    states[exit] = {}
    return {"start": steps[0][0], "states": states}


def scenario(
    *,
    cohorts: Sequence[tuple[str, int]] = (("2027-01-01", 1),),
    pathway: Mapping[str, Any] | None = None,
    milestones: Mapping[str, Any] | None = None,
    contract: Mapping[str, Any] | None = None,
    provider: Mapping[str, Any] | None = None,
    financing: Mapping[str, Any] | None = None,
    insolvency: Mapping[str, Any] | None = None,
    start: str = "2027-01-01",
) -> sib.Scenario:
    """A complete deterministic scenario; the run goes on whatever the cash unless told."""
    raw: dict[str, Any] = {
        "name": "validation (deterministic)",
        "start_date": start,
        "participants": {"referrals": {"cohorts": [{"date": d, "size": n} for d, n in cohorts]}},
        "pathway": copy.deepcopy(dict(pathway)) if pathway else chain(("a", 30), ("b", 1000)),
        "milestones": copy.deepcopy(dict(milestones)) if milestones is not None else {"m": {"state": "b"}},
        "contract": {
            "service_months": 12,
            "verification_lag": {"months": 2},
            "invoice_period": "monthly",
            "payment_terms_days": 30,
            "pricing": {"replications": 20},
            **copy.deepcopy(dict(contract or {})),
        },
        "insolvency": dict(insolvency or {"rule": "continue"}),
    }
    if provider is not None:
        raw["provider"] = copy.deepcopy(dict(provider))
    if financing is not None:
        raw["financing"] = copy.deepcopy(dict(financing))
    return build(raw)


def run(sc: sib.Scenario) -> sib.Replication:
    return simulate(sc, 0)


def ledger_rows(rep: sib.Replication, categories: str | Iterable[str]) -> list[Row]:
    """(date, öre) of the ledger rows of these categories, in ledger order."""
    cats = {categories} if isinstance(categories, str) else set(categories)
    led = rep.ledger
    led = led[led["category"].astype(str).isin(cats)]
    return [(d, int(a)) for d, a in zip(led["date"], led["amount_ore"])]


def show(rows: Sequence[Row]) -> str:
    """Rows as short text for the report: '2027-04-30: 1 234.56; 3 × 2027-05-31: 10.00'."""
    parts: list[tuple[int, Row]] = []
    for row in rows:
        if parts and parts[-1][1] == row:
            parts[-1] = (parts[-1][0] + 1, row)
        else:
            parts.append((1, row))
    text = [("" if n == 1 else f"{n} × ") + f"{d.isoformat()}: {a / 100:,.2f}".replace(",", " ") for n, (d, a) in parts]
    return "; ".join(text) or "none"
