"""The scenario: everything sib needs to simulate one outcome-based contract, as a frozen value.

Validated once at the boundary (a YAML file or the dashboard form); the engine trusts it.
Amounts are in the scenario's currency (SEK unless stated), excluding VAT.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from typing import Annotated, Callable, Literal, TypeVar

from pydantic import Field, NonNegativeFloat, PositiveFloat, model_validator

from sib.scenario.base import Frozen
from sib.scenario.distributions import Duration, Span
from sib.scenario.financing import Financing, Insolvency

Money = NonNegativeFloat
Share = float

# ---------------------------------------------------------------- participants


class RatePeriod(Frozen):
    """From this date on, referrals arrive at this rate (until the next period starts)."""

    from_: dt.date = Field(alias="from", description="First day of the period.")
    per_month: NonNegativeFloat = Field(
        description="Mean referrals per calendar month (Poisson).", json_schema_extra={"unit": "per month"}
    )


class Cohort(Frozen):
    """A group referred together on one date."""

    date: dt.date = Field(description="Date of referral.")
    size: int = Field(ge=1, le=100_000, description="Number of people referred.")


class Referrals(Frozen):
    """How people are referred (remisser): a Poisson stream or scheduled cohorts."""

    per_month: NonNegativeFloat | list[RatePeriod] | None = Field(
        None,
        description="Poisson referrals: a rate per month, or a list of periods with their own "
        "rates, each from its date until the next (piecewise constant; no referrals before the "
        "first period's date).",
        json_schema_extra={"unit": "per month"},
    )
    cohorts: list[Cohort] | None = Field(None, description="Scheduled cohorts instead of a stream.")
    maximum: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="Contract maximum: people admitted (enrolled or waiting) at most; later "
        "referrals are declined. Empty means no maximum.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> "Referrals":
        if (self.per_month is None) == (self.cohorts is None):
            raise ValueError(
                "give exactly one of 'per_month' (Poisson) or 'cohorts' (a file that extends "
                "another switches by setting the other one to null)"
            )
        if isinstance(self.per_month, list):
            if not self.per_month:
                raise ValueError("'per_month' needs at least one period")
            dates = [p.from_ for p in self.per_month]
            if dates != sorted(dates) or len(set(dates)) != len(dates):
                raise ValueError("rate periods must be in increasing date order")
        return self


class Participants(Frozen):
    """Who comes to the intervention. (Attributes such as risk tiers will live here.)"""

    referrals: Referrals


# ---------------------------------------------------------------- capacity


class WaitingList(Frozen):
    """A referral that finds no free place waits here, or is lost."""

    max_length: int | None = Field(
        None, ge=0, le=1_000_000, description="At most this many waiting; empty means no limit."
    )
    max_wait_days: PositiveFloat | None = Field(
        None,
        le=36500,
        description="A referral waiting longer is lost (and counted); empty means no limit.",
        json_schema_extra={"unit": "days"},
    )


class Capacity(Frozen):
    """Places, apartments or caseworker slots; states that occupy a place need one."""

    places: int | None = Field(
        None, ge=1, le=1_000_000, description="Number of places; empty means unlimited."
    )
    waiting_list: WaitingList = WaitingList()


# ---------------------------------------------------------------- pathway


class State(Frozen):
    """A state of the pathway; a state with no transitions is an exit (absorbing)."""

    label: str | None = Field(None, description="Name shown to people (e.g. Swedish).")
    occupies_place: bool | None = Field(
        None, description="Whether a participant here holds a place. Default: yes unless an exit."
    )
    transitions: dict[str, Duration] = Field(
        default_factory=dict,
        description="Competing transitions: target state → time until it. The first to happen "
        "wins (competing risks).",
    )

    @property
    def absorbing(self) -> bool:
        return not self.transitions

    @property
    def holds_place(self) -> bool:
        return self.occupies_place if self.occupies_place is not None else not self.absorbing


class Pathway(Frozen):
    """The intervention as a small state machine."""

    start: str = Field(description="The state a participant enters when enrolled.")
    states: dict[str, State] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "Pathway":
        names = set(self.states)
        if self.start not in names:
            raise ValueError(f"start state '{self.start}' is not among the states: {sorted(names)}")
        for name, state in self.states.items():
            for target in state.transitions:
                if target not in names:
                    raise ValueError(
                        f"states.{name}.transitions.{target}: no such state (states: {sorted(names)})"
                    )
                if target == name:
                    raise ValueError(f"states.{name}.transitions.{target}: a state cannot lead to itself")
                if not state.holds_place and self.states[target].holds_place:
                    raise ValueError(
                        f"states.{name}.transitions.{target}: leads from a state without a place "
                        "back to one that needs a place; a released place is not taken again"
                    )
        return self


# ---------------------------------------------------------------- milestones


class Milestone(Frozen):
    """An outcome event defined on the pathway.

    - ``{state: S}``: entered S (first entry, or every entry if repeatable);
    - ``{state: S, after: {months: 6}}``: in S continuously for 6 calendar months (anniversary
      date, clamped to month end; the clock restarts when the participant leaves S);
    - ``{state: S, each_full_month: true}``: every full month in S, counted on the monthly
      anniversaries of entering S (15 Jan → 15 Feb, 15 Mar, …; repeatable).
    """

    label: str | None = Field(None, description="Name shown to people.")
    state: str | Annotated[list[str], Field(min_length=1)] = Field(
        description="The pathway state the milestone is about, or a list of states counted as one "
        "(e.g. housed on a second-hand lease, then on an own lease)."
    )
    after: Span | None = Field(None, description="Continuous time in the state before it counts.")
    each_full_month: bool = Field(
        False, description="Reached on every monthly anniversary of entering the state while still in it."
    )
    repeatable: bool = Field(False, description="Reached again on every new stay in the state.")

    @model_validator(mode="after")
    def _kind(self) -> "Milestone":
        if self.each_full_month and self.after is not None:
            raise ValueError("give 'after' or 'each_full_month', not both")
        return self

    @property
    def states(self) -> list[str]:
        return [self.state] if isinstance(self.state, str) else list(self.state)

    @property
    def kind(self) -> Literal["entered", "continuous", "each_month"]:
        if self.each_full_month:
            return "each_month"
        return "continuous" if self.after is not None else "entered"


# ---------------------------------------------------------------- contract


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
        None, description="Price per verified milestone (a weight when priced); give this or `tiers`.", json_schema_extra={"unit": "kr"}
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
    def _price_or_tiers(self) -> "RateCardItem":
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
        "fixed payments and the rate card (given prices are weights) to hit it; empty: prices as given.",
    )
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
        Span(months=2), description="Time from reaching a milestone to its verification (register data)."
    )
    invoice_period: Literal["monthly", "quarterly"] = Field(
        "monthly", description="Verified outcomes and fixed parts are invoiced at the end of each period."
    )
    payment_terms_days: int = Field(30, ge=0, le=365, description="Days from invoice to payment.", json_schema_extra={"unit": "days"})
    pricing: Pricing = Pricing()
    late_payment: LatePayment | None = Field(None, description="Late payment by the municipality; empty: always on time.")
    direct_award_limit: PositiveFloat = Field(
        8_513_250,
        description="The procurement threshold the maximum contract value is compared with "
        "(direct award of social services, LOU annex 2: 8 513 250 kr in 2026).",
        json_schema_extra={"unit": "kr"},
    )


# ---------------------------------------------------------------- provider


class Caseload(Frozen):
    """Staff as a caseload ratio: caseworkers = max(minimum, ceil(active participants / ratio))."""

    participants_per_caseworker: PositiveFloat = Field(description="Participants one caseworker supports.")
    monthly_salary: Money = Field(description="Gross monthly salary, paid on the 25th.", json_schema_extra={"unit": "kr"})
    employer_fee_rate: Share = Field(
        0.3142, ge=0, le=1, description="Employer's social fees, paid to the state on the 12th of the next month."
    )
    minimum_caseworkers: int = Field(0, ge=0, le=10_000, description="Staff kept whatever the caseload.")


class Indexation(Frozen):
    """Yearly increases applied each 1 January after the start."""

    wages: float = Field(0.0, ge=-0.5, le=1, description="Yearly wage increase (0.03 = 3 %).")
    prices: float = Field(0.0, ge=-0.5, le=1, description="Yearly increase of other costs.")


class WageSubsidy(Frozen):
    """Lönebidrag: the state pays a share of an employee's wage cost, on wages up to a ceiling
    that does not follow wages, for a limited time per person."""

    share: Share = Field(ge=0, le=1, description="Share of the wage cost (wage and employer's fees) paid, on the wage up to the ceiling.")
    ceiling: Money = Field(20_000, description="Monthly wage the subsidy is calculated on at most (not indexed).", json_schema_extra={"unit": "kr"})
    months: int = Field(12, ge=1, le=120, description="Months from the person's first day of employment that the subsidy is paid.",
                        json_schema_extra={"unit": "months"})
    lag_days: int = Field(30, ge=0, le=365, description="Days after the end of the month before the state pays.", json_schema_extra={"unit": "days"})


class Employment(Frozen):
    """Participants the provider employs itself (an ASF): their wages, and lönebidrag."""

    states: list[str] = Field(min_length=1, description="Pathway states in which the participant is on the provider's payroll.")
    monthly_wage: Money = Field(description="Gross monthly wage, paid on the 25th pro rata for the days employed; indexed with wages.",
                                json_schema_extra={"unit": "kr"})
    employer_fee_rate: Share = Field(0.3142, ge=0, le=1, description="Employer's social fees, paid to the state on the 12th of the next month.")
    revenue_per_month: Money = Field(
        0.0, description="What the employee's work earns the provider from its customers per month employed (sales), paid at month end; indexed with prices.",
        json_schema_extra={"unit": "kr"},
    )
    subsidy: WageSubsidy | None = Field(None, description="Lönebidrag; empty: none.")


class Leases(Frozen):
    """The provider holds the leases and sublets (Bostad först with second-hand contracts)."""

    states: list[str] = Field(min_length=1, description="Pathway states in which the participant lives in an apartment the provider leases.")
    monthly_rent: Money = Field(description="Rent the provider pays the landlord per apartment and month, on the last working day before the month (here: the 1st); indexed with prices.",
                                json_schema_extra={"unit": "kr"})
    arrears_share: Share = Field(0.0, ge=0, le=1, description="Share of the tenants' rent never paid (arrears).")
    vacant_days: int = Field(0, ge=0, le=365, description="Days an apartment stands empty, rent still paid, after a tenancy ends during the service.",
                             json_schema_extra={"unit": "days"})


class ProviderCosts(Frozen):
    """What delivering the service costs the provider."""

    fixed_per_month: Money = Field(0.0, description="Overhead per month of service, paid on the 1st (pro rata for a part month).", json_schema_extra={"unit": "kr"})
    per_participant_month: Money = Field(
        0.0, description="Direct cost per enrolled participant-month, paid at month end.", json_schema_extra={"unit": "kr"}
    )
    per_intake: Money = Field(0.0, description="Once per enrolled participant, on enrolment.", json_schema_extra={"unit": "kr"})
    start_up: Money = Field(0.0, description="Start-up investment, paid at the contract start.", json_schema_extra={"unit": "kr"})
    caseload: Caseload | None = None
    indexation: Indexation = Indexation()


class Vat(Frozen):
    """The provider's VAT status. Every other amount in the scenario excludes VAT."""

    status: Literal["exempt", "taxable"] = Field(
        "exempt",
        description="exempt (social care): VAT on its purchases is a cost it cannot deduct; taxable "
        "(some employment services): it adds VAT to its invoices and deducts VAT on purchases.",
    )
    rate: Share = Field(0.25, ge=0, le=1, description="VAT rate on invoices and on the purchases that carry VAT.")
    compensation: bool = Field(
        True,
        description="For exempt care bought from a private provider, the municipality gets 6 % of "
        "what it pays back from the state (lag 2005:807).",
    )


class Provider(Frozen):
    """The provider (utförare) and its economy."""

    name: str | None = Field(None, description="The provider's name, shown in reports.")
    opening_equity: float = Field(0.0, ge=-1e12, le=1e12, description="Cash at the start.", json_schema_extra={"unit": "kr"})
    costs: ProviderCosts = ProviderCosts()
    employment: Employment | None = Field(None, description="Participants the provider employs; empty: none.")
    leases: Leases | None = Field(None, description="Apartments the provider leases and sublets; empty: none.")
    vat: Vat | None = Field(None, description="VAT; empty: VAT is left out of the model.")


# ---------------------------------------------------------------- economics


class DailyCost(Frozen):
    """What a participant-day in a state costs, by whose pocket it comes from."""

    municipality: Money = Field(0.0, description="Cost to the municipality per day (e.g. emergency shelter).", json_schema_extra={"unit": "kr"})
    state: Money = Field(0.0, description="Cost to the state per day (e.g. prison, compulsory care).", json_schema_extra={"unit": "kr"})


class Economics(Frozen):
    """What the outcomes are worth and to whom: avoided costs against a counterfactual pathway,
    societal value over a stated horizon, discounted; shown in three views, never summed."""

    discount_rate: float = Field(0.035, ge=-0.1, le=1, description="Yearly discount rate (actual/365 from the contract start).",
                                 json_schema_extra={"unit": "per year"})
    rate_basis: Literal["real", "nominal"] = Field("real", description="Whether the discount rate is real or nominal (stated with every result).")
    counterfactual: Pathway | None = Field(
        None, description="What participants' days would have been without the intervention, from the day they enrolled."
    )
    daily_costs: dict[str, DailyCost] = Field(
        default_factory=dict,
        description="Cost per participant-day in a state of the pathway or of the counterfactual (same-named states share a cost).",
    )
    outcome_values: dict[str, Money] = Field(
        default_factory=dict, description="Societal value per year of each milestone reached (milestone name → kr a year).",
        json_schema_extra={"unit": "kr per year"},
    )
    value_horizon_years: float = Field(5.0, gt=0, le=60, description="Years a milestone's societal value is counted, from the day it is reached.",
                                       json_schema_extra={"unit": "years"})


# ---------------------------------------------------------------- scenario


class Scenario(Frozen):
    """One outcome-based contract, its participants, pathway and provider."""

    name: str = Field(min_length=1, description="The scenario's name, shown in reports and the dashboard.")
    description: str = Field("", description="Free text: what the scenario is and why.")
    currency: str = Field("SEK", min_length=3, max_length=3, description="Currency code of every amount (ISO 4217).")
    start_date: dt.date = Field(description="The contract's first day; every event has a real date.")
    sources: dict[str, str] = Field(
        default_factory=dict, description="Parameter path → its source (facts.md entry or 'assumption: why')."
    )
    participants: Participants
    capacity: Capacity = Capacity()
    pathway: Pathway
    milestones: dict[str, Milestone] = Field(default_factory=dict)
    contract: Contract
    provider: Provider = Provider()
    financing: Financing = Financing()
    insolvency: Insolvency = Insolvency()
    economics: Economics | None = Field(None, description="Avoided costs, societal value and the three economic views; empty: none.")

    @model_validator(mode="after")
    def _cross_references(self) -> "Scenario":
        states = self.pathway.states
        for name, m in self.milestones.items():
            for state in m.states:
                if state not in states:
                    raise ValueError(f"milestones.{name}.state: no such state '{state}' (states: {sorted(states)})")
        for name in self.contract.rate_card:
            if name not in self.milestones:
                raise ValueError(
                    f"contract.rate_card.{name}: no such milestone (milestones: {sorted(self.milestones)})"
                )
        months = self.contract.service_months + self.contract.outcome_tail_months
        fin = self.financing
        if fin.loan is not None and fin.loan.paid_out_month >= months:
            raise ValueError(f"financing.loan.paid_out_month: must be < {months} (the service and outcome months), got {fin.loan.paid_out_month}")
        for j, tranche in enumerate(fin.investor.tranches if fin.investor is not None else []):
            if tranche.month >= months:
                raise ValueError(f"financing.investor.tranches[{j}].month: must be < {months} (the service and outcome months), got {tranche.month}")
        econ = self.economics
        if econ is not None:
            known = set(states) | (set(econ.counterfactual.states) if econ.counterfactual else set())
            for state in econ.daily_costs:
                if state not in known:
                    raise ValueError(f"economics.daily_costs.{state}: no such state in the pathway or the counterfactual")
            for name in econ.outcome_values:
                if name not in self.milestones:
                    raise ValueError(f"economics.outcome_values.{name}: no such milestone (milestones: {sorted(self.milestones)})")
        for part in ("employment", "leases"):
            holder = getattr(self.provider, part)
            for state in holder.states if holder is not None else []:
                if state not in states:
                    raise ValueError(f"provider.{part}.states: no such state '{state}' (states: {sorted(states)})")
        if self.capacity.places is not None and not states[self.pathway.start].holds_place:
            raise ValueError(f"pathway.states.{self.pathway.start}.occupies_place: the start state must hold a place when places are limited")
        return self

    @property
    def digest(self) -> str:
        """A stable hash of the resolved scenario, for caches and manifests.

        Computed on each access (about 20 µs): a cached value would be copied along by
        ``model_copy(update=...)`` and then describe the wrong scenario."""
        return hashlib.sha256(self.model_dump_json(by_alias=True).encode()).hexdigest()

    @property
    def service_end(self) -> dt.date:
        from sib.calendar import add_months

        return add_months(self.start_date, self.contract.service_months)

    @property
    def outcome_window_end(self) -> dt.date:
        from sib.calendar import add_months

        return add_months(self.start_date, self.contract.service_months + self.contract.outcome_tail_months)


T = TypeVar("T")


def per_scenario(fn: Callable[[Scenario], T]) -> Callable[[Scenario], T]:
    """Cache what is computed once per scenario (compiled tables, pricing) on its digest.

    Keyed on the digest, not the object: two equal scenarios share the work, and a copy with
    one value changed does not. At most 64 are kept."""
    cache: dict[str, T] = {}

    @functools.wraps(fn)
    def cached(scenario: Scenario) -> T:
        key = scenario.digest
        found = cache.get(key)
        if found is None:
            if len(cache) >= 64:
                cache.clear()
            found = cache[key] = fn(scenario)
        return found

    return cached
