"""What a workshop step showed, said in a sentence made from its own numbers: the risk that
the provider cannot pay and how it moved from the step before, how deep its cash goes in the
worst cases, the credit that would carry it, and the municipality's whole cost. The numbers in
the sentence are the ones on the cards, rounded the same way, so the words cannot say "up"
where the cards say "down"."""

from __future__ import annotations

from sib.fmt import group, mnkr, percent
from sib.i18n import say
from sib.study.results import Results


def amount(value: float, lang: str, currency: str = "SEK") -> str:
    """An amount for a projector: in mnkr, two decimals below 10 mnkr (credit, cash), one above."""
    return mnkr(value, 2 if abs(value) < 10e6 else 1, lang, currency)


def risk_points(value: float) -> int:
    """The risk as the whole per cent shown on the card."""
    return round(100 * value)


def result_sentence(r: Results, before: Results | None, lang: str) -> str:
    """The step's result: its risk (and the change in percentage points from the step before,
    as the cards round it), the worst 5 % of its lowest liquidity, the extra credit that would
    carry the provider in 95 % of the cases, and the municipality's whole cost."""
    cur = r.scenario.currency
    risk = r.kpi("provider_insolvent", "probability").value
    now = risk_points(risk)
    text = say(
        "Risken att utföraren inte kan betala är {risk}",
        "The probability that the provider cannot pay is {risk}",
        lang,
        risk=percent(now / 100, 0, lang),
    )
    if before is not None:
        then = risk_points(before.kpi("provider_insolvent", "probability").value)
        d = now - then
        was = percent(then / 100, 0, lang)
        if d == 0:
            text += say(" (oförändrad)", " (unchanged)", lang)
        elif d > 0:
            text += say(
                " (upp {d} procentenheter från {was})", " (up {d} percentage points from {was})", lang, d=group(d, 0, lang), was=was
            )
        else:
            text += say(
                " (ned {d} procentenheter från {was})", " (down {d} percentage points from {was})", lang, d=group(-d, 0, lang), was=was
            )
    text += ". "
    low = r.kpi("provider_min_liquidity", "p05").value
    need = r.kpi("funding_need", "p95").value
    shown = {
        "low": amount(low, lang, cur),
        "need": amount(need, lang, cur),
        "whole": amount(r.kpi("commissioner_whole_cost", "mean").value, lang, cur),
    }
    text += (
        say(
            "I de 5 % sämsta fallen går likviditeten ner till {low}",
            "In the worst 5% of cases its liquidity goes down to {low}",
            lang,
            **shown,
        )
        if low < 0
        else say(
            "I de 5 % sämsta fallen har utföraren ändå {low} kvar att betala med",
            "In the worst 5% of cases the provider still has {low} to pay with",
            lang,
            **shown,
        )
    )
    text += (
        say(
            "; {need} mer kredit hade burit den i 95 % av fallen. ",
            "; {need} more credit would have carried it in 95% of cases. ",
            lang,
            **shown,
        )
        if need > 0
        else say("; kassan och krediten räcker i 95 % av fallen. ", "; its cash and credit carry it in 95% of cases. ", lang)
    )
    text += say("Kommunens hela kostnad blir i genomsnitt {whole}.", "The municipality's whole cost is {whole} on average.", lang, **shown)
    return text
