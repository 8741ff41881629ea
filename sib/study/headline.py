"""The figures a study is read by, in Swedish and English: what the CLI prints first and the
dashboard shows as cards. Each is a metric, a statistic and how to show it."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from sib.fmt import group, kr, percent
from sib.i18n import pick, say
from sib.scenario.schema import Scenario
from sib.study.results import Results
from sib.study.stats import Estimate

Kind = Literal["money", "share", "count", "days"]
Section = Literal["municipality", "participants", "provider", "financiers"]

#: Whom a group of figures is about, in the order a study is read: what the municipality pays
#: first, then what it gets, then whether the provider carries it, then its financiers.
SECTIONS: dict[str, tuple[str, str]] = {
    "municipality": ("Kommunen", "The municipality"),
    "participants": ("Deltagarna", "The participants"),
    "provider": ("Utföraren", "The provider"),
    "financiers": ("Garant och investerare", "Guarantor and investor"),
}


@dataclass(frozen=True)
class Figure:
    metric: str
    statistic: str  # mean, probability, p05, p50, p95
    kind: Kind
    sv: str
    en: str
    section: Section
    only_if: str | None = None  # shown only when the scenario has this part
    help_sv: str = ""  # what the figure means, for a reader who asks
    help_en: str = ""
    below_zero_sv: str = ""  # what a negative value means, said next to it
    below_zero_en: str = ""

    def label(self, lang: str | None = None) -> str:
        return pick((self.sv, self.en), lang)

    def help(self, lang: str | None = None) -> str:
        return pick((self.help_sv, self.help_en), lang)

    def below_zero(self, lang: str | None = None) -> str:
        return pick((self.below_zero_sv, self.below_zero_en), lang)


_WHOLE_SV = (
    "Allt kommunen betalar ut – till utföraren, för att föra tjänsten vidare om utföraren inte klarar sig, "
    "för en borgen som tas i anspråk, dröjsmålsränta – minus det den får tillbaka, som momskompensation."
)
_WHOLE_EN = (
    "Everything the municipality pays out – to the provider, to carry the service on if the provider fails, "
    "for a guarantee called, late-payment interest – less what it gets back, such as VAT compensation."
)
_EXTRA_SV = (
    "Pengar utöver utförarens kassa och den kredit den redan har, som hade burit den genom kontraktet och "
    "betalat varje räkning i tid. Räkningar som får vänta några dagar gör att den ofta klarar sig med mindre."
)
_EXTRA_EN = (
    "Money beyond the provider's cash and the credit it already has that would have carried it through the "
    "contract with every bill paid on time. Bills that may wait a few days mean it often manages with less."
)
_LIQUIDITY_SV = "Kassa plus outnyttjad kredit. Under noll har utföraren räkningar den inte kan betala i tid."
_LIQUIDITY_EN = "Cash plus undrawn credit. Below zero the provider has bills it cannot pay on time."
_BEHIND_SV = "under noll: räkningar som inte kan betalas i tid"
_BEHIND_EN = "below zero: bills that cannot be paid on time"

HEADLINE: tuple[Figure, ...] = (
    Figure(
        "commissioner_whole_cost",
        "mean",
        "money",
        "Kommunens hela kostnad, genomsnitt",
        "The municipality's whole cost, average",
        "municipality",
        help_sv=_WHOLE_SV,
        help_en=_WHOLE_EN,
    ),
    Figure(
        "commissioner_whole_cost",
        "p95",
        "money",
        "Kommunens hela kostnad, högst i 95 % av fallen",
        "The municipality's whole cost, at most in 95% of cases",
        "municipality",
        help_sv=_WHOLE_SV,
        help_en=_WHOLE_EN,
    ),
    Figure(
        "commissioner_paid",
        "mean",
        "money",
        "Betalt till utföraren, genomsnitt",
        "Paid to the provider, average",
        "municipality",
        help_sv="Kontraktets fasta och utfallsbaserade ersättning.",
        help_en="The contract's fixed and outcome-based payments.",
    ),
    Figure("cost_per_outcome", "mean", "money", "Betalt per verifierat utfall", "Paid per verified outcome", "municipality"),
    Figure("outcome_claims_verified", "mean", "count", "Verifierade utfall", "Verified outcomes", "participants"),
    Figure("enrolled", "mean", "count", "Inskrivna deltagare", "Participants enrolled", "participants"),
    Figure(
        "provider_insolvent",
        "probability",
        "share",
        "Risk att utföraren inte kan betala",
        "Probability the provider cannot pay",
        "provider",
        help_sv="Bristen på pengar är mer än tillfällig: räkningar går över sin anståndstid (konkurslagen 1 kap. 2 §).",
        help_en="The shortage of cash is more than temporary: bills run past their grace days.",
    ),
    Figure("service_stopped", "probability", "share", "Risk att tjänsten upphör", "Probability the service stops", "provider"),
    Figure(
        "funding_need",
        "p50",
        "money",
        "Extra kredit som behövs, median",
        "Extra credit needed, median",
        "provider",
        help_sv=_EXTRA_SV,
        help_en=_EXTRA_EN,
    ),
    Figure(
        "funding_need",
        "p95",
        "money",
        "Extra kredit som bär utföraren i 95 % av fallen",
        "Extra credit that carries the provider in 95% of cases",
        "provider",
        help_sv=_EXTRA_SV,
        help_en=_EXTRA_EN,
    ),
    Figure(
        "provider_min_liquidity",
        "p50",
        "money",
        "Utförarens lägsta likviditet, median",
        "Provider's lowest liquidity, median",
        "provider",
        help_sv=_LIQUIDITY_SV,
        help_en=_LIQUIDITY_EN,
        below_zero_sv=_BEHIND_SV,
        below_zero_en=_BEHIND_EN,
    ),
    Figure(
        "provider_min_liquidity",
        "p05",
        "money",
        "Utförarens lägsta likviditet, 5 % sämsta",
        "Provider's lowest liquidity, worst 5%",
        "provider",
        help_sv=_LIQUIDITY_SV,
        help_en=_LIQUIDITY_EN,
        below_zero_sv=_BEHIND_SV,
        below_zero_en=_BEHIND_EN,
    ),
    Figure(
        "shortfall_days",
        "p95",
        "days",
        "Dagar efter med betalningar, högst i 95 % av fallen",
        "Days behind with payments, at most in 95% of cases",
        "provider",
        help_sv="Dagar som slutar med räkningar som har förfallit men inte betalats.",
        help_en="Days that end with bills past due and unpaid.",
    ),
    Figure(
        "shortfall_cost",
        "mean",
        "money",
        "Dröjsmålsränta utföraren betalar, genomsnitt",
        "Late-payment interest the provider pays, average",
        "provider",
        help_sv="Räntan på räkningar som betalas för sent (räntelagen 6 §).",
        help_en="The interest on bills paid late.",
    ),
    Figure(
        "invoice_financing_cost",
        "mean",
        "money",
        "Kostnad för fakturabelåning, genomsnitt",
        "Cost of invoice financing, average",
        "provider",
        only_if="financing.invoice_financing",
        help_sv="Ränta och avgifter för förskott mot kommunens godkända fakturor, betalda när kommunen betalar fakturan.",
        help_en="Interest and fees on advances against the municipality's approved invoices, paid when it pays the invoice.",
    ),
    Figure(
        "invoice_advance_peak",
        "p95",
        "money",
        "Belånade fakturor som mest, högst i 95 % av fallen",
        "Invoice advances at their peak, at most in 95% of cases",
        "provider",
        only_if="financing.invoice_financing",
        help_sv="Det största belopp utföraren har lånat mot obetalda fakturor på en gång.",
        help_en="The most the provider has borrowed against unpaid invoices at one time.",
    ),
    Figure(
        "guarantee_called",
        "probability",
        "share",
        "Risk att garantin tas i anspråk",
        "Probability the guarantee is called",
        "financiers",
        only_if="financing.guarantee",
    ),
    Figure(
        "guarantor_result",
        "mean",
        "money",
        "Garantigivarens resultat, genomsnitt",
        "Guarantor's result, average",
        "financiers",
        only_if="financing.guarantee",
    ),
    Figure(
        "investor_irr",
        "p50",
        "share",
        "Investerarens avkastning (IRR), median",
        "Investor's IRR, median",
        "financiers",
        only_if="financing.investor",
    ),
    Figure(
        "investor_loss",
        "probability",
        "share",
        "Risk att investeraren förlorar kapital",
        "Probability the investor loses capital",
        "financiers",
        only_if="financing.investor",
    ),
)


def section_label(section: str, lang: str) -> str:
    return pick(SECTIONS[section], lang)


def applies(figure: Figure, results: Results) -> bool:
    """Whether the figure says something here: the metric exists, is not empty in every
    replication (an investor's IRR where no investor was ever repaid), and its part of the
    scenario is set."""
    if figure.metric not in results.summary:
        return False
    values = results.values(figure.metric)
    if values.dtype.kind == "f" and np.isnan(values).all():
        return False
    if figure.only_if is None:
        return True
    part, name = figure.only_if.split(".")
    return getattr(getattr(results.scenario, part), name) is not None


def leaves_out_continuation(scenario: Scenario) -> bool:
    """Whether the whole cost misses part of the municipality's cost: the provider can stop,
    but the scenario does not say what carrying the participants on would then cost."""
    rule = scenario.insolvency
    return rule.rule == "stop" and rule.continuation is None


def continuation_note(lang: str) -> str:
    """Said wherever the whole cost is shown for a scenario that ``leaves_out_continuation``."""
    return say(
        "Scenariot säger inte vad det kostar kommunen att ta hand om deltagarna om tjänsten upphör, "
        "så kommunens hela kostnad räknar inte med det.",
        "The scenario does not say what it would cost the municipality to carry the participants on if the "
        "service stops, so the municipality's whole cost leaves that out.",
        lang,
    )


def estimate(results: Results, figure: Figure) -> Estimate:
    """The figure's estimate with its 95 % interval kept within what the replications showed:
    an average of amounts that are never negative (late-payment interest paid in a few
    replications) is not shown with an interval reaching below zero."""
    e = results.kpi(figure.metric, figure.statistic)
    if figure.statistic == "probability" or e.n == 0 or math.isnan(e.low):
        return e
    values = results.values(figure.metric).astype(float)
    lowest, highest = float(np.nanmin(values)), float(np.nanmax(values))
    return replace(e, low=min(max(e.low, lowest), e.value), high=max(min(e.high, highest), e.value))


def show(value: float, kind: Kind, lang: str, currency: str = "SEK", space: str = " ") -> str:
    """One figure; ``space`` groups thousands (a no-break space keeps an amount on one line)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "money":
        return kr(value, lang=lang, currency=currency, space=space).replace(" ", space)
    if kind == "share":
        return percent(value, lang=lang).replace(" ", space)
    if kind == "days":
        return f"{group(value, 0, lang=lang, space=space)}{space}{say('dagar', 'days', lang)}"
    return group(value, 1 if abs(value) < 100 else 0, lang=lang, space=space)


def interval(e: Estimate, kind: Kind, lang: str, currency: str = "SEK", space: str = " ", two_lines: bool = False) -> str:
    """'12,0 % (9,1 % – 15,6 %)': the estimate and its 95 % interval (``two_lines``: the
    interval on a line of its own, for narrow table cells)."""
    value, between = show(e.value, kind, lang, currency, space), span(e, kind, lang, currency, space)
    if not between:
        return value
    return f"{value}\n[dim]{between}[/]" if two_lines else f"{value} ({between})"


def span(e: Estimate, kind: Kind, lang: str, currency: str = "SEK", space: str = " ") -> str:
    """'9,1 % – 15,6 %': the 95 % interval alone ('' where there is none, or where it is a
    single value)."""
    if e.n == 0 or math.isnan(e.low) or e.low == e.high:  # every replication the same: nothing to say
        return ""
    return f"{show(e.low, kind, lang, currency, space)} – {show(e.high, kind, lang, currency, space)}"


def sentence(results: Results, lang: str = "sv") -> str:
    """The main result in plain sentences: what the municipality pays in all and what of it
    goes to the provider, how often the provider cannot pay, and the credit that would carry
    it, e.g. 'With 75 % outcome-based pay and no guarantee, the municipality's whole cost is …'."""
    parts = [_cost_sentence(results, lang), _risk_sentence(results, lang), _credit_sentence(results, lang)]
    if leaves_out_continuation(results.scenario):
        parts.append(continuation_note(lang))
    return " ".join(parts)


def _design(results: Results, lang: str) -> str:
    """'Med 40 % utfallsbaserad ersättning och en garanti från Mikrofonden på högst 400 000 kr, så
    att banken lånar ut 944 444 kr' — what the guarantee is, and the credit it makes possible."""
    fin = results.scenario.financing
    share = percent(results.priced.outcome_share_expected, 0, lang)
    g = fin.guarantee
    if g is not None:
        mikrofonden = g.guarantor == "mikrofonden"
        who = (
            say("en garanti från Mikrofonden", "a Mikrofonden guarantee", lang)
            if mikrofonden
            else say("kommunal borgen", "a municipal guarantee", lang)
        )
        on = percent(g.share, 0, lang)
        cur = results.scenario.currency
        if fin.guaranteed_credit > 0:
            most, line = kr(g.max_amount or 0.0, lang=lang, currency=cur), kr(fin.credit_limit, lang=lang, currency=cur)
            support = say(
                " och {who} på högst {most}, så att banken lånar ut {line}",
                " and {who} of at most {most}, so that the bank lends {line}",
                lang,
                who=who,
                most=most,
                line=line,
            )
        else:
            support = say(" och {who} på {on} av krediten", " and {who} on {on} of the credit", lang, who=who, on=on)
    elif fin.credit_line is not None or fin.loan is not None:
        support = say(" utan garanti", " and no guarantee", lang)
    else:
        support = ""
    return say(
        "Med {share} utfallsbaserad ersättning{support}", "With {share} outcome-based pay{support}", lang, share=share, support=support
    )


def _cost_sentence(results: Results, lang: str) -> str:
    cur = results.scenario.currency
    whole, whole_p95 = results.kpi("commissioner_whole_cost", "mean"), results.kpi("commissioner_whole_cost", "p95")
    paid = results.kpi("commissioner_paid", "mean")
    money = [kr(e.value, lang=lang, currency=cur) for e in (whole, whole_p95, paid)]
    return say(
        "{design} blir kommunens hela kostnad i genomsnitt {whole}, och högst {high} i 95 % av fallen; "
        "till utföraren betalar den i genomsnitt {paid}.",
        "{design}, the municipality's whole cost is {whole} on average, and at most {high} in 95% of cases; "
        "it pays the provider {paid} on average.",
        lang,
        design=_design(results, lang),
        whole=money[0],
        high=money[1],
        paid=money[2],
    )


def _risk_sentence(results: Results, lang: str) -> str:
    risk = results.kpi("provider_insolvent", "probability")
    shown = f"{percent(risk.value, 0, lang)} ({percent(risk.low, 0, lang)}–{percent(risk.high, 0, lang)})"
    return say(
        "Utföraren kan inte betala sina utgifter i {shown} av simuleringarna.",
        "The provider cannot meet its payments in {shown} of simulations.",
        lang,
        shown=shown,
    )


def _credit_sentence(results: Results, lang: str) -> str:
    """The funding need as the credit to arrange: what carries the provider in 95 % of cases,
    and in half of them."""
    cur = results.scenario.currency
    p50, p95 = (results.kpi("funding_need", q).value for q in ("p50", "p95"))
    if not p95 > 0:
        return say(
            "Utförarens kassa och kredit räcker i minst 95 % av fallen.",
            "The provider's cash and credit carry it in at least 95% of cases.",
            lang,
        )
    half = (
        say("i hälften av fallen räcker {p50}", "half of the cases need at most {p50}", lang, p50=kr(p50, lang=lang, currency=cur))
        if p50 > 0
        else say("i hälften av fallen räcker den kredit den har", "in half of the cases its credit is enough", lang)
    )
    return say(
        "För att klara sig i 95 % av fallen behöver utföraren {need} mer i kredit än den har ({half}).",
        "To carry it through in 95% of cases the provider needs {need} more credit than it has ({half}).",
        lang,
        need=kr(p95, lang=lang, currency=cur),
        half=half,
    )
