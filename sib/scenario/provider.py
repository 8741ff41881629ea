"""The provider's economy: its costs, staff, employees, leases and VAT (a part of the scenario)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, NonNegativeFloat

from sib.scenario.base import Frozen, lever
from sib.scenario.uncertainty import Amount, DaysInYear, Fraction, Positive

Money = NonNegativeFloat
Share = float


class Caseload(Frozen):
    """Staff as a caseload ratio: caseworkers = max(minimum, ceil(active participants / ratio))."""

    participants_per_caseworker: Positive = Field(
        description="Participants one caseworker supports.",
        json_schema_extra={
            **lever("Deltagare per handledare", "Participants per caseworker", "provider", 1, 50, 1),
            "unit": "participants",
        },
    )
    monthly_salary: Amount = Field(
        description="Gross monthly salary, paid on the 25th.",
        json_schema_extra={
            **lever("Månadslön per handledare", "Monthly salary per caseworker", "provider", 15_000, 100_000, 500),
            "unit": "kr",
        },
    )
    employer_fee_rate: Share = Field(
        0.3142,
        ge=0,
        le=1,
        description="Employer's social fees, paid to the state on the 12th of the next month.",
        json_schema_extra=lever(
            "Arbetsgivaravgifter, pension och försäkringar på lönen",
            "Employer's fees, pension and insurance on pay",
            "provider",
            0.0,
            0.6,
            0.0025,
        ),
    )
    minimum_caseworkers: int = Field(
        0, ge=0, le=10_000, description="Staff kept whatever the caseload; after the service period, only while somebody is in support."
    )


class Indexation(Frozen):
    """Yearly increases applied each 1 January after the start."""

    wages: float = Field(0.0, ge=-0.5, le=1, description="Yearly wage increase (0.03 = 3 %).")
    prices: float = Field(0.0, ge=-0.5, le=1, description="Yearly increase of other costs.")


class WageSubsidy(Frozen):
    """A wage subsidy from Arbetsförmedlingen (introduktionsjobb, nystartsjobb, lönebidrag): the
    state pays a share of an employee's wage cost, on wages up to a ceiling that does not follow
    wages, for a limited time per person, and may add a fixed supervision support (handledarstöd)
    for the first months. Which programme fits depends on the target group: lönebidrag needs a
    disability that reduces work capacity; introduktionsjobb, long-term unemployment."""

    share: Share = Field(ge=0, le=1, description="Share of the wage cost (wage and employer's fees) paid, on the wage up to the ceiling.")
    ceiling: Money = Field(
        20_000, description="Monthly wage the subsidy is calculated on at most (not indexed).", json_schema_extra={"unit": "kr"}
    )
    months: int = Field(
        12,
        ge=1,
        le=120,
        description="Months from the person's first day of employment that the subsidy is paid "
        "(with the extensions the programme allows and the scenario assumes granted).",
        json_schema_extra={"unit": "months"},
    )
    supervision_per_month: Money = Field(
        0.0,
        description="Supervision support (handledarstöd): a fixed amount per month employed, pro rata for a part month, not indexed.",
        json_schema_extra={"unit": "kr"},
    )
    supervision_months: int = Field(
        0,
        ge=0,
        le=120,
        description="Months from the person's first day of employment that the supervision support is paid.",
        json_schema_extra={"unit": "months"},
    )
    lag_days: int = Field(
        30, ge=0, le=365, description="Days after the end of the month before the state pays.", json_schema_extra={"unit": "days"}
    )


class Employment(Frozen):
    """Participants the provider employs itself (an ASF): their wages, and lönebidrag."""

    states: list[str] = Field(
        min_length=1,
        description="Pathway states in which the participant is on the provider's payroll (until support ends: nobody pays the wage after).",
    )
    monthly_wage: Amount = Field(
        description="Gross monthly wage, paid on the 25th pro rata for the days employed; indexed with wages.",
        json_schema_extra={
            **lever("Deltagarnas månadslön", "The participants' monthly wage", "provider", 10_000, 60_000, 500),
            "unit": "kr",
        },
    )
    employer_fee_rate: Share = Field(
        0.3142, ge=0, le=1, description="Employer's social fees, paid to the state on the 12th of the next month."
    )
    revenue_per_month: Amount = Field(
        0.0,
        description="What the employee's work earns the provider from its customers per month employed (sales), paid at month end; indexed with prices.",
        json_schema_extra={"unit": "kr"},
    )
    subsidy: WageSubsidy | None = Field(None, description="A wage subsidy (introduktionsjobb, nystartsjobb, lönebidrag); empty: none.")


class Leases(Frozen):
    """Second-hand leases (Bostad först): somebody leases the apartments from the landlords
    and sublets them to the tenants, carrying the rent of an empty apartment and the rent a
    tenant does not pay. The provider, or the municipality (Göteborg's property office holds
    them for its Bostad först)."""

    holder: Literal["provider", "municipality"] = Field(
        "provider",
        description="Who holds the leases: provider (its cash carries the rent, empty days and arrears) or municipality "
        "(the municipality pays the landlords and collects the tenants' rent; the provider only supports).",
    )
    states: list[str] = Field(min_length=1, description="Pathway states in which the participant lives in an apartment the holder leases.")
    monthly_rent: Amount = Field(
        description="Rent the provider pays the landlord per apartment and month, on the last working day before the month (here: the 1st); indexed with prices.",
        json_schema_extra={"unit": "kr"},
    )
    arrears_share: Fraction = Field(0.0, description="Share of the tenants' rent never paid (arrears).")
    vacant_days: DaysInYear = Field(
        0,
        description="Days an apartment stands empty, rent still paid, after a tenancy ends (until support ends).",
        json_schema_extra={"unit": "days"},
    )


class ProviderCosts(Frozen):
    """What delivering the service costs the provider."""

    fixed_per_month: Amount = Field(
        0.0,
        description="Overhead per month of service, paid on the 1st (pro rata for a part month); after the service period, per month of support while somebody is still in support.",
        json_schema_extra={**lever("Omkostnader per månad", "Overhead per month", "provider", 0, 2_000_000, 5_000), "unit": "kr"},
    )
    per_participant_month: Amount = Field(
        0.0,
        description="Direct cost per participant-month in support, paid at month end.",
        json_schema_extra={
            **lever("Direkta kostnader per deltagare och månad", "Direct costs per participant and month", "provider", 0, 50_000, 250),
            "unit": "kr",
        },
    )
    per_intake: Amount = Field(
        0.0,
        description="Once per enrolled participant, on enrolment.",
        json_schema_extra={**lever("Kostnad per inskrivning", "Cost per intake", "provider", 0, 100_000, 500), "unit": "kr"},
    )
    start_up: Amount = Field(
        0.0,
        description="Start-up investment, paid at the contract start.",
        json_schema_extra={**lever("Uppstartskostnad", "Start-up cost", "provider", 0, 5_000_000, 10_000), "unit": "kr"},
    )
    caseload: Caseload | None = None
    indexation: Indexation = Indexation()


class TaxedShares(Frozen):
    """The share of each cost line that is purchases carrying VAT (premises' services, goods,
    travel, consultants). Pay (management, on-call cover), residential rent, insurance and
    interest carry none, so an overhead that is mostly pay carries little."""

    fixed_per_month: Fraction = Field(1.0, description="Of `provider.costs.fixed_per_month`.")
    per_participant_month: Fraction = Field(1.0, description="Of `provider.costs.per_participant_month`.")
    per_intake: Fraction = Field(1.0, description="Of `provider.costs.per_intake`.")
    start_up: Fraction = Field(1.0, description="Of `provider.costs.start_up`.")


class Vat(Frozen):
    """The provider's VAT status. Every other amount in the scenario excludes VAT."""

    status: Literal["exempt", "taxable"] = Field(
        "exempt",
        description="exempt (social care): VAT on its purchases is a cost it cannot deduct; taxable "
        "(some employment services): it adds VAT to its invoices and deducts VAT on purchases.",
    )
    rate: Share = Field(0.25, ge=0, le=1, description="VAT rate on invoices and on the purchases that carry VAT.")
    taxed_shares: TaxedShares = Field(TaxedShares(), description="The share of each cost line that carries VAT; default: all of it.")
    compensation: bool = Field(
        True,
        description="The municipality is compensated by the state (lag 2005:807): for exempt care bought from a private "
        "provider, 6 % of what it pays; for a taxable provider, the VAT on its invoices.",
    )


class Provider(Frozen):
    """The provider (utförare) and its economy."""

    name: str | None = Field(None, description="The provider's name, shown in reports.")
    opening_equity: float = Field(
        0.0,
        ge=-1e12,
        le=1e12,
        description="Cash at the start.",
        json_schema_extra={**lever("Egna pengar vid start", "Own cash at the start", "provider", 0, 20_000_000, 50_000), "unit": "kr"},
    )
    costs: ProviderCosts = ProviderCosts()
    employment: Employment | None = Field(None, description="Participants the provider employs; empty: none.")
    leases: Leases | None = Field(None, description="Apartments the provider leases and sublets; empty: none.")
    vat: Vat | None = Field(None, description="VAT; empty: VAT is left out of the model.")
