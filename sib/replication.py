"""One simulated replication: its metrics at once, its tables when somebody asks for them."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sib.economics import economics_metrics
from sib.engine.compiled import compile_replication
from sib.engine.day_rate import DAY, EXIT
from sib.engine.ledger import (
    CATEGORY,
    FIXED_CATEGORIES,
    OUTCOME_CATEGORIES,
    PARTIES,
    Ledger,
    Party,
    category_mask,
)
from sib.engine.model import Model, Start
from sib.engine.streams import Streams
from sib.finance import irr
from sib.pricing import PricedContract, price
from sib.scenario.schema import Scenario


def simulate(
    scenario: Scenario,
    seed: int | np.random.SeedSequence = 0,
    replication: int = 0,
) -> Replication:
    """Simulate replication ``replication`` of a study with root ``seed``.

    ``simulate(s, seed, replication=i)`` is exactly replication i of a Monte Carlo run with that
    seed: its random streams come from ``SeedSequence(seed)`` and i alone.
    """
    return simulate_priced(scenario, price(scenario), seed, replication)


def simulate_priced(
    scenario: Scenario,
    priced: PricedContract,
    seed: int | np.random.SeedSequence,
    replication: int,
    start: Start | None = None,
    paid_alike: bool = False,
) -> Replication:
    """``simulate`` with the contract already priced (a Monte Carlo run prices once); from
    ``start``, the ``Replication.start`` of this replication of a design with the same
    participants key (``start_keys``), if given; ``paid_alike``: the payments key is the same
    too. The result is the same as without, only sooner."""
    streams = Streams(seed, replication)
    model = Model(compile_replication(scenario, streams), priced.terms, streams).run(start, paid_alike)
    return Replication(scenario, seed, replication, priced, model)


#: What a replication's start does not read: the financing and the cash the provider starts
#: with, the insolvency rule, the economic views, the words; and of the contract, what sets
#: the prices (the rate card's names alone decide which milestones are claimed).
_NOT_IN_PARTICIPANTS = {
    "financing": True,
    "insolvency": True,
    "economics": True,
    "name": True,
    "description": True,
    "sources": True,
    "provider": {"opening_equity"},
    "contract": {"outcome_share", "expected_value", "fixed", "rate_card", "caps", "pricing", "direct_award_limit"},
}


def start_keys(scenario: Scenario, priced: PricedContract) -> tuple[str, tuple[str, Any]]:
    """Two keys for what designs share in each replication. Equal participants keys: the same
    participants, milestones, claims and spending (another outcome share, say). Equal payments
    keys too: the contract also pays alike, so the whole start is the same (the designs differ
    in their financing alone)."""
    rest = scenario.model_dump_json(by_alias=True, exclude=_NOT_IN_PARTICIPANTS)
    participants = hashlib.sha256(f"{rest}|{list(scenario.contract.rate_card)}".encode()).hexdigest()
    return participants, (scenario.contract.model_dump_json(by_alias=True), priced.terms)


class Replication:
    """The outcome of one replication. ``metrics`` is a flat dict; the tables are built lazily."""

    def __init__(self, scenario: Scenario, seed: Any, replication: int, priced: PricedContract, model: Model):
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self.priced = priced
        self._model = model
        #: The uncertain parameters' values drawn in this replication (path → value), and the
        #: scenario with those values in place: what this replication simulated.
        self.parameters: dict[str, float] = model.k.parameters
        self.realised: Scenario = model.k.scenario
        self.metrics: dict[str, Any] = _metrics(model.k.scenario, priced, model)

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

    @property
    def start(self) -> Start:
        """This replication up to where money meets financing: what ``simulate_priced`` can
        take for a design with the same participants key (``start_keys``)."""
        return self._model.start

    def monthly_series(self) -> dict[str, np.ndarray]:
        """The monthly series as arrays (no table): what a Monte Carlo batch keeps."""
        return monthly_series(self._model)

    def months(self) -> list[dt.date]:
        """The first day of each month the monthly series cover."""
        clock = self._model.k.clock
        return [clock.month_date(m) for m in range(self._model.ledger.last_month + 1)]

    @cached_property
    def monthly(self) -> pd.DataFrame:
        """Per month: the provider's month-end and month-lowest cash, every party's cumulative net flow."""
        return monthly_frame(self._model)

    def positions(self) -> pd.DataFrame:
        """The engine's own positions after each ledger row (kronor): the provider's cash,
        credit drawn, loan outstanding, the part of the bank's exposure guaranteed, liquidity."""
        acc = self._model.account
        return pd.DataFrame(
            {
                "date": self.ledger["date"],
                "cash": acc.cash / 100,
                "credit_drawn": acc.drawn / 100,
                "loan_outstanding": acc.loan / 100,
                "guaranteed": acc.guaranteed / 100,
                "investor_outstanding": acc.invested / 100,
                "liquidity": acc.liquidity / 100,
            }
        )

    def provider_cash_by_row(self) -> np.ndarray:
        """The provider's cash after each ledger row, as the engine held it (öre)."""
        return self._model.ledger.cash.copy()


def monthly_series(model: Model) -> dict[str, np.ndarray]:
    """Per month (index 0..last month): the provider's month-end and month-lowest cash and
    liquidity, every other party's cumulative net flow (kronor) and participant-days."""
    led = model.ledger
    series = led.monthly
    n = led.last_month + 1
    out = {
        "provider_cash_end": series["provider_cash_end"] / 100,
        "provider_cash_low": series["provider_cash_low"] / 100,
    }
    for p in Party:
        if p is not Party.PROVIDER:
            out[f"{PARTIES[p]}_net"] = series[PARTIES[p]] / 100
    for name in ("provider_liquidity_end", "provider_liquidity_low"):
        if name in series:
            out[name] = series[name] / 100
    out["participant_days"] = np.asarray(model.participants.participant_days[:n], dtype=float)
    return out


def monthly_frame(model: Model) -> pd.DataFrame:
    clock = model.k.clock
    series = monthly_series(model)
    n = model.ledger.last_month + 1
    return pd.DataFrame({"month": [clock.month_date(m) for m in range(n)], **series})


def _date(model: Model, day: float | None) -> dt.date | None:
    return None if day is None or (isinstance(day, float) and math.isnan(day)) else model.k.clock.date(day)


def _metrics(sc: Scenario, priced: PricedContract, model: Model) -> dict[str, Any]:
    k, led = model.k, model.ledger
    people = model.participants
    intake = people.intake  # its arrays: ``model.people`` would build an object per referral
    waits = people.enrolled_at - intake.referred[people.enrolled_ids]
    lost = intake.lost
    out: dict[str, Any] = {
        "referrals": len(intake.referred),
        "enrolled": len(people.enrolled_ids),
        "declined_contract_full": lost.count("contract_full"),
        "lost_list_full": lost.count("list_full"),
        "lost_max_wait": lost.count("max_wait"),
        "lost_service_ended": lost.count("service_ended"),
        "wait_days_mean": float(waits.mean()) if waits.size else math.nan,
        "wait_days_max": float(waits.max()) if waits.size else math.nan,
    }
    reached = np.bincount(people.hits.milestone, minlength=len(k.milestones))
    for m, n in zip(k.milestones, reached.tolist()):
        out[f"milestone_{m.name}"] = n
    out.update(_effects(model))
    out.update(_days_paid(model))
    out.update(_steps(model))
    ids = people.enrolled_ids
    final = people.paths.states[ids, :]
    valid = final >= 0
    exits_at = np.isfinite(people.path_end)
    last_state = final[np.arange(len(ids)), np.count_nonzero(valid, axis=1) - 1] if len(ids) else np.zeros(0, dtype=int)
    for s, name in enumerate(k.pathway.names):
        if k.pathway.absorbing[s]:
            out[f"exit_{name}"] = int(((last_state == s) & exits_at).sum())
    fixed = led.total(FIXED_CATEGORIES)
    outcome = led.total(OUTCOME_CATEGORIES)
    paid = fixed + outcome
    verified = int(people.claims.person.size)
    out.update(
        outcome_claims_verified=verified,
        outcome_claims_rejected=people.claims.rejected,
        commissioner_paid=paid / 100,
        commissioner_paid_fixed=fixed / 100,
        commissioner_paid_outcome=outcome / 100,
        outcome_share_realised=outcome / paid if paid else math.nan,
        cost_per_outcome=paid / 100 / verified if verified else math.nan,
    )
    out.update(_whole_cost(model))
    out.update(_budget_years(sc, priced, model))
    low, low_day = led.min_cash
    shortfall = model.shortfall
    owed = int(model.account.drawn[-1] + model.account.loan[-1]) if model.account.drawn.size else 0
    out.update(
        # The change in equity: cash at the end less what is still owed to the bank.
        provider_result=(led.final_cash - owed - led.opening_cash) / 100,
        provider_final_cash=led.final_cash / 100,
        provider_min_cash=low / 100,
        provider_min_cash_date=_date(model, low_day),
        provider_insolvent=shortfall is not None and shortfall.insolvent,
        provider_insolvency_date=_date(model, _insolvency_day(model)),
    )
    out.update(_finance_metrics(sc, model))
    out.update(economics_metrics(sc, model))
    return out


def _effects(model: Model) -> dict[str, float]:
    """For each outcome paid on an effect against a comparison group: the share of the
    comparison group's sample that reached it, the estimated effect (the share of the enrolled
    whose claims were verified, less that), and whether the estimate cleared the threshold."""
    out: dict[str, float] = {}
    people = model.participants
    enrolled = len(people.enrolled_ids)
    for i, (name, item) in enumerate(model.k.scenario.contract.rate_card.items()):
        if item.comparison is None:
            continue
        seen = float(model.comparison[i])
        effect = people.claims.count(i) / enrolled - seen if enrolled else math.nan
        out[f"comparison_share_{name}"] = seen
        out[f"effect_estimate_{name}"] = effect
        out[f"effect_cleared_{name}"] = bool(effect >= item.comparison.threshold - 1e-12)
    return out


def _days_paid(model: Model) -> dict[str, float]:
    """For each day rate: the days it paid for and the planned exits it paid (as claimed, before caps)."""
    d = model.participants.day_claims
    out: dict[str, float] = {}
    for r, name in enumerate(model.k.scenario.contract.per_day):
        mine = d.rate == r
        out[f"days_paid_{name}"] = float(d.days[mine & (d.kind == DAY)].sum())
        out[f"exits_paid_{name}"] = int((mine & (d.kind == EXIT)).sum())
    return out


def _insolvency_day(model: Model) -> int | None:
    """The day the insolvency test fired (the day of the payment after which the shortfall was
    more than temporary), or None."""
    found = model.shortfall
    if found is None or not found.insolvent:
        return None
    return found.insolvent_day


#: What the municipality's whole cost is made of: its payments out and in, by what they are for.
WHOLE_COST_ITEMS = {
    "contract": (
        "upfront_payment",
        "start_up_grant",
        "fixed_monthly",
        "fixed_participant_months",
        "unused_places",
        "outcome_payment",
        "cohort_outcome_payment",
        "day_payment",
        "exit_payment",
    ),
    "administration": ("commissioner_set_up", "contract_management", "final_evaluation"),
    "leases": ("rent", "tenant_rent"),
    "late_payment_interest": ("late_payment_interest",),
    "capital_protection": ("capital_protection",),
    "continuation": ("continuation",),
    "service_gap": ("service_gap",),
    "reprocurement": ("reprocurement",),
    "takeover": ("takeover",),
    "guarantee": ("guarantee_payout", "guarantee_fee", "guarantee_recovery"),
    "vat": ("vat_compensation", "output_vat"),
}


def _whole_cost(model: Model) -> dict[str, float]:
    """The municipality's whole cost: everything it pays out less everything it receives, in
    the whole ledger (the contract's payments to the provider or the investor, late-payment
    interest, its own contract management and evaluation, capital protection, carrying the service on after a stop, re-procurement, a
    kommunal borgen called, guarantee fees it pays; less the VAT compensation and the guarantee
    fees and recoveries it receives), itemised, and by budget year (cash and accrual)."""
    led, k = model.ledger, model.k
    out_ = led.payer == Party.COMMISSIONER
    in_ = led.payee == Party.COMMISSIONER
    net = np.where(out_, led.amount, 0) - np.where(in_, led.amount, 0)
    by_category = np.bincount(led.category, weights=net, minlength=len(CATEGORY))
    total = int(net.sum())
    out: dict[str, float] = {"commissioner_whole_cost": total / 100}
    itemised = 0
    for item, names in WHOLE_COST_ITEMS.items():
        amount = int(round(sum(by_category[CATEGORY[n]] for n in names)))
        itemised += amount
        out[f"commissioner_cost_{item}"] = amount / 100
    out["commissioner_cost_other"] = (total - itemised) / 100
    first = model.sc.start_date.year
    n = k.clock.date(k.end).year - first + 1
    moves = net != 0
    cash = np.bincount(k.year_of_day[led.day[moves]], weights=net[moves], minlength=n)
    accrued = np.bincount(k.year_of_day[led.accrued[moves]], weights=net[moves], minlength=n)
    for i in range(n):
        out[f"commissioner_whole_cost_{first + i}"] = int(round(cash[i])) / 100
        out[f"commissioner_whole_cost_accrued_{first + i}"] = int(round(accrued[i])) / 100
    return out


def _steps(model: Model) -> dict[str, int]:
    """How many moved from each state to each of its targets within the outcome window
    (``step_<from>__<to>``): the pathway's flow, one column per declared transition."""
    names = model.k.pathway.names
    index = {name: i for i, name in enumerate(names)}
    person, state = model.participants.segments[0], model.participants.segments[1]
    n = len(names)
    counts = np.zeros(n * n, dtype=np.int64)
    if len(state) > 1:
        same = person[1:] == person[:-1]
        counts = np.bincount(state[:-1][same] * n + state[1:][same], minlength=n * n)
    return {
        f"step_{a}__{b}": int(counts[index[a] * n + index[b]]) for a, st in model.k.scenario.pathway.states.items() for b in st.transitions
    }


def _investor_metrics(sc: Scenario, model: Model, total) -> dict[str, Any]:
    """The investor's money in and out, its rate of return (with the reason when it has none),
    multiple on capital and whether it lost principal."""
    if sc.financing.investor is None:
        return {}
    led = model.ledger
    paid_in = total("investor_capital")
    received = sum(total(c) for c in ("investor_repayment", "investor_return", "capital_protection")) + _kept(led)
    flows = np.where(led.payee == Party.INVESTOR, led.amount, 0) - np.where(led.payer == Party.INVESTOR, led.amount, 0)
    days, where = np.unique(led.day[flows != 0], return_inverse=True)
    net = np.bincount(where, flows[flows != 0] / 100) if days.size else np.zeros(0)  # one net flow a day
    dates = [model.k.clock.date(int(d)) for d in days]
    rate, why = irr(dates, net.tolist()) if days.size else (math.nan, "no flows")
    return {
        "investor_paid_in": paid_in,
        "investor_received": received,
        "investor_irr": rate,
        "investor_irr_note": why,
        "investor_multiple": received / paid_in if paid_in else math.nan,
        "investor_loss": received < paid_in - 0.005,
        "investor_loss_amount": max(0.0, paid_in - received),
        "capital_protection_paid": total("capital_protection"),
    }


def _kept(led) -> float:
    """What the investor kept of the outcome payments made to it (net of what it passed on)."""
    to_investor = category_mask(OUTCOME_CATEGORIES)[led.category] & (led.payee == Party.INVESTOR)
    passed = led.category == CATEGORY["investor_pass_through"]
    return (int(led.amount[to_investor].sum()) - int(led.amount[passed].sum())) / 100


def _budget_years(sc: Scenario, priced: PricedContract, model: Model) -> dict[str, float]:
    """The contract's payments per budget year (calendar year): cash (when paid), accrual
    (when the service was delivered or the outcome reached), what is owed at each year end
    (accrued, not yet paid) and the maximum commitment still open after it."""
    led, k = model.ledger, model.k
    contract = category_mask(FIXED_CATEGORIES | OUTCOME_CATEGORIES)[led.category] & (led.payer == Party.COMMISSIONER)
    amount = led.amount[contract]
    paid_year = k.year_of_day[led.day[contract]]  # years from the start year
    accrued_year = k.year_of_day[led.accrued[contract]]
    first, last = sc.start_date.year, k.clock.date(k.end).year
    n = last - first + 1
    # Each row counts in one of four kinds (outcome or fixed, paid after the year it accrued
    # in or not), so one bincount per date gives every year's sums (öre, exact in float64).
    kind = 2 * category_mask(OUTCOME_CATEGORIES)[led.category[contract]] + (paid_year > accrued_year)
    by_paid = np.bincount(kind * n + paid_year, weights=amount, minlength=4 * n)[: 4 * n].reshape(4, n)
    by_accrued = np.bincount(kind * n + accrued_year, weights=amount, minlength=4 * n)[: 4 * n].reshape(4, n)
    by_paid, by_accrued = np.rint(by_paid).astype(np.int64), np.rint(by_accrued).astype(np.int64)
    paid, accrued = by_paid.sum(axis=0), by_accrued.sum(axis=0)
    outcome_paid, outcome_accrued = by_paid[2:].sum(axis=0), by_accrued[2:].sum(axis=0)
    # Owed at the end of year y: accrued in or before y, paid after it.
    owed = np.cumsum(by_accrued[1::2].sum(axis=0) - by_paid[1::2].sum(axis=0))
    paid_by = np.cumsum(paid)
    stop_year = k.clock.date(model.stopped_at).year if model.stopped_at is not None else None
    out: dict[str, float] = {}
    for i, year in enumerate(range(first, last + 1)):
        out[f"commissioner_paid_{year}"] = int(paid[i]) / 100
        out[f"commissioner_outcome_paid_{year}"] = int(outcome_paid[i]) / 100
        out[f"commissioner_accrued_{year}"] = int(accrued[i]) / 100
        out[f"commissioner_outcome_accrued_{year}"] = int(outcome_accrued[i]) / 100
        out[f"commissioner_owed_end_{year}"] = int(owed[i]) / 100
        if priced.max_contract_value is not None:
            # After a stop the contract commits to nothing more than what was earned and is unpaid.
            stopped = stop_year is not None and year >= stop_year
            out[f"commissioner_open_commitment_end_{year}"] = (
                int(owed[i]) / 100 if stopped else priced.max_contract_value - int(paid_by[i]) / 100
            )
    return out


def _finance_metrics(sc: Scenario, model: Model) -> dict[str, Any]:
    """Liquidity, credit, the bank, the guarantor, and what a stop cost (kronor)."""
    acc, led, k = model.account, model.ledger, model.k
    # The lowest liquidity the provider would have had, walked without a stop: negative is the
    # money that would have carried it through (the funding need), whatever the rule.
    unstopped = model.unstopped
    liquidity = unstopped.liquidity
    opening = led.opening_liquidity
    if liquidity.size and liquidity.min() < opening:
        i = int(liquidity.argmin())
        min_liq, min_liq_day = int(liquidity[i]), int(unstopped.rows.day[i])
    else:
        min_liq, min_liq_day = opening, 0
    found = model.shortfall
    # Days overdrawn: days that end with credit drawn.
    drawn_days = 0
    if acc.drawn.size:
        day = led.day
        last_of_day = np.append(np.flatnonzero(day[1:] != day[:-1]), day.size - 1)
        days, drawn = day[last_of_day], acc.drawn[last_of_day]
        spans = np.diff(days, append=k.end + 1)
        drawn_days = int(spans[drawn > 0].sum())

    by_category = np.bincount(led.category, weights=led.amount, minlength=len(CATEGORY))  # öre, exact in float64

    def total(*names: str, payer: int | None = None, payee: int | None = None) -> float:
        if payer is None and payee is None:
            return round(sum(by_category[CATEGORY[n]] for n in names)) / 100
        mask = category_mask(frozenset(CATEGORY[n] for n in names))[led.category]
        if payer is not None:
            mask &= led.payer == payer
        if payee is not None:
            mask &= led.payee == payee
        return int(led.amount[mask].sum()) / 100

    guarantor = Party.GUARANTOR
    g = sc.financing.guarantee
    if g is not None and g.guarantor == "municipality":
        guarantor = Party.COMMISSIONER
    stopped = model.stopped_at is not None
    paid_out = total("guarantee_payout")
    fees = total("guarantee_fee", payee=guarantor)
    recovered = total("guarantee_recovery")
    owed_to_bank = int(acc.drawn[-1] + acc.loan[-1]) / 100 if acc.drawn.size else 0.0
    return {
        "provider_min_liquidity": min_liq / 100,
        "provider_min_liquidity_date": _date(model, min_liq_day),
        "funding_need": max(0.0, -min_liq / 100),
        # Short of cash as the provider lived it: up to the stop, if the service stopped.
        "shortfall_days": 0 if found is None else found.days_short_before if stopped else found.days_short,
        "shortfall_deepest": 0.0 if found is None else (found.deepest_before if stopped else found.deepest) / 100,
        "shortfall_cost": total("overdue_interest"),
        **_invoice_financing_metrics(led, total),
        "unpaid_at_stop": total("unpaid_at_stop"),
        "continuation_cost": total("continuation", "service_gap", "reprocurement"),
        "peak_credit_drawn": int(acc.drawn.max()) / 100 if acc.drawn.size else 0.0,
        "days_overdrawn": drawn_days,
        "service_stopped": stopped,
        "service_stopped_date": _date(model, model.stopped_at),
        "participants_taken_over": model.taken_over,
        "takeover_cost": total("takeover"),
        "unpaid_obligations": acc.unpaid / 100,
        "bank_interest": total("credit_interest", "loan_interest"),
        "bank_fees": total("commitment_fee", "setup_fee"),
        "bank_outstanding_end": owed_to_bank,
        "bank_loss": owed_to_bank if stopped else 0.0,
        "guarantee_called": paid_out > 0,
        "guarantor_paid": paid_out,
        "guarantor_fees": fees,
        "guarantor_recovered": recovered,
        "guarantor_result": fees + recovered - paid_out,
        "late_payment_interest": total("late_payment_interest"),
        "input_vat": total("input_vat"),
        **_investor_metrics(sc, model, total),
        "participant_wages": total("participant_wages"),
        "rent_paid": total("rent"),
        "rent_received": total("tenant_rent"),
        "wage_subsidy": total("wage_subsidy"),
        "vat_compensation": total("vat_compensation"),
    }


def _invoice_financing_metrics(led: Ledger, total) -> dict[str, float]:
    """What advances against the municipality's invoices cost and how far they carried the
    provider: the charges paid, the most advanced at once, the invoices financed."""
    lent = led.category == CATEGORY["invoice_advance"]
    repaid = led.category == CATEGORY["invoice_advance_repayment"]
    outstanding = np.cumsum(np.where(lent, led.amount, 0) - np.where(repaid, led.amount, 0))
    return {
        "invoice_financing_cost": total("invoice_financing_fee"),
        "invoice_advance_peak": int(outstanding.max()) / 100 if outstanding.size else 0.0,
        "invoices_financed": int(lent.sum()),
    }


def _events(model: Model) -> pd.DataFrame:
    names, milestones = model.k.pathway.names, model.k.milestones
    rows: list[tuple[int, float, str, str | None, str | None]] = []
    for p in model.people:
        rows.append((p.index, p.referred, "referred", None, None))
        if p.lost is not None:
            rows.append((p.index, p.left, f"lost_{p.lost}", None, None))
    # Support ending before the outcome window does (follow-up only): each participant still
    # in support then is told so; a path cut where it would be in an unpaid job ends there.
    people = model.participants
    support_end, window_end = float(people.support_end), float(people.window_end)
    followed = people.followed_until.tolist()  # the window's end, or where an unpaid job cut the path
    in_support = (people.path_end >= support_end).tolist()
    for i, at, until, supported in zip(people.enrolled_ids.tolist(), people.enrolled_at.tolist(), followed, in_support):
        states, rel = people.paths.states[i], people.paths.times[i]
        rows.append((i, at, "enrolled", names[states[0]], None))
        now, cut_in = None, None  # the state at support's end, and the state the cut happens in
        for s, t in zip(states.tolist(), rel.tolist()):
            if s < 0 or at + t > until or (at + t == until and until == window_end):
                break
            if at + t < support_end:
                now = s
            cut_in = s
            if at + t == until:
                break
            rows.append((i, at + t, "entered", names[s], None))
        if support_end < window_end and supported:
            rows.append((i, support_end, "support_ended", names[now] if now is not None else None, None))
        if until < window_end:
            rows.append((i, until, "path_cut", names[cut_in], None))
    if model.stopped_at is not None:  # those in service when the provider stops: the municipality takes them over
        stop = float(model.stopped_at)
        taken = (people.enrolled_at <= stop) & (people.path_end > stop) & (stop < support_end)
        for i, at in zip(people.enrolled_ids[taken].tolist(), people.enrolled_at[taken].tolist()):
            states, rel = people.paths.states[i], people.paths.times[i]
            now = max(j for j, t in enumerate(rel.tolist()) if states[j] >= 0 and at + t <= stop)
            rows.append((i, stop, "taken_over", names[states[now]], None))
    hits = people.hits
    for i, mi, t in zip(hits.person.tolist(), hits.milestone.tolist(), hits.time.tolist()):
        rows.append((i, t, "milestone", None, milestones[mi].name))
    frame = pd.DataFrame(rows, columns=["participant", "day", "event", "state", "milestone"])
    frame = frame.sort_values(["day", "participant"], kind="stable").reset_index(drop=True)
    clock = model.k.clock
    frame.insert(1, "date", [clock.date(d) for d in frame["day"]])
    return frame
