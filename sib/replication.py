"""One simulated replication: its metrics at once, its tables when somebody asks for them."""

from __future__ import annotations

import datetime as dt
import math
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sib.engine.compiled import compile_scenario
from sib.engine.ledger import CATEGORY, PARTIES, Party
from sib.engine.model import Model
from sib.engine.streams import Streams
from sib.pricing import PricedContract, price
from sib.scenario.schema import Scenario

_FIXED = {CATEGORY[c] for c in ("upfront_payment", "fixed_monthly", "fixed_participant_months")}
_OUTCOME = {CATEGORY[c] for c in ("outcome_payment", "cohort_outcome_payment")}


def simulate(
    scenario: Scenario,
    seed: int | np.random.SeedSequence = 0,
    replication: int = 0,
) -> "Replication":
    """Simulate replication ``replication`` of a study with root ``seed``.

    ``simulate(s, seed, replication=i)`` is exactly replication i of a Monte Carlo run with that
    seed: its random streams come from ``SeedSequence(seed)`` and i alone.
    """
    priced = price(scenario)
    model = Model(compile_scenario(scenario), priced.terms, Streams(seed, replication))
    model.run()
    return Replication(scenario, seed, replication, priced, model)


class Replication:
    """The outcome of one replication. ``metrics`` is a flat dict; the tables are built lazily."""

    def __init__(self, scenario: Scenario, seed: Any, replication: int, priced: PricedContract, model: Model):
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self.priced = priced
        self._model = model
        self.metrics: dict[str, Any] = _metrics(scenario, priced, model)

    def __repr__(self) -> str:
        return f"Replication({self.scenario.name!r}, seed={self.seed!r}, replication={self.replication})"

    @cached_property
    def ledger(self) -> pd.DataFrame:
        """One row per movement of money: date, payer, payee, category, amount_ore, participant, invoice."""
        return self._model.ledger.frame()

    @cached_property
    def events(self) -> pd.DataFrame:
        """Participant events: referred, lost or enrolled, each state entered, milestones reached."""
        return _events(self._model)

    @cached_property
    def monthly(self) -> pd.DataFrame:
        """Per month: the provider's month-end and month-lowest cash, every party's cumulative net flow."""
        return monthly_frame(self._model)

    def provider_cash_by_row(self) -> np.ndarray:
        """The provider's cash after each ledger row, as the engine held it (öre)."""
        led = self._model.ledger
        amount = np.asarray(led.amount, dtype=np.int64)
        sign = np.where(np.asarray(led.payee) == Party.PROVIDER, 1, 0) - np.where(np.asarray(led.payer) == Party.PROVIDER, 1, 0)
        return led.opening_cash + np.cumsum(amount * sign)


def monthly_frame(model: Model) -> pd.DataFrame:
    led, clock = model.ledger, model.k.clock
    n = len(led.month_end_cash)
    balances = np.array(led.month_end_balance, dtype=np.int64).reshape(n, len(Party))
    frame = {
        "month": [clock.month_date(m) for m in range(n)],
        "provider_cash_end": np.asarray(led.month_end_cash) / 100,
        "provider_cash_low": np.asarray(led.month_low_cash) / 100,
    }
    for p in Party:
        if p is not Party.PROVIDER:
            frame[f"{PARTIES[p]}_net"] = balances[:, p] / 100
    pdays = model.participant_days + [0.0] * (n - len(model.participant_days))
    frame["participant_days"] = pdays[:n]
    return pd.DataFrame(frame)


def _date(model: Model, day: float | None) -> dt.date | None:
    return None if day is None or (isinstance(day, float) and math.isnan(day)) else model.k.clock.date(day)


def _metrics(sc: Scenario, priced: PricedContract, model: Model) -> dict[str, Any]:
    k, led = model.k, model.ledger
    people = model.people
    enrolled = [p for p in people if p.states is not None]
    waits = [p.enrolled - p.referred for p in enrolled]
    out: dict[str, Any] = {
        "referrals": len(people),
        "enrolled": len(enrolled),
        "declined_contract_full": sum(p.lost == "contract_full" for p in people),
        "lost_list_full": sum(p.lost == "list_full" for p in people),
        "lost_max_wait": sum(p.lost == "max_wait" for p in people),
        "lost_service_ended": sum(p.lost == "service_ended" for p in people),
        "wait_days_mean": float(np.mean(waits)) if waits else math.nan,
        "wait_days_max": float(np.max(waits)) if waits else math.nan,
    }
    reached = [0] * len(k.milestones)
    for p in enrolled:
        for mi, _t in p.hits:
            reached[mi] += 1
    for m, n in zip(k.milestones, reached):
        out[f"milestone_{m.name}"] = n
    for s, name in enumerate(k.pathway.names):
        if k.pathway.absorbing[s]:
            out[f"exit_{name}"] = sum(1 for p in enrolled if p.states[-1] == s)
    cats, amounts, payers, days = led.category, led.amount, led.payer, led.day
    fixed = sum(a for c, a in zip(cats, amounts) if c in _FIXED)
    outcome = sum(a for c, a in zip(cats, amounts) if c in _OUTCOME)
    paid = fixed + outcome
    verified = len(model.claims_accepted)
    out.update(
        outcome_claims_verified=verified,
        outcome_claims_rejected=model.claims_rejected,
        commissioner_paid=paid / 100,
        commissioner_paid_fixed=fixed / 100,
        commissioner_paid_outcome=outcome / 100,
        outcome_share_realised=outcome / paid if paid else math.nan,
        cost_per_outcome=paid / 100 / verified if verified else math.nan,
    )
    by_year: dict[int, int] = {}
    for payer, a, d in zip(payers, amounts, days):
        if payer == Party.COMMISSIONER:
            year = k.clock.date(d).year
            by_year[year] = by_year.get(year, 0) + a
    first, last = sc.start_date.year, k.clock.date(k.end).year
    for year in range(first, last + 1):
        out[f"commissioner_paid_{year}"] = by_year.get(year, 0) / 100
    opening = led.opening_cash
    out.update(
        provider_result=(led.cash - opening) / 100,
        provider_final_cash=led.cash / 100,
        provider_min_cash=led.min_cash / 100,
        provider_min_cash_date=_date(model, led.min_cash_day),
        provider_insolvent=led.first_shortfall_day is not None,
        provider_insolvency_date=_date(model, led.first_shortfall_day),
    )
    return out


def _events(model: Model) -> pd.DataFrame:
    names, milestones = model.k.pathway.names, model.k.milestones
    rows: list[tuple[int, float, str, str | None, str | None]] = []
    for p in model.people:
        rows.append((p.index, p.referred, "referred", None, None))
        if p.lost is not None:
            rows.append((p.index, p.left, f"lost_{p.lost}", None, None))
            continue
        if p.states is None:
            continue
        rows.append((p.index, p.enrolled, "enrolled", names[p.states[0]], None))
        for s, t in zip(p.states, p.times):
            rows.append((p.index, t, "entered", names[s], None))
        for mi, t in p.hits:
            m = milestones[mi]
            rows.append((p.index, t, "milestone", None, m.name))
    frame = pd.DataFrame(rows, columns=["participant", "day", "event", "state", "milestone"])
    frame = frame.dropna(subset=["day"]).sort_values(["day", "participant"], kind="stable").reset_index(drop=True)
    clock = model.k.clock
    frame.insert(1, "date", [clock.date(d) for d in frame["day"]])
    return frame
