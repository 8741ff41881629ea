"""The study as an Excel workbook (openpyxl): what a controller opens first, and can audit.

Sheets: the key figures, each with its name, unit, one-line description and margin of error
(its code last, for whoever checks the program); the municipality's payments per budget year
(cash and accrual); the monthly quantiles; every replication's metrics under their names; the
ledgers of three replications (the provider's lowest liquidity at its 5th, 50th and 95th
percentile) with every payment named; every assumption of the scenario with its source and the
works it cites in full; and what was run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from sib import labels
from sib.references import full as full_references
from sib.study import readable
from sib.scenario.uncertainty import KINDS
from sib.study.results import Results

SHEETS = {
    "sv": {"kpis": "Nyckeltal", "years": "Budgetår", "monthly": "Per månad", "reps": "Simuleringar", "ledger": "Huvudbok",
           "assumptions": "Antaganden", "run": "Körning"},
    "en": {"kpis": "Key figures", "years": "Budget years", "monthly": "Monthly", "reps": "Simulations", "ledger": "Ledger",
           "assumptions": "Assumptions", "run": "Run"},
}
HEAD = {
    "sv": {"metric": "kod", "statistic": "statistika", "value": "värde", "low": "felmarginal, lägre (95 %)",
           "high": "felmarginal, övre (95 %)", "se": "medelfel (simuleringarna)", "n": "antal simuleringar", "year": "år",
           "path": "parameter", "source": "källa", "references": "verk som citeras", "month": "månad", "series": "serie",
           "mean": "medel", "what": "vad", "figure": "nyckeltal", "unit": "enhet", "description": "beskrivning",
           "case": "fall", "replication": "simulering nr"},
    "en": {"metric": "code", "statistic": "statistic", "value": "value", "low": "margin of error, low (95%)",
           "high": "margin of error, high (95%)", "se": "standard error (simulations)", "n": "simulations", "year": "year",
           "path": "parameter", "source": "source", "references": "works cited", "month": "month", "series": "series",
           "mean": "mean", "what": "what", "figure": "figure", "unit": "unit", "description": "description",
           "case": "case", "replication": "simulation no."},
}
STATISTICS = {
    "sv": {"mean": "medel", "p05": "5:e percentilen", "p50": "median", "p95": "95:e percentilen", "probability": "andel av simuleringarna"},
    "en": {"mean": "mean", "p05": "5th percentile", "p50": "median", "p95": "95th percentile", "probability": "share of simulations"},
}
UNITS = {
    "sv": {"kr": "kr", "share": "andel", "count": "antal", "days": "dagar", "date": "datum", "rate": "per år", "ratio": "kvot", "text": ""},
    "en": {"kr": "SEK", "share": "share", "count": "count", "days": "days", "date": "date", "rate": "per year", "ratio": "ratio", "text": ""},
}
#: The replications whose ledgers the workbook keeps: the provider's lowest liquidity at these percentiles.
LEDGER_CASES = {"p05": ("5 % sämsta likviditet", "worst 5% of liquidity"), "p50": ("median", "median"),
                "p95": ("95 % bästa likviditet", "best 5% of liquidity")}


def write_workbook(results: Results, path: Path, lang: str = "sv") -> None:
    sheets, head = SHEETS[lang], HEAD[lang]
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        key_figures(results, lang).rename(columns=head).to_excel(xl, sheet_name=sheets["kpis"], index=False)
        budget_years(results, lang).to_excel(xl, sheet_name=sheets["years"], index=False)
        results.timeseries.rename(columns=head).to_excel(xl, sheet_name=sheets["monthly"], index=False)
        named_summary(results, lang).to_excel(xl, sheet_name=sheets["reps"], index=False)
        ledgers(results, lang).to_excel(xl, sheet_name=sheets["ledger"], index=False)
        assumptions(results.scenario).rename(columns=head).to_excel(xl, sheet_name=sheets["assumptions"], index=False)
        run_facts(results, lang).to_excel(xl, sheet_name=sheets["run"], index=False)
        for ws in xl.book.worksheets:
            _tidy(ws)


def key_figures(results: Results, lang: str = "sv") -> pd.DataFrame:
    """Every figure of the study, the headline first in the order a study is read (the
    municipality's whole cost at the top) and named in words; then every other metric."""
    from sib.study.headline import HEADLINE, applies

    kpis = results.kpis()
    headline = {(f.metric, f.statistic): f.label(lang) for f in HEADLINE if applies(f, results)}
    order = {key: i for i, key in enumerate(headline)}
    keys = list(zip(kpis.metric, kpis.statistic))
    names = labels.scenario_names(results.scenario)
    described = [labels.metric(m, lang, names) for m in kpis.metric]
    kpis.insert(0, "figure", [headline.get(k) or f"{d[0]}, {STATISTICS[lang].get(k[1], k[1])}" for k, d in zip(keys, described)])
    kpis.insert(1, "unit", [UNITS[lang].get(d[1], d[1]) for d in described])
    kpis.insert(2, "description", [d[2] for d in described])
    kpis["statistic"] = [STATISTICS[lang].get(x, x) for x in kpis.statistic]
    kpis = kpis[[c for c in kpis.columns if c != "metric"] + ["metric"]]  # the code last, for whoever checks the program
    rank = [order.get(k, len(order)) for k in keys]
    return kpis.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)


def named_summary(results: Results, lang: str) -> pd.DataFrame:
    """Every replication's metrics, each column under its name (the code where two would share one)."""
    names = labels.scenario_names(results.scenario)
    columns, seen = {}, set()
    for code in results.summary.columns:
        name = labels.metric(code, lang, names)[0] if code not in ("scenario", "replication", "seed") else HEAD_SUMMARY[lang][code]
        columns[code] = name if name not in seen else f"{name} ({code})"
        seen.add(columns[code])
    return results.summary.rename(columns=columns)


HEAD_SUMMARY = {"sv": {"scenario": "scenario", "replication": "simulering nr", "seed": "startvärde"},
                "en": {"scenario": "scenario", "replication": "simulation no.", "seed": "seed"}}


def ledgers(results: Results, lang: str) -> pd.DataFrame:
    """The ledgers of the replications at the 5th, 50th and 95th percentile of the provider's
    lowest liquidity, every payment named: enough to follow a bad, a middling and a good case
    to the öre (all of them would be hundreds of thousands of rows)."""
    frames = []
    for case, (sv, en) in LEDGER_CASES.items():
        i = results.at_percentile("provider_min_liquidity", int(case[1:]))
        frame = readable.ledger_table(results.replication(i), lang, shown=False)
        frame.insert(0, HEAD[lang]["replication"], i + 1)
        frame.insert(0, HEAD[lang]["case"], sv if lang == "sv" else en)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


_YEAR = re.compile(r"^commissioner_(whole_cost|whole_cost_accrued|paid|outcome_paid|accrued|outcome_accrued|owed_end|"
                   r"open_commitment_end)_(\d{4})$")
_MEAN_AND_P95 = ("whole_cost", "whole_cost_accrued", "paid", "accrued", "outcome_paid", "outcome_accrued")
#: The budget-year columns in the order a controller reads them: the whole cost first.
_YEAR_ORDER = ("whole_cost", "whole_cost_accrued", "paid", "outcome_paid", "accrued", "outcome_accrued", "owed_end",
               "open_commitment_end")


def budget_years(results: Results, lang: str = "sv") -> pd.DataFrame:
    """Per calendar year: the municipality's whole cost (cash and accrual) first, then what it
    pays the provider (cash) and what of that falls to the year (accrual), the mean and the
    95th percentile, what it owes at year end, and what it is still committed to at most."""
    by_year: dict[int, dict[str, float]] = {}
    for column in results.summary.columns:
        m = _YEAR.match(column)
        if not m:
            continue
        kind, year = m.group(1), int(m.group(2))
        values = results.summary[column].to_numpy(dtype=float)
        row = by_year.setdefault(year, {})
        row[f"{kind}_mean"] = float(values.mean())
        if kind in _MEAN_AND_P95:
            row[f"{kind}_p95"] = float(np.quantile(values, 0.95))
    frame = pd.DataFrame([{"year": y, **v} for y, v in sorted(by_year.items())])
    columns = ["year", *(f"{kind}_{stat}" for kind in _YEAR_ORDER for stat in ("mean", "p95"))]
    frame = frame[[c for c in columns if c in frame.columns]]
    names = {
        "sv": {"year": "år", "whole_cost_mean": "hela kostnaden (kassa), medel", "whole_cost_p95": "hela kostnaden (kassa), 95 %",
               "whole_cost_accrued_mean": "hela kostnaden periodiserad, medel",
               "whole_cost_accrued_p95": "hela kostnaden periodiserad, 95 %",
               "paid_mean": "betalt till utföraren (kassa), medel", "paid_p95": "betalt till utföraren (kassa), 95 %",
               "outcome_paid_mean": "varav utfallsersättning, medel", "outcome_paid_p95": "varav utfallsersättning, 95 %",
               "outcome_accrued_mean": "periodiserad utfallsersättning, medel", "outcome_accrued_p95": "periodiserad utfallsersättning, 95 %",
               "accrued_mean": "till utföraren periodiserat, medel", "accrued_p95": "till utföraren periodiserat, 95 %",
               "owed_end_mean": "skuld vid årets slut, medel", "open_commitment_end_mean": "kvarvarande åtagande högst, medel"},
        "en": {"year": "year", "whole_cost_mean": "whole cost (cash), mean", "whole_cost_p95": "whole cost (cash), 95th pct",
               "whole_cost_accrued_mean": "whole cost accrued, mean", "whole_cost_accrued_p95": "whole cost accrued, 95th pct",
               "paid_mean": "paid to the provider (cash), mean", "paid_p95": "paid to the provider (cash), 95th pct",
               "outcome_paid_mean": "of which outcome payments, mean", "outcome_paid_p95": "of which outcome payments, 95th pct",
               "outcome_accrued_mean": "outcome payments accrued, mean", "outcome_accrued_p95": "outcome payments accrued, 95th pct",
               "accrued_mean": "to the provider accrued, mean", "accrued_p95": "to the provider accrued, 95th pct",
               "owed_end_mean": "owed at year end, mean", "open_commitment_end_mean": "open commitment at most, mean"},
    }[lang]
    return frame.rename(columns=names)


def assumptions(scenario: BaseModel) -> pd.DataFrame:
    """Every value the scenario sets, by its path, with the source the file gives for it (or
    for the nearest part above it) and the works that source cites, in full."""
    sources: dict[str, str] = getattr(scenario, "sources", {})
    rows = []
    for path, value in _leaves(scenario.model_dump(mode="json", by_alias=True, exclude={"sources", "description"}), ""):
        found = max((k for k in sources if path == k or path.startswith(k + ".") or path.startswith(k + "[")), key=len, default=None)
        source = sources.get(found, "") if found else ""
        rows.append((path, value, source, full_references(source)))
    return pd.DataFrame(rows, columns=["path", "value", "source", "references"])


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        if set(value) <= set(KINDS) and sum(v is not None for v in value.values()) == 1:
            kind, args = next((k, v) for k, v in value.items() if v is not None)  # a drawn parameter
            yield path, f"{kind} {args}"
            return
        for k, v in value.items():
            if v is not None:
                yield from _leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]")
    elif isinstance(value, (int, float, str)):
        yield path, value  # numbers stay numbers in the sheet
    else:
        yield path, str(value)


def run_facts(results: Results, lang: str) -> pd.DataFrame:
    """What was run, and what its whole cost leaves out (where it does)."""
    from sib.output import versions
    from sib.study.headline import continuation_note, leaves_out_continuation

    p = results.priced
    sv = lang == "sv"
    unbounded = "obegränsat" if sv else "unbounded"
    rows = [
        ("scenario", results.scenario.name),
        ("scenariots fingeravtryck" if sv else "scenario digest", results.scenario.digest),
        ("antal simuleringar" if sv else "simulations", results.reps),
        ("startvärde för slumpen" if sv else "random seed", str(results.seed.entropy)),
        ("förväntat kontraktsvärde (kr)" if sv else "expected contract value (SEK)", round(p.expected_value, 2)),
        ("utfallsandel, förväntad" if sv else "outcome share, expected", round(p.outcome_share_expected, 4)),
        ("utfallsandel om alla utfall nås" if sv else "outcome share, full achievement", round(p.outcome_share_full, 4)),
        ("högsta kontraktsvärde (kr)" if sv else "maximum contract value (SEK)",
         p.max_contract_value if p.max_contract_value is not None else unbounded),
        *((f"version: {k}", v) for k, v in versions().items()),
    ]
    if leaves_out_continuation(results.scenario):
        rows.insert(2, ("OBS" if lang == "sv" else "note", continuation_note(lang)))
    h = HEAD[lang]
    return pd.DataFrame(rows, columns=[h["what"], h["value"]])


def _tidy(ws) -> None:
    """Readable columns: each as wide as its header or its longest value in the first rows
    (long texts wrap at 60 characters), thousands grouped, the header frozen and wrapped."""
    from openpyxl.styles import Alignment

    ws.freeze_panes = "A2"
    for column in ws.columns:
        header = column[0].value
        longest = max((len(str(c.value)) for c in column[1:200] if c.value is not None), default=0)
        width = max(len(str(header or "")) + 2, min(longest, 60) + 2, 10)
        ws.column_dimensions[column[0].column_letter].width = min(62, width)
        column[0].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in column[1:]:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00" if abs(cell.value) < 100 else "#,##0"
            elif isinstance(cell.value, str) and len(cell.value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
