"""More outcome-based pay means a deeper funding need: the provider waits longer for its money."""

import numpy as np
import pytest
from helpers_paths import REPO

import sib
from sib.scenario.loader import build, deep_merge, resolve_extends

ROOT = REPO
SHARES = (0.20, 0.40, 0.60, 0.75)
REPS = 60


@pytest.mark.parametrize("name", ["bostad_forst", "arbetsintegrering"])
def test_mean_funding_need_rises_with_the_outcome_share(name):
    """Same seeds (common random numbers), everything else fixed, the run continuing whatever
    the cash. The mean funding need must rise at every step by at least 2 % of the expected
    contract value: a margin far above the noise left by common random numbers (the paired
    differences' standard error measured 0.05-0.14 % of V), and far below the real effect
    (each 20-point step moves 20 % of V from monthly payments to payments months in arrears).
    Catches outcome payments paid on reaching instead of after verification, or a pricing that
    moves the fixed part the wrong way."""
    path = ROOT / "scenarios" / f"{name}.yaml"
    raw = resolve_extends(path, path.parent.resolve())
    weights = sum(item["price"] for item in raw["contract"]["rate_card"].values())
    needs, values = [], []
    for share in SHARES:
        edit = {
            # The need itself, before any credit covers it: no financing, and no stop.
            "insolvency": {"rule": "continue"},
            "financing": {"credit_line": None, "loan": None, "guarantee": None},
            # Nor the provider's own cash: at a low share a monthly base payment may leave no need beyond it.
            "provider": {"opening_equity": 0},
            # A cap high enough that every share can be priced (the files' caps allow less).
            # Support and its fee in the service period only (follow-up in the tail): a fee that
            # runs through the tail is money paid late too, and moving it to outcomes reached
            # early (a lease signed) can lower the need; this test is about outcomes in arrears.
            "contract": {
                "outcome_share": share,
                "caps": {"per_participant": 4 * weights},
                "support": {"ends": "service_end", "follow_up_after_support": True},
            },
        }
        scenario = build(deep_merge(raw, edit))
        values.append(sib.price(scenario).expected_value)
        needs.append(np.mean([sib.simulate(scenario, 2024, i).metrics["funding_need"] for i in range(REPS)]))
    value = float(np.mean(values))
    steps = np.diff(needs) / value
    assert (steps > 0.02).all(), f"funding need {np.round(needs)} kr at shares {SHARES}; steps {np.round(steps, 3)} of V"
