"""sib — a simulator of outcome-based contracts (sociala utfallskontrakt, social impact bonds).

The flow: a scenario file (data) → the engine (simpy processes) → the ledger (money) →
results (tables) → views (CLI, dashboard, Excel).
"""

from sib import i18n
from sib.pricing import PricedContract, price
from sib.replication import Replication, simulate
from sib.scenario.errors import ScenarioError
from sib.scenario.loader import load_scenario, loads_scenario
from sib.scenario.schema import Scenario
from sib.study.compare import BreakEven, Comparison, Sweep, break_even, compare, sweep, sweeps
from sib.study.results import Results, RunInterrupted, run

__version__ = "0.1.0"

__all__ = [
    "BreakEven",
    "Comparison",
    "PricedContract",
    "Replication",
    "Results",
    "RunInterrupted",
    "Scenario",
    "ScenarioError",
    "Sweep",
    "__version__",
    "break_even",
    "i18n",
    "compare",
    "load_scenario",
    "loads_scenario",
    "price",
    "run",
    "simulate",
    "sweep",
    "sweeps",
]
