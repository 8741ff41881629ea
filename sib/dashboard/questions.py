"""The three questions the dashboard opens with, in its users' words. Each is answered by a
comparison of reference variants, the traditional contract (0 %) first where it is the
baseline: what the outcome share costs per budget year, whether the provider can carry the
cash gap and what credit it needs, and what a guarantee changes.

Plain functions of the results, in tables a page only shows (and tests read)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sib.fmt import group, kr, mnkr
from sib.i18n import pick
from sib.study.readable import flagged, guarantee_name, risk_text, what_failure_means, years  # noqa: F401  (the pages' names)
from sib.study.results import Results

#: The services the questions are asked about: the reference scenario's file stem → its name.
SERVICES: dict[str, tuple[str, str]] = {
    "bostad_forst": ("Bostad först", "Housing First"),
    "arbetsintegrering": ("Arbetsintegrering (ASF)", "Employment in a work-integrating social enterprise"),
}


@dataclass(frozen=True)
class Question:
    key: str
    #: Per service, the scenario files compared (at most four), the baseline first.
    files: dict[str, tuple[str, ...]]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "budget",
        {
            "bostad_forst": ("bostad_forst_traditionellt.yaml", "bostad_forst_20.yaml", "bostad_forst.yaml", "bostad_forst_60.yaml"),
            "arbetsintegrering": (
                "arbetsintegrering_traditionellt.yaml",
                "arbetsintegrering.yaml",
                "arbetsintegrering_40.yaml",
                "arbetsintegrering_60.yaml",
            ),
        },
    ),
    Question(
        "cash",
        {
            "bostad_forst": ("bostad_forst_traditionellt.yaml", "bostad_forst.yaml", "bostad_forst_60.yaml", "bostad_forst_75.yaml"),
            "arbetsintegrering": (
                "arbetsintegrering_traditionellt.yaml",
                "arbetsintegrering.yaml",
                "arbetsintegrering_40.yaml",
                "arbetsintegrering_60.yaml",
            ),
        },
    ),
    Question(
        "guarantee",
        {
            "bostad_forst": (
                "bostad_forst_traditionellt.yaml",
                "bostad_forst.yaml",
                "bostad_forst_utan_garanti.yaml",
                "bostad_forst_kommunal_borgen.yaml",
            ),
            "arbetsintegrering": (
                "arbetsintegrering_traditionellt.yaml",
                "arbetsintegrering.yaml",
                "arbetsintegrering_utan_garanti.yaml",
                "arbetsintegrering_kommunal_borgen.yaml",
            ),
        },
    ),
)
BY_KEY = {q.key: q for q in QUESTIONS}

_COLUMNS: dict[str, tuple[str, str]] = {
    "total": ("Totalt", "Total"),
    "credit": ("Kredit banken ger", "Credit the bank grants"),
    "risk": ("Risk att utföraren inte kan betala", "Probability the provider cannot pay"),
    "low_p50": ("Lägsta likviditet, median", "Lowest liquidity, median"),
    "low_p05": ("Lägsta likviditet, 5 % sämsta", "Lowest liquidity, worst 5%"),
    "need_p95": ("Extra kredit som bär i 95 % av fallen", "Extra credit that carries it in 95% of cases"),
    "credit_needed": ("Kredit som behövs i allt, 95 % av fallen", "Credit needed in all, 95% of cases"),
    "guarantee": ("Garanti", "Guarantee"),
    "fee": ("Garantiavgifter, genomsnitt", "Guarantee fees, average"),
    "guarantor": ("Garantigivarens resultat, genomsnitt", "Guarantor's result, average"),
    "whole": ("Kommunens hela kostnad, genomsnitt", "The municipality's whole cost, average"),
}


def column(key: str, lang: str) -> str:
    return pick(_COLUMNS[key], lang)


def _range(values: np.ndarray, lang: str) -> str:
    """'6,7 (5,3–8,2)': the mean in mnkr and the range of the middle 90 % of the runs (the
    table's title says mnkr)."""
    low, high = np.percentile(values, [5, 95])
    return f"{group(float(np.mean(values)) / 1e6, 1, lang)} ({group(low / 1e6, 1, lang)}–{group(high / 1e6, 1, lang)})"


def budget_table(results: dict[str, Results], lang: str, basis: str = "cash") -> pd.DataFrame:
    """The municipality's whole cost per budget year, one row per scenario: the mean and the
    range of the middle 90 % of the runs, in mnkr; cash (when paid) or accrual (when earned)."""
    all_years = sorted({y for r in results.values() for y in years(r, basis)})
    infix = "" if basis == "cash" else "accrued_"
    rows = {}
    for name, r in results.items():
        s = r.summary
        row = {
            str(y): (
                _range(s[f"commissioner_whole_cost_{infix}{y}"].to_numpy(float), lang)
                if f"commissioner_whole_cost_{infix}{y}" in s
                else "–"
            )
            for y in all_years
        }
        row[column("total", lang)] = _range(s["commissioner_whole_cost"].to_numpy(float), lang)
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def cash_table(results: dict[str, Results], lang: str) -> pd.DataFrame:
    """Per scenario: the credit the bank grants, the provider's lowest liquidity (median and the
    worst 5 %), the extra credit that would carry it in 95 % of the runs and so the credit it
    needs in all, and how often it cannot pay (with the interval of that estimate)."""
    rows = {}
    for name, r in results.items():
        cur = r.scenario.currency
        rows[name] = {
            column("credit", lang): kr(r.scenario.financing.credit_limit, lang=lang, currency=cur),
            column("low_p50", lang): kr(r.kpi("provider_min_liquidity", "p50").value, lang=lang, currency=cur),
            column("low_p05", lang): kr(r.kpi("provider_min_liquidity", "p05").value, lang=lang, currency=cur),
            column("need_p95", lang): kr(r.kpi("funding_need", "p95").value, lang=lang, currency=cur),
            column("credit_needed", lang): kr(
                r.scenario.financing.credit_limit + r.kpi("funding_need", "p95").value, lang=lang, currency=cur
            ),
            column("risk", lang): risk_text(r, lang),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def guarantee_table(results: dict[str, Results], lang: str) -> pd.DataFrame:
    """Per scenario: the guarantee, the credit it lets the bank grant, the provider's risk and
    the extra credit it would still need, the fees for the guarantee (the provider's cost, or
    the municipality's where it pays them) and what the guarantor makes or loses after its
    payouts, and the municipality's whole cost."""
    rows = {}
    for name, r in results.items():
        cur = r.scenario.currency
        guaranteed = r.scenario.financing.guarantee is not None

        def mean(metric: str, r: Results = r, cur: str = cur, guaranteed: bool = guaranteed) -> str:
            return kr(r.kpi(metric, "mean").value, lang=lang, currency=cur) if guaranteed else "–"

        rows[name] = {
            column("guarantee", lang): guarantee_name(r, lang),
            column("credit", lang): kr(r.scenario.financing.credit_limit, lang=lang, currency=cur),
            column("risk", lang): risk_text(r, lang),
            column("need_p95", lang): kr(r.kpi("funding_need", "p95").value, lang=lang, currency=cur),
            column("fee", lang): mean("guarantor_fees"),
            column("guarantor", lang): mean("guarantor_result"),
            column("whole", lang): mnkr(r.kpi("commissioner_whole_cost", "mean").value, lang=lang, currency=cur),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
