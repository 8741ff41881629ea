"""The compiled kernels read and write only inside their arrays: scenarios that reach every
kernel, each also with a provider that runs out of money, simulated once in a process where
numba checks every index (NUMBA_BOUNDSCHECK=1, compiled afresh into a cache of its own so that the checked code
never mixes with the fast one). An index out of range there is an IndexError, not a silent read
of a neighbour's memory."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers_paths import REPO

ROOT = REPO

#: Scenarios that between them reach every kernel: the two bases, invoice financing, an
#: investor, a bank loan beside the line; each also with a provider that runs out of money.
SCRIPT = """
import sib
from sib.scenario.edit import with_values
loan = {"financing.loan": {"principal": 1_500_000, "interest_rate": 0.06, "term_months": 54, "amortisation": "straight"}}
broke = {"provider.opening_equity": 0, "insolvency.grace_days.suppliers": 0, "insolvency.grace_days.rent": 0}
for name, extra in [("bostad_forst", {}), ("bostad_forst_utan_garanti_fakturabelaning", {}), ("arbetsintegrering", loan),
                    ("arbetsintegrering_sib", {})]:
    sc = with_values(sib.load_scenario(f"scenarios/{name}.yaml"), {"contract.pricing.replications": 20, **extra})
    sib.simulate(sc, 3)
    sib.simulate(with_values(sc, broke), 3)
print("checked", flush=True)
"""


def test_every_kernel_stays_inside_its_arrays(tmp_path):
    # Not measured by coverage: numba's compiler is Python, and its tracer would slow the
    # compile by about a tenth, while the kernels' own lines are never traced anyway.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    env.update(NUMBA_BOUNDSCHECK="1", NUMBA_CACHE_DIR=str(tmp_path / "numba"))
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0 and "checked" in proc.stdout, proc.stderr[-4000:]
