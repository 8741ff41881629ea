"""The contract: what the municipality pays, for what, and when (a part of the scenario)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, NonNegativeFloat, PositiveFloat, model_validator

from sib.scenario.base import Frozen, lever
from sib.scenario.distributions import Duration, Span

Money = NonNegativeFloat
Share = float



class FixedPayments(Frozen):
    """The fixed part; with an outcome share these are weights that pricing scales."""

    per_participant_month: Money = Field(
        0.0, description="Per enrolled participant and month, pro rata by days.", json_schema_extra={"unit": "kr"}
    )
    monthly: Money = Field(0.0, description="Lump sum per month of the service period.", json_schema_extra={"unit": "kr"})
    upfront: Money = Field(0.0, description="Once, invoiced at the contract start.", json_schema_extra={"unit": "kr"})


class Tier(Frozen):
    """From this share of the cohort reaching the milestone on, each outcome pays this price."""

    share: Share = Field(ge=0, le=1, description="Share of enrolled participants that must reach the milestone.")
    price: Money = Field(description="Price per verified milestone in this tier (a weight when priced).", json_schema_extra={"unit": "kr"})


class RateCardItem(Frozen):
    """The price of one milestone, and the cohort-level conditions for paying it."""

    price: Money | None = Field(
        None, description="Price per verified milestone (a weight when priced); give this or `tiers`.", json_schema_extra={**lever("Pris: {0}", "Price: {0}", "contract", step=1000), "unit": "kr"}
    )
    tiers: Annotated[list[Tier], Field(min_length=1)] | None = Field(
        None,
        description="Prices by the share of the cohort that reaches the milestone: the highest tier "
        "reached sets the price of every outcome, none below the first; settled at cohort end.",
    )
    threshold: Share | None = Field(
        None,
        ge=0,
        le=1,
        description="Pays only if at least this share of enrolled participants reach it; "
        "settled at cohort end (tier).",
    )
    baseline_rate: Share | None = Field(
        None,
        ge=0,
        le=1,
        description="Share expected without the intervention; pays only for outcomes above it, "
        "settled at cohort end.",
    )

    @model_validator(mode="after")
    def _price_or_tiers(self) -> RateCardItem:
        if (self.price is None) == (self.tiers is None):
            raise ValueError("give exactly one of 'price' or 'tiers'")
        if self.tiers is not None:
            if self.threshold is not None:
                raise ValueError("give 'threshold' or 'tiers', not both: the first tier is the threshold")
            shares = [t.share for t in self.tiers]
            if shares != sorted(set(shares)):
                raise ValueError("tiers must be in increasing order of share")
        return self

    @property
    def settled_at_cohort_end(self) -> bool:
        return self.threshold is not None or self.baseline_rate is not None or self.tiers is not None

    def schedule(self) -> list[tuple[float, float]]:
        """(share from which it pays, price) for each tier; a plain price is one tier from 0."""
        if self.tiers is not None:
            return [(t.share, t.price) for t in self.tiers]
        return [(self.threshold or 0.0, self.price or 0.0)]


class Caps(Frozen):
    """Upper limits on outcome payments."""

    per_participant: Money | None = Field(None, description="Most paid for one participant.", json_schema_extra={"unit": "kr"})
    total: Money | None = Field(None, description="Most paid in outcome payments in all.", json_schema_extra={"unit": "kr"})


class Pricing(Frozen):
    """How the outcome share is priced: a fixed-seed simulation of expected performance."""

    replications: int = Field(400, ge=20, le=100_000, description="Replications used to price.")
    seed: int = Field(20_240_101, ge=0, description="Seed of the pricing run (not of the study).")


class LatePayment(Frozen):
    """Invoices the municipality pays late, and the interest owed for it (räntelagen 6 §)."""

    share: Share = Field(ge=0, le=1, description="Share of invoices paid late.")
    delay: Duration = Field(description="How late a late invoice is paid, after its due date (whole days, at most a year).")
    reference_rate: float = Field(
        0.0175, ge=-0.1, le=1, description="The Riksbank's reference rate; interest on late payment is it plus 8 percentage points.",
        json_schema_extra={"unit": "per year"},
    )
    interest_claimed: bool = Field(True, description="Whether the provider invoices the interest (it is owed by law; many do not claim it).")


class Contract(Frozen):
    """The payment model: what is paid, for what, and when."""

    service_months: int = Field(ge=1, le=240, description="Service period in calendar months.", json_schema_extra={"unit": "months"})
    outcome_tail_months: int = Field(
        0, ge=0, le=240, description="Outcomes reached this long after the service period still count.", json_schema_extra={"unit": "months"}
    )
    outcome_share: Share | None = Field(
        None,
        ge=0,
        le=1,
        description="Share of the expected contract value paid on outcomes. Given, sib re-prices "
        "fixed payments and the rate card (given prices are weights) to hit it; empty: prices as given.", json_schema_extra=lever("Utfallsbaserad andel av ersättningen", "Outcome-based share of the payment", "contract", 0.2, 0.75, 0.05))
    expected_value: PositiveFloat | None = Field(
        None,
        description="Expected contract value to keep when pricing; empty: the expected value at the given prices.",
        json_schema_extra={"unit": "kr"},
    )
    fixed: FixedPayments = FixedPayments()
    rate_card: dict[str, RateCardItem] = Field(default_factory=dict, description="Milestone name → price.")
    caps: Caps = Caps()
    rejected_share: Share = Field(0.0, ge=0, lt=1, description="Share of outcome claims rejected at verification.")
    verification_lag: Span = Field(
        Span(months=2), description="Time from reaching a milestone to its verification (register data).", json_schema_extra=lever("Verifieringsfördröjning", "Verification lag", "contract"))
    invoice_period: Literal["monthly", "quarterly"] = Field(
        "monthly", description="Verified outcomes and fixed parts are invoiced at the end of each period.", json_schema_extra=lever("Faktureringsperiod", "Invoice period", "contract"))
    payment_terms_days: int = Field(30, ge=0, le=365, description="Days from invoice to payment.", json_schema_extra={**lever("Betalningsvillkor", "Payment terms", "contract", 0, 120, 5), "unit": "days"})
    pricing: Pricing = Pricing()
    late_payment: LatePayment | None = Field(None, description="Late payment by the municipality; empty: always on time.")
    direct_award_limit: PositiveFloat = Field(
        8_513_250,
        description="The procurement threshold the maximum contract value is compared with "
        "(direct award of social services, LOU annex 2: 8 513 250 kr in 2026).",
        json_schema_extra={"unit": "kr"},
    )
