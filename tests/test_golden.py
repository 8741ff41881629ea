"""The golden set: every reference scenario's ledger and metrics for several seeds, as digests
fixed in tests/data/golden.json. A refactoring must leave every one bit-identical; a change
that moves a number on purpose rewrites the file (``python tests/test_golden.py``) and says
which numbers moved and why in its commit.

They are computed in a process where numba checks every index the compiled kernels use
(NUMBA_BOUNDSCHECK=1, compiled afresh into a cache of its own so that the checked code never
mixes with the fast one), together with variants that reach the kernels the reference files
do not (a bank loan, a provider that runs out of money): an index out of range there is an
IndexError, not a silent read of a neighbour's memory. The checks change no number."""

from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import sib
from sib.scenario.edit import with_values

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden.json"
#: (seed, replication) pairs: replication i of a study with that seed.
DRAWS = ((0, 0), (1, 3), (20261206, 11))
#: With the reference files, these reach every kernel: a bank loan beside the line, and each
#: base with a provider that has no money and no grace.
LOAN = {"financing.loan": {"principal": 1_500_000, "interest_rate": 0.06, "term_months": 54, "amortisation": "straight"}}
BROKE = {"provider.opening_equity": 0, "insolvency.grace_days.suppliers": 0, "insolvency.grace_days.rent": 0}
VARIANTS = [
    ("bostad_forst", BROKE),
    ("bostad_forst_utan_garanti_fakturabelaning", BROKE),
    ("arbetsintegrering", {**LOAN, **BROKE}),
    ("arbetsintegrering_sib", BROKE),
]


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


def variants() -> None:
    for name, changes in VARIANTS:
        sib.simulate(with_values(sib.load_scenario(ROOT / "scenarios" / f"{name}.yaml"), changes), 3)


def test_every_reference_scenario_gives_its_golden_numbers_with_every_index_checked(tmp_path):
    env = {**os.environ, "NUMBA_BOUNDSCHECK": "1", "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    script = "import json, sys; sys.path.insert(0, 'tests'); import test_golden as g; g.variants(); print(json.dumps(g.digests()))"
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    now = json.loads(proc.stdout.strip().splitlines()[-1])
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert now.keys() == golden.keys(), "the reference scenarios changed: rewrite the golden set on purpose"
    moved = [key for key in golden if now[key] != golden[key]]
    assert not moved, f"{len(moved)} of {len(golden)} golden replications moved: {moved[:6]}"


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(digests(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}", file=sys.stderr)
