"""Statistical engine tests (engine/test_pathway_competing_risks.py, engine/test_participants_queue.py,
study/test_results.py): scenarios built from dicts, an engine run that skips pricing when there is
nothing to price, and Bonferroni-corrected confidence-interval checks."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from scipy import stats
from validation import common

import sib
from sib.scenario.schema import Scenario

#: Family-wise false-alarm probability of one statistical test (all its checks together).
FAMILY_ALPHA = 1e-3


def engine_scenario(*args: Any, name: str = "statistical test", **kwargs: Any) -> Scenario:
    """A validated scenario whose contract pays nothing: only the participant side matters
    (the validation suite's builder, ``common.engine_scenario``: the tests and the report check
    the same scenarios)."""
    return common.engine_scenario(*args, name=name, **kwargs)


def run_engine(scenario: Scenario, seed: int, replication: int = 0) -> sib.Replication:
    """``sib.simulate`` for a contract that pays nothing, without the pricing run.

    With no outcome share, no expected value, no rate card and no fixed payments, ``price``
    always yields factors a = b = 1, i.e. ``Terms.of(scenario)``; but it simulates
    ``contract.pricing.replications`` (at least 20) whole replications to say so, which for a
    cohort of tens of thousands costs ~20x the run itself. This builds exactly what
    ``simulate`` builds, with those terms. ``test_run_engine_matches_simulate`` checks that.
    """
    from sib.engine.compiled import compile_scenario
    from sib.engine.model import Model
    from sib.engine.streams import Streams
    from sib.engine.terms import Terms
    from sib.pricing import PricedContract

    c = scenario.contract
    f = c.fixed
    if c.outcome_share is not None or c.expected_value is not None or c.rate_card or f.upfront or f.monthly or f.per_participant_month:
        raise ValueError("run_engine is only for contracts that pay nothing; use sib.simulate")
    terms = Terms.of(scenario)
    model = Model(compile_scenario(scenario), terms, Streams(seed, replication))
    model.run()
    # What pricing would report is not needed by the engine; only the terms are.
    stub = PricedContract(**{f.name: terms if f.name == "terms" else 0 for f in dataclasses.fields(PricedContract)})
    return sib.Replication(scenario, seed, replication, stub, model)


def z_crit(m: int, alpha: float = FAMILY_ALPHA) -> float:
    """Two-sided normal critical value for one of ``m`` checks sharing ``alpha`` (Bonferroni)."""
    return float(stats.norm.isf(alpha / (2 * m)))


def t_crit(m: int, dof: int, alpha: float = FAMILY_ALPHA) -> float:
    """Two-sided Student-t critical value for one of ``m`` checks sharing ``alpha`` (Bonferroni)."""
    return float(stats.t.isf(alpha / (2 * m), dof))


class Checks:
    """Collects 'estimate within crit * se of the expected value' checks; fails once, listing all.

    Every check of a test is evaluated (so a report shows all that are off), then the test fails
    if any is outside its interval.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.failed: list[str] = []

    def close(self, what: str, estimate: float, expected: float, se: float, crit: float) -> None:
        half = crit * se
        ok = abs(estimate - expected) <= half
        line = (
            f"{'ok  ' if ok else 'FAIL'} {what}: estimate {estimate:.6g}, expected {expected:.6g}, "
            f"diff {estimate - expected:+.4g}, CI half-width {half:.4g} (se {se:.4g}, crit {crit:.3f})"
        )
        self.lines.append(line)
        if not ok:
            self.failed.append(line)

    def true(self, what: str, ok: bool, detail: str = "") -> None:
        line = f"{'ok  ' if ok else 'FAIL'} {what} {detail}".rstrip()
        self.lines.append(line)
        if not ok:
            self.failed.append(line)

    def report(self) -> str:
        return "\n".join(self.lines)

    def assert_all(self) -> None:
        print(self.report())
        assert not self.failed, "statistical checks outside their confidence intervals:\n" + self.report()


def binomial_se(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n)


def mean_se(x: np.ndarray) -> float:
    return float(np.std(x, ddof=1) / math.sqrt(len(x)))
