"""A Monte Carlo study of one scenario: ``run`` and the ``Results`` it gives.

Replication i of ``run(scenario, reps, seed)`` is exactly ``simulate(scenario, seed,
replication=i)``, on whichever executor and in whichever batches it ran: each replication
draws only from its own streams, and batches are put back in order.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sib.i18n import say
from sib.pricing import PricedContract, price
from sib.replication import Replication, simulate_priced
from sib.scenario.schema import Scenario
from sib.study import executors, stats
from sib.study.batch import Batch, Task, run_batch, share_starts
from sib.study.executors import PoolFailed, RunInterrupted

#: Quantiles of every monthly series in ``Results.timeseries``.
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

Progress = Callable[[int, int], None]  # (replications done, replications in all)


def root_seed(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    return seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)


def run(
    scenario: Scenario,
    reps: int = 1000,
    seed: int | np.random.SeedSequence = 0,
    executor: Any = None,
    *,
    batch_size: int | None = None,
    progress: Progress | None = None,
    scheduler: str | None = None,
) -> Results:
    """Simulate ``reps`` replications of ``scenario`` with root ``seed``.

    ``executor``: None for the local process pool (or the Dask cluster at ``scheduler`` /
    ``$SIB_SCHEDULER``), "serial" for this process, any ``concurrent.futures.Executor``, or a
    Dask ``Client``. The contract is priced once, before any replication.
    """
    return run_many([scenario], reps, seed, executor, batch_size=batch_size, progress=progress, scheduler=scheduler)[0]


def run_many(
    scenarios: Sequence[Scenario],
    reps: int,
    seed: int | np.random.SeedSequence = 0,
    executor: Any = None,
    *,
    batch_size: int | None = None,
    progress: Progress | None = None,
    scheduler: str | None = None,
) -> list[Results]:
    """Several scenarios with the same seed (common random numbers), their batches run side by
    side on one executor."""
    if reps < 1:
        raise ValueError(say("reps måste vara minst 1, angivet: {reps}", "reps must be >= 1, got {reps}", reps=reps))
    root = root_seed(seed)
    pool = executors.resolve(executor, scheduler)
    with executors.stoppable():
        try:
            priced = _price_all(pool, scenarios)
            if executors.stop_asked():
                raise KeyboardInterrupt
        except KeyboardInterrupt:  # stopped while pricing: nothing run yet
            executors.stop(pool)
            raise RunInterrupted(0, reps * len(scenarios)) from None
        except BrokenProcessPool as exc:
            raise _failed(pool, exc) from None
        return _run_priced(pool, scenarios, priced, reps, root, batch_size, progress)


def _run_priced(
    pool,
    scenarios: Sequence[Scenario],
    priced: list[PricedContract],
    reps: int,
    root: np.random.SeedSequence,
    batch_size: int | None,
    progress: Progress | None,
) -> list[Results]:
    # Many small batches (~16 per worker): the last ones finish close together, so no worker
    # idles long at the end; a batch costs ~2 ms to send and return. Each batch runs the same
    # replications of every design, so designs can share what they have in common.
    n = len(scenarios)
    size = batch_size or max(1, min(math.ceil(200 / n), math.ceil(reps / (16 * executors.capacity(pool)))))
    shares = share_starts(scenarios, priced)
    tasks = [Task(tuple(scenarios), tuple(priced), root, a, min(a + size, reps), shares) for a in range(0, reps, size)]
    batches = _execute(pool, tasks, reps * n, progress)
    return [Results(sc, root, p, [b[k] for b in batches]) for k, (sc, p) in enumerate(zip(scenarios, priced))]


def _price_all(pool, scenarios: Sequence[Scenario]) -> list[PricedContract]:
    """Each scenario's contract priced; those not priced yet are priced side by side on the
    executor (pricing is deterministic, so where it runs does not matter)."""
    todo = {sc.digest: sc for sc in scenarios if not price.known(sc)}
    if len(todo) > 1 and not isinstance(pool, executors.SerialExecutor):
        with executors.held_signals():  # the pool may be starting: stopped after, not during
            futures = {key: executors.send(pool, price, sc) for key, sc in todo.items()}
        for key, future in futures.items():
            price.prime(todo[key], executors.outcome(future))
    return [price(sc) for sc in scenarios]


def _execute(pool, tasks: list[Task], total: int, progress: Progress | None) -> list[list[Batch]]:
    futures: list[Future] = []
    done = 0
    try:
        with executors.held_signals():  # the pool may be starting: stopped after, not during
            futures = [executors.send(pool, run_batch, t) for t in tasks]
        out = []
        for future in futures:  # in order: batch k is always the same replications
            batches = executors.outcome(future)
            if executors.stop_asked():  # its signal lost while a batch ran here (serial)
                raise KeyboardInterrupt
            out.append(batches)
            done += sum(b.stop - b.start for b in batches)
            if progress is not None:
                progress(done, total)
        return out
    except KeyboardInterrupt:
        executors.stop(pool, futures)
        raise RunInterrupted(done, total) from None
    except BrokenProcessPool as exc:
        raise _failed(pool, exc) from None


def _failed(pool, exc: BrokenProcessPool) -> PoolFailed:
    """A broken pool is stopped (the next run starts a fresh one) and said in one line: the
    workers' exit codes where the pool knows them, else the first sentence of its reason."""
    executors.stop(pool)
    text = " ".join(str(exc).split())
    codes = re.search(r"exit codes of the workers are \{([^}]*)\}", text)
    why = codes.group(1) if codes else (text.split(". ")[0] or type(exc).__name__)
    return PoolFailed(
        say(
            "Arbetsprocesserna kunde inte starta eller avslutades oväntat ({why}): slut på minne, eller dödade?",
            "The worker processes could not start or ended unexpectedly ({why}): out of memory, or killed?",
            why=why,
        )
    )


@dataclass(frozen=True)
class _Series:
    months: list[dt.date]
    values: dict[str, np.ndarray]  # name → (replications, months)


class Results:
    """What a study found: one row per replication, monthly quantiles, KPIs with intervals."""

    def __init__(self, scenario: Scenario, seed: np.random.SeedSequence, priced: PricedContract, batches: list[Batch]):
        self.scenario = scenario
        self.seed = seed
        self.priced = priced
        self.reps = sum(b.stop - b.start for b in batches)
        keys = list(batches[0].columns)
        self._columns = {k: np.concatenate([b.columns[k] for b in batches]) for k in keys}
        self._series = _Series(batches[0].months, {k: np.concatenate([b.series[k] for b in batches]) for k in batches[0].series})

    def __repr__(self) -> str:
        return f"Results({self.scenario.name!r}, reps={self.reps}, seed={self.seed.entropy})"

    @cached_property
    def summary(self) -> pd.DataFrame:
        """One row per replication: scenario, replication, seed, every metric, every drawn
        parameter (``param.<path>``)."""
        frame = pd.DataFrame(self._columns)
        frame.insert(0, "seed", str(self.seed.entropy))
        frame.insert(0, "replication", np.arange(self.reps))
        frame.insert(0, "scenario", self.scenario.name)
        return frame

    def series(self, name: str) -> np.ndarray:
        """A monthly series over all replications: (replications, months)."""
        return self._series.values[name]

    @property
    def series_names(self) -> list[str]:
        return list(self._series.values)

    @property
    def months(self) -> list[dt.date]:
        return self._series.months

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """Per month and series: the mean and the 5/25/50/75/95 % quantiles over replications."""
        return pd.concat([self.bands(name) for name in self._series.values], ignore_index=True)

    def bands(self, name: str) -> pd.DataFrame:
        """One monthly series' rows of ``timeseries`` (a chart of one series needs no more)."""
        v = self._series.values[name].astype(np.float64)
        q = np.quantile(v, QUANTILES, axis=0)
        part = pd.DataFrame({"month": self.months, "series": name, "mean": v.mean(axis=0)})
        for level, row in zip(QUANTILES, q):
            part[f"p{round(level * 100):02d}"] = row
        return part

    def kpis(self) -> pd.DataFrame:
        """Every numeric metric's mean and 5/50/95 % quantiles, and every yes/no metric's
        probability, each with its 95 % interval and Monte Carlo standard error."""
        rows = []
        for name, values in self._columns.items():
            if values.dtype == bool:
                rows.append(_row(name, "probability", stats.probability(values)))
            elif np.issubdtype(values.dtype, np.number):
                x = values.astype(np.float64)
                rows.append(_row(name, "mean", stats.mean(x)))
                for q in (0.05, 0.5, 0.95):
                    rows.append(_row(name, f"p{round(q * 100):02d}", stats.quantile(x, q)))
        return pd.DataFrame(rows, columns=["metric", "statistic", "value", "low", "high", "se", "n"])

    def kpi(self, metric: str, statistic: str = "mean") -> stats.Estimate:
        """One figure with its interval, e.g. ``kpi("provider_insolvent", "probability")``."""
        values = self._columns[metric]
        if statistic == "probability":
            return stats.probability(values.astype(bool))
        x = values.astype(np.float64)
        if statistic == "mean":
            return stats.mean(x)
        if statistic.startswith("p") and statistic[1:].isdigit():
            return stats.quantile(x, int(statistic[1:]) / 100)
        raise ValueError(
            say(
                "statistic måste vara 'mean', 'probability' eller 'pNN', angivet: {v!r}",
                "statistic must be 'mean', 'probability' or 'pNN', got {v!r}",
                v=statistic,
            )
        )

    def values(self, metric: str) -> np.ndarray:
        return self._columns[metric]

    def at_percentile(self, metric: str, q: float) -> int:
        """The replication whose ``metric`` sits at the q-th percentile (0–100), e.g. the 5th
        percentile of the provider's minimum liquidity: the one to drill into."""
        x = self._columns[metric].astype(np.float64)
        order = np.argsort(x, kind="stable")
        return int(order[min(len(x) - 1, max(0, int(round(q / 100 * (len(x) - 1)))))])

    def replication(self, i: int) -> Replication:
        """Replication i in full (ledger, events), simulated again: the same numbers."""
        if not 0 <= i < self.reps:
            raise IndexError(
                say(
                    "replication måste vara i 0..{last}, angivet: {i}", "replication must be in 0..{last}, got {i}", last=self.reps - 1, i=i
                )
            )
        return simulate_priced(self.scenario, self.priced, self.seed, i)


def _row(metric: str, statistic: str, e: stats.Estimate) -> tuple:
    return (metric, statistic, e.value, e.low, e.high, e.se, e.n)
