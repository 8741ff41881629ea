"""The study as an Excel workbook (openpyxl): what a controller opens first.

Sheets: the key figures with their intervals, the municipality's payments per budget year
(cash and accrual), the monthly quantiles, every replication's metrics, and every assumption
of the scenario with its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from sib.scenario.uncertainty import KINDS
from sib.study.results import Results

SHEETS = {
    "sv": {"kpis": "Nyckeltal", "years": "Budgetår", "monthly": "Per månad", "reps": "Replikeringar",
           "assumptions": "Antaganden", "run": "Körning"},
    "en": {"kpis": "Key figures", "years": "Budget years", "monthly": "Monthly", "reps": "Replications",
           "assumptions": "Assumptions", "run": "Run"},
}
HEAD = {
    "sv": {"metric": "mått", "statistic": "statistika", "value": "värde", "low": "95 % KI, lägre", "high": "95 % KI, övre",
           "se": "MC-medelfel", "n": "antal", "year": "år", "path": "parameter", "source": "källa", "month": "månad",
           "series": "serie", "mean": "medel", "what": "vad"},
    "en": {"metric": "metric", "statistic": "statistic", "value": "value", "low": "95% CI, low", "high": "95% CI, high",
           "se": "MC standard error", "n": "n", "year": "year", "path": "parameter", "source": "source", "month": "month",
           "series": "series", "mean": "mean", "what": "what"},
}


def write_workbook(results: Results, path: Path, lang: str = "sv") -> None:
    sheets, head = SHEETS[lang], HEAD[lang]
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        results.kpis().rename(columns=head).to_excel(xl, sheet_name=sheets["kpis"], index=False)
        budget_years(results, lang).to_excel(xl, sheet_name=sheets["years"], index=False)
        results.timeseries.rename(columns=head).to_excel(xl, sheet_name=sheets["monthly"], index=False)
        results.summary.to_excel(xl, sheet_name=sheets["reps"], index=False)
        assumptions(results.scenario).rename(columns=head).to_excel(xl, sheet_name=sheets["assumptions"], index=False)
        run_facts(results, lang).to_excel(xl, sheet_name=sheets["run"], index=False)
        for ws in xl.book.worksheets:
            _tidy(ws)


_YEAR = re.compile(r"^commissioner_(paid|outcome_paid|accrued|outcome_accrued|owed_end|open_commitment_end)_(\d{4})$")


def budget_years(results: Results, lang: str = "sv") -> pd.DataFrame:
    """Per calendar year: what the municipality pays (cash) and what falls to the year
    (accrual), the mean and the 95th percentile, what it owes at year end, and what it is
    still committed to at most."""
    by_year: dict[int, dict[str, float]] = {}
    for column in results.summary.columns:
        m = _YEAR.match(column)
        if not m:
            continue
        kind, year = m.group(1), int(m.group(2))
        values = results.summary[column].to_numpy(dtype=float)
        row = by_year.setdefault(year, {})
        row[f"{kind}_mean"] = float(values.mean())
        if kind in ("paid", "accrued", "outcome_paid", "outcome_accrued"):
            row[f"{kind}_p95"] = float(np.quantile(values, 0.95))
    frame = pd.DataFrame([{"year": y, **v} for y, v in sorted(by_year.items())])
    names = {
        "sv": {"year": "år", "paid_mean": "utbetalt (kassa), medel", "paid_p95": "utbetalt (kassa), 95 %",
               "outcome_paid_mean": "varav utfallsersättning, medel", "outcome_paid_p95": "varav utfallsersättning, 95 %",
               "outcome_accrued_mean": "periodiserad utfallsersättning, medel", "outcome_accrued_p95": "periodiserad utfallsersättning, 95 %",
               "accrued_mean": "periodiserat, medel", "accrued_p95": "periodiserat, 95 %",
               "owed_end_mean": "skuld vid årets slut, medel", "open_commitment_end_mean": "kvarvarande åtagande högst, medel"},
        "en": {"year": "year", "paid_mean": "paid (cash), mean", "paid_p95": "paid (cash), 95th pct",
               "outcome_paid_mean": "of which outcome payments, mean", "outcome_paid_p95": "of which outcome payments, 95th pct",
               "outcome_accrued_mean": "outcome payments accrued, mean", "outcome_accrued_p95": "outcome payments accrued, 95th pct",
               "accrued_mean": "accrued, mean", "accrued_p95": "accrued, 95th pct",
               "owed_end_mean": "owed at year end, mean", "open_commitment_end_mean": "open commitment at most, mean"},
    }[lang]
    return frame.rename(columns=names)


def assumptions(scenario: BaseModel) -> pd.DataFrame:
    """Every value the scenario sets, by its path, with the source the file gives for it (or
    for the nearest part above it)."""
    sources: dict[str, str] = getattr(scenario, "sources", {})
    rows = []
    for path, value in _leaves(scenario.model_dump(mode="json", by_alias=True, exclude={"sources", "description"}), ""):
        found = max((k for k in sources if path == k or path.startswith(k + ".") or path.startswith(k + "[")), key=len, default=None)
        rows.append((path, value, sources.get(found, "") if found else ""))
    return pd.DataFrame(rows, columns=["path", "value", "source"])


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
    from sib.output import versions

    p = results.priced
    rows = [
        ("scenario", results.scenario.name),
        ("scenario digest", results.scenario.digest),
        ("replications", results.reps),
        ("seed", str(results.seed.entropy)),
        ("expected contract value (kr)", round(p.expected_value, 2)),
        ("outcome share, expected", round(p.outcome_share_expected, 4)),
        ("outcome share, full achievement", round(p.outcome_share_full, 4)),
        ("maximum contract value (kr)", p.max_contract_value if p.max_contract_value is not None else "unbounded"),
        *((f"version: {k}", v) for k, v in versions().items()),
    ]
    h = HEAD[lang]
    return pd.DataFrame(rows, columns=[h["what"], h["value"]])


def _tidy(ws) -> None:
    """Readable columns: widths from the header, thousands grouped, the header frozen."""
    ws.freeze_panes = "A2"
    for column in ws.columns:
        header = column[0].value
        ws.column_dimensions[column[0].column_letter].width = min(48, max(10, len(str(header or "")) + 2))
        for cell in column[1:]:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00" if abs(cell.value) < 100 else "#,##0"
