"""Comparing designs: scenarios side by side, a parameter swept, and a break-even searched —
always under common random numbers (the same seed, so the same participants, referrals and
parameter quantiles in replication i of every design)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from sib.i18n import say
from sib.scenario.edit import with_value
from sib.scenario.schema import Scenario
from sib.study import stats
from sib.study.results import Progress, Results, run_many

# ---------------------------------------------------------------- compare


@dataclass
class Comparison:
    """Several designs run with the same streams; ``results`` by name, in the order given."""

    results: dict[str, Results]

    @property
    def names(self) -> list[str]:
        return list(self.results)

    def kpis(self) -> pd.DataFrame:
        return pd.concat([r.kpis().assign(scenario=n) for n, r in self.results.items()], ignore_index=True)

    @property
    def summary(self) -> pd.DataFrame:
        return pd.concat([r.summary.assign(scenario=n) for n, r in self.results.items()], ignore_index=True)

    def difference(self, a: str, b: str, metric: str) -> stats.Estimate:
        """The mean of ``metric`` in ``b`` minus in ``a``, paired replication by replication
        (common random numbers make this far more precise than two separate runs)."""
        x = self.results[b].values(metric).astype(float) - self.results[a].values(metric).astype(float)
        return stats.mean(x)


def compare(
    scenarios: Mapping[str, Scenario] | Sequence[Scenario],
    reps: int = 1000,
    seed: int | np.random.SeedSequence = 0,
    executor: Any = None,
    *,
    progress: Progress | None = None,
    scheduler: str | None = None,
) -> Comparison:
    """Run every scenario with the same ``seed``: replication i of each sees the same referrals,
    the same participants' draws and the same quantiles of shared uncertain parameters."""
    named = dict(scenarios) if isinstance(scenarios, Mapping) else _by_name(scenarios)
    results = run_many(list(named.values()), reps, seed, executor, progress=progress, scheduler=scheduler)
    return Comparison(dict(zip(named, results)))


def _by_name(scenarios: Sequence[Scenario]) -> dict[str, Scenario]:
    out: dict[str, Scenario] = {}
    for sc in scenarios:
        name, k = sc.name, 2
        while name in out:  # two files with one name still get a column each
            name, k = f"{sc.name} ({k})", k + 1
        out[name] = sc
    return out


# ---------------------------------------------------------------- values


#: The most values one sweep takes: each is a whole study.
MAX_VALUES = 200


def parse_values(text: str) -> list[float]:
    """'0.2:0.75:0.05' (start:stop:step, stop included) or '0.2,0.4,0.6': finite numbers, at
    least one and at most ``MAX_VALUES``."""
    bad = ValueError(
        say(
            "värdena måste vara start:stop:step (ändliga tal, step > 0, stop >= start) eller en lista som 0.2,0.4 "
            "(1 till {most} värden), angivet: {text!r}",
            "values must be start:stop:step (finite, step > 0, stop >= start) or a list like 0.2,0.4 (1 to {most} values), got {text!r}",
            most=MAX_VALUES,
            text=text,
        )
    )
    try:
        numbers = [float(x) for x in text.split(":")] if ":" in text else [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise bad from None
    if not numbers or not all(math.isfinite(v) for v in numbers):
        raise bad
    if ":" not in text:
        if len(numbers) > MAX_VALUES:
            raise bad
        return numbers
    if len(numbers) != 3:
        raise bad
    start, stop, step = numbers
    if step <= 0 or stop < start:
        raise bad
    span = (stop - start) / step + 1e-9
    count = math.floor(span) + 1 if math.isfinite(span) else math.inf
    if count > MAX_VALUES:
        raise ValueError(
            say(
                "start:stop:step ger {count:.0f} värden; högst {most} (vart och ett är en hel studie): "
                "ta ett större steg, angivet: {text!r}",
                "start:stop:step gives {count:.0f} values; at most {most} (each is a whole study): take a larger step, got {text!r}",
                count=count,
                most=MAX_VALUES,
                text=text,
            )
        )
    return [round(start + i * step, 12) for i in range(int(count))]


# ---------------------------------------------------------------- sweep


@dataclass
class Sweep:
    """One parameter at several values, every value run with the same streams."""

    parameter: str
    values: list[Any]
    results: list[Results]

    def table(
        self,
        metrics: Sequence[tuple[str, str]] = (
            ("provider_insolvent", "probability"),
            ("commissioner_paid", "mean"),
            ("cost_per_outcome", "mean"),
        ),
    ) -> pd.DataFrame:
        """Per value: each (metric, statistic) with its 95 % interval."""
        rows = []
        for v, r in zip(self.values, self.results):
            for metric, statistic in metrics:
                if metric in r.summary:
                    e = r.kpi(metric, statistic)
                    rows.append((v, metric, statistic, e.value, e.low, e.high, e.se, e.n))
        return pd.DataFrame(rows, columns=[self.parameter, "metric", "statistic", "value", "low", "high", "se", "n"])


def sweep(
    scenario: Scenario,
    parameter: str,
    values: Sequence[Any],
    reps: int = 1000,
    seed: int | np.random.SeedSequence = 0,
    executor: Any = None,
    *,
    progress: Progress | None = None,
    scheduler: str | None = None,
) -> Sweep:
    """``scenario`` run at each of ``values`` of ``parameter`` (e.g. ``contract.outcome_share``)."""
    return sweeps({"": scenario}, parameter, values, reps, seed, executor, progress=progress, scheduler=scheduler)[""]


def sweeps(
    scenarios: Mapping[str, Scenario],
    parameter: str,
    values: Sequence[Any],
    reps: int = 1000,
    seed: int | np.random.SeedSequence = 0,
    executor: Any = None,
    *,
    progress: Progress | None = None,
    scheduler: str | None = None,
) -> dict[str, Sweep]:
    """The same sweep of several designs (with and without the guarantee, say), by name, run as
    one study: each value of each design shares what it can with the others in the same
    replication (see ``sib.study.batch.share_starts``) — and the progress counts all of it."""
    variants = {name: [with_value(sc, parameter, v) for v in values] for name, sc in scenarios.items()}  # all checked first
    results = run_many([v for vs in variants.values() for v in vs], reps, seed, executor, progress=progress, scheduler=scheduler)
    n = len(values)
    return {name: Sweep(parameter, list(values), results[k * n : (k + 1) * n]) for k, name in enumerate(variants)}


# ---------------------------------------------------------------- break-even


def crossing(x: Sequence[float], risk_values: Sequence[float], threshold: float) -> tuple[float, str] | None:
    """Where a swept risk crosses the threshold, and which way the setting's question runs: where
    the risk falls as the value rises (a credit line, own cash) the lowest value from which it
    stays below the threshold ("lowest"); where it rises (the outcome share) the highest value
    up to which it stays below ("highest"). None where the curve does not cross."""
    below = [p < threshold for p in risk_values]
    if all(below) or not any(below):
        return None
    if risk_values[-1] <= risk_values[0]:  # falls: from which value on is it safe?
        k = len(below)
        while k > 0 and below[k - 1]:
            k -= 1
        return (x[k], "lowest") if k < len(x) else None
    k = 0
    while k < len(below) and below[k]:
        k += 1
    return (x[k - 1], "highest") if k > 0 else None


@dataclass
class BreakEven:
    """Where ``metric``'s ``statistic`` crosses ``threshold`` as ``parameter`` moves, and a 95 %
    interval for it. ``direction`` says which side is safe: "highest", the highest value up to
    which the risk stays below the threshold (a risk that rises with the value: the outcome
    share); "lowest", the lowest value from which it stays below (a risk that falls: a credit
    line, own cash). The interval lies between the values evaluated nearest the break-even whose
    whole interval lay below the threshold on one side and above it on the other (None where
    the search range ended first)."""

    parameter: str
    metric: str
    statistic: str
    threshold: float
    value: float | None  # None: no value in the range keeps the statistic below the threshold
    low: float | None
    high: float | None
    evaluations: pd.DataFrame = field(repr=False)
    direction: Literal["highest", "lowest"] = "highest"


def break_even(
    scenario: Scenario,
    parameter: str = "contract.outcome_share",
    *,
    metric: str = "provider_insolvent",
    statistic: str = "probability",
    threshold: float = 0.05,
    low: float = 0.0,
    high: float = 1.0,
    tolerance: float = 0.01,
    reps: int = 1000,
    seed: int | np.random.SeedSequence = 0,
    executor: Any = None,
    progress: Callable[[int, int], None] | None = None,
    direction: Literal["highest", "lowest"] = "highest",
) -> BreakEven:
    """Bisection on ``parameter`` in [low, high] down to ``tolerance``, each point a study with
    the same seed; then the bracket is widened until the interval's ends are found.
    ``direction``: "highest" for a risk that rises with the value (the highest safe value),
    "lowest" for one that falls (the lowest safe value)."""
    if direction not in ("highest", "lowest"):
        raise ValueError(
            say(
                "direction måste vara 'highest' eller 'lowest', angivet: {d}",
                "direction must be 'highest' or 'lowest', got {d}",
                d=direction,
            )
        )
    seen: dict[float, stats.Estimate] = {}

    def at(x: float) -> stats.Estimate:
        x = round(x, 12)
        if x not in seen:
            seen[x] = run_many([with_value(scenario, parameter, x)], reps, seed, executor)[0].kpi(metric, statistic)
            if progress is not None:
                progress(len(seen), 0)
        return seen[x]

    rises = direction == "highest"
    # The safe end of the range and the unsafe one; the bisection keeps ``safe`` safe.
    safe, unsafe = (low, high) if rises else (high, low)
    if at(safe).value >= threshold:
        value = None
    elif at(unsafe).value < threshold:
        value = unsafe
    else:
        while abs(unsafe - safe) > tolerance:
            mid = (safe + unsafe) / 2
            safe, unsafe = (mid, unsafe) if at(mid).value < threshold else (safe, mid)
        value = safe
    surely_safe = surely_unsafe = None
    if value is not None:
        # From the break-even towards the safe end until a value's whole interval lies below the
        # threshold, and towards the unsafe end until one's lies above it.
        inward, outward = (-1.0, 1.0) if rises else (1.0, -1.0)
        for sign, sure in ((inward, lambda e: e.high < threshold), (outward, lambda e: e.low > threshold)):
            step, x = tolerance, value
            while low < x < high or x == value:
                if sure(at(x)):
                    break
                nxt = min(high, max(low, x + sign * step))
                if nxt == x:
                    break
                x, step = nxt, step * 2
            found = x if sure(at(x)) else None
            if sign == inward:
                surely_safe = found
            else:
                surely_unsafe = found
    lo_end, hi_end = (surely_safe, surely_unsafe) if rises else (surely_unsafe, surely_safe)
    table = pd.DataFrame(
        [(x, e.value, e.low, e.high, e.n) for x, e in sorted(seen.items())],
        columns=[parameter, "value", "low", "high", "n"],
    )
    return BreakEven(parameter, metric, statistic, threshold, value, lo_end, hi_end, table, direction)
