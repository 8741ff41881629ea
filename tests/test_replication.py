"""Invariants every replication must keep: cash as the ledger says, reproducibility, common
random numbers, and a well-formed ledger."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
import textwrap
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from helpers_deterministic import (
    ENGINE_SCENARIOS as SCENARIOS,
)
from helpers_deterministic import (
    ROOT,
    chain,
    raw_scenario,
    run,
    scenario_dict,
    signed_provider_flows,
    with_changes,
)

import sib
from sib.scenario.loader import build

SEEDS = [1, 2]
PARTIES = {"commissioner", "provider", "bank", "guarantor", "investor", "state", "external"}


def _all_money_scenario() -> sib.Scenario:
    """A deterministic scenario that moves money in every category the engine has."""
    return build(
        scenario_dict(
            cohorts=[("2027-01-01", 4), ("2027-12-01", 6), ("2027-03-15", 3)],
            pathway=chain(("a", 40), ("b", 200), ("c", 300)),
            milestones={
                "mb": {"state": "b"},
                "mb6": {"state": "b", "after": {"months": 6}},
                "mc": {"state": "c", "each_full_month": True},
                "tier": {"state": "b"},
            },
            contract={
                "service_months": 12,
                "outcome_tail_months": 6,
                "fixed": {"upfront": 50_000, "monthly": 20_000, "per_participant_month": 3_000},
                "rate_card": {
                    "mb": {"price": 10_000},
                    "mb6": {"price": 5_000},
                    "mc": {"price": 1_000},
                    "tier": {"price": 7_000, "threshold": 0.2},
                },
                "caps": {"per_participant": 20_000},
                "payment_terms_days": 0,
            },
            provider={
                "opening_equity": 100_000,
                "costs": {
                    "start_up": 80_000,
                    "fixed_per_month": 30_000,
                    "per_intake": 4_000,
                    "per_participant_month": 1_000,
                    "caseload": {"participants_per_caseworker": 3, "monthly_salary": 35_000, "minimum_caseworkers": 1},
                    "indexation": {"wages": 0.03, "prices": 0.02},
                },
            },
        )
    )


def _cases():
    out = [pytest.param(p.name, seed, id=f"{p.stem}-seed{seed}") for p in SCENARIOS for seed in SEEDS]
    out += [pytest.param("<all money>", seed, id=f"all-money-seed{seed}") for seed in SEEDS]
    return out


def _scenario(name: str) -> sib.Scenario:
    if name == "<all money>":
        return _all_money_scenario()
    return sib.load_scenario(ROOT / "scenarios" / name)


def test_there_are_scenario_files():
    assert SCENARIOS, "no scenarios/*.yaml found"


# ---------------------------------------------------------------- (a) cash as the ledger says


@pytest.mark.parametrize("name, seed", _cases())
def test_provider_cash_equals_ledger_running_balance(name, seed):
    sc = _scenario(name)
    rep = sib.simulate(sc, seed)
    led = rep.ledger
    opening = round(sc.provider.opening_equity * 100)
    running = opening + np.cumsum(signed_provider_flows(led))
    engine = np.asarray(rep.provider_cash_by_row())
    assert engine.shape == running.shape
    assert np.array_equal(engine, running)
    # The engine's summary positions are the ledger's.
    lowest = min(opening, int(running.min())) if len(running) else opening
    m = rep.metrics
    assert round(m["provider_final_cash"] * 100) == (int(running[-1]) if len(running) else opening)
    # The result is the change in equity: cash less what is still owed to the bank.
    pos = rep.positions()
    owed = round((pos["credit_drawn"].iloc[-1] + pos["loan_outstanding"].iloc[-1]) * 100) if len(pos) else 0
    assert round(m["provider_result"] * 100) == (int(running[-1]) - owed - opening if len(running) else 0)
    assert round(m["provider_min_cash"] * 100) == lowest
    if lowest < opening:
        first_low = led["date"].iloc[int(np.argmax(running == lowest))]
        assert m["provider_min_cash_date"] == first_low
    negative = running < 0
    # Cash below zero is bills past due: days short, which are an insolvency only when the
    # shortfall is more than temporary (the insolvency test); under the stop rule the service
    # stops at the insolvency, under continue it runs on. A dip within a day that the day's
    # later receipts close (the rent paid on the 1st before the tenants' rent comes in) is no
    # day short.
    if negative.any() and opening >= 0:
        assert m["funding_need"] > 0
        dates = led["date"].to_numpy()
        day_ends = np.r_[dates[1:] != dates[:-1], True]
        assert m["shortfall_days"] > 0 or m["service_stopped"] or not (running[day_ends] < 0).any()
    if m["provider_insolvent"]:
        assert m["funding_need"] > 0
    assert m["service_stopped"] == (m["provider_insolvent"] and sc.insolvency.rule == "stop")
    if m["service_stopped"]:
        assert m["provider_insolvency_date"] == m["service_stopped_date"]


@pytest.mark.parametrize("name, seed", _cases())
def test_monthly_cash_end_and_low_agree_with_ledger(name, seed):
    sc = _scenario(name)
    rep = sib.simulate(sc, seed)
    led, monthly = rep.ledger, rep.monthly
    opening = round(sc.provider.opening_equity * 100)
    running = opening + np.cumsum(signed_provider_flows(led))
    months = [dt.date(d.year, d.month, 1) for d in led["date"]]
    # The months the series covers: consecutive, from the start's month.
    start = sc.start_date.replace(day=1)
    assert monthly["month"].iloc[0] == start
    assert all((b.year * 12 + b.month) - (a.year * 12 + a.month) == 1 for a, b in zip(monthly["month"], monthly["month"].iloc[1:]))
    assert months == sorted(months)
    assert not months or months[-1] <= monthly["month"].iloc[-1]
    by_month = defaultdict(list)
    for mo, cash in zip(months, running):
        by_month[mo].append(int(cash))
    balance = opening
    problems = []
    for mo, end, low in zip(monthly["month"], monthly["provider_cash_end"], monthly["provider_cash_low"]):
        opening_of_month = balance
        inside = by_month.get(mo, [])
        if inside:
            balance = inside[-1]
        want_low = min([opening_of_month, *inside])
        if round(end * 100) != balance or round(low * 100) != want_low:
            problems.append((mo, round(end * 100), balance, round(low * 100), want_low))
    assert not problems, f"(month, end, ledger end, low, ledger low): {problems[:5]}"


@pytest.mark.parametrize("name, seed", _cases())
def test_monthly_party_nets_agree_with_ledger(name, seed):
    rep = sib.simulate(_scenario(name), seed)
    led, monthly = rep.ledger, rep.monthly
    months = np.array([d.year * 12 + d.month for d in led["date"]])
    for party in PARTIES - {"provider"}:
        col = f"{party}_net"
        if col not in monthly:
            continue
        amount = led["amount_ore"].to_numpy(dtype=np.int64)
        flow = amount * (led["payee"].astype(str) == party).to_numpy() - amount * (led["payer"].astype(str) == party).to_numpy()
        for mo, net in zip(monthly["month"], monthly[col]):
            want = int(flow[months <= mo.year * 12 + mo.month].sum())
            assert round(net * 100) == want, (party, mo)


# ---------------------------------------------------------------- (b) reproducibility


def _same(a: sib.Replication, b: sib.Replication) -> None:
    pd.testing.assert_frame_equal(a.ledger, b.ledger)
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.monthly, b.monthly)
    assert a.metrics.keys() == b.metrics.keys()
    for key in a.metrics:
        x, y = a.metrics[key], b.metrics[key]
        if isinstance(x, float) and math.isnan(x):
            assert isinstance(y, float) and math.isnan(y), key
        else:
            assert x == y, key


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_same_seed_same_results_other_seed_other_ledger(path):
    sc = sib.load_scenario(path)
    a, b = sib.simulate(sc, 5), sib.simulate(sc, 5)
    _same(a, b)
    # Also a fresh scenario object (a cache miss on objects, not on content).
    _same(a, sib.simulate(sib.load_scenario(path), 5))
    c = sib.simulate(sc, 6)
    assert not a.ledger.equals(c.ledger)
    d = sib.simulate(sc, 5, replication=1)
    assert not a.ledger.equals(d.ledger)


def test_same_seed_same_ledger_in_a_fresh_process():
    """Nothing depends on process state (hash seeds, caches, import order)."""
    path = SCENARIOS[-1]
    code = textwrap.dedent(
        f"""
        import hashlib, sib
        rep = sib.simulate(sib.load_scenario({str(path)!r}), 9, replication=2)
        print(hashlib.sha256(rep.ledger.to_csv(index=False).encode()).hexdigest())
        """
    )
    digests = set()
    for hash_seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={"PYTHONHASHSEED": hash_seed, "PATH": "/usr/bin:/bin"},
            timeout=300,
        )
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    import hashlib

    here = sib.simulate(sib.load_scenario(path), 9, replication=2)
    digests.add(hashlib.sha256(here.ledger.to_csv(index=False).encode()).hexdigest())
    assert len(digests) == 1


# ---------------------------------------------------------------- (c) common random numbers


def _stop_day(rep: sib.Replication) -> float:
    """The day the service stopped at an insolvency (infinity if it did not)."""
    stopped = rep.metrics["service_stopped_date"]
    return (stopped - rep.scenario.start_date).days if stopped is not None else math.inf


def _paths(rep: sib.Replication) -> dict[int, list[tuple[str, float]]]:
    ev = rep.events
    enrolled = dict(zip(ev.loc[ev["event"] == "enrolled", "participant"], ev.loc[ev["event"] == "enrolled", "day"]))
    ent = ev[ev["event"] == "entered"]
    out: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for p, state, day in zip(ent["participant"], ent["state"], ent["day"]):
        out[int(p)].append((state, float(day) - float(enrolled[p])))
    return dict(out)


def _referred(rep: sib.Replication) -> list[tuple[int, float]]:
    ev = rep.events[rep.events["event"] == "referred"]
    return sorted(zip(ev["participant"].astype(int), ev["day"]))


def _same_path(a: list[tuple[str, float]], b: list[tuple[str, float]], same_horizon: bool) -> bool:
    """Equal, or (when enrolled at different times) one a prefix of the other (the outcome
    window cuts a later enrolment's path shorter)."""
    n = min(len(a), len(b))
    if same_horizon and len(a) != len(b):
        return False
    return all(sa == sb and math.isclose(ta, tb, rel_tol=1e-9, abs_tol=1e-6) for (sa, ta), (sb, tb) in zip(a[:n], b[:n]))


CRN_BASE = {"contract.pricing": {"replications": 40}}


def _reprice(raw):
    factors = [0.25, 1.0, 2.0, 0.5, 3.0]
    return {
        name: {**item, "price": item["price"] * factors[i % len(factors)]}
        for i, (name, item) in enumerate(raw["contract"]["rate_card"].items())
    }


CRN_CHANGES = {
    "places halved": lambda raw: {"capacity.places": max(1, raw["capacity"]["places"] // 2)},
    "places a fifth, short list": lambda raw: {
        "capacity.places": max(1, raw["capacity"]["places"] // 5),
        "capacity.waiting_list": {"max_length": 5, "max_wait_days": 60},
    },
    "payment terms +30": lambda raw: {"contract.payment_terms_days": raw["contract"].get("payment_terms_days", 30) + 30},
    "rate card prices": lambda raw: {"contract.rate_card": _reprice(raw)},
    "referral maximum halved": lambda raw: {"participants.referrals.maximum": raw["participants"]["referrals"]["maximum"] // 2},
}
SAME_PEOPLE = ("payment terms +30", "rate card prices")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("change", list(CRN_CHANGES), ids=list(CRN_CHANGES))
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_common_random_numbers_participant_paths_unchanged(path, change, seed):
    base_raw = with_changes(raw_scenario(path), CRN_BASE)
    try:
        changes = CRN_CHANGES[change](base_raw)
    except (KeyError, TypeError):
        pytest.skip(f"{path.name} has no such parameter to change")
    a = run(base_raw, seed)
    b = run(with_changes(base_raw, changes), seed)
    # The referrals come from their own stream: the same people at the same times (until a
    # stop, after which nobody more is referred).
    cut = min(_stop_day(a), _stop_day(b))
    assert [r for r in _referred(a) if r[1] < cut] == [r for r in _referred(b) if r[1] < cut]
    pa, pb = _paths(a), _paths(b)
    ea = {
        int(p): d
        for p, d in zip(a.events.loc[a.events["event"] == "enrolled", "participant"], a.events.loc[a.events["event"] == "enrolled", "day"])
    }
    eb = {
        int(p): d
        for p, d in zip(b.events.loc[b.events["event"] == "enrolled", "participant"], b.events.loc[b.events["event"] == "enrolled", "day"])
    }
    common = sorted(set(pa) & set(pb))
    assert len(common) >= 5
    # A stop (insolvency) ends every path that day: then paths may only be cut shorter.
    stopped = cut < math.inf
    changed = [p for p in common if not _same_path(pa[p], pb[p], ea[p] == eb[p] and not stopped)]
    assert not changed, f"participants whose path changed: {changed[:10]}; e.g. {pa[changed[0]]} vs {pb[changed[0]]}"
    if change in SAME_PEOPLE and not stopped:
        # Nothing about the participants may change at all, nor which claims are rejected
        # (unless a stop, which the change may move, cut the service short).
        pd.testing.assert_frame_equal(a.events, b.events)
        assert a.metrics["outcome_claims_rejected"] == b.metrics["outcome_claims_rejected"]
        oa = a.ledger[a.ledger["category"].astype(str) == "outcome_payment"]
        ob = b.ledger[b.ledger["category"].astype(str) == "outcome_payment"]
        assert sorted(zip(oa["participant"], oa["accrued"])) == sorted(zip(ob["participant"], ob["accrued"]))


def test_common_random_numbers_paths_of_deterministic_waiting():
    """With 1 place and fixed stays people wait in turn; each one's path (from enrolment) is the
    same as with unlimited places, only later."""

    def raw(places):
        d = scenario_dict(
            cohorts=[("2027-01-01", 5)],
            pathway={
                "start": "a",
                "states": {
                    "a": {"transitions": {"b": {"exponential": {"mean": 20}}, "x": {"exponential": {"mean": 60}}}},
                    "b": {"transitions": {"x": {"exponential": {"mean": 30}}}},
                    "x": {},
                },
            },
            contract={"service_months": 24},
        )
        if places:
            d["capacity"] = {"places": places}
        return d

    a, b = run(raw(None), 3), run(raw(1), 3)
    pa, pb = _paths(a), _paths(b)
    assert set(pa) == set(pb) == set(range(5))
    for p in pa:
        assert _same_path(pa[p], pb[p], False), p


# ---------------------------------------------------------------- (d) seeds as SeedSequence


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_seed_sequence_equals_integer_seed(path):
    sc = sib.load_scenario(path)
    _same(sib.simulate(sc, np.random.SeedSequence(7), replication=3), sib.simulate(sc, 7, replication=3))


def test_seed_sequence_equals_integer_seed_deterministic_scenario():
    sc = _all_money_scenario()
    _same(sib.simulate(sc, np.random.SeedSequence(7), replication=3), sib.simulate(sc, 7, replication=3))


# ---------------------------------------------------------------- (e) a well-formed ledger


@pytest.mark.parametrize("name, seed", _cases())
def test_ledger_columns_and_order(name, seed):
    rep = sib.simulate(_scenario(name), seed)
    led = rep.ledger
    assert len(led) > 0
    assert list(led.columns[:7]) == ["date", "payer", "payee", "category", "amount_ore", "participant", "invoice"]
    assert led["amount_ore"].dtype == np.dtype("int64")
    assert (led["amount_ore"] > 0).all()
    assert set(led["payer"].astype(str)) <= PARTIES
    assert set(led["payee"].astype(str)) <= PARTIES
    assert (led["payer"].astype(str) != led["payee"].astype(str)).all()
    dates = list(led["date"])
    assert all(isinstance(d, dt.date) for d in dates)
    assert dates == sorted(dates), "ledger dates go backwards"
    assert str(led["participant"].dtype) == "Int64" and str(led["invoice"].dtype) == "Int64"
    # Money the commissioner pays belongs to an invoice; costs do not.
    # Invoiced payments: the municipality to the provider, or to the investor that receives the
    # outcome payments in the social impact bond form. An advance against an invoice, its
    # repayment and the financier's charge name the invoice they were lent on.
    from_commissioner = (
        (led["payer"].astype(str) == "commissioner")
        & led["payee"].astype(str).isin(["provider", "investor"])
        & (led["category"].astype(str) != "capital_protection")
    )
    on_an_invoice = led["category"].astype(str).isin(["invoice_advance", "invoice_advance_repayment", "invoice_financing_fee"])
    assert led.loc[from_commissioner | on_an_invoice, "invoice"].notna().all()
    assert led.loc[~(from_commissioner | on_an_invoice), "invoice"].isna().all()
    # Nothing is paid before the service or the outcome it pays for, except the monthly sum a
    # contract pays in advance (and no later than the first day of its invoice period).
    if "accrued" in led:
        early = led["accrued"] > led["date"]
        if rep.scenario.contract.fixed.in_advance:
            advance = early & (led["category"].astype(str) == "fixed_monthly")
            period = 31 if rep.scenario.contract.invoice_period == "monthly" else 92
            assert ((led.loc[advance, "accrued"] - led.loc[advance, "date"]).map(lambda d: d.days) < period).all()
            early &= ~advance
        assert not early.any()
    # Outcome payments name their participant.
    outcome = led["category"].astype(str) == "outcome_payment"
    assert led.loc[outcome, "participant"].notna().all()
