"""What a provider would bid at each outcome share.

Pricing keeps the contract's expected value when the outcome share changes, as if risk were
free: at 75 % the provider gets the same expected money as at 20 %, later and less sure, and
pays more for credit (or fails). A provider pricing its bid would ask for more. The bid study
finds, for each share, the expected value V the provider needs so that

- ``keep="margin"``: its expected result after financing costs (and after the losses of the
  runs in which it fails) is the same share of V as in the scenario as given; or
- ``keep="risk"``: its risk of insolvency is at most ``risk_limit`` (the smallest such V).

Each candidate V is a study of its own on the same seed (common random numbers: the same
participants whatever V, so the figures move with V alone), and the bid is the least V that
meets the target, found by bisection. The bid is handed back as the scenario
with ``contract.outcome_share`` and ``contract.expected_value`` set: pricing then splits it as
it always does. This is a study of many runs, not a step of pricing, which stays one cheap
simulation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sib.i18n import say
from sib.pricing import price
from sib.scenario.edit import with_values
from sib.scenario.errors import ScenarioError
from sib.scenario.schema import Scenario
from sib.study.results import run

Keep = Literal["margin", "risk"]
#: The search stops when V is known to this share of itself.
TOLERANCE = 0.002
#: A bid is looked for up to this multiple of the scenario's expected value.
MOST = 3.0


@dataclass(frozen=True)
class Figures:
    """What one candidate expected value gives, over the study's replications."""

    expected_value: float
    provider_result: float  # mean, kr
    insolvent: float  # share of replications
    whole_cost: float  # the municipality's, mean, kr

    @property
    def margin(self) -> float:
        return self.provider_result / self.expected_value


@dataclass(frozen=True)
class Bid:
    """The expected value a provider needs at one outcome share, and what it gives."""

    share: float
    figures: Figures | None  # None: no expected value up to MOST × the scenario's keeps the target
    scenario: Scenario  # the scenario with the share and the bid's expected value (pricing takes it from here)
    studies: int  # candidate values simulated

    @property
    def found(self) -> bool:
        return self.figures is not None


@dataclass(frozen=True)
class BidStudy:
    """The bids at each share, against the scenario as given."""

    keep: Keep
    risk_limit: float
    reference: Figures  # the scenario as given
    reference_share: float
    bids: tuple[Bid, ...]
    reps: int


def bid_study(
    scenario: Scenario,
    shares: Sequence[float],
    keep: Keep = "margin",
    risk_limit: float = 0.05,
    reps: int = 200,
    seed: int = 0,
    executor: Any = None,
    progress: Callable[[float], None] | None = None,
) -> BidStudy:
    """The expected value the provider needs at each of ``shares`` (see the module)."""
    if keep not in ("margin", "risk"):
        raise ScenarioError([say("keep: måste vara margin eller risk, angivet: {v!r}", "keep: must be margin or risk, got {v!r}", v=keep)])
    if not 0 <= risk_limit < 1:
        raise ScenarioError(
            [
                say(
                    "riskgräns: måste vara minst 0 och under 1, angivet: {v:g}",
                    "risk limit: must be at least 0 and below 1, got {v:g}",
                    v=risk_limit,
                )
            ]
        )
    bad = [s for s in shares if not 0 <= s <= 1]
    if bad:
        raise ScenarioError(
            [say("shares: var och en måste vara från 0 till 1, angivet: {v:g}", "shares: each must be from 0 to 1, got {v:g}", v=bad[0])]
        )
    priced = price(scenario)
    base_value = priced.expected_value
    base_share = scenario.contract.outcome_share if scenario.contract.outcome_share is not None else priced.outcome_share_expected

    def figures(share: float, value: float) -> Figures:
        sc = with_values(scenario, {"contract.outcome_share": share, "contract.expected_value": value})
        m = run(sc, reps=reps, seed=seed, executor=executor).summary
        return Figures(
            value,
            float(m["provider_result"].astype(float).mean()),
            float(m["provider_insolvent"].astype(float).mean()),
            float(m["commissioner_whole_cost"].astype(float).mean()),
        )

    reference = figures(base_share, base_value)

    def ok(f: Figures) -> bool:
        if keep == "margin":  # a krona more paid is a krona more result while the provider survives
            return f.provider_result >= reference.margin * f.expected_value
        return f.insolvent <= risk_limit  # more money never makes the provider fail more often on the same numbers

    out = []
    for share in shares:
        if progress is not None:  # told the share it starts on
            progress(share)
        found, n = _least(functools.partial(figures, share), base_value, ok)
        value = found.expected_value if found is not None else base_value
        out.append(Bid(share, found, with_values(scenario, {"contract.outcome_share": share, "contract.expected_value": value}), n))
    return BidStudy(keep, risk_limit, reference, base_share, tuple(out), reps)


def _least(at: Callable[[float], Figures], start: float, ok: Callable[[Figures], bool]) -> tuple[Figures | None, int]:
    """The least V (to ``TOLERANCE``) at which ``ok`` holds, by bracketing from ``start`` in
    steps of 25 % and then bisection; None if it does not hold up to ``MOST`` × start.

    On common random numbers both targets move with V in steps (a replication that no longer
    fails moves the mean result and the risk at once), so the search asks only on which side
    of the target a value lies: bisection on a monotone step function, where a secant would
    jump between the steps."""
    lo, hi = None, at(start)
    n = 1
    while not ok(hi):
        lo = hi
        if hi.expected_value >= MOST * start:
            return None, n
        hi = at(min(hi.expected_value * 1.25, MOST * start))
        n += 1
    while lo is None:  # holds already: look below
        below = at(hi.expected_value / 1.25)
        n += 1
        if ok(below):
            hi = below
            if hi.expected_value < start / MOST:
                return hi, n
        else:
            lo = below
    while hi.expected_value - lo.expected_value > TOLERANCE * hi.expected_value:
        mid = at((lo.expected_value + hi.expected_value) / 2)
        n += 1
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi, n
