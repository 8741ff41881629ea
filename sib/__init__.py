"""sib — a simulator of outcome-based contracts (sociala utfallskontrakt, social impact bonds).

The flow: a scenario file (data) → the engine (simpy processes) → the ledger (money) →
results (tables) → views (CLI, dashboard, Excel).
"""

from sib.pricing import PricedContract, price
from sib.replication import Replication, simulate
from sib.scenario.errors import ScenarioError
from sib.scenario.loader import load_scenario, loads_scenario
from sib.scenario.schema import Scenario

__version__ = "0.1.0"

__all__ = [
    "PricedContract",
    "Replication",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "loads_scenario",
    "price",
    "simulate",
    "__version__",
]
