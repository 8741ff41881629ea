"""The treasury's compiled walk (sib/engine/treasury_kernels.py) against the rules it compiles.

numba turns the kernels into machine code, so two things can go wrong unseen: the kernels
drift from ``Treasury``'s Python walk (a rule changed in one place only), and machine code
computes something other than the Python it was compiled from (integer widths, float
rounding). Each scenario below is run three ways — compiled, with ``treasury.COMPILED =
False`` (the Python walk), and in a process with ``NUMBA_DISABLE_JIT=1`` (the kernels' own
Python source) — and every ledger row, monthly figure, position and metric must be the same.
The last also lets coverage see the kernels' lines, which it cannot trace in machine code.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from helpers_nojit import without_jit

import sib
from sib.engine import treasury
from sib.scenario.edit import with_values

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
FEW = {"contract.pricing.replications": 20}  # the schema's minimum: pricing is not under test


def _variants() -> list[tuple[str, sib.Scenario]]:
    """The reference scenarios, and variants of them that reach the walk's other branches:
    a provider without equity (draws to its limit, stops, the estate repays bank and
    guarantor), the continue rule (pays on short of money), a straight loan, a monthly
    guarantee fee, one paid upfront, one the municipality pays, a floor on the account."""
    def load(name: str, **changes) -> sib.Scenario:
        return with_values(sib.load_scenario(SCENARIOS / f"{name}.yaml"), {**FEW, **changes})

    files = [(p.stem, load(p.stem)) for p in sorted(SCENARIOS.glob("*.yaml"))]
    return files + [
        ("bostad, no equity, guaranteed line", load("bostad_forst", **{"provider.opening_equity": 0, **NO_GRACE})),
        ("bostad, no equity, no guarantee", load("bostad_forst_utan_garanti", **{"provider.opening_equity": 0, **NO_GRACE})),
        ("bostad, short of cash some days, then stops",
         load("bostad_forst", **{"provider.opening_equity": 200_000, "financing.credit_line.limit": 300_000,
                                 "financing.guarantee.max_amount": 270_000})),
        ("kommunal borgen, no equity, fee monthly",
         load("bostad_forst_kommunal_borgen", **{"provider.opening_equity": 0, "financing.guarantee.fee_paid": "monthly"})),
        ("bostad, no equity, fee upfront", load("bostad_forst", **{"provider.opening_equity": 0, "financing.guarantee.fee_paid": "upfront"})),
        ("bostad, fee paid by the municipality",
         load("bostad_forst", **{"provider.opening_equity": 0, "financing.guarantee.fee_payer": "commissioner"})),
        ("arbete, no equity, continue", load("arbetsintegrering", **{"provider.opening_equity": 0, "insolvency.rule": "continue"})),
        ("arbete, straight loan, floor",
         load("arbetsintegrering_75", **{"financing.loan.amortisation": "straight", "financing.credit_line.floor": 100_000})),
    ]


#: No bill may wait: the first payment the provider cannot make stops it (the walk's stop branch).
NO_GRACE = {"insolvency.grace_days.suppliers": 0, "insolvency.grace_days.rent": 0}
VARIANTS = _variants()
SEEDS = (0, 3)


def _outcome(scenario: sib.Scenario, seed: int) -> dict:
    rep = sib.simulate(scenario, seed)
    return {"metrics": rep.metrics, "ledger": rep.ledger, "monthly": rep.monthly, "positions": rep.positions()}


def _outcomes(jobs: list[tuple[str, sib.Scenario, int]]) -> dict:
    return {(name, seed): _outcome(sc, seed) for name, sc, seed in jobs}


def _assert_same(got: dict, want: dict, what: str) -> None:
    for key in ("ledger", "monthly", "positions"):
        pd.testing.assert_frame_equal(got[key], want[key], check_exact=True, obj=f"{what}: {key}")
    assert got["metrics"].keys() == want["metrics"].keys()
    for name, value in want["metrics"].items():
        other = got["metrics"][name]
        both_nan = isinstance(value, float) and math.isnan(value) and isinstance(other, float) and math.isnan(other)
        assert other == value or both_nan, f"{what}: {name} is {other!r}, not {value!r}"


@pytest.fixture(scope="module")
def compiled() -> dict:
    return {(name, seed): _outcome(sc, seed) for name, sc in VARIANTS for seed in SEEDS}


def test_the_variants_reach_what_the_walk_decides(compiled):
    """Without this the comparisons below could pass on scenarios where nothing happens: the
    variants must draw on the line, repay it, stop, pay on short of money and pay a guarantor."""
    ledgers = pd.concat([o["ledger"] for o in compiled.values()])
    categories = set(ledgers["category"].astype(str))
    assert {"credit_draw", "credit_repayment", "credit_interest", "loan_repayment", "guarantee_fee",
            "guarantee_payout", "guarantee_recovery"} <= categories
    assert {"overdue_interest", "unpaid_at_stop"} <= categories
    metrics = pd.DataFrame([o["metrics"] for o in compiled.values()])
    assert metrics["provider_insolvent"].astype(bool).any() and not metrics["provider_insolvent"].astype(bool).all()
    assert (metrics["shortfall_days"] > 0).any()


@pytest.mark.parametrize("name, scenario", VARIANTS, ids=[n for n, _ in VARIANTS])
def test_the_compiled_walk_gives_what_the_python_walk_gives(name, scenario, compiled, monkeypatch):
    monkeypatch.setattr(treasury, "COMPILED", False)
    for seed in SEEDS:
        _assert_same(_outcome(scenario, seed), compiled[(name, seed)], f"{name}, seed {seed}, Python walk")


def test_machine_code_computes_what_the_kernels_python_source_says(compiled, tmp_path):
    """The same replications in a process where numba compiles nothing (NUMBA_DISABLE_JIT)."""
    python = without_jit("test_compiled_walk", "_outcomes", tmp_path, [(name, sc, seed) for name, sc in VARIANTS for seed in SEEDS])
    assert python.keys() == compiled.keys()
    for key, want in compiled.items():
        _assert_same(python[key], want, f"{key[0]}, seed {key[1]}, NUMBA_DISABLE_JIT")
