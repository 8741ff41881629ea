"""Contract terms in öre, after pricing: what the engine pays, and the caps it respects."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sib.engine.ledger import round_ore
from sib.scenario.schema import RateCardItem, Scenario


@dataclass(frozen=True)
class Terms:
    """Payment terms as the engine applies them: prices scaled by the pricing factors."""

    fixed_factor: float
    outcome_factor: float
    upfront: int
    start_up_grant: int  # as given: pricing does not scale it
    monthly: int
    per_participant_month: int
    prices: tuple[int, ...]  # per rate-card item, in rate-card order (tiered: the highest price)
    schedules: tuple[tuple[tuple[float, int], ...], ...]  # per item: (from share, price in öre)
    cap_per_participant: int | None
    cap_total: int | None

    @classmethod
    def of(cls, scenario: Scenario, fixed_factor: float = 1.0, outcome_factor: float = 1.0, caps: bool = True) -> Terms:
        c = scenario.contract
        f = c.fixed
        return cls(
            fixed_factor=fixed_factor,
            outcome_factor=outcome_factor,
            upfront=round_ore(f.upfront * fixed_factor),
            start_up_grant=round_ore(f.start_up_grant),
            monthly=round_ore(f.monthly * fixed_factor),
            per_participant_month=round_ore(f.per_participant_month * fixed_factor),
            prices=tuple(max(round_ore(p * outcome_factor) for _, p in item.schedule()) for item in c.rate_card.values()),
            schedules=tuple(tuple((share, round_ore(p * outcome_factor)) for share, p in item.schedule()) for item in c.rate_card.values()),
            cap_per_participant=round_ore(c.caps.per_participant) if caps and c.caps.per_participant is not None else None,
            cap_total=round_ore(c.caps.total) if caps and c.caps.total is not None else None,
        )


def settle(
    item: RateCardItem, schedule: tuple[tuple[float, int], ...], reached: int, enrolled: int, comparison_share: float = math.nan
) -> tuple[int, int]:
    """Units paid and the price of each, for a milestone settled on the whole cohort.

    The highest tier whose share of the enrolled participants was reached sets the price
    (nothing below the first tier, or below a threshold); with a baseline, only the outcomes
    above the baseline share are paid (the expected count rounded up to whole people). With a
    comparison group, ``comparison_share`` is the share of its sample that reached the
    milestone: nothing is paid unless the estimated effect (the treated share less it) reaches
    the threshold; then every outcome, or those above the comparison share (as a baseline)."""
    if not enrolled:
        return 0, 0
    group = item.comparison
    if group is not None:
        if reached / enrolled - comparison_share < group.threshold - 1e-12:
            return 0, 0
        price = schedule[0][1]
        if group.pays == "per_outcome":
            return (reached, price) if price else (0, 0)
        units = max(0, reached - math.ceil(comparison_share * enrolled - 1e-9))
        return (units, price) if units and price else (0, 0)
    price = 0
    for share, tier_price in schedule:
        if reached >= share * enrolled - 1e-9:
            price = tier_price
    if not price:
        return 0, 0
    units = reached
    if item.baseline_rate is not None:
        units = max(0, reached - math.ceil(item.baseline_rate * enrolled - 1e-9))
    return units, price
