"""The figures a study is read by, in Swedish and English: what the CLI prints first and the
dashboard shows as cards. Each is a metric, a statistic and how to show it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from sib.fmt import group, kr, percent
from sib.study.results import Results
from sib.study.stats import Estimate

Kind = Literal["money", "share", "count"]


@dataclass(frozen=True)
class Figure:
    metric: str
    statistic: str  # mean, probability, p05, p50, p95
    kind: Kind
    sv: str
    en: str
    only_if: str | None = None  # shown only when the scenario has this part

    def label(self, lang: str) -> str:
        return self.sv if lang == "sv" else self.en


HEADLINE: tuple[Figure, ...] = (
    Figure("commissioner_paid", "mean", "money", "Kommunen betalar, väntevärde", "Municipality pays, expected"),
    Figure("commissioner_paid", "p95", "money", "Kommunen betalar, 95 % av fallen högst", "Municipality pays, 95% of cases at most"),
    Figure("cost_per_outcome", "mean", "money", "Kostnad per verifierat utfall", "Cost per verified outcome"),
    Figure("outcome_claims_verified", "mean", "count", "Verifierade utfall", "Verified outcomes"),
    Figure("enrolled", "mean", "count", "Inskrivna deltagare", "Participants enrolled"),
    Figure("provider_insolvent", "probability", "share", "Risk att utföraren inte kan betala", "Probability the provider cannot pay"),
    Figure("service_stopped", "probability", "share", "Risk att tjänsten upphör", "Probability the service stops"),
    Figure("provider_min_liquidity", "p50", "money", "Utförarens lägsta likviditet, median", "Provider's lowest liquidity, median"),
    Figure("provider_min_liquidity", "p05", "money", "Utförarens lägsta likviditet, 5 % sämsta", "Provider's lowest liquidity, worst 5%"),
    Figure("funding_need", "p95", "money", "Finansieringsbehov, 95 %", "Funding need, 95th percentile"),
    Figure("guarantee_called", "probability", "share", "Risk att garantin tas i anspråk", "Probability the guarantee is called",
           only_if="financing.guarantee"),
    Figure("guarantor_result", "mean", "money", "Garantigivarens resultat, väntevärde", "Guarantor's result, expected",
           only_if="financing.guarantee"),
    Figure("investor_irr", "p50", "share", "Investerarens avkastning (IRR), median", "Investor's IRR, median", only_if="financing.investor"),
    Figure("investor_loss", "probability", "share", "Risk att investeraren förlorar kapital", "Probability the investor loses capital",
           only_if="financing.investor"),
)


def applies(figure: Figure, results: Results) -> bool:
    """Whether the figure says something here: the metric exists, is not empty in every
    replication (a funding need under the stop rule), and its part of the scenario is set."""
    if figure.metric not in results.summary:
        return False
    values = results.values(figure.metric)
    if values.dtype.kind == "f" and np.isnan(values).all():
        return False
    if figure.only_if is None:
        return True
    part, name = figure.only_if.split(".")
    return getattr(getattr(results.scenario, part), name) is not None


def show(value: float, kind: Kind, lang: str, currency: str = "SEK", space: str = " ") -> str:
    """One figure; ``space`` groups thousands (a no-break space keeps an amount on one line)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "money":
        return kr(value, lang=lang, currency=currency, space=space).replace(" ", space)
    if kind == "share":
        return percent(value, lang=lang).replace(" ", space)
    return group(value, 1 if abs(value) < 100 else 0, lang=lang, space=space)


def interval(e: Estimate, kind: Kind, lang: str, currency: str = "SEK", space: str = " ", two_lines: bool = False) -> str:
    """'12,0 % (9,1 % – 15,6 %)': the estimate and its 95 % interval (``two_lines``: the
    interval on a line of its own, for narrow table cells)."""
    value, between = show(e.value, kind, lang, currency, space), span(e, kind, lang, currency, space)
    if not between:
        return value
    return f"{value}\n[dim]{between}[/]" if two_lines else f"{value} ({between})"


def span(e: Estimate, kind: Kind, lang: str, currency: str = "SEK", space: str = " ") -> str:
    """'9,1 % – 15,6 %': the 95 % interval alone ('' where there is none)."""
    if e.n == 0 or math.isnan(e.low):
        return ""
    return f"{show(e.low, kind, lang, currency, space)} – {show(e.high, kind, lang, currency, space)}"


def sentence(results: Results, lang: str = "sv") -> str:
    """The main result in one plain sentence, e.g. 'With 75 % outcome-based pay and no
    guarantee, the provider runs out of cash in 18 % of simulations (14–23 %) …'."""
    sc, p = results.scenario, results.priced
    fin = sc.financing
    cur = sc.currency
    share = percent(p.outcome_share_expected, 0, lang)
    risk = results.kpi("provider_insolvent", "probability")
    mean, p95 = results.kpi("commissioner_paid", "mean"), results.kpi("commissioner_paid", "p95")
    if fin.guarantee is not None:
        who = ("en garanti från Mikrofonden" if fin.guarantee.guarantor == "mikrofonden" else "kommunal borgen") if lang == "sv" else (
            "a Mikrofonden guarantee" if fin.guarantee.guarantor == "mikrofonden" else "a municipal guarantee")
        support = f" och {who} på {percent(fin.guarantee.share, 0, lang)} av krediten" if lang == "sv" else (
            f" and {who} on {percent(fin.guarantee.share, 0, lang)} of the credit")
    elif fin.credit_line is not None or fin.loan is not None:
        support = " utan garanti" if lang == "sv" else " and no guarantee"
    else:
        support = ""
    risk_text = f"{percent(risk.value, 0, lang)} ({percent(risk.low, 0, lang)}–{percent(risk.high, 0, lang)})"
    if lang == "sv":
        return (f"Med {share} utfallsbaserad ersättning{support} kan utföraren inte betala sina utgifter i {risk_text} "
                f"av simuleringarna. Kommunen betalar i genomsnitt {kr(mean.value, lang=lang, currency=cur)}, "
                f"och högst {kr(p95.value, lang=lang, currency=cur)} i 95 % av fallen.")
    return (f"With {share} outcome-based pay{support}, the provider cannot meet its payments in {risk_text} of "
            f"simulations. The municipality pays {kr(mean.value, lang=lang, currency=cur)} on average, and at most "
            f"{kr(p95.value, lang=lang, currency=cur)} in 95% of cases.")
