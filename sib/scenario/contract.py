"""The contract: what the municipality pays, for what, and when (a part of the scenario)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, NonNegativeFloat, PositiveFloat, model_validator

from sib.i18n import say
from sib.scenario.base import Frozen, lever
from sib.scenario.distributions import Duration, Span
from sib.scenario.uncertainty import Fraction

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
        0,
        ge=0,
        le=240,
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
                say(
                    "months_after_service: bara med ends: service_end (follow_up_end löper redan till avtalets sista dag), angivet: {n}",
                    "months_after_service: only with ends: service_end (follow_up_end already runs to the contract's last day), got {n}",
                    n=self.months_after_service,
                )
            )
        return self


class MinimumVolume(Frozen):
    """Places the municipality pays for whether it fills them or not.

    Without it the provider carries the whole volume risk: its staff and premises cost the
    same when referrals fall short, and the fee per participant does not come. A guaranteed
    volume (share 1) or a compensation for unused places (a share below 1) moves part of that
    risk to the municipality, which decides how many it refers."""

    places: int = Field(
        ge=1,
        le=100_000,
        description="In each month of the service period the per participant-month fee is paid for at least this "
        "many participants: participant-days short of places × the month's service days are paid at `share_of_fee`.",
        json_schema_extra={
            **lever("Garanterad volym (platser)", "Guaranteed volume (places)", "contract", 1, 200, 1),
            "unit": "participants",
        },
    )
    share_of_fee: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Share of the per participant-month fee paid for an unused place (1: a guaranteed volume; "
        "0.5: half the price for an empty place).",
        json_schema_extra=lever(
            "Ersättning för tom plats, andel av avgiften", "Pay for an empty place, share of the fee", "contract", 0.0, 1.0, 0.05
        ),
    )


class FixedPayments(Frozen):
    """The fixed part; with an outcome share these are weights that pricing scales, except the
    start-up grant, which is a sum."""

    per_participant_month: Money = Field(
        0.0, description="Per enrolled participant and month, pro rata by days.", json_schema_extra={"unit": "kr"}
    )
    monthly: Money = Field(0.0, description="Lump sum per month of the service period.", json_schema_extra={"unit": "kr"})
    upfront: Money = Field(0.0, description="Once, invoiced at the contract start.", json_schema_extra={"unit": "kr"})
    start_up_grant: Money = Field(
        0.0,
        description="Once, invoiced at the contract start, as given: pricing does not scale it (a grant for setting "
        "up, such as recruitment and premises). It is part of the fixed part of the expected value.",
        json_schema_extra={**lever("Startbidrag", "Start-up grant", "contract", 0, 5_000_000, 50_000), "unit": "kr"},
    )
    in_advance: bool = Field(
        False,
        description="The lump sum per month is paid in advance (à-conto): each invoice period's sums are invoiced "
        "so that they fall due on the period's first day (at the earliest on the contract start), not at its end. "
        "The per participant-month fee and unused places follow the days actually delivered, so they stay in arrears.",
    )
    minimum_volume: MinimumVolume | None = Field(
        None, description="Places paid for whether they are filled or not; empty: the provider carries the volume risk."
    )

    @model_validator(mode="after")
    def _volume_needs_a_fee(self) -> FixedPayments:
        if self.minimum_volume is not None and not self.per_participant_month:
            raise ValueError(
                say(
                    "minimum_volume: betalar en andel av contract.fixed.per_participant_month för platser som inte används, "
                    "så den avgiften måste vara större än 0 (angivet: 0)",
                    "minimum_volume: pays a share of contract.fixed.per_participant_month for unused places, "
                    "so it needs that fee to be above 0 (got 0)",
                )
            )
        return self


class Tier(Frozen):
    """From this share of the cohort reaching the milestone on, each outcome pays this price."""

    share: Share = Field(ge=0, le=1, description="Share of enrolled participants that must reach the milestone.")
    price: Money = Field(description="Price per verified milestone in this tier (a weight when priced).", json_schema_extra={"unit": "kr"})


class Comparison(Frozen):
    """The outcome is paid on its estimated effect: the share of the enrolled who reach the
    milestone, less the share in a comparison group of people like them without the service.

    The evaluator sees a sample of that group, not its true rate: in each replication the group
    reaches the milestone binomially at ``rate``, so the estimate τ̂ = (treated share) −
    (comparison share) carries the sampling error of both groups, and a true effect that clears
    the threshold may still go unpaid (and the other way round). Give ``rate`` a prior (a
    ``beta``, say) for what is not known about the outcome without the service."""

    size: int = Field(
        ge=10,
        le=1_000_000,
        description="People in the comparison group (from registers: a matched group or a randomised control).",
        json_schema_extra={
            **lever("Jämförelsegruppens storlek: {0}", "Comparison group size: {0}", "contract", 10, 5_000, 10),
            "unit": "people",
        },
    )
    rate: Fraction = Field(
        description="The share of the comparison group that reaches the milestone (the outcome without the service); a number or a prior.",
        json_schema_extra=lever("Utfall utan insatsen: {0}", "Outcome without the service: {0}", "contract", 0.0, 1.0, 0.01),
    )
    threshold: float = Field(
        0.0,
        ge=-1,
        le=1,
        description="The estimated effect (a difference of shares) must reach this for anything to be paid.",
        json_schema_extra=lever("Minsta effekt som betalas: {0}", "Smallest effect paid: {0}", "contract", 0.0, 0.5, 0.01),
    )
    pays: Literal["per_outcome", "per_effect"] = Field(
        "per_effect",
        description="per_effect: the price for each outcome the estimate attributes to the service, "
        "(treated share − comparison share) × enrolled, rounded up to whole people (one cohort line); "
        "per_outcome: the price for every outcome reached, once the estimate clears the threshold.",
    )


class RateCardItem(Frozen):
    """The price of one milestone, and the cohort-level conditions for paying it."""

    price: Money | None = Field(
        None,
        description="Price per verified milestone (a weight when priced); give this or `tiers`.",
        json_schema_extra={**lever("Pris: {0}", "Price: {0}", "contract", step=1000), "unit": "kr"},
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
        description="Pays only if at least this share of enrolled participants reach it; settled at cohort end (tier).",
    )
    baseline_rate: Share | None = Field(
        None,
        ge=0,
        le=1,
        description="Share expected without the intervention; pays only for outcomes above it, settled at cohort end.",
    )
    comparison: Comparison | None = Field(
        None,
        description="Paid on the effect estimated against a comparison group, with its sampling error; settled at "
        "cohort end. Not with `threshold`, `tiers` or `baseline_rate`.",
    )

    @model_validator(mode="after")
    def _price_or_tiers(self) -> RateCardItem:
        if (self.price is None) == (self.tiers is None):
            raise ValueError(say("ange exakt en av 'price' eller 'tiers'", "give exactly one of 'price' or 'tiers'"))
        if self.tiers is not None:
            if self.threshold is not None:
                raise ValueError(
                    say(
                        "ange 'threshold' eller 'tiers', inte båda: den första nivån är tröskeln",
                        "give 'threshold' or 'tiers', not both: the first tier is the threshold",
                    )
                )
            shares = [t.share for t in self.tiers]
            if shares != sorted(set(shares)):
                raise ValueError(
                    say(
                        "nivåerna i tiers måste stå i stigande ordning efter share, varje andel en gång",
                        "tiers must be in increasing order of share",
                    )
                )
        if self.comparison is not None:
            other = [k for k in ("threshold", "tiers", "baseline_rate") if getattr(self, k) is not None]
            if other:
                raise ValueError(
                    say(
                        "ange 'comparison' eller {other}, inte båda: jämförelsegruppen är utgångsläget "
                        "(baseline), och comparison.threshold är tröskeln",
                        "give 'comparison' or {other}, not both: the comparison "
                        "group is the baseline, and comparison.threshold the threshold",
                        other=", ".join(repr(k) for k in other),
                    )
                )
        return self

    @property
    def settled_at_cohort_end(self) -> bool:
        return self.threshold is not None or self.baseline_rate is not None or self.tiers is not None or self.comparison is not None

    @property
    def pooled(self) -> bool:
        """Paid as one cohort line (outcomes above a baseline or a comparison group), not claim by claim."""
        return self.baseline_rate is not None or (self.comparison is not None and self.comparison.pays == "per_effect")

    def schedule(self) -> list[tuple[float, float]]:
        """(share from which it pays, price) for each tier; a plain price is one tier from 0."""
        if self.tiers is not None:
            return [(t.share, t.price) for t in self.tiers]
        return [(self.threshold or 0.0, self.price or 0.0)]


class ExitTier(Frozen):
    """From this length of stay on, an exit pays this price."""

    after_days: int = Field(
        ge=0, le=36_500, description="Length of the stay, in days, from which this price applies.", json_schema_extra={"unit": "days"}
    )
    price: Money = Field(description="Price of an exit after a stay this long (a weight when priced).", json_schema_extra={"unit": "kr"})


class ExitPayment(Frozen):
    """A payment when a stay ends in a planned exit, by how long it lasted."""

    states: list[str] = Field(min_length=1, description="Pathway states a stay may end in for the exit to be paid (planned exits).")
    tiers: Annotated[list[ExitTier], Field(min_length=1)] = Field(
        description="Prices by the length of the stay that ended: the last tier whose after_days the stay reached sets "
        "the price (nothing below the first)."
    )

    @model_validator(mode="after")
    def _increasing(self) -> ExitPayment:
        days = [t.after_days for t in self.tiers]
        if days != sorted(set(days)):
            raise ValueError(
                say(
                    "nivåerna i tiers måste stå i stigande ordning efter after_days, varje antal dagar en gång",
                    "tiers must be in increasing order of after_days",
                )
            )
        return self


class DayRate(Frozen):
    """A price per day a participant spends in some states (Denver's supportive-housing contract
    paid per day housed, less the days in jail, once a stay had lasted long enough).

    A stay is an unbroken run of days in ``states`` and ``deducted_states``: a day in a deducted
    state keeps the stay going but is not paid (a short prison or hospital stay with the lease
    kept). A stay is paid only once it has lasted ``min_stay_days``; then its days so far are
    paid at once, and later days at each month's end, verified and invoiced like outcomes. An
    outcome payment: pricing scales the price with the rate card."""

    states: list[str] = Field(min_length=1, description="Pathway states whose days are paid.")
    deducted_states: list[str] = Field(default_factory=list, description="States whose days keep a stay going but are not paid (deducted).")
    price: Money = Field(
        description="Price per day paid (a weight when priced).",
        json_schema_extra={**lever("Pris per dag: {0}", "Price per day: {0}", "contract", 0, 2_000, 5), "unit": "kr"},
    )
    min_stay_days: int = Field(
        0,
        ge=0,
        le=3_650,
        description="A stay is paid only once it has lasted this long (then from its first day).",
        json_schema_extra={"unit": "days"},
    )
    exit_payment: ExitPayment | None = Field(None, description="A payment when a stay ends in a planned exit; empty: none.")

    @model_validator(mode="after")
    def _apart(self) -> DayRate:
        both = sorted(set(self.states) & set(self.deducted_states))
        if both:
            raise ValueError(
                say(
                    "deducted_states: ett tillstånd betalas eller dras av, inte båda: {both}",
                    "deducted_states: a state is paid or deducted, not both: {both}",
                    both=both,
                )
            )
        return self


class Caps(Frozen):
    """Upper limits on outcome payments."""

    per_participant: Money | None = Field(None, description="Most paid for one participant.", json_schema_extra={"unit": "kr"})
    total: Money | None = Field(None, description="Most paid in outcome payments in all.", json_schema_extra={"unit": "kr"})


class CommissionerCosts(Frozen):
    """What the contract costs the municipality besides its payments to the provider: its own
    work and the evaluation an outcome contract needs (amounts without VAT, which it recovers).
    They count in the municipality's whole cost, not in the contract's value or its pricing."""

    set_up: Money = Field(
        0.0,
        description="Once, at the contract start: designing and procuring the contract (legal advice, the baseline study).",
        json_schema_extra={
            **lever(
                "Kommunens kostnad för att ta fram avtalet",
                "The municipality's cost of setting up the contract",
                "contract",
                0,
                2_000_000,
                25_000,
            ),
            "unit": "kr",
        },
    )
    per_year: Money = Field(
        0.0,
        description="Each year of the contract (service period and outcome tail), paid at each month end pro rata: "
        "contract management, checking outcome claims, ongoing evaluation.",
        json_schema_extra={
            **lever("Uppföljning och utvärdering per år", "Contract management and evaluation per year", "contract", 0, 2_000_000, 25_000),
            "unit": "kr",
        },
    )
    final_evaluation: Money = Field(
        0.0,
        description="Once, on the invoice day that settles the cohort's outcomes: the final evaluation report (it needs the final figures).",
        json_schema_extra={**lever("Slututvärdering", "Final evaluation", "contract", 0, 2_000_000, 25_000), "unit": "kr"},
    )


class Pricing(Frozen):
    """How the outcome share is priced: a fixed-seed simulation of expected performance."""

    replications: int = Field(
        400,
        ge=20,
        le=10_000,
        description="Replications used to price (at most 10 000: each is a whole replication, run before any study; "
        "and at most 3 000 000 referrals in all: replications × the most referrals the contract can have).",
    )
    seed: int = Field(20_240_101, ge=0, description="Seed of the pricing run (not of the study).")


class LatePayment(Frozen):
    """Invoices the municipality pays late, and the interest owed for it (räntelagen 6 §)."""

    share: Share = Field(ge=0, le=1, description="Share of invoices paid late.")
    delay: Duration = Field(description="How late a late invoice is paid, after its due date (whole days, at most a year).")
    reference_rate: float = Field(
        0.0175,
        ge=-0.1,
        le=1,
        description="The Riksbank's reference rate; interest on late payment is it plus 8 percentage points.",
        json_schema_extra={"unit": "per year"},
    )
    interest_claimed: bool = Field(
        True, description="Whether the provider invoices the interest (it is owed by law; many do not claim it)."
    )


class Contract(Frozen):
    """The payment model: what is paid, for what, and when."""

    service_months: int = Field(ge=1, le=240, description="Service period in calendar months.", json_schema_extra={"unit": "months"})
    outcome_tail_months: int = Field(
        0,
        ge=0,
        le=240,
        description="Outcomes reached this long after the service period still count.",
        json_schema_extra={"unit": "months"},
    )
    outcome_share: Share | None = Field(
        None,
        ge=0,
        le=1,
        description="Share of the expected contract value paid on outcomes. Given, sib re-prices "
        "fixed payments and the rate card (given prices are weights) to hit it; empty: prices as given.",
        json_schema_extra=lever("Utfallsbaserad andel av ersättningen", "Outcome-based share of the payment", "contract", 0.2, 0.75, 0.05),
    )
    expected_value: PositiveFloat | None = Field(
        None,
        description="Expected contract value to keep when pricing; empty: the expected value at the given prices.",
        json_schema_extra={"unit": "kr"},
    )
    indexation: float = Field(
        0.0,
        ge=-0.5,
        le=1,
        description="Yearly increase of the contract's prices each 1 January after the start (0.03 = 3 %): the fixed "
        "fees of a month and the price of an outcome by the day it was reached; the upfront payment and the caps are "
        "not indexed. Care contracts are commonly indexed by SKR's omsorgsprisindex (OPI).",
        json_schema_extra={
            **lever("Uppräkning av priserna per år", "Yearly indexation of the prices", "contract", 0.0, 0.1, 0.005),
            "unit": "per year",
        },
    )
    fixed: FixedPayments = FixedPayments()
    rate_card: dict[str, RateCardItem] = Field(default_factory=dict, description="Milestone name → price.")
    per_day: dict[str, DayRate] = Field(
        default_factory=dict,
        description="Name → a price per day in some states, with deducted days and exit payments; "
        "outcome payments, scaled with the rate card when priced.",
    )
    caps: Caps = Caps()
    commissioner_costs: CommissionerCosts = Field(
        CommissionerCosts(), description="The municipality's own costs of the contract: management and evaluation."
    )
    grant: bool = Field(
        False,
        description="The payments are a grant (an IOP, idéburet offentligt partnerskap), not the price of a service: "
        "a taxable provider adds no VAT to them, and the VAT on the grant-funded work's purchases is a cost it cannot "
        "deduct (Skatteverket: a grant to a separate part of a business with no taxed sales); the municipality's "
        "compensation is then `provider.vat.compensation`'s, 6 % of the grant where the work is care, health or "
        "education (lag 2005:807).",
    )
    rejected_share: Share = Field(0.0, ge=0, lt=1, description="Share of outcome claims rejected at verification.")
    verification_lag: Span = Field(
        Span(months=2),
        description="Time from reaching a milestone to its verification (register data).",
        json_schema_extra=lever("Verifieringsfördröjning", "Verification lag", "contract"),
    )
    invoice_period: Literal["monthly", "quarterly"] = Field(
        "monthly",
        description="Verified outcomes and fixed parts are invoiced at the end of each period.",
        json_schema_extra=lever("Faktureringsperiod", "Invoice period", "contract"),
    )
    payment_terms_days: int = Field(
        30,
        ge=0,
        le=365,
        description="Days from invoice to payment.",
        json_schema_extra={**lever("Betalningsvillkor", "Payment terms", "contract", 0, 120, 5), "unit": "days"},
    )
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
                say(
                    "support.months_after_service: måste vara högst {tail} (contract.outcome_tail_months), angivet: {n}; "
                    "för stöd till avtalets sista dag, använd support.ends: follow_up_end",
                    "support.months_after_service: must be <= {tail} (contract.outcome_tail_months), got "
                    "{n}; for support to the contract's last day use support.ends: follow_up_end",
                    tail=tail,
                    n=s.months_after_service,
                )
            )
        if self.support_months < self.service_months + tail and not s.follow_up_after_support:
            before = self.service_months + tail - self.support_months
            raise ValueError(
                say(
                    "support.follow_up_after_support: stödet upphör {before} månad(er) innan tiden då utfall räknas tar slut "
                    "(support.ends: {ends}), så utfall skulle mätas utan stöd: sätt den till true för att ange att avtalet gör så "
                    "(enbart uppföljning), eller sätt support.ends till follow_up_end (tillåtna: follow_up_end, service_end)",
                    "support.follow_up_after_support: support ends {before} month(s) before the outcome window does "
                    "(support.ends: {ends}), so outcomes would be measured without support: set it to true to say the "
                    "contract does so (follow-up only), or set support.ends to follow_up_end (allowed: follow_up_end, service_end)",
                    before=before,
                    ends=s.ends,
                )
            )
        return self

    @property
    def support_months(self) -> int:
        """Calendar months from the start to the end of support."""
        if self.support.ends == "follow_up_end":
            return self.service_months + self.outcome_tail_months
        return self.service_months + self.support.months_after_service
