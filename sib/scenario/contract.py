"""The contract: what the municipality pays, for what, and when (a part of the scenario)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, NonNegativeFloat, PositiveFloat, model_validator

from sib.scenario.base import Frozen, lever
from sib.scenario.distributions import Duration, Span

Money = NonNegativeFloat
Share = float


class Support(Frozen):
    """How long the provider supports the participants it enrolled, and what the contract
    measures after that.

    Referrals arrive during the service period only, but support for those enrolled goes on
    until they leave the pathway or support ends: the provider's staff by caseload, direct
    costs per participant, rent on the leases it holds and its employees' wages run as long as
    somebody is in support. In the months after the service period, overhead and the minimum
    staff are paid only while somebody is still in support: an organisation kept for its last
    participants, not a service open to new ones. The monthly lump sum
    (``contract.fixed.monthly``) is a payment per month of the service period whatever this
    says. Support ending before the outcome window does is a contract that measures outcomes
    after support (follow-up only): it must say so, because from then on nobody pays an
    employee's wage, so participants in ``provider.employment.states`` leave their job (their
    path is followed no further) and milestones on those states cannot be reached after."""

    ends: Literal["follow_up_end", "service_end"] = Field(
        "follow_up_end",
        description="When support ends for those still in the pathway: follow_up_end, the contract's last day "
        "(the service period and the outcome tail); service_end, the service period's end (plus `months_after_service`).",
    )
    months_after_service: int = Field(
        0, ge=0, le=240,
        description="With `ends: service_end`: support goes on this many calendar months after the service period "
        "(at most `contract.outcome_tail_months`).",
        json_schema_extra={"unit": "months"},
    )
    fee_runs_with_support: bool = Field(
        True,
        description="Whether `contract.fixed.per_participant_month` accrues for every participant-day in support "
        "(true) or only for those in the service period (false).",
    )
    follow_up_after_support: bool = Field(
        False,
        description="The contract measures outcomes after support has ended (follow-up only): required when support "
        "ends before the outcome window does. Participants in `provider.employment.states` leave their job when "
        "support (the wage) ends.",
    )

    @model_validator(mode="after")
    def _months_only_after_the_service(self) -> Support:
        if self.months_after_service and self.ends != "service_end":
            raise ValueError(
                f"months_after_service: only with ends: service_end (follow_up_end already runs to the "
                f"contract's last day), got {self.months_after_service}"
            )
        return self


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
    indexation: float = Field(
        0.0, ge=-0.5, le=1,
        description="Yearly increase of the contract's prices each 1 January after the start (0.03 = 3 %): the fixed "
        "fees of a month and the price of an outcome by the day it was reached; the upfront payment and the caps are "
        "not indexed. Care contracts are commonly indexed by SKR's omsorgsprisindex (OPI).",
        json_schema_extra={**lever("Uppräkning av priserna per år", "Yearly indexation of the prices", "contract", 0.0, 0.1, 0.005),
                           "unit": "per year"})
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
    support: Support = Field(Support(), description="How long the provider supports those enrolled; default: to the contract's last day.")
    late_payment: LatePayment | None = Field(None, description="Late payment by the municipality; empty: always on time.")
    direct_award_limit: PositiveFloat = Field(
        8_513_250,
        description="The procurement threshold the maximum contract value is compared with "
        "(direct award of social services, LOU annex 2: 8 513 250 kr in 2026).",
        json_schema_extra={"unit": "kr"},
    )

    @model_validator(mode="after")
    def _support_within_the_window(self) -> Contract:
        s, tail = self.support, self.outcome_tail_months
        if s.months_after_service > tail:
            raise ValueError(
                f"support.months_after_service: must be <= {tail} (contract.outcome_tail_months), got "
                f"{s.months_after_service}; for support to the contract's last day use support.ends: follow_up_end"
            )
        if self.support_months < self.service_months + tail and not s.follow_up_after_support:
            before = self.service_months + tail - self.support_months
            raise ValueError(
                f"support.follow_up_after_support: support ends {before} month(s) before the outcome window does "
                f"(support.ends: {s.ends}), so outcomes would be measured without support: set it to true to say the "
                "contract does so (follow-up only), or set support.ends to follow_up_end (allowed: follow_up_end, service_end)"
            )
        return self

    @property
    def support_months(self) -> int:
        """Calendar months from the start to the end of support."""
        if self.support.ends == "follow_up_end":
            return self.service_months + self.outcome_tail_months
        return self.service_months + self.support.months_after_service
