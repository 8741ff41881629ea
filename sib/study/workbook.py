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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sib import labels
from sib.i18n import Catalogue, language, pick, say
from sib.references import full as full_references
from sib.scenario.uncertainty import KINDS
from sib.study import readable
from sib.study.results import Results

if TYPE_CHECKING:
    from sib.scenario.schema import Scenario

SHEETS = Catalogue(
    {
        "kpis": ("Nyckeltal", "Key figures"),
        "years": ("Budgetår", "Budget years"),
        "monthly": ("Per månad", "Monthly"),
        "reps": ("Simuleringar", "Simulations"),
        "ledger": ("Huvudbok", "Ledger"),
        "assumptions": ("Antaganden", "Assumptions"),
        "run": ("Körning", "Run"),
    }
)
HEAD = Catalogue(
    {
        "metric": ("kod", "code"),
        "statistic": ("statistika", "statistic"),
        "value": ("värde", "value"),
        "low": ("felmarginal, lägre (95 %)", "margin of error, low (95%)"),
        "high": ("felmarginal, övre (95 %)", "margin of error, high (95%)"),
        "se": ("medelfel (simuleringarna)", "standard error (simulations)"),
        "n": ("antal simuleringar", "simulations"),
        "year": ("år", "year"),
        "path": ("parameter", "parameter"),
        "source": ("källa", "source"),
        "references": ("verk som citeras", "works cited"),
        "month": ("månad", "month"),
        "series": ("serie", "series"),
        "mean": ("medel", "mean"),
        "what": ("vad", "what"),
        "figure": ("nyckeltal", "figure"),
        "unit": ("enhet", "unit"),
        "description": ("beskrivning", "description"),
        "case": ("fall", "case"),
        "replication": ("simulering nr", "simulation no."),
    }
)
STATISTICS = Catalogue(
    {
        "mean": ("medel", "mean"),
        "p05": ("5:e percentilen", "5th percentile"),
        "p50": ("median", "median"),
        "p95": ("95:e percentilen", "95th percentile"),
        "probability": ("andel av simuleringarna", "share of simulations"),
    }
)
UNITS = Catalogue(
    {
        "kr": ("kr", "SEK"),
        "share": ("andel", "share"),
        "count": ("antal", "count"),
        "days": ("dagar", "days"),
        "date": ("datum", "date"),
        "rate": ("per år", "per year"),
        "ratio": ("kvot", "ratio"),
        "text": ("", ""),
    }
)
#: The replications whose ledgers the workbook keeps: the provider's lowest liquidity at these percentiles.
LEDGER_CASES = {
    "p05": ("5 % sämsta likviditet", "worst 5% of liquidity"),
    "p50": ("median", "median"),
    "p95": ("95 % bästa likviditet", "best 5% of liquidity"),
}


def monthly(results: Results, lang: str) -> pd.DataFrame:
    """The monthly quantiles, each series named in ``lang`` beside its code."""
    frame = results.timeseries.copy()
    frame.insert(1, "what", [labels.label(labels.SERIES, code, lang) for code in frame["series"]])
    return frame.rename(columns={"series": "metric"})


def write_workbook(results: Results, path: Path, lang: str = "sv") -> None:
    sheets, head = SHEETS.table(lang), HEAD.table(lang)
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        key_figures(results, lang).rename(columns=head).to_excel(xl, sheet_name=sheets["kpis"], index=False)
        budget_years(results, lang).to_excel(xl, sheet_name=sheets["years"], index=False)
        monthly(results, lang).rename(columns=head).to_excel(xl, sheet_name=sheets["monthly"], index=False)
        named_summary(results, lang).to_excel(xl, sheet_name=sheets["reps"], index=False)
        ledgers(results, lang).to_excel(xl, sheet_name=sheets["ledger"], index=False)
        assumptions(results.scenario, lang).rename(columns=head).to_excel(xl, sheet_name=sheets["assumptions"], index=False)
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
    kpis.insert(0, "figure", [headline.get(k) or f"{d[0]}, {STATISTICS.table(lang).get(k[1], k[1])}" for k, d in zip(keys, described)])
    kpis.insert(1, "unit", [UNITS.table(lang).get(d[1], d[1]) for d in described])
    kpis.insert(2, "description", [d[2] for d in described])
    kpis["statistic"] = [STATISTICS.table(lang).get(x, x) for x in kpis.statistic]
    kpis = kpis[[c for c in kpis.columns if c != "metric"] + ["metric"]]  # the code last, for whoever checks the program
    rank = [order.get(k, len(order)) for k in keys]
    return kpis.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)


def named_summary(results: Results, lang: str) -> pd.DataFrame:
    """Every replication's metrics, each column under its name (the code where two would share one)."""
    names = labels.scenario_names(results.scenario)
    columns, seen = {}, set()
    for code in results.summary.columns:
        name = labels.metric(code, lang, names)[0] if code not in ("scenario", "replication", "seed") else HEAD_SUMMARY(code, lang)
        columns[code] = name if name not in seen else f"{name} ({code})"
        seen.add(columns[code])
    return results.summary.rename(columns=columns)


HEAD_SUMMARY = Catalogue(
    {
        "scenario": ("scenario", "scenario"),
        "replication": ("simulering nr", "simulation no."),
        "seed": ("startvärde", "seed"),
    }
)


def ledgers(results: Results, lang: str) -> pd.DataFrame:
    """The ledgers of the replications at the 5th, 50th and 95th percentile of the provider's
    lowest liquidity, every payment named: enough to follow a bad, a middling and a good case
    to the öre (all of them would be hundreds of thousands of rows)."""
    frames = []
    for case, (sv, en) in LEDGER_CASES.items():
        i = results.at_percentile("provider_min_liquidity", int(case[1:]))
        frame = readable.ledger_table(results.replication(i), lang, shown=False)
        frame.insert(0, HEAD("replication", lang), i + 1)
        frame.insert(0, HEAD("case", lang), pick((sv, en), lang))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


_YEAR = re.compile(
    r"^commissioner_(whole_cost|whole_cost_accrued|paid|outcome_paid|accrued|outcome_accrued|owed_end|"
    r"open_commitment_end)_(\d{4})$"
)
_MEAN_AND_P95 = ("whole_cost", "whole_cost_accrued", "paid", "accrued", "outcome_paid", "outcome_accrued")
#: The budget-year columns in the order a controller reads them: the whole cost first.
_YEAR_ORDER = ("whole_cost", "whole_cost_accrued", "paid", "outcome_paid", "accrued", "outcome_accrued", "owed_end", "open_commitment_end")


_YEAR_COLUMNS = Catalogue(
    {
        "year": ("år", "year"),
        "whole_cost_mean": ("hela kostnaden (kassa), medel", "whole cost (cash), mean"),
        "whole_cost_p95": ("hela kostnaden (kassa), 95 %", "whole cost (cash), 95th pct"),
        "whole_cost_accrued_mean": ("hela kostnaden periodiserad, medel", "whole cost accrued, mean"),
        "whole_cost_accrued_p95": ("hela kostnaden periodiserad, 95 %", "whole cost accrued, 95th pct"),
        "paid_mean": ("betalt till utföraren (kassa), medel", "paid to the provider (cash), mean"),
        "paid_p95": ("betalt till utföraren (kassa), 95 %", "paid to the provider (cash), 95th pct"),
        "outcome_paid_mean": ("varav utfallsersättning, medel", "of which outcome payments, mean"),
        "outcome_paid_p95": ("varav utfallsersättning, 95 %", "of which outcome payments, 95th pct"),
        "outcome_accrued_mean": ("periodiserad utfallsersättning, medel", "outcome payments accrued, mean"),
        "outcome_accrued_p95": ("periodiserad utfallsersättning, 95 %", "outcome payments accrued, 95th pct"),
        "accrued_mean": ("till utföraren periodiserat, medel", "to the provider accrued, mean"),
        "accrued_p95": ("till utföraren periodiserat, 95 %", "to the provider accrued, 95th pct"),
        "owed_end_mean": ("skuld vid årets slut, medel", "owed at year end, mean"),
        "open_commitment_end_mean": ("kvarvarande åtagande högst, medel", "open commitment at most, mean"),
    }
)


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
    names = _YEAR_COLUMNS.table(lang)
    return frame.rename(columns=names)


def assumptions(scenario: Scenario, lang: str | None = None) -> pd.DataFrame:
    """Every value the scenario sets, by its path, with the source the file gives for it (or
    for the nearest part above it, in ``lang``) and the works that source cites, in full."""
    rows = []
    for path, value in _leaves(scenario.model_dump(mode="json", by_alias=True, exclude={"sources", "description"}), ""):
        source = scenario.source(path, lang)[1]
        shown = labels.label(labels.CHOICES, value, lang or language()) if isinstance(value, str) else value
        rows.append((path, shown, source, full_references(source, lang)))
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
    rows = [
        ("scenario", results.scenario.name),
        (say("beskrivning", "description", lang), " ".join(results.scenario.about(lang).split())),
        (say("scenariots fingeravtryck", "scenario digest", lang), results.scenario.digest),
        (say("antal simuleringar", "simulations", lang), results.reps),
        (say("startvärde för slumpen", "random seed", lang), str(results.seed.entropy)),
        (say("förväntat kontraktsvärde (kr)", "expected contract value (SEK)", lang), round(p.expected_value, 2)),
        (say("utfallsandel, förväntad", "outcome share, expected", lang), round(p.outcome_share_expected, 4)),
        (say("utfallsandel om alla utfall nås", "outcome share, full achievement", lang), round(p.outcome_share_full, 4)),
        (
            say("högsta kontraktsvärde (kr)", "maximum contract value (SEK)", lang),
            p.max_contract_value if p.max_contract_value is not None else say("obegränsat", "unbounded", lang),
        ),
        *((f"version: {k}", v) for k, v in versions().items()),
    ]
    if leaves_out_continuation(results.scenario):
        rows.insert(2, (say("OBS", "note", lang), continuation_note(lang)))
    h = HEAD.table(lang)
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
