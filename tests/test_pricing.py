"""Pricing the outcome share against what the engine then pays.

Pricing solves a·F = (1 − s)·V and O(b) = s·V on its own fixed-seed simulation of the scenario
(``contract.pricing``); the study then simulates with other seeds. So:

- ``price`` reports s at expected performance and the same V whatever s is (same pricing
  sample, same V: exact up to the bisection's tolerance);
- simulated with the pricing run's own seed and replications, the engine must pay exactly
  (to the öre rounding) what pricing expected: same draws, and pricing only rescales;
- simulated with another seed, the mean payment is V and the outcome part s of it, within
  Monte Carlo error from both samples: Var = σ²(1/N + 1/R) with N study and R pricing
  replications (σ estimated from the study sample).

The scenario is ``scenarios/bostad_forst.yaml``; variants are made by editing its mapping and
building them again (and ``model_copy`` variants are checked separately, see
``test_model_copy_variant_is_priced_as_its_own_outcome_share``).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from helpers_paths import REPO
from scipy import stats

import sib
from sib.scenario.loader import build, deep_merge, resolve_extends

SCENARIO = REPO / "scenarios" / "bostad_forst.yaml"
STUDY_SEED = 12345
N_STUDY = 200
ALPHA = 0.01  # "within the 99 % CI", family-wise over a test's checks (Bonferroni)


def _raw() -> dict:
    """The reference scenario, run on whatever the provider's cash: pricing is at expected
    performance, so a study that stops at an insolvency would pay less than V by design."""
    return deep_merge(resolve_extends(SCENARIO, SCENARIO.parent.resolve()), {"insolvency": {"rule": "continue"}})


def _weights_sum(raw: dict) -> float:
    return sum(item["price"] for item in raw["contract"]["rate_card"].values())


def variant(share: float) -> sib.Scenario:
    """The file's scenario priced at ``share``.

    For 0.75 the per-participant cap is raised to 4.5 × the sum of the rate-card weights: with
    the file's cap the outcome part can reach only ~54 % of V (the fixed fee runs through the
    outcome tail with support, so V is large). At s = 0.75 prices scale by b ≈ 5.1, so the new
    cap binds for everyone who reaches the last milestone, and engine and pricing must agree
    on capped payments; it never binds at the given prices, so V stays the same.
    """
    raw = _raw()
    edit: dict = {"contract": {"outcome_share": share}}
    if share == 0.75:
        edit["contract"]["caps"] = {"per_participant": 4.5 * _weights_sum(raw)}
    return build(deep_merge(raw, edit), f"{SCENARIO.name} with outcome_share {share}")


SHARES = (0.20, 0.40, 0.75)


@pytest.fixture(scope="module")
def priced():
    return {s: (variant(s), sib.price(variant(s))) for s in SHARES}


def test_price_reports_the_share_and_keeps_the_value(priced):
    """``price`` hits s exactly and keeps V as s changes (20 %, 40 %, 75 %).

    Deterministic (one pricing sample for all three): catches a solver that misses s, a fixed
    factor or rate-card factor applied to the wrong base, V recomputed at the new prices
    (it would change with s), prices not kept proportional to the given weights, and s at full
    achievement below s at expected performance.
    """
    raw = _raw()
    cap = raw["contract"].get("caps", {}).get("per_participant")
    assert cap is None or cap >= _weights_sum(raw), "precondition: the file's cap must not bind at the given prices"
    values = []
    for s, (sc, pr) in priced.items():
        v = pr.expected_value
        values.append(v)
        assert pr.outcome_share_expected == pytest.approx(s, abs=1e-9), s
        assert pr.expected_fixed == pytest.approx((1 - s) * v, rel=1e-9), s
        assert pr.expected_outcome == pytest.approx(s * v, rel=1e-9), s
        assert pr.outcome_share_full >= pr.outcome_share_expected - 1e-12, s
        # Given prices are weights: every price is b × its weight (to the öre).
        b = pr.terms.outcome_factor
        for price_ore, item in zip(pr.terms.prices, sc.contract.rate_card.values()):
            assert abs(price_ore - item.price * b * 100) <= 0.5 + 1e-6, (s, price_ore, item.price * b * 100)
        fixed_ore = pr.terms.per_participant_month
        assert abs(fixed_ore - sc.contract.fixed.per_participant_month * pr.terms.fixed_factor * 100) <= 0.5 + 1e-6
    assert max(values) - min(values) <= 1e-9 * max(values), values
    a = {s: pr.terms.fixed_factor for s, (_, pr) in priced.items()}
    assert a[0.20] / a[0.75] == pytest.approx((1 - 0.20) / (1 - 0.75), rel=1e-9)
    assert a[0.20] / a[0.40] == pytest.approx((1 - 0.20) / (1 - 0.40), rel=1e-9)


def _study(sc: sib.Scenario, seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = [sib.simulate(sc, seed=seed, replication=r).metrics for r in range(n)]
    paid = np.array([x["commissioner_paid"] for x in m])
    out = np.array([x["commissioner_paid_outcome"] for x in m])
    fixed = np.array([x["commissioner_paid_fixed"] for x in m])
    return paid, out, fixed


@pytest.mark.parametrize("share", SHARES)
def test_study_pays_the_priced_value_and_share(priced, share):
    """200 study replications (seed 12345) pay V on average, s of it on outcomes.

    Checks, Bonferroni over 2 at a family 99 % (z = 2.81): mean ``commissioner_paid`` vs
    ``priced.expected_value``, SE = sd · √(1/200 + 1/400) (≈ 0.6–0.8 % of V here); mean outcome
    paid / mean total paid vs s, delta method, SE = sd(O − s·P)/mean(P) · √(1/200 + 1/400)
    (≈ 0.1–0.3 points). Also: fixed + outcome = total in every replication.

    Errors it catches: the engine paying prices other than the priced terms (e.g. unscaled
    weights: off by |1 − a| or |1 − b|, ≥ 13 % here), pricing and engine applying the
    per-participant cap differently (at 75 % the cap binds for ~70 % of those paid), fixed
    payments billed for other days than pricing counted, outcome claims the engine pays but
    pricing did not count (or the reverse) when they move V by more than ~2 %.
    """
    sc, pr = priced[share]
    paid, out, fixed = _study(sc, STUDY_SEED, N_STUDY)
    assert np.allclose(fixed + out, paid, rtol=0, atol=0.011), "fixed + outcome ≠ total"
    r = sc.contract.pricing.replications
    inflate = math.sqrt(1 / N_STUDY + 1 / r)
    z = float(stats.norm.isf(ALPHA / 4))
    se_v = float(np.std(paid, ddof=1)) * inflate
    ratio = out.mean() / paid.mean()
    se_s = float(np.std(out - share * paid, ddof=1) / paid.mean()) * inflate
    lines = [
        f"mean paid {paid.mean():,.0f} vs priced {pr.expected_value:,.0f}: diff {paid.mean() - pr.expected_value:+,.0f}, "
        f"CI ±{z * se_v:,.0f} ({(paid.mean() - pr.expected_value) / se_v:+.2f} SE)",
        f"outcome share {ratio:.5f} vs {share}: diff {ratio - share:+.5f}, CI ±{z * se_s:.5f} ({(ratio - share) / se_s:+.2f} SE)",
    ]
    print("\n".join(lines))
    assert abs(paid.mean() - pr.expected_value) <= z * se_v, lines[0]
    assert abs(ratio - share) <= z * se_s, lines[1]


def test_engine_reproduces_pricing_on_the_pricing_draws(priced):
    """With the pricing run's own seed and replications, the engine pays what pricing expected.

    Pricing simulates ``contract.pricing.replications`` replications with seed
    ``contract.pricing.seed`` at factor 1 and rescales; the engine with the same seed and
    replication numbers draws the same paths and claims. So the means must agree to the öre
    rounding of prices (a few kr in ~10 M kr), with no sampling error at all — at s = 75 %,
    where the per-participant cap binds for ~70 % of those paid. Catches any difference between
    pricing's model of payments (caps as min(b·w, cap) per participant, rejections, fixed
    participant-days, the outcome window, the payment horizon) and the ledger's.
    """
    sc, pr = priced[0.75]
    paid, out, fixed = _study(sc, sc.contract.pricing.seed, sc.contract.pricing.replications)
    # Rounding: the engine pays prices rounded to whole öre (relative error ≤ 0.5 öre / price)
    # and rounds each monthly fixed line again (≤ 0.5 öre a line, ~100 lines): allow both.
    t = pr.terms
    rel_fixed = 0.5 / t.per_participant_month
    rel_outcome = 0.5 / min(p for p in t.prices if p > 0)
    tol_fixed = rel_fixed * pr.expected_fixed + 1.0
    tol_outcome = rel_outcome * pr.expected_outcome + 1.0
    lines = [
        f"fixed: engine {fixed.mean():,.2f} vs pricing {pr.expected_fixed:,.2f} (diff {fixed.mean() - pr.expected_fixed:+.2f}, tol {tol_fixed:.2f})",
        f"outcome: engine {out.mean():,.2f} vs pricing {pr.expected_outcome:,.2f} (diff {out.mean() - pr.expected_outcome:+.2f}, tol {tol_outcome:.2f})",
    ]
    print("\n".join(lines))
    assert abs(fixed.mean() - pr.expected_fixed) <= tol_fixed, lines
    assert abs(out.mean() - pr.expected_outcome) <= tol_outcome, lines


def test_unreachable_share_is_an_error():
    """An outcome share the caps cannot reach raises ``ScenarioError`` naming contract.outcome_share.

    A total cap of half the expected fixed payments at the given prices (F₁) bounds the
    outcome part by F₁/2 ≤ V/2, so 75 % is unreachable whatever the performance. The message's
    "at most x" must be right: a share 0.03 below x is priced (and hit), 0.01 above is not.
    Catches: no check (a bisection that never ends or silently stops short of s), a check
    against caps per participant only, a wrong supremum.
    """
    raw = _raw()
    base = sib.price(build(raw))
    f1 = base.expected_fixed / base.terms.fixed_factor
    tight = deep_merge(raw, {"contract": {"caps": {"total": 0.5 * f1}, "pricing": {"replications": 100}}})

    def priced_at(s: float) -> sib.PricedContract:
        return sib.price(build(deep_merge(tight, {"contract": {"outcome_share": s}})))

    with pytest.raises(sib.ScenarioError) as err:
        priced_at(0.75)
    text = str(err.value)
    assert "contract.outcome_share" in text, text
    assert any(p.startswith("contract.outcome_share") for p in err.value.problems), err.value.problems
    most = float(re.search(r"at most ([0-9.]+)", text).group(1))
    assert 0.2 < most < 0.5, text
    below = priced_at(round(most - 0.03, 3))
    assert below.outcome_share_expected == pytest.approx(round(most - 0.03, 3), abs=1e-9)
    with pytest.raises(sib.ScenarioError, match="contract.outcome_share"):
        priced_at(round(most + 0.01, 3))


def test_model_copy_variant_is_priced_as_its_own_outcome_share():
    """A variant made with ``model_copy`` must be priced at its own s, not the original's.

    Regression test: ``Scenario.digest`` was a ``functools.cached_property``; once computed it
    sat in the instance ``__dict__``, which pydantic's ``model_copy`` copies. The copy then
    carried the original's digest, and ``price`` / ``compile_scenario`` (both cached on the
    digest) returned the original's pricing and compiled tables — a sweep over s made with
    ``model_copy`` silently simulated the original contract every time.
    """
    sc = sib.load_scenario(SCENARIO)
    original = sib.price(sc)  # computes (and caches) sc.digest
    copy = sc.model_copy(update={"contract": sc.contract.model_copy(update={"outcome_share": 0.20})})
    assert copy.contract.outcome_share == 0.20
    assert copy.digest != sc.digest, "model_copy kept the original's cached digest"
    assert sib.price(copy).outcome_share_expected == pytest.approx(0.20, abs=1e-9), (
        f"priced at {sib.price(copy).outcome_share_expected} (the original's {original.outcome_share_expected})"
    )


def test_tiered_rate_card_is_priced_to_the_outcome_share():
    """Catches pricing that values a tiered milestone at one fixed price instead of the tier
    the cohort reaches: the simulated outcome share would miss s."""
    import numpy as np

    sc = sib.load_scenario(SCENARIO)
    card = dict(sc.contract.rate_card)
    card["tenancy_12m"] = card["tenancy_12m"].model_validate({"tiers": [{"share": 0.5, "price": 20_000}, {"share": 0.8, "price": 60_000}]})
    tiered = sc.model_copy(
        update={
            "contract": sc.contract.model_copy(update={"rate_card": card}),
            # At expected performance: a study that stops at an insolvency pays less by design.
            "insolvency": sc.insolvency.model_copy(update={"rule": "continue"}),
        }
    )
    priced = sib.price(tiered)
    assert priced.outcome_share_expected == pytest.approx(0.40, abs=1e-9)
    reps = [sib.simulate(tiered, 777, i).metrics for i in range(150)]
    outcome = np.array([m["commissioner_paid_outcome"] for m in reps])
    total = np.array([m["commissioner_paid"] for m in reps])
    share = outcome.mean() / total.mean()
    # 150 replications: the share's standard error is well under 0.01 here.
    assert share == pytest.approx(0.40, abs=0.02)


def test_designs_that_differ_only_in_their_financing_are_priced_from_one_sample():
    """A guarantee or none, more own cash, another insolvency rule: the contract's prices are
    the same (pricing simulates without financing), and so is the sample they come from —
    simulated once, not once per design."""
    from sib import pricing
    from sib.scenario.edit import with_values

    # Named afresh: a design priced earlier in this process would be answered from the cache of
    # prices without asking for a sample at all.
    base = with_values(sib.load_scenario(SCENARIO), {"name": "one sample: as given"})
    others = [
        with_values(base, {"name": "one sample: no guarantee", "financing.guarantee": None}),
        with_values(base, {"name": "one sample: rich", "provider.opening_equity": 2_000_000, "insolvency.rule": "continue"}),
    ]
    pricing._samples.clear()
    first = sib.price(base)
    assert len(pricing._samples) == 1
    for other in others:
        assert sib.price(other).terms == first.terms
    assert len(pricing._samples) == 1, "a design that differs only in its financing simulated its own pricing sample"
    changed = with_values(base, {"name": "one sample: cheaper", "contract.rate_card.tenancy_6m.price": 1})
    sib.price(changed)
    assert len(pricing._samples) == 2, "a change to the contract must be priced from a sample of its own"
