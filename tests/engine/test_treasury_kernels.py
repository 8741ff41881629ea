"""The provider's account (sib/engine/treasury_kernels.py, investor.py, estate.py) against an
independent plain walker (tests/plain_treasury.py), and machine code against its own source.

The account's rules are written once, in numba. Two things can go wrong unseen: a rule is
compiled other than docs/how-it-works.md says it (checked here against ``PlainTreasury``, the
rules written row by row in plain Python: ``Model`` runs whole replications on it), and
machine code computes something other than the Python it was compiled from (integer widths,
float rounding: checked by running the kernels' own source in a process with
``NUMBA_DISABLE_JIT=1``, which also lets coverage see their lines). Every ledger row, monthly
figure, position and metric must be the same.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from helpers_deterministic import ENGINE_SCENARIOS
from helpers_nojit import without_jit
from helpers_paths import REPO
from plain_treasury import PlainTreasury

import sib
from sib.engine import model
from sib.scenario.edit import with_values

ROOT = REPO
SCENARIOS = ROOT / "scenarios"
FEW = {"contract.pricing.replications": 20}  # the schema's minimum: pricing is not under test
#: No bill may wait: the first payment the provider cannot make stops it (the walk's stop branch).
NO_GRACE = {"insolvency.grace_days.suppliers": 0, "insolvency.grace_days.rent": 0}
BROKE = {"provider.opening_equity": 0, **NO_GRACE}
SHORT_SOME_DAYS = {"provider.opening_equity": 200_000, "financing.credit_line.limit": 300_000, "financing.guarantee.max_amount": 270_000}
ON_EXPOSURE = {"financing.guarantee.fee_base": "exposure", "financing.guarantee.fee_paid": "monthly"}
PROVIDER_RECEIVES = {"financing.investor.receives_outcome_payments": False}
COSTS_FIRST = {**PROVIDER_RECEIVES, "financing.investor.waterfall": "costs_first"}
#: A bank loan beside the line (the reference scenarios have none).
LOAN = {"financing.loan": {"principal": 1_500_000, "interest_rate": 0.06, "term_months": 54, "amortisation": "bullet"}}


def _variants() -> list[tuple[str, sib.Scenario]]:
    """The reference scenarios, and variants of them that reach the account's other branches:
    a provider without equity (draws to its limit, stops, the estate repays bank and
    guarantor), the continue rule (pays on short of money), a straight loan, a floor,
    guarantee fees monthly, upfront, paid by the municipality or on the exposure, a guarantee
    that expires (the line repaid, or running on unguaranteed) or renews, one for the final
    loss, a commitment fee; and an investor in every waterfall, with a return at a yearly rate,
    capital protection, capital called early or not, and the estate repaying it."""

    def load(name: str, **changes) -> sib.Scenario:
        return with_values(sib.load_scenario(SCENARIOS / f"{name}.yaml"), {**FEW, **changes})

    files = [(p.stem, load(p.stem)) for p in ENGINE_SCENARIOS]
    return files + [
        ("bostad, no equity, guaranteed line", load("bostad_forst", **BROKE)),
        ("bostad, no equity, no guarantee", load("bostad_forst_utan_garanti", **BROKE)),
        ("bostad, short of cash some days, then stops", load("bostad_forst", **SHORT_SOME_DAYS)),
        (
            "kommunal borgen, no equity, fee monthly",
            load("bostad_forst_kommunal_borgen", **{"provider.opening_equity": 0, "financing.guarantee.fee_paid": "monthly"}),
        ),
        (
            "bostad, no equity, fee upfront",
            load("bostad_forst", **{"provider.opening_equity": 0, "financing.guarantee.fee_paid": "upfront"}),
        ),
        (
            "bostad, fee paid by the municipality",
            load("bostad_forst", **{"provider.opening_equity": 0, "financing.guarantee.fee_payer": "commissioner"}),
        ),
        ("arbete, no equity, continue", load("arbetsintegrering", **{"provider.opening_equity": 0, "insolvency.rule": "continue"})),
        (
            "arbete, straight loan, floor",
            load("arbetsintegrering_75", **{**LOAN, "financing.loan.amortisation": "straight", "financing.credit_line.floor": 100_000}),
        ),
        ("arbete, bullet loan beside the guaranteed line", load("arbetsintegrering", **LOAN)),
        ("bostad, fee on the exposure", load("bostad_forst", **ON_EXPOSURE)),
        ("bostad, fee on the exposure, no equity", load("bostad_forst", **BROKE, **ON_EXPOSURE)),
        ("bostad, fee on the exposure, short some days", load("bostad_forst", **SHORT_SOME_DAYS, **ON_EXPOSURE)),
        (
            "bostad, guarantee expires, line repaid",
            load(
                "bostad_forst",
                **{"provider.opening_equity": 300_000, "financing.guarantee.term_months": 12, "financing.guarantee.at_expiry": "repay"},
            ),
        ),
        (
            "bostad, guarantee renews, fee upfront",
            load(
                "bostad_forst",
                **{
                    "financing.guarantee.term_months": 12,
                    "financing.guarantee.at_expiry": "renew",
                    "financing.guarantee.fee_paid": "upfront",
                },
            ),
        ),
        ("bostad, guarantee expires unguaranteed, no equity", load("bostad_forst", **BROKE, **{"financing.guarantee.term_months": 6})),
        ("bostad, final loss, short some days", load("bostad_forst", **SHORT_SOME_DAYS, **{"financing.guarantee.type": "final_loss"})),
        (
            "arbete, loan and line guaranteed for the final loss, no equity",
            load(
                "arbetsintegrering",
                **BROKE,
                **LOAN,
                **{"financing.guarantee": {"covers": "both", "share": 0.7, "fee_rate": 0.01, "type": "final_loss", "max_amount": 800_000}},
            ),
        ),
        (
            "bostad, commitment fee, floor, no equity",
            load("bostad_forst", **BROKE, **{"financing.credit_line.commitment_fee_rate": 0.005, "financing.credit_line.floor": 20_000}),
        ),
        ("sib, investor receives, no equity", load("arbetsintegrering_sib", **BROKE)),
        ("sib, provider receives, investor first", load("arbetsintegrering_sib", **PROVIDER_RECEIVES)),
        ("sib, provider receives, costs first", load("arbetsintegrering_sib", **COSTS_FIRST)),
        (
            "sib, one tranche, costs first, protected, no equity",
            load(
                "arbetsintegrering_sib",
                **BROKE,
                **COSTS_FIRST,
                **{"financing.investor.protection": {"share": 1.0}, "financing.investor.tranches": [{"month": 0, "share": 1.0}]},
            ),
        ),
        (
            "sib, yearly return, protected by a third party",
            load(
                "arbetsintegrering_sib",
                **{
                    "provider.opening_equity": 100_000,
                    "financing.investor.return_cap": {"yearly_rate": 0.05},
                    "financing.investor.protection": {"share": 1.0, "paid_by": "external"},
                },
            ),
        ),
        (
            "sib, no early call, no equity, continue",
            load(
                "arbetsintegrering_sib",
                **{"provider.opening_equity": 0, "insolvency.rule": "continue", "financing.investor.undrawn_counts_as_liquidity": False},
            ),
        ),
        (
            "sib, guaranteed loan, fee on the exposure, no equity",
            load(
                "arbetsintegrering_sib",
                **BROKE,
                **{
                    "financing.loan": {"principal": 500_000, "interest_rate": 0.06, "term_months": 24, "amortisation": "straight"},
                    "financing.guarantee": {
                        "covers": "both",
                        "share": 0.8,
                        "fee_rate": 0.02,
                        "fee_paid": "monthly",
                        "fee_base": "exposure",
                    },
                },
            ),
        ),
    ]


VARIANTS = _variants()
SEEDS = (0, 3)
#: The reference files other than the two bases (the no-JIT walk leaves them to the plain walker).
OTHER_FILES = {p.stem for p in ENGINE_SCENARIOS} - {"bostad_forst", "arbetsintegrering"}


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


def test_the_variants_reach_what_the_account_decides(compiled):
    """Without this the comparisons below could pass on scenarios where nothing happens: the
    variants must draw on the line, repay it, stop, pay on short of money, pay a guarantor,
    and move the investor's money every way it moves."""
    ledgers = pd.concat([o["ledger"] for o in compiled.values()])
    categories = set(ledgers["category"].astype(str))
    assert {
        "credit_draw",
        "credit_repayment",
        "credit_interest",
        "commitment_fee",
        "loan_payout",
        "loan_interest",
        "loan_repayment",
        "setup_fee",
        "guarantee_fee",
        "guarantee_payout",
        "guarantee_recovery",
    } <= categories
    assert {"investor_capital", "investor_pass_through", "investor_repayment", "investor_return", "capital_protection"} <= categories
    assert {"overdue_interest", "unpaid_at_stop"} <= categories
    metrics = pd.DataFrame([o["metrics"] for o in compiled.values()])
    assert metrics["provider_insolvent"].astype(bool).any() and not metrics["provider_insolvent"].astype(bool).all()
    assert (metrics["shortfall_days"] > 0).any()


@pytest.mark.parametrize("name, scenario", VARIANTS, ids=[n for n, _ in VARIANTS])
def test_the_compiled_account_gives_what_the_plain_walker_gives(name, scenario, compiled, monkeypatch):
    monkeypatch.setattr(model, "Treasury", PlainTreasury)
    for seed in SEEDS:
        _assert_same(_outcome(scenario, seed), compiled[(name, seed)], f"{name}, seed {seed}, plain walker")


def test_machine_code_computes_what_the_kernels_python_source_says(compiled, tmp_path):
    """The same replications in a process where numba compiles nothing (NUMBA_DISABLE_JIT), on
    the first seed, for the two reference scenarios and the variants made to reach each branch:
    the kernels' source runs slowly, and the plain walker above takes every file and both seeds."""
    walked = [(name, sc) for name, sc in VARIANTS if name not in OTHER_FILES]
    python = without_jit(__name__, "_outcomes", tmp_path, [(name, sc, SEEDS[0]) for name, sc in walked])
    assert python.keys() == {(name, SEEDS[0]) for name, _ in walked}
    for key, got in python.items():
        _assert_same(got, compiled[key], f"{key[0]}, seed {key[1]}, NUMBA_DISABLE_JIT")
