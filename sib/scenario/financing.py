"""How the provider is financed, and what happens if it cannot pay: the scenario's part.

A bank credit line (checkkredit) and/or a term loan, a guarantee on them (Mikrofonden, or the
municipality's own *kommunal borgen*), and the rule for insolvency. Amounts in the scenario's
currency; rates are yearly, interest actual/365.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, NonNegativeFloat, PositiveFloat, model_validator

from sib.i18n import say
from sib.scenario.base import Frozen, lever

Rate = float
Share = float


class CreditLine(Frozen):
    """A bank credit line: drawn when cash would fall below the floor, repaid when cash allows."""

    limit: NonNegativeFloat = Field(
        description="What the bank lends on the provider's own standing, without a guarantee. A guarantee on the line "
        "with a maximum adds what it secures (see `financing.guarantee`): the line granted is `Financing.credit_limit`.",
        json_schema_extra={**lever("Kredit på egen kreditvärdighet", "Credit on own standing", "financing", step=100_000), "unit": "kr"},
    )
    interest_rate: Rate = Field(
        ge=0,
        le=1,
        description="Yearly interest on the daily drawn balance (actual/365), charged at each month end.",
        json_schema_extra={"unit": "per year"},
    )
    commitment_fee_rate: Rate = Field(
        0.0,
        ge=0,
        le=1,
        description="Yearly fee on the undrawn limit (actual/365), charged at each month end.",
        json_schema_extra={"unit": "per year"},
    )
    setup_fee: NonNegativeFloat = Field(0.0, description="Paid to the bank on the start date.", json_schema_extra={"unit": "kr"})
    floor: NonNegativeFloat = Field(
        0.0, description="Cash kept on the account: draw when a payment would take cash below it.", json_schema_extra={"unit": "kr"}
    )


class TermLoan(Frozen):
    """A term loan, paid out once and repaid in equal monthly instalments (straight) or at the end."""

    principal: PositiveFloat = Field(description="Amount lent.", json_schema_extra={"unit": "kr"})
    interest_rate: Rate = Field(
        ge=0,
        le=1,
        description="Yearly interest on the outstanding principal (actual/365), paid at each month end.",
        json_schema_extra={"unit": "per year"},
    )
    paid_out_month: int = Field(
        0, ge=0, le=240, description="Months after the start when the loan is paid out.", json_schema_extra={"unit": "months"}
    )
    term_months: int = Field(ge=1, le=360, description="Months from pay-out to the last repayment.", json_schema_extra={"unit": "months"})
    amortisation: Literal["straight", "bullet"] = Field(
        "straight", description="straight: equal repayments at each month end; bullet: all at the end of the term."
    )
    setup_fee: NonNegativeFloat = Field(0.0, description="Paid to the bank when the loan is paid out.", json_schema_extra={"unit": "kr"})


class Guarantee(Frozen):
    """A guarantee on the bank's exposure: the guarantor pays a share of the bank's loss.

    The bank lends on what secures it: a guarantee of at most ``max_amount`` G covering a share
    g of the credit line lets it lend G / g more than it would on the provider's own standing
    (a guarantee that also covers the loan secures the loan's principal first, and the line
    gets what is left). Without a maximum the guarantee secures the line as given and does not
    enlarge it. So removing a guarantee shrinks the line to what the provider's standing
    carries."""

    guarantor: Literal["mikrofonden", "municipality"] = Field(
        "mikrofonden",
        description="Who guarantees: a guarantee fund (party `guarantor`) or the municipality itself (kommunal borgen, party `commissioner`).",
    )
    covers: Literal["credit_line", "loan", "both"] = Field("both", description="Which of the bank's claims are guaranteed.")
    share: Rate = Field(
        gt=0,
        le=1,
        description="Share of the bank's exposure guaranteed (Mikrofonden: up to 90 %).",
        json_schema_extra=lever("Garantins andel", "Guarantee share", "financing", 0.05, 1.0, 0.05),
    )
    max_amount: PositiveFloat | None = Field(
        None,
        description="Most the guarantor pays; the bank lends max_amount / share more on the line it covers. Empty: no maximum, and no more credit.",
        json_schema_extra={**lever("Garantins tak", "Guarantee cap", "financing", step=100_000), "unit": "kr"},
    )
    fee_rate: Rate = Field(
        0.0,
        ge=0,
        le=1,
        description="Yearly fee on the guaranteed amount (share × limit and principal, up to the maximum).",
        json_schema_extra={**lever("Garantiavgift per år", "Guarantee fee a year", "financing", 0.0, 0.1, 0.0025), "unit": "per year"},
    )
    fee_base: Literal["limit", "exposure"] = Field(
        "limit",
        description="What the fee is charged on: limit, the guaranteed amount (share × limit and principal, capped); exposure, the guaranteed part of the daily drawn balance (paid monthly).",
    )
    fee_paid: Literal["upfront", "yearly", "monthly"] = Field(
        "yearly",
        description="upfront: the whole term's fee on the start date; yearly: in advance on the start date and each anniversary; monthly: at each month end.",
    )
    fee_payer: Literal["provider", "commissioner", "external"] = Field(
        "provider", description="Who pays the fee (external: a third party)."
    )
    term_months: int = Field(
        36, ge=1, le=360, description="How long the guarantee runs from the start.", json_schema_extra={"unit": "months"}
    )
    at_expiry: Literal["renew", "unguaranteed", "repay"] = Field(
        "unguaranteed",
        description="If the guarantee ends before the contract: renew (for another term, fee and all), unguaranteed (the credit runs on without it) or repay (the credit line is repaid and closed).",
    )
    type: Literal["on_demand", "final_loss"] = Field(
        "on_demand",
        description="on_demand (proprieborgen): paid when the provider fails, on the exposure after the estate's cash; final_loss (fyllnadsborgen): paid on the loss left after all recoveries.",
    )

    @model_validator(mode="after")
    def _exposure_fee_is_monthly(self) -> Guarantee:
        if self.fee_base == "exposure" and self.fee_paid != "monthly":
            raise ValueError(
                say(
                    "fee_paid: en avgift på exponeringen blir känd först i efterhand, så den betalas 'monthly'",
                    "fee_paid: a fee on the exposure is known only afterwards, so it is paid 'monthly'",
                )
            )
        return self


class Tranche(Frozen):
    """Part of the investor's capital, paid in this many months after the start."""

    month: int = Field(ge=0, le=240, description="Months after the start.", json_schema_extra={"unit": "months"})
    share: Rate = Field(gt=0, le=1, description="Share of the capital paid in then.")


class ReturnCap(Frozen):
    """The most the investor earns above its capital: a total share, or a yearly rate."""

    total_share: Rate | None = Field(
        None,
        ge=0,
        le=10,
        description="Return at most this share of the capital in all (Norrköping: 0.2).",
        json_schema_extra=lever(
            "Investerarens avkastningstak (andel av kapitalet)", "Investor return cap (share of capital)", "financing", 0.0, 1.0, 0.05
        ),
    )
    yearly_rate: Rate | None = Field(
        None,
        ge=0,
        le=1,
        description="Return at this yearly rate on the capital outstanding (actual/365).",
        json_schema_extra={"unit": "per year"},
    )

    @model_validator(mode="after")
    def _one(self) -> ReturnCap:
        if (self.total_share is None) == (self.yearly_rate is None):
            raise ValueError(
                say("ange exakt en av 'total_share' eller 'yearly_rate'", "give exactly one of 'total_share' or 'yearly_rate'")
            )
        return self


class CapitalProtection(Frozen):
    """A promise that the investor gets back at least a share of its capital, and who keeps it."""

    share: Rate = Field(gt=0, le=1, description="Share of the capital paid in that is protected.")
    paid_by: Literal["commissioner", "external"] = Field("commissioner", description="Who tops up a shortfall at the end.")


class Investor(Frozen):
    """Outcome finance (the social impact bond form): capital up front, repaid from outcomes."""

    capital: PositiveFloat = Field(
        description="Capital committed.",
        json_schema_extra={**lever("Investerarens kapital", "Investor capital", "financing", step=100_000), "unit": "kr"},
    )
    tranches: list[Tranche] = Field(
        default_factory=lambda: [Tranche(month=0, share=1.0)],
        min_length=1,
        description="When the capital is paid in; the shares add up to 1.",
    )
    receives_outcome_payments: bool = Field(
        True,
        description="Whether the municipality pays outcome payments to the investor (which passes on what exceeds its due) rather than to the provider.",
    )
    waterfall: Literal["investor_first", "costs_first"] = Field(
        "investor_first",
        description="When the provider receives outcome payments: investor_first repays the investor from each at once; costs_first only from cash left once the credit line is repaid.",
    )
    return_cap: ReturnCap = Field(
        default_factory=lambda: ReturnCap(total_share=0.2), description="The investor's return above its capital."
    )
    protection: CapitalProtection | None = Field(None, description="Capital protection; empty: none.")
    undrawn_counts_as_liquidity: bool = Field(
        False, description="Whether capital not yet paid in can be called early when the provider would otherwise be unable to pay."
    )

    @model_validator(mode="after")
    def _shares_add_up(self) -> Investor:
        total = sum(t.share for t in self.tranches)
        if abs(total - 1) > 1e-9:
            raise ValueError(
                say(
                    "tranches: andelarna måste bli 1 tillsammans, angivet: {total:.10g}",
                    "tranches: the shares must add up to 1, got {total:.10g}",
                    total=total,
                )
            )
        return self


class InvoiceFinancing(Frozen):
    """Advances against the municipality's approved, unpaid invoices (fakturabelåning): when the
    provider runs short while an invoice is outstanding, a financier advances a share of it and
    is repaid, with its fee, when the municipality pays the invoice. Its presence says the
    contract lets the provider assign its claims (many public contracts need the buyer's
    consent). An invoice backs one advance only; the facility's limit or yearly fees are not
    modelled."""

    advance_rate: Share = Field(
        0.8,
        gt=0,
        le=1,
        description="Share of an invoice advanced.",
        json_schema_extra=lever("Belåningsgrad för fakturor", "Invoice advance rate", "financing", 0.05, 1.0, 0.05),
    )
    yearly_rate: Rate = Field(
        ge=0,
        le=1,
        description="Yearly charge on the advance while it is outstanding (actual/365), paid when the invoice is.",
        json_schema_extra={
            **lever("Ränta på fakturabelåning per år", "Invoice financing rate a year", "financing", 0.0, 0.3, 0.005),
            "unit": "per year",
        },
    )
    fee_per_invoice: NonNegativeFloat = Field(
        0.0,
        le=100_000,
        description="A fee for each invoice financed.",
        json_schema_extra={**lever("Avgift per belånad faktura", "Fee per invoice financed", "financing", 0, 5000, 50), "unit": "kr"},
    )


class Financing(Frozen):
    """The provider's external finance; combine freely (blended finance)."""

    credit_line: CreditLine | None = None
    loan: TermLoan | None = None
    guarantee: Guarantee | None = None
    investor: Investor | None = None
    invoice_financing: InvoiceFinancing | None = Field(
        None, description="Advances against approved municipal invoices when cash runs short; empty: none."
    )

    @property
    def guaranteed_credit(self) -> float:
        """What the guarantee lets the bank add to the credit line: G / g, less the loan's
        principal when the guarantee secures the loan too (kr; 0 without a capped guarantee on the line)."""
        g = self.guarantee
        if g is None or g.max_amount is None or self.credit_line is None or g.covers == "loan":
            return 0.0
        capacity = g.max_amount / g.share
        if g.covers == "both" and self.loan is not None:
            capacity -= self.loan.principal
        return max(0.0, capacity)

    @property
    def credit_limit(self) -> float:
        """The credit line the bank grants: what it lends on the provider's own standing plus what
        the guarantee secures (kr; 0 without a credit line)."""
        if self.credit_line is None:
            return 0.0
        return self.credit_line.limit + self.guaranteed_credit

    @model_validator(mode="after")
    def _guarantee_has_something(self) -> Financing:
        g = self.guarantee
        if g is None:
            return self
        if self.credit_line is None and self.loan is None:
            raise ValueError(
                say(
                    "guarantee: det finns ingen kredit eller något lån att ställa garanti för",
                    "guarantee: there is no credit line or loan to guarantee",
                )
            )
        if g.covers == "credit_line" and self.credit_line is None:
            raise ValueError(
                say(
                    "guarantee.covers: 'credit_line', men det finns ingen kredit (credit_line)",
                    "guarantee.covers: 'credit_line', but there is no credit_line",
                )
            )
        if g.covers == "loan" and self.loan is None:
            raise ValueError(
                say("guarantee.covers: 'loan', men det finns inget lån (loan)", "guarantee.covers: 'loan', but there is no loan")
            )
        return self


class GraceDays(Frozen):
    """How many days a kind of bill can be left unpaid past its due date before the delay is
    more than temporary. Wages, the employer's fees, tax withheld and the bank's charges have
    none: they are not put off (the board becomes personally liable for unpaid fees and tax,
    skatteförfarandelagen 59 kap.; an unpaid wage or a missed bank payment ends the firm)."""

    suppliers: int = Field(
        30,
        ge=0,
        le=365,
        description="Days a supplier's bill (overhead, direct costs, intake, start-up, their VAT) may be paid late. "
        "A creditor's reminder, then collection, then a demand that a bankruptcy petition can rest on take about a month.",
        json_schema_extra={"unit": "days"},
    )
    rent: int = Field(
        7,
        ge=0,
        le=365,
        description="Days the rent on leases the provider holds may be paid late: a residential lease is forfeit when rent "
        "is more than a week late (jordabalken 12 kap. 42 §).",
        json_schema_extra={"unit": "days"},
    )


class Continuation(Frozen):
    """How the municipality carries the service on after the provider stops: it keeps the
    ultimate responsibility (socialtjänstlagen), so the participants' support goes on, in-house
    or through a replacement provider, after a gap, with a one-off cost of re-procurement. The
    participants' paths carry on unchanged (the same people, the same random numbers); what
    changes is who pays whom."""

    by: Literal["municipality", "replacement_provider"] = Field(
        "municipality", description="Who carries the service on: the municipality in-house, or a replacement provider it pays."
    )
    gap_days: int = Field(
        30,
        ge=0,
        le=3650,
        description="Days between the stop and the continued support. Participants in service spend them in their "
        "counterfactual states, at those states' daily cost to the municipality.",
        json_schema_extra={"unit": "days"},
    )
    price_per_participant_day: NonNegativeFloat = Field(
        description="What the municipality pays per participant-day of continued support, to support's end (at the "
        "contract's prices of the start year, indexed each 1 January with the provider's wages).",
        json_schema_extra={
            **lever("Pris efter övertagande per deltagardag", "Continuation price per participant-day", "financing", 0, 3000, 10),
            "unit": "kr",
        },
    )
    gap_cost_per_participant_day: NonNegativeFloat | None = Field(
        None,
        description="What a participant-day in the gap costs the municipality; empty: the daily municipal cost of the "
        "counterfactual pathway's start state (economics), which is then required.",
        json_schema_extra={"unit": "kr"},
    )
    reprocurement_cost: NonNegativeFloat = Field(
        0.0,
        description="One-off cost of procuring the replacement (or setting up the service in-house), on the stop day.",
        json_schema_extra={"unit": "kr"},
    )
    leases: Literal["municipality", "replacement_provider"] = Field(
        "municipality",
        description="Who takes over the leases the provider held: their rent is part of the continuation price either way; "
        "the field says who signs.",
    )


class Insolvency(Frozen):
    """When a shortfall of cash becomes an insolvency, and what happens then.

    A provider short of cash for a few days does what real firms do: pays a supplier some days
    late, with late-payment interest. It is insolvent only when the inability to pay is not
    merely temporary (konkurslagen 1 kap. 2 §): here, when what it cannot pay is more than the
    bills it may still leave unpaid (``grace_days``), or the shortfall has lasted longer than
    ``max_days_short``."""

    rule: Literal["stop", "continue"] = Field(
        "stop",
        description="stop: at an insolvency the service ends that day and the estate is wound up; continue: the run goes "
        "on with negative cash, to measure the funding need.",
        json_schema_extra=lever("Vid obestånd", "On insolvency", "financing"),
    )
    grace_days: GraceDays = Field(GraceDays(), description="How long each kind of bill may be paid late.")
    late_interest_rate: Rate = Field(
        0.10,
        ge=0,
        le=1,
        description="Yearly interest on bills paid late (actual/365): the Riksbank's reference rate + 8 percentage "
        "points (räntelagen 6 §).",
        json_schema_extra={"unit": "per year"},
    )
    max_days_short: int | None = Field(
        None,
        ge=1,
        le=3650,
        description="Days a shortfall may last, however small, before it counts as more than temporary; empty: only the grace days decide.",
        json_schema_extra={"unit": "days"},
    )
    takeover_cost: NonNegativeFloat = Field(
        0.0,
        description="A one-off cost per participant in service the municipality takes back at a stop (moving, "
        "new contracts), besides the continuation.",
        json_schema_extra={"unit": "kr"},
    )
    continuation: Continuation | None = Field(
        None,
        description="How the municipality carries the service on after a stop; empty: it is not modelled, and the "
        "municipality's whole cost after a stop leaves out what carrying the participants on costs.",
    )
