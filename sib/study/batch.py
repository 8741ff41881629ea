"""The work a worker does: a batch of replications, sent back as compact columns.

A batch returns each metric as one array over its replications and each monthly series as a
(replications × months) array — never ledgers — so what crosses the wire, and what the parent
keeps, grows only with those rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from sib.pricing import PricedContract
from sib.replication import simulate_priced
from sib.scenario.schema import Scenario

#: Monthly series are kept as float32 (about 0.01 % precision on kronor): quantiles for fan
#: charts need no öre, and 100 000 replications' series then fit in a few hundred MB.
SERIES_DTYPE = np.float32


@dataclass(frozen=True)
class Task:
    scenario: Scenario
    priced: PricedContract
    seed: np.random.SeedSequence
    start: int
    stop: int


@dataclass
class Batch:
    start: int
    stop: int
    columns: dict[str, np.ndarray]  # metric (and param.<path>) → one value per replication
    series: dict[str, np.ndarray]  # monthly series → (replications, months)
    months: list[dt.date]


def run_batch(task: Task) -> Batch:
    """Replications ``start .. stop - 1`` of the study (what ``simulate`` would give each)."""
    rows: list[dict[str, Any]] = []
    series: dict[str, list[np.ndarray]] = {}
    months: list[dt.date] = []
    for i in range(task.start, task.stop):
        rep = simulate_priced(task.scenario, task.priced, task.seed, i)
        row = dict(rep.metrics)
        row.update({f"param.{name}": value for name, value in rep.parameters.items()})
        rows.append(row)
        for name, values in rep.monthly_series().items():
            series.setdefault(name, []).append(values)
        if not months:
            months = rep.months()
    columns = {key: column(key, [r.get(key) for r in rows]) for key in rows[0]} if rows else {}
    return Batch(task.start, task.stop, columns, {k: np.asarray(v, dtype=SERIES_DTYPE) for k, v in series.items()}, months)


def column(key: str, values: list[Any]) -> np.ndarray:
    """One metric over replications as a typed array: dates (``*_date``) as datetime64 with
    NaT for none, notes and other words as text, yes/no as bool, counts as int64, amounts as float64."""
    if key.endswith("_date"):
        return np.array([np.datetime64(v, "D") if v is not None else np.datetime64("NaT") for v in values], dtype="datetime64[D]")
    kinds = set(map(type, values))  # decided per type, not per value: a batch has hundreds
    if key.endswith("_note") or any(issubclass(t, str) for t in kinds):
        return np.array(["" if v is None else str(v) for v in values], dtype=object)
    if all(issubclass(t, (bool, np.bool_)) for t in kinds):
        return np.array(values, dtype=bool)
    if all(issubclass(t, (int, np.integer)) and not issubclass(t, bool) for t in kinds):
        return np.array(values, dtype=np.int64)
    if type(None) in kinds:
        values = [np.nan if v is None else v for v in values]
    return np.array(values, dtype=np.float64)
