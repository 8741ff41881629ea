"""The golden set: every reference scenario's ledger and metrics for several seeds, as digests
fixed in tests/data/golden.json. A refactoring must leave every one bit-identical; a change
that moves a number on purpose rewrites the file (``make golden``) and says
which numbers moved and why in its commit."""

from __future__ import annotations

import hashlib
import json
import math
import sys

import pytest
from helpers_paths import REPO

import sib

ROOT = REPO
GOLDEN = ROOT / "tests" / "data" / "golden.json"
#: (seed, replication) pairs: replication i of a study with that seed.
DRAWS = ((0, 0), (1, 3), (20261206, 11))


def _value(v):
    if isinstance(v, float):
        return "nan" if math.isnan(v) else v.hex()  # exact, to the last bit
    return v if isinstance(v, (int, str, bool, type(None))) else str(v)


def digest(scenario: sib.Scenario, seed: int, replication: int) -> str:
    """One replication as a digest: every ledger row and every metric, exactly."""
    rep = sib.simulate(scenario, seed, replication)
    metrics = json.dumps({k: _value(v) for k, v in sorted(rep.metrics.items())}, sort_keys=True)
    ledger = rep.ledger.to_csv(index=False)
    return hashlib.sha256(f"{metrics}\n{ledger}".encode()).hexdigest()


def digests() -> dict[str, str]:
    out = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = sib.load_scenario(path)
        for seed, replication in DRAWS:
            out[f"{path.stem} seed {seed} replication {replication}"] = digest(scenario, seed, replication)
    return out


@pytest.fixture(scope="module")
def golden() -> dict[str, str]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_every_reference_scenario_gives_its_golden_numbers(golden):
    now = digests()
    assert now.keys() == golden.keys(), "the reference scenarios changed: rewrite the golden set on purpose"
    moved = [key for key in golden if now[key] != golden[key]]
    assert not moved, f"{len(moved)} of {len(golden)} golden replications moved: {moved[:6]}"


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(digests(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}", file=sys.stderr)
