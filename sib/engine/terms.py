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
    monthly: int
    per_participant_month: int
    prices: tuple[int, ...]  # per rate-card item, in rate-card order
    cap_per_participant: int | None
    cap_total: int | None

    @classmethod
    def of(cls, scenario: Scenario, fixed_factor: float = 1.0, outcome_factor: float = 1.0, caps: bool = True) -> "Terms":
        c = scenario.contract
        f = c.fixed
        return cls(
            fixed_factor=fixed_factor,
            outcome_factor=outcome_factor,
            upfront=round_ore(f.upfront * fixed_factor),
            monthly=round_ore(f.monthly * fixed_factor),
            per_participant_month=round_ore(f.per_participant_month * fixed_factor),
            prices=tuple(round_ore(item.price * outcome_factor) for item in c.rate_card.values()),
            cap_per_participant=round_ore(c.caps.per_participant) if caps and c.caps.per_participant is not None else None,
            cap_total=round_ore(c.caps.total) if caps and c.caps.total is not None else None,
        )


def settled_units(item: RateCardItem, reached: int, enrolled: int) -> int:
    """Units paid for a milestone settled on the whole cohort: nothing under the threshold
    (tier), and only the outcomes above the baseline share of the enrolled participants."""
    if not enrolled or (item.threshold is not None and reached < item.threshold * enrolled):
        return 0
    if item.baseline_rate is not None:
        return max(0, reached - math.ceil(item.baseline_rate * enrolled - 1e-9))
    return reached
