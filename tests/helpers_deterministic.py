"""Helpers for tests with deterministic scenarios: fixed cohorts, fixed durations, exact money.

Everything here builds scenarios from plain dicts through ``sib.scenario.loader.build`` (the
same validation a YAML file gets) and reads the results back as plain Python values, so a
test can state the expected ledger rows to the day and the öre.
"""

from __future__ import annotations

import copy
import datetime as dt
import pathlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

# The calendar worked out with plain datetime, independently of sib's own (shared with the
# validation suite's exact checks).
from validation.deterministic import add_months, chain, month_end, quarter_end

import sib
from sib.scenario.loader import build

#: Pricing replications used by deterministic scenarios (the schema's minimum; pricing does not
#: change anything when no outcome_share is given, but it runs anyway).
PRICING = {"replications": 20}


def D(text: str) -> dt.date:
    """A date from ISO text: D("2027-03-31")."""
    return dt.date.fromisoformat(text)


def ore(kr: float) -> int:
    """Kronor to öre, for exact expectations written in kronor (only for values exact in öre)."""
    value = round(kr * 100)
    assert abs(value - kr * 100) < 1e-6, f"{kr} kr is not a whole number of öre"
    return int(value)


def plus_days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


DEFAULT_CONTRACT: dict[str, Any] = {
    "service_months": 12,
    "outcome_tail_months": 0,
    "rejected_share": 0.0,
    "verification_lag": {"months": 2},
    "invoice_period": "monthly",
    "payment_terms_days": 30,
    "pricing": PRICING,
}


def scenario_dict(
    *,
    start: str = "2027-01-01",
    cohorts: Sequence[tuple[str, int]] = (("2027-01-01", 1),),
    pathway: Mapping[str, Any] | None = None,
    milestones: Mapping[str, Any] | None = None,
    contract: Mapping[str, Any] | None = None,
    provider: Mapping[str, Any] | None = None,
    capacity: Mapping[str, Any] | None = None,
    maximum: int | None = None,
) -> dict[str, Any]:
    """A complete scenario mapping. ``contract`` keys replace those of :data:`DEFAULT_CONTRACT`."""
    referrals: dict[str, Any] = {"cohorts": [{"date": d, "size": n} for d, n in cohorts]}
    if maximum is not None:
        referrals["maximum"] = maximum
    raw: dict[str, Any] = {
        "name": "deterministic test",
        "start_date": start,
        "participants": {"referrals": referrals},
        "pathway": copy.deepcopy(dict(pathway)) if pathway is not None else chain(("a", 30), ("b", 1000)),
        "milestones": copy.deepcopy(dict(milestones)) if milestones is not None else {"m": {"state": "b"}},
        "contract": {**copy.deepcopy(DEFAULT_CONTRACT), **copy.deepcopy(dict(contract or {}))},
        # These scenarios test the contract's mechanics: the run goes on whatever the cash.
        "insolvency": {"rule": "continue"},
    }
    if "rate_card" not in raw["contract"]:
        raw["contract"]["rate_card"] = {name: {"price": 1000} for name in raw["milestones"]}
    if provider is not None:
        raw["provider"] = copy.deepcopy(dict(provider))
    if capacity is not None:
        raw["capacity"] = copy.deepcopy(dict(capacity))
    return raw


def scenario(**kwargs: Any) -> sib.Scenario:
    return build(scenario_dict(**kwargs))


def run(raw_or_scenario: Mapping[str, Any] | sib.Scenario, seed: int = 0, replication: int = 0) -> sib.Replication:
    sc = raw_or_scenario if isinstance(raw_or_scenario, sib.Scenario) else build(raw_or_scenario)
    return sib.simulate(sc, seed, replication=replication)


Row = tuple[dt.date, str, str, str, int, Any, Any]


def _none(v: Any) -> Any:
    return None if v is pd.NA or (isinstance(v, float) and np.isnan(v)) else int(v)


def rows(rep: sib.Replication, categories: str | Iterable[str] | None = None) -> list[Row]:
    """Ledger rows as plain tuples (date, payer, payee, category, amount_ore, participant, invoice)."""
    led = rep.ledger
    if categories is not None:
        cats = {categories} if isinstance(categories, str) else set(categories)
        led = led[led["category"].astype(str).isin(cats)]
    return [
        (r.date, str(r.payer), str(r.payee), str(r.category), int(r.amount_ore), _none(r.participant), _none(r.invoice))
        for r in led.itertuples(index=False)
    ]


def milestone_dates(rep: sib.Replication, participant: int | None = None, milestone: str | None = None) -> list[dt.date]:
    ev = rep.events
    ev = ev[ev["event"] == "milestone"]
    if participant is not None:
        ev = ev[ev["participant"] == participant]
    if milestone is not None:
        ev = ev[ev["milestone"] == milestone]
    return list(ev["date"])


def signed_provider_flows(ledger: pd.DataFrame) -> np.ndarray:
    """+amount where the provider receives, −amount where it pays, 0 otherwise (öre, int64)."""
    amount = ledger["amount_ore"].to_numpy(dtype=np.int64)
    payee = (ledger["payee"].astype(str) == "provider").to_numpy()
    payer = (ledger["payer"].astype(str) == "provider").to_numpy()
    return amount * payee.astype(np.int64) - amount * payer.astype(np.int64)


def engine_verify(day: dt.date, lag: Mapping[str, int]) -> dt.date:
    """The verification date of a milestone reached on ``day`` (independent of the engine)."""
    if "months" in lag:
        return add_months(day, lag["months"])
    if "weeks" in lag:
        return plus_days(day, 7 * lag["weeks"])
    return plus_days(day, lag["days"])


def expected_payment_date(reached: dt.date, lag: Mapping[str, int], period: str, terms: int) -> dt.date:
    verified = engine_verify(reached, lag)
    invoiced = month_end(verified) if period == "monthly" else quarter_end(verified)
    return plus_days(invoiced, terms)


ROOT = pathlib.Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))

#: What a ready-made variant may change and still run, to the suites below, the engine code its
#: base runs: the outcome share, the invoice period, the municipality's own costs, the words
#: about them, and the size and giver of a guarantee or a credit line.
TERMS_ONLY = (
    "name",
    "description",
    "sources",
    "contract.outcome_share",
    "contract.invoice_period",
    "contract.commissioner_costs",
    # A guarantee and a credit line of other sizes or guarantors: test_compiled_walk's
    # variants made for each branch of the account walk these paths (no guarantee and a
    # kommunal borgen among them, from bostad_forst_utan_garanti and _kommunal_borgen).
    "financing.guarantee",
    "financing.credit_line",
)
#: The variant in which the provider fails in almost every run: it walks the stop's paths.
FAILING = "arbetsintegrering_75.yaml"


def _flat(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
        return out or {prefix: {}}
    return {prefix: node}


def _engine_distinct(path: pathlib.Path) -> bool:
    """Whether a file runs engine code its base does not: it has no base, or it changes more
    than ``TERMS_ONLY``."""
    import yaml

    parent = yaml.safe_load(path.read_text(encoding="utf-8")).get("extends")
    if parent is None or path.name == FAILING:
        return True
    mine, base = _flat(raw_scenario(path)), _flat(raw_scenario(path.parent / parent))
    changed = {k for k in mine.keys() | base.keys() if mine.get(k, ...) != base.get(k, ...)}
    return any(not any(k == t or k.startswith(t + ".") for t in TERMS_ONLY) for k in changed)


def raw_scenario(path: str | pathlib.Path) -> dict[str, Any]:
    """A scenario file's mapping (no ``extends`` resolution: files in scenarios/ are complete)."""
    from sib.scenario.loader import resolve_extends

    p = pathlib.Path(path)
    if not p.is_absolute():
        p = ROOT / p
    return resolve_extends(p, p.resolve().parent)


#: The files the suites that walk every engine path with every file take (invariants, bad
#: input, fuzzing, the intake shortcut, the compiled walk, the levers): a variant that only
#: changes the terms in ``TERMS_ONLY`` is its base to them. test_reference_scenarios and the
#: CLI still load, price and run every file.
ENGINE_SCENARIOS = [p for p in SCENARIOS if _engine_distinct(p)]


def with_changes(raw: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``raw`` with dotted-path keys set ("contract.caps.total": 5) or removed (value ``...``).

    Removing a parameter also removes its ``sources`` entries (which would otherwise name a
    parameter that no longer exists).
    """
    out = copy.deepcopy(dict(raw))
    for key, value in changes.items():
        node = out
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if value is ...:
            node.pop(parts[-1], None)
            sources = out.get("sources") or {}
            for k in [k for k in sources if k == key or k.startswith(key + ".")]:
                del sources[k]
        else:
            node[parts[-1]] = copy.deepcopy(value)
    return out


def outcome_rows_expected_dates(rep: sib.Replication) -> list[tuple[dt.date, dt.date]]:
    """(accrued, paid) of every outcome_payment row."""
    led = rep.ledger[rep.ledger["category"].astype(str) == "outcome_payment"]
    return list(zip(led["accrued"], led["date"]))
