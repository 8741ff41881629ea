"""The municipality's view by budget year: cash, accrual, what is owed at each year end."""

import pytest
from helpers_paths import REPO

import sib

ROOT = REPO


@pytest.mark.parametrize("name", ["bostad_forst", "arbetsintegrering"])
@pytest.mark.parametrize("seed", [0, 1])
def test_budget_years_add_up(name, seed):
    """Catches a payment counted in two years or none, accrual by payment date, or an owed
    balance that is not what was earned but not yet paid."""
    rep = sib.simulate(sib.load_scenario(ROOT / "scenarios" / f"{name}.yaml"), seed)
    m = rep.metrics
    years = sorted(int(k.rsplit("_", 1)[1]) for k in m if k.startswith("commissioner_paid_") and k[-4:].isdigit())
    total = m["commissioner_paid"]
    assert sum(m[f"commissioner_paid_{y}"] for y in years) == pytest.approx(total, abs=0.01)
    assert sum(m[f"commissioner_accrued_{y}"] for y in years) == pytest.approx(total, abs=0.01)
    paid = accrued = 0.0
    for y in years:
        paid += m[f"commissioner_paid_{y}"]
        accrued += m[f"commissioner_accrued_{y}"]
        assert m[f"commissioner_owed_end_{y}"] == pytest.approx(accrued - paid, abs=0.01)
        if not m["service_stopped"]:
            assert m[f"commissioner_open_commitment_end_{y}"] == pytest.approx(rep.priced.max_contract_value - paid, abs=0.01)
    assert m[f"commissioner_owed_end_{years[-1]}"] == 0
    # Payments run in arrears: in the first year more is earned than paid.
    assert m[f"commissioner_owed_end_{years[0]}"] > 0


def test_direct_award_limit_is_compared_with_the_maximum_contract_value():
    priced = sib.price(sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml"))
    assert priced.direct_award_limit == 8_513_250
    assert priced.exceeds_direct_award_limit == (priced.max_contract_value > 8_513_250)
