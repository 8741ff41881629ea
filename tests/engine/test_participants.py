"""The intake skips simpy when nobody would wait; it must then give exactly what simpy gives."""

import pandas as pd
import pytest
from helpers_deterministic import ENGINE_SCENARIOS

import sib
from sib.engine.participants import Intake

SCENARIOS = ENGINE_SCENARIOS


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shortcut_equals_the_queue(path, seed, monkeypatch):
    """Catches a shortcut that frees places at the wrong moment or ignores the contract maximum:
    its ledger, events and metrics would differ from simpy's on the same seed."""
    scenario = sib.load_scenario(path)
    fast = sib.simulate(scenario, seed)
    monkeypatch.setattr(Intake, "_nobody_waits", lambda self: False)
    slow = sib.simulate(scenario, seed)
    pd.testing.assert_frame_equal(fast.ledger, slow.ledger)
    pd.testing.assert_frame_equal(fast.events, slow.events)
    assert fast.metrics == slow.metrics or all(
        (a == b) or (a != a and b != b) for a, b in zip(fast.metrics.values(), slow.metrics.values())
    )


def test_shortcut_is_taken_only_when_nobody_waits():
    """With places so few that referrals must wait, the queue runs (someone waits or is lost)."""
    scenario = sib.load_scenario(SCENARIOS[0])
    # (at a lower outcome share: with three places, a fee running through the tail and the
    # per-participant cap, the file's 50 % is out of reach)
    contract = scenario.contract.model_copy(update={"outcome_share": 0.4})
    tight = scenario.model_copy(update={"capacity": scenario.capacity.model_copy(update={"places": 3}), "contract": contract})
    m = sib.simulate(tight, 0).metrics
    assert m["wait_days_max"] > 0 or m["lost_list_full"] + m["lost_max_wait"] > 0
