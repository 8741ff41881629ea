"""The scenario: everything sib needs to simulate one outcome-based contract, as a frozen value.

Validated once at the boundary (a YAML file or the dashboard form); the engine trusts it.
Amounts are in the scenario's currency (SEK unless stated), excluding VAT.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, TypeAlias, TypeVar

import numpy as np
from pydantic import Field, NonNegativeFloat, PositiveFloat, model_validator

from sib.fmt import group
from sib.i18n import Text, language, say
from sib.scenario.base import Frozen, Note, in_language, lever
from sib.scenario.contract import (  # noqa: F401 (re-exported: the scenario's parts)
    Caps,
    Contract,
    FixedPayments,
    LatePayment,
    Pricing,
    RateCardItem,
    Tier,
)
from sib.scenario.distributions import Duration, Span
from sib.scenario.financing import Financing, Insolvency
from sib.scenario.provider import (  # noqa: F401 (re-exported)
    Caseload,
    Employment,
    Indexation,
    Leases,
    Provider,
    ProviderCosts,
    Vat,
    WageSubsidy,
)
from sib.scenario.uncertainty import Amount, Draw, People, Places, uncertain

Money = NonNegativeFloat
#: Referrals per month: at most 1 000, a large city's whole flow into a programme (memory and
#: time grow with the referrals a replication walks; pricing walks hundreds of replications).
if TYPE_CHECKING:
    Referrals_: TypeAlias = float | Draw
else:
    Referrals_ = uncertain(ge=0, le=1_000)  # MAX_REFERRALS_PER_MONTH
Share = float

# ---------------------------------------------------------------- participants


class RatePeriod(Frozen):
    """From this date on, referrals arrive at this rate (until the next period starts)."""

    from_: dt.date = Field(alias="from", description="First day of the period.")
    per_month: Referrals_ = Field(description="Mean referrals per calendar month (Poisson).", json_schema_extra={"unit": "per month"})


class Cohort(Frozen):
    """A group referred together on one date."""

    date: dt.date = Field(description="Date of referral.")
    size: People = Field(description="Number of people referred.")


#: The most people a scenario's cohorts may refer in all (a replication keeps about 1 kB a person).
MAX_COHORT_PEOPLE = 200_000
MAX_REFERRALS_PER_MONTH = 1_000
#: Pricing's work at most: its replications × the most referrals the contract can have. A
#: referral costs pricing about 2 µs (measured with every referral enrolled), so this is
#: about six seconds (the file fuzz of make validate found 4 000 000 too near its 10 s); the reference scenarios need 2 % of it.
MAX_PRICING_REFERRALS = 3_000_000


def _upper(value: Any) -> float:
    """The largest value a parameter can take: itself, or its distribution's upper bound."""
    return float(value.support()[1]) if hasattr(value, "support") else float(value)


class Referrals(Frozen):
    """How people are referred (remisser): a Poisson stream or scheduled cohorts."""

    per_month: Referrals_ | list[RatePeriod] | None = Field(
        None,
        description="Poisson referrals: a rate per month, or a list of periods with their own "
        "rates, each from its date until the next (piecewise constant; no referrals before the "
        "first period's date).",
        json_schema_extra={**lever("Remisser per månad", "Referrals per month", "participants", 0, None, 1), "unit": "per month"},
    )
    cohorts: list[Cohort] | None = Field(None, max_length=240, description="Scheduled cohorts instead of a stream (at most 240).")
    maximum: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="Contract maximum: people admitted (enrolled or waiting) at most; later "
        "referrals are declined. Empty means no maximum.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> Referrals:
        if (self.per_month is None) == (self.cohorts is None):
            raise ValueError(
                say(
                    "ange exakt en av 'per_month' (Poisson) eller 'cohorts' (en fil som bygger på en annan med extends "
                    "byter genom att sätta den andra till null)",
                    "give exactly one of 'per_month' (Poisson) or 'cohorts' (a file that extends "
                    "another switches by setting the other one to null)",
                )
            )
        if isinstance(self.per_month, list):
            if not self.per_month:
                raise ValueError(say("'per_month' behöver minst en period", "'per_month' needs at least one period"))
            dates = [p.from_ for p in self.per_month]
            if dates != sorted(dates) or len(set(dates)) != len(dates):
                raise ValueError(
                    say(
                        "perioderna måste stå i stigande datumordning, varje datum en gång", "rate periods must be in increasing date order"
                    )
                )
        if self.cohorts is not None:
            most = sum(c.size if isinstance(c.size, int) else int(c.size.support()[1]) for c in self.cohorts)
            if most > MAX_COHORT_PEOPLE:
                raise ValueError(
                    say(
                        "cohorts: högst {limit} personer sammanlagt, angivet: upp till {n}",
                        "cohorts: at most {limit} people in all, got up to {n}",
                        limit=MAX_COHORT_PEOPLE,
                        n=most,
                    )
                )
        return self


class Participants(Frozen):
    """Who comes to the intervention. (Attributes such as risk tiers will live here.)"""

    referrals: Referrals


# ---------------------------------------------------------------- capacity


class WaitingList(Frozen):
    """A referral that finds no free place waits here, or is lost."""

    max_length: int | None = Field(None, ge=0, le=1_000_000, description="At most this many waiting; empty means no limit.")
    max_wait_days: PositiveFloat | None = Field(
        None,
        le=36500,
        description="A referral waiting longer is lost (and counted); empty means no limit.",
        json_schema_extra={"unit": "days"},
    )


class Capacity(Frozen):
    """Places, apartments or caseworker slots; states that occupy a place need one."""

    places: Places | None = Field(
        None,
        description="Number of places; empty means unlimited.",
        json_schema_extra=lever("Platser", "Places", "participants", 1, None, 1),
    )
    waiting_list: WaitingList = WaitingList()


# ---------------------------------------------------------------- pathway


class State(Frozen):
    """A state of the pathway; a state with no transitions is an exit (absorbing)."""

    label: str | None = Field(None, description="Name shown to people (e.g. Swedish).")
    occupies_place: bool | None = Field(None, description="Whether a participant here holds a place. Default: yes unless an exit.")
    transitions: dict[str, Duration] = Field(
        default_factory=dict,
        description="Competing transitions: target state → time until it. The first to happen wins (competing risks).",
    )

    @property
    def absorbing(self) -> bool:
        return not self.transitions

    @property
    def holds_place(self) -> bool:
        return self.occupies_place if self.occupies_place is not None else not self.absorbing


#: The shortest time round a cycle of the pathway may take at the median, in days: a week. The
#: engine's steps are days and its payments months; a cycle quicker than this is a modelling
#: mistake (minutes for months), and would cost pricing's hundreds of replications minutes each.
MIN_CYCLE_DAYS = 7


class Pathway(Frozen):
    """The intervention as a small state machine."""

    start: str = Field(description="The state a participant enters when enrolled.")
    states: dict[str, State] = Field(min_length=1, max_length=100, description="The states by name (at most 100).")

    @model_validator(mode="after")
    def _consistent(self) -> Pathway:
        names = set(self.states)
        if self.start not in names:
            raise ValueError(
                say(
                    "starttillståndet '{start}' finns inte bland tillstånden: {states}",
                    "start state '{start}' is not among the states: {states}",
                    start=self.start,
                    states=sorted(names),
                )
            )
        for name, state in self.states.items():
            for target in state.transitions:
                if target not in names:
                    raise ValueError(
                        say(
                            "states.{name}.transitions.{target}: det finns inget sådant tillstånd (tillstånd: {states})",
                            "states.{name}.transitions.{target}: no such state (states: {states})",
                            name=name,
                            target=target,
                            states=sorted(names),
                        )
                    )
                if target == name:
                    raise ValueError(
                        say(
                            "states.{name}.transitions.{target}: ett tillstånd kan inte leda till sig självt",
                            "states.{name}.transitions.{target}: a state cannot lead to itself",
                            name=name,
                            target=target,
                        )
                    )
                if not state.holds_place and self.states[target].holds_place:
                    raise ValueError(
                        say(
                            "states.{name}.transitions.{target}: leder från ett tillstånd utan plats tillbaka till ett "
                            "som behöver en plats; den som har lämnat sin plats får ingen ny",
                            "states.{name}.transitions.{target}: leads from a state without a place "
                            "back to one that needs a place; a released place is not taken again",
                            name=name,
                            target=target,
                        )
                    )
        self._no_quick_cycle()
        return self

    def _no_quick_cycle(self) -> None:
        """A participant may go round a cycle of states (a → b → a) again and again; each time
        round is a step of the path the engine keeps. A cycle taken in minutes would make
        millions of steps within the contract: refused here, with the cycle named. The time
        round is reckoned at the median: of each uncertain parameter, and of each duration, a
        state's stay being its quickest transition's median."""
        from sib.scenario.uncertainty import realise, uncertain_parameters

        central, _ = realise(self, uncertain_parameters(self), lambda name: 0.5)
        names = list(self.states)
        stay = {
            n: min((float(d.sampler()(np.array([0.5]))[0]) for d in central.states[n].transitions.values()), default=math.inf)
            for n in names
        }
        # Shortest time round from each state back to itself (Floyd–Warshall; a pathway has few states).
        far = {(a, b): (stay[a] if b in central.states[a].transitions else math.inf) for a in names for b in names}
        after = {(a, b): b for a in names for b in names}
        for k in names:
            for a in names:
                for b in names:
                    if far[a, k] + far[k, b] < far[a, b]:
                        far[a, b], after[a, b] = far[a, k] + far[k, b], after[a, k]
        quickest = min(names, key=lambda n: far[n, n])
        if far[quickest, quickest] < MIN_CYCLE_DAYS:
            cycle, at = [quickest], after[quickest, quickest]
            while at != quickest:
                cycle.append(at)
                at = after[at, quickest]
            raise ValueError(
                say(
                    "states.{first}.transitions.{second}: kretsen {cycle} tar {days} dagar ett varv (i medianfallet); "
                    "ett varv måste ta minst {least} dagar (modellen räknar i dagar och betalar per månad)",
                    "states.{first}.transitions.{second}: the cycle {cycle} takes {days} days round (at the median); "
                    "a cycle must take at least {least} days (the model counts in days and pays by the month)",
                    first=cycle[0],
                    second=cycle[1 % len(cycle)],
                    cycle=" → ".join([*cycle, cycle[0]]),
                    days=f"{far[quickest, quickest]:.3g}",
                    least=MIN_CYCLE_DAYS,
                )
            )


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
    each_full_month: bool = Field(False, description="Reached on every monthly anniversary of entering the state while still in it.")
    repeatable: bool = Field(False, description="Reached again on every new stay in the state.")

    @model_validator(mode="after")
    def _kind(self) -> Milestone:
        if self.each_full_month and self.after is not None:
            raise ValueError(say("ange 'after' eller 'each_full_month', inte båda", "give 'after' or 'each_full_month', not both"))
        return self

    @property
    def states(self) -> list[str]:
        return [self.state] if isinstance(self.state, str) else list(self.state)

    @property
    def kind(self) -> Literal["entered", "continuous", "each_month"]:
        if self.each_full_month:
            return "each_month"
        return "continuous" if self.after is not None else "entered"


# ---------------------------------------------------------------- economics


class DailyCost(Frozen):
    """What a participant-day in a state costs, by whose pocket it comes from."""

    municipality: Amount = Field(
        0.0, description="Cost to the municipality per day (e.g. emergency shelter).", json_schema_extra={"unit": "kr"}
    )
    state: Amount = Field(0.0, description="Cost to the state per day (e.g. prison, compulsory care).", json_schema_extra={"unit": "kr"})


class Economics(Frozen):
    """What the outcomes are worth and to whom: avoided costs against a counterfactual pathway,
    societal value over a stated horizon, discounted; shown in three views, never summed.

    Avoided costs compare the same people over the same days: every referral from the day they
    were referred to the horizon, with the intervention and without it. So a person the
    intervention never reached, or left, is not counted as costing nothing."""

    discount_rate: float = Field(
        0.035,
        ge=-0.1,
        le=1,
        description="Yearly discount rate (actual/365 from the contract start).",
        json_schema_extra={"unit": "per year"},
    )
    rate_basis: Literal["real", "nominal"] = Field(
        "real", description="Whether the discount rate is real or nominal (stated with every result)."
    )
    counterfactual: Pathway | None = Field(
        None,
        description="What each referral's days would have been without the intervention, from the day they were "
        "referred; while they wait for a place, and if they never get one, their days are these with the intervention too.",
    )
    after_exit: dict[str, str | None] = Field(
        default_factory=dict,
        description="Where a participant who leaves the pathway goes on: exit state → the counterfactual state they are in "
        "from that day (and then along the counterfactual pathway, on their own random numbers), or null: costs nothing "
        "from then on (died, moved away). Every exit state of the pathway must be named when there is a counterfactual.",
    )
    horizon_months: int | None = Field(
        None,
        ge=1,
        le=720,
        description="Months from the contract start to the day avoided costs are counted to, the same whether or not "
        "the service stopped. Empty: the contract's last day (the service and outcome months).",
        json_schema_extra={"unit": "months"},
    )
    daily_costs: dict[str, DailyCost] = Field(
        default_factory=dict,
        description="Cost per participant-day in a state of the pathway or of the counterfactual (same-named states share "
        "a cost). An exit state's days are costed as the counterfactual state it continues in.",
    )
    outcome_values: dict[str, Amount] = Field(
        default_factory=dict,
        description="Societal value per year of each milestone reached (milestone name → kr a year).",
        json_schema_extra={"unit": "kr per year"},
    )
    value_horizon_years: float = Field(
        5.0,
        gt=0,
        le=60,
        description="Years a milestone's societal value is counted, from the day it is reached.",
        json_schema_extra={"unit": "years"},
    )

    def check_names(self, pathway: Pathway, milestones: Iterable[str]) -> None:
        """Every state and milestone named here exists, and every exit of the pathway says where
        the person goes on: an unstated exit would silently cost nothing."""
        states = set(pathway.states)
        counter = set(self.counterfactual.states) if self.counterfactual is not None else set()
        for state in self.daily_costs:
            if state not in states | counter:
                raise ValueError(
                    say(
                        "economics.daily_costs.{state}: det finns inget sådant tillstånd i förloppet eller i det kontrafaktiska förloppet",
                        "economics.daily_costs.{state}: no such state in the pathway or the counterfactual",
                        state=state,
                    )
                )
        milestones = set(milestones)
        for name in self.outcome_values:
            if name not in milestones:
                raise ValueError(
                    say(
                        "economics.outcome_values.{name}: det finns ingen sådan milstolpe (milstolpar: {milestones})",
                        "economics.outcome_values.{name}: no such milestone (milestones: {milestones})",
                        name=name,
                        milestones=sorted(milestones),
                    )
                )
        if self.counterfactual is None:
            if self.after_exit:
                raise ValueError(
                    say(
                        "economics.after_exit: kräver ett kontrafaktiskt förlopp (economics.counterfactual) att fortsätta i",
                        "economics.after_exit: needs a counterfactual to go on along",
                    )
                )
            return
        self._check_after_exit(pathway, counter)

    def _check_after_exit(self, pathway: Pathway, counter: set[str]) -> None:
        exits = [name for name, s in pathway.states.items() if s.absorbing]
        allowed = ", ".join(sorted(counter)) + say(" eller null (kostar ingenting)", " or null (costs nothing)")
        for state, target in self.after_exit.items():
            if state not in exits:
                raise ValueError(
                    say(
                        "economics.after_exit.{state}: är inte ett sluttillstånd i förloppet (sluttillstånd: {exits})",
                        "economics.after_exit.{state}: not an exit state of the pathway (exit states: {exits})",
                        state=state,
                        exits=exits,
                    )
                )
            if target is not None and target not in counter:
                raise ValueError(
                    say(
                        "economics.after_exit.{state}: det kontrafaktiska förloppet har inget tillstånd '{target}' (tillåtna: {allowed})",
                        "economics.after_exit.{state}: no such counterfactual state '{target}' (allowed: {allowed})",
                        state=state,
                        target=target,
                        allowed=allowed,
                    )
                )
        missing = [state for state in exits if state not in self.after_exit]
        if missing:
            raise ValueError(
                say(
                    "economics.after_exit.{first}: varje sluttillstånd i förloppet måste ange vilket tillstånd "
                    "i det kontrafaktiska förloppet det fortsätter i (saknas: {missing}; tillåtna: {allowed})",
                    "economics.after_exit.{first}: every exit state of the pathway must say which "
                    "counterfactual state it goes on in (missing: {missing}; allowed: {allowed})",
                    first=missing[0],
                    missing=", ".join(missing),
                    allowed=allowed,
                )
            )
        for state in self.daily_costs:
            if state in exits and state not in counter:
                raise ValueError(
                    say(
                        "economics.daily_costs.{state}: dagarna i ett sluttillstånd kostar som det tillstånd i det "
                        "kontrafaktiska förloppet som det fortsätter i (economics.after_exit.{state}); ange kostnaden där",
                        "economics.daily_costs.{state}: an exit state's days are costed as the counterfactual "
                        "state it goes on in (economics.after_exit.{state}); give the cost there",
                        state=state,
                    )
                )


# ---------------------------------------------------------------- scenario


class Scenario(Frozen):
    """One outcome-based contract, its participants, pathway and provider."""

    name: str = Field(min_length=1, description="The scenario's name, shown in reports and the dashboard.")
    description: Note = Field(
        "", description="Free text: what the scenario is and why; one text, or {sv: …, en: …} for readers of each language."
    )
    currency: str = Field("SEK", min_length=3, max_length=3, description="Currency code of every amount (ISO 4217).")
    start_date: dt.date = Field(
        description="The contract's first day; every event has a real date (from 2000 to 2100).",
        ge=dt.date(2000, 1, 1),
        le=dt.date(2100, 12, 31),
    )
    sources: dict[str, Note] = Field(
        default_factory=dict,
        description="Parameter path → its source: the works it rests on, cited by key as [key] from "
        "docs/sources.md, or 'assumption: why' ('antagande: varför'); one text, or {sv: …, en: …} for readers of each language.",
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

    def about(self, lang: str | None = None) -> str:
        """The description in ``lang`` (or the language in force)."""
        return in_language(self.description, lang)

    def source(self, path: str, lang: str | None = None) -> tuple[str, str]:
        """The source of the parameter at ``path``: (the ``sources`` key that covers it, the
        note in ``lang``). The most specific key wins: ``contract.rate_card`` covers
        ``contract.rate_card.housed.price`` unless that has its own; ("", "") when none does."""
        found = max((k for k in self.sources if path == k or path.startswith((k + ".", k + "["))), key=len, default="")
        return (found, in_language(self.sources[found], lang)) if found else ("", "")

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:  # noqa: C901 (each cross-reference between the scenario's parts, checked in turn)
        states = self.pathway.states
        for name, m in self.milestones.items():
            for state in m.states:
                if state not in states:
                    raise ValueError(f"milestones.{name}.state: " + _NO_SUCH_STATE(state=state, states=sorted(states)))
        for name in self.contract.rate_card:
            if name not in self.milestones:
                raise ValueError(
                    say(
                        "contract.rate_card.{name}: det finns ingen sådan milstolpe (milstolpar: {milestones})",
                        "contract.rate_card.{name}: no such milestone (milestones: {milestones})",
                        name=name,
                        milestones=sorted(self.milestones),
                    )
                )
        months = self.contract.service_months + self.contract.outcome_tail_months
        fin = self.financing
        if fin.loan is not None and fin.loan.paid_out_month >= months:
            raise ValueError("financing.loan.paid_out_month: " + _within_the_contract(months, fin.loan.paid_out_month))
        for j, tranche in enumerate(fin.investor.tranches if fin.investor is not None else []):
            if tranche.month >= months:
                raise ValueError(f"financing.investor.tranches[{j}].month: " + _within_the_contract(months, tranche.month))
        econ = self.economics
        if econ is not None:
            econ.check_names(self.pathway, self.milestones)
        if self.contract.per_day and fin.investor is not None:
            raise ValueError(
                say(
                    "contract.per_day: inte tillsammans med financing.investor (en investerare får ersättningarna "
                    "enligt rate_card; ersättningar per dag går ännu inte till den): använd det ena eller det andra",
                    "contract.per_day: not with financing.investor (an outcome investor receives the rate card's "
                    "payments; day payments are not routed to it yet): use one or the other",
                )
            )
        for name, rate in self.contract.per_day.items():
            for field in ("states", "deducted_states"):
                for state in getattr(rate, field):
                    if state not in states:
                        raise ValueError(f"contract.per_day.{name}.{field}: " + _NO_SUCH_STATE(state=state, states=sorted(states)))
            for state in rate.exit_payment.states if rate.exit_payment is not None else []:
                if state not in states:
                    raise ValueError(f"contract.per_day.{name}.exit_payment.states: " + _NO_SUCH_STATE(state=state, states=sorted(states)))
        for part in ("employment", "leases"):
            holder = getattr(self.provider, part)
            for state in holder.states if holder is not None else []:
                if state not in states:
                    raise ValueError(f"provider.{part}.states: " + _NO_SUCH_STATE(state=state, states=sorted(states)))
        cont = self.insolvency.continuation
        if cont is not None and cont.gap_days and cont.gap_cost_per_participant_day is None:
            start = econ.counterfactual.start if econ is not None and econ.counterfactual is not None else None
            if start is None or econ is None or start not in econ.daily_costs:
                raise ValueError(
                    say(
                        "insolvency.continuation.gap_cost_per_participant_day: måste anges (ett tal, minst 0, kr) när det finns dagar "
                        "utan stöd (gap_days) och scenariot inte har något kontrafaktiskt förlopp vars starttillstånd har en kostnad "
                        "per dag (economics)",
                        "insolvency.continuation.gap_cost_per_participant_day: required (a number >= 0, kr) when the gap has days "
                        "and the scenario has no counterfactual pathway whose start state has a daily cost (economics)",
                    )
                )
        referrals = self.participants.referrals
        for k, cohort in enumerate(referrals.cohorts or []):
            if cohort.date < self.start_date:
                raise ValueError(
                    say(
                        "participants.referrals.cohorts[{k}].date: får inte vara före start_date ({start}), angivet: {date}",
                        "participants.referrals.cohorts[{k}].date: must be on or after start_date ({start}), got {date}",
                        k=k,
                        start=self.start_date,
                        date=cohort.date,
                    )
                )
        if self.capacity.places is not None and not states[self.pathway.start].holds_place:
            raise ValueError(
                say(
                    "pathway.states.{start}.occupies_place: starttillståndet måste ta en plats när antalet platser är begränsat",
                    "pathway.states.{start}.occupies_place: the start state must hold a place when places are limited",
                    start=self.pathway.start,
                )
            )
        return self

    @model_validator(mode="after")
    def _pricing_within_reach(self) -> Scenario:
        """Pricing simulates every referral of the contract in every pricing replication before
        anything else can be shown (``sib validate``, the dashboard's first figure). Each limit
        alone allows hours of it (10 000 replications of 1 000 referrals a month for 20 years):
        the two together are held to ``MAX_PRICING_REFERRALS``, about six seconds here."""
        most = self.most_referrals()
        replications = self.contract.pricing.replications
        if most * replications > MAX_PRICING_REFERRALS:
            raise ValueError(
                say(
                    "contract.pricing.replications: prissättningen skulle simulera {reps} gånger upp till {most} remisser, "
                    "{work} i allt; högst {limit} är tillåtna (minska replikeringarna eller remisserna)",
                    "contract.pricing.replications: pricing would simulate up to {most} referrals {reps} times, "
                    "{work} in all; at most {limit} are allowed (lower the replications or the referrals)",
                    reps=group(replications, lang=language()),
                    most=group(most, lang=language()),
                    work=group(most * replications, lang=language()),
                    limit=group(MAX_PRICING_REFERRALS, lang=language()),
                )
            )
        return self

    def most_referrals(self) -> int:
        """The most referrals the contract can have, as its limits read: the highest rate any
        period can reach over the whole service, or every cohort at its largest."""
        referrals = self.participants.referrals
        if referrals.cohorts is not None:
            return sum(c.size if isinstance(c.size, int) else int(c.size.support()[1]) for c in referrals.cohorts)
        rates = referrals.per_month if isinstance(referrals.per_month, list) else [referrals.per_month]
        top = max(_upper(r.per_month if isinstance(r, RatePeriod) else r) for r in rates)
        return math.ceil(min(top, MAX_REFERRALS_PER_MONTH) * self.contract.service_months)

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
    def files_vat_returns(self) -> bool:
        """Whether the provider adds VAT to the contract's payments and deducts the VAT on its
        purchases in monthly returns: a taxable provider paid for a service, not by a grant."""
        vat = self.provider.vat
        return vat is not None and vat.status == "taxable" and not self.contract.grant

    @property
    def outcome_window_end(self) -> dt.date:
        from sib.calendar import add_months

        return add_months(self.start_date, self.contract.service_months + self.contract.outcome_tail_months)


_NO_SUCH_STATE = Text("det finns inget tillstånd '{state}' (tillstånd: {states})", "no such state '{state}' (states: {states})")


def _within_the_contract(months: int, got: int) -> str:
    """The rule of a month in the contract: before its last (service and outcome) month."""
    return say(
        "måste vara mindre än {months} (avtalets månader med tjänst och utfall), angivet: {got}",
        "must be < {months} (the service and outcome months), got {got}",
        months=months,
        got=got,
    )


T = TypeVar("T")


#: How many scenarios' tables and prices ``per_scenario`` keeps (the least recently used go).
KEPT = 64


def _remember(store: dict[Any, Any], key: Any, value: Any) -> None:
    """``value`` as the most recently used under ``key``; beyond ``KEPT``, the least recent goes."""
    store.pop(key, None)
    store[key] = value
    while len(store) > KEPT:
        del store[next(iter(store))]


class per_scenario(Generic[T]):  # noqa: N801 (used as a decorator, named like one)
    """Cache what is computed once per scenario (compiled tables, pricing) on its digest.

    Keyed on the digest, not the object: two equal scenarios share the work, and a copy with
    one value changed does not. The 64 most recently used are kept: a sweep through many
    variants does not make the scenarios it started from be priced again."""

    def __init__(self, fn: Callable[[Scenario], T]):
        functools.update_wrapper(self, fn)
        self._fn = fn
        self._cache: dict[str, T] = {}
        # The same object asked again (every replication of a study asks) is answered without
        # hashing it: by its id, held together with the object so the id cannot be reused.
        self._by_id: dict[int, tuple[Scenario, str, T]] = {}

    def __call__(self, scenario: Scenario) -> T:
        same = self._by_id.get(id(scenario))
        if same is not None and same[0] is scenario:
            key, found = same[1], same[2]
        else:
            key = scenario.digest
            cached = self._cache.get(key)
            found = self._fn(scenario) if cached is None else cached
        _remember(self._cache, key, found)
        _remember(self._by_id, id(scenario), (scenario, key, found))
        return found

    def prime(self, scenario: Scenario, value: T) -> None:
        """Store what was computed elsewhere (pricing done in a worker process)."""
        _remember(self._cache, scenario.digest, value)
        self._by_id.pop(id(scenario), None)

    def known(self, scenario: Scenario) -> bool:
        return scenario.digest in self._cache
