"""sib — a simulator of outcome-based contracts (sociala utfallskontrakt, social impact bonds).

The flow: a scenario file (data) → the engine (simpy processes) → the ledger (money) →
results (tables) → views (CLI, dashboard, Excel).

The names below are imported when first used, not with ``import sib``: the ``sib`` command
starts (and can be stopped cleanly) before numpy, pandas and the engine have loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_HOME = {
    "PricedContract": "sib.pricing",
    "price": "sib.pricing",
    "Replication": "sib.replication",
    "simulate": "sib.replication",
    "ScenarioError": "sib.scenario.errors",
    "load_scenario": "sib.scenario.loader",
    "loads_scenario": "sib.scenario.loader",
    "Scenario": "sib.scenario.schema",
    "BreakEven": "sib.study.compare",
    "Comparison": "sib.study.compare",
    "Sweep": "sib.study.compare",
    "break_even": "sib.study.compare",
    "compare": "sib.study.compare",
    "sweep": "sib.study.compare",
    "sweeps": "sib.study.compare",
    "Results": "sib.study.results",
    "RunInterrupted": "sib.study.executors",
    "run": "sib.study.results",
}

__all__ = sorted([*_HOME, "__version__", "i18n"])


def __getattr__(name: str) -> Any:
    if name == "i18n":
        return importlib.import_module("sib.i18n")
    if name not in _HOME:
        raise AttributeError(f"module 'sib' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from sib import i18n
    from sib.pricing import PricedContract, price
    from sib.replication import Replication, simulate
    from sib.scenario.errors import ScenarioError
    from sib.scenario.loader import load_scenario, loads_scenario
    from sib.scenario.schema import Scenario
    from sib.study.compare import BreakEven, Comparison, Sweep, break_even, compare, sweep, sweeps
    from sib.study.executors import RunInterrupted
    from sib.study.results import Results, run
