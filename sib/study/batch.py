"""The work a worker does: a batch of replications, sent back as compact columns.

Designs that differ only in their financing (a guarantee or not, another credit line) share
each replication's start — participants, milestones, the contract's payments and the costs —
and designs that differ in the contract's prices too share its participants and costs: a
batch computes what they share once for them all.

A batch returns each metric as one array over its replications and each monthly series as a
(replications × months) array — never ledgers — so what crosses the wire, and what the parent
keeps, grows only with those rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sib.pricing import PricedContract
from sib.replication import Replication, simulate_priced, start_keys
from sib.scenario.schema import Scenario

#: Monthly series are kept as float32 (about 0.01 % precision on kronor): quantiles for fan
#: charts need no öre, and 100 000 replications' series then fit in a few hundred MB.
SERIES_DTYPE = np.float32


@dataclass(frozen=True)
class Task:
    """Replications ``start .. stop - 1`` of each design, under the same streams. Design j
    takes what it shares from design ``shares[j]`` (see ``share_starts``)."""

    scenarios: tuple[Scenario, ...]
    priced: tuple[PricedContract, ...]
    seed: np.random.SeedSequence
    start: int
    stop: int
    shares: tuple[tuple[int, bool], ...]


@dataclass
class Batch:
    start: int
    stop: int
    columns: dict[str, np.ndarray]  # metric (and param.<path>) → one value per replication
    series: dict[str, np.ndarray]  # monthly series → (replications, months)
    months: list[dt.date]


def share_starts(scenarios: Sequence[Scenario], priced: Sequence[PricedContract]) -> tuple[tuple[int, bool], ...]:
    """For each design, the design it takes its start from and whether it takes the payments
    too: the first one with its participants key (itself if none before), and among those the
    first with its payments key too, if any — that one's start has both."""
    first: dict[Any, int] = {}
    out = []
    for j, (sc, p) in enumerate(zip(scenarios, priced)):
        participants, payments = start_keys(sc, p)
        alike = first.setdefault((participants, payments), j)
        out.append((alike, True) if alike < j else (first.setdefault(participants, j), False))
    return tuple(out)


def run_batch(task: Task) -> list[Batch]:
    """Each design's replications ``start .. stop - 1`` (what ``simulate`` would give each)."""
    n = len(task.scenarios)
    rows: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    series: list[dict[str, list[np.ndarray]]] = [{} for _ in range(n)]
    months: list[list[dt.date]] = [[] for _ in range(n)]
    for i in range(task.start, task.stop):
        done: list[Replication] = []
        for j, (sc, priced) in enumerate(zip(task.scenarios, task.priced)):
            source, paid_alike = task.shares[j]
            rep = simulate_priced(sc, priced, task.seed, i, done[source].start if source < j else None, paid_alike)
            done.append(rep)
            row = dict(rep.metrics)
            row.update({f"param.{name}": value for name, value in rep.parameters.items()})
            rows[j].append(row)
            for name, values in rep.monthly_series().items():
                series[j].setdefault(name, []).append(values)
            if not months[j]:
                months[j] = rep.months()
    return [
        Batch(task.start, task.stop, _columns(r), {k: np.asarray(v, dtype=SERIES_DTYPE) for k, v in s.items()}, m)
        for r, s, m in zip(rows, series, months)
    ]


def _columns(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    return {key: column(key, [r.get(key) for r in rows]) for key in rows[0]} if rows else {}


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
