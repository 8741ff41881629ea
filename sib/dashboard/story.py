"""What a workshop step showed, said in a sentence made from its own numbers: the risk that
the provider cannot pay and how it moved from the step before, how deep its cash goes in the
worst cases, the credit that would carry it, and the municipality's whole cost. The numbers in
the sentence are the ones on the cards, rounded the same way, so the words cannot say "up"
where the cards say "down"."""

from __future__ import annotations

from sib.fmt import group, mnkr, percent
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
    sv = lang == "sv"
    cur = r.scenario.currency
    risk = r.kpi("provider_insolvent", "probability").value
    now = risk_points(risk)
    text = (f"Risken att utföraren inte kan betala är {percent(now / 100, 0, lang)}" if sv
            else f"The probability that the provider cannot pay is {percent(now / 100, 0, lang)}")
    if before is not None:
        then = risk_points(before.kpi("provider_insolvent", "probability").value)
        d = now - then
        if d == 0:
            text += " (oförändrad)" if sv else " (unchanged)"
        elif sv:
            text += f" ({'upp' if d > 0 else 'ned'} {group(abs(d), 0, lang)} procentenheter från {percent(then / 100, 0, lang)})"
        else:
            text += f" ({'up' if d > 0 else 'down'} {abs(d)} percentage points from {percent(then / 100, 0, lang)})"
    text += ". "
    low = r.kpi("provider_min_liquidity", "p05").value
    need = r.kpi("funding_need", "p95").value
    if sv:
        text += (f"I de 5 % sämsta fallen går likviditeten ner till {amount(low, lang, cur)}" if low < 0
                 else f"I de 5 % sämsta fallen har utföraren ändå {amount(low, lang, cur)} kvar att betala med")
        text += (f"; {amount(need, lang, cur)} mer kredit hade burit den i 95 % av fallen. " if need > 0
                 else "; kassan och krediten räcker i 95 % av fallen. ")
        text += f"Kommunens hela kostnad blir i genomsnitt {amount(r.kpi('commissioner_whole_cost', 'mean').value, lang, cur)}."
    else:
        text += (f"In the worst 5% of cases its liquidity goes down to {amount(low, lang, cur)}" if low < 0
                 else f"In the worst 5% of cases the provider still has {amount(low, lang, cur)} to pay with")
        text += (f"; {amount(need, lang, cur)} more credit would have carried it in 95% of cases. " if need > 0
                 else "; its cash and credit carry it in 95% of cases. ")
        text += f"The municipality's whole cost is {amount(r.kpi('commissioner_whole_cost', 'mean').value, lang, cur)} on average."
    return text
