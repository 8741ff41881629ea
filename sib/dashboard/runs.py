"""Studies the dashboard runs, kept on the resolved scenarios, replications and seed: the same
question asked again (a rerun of the page, another person in the workshop) is answered at once,
and a warm worker pool answers a new one in seconds.

A plain process-wide cache rather than ``st.cache_resource``: a run reports progress to a bar
on the page, which a Streamlit cache would try to replay."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import streamlit as st

import sib
from sib.study.compare import Comparison, Sweep

Progress = Callable[[int, int], None]
_cache: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()
MAX_KEPT = 24


def kept(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, or what it gave for ``key`` before (the last ``MAX_KEPT`` kept)."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = compute()
    with _lock:
        _cache[key] = value
        while len(_cache) > MAX_KEPT:
            _cache.popitem(last=False)
    return value


def compare(scenarios: list[sib.Scenario], reps: int, seed: int, progress: Progress | None = None) -> Comparison:
    key = ("compare", tuple(sc.digest for sc in scenarios), tuple(sc.name for sc in scenarios), reps, seed)
    return kept(key, lambda: sib.compare(scenarios, reps, seed, progress=progress))


def sweep(
    variants: dict[str, sib.Scenario], parameter: str, values: list[float], reps: int, seed: int, progress: Progress | None = None
) -> dict[str, Sweep]:
    """The sweep of each variant (by name), run together so that they share what they can."""
    key = ("sweep", tuple((name, sc.digest) for name, sc in variants.items()), parameter, tuple(values), reps, seed)
    return kept(key, lambda: sib.sweeps(variants, parameter, values, reps, seed, progress=progress))


def run(scenario: sib.Scenario, reps: int, seed: int) -> sib.Results:
    return kept(("run", scenario.digest, reps, seed), lambda: sib.run(scenario, reps, seed))


#: Seconds between two redraws of a progress bar: each one is a message to the browser and a
#: repaint there, which on a small machine takes time from the workers computing the study.
REDRAW_EVERY = 0.5


def progress_bar(label: str) -> tuple[Progress, Callable[[], None]]:
    """A progress bar and the function that removes it."""
    bar = st.progress(0.0, text=label)
    last = [0.0]

    def update(done: int, total: int) -> None:
        now = time.monotonic()
        if total and (now - last[0] >= REDRAW_EVERY or done >= total):
            last[0] = now
            bar.progress(min(1.0, done / total), text=f"{label} {done} / {total}")

    return update, bar.empty
