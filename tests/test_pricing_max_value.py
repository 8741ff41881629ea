"""The maximum contract value is a bound the commissioner can budget on: never exceeded."""

import pytest
from helpers_deterministic import ENGINE_SCENARIOS
from helpers_paths import REPO

import sib

ROOT = REPO
FILES = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "tests" / "data").glob("max_*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_replication_pays_more_than_the_maximum(path):
    """Catches a maximum that counts repeatable milestones once, bounds per participant-month
    fees by places that participants leave while still enrolled, or forgets that tiers pay
    per participant under the per-participant cap."""
    scenario = sib.load_scenario(path)
    most = sib.price(scenario).max_contract_value
    if most is None:  # no bound: the contract must really allow unbounded payment
        assert path.stem == "max_repeatable", f"{path.stem}: the contract sets no upper bound"
        return
    # A variant that changes only its terms scales its base's prices: fewer replications suffice.
    for replication in range(40 if path in ENGINE_SCENARIOS or path.parent.name == "data" else 10):
        paid = sib.simulate(scenario, 11, replication).metrics["commissioner_paid"]
        assert paid <= most, f"replication {replication} paid {paid} > maximum {most}"


def test_maximum_is_reached_when_everyone_achieves_everything():
    """The bound is tight for a cohort that fills every place and reaches every milestone."""
    scenario = sib.load_scenario(ROOT / "tests" / "data" / "max_tier_capped.yaml")
    most = sib.price(scenario).max_contract_value
    paid = sib.simulate(scenario, 0).metrics["commissioner_paid"]
    assert paid == pytest.approx(most, abs=1.0)
