"""Whose pocket: avoided costs against the counterfactual, societal value, three views."""

import math

import pytest
from helpers_deterministic import scenario_dict

import sib
from sib.scenario.errors import ScenarioError
from sib.scenario.loader import build


def _scenario(rate: float = 0.0, fee: float = 0.0):
    """One participant housed all year (365 days in the window) who would otherwise have spent
    it in an emergency shelter at 1 000 kr a day to the municipality; housing is worth 10 000 kr
    a year to society for 2 years; the municipality pays ``fee`` kr a month."""
    raw = scenario_dict(
        pathway={"start": "housed", "states": {"housed": {"transitions": {"x": {"fixed": 5, "unit": "years"}}}, "x": {}}},
        milestones={"m": {"state": "housed"}},
        contract={"rate_card": {"m": {"price": 0}}, "fixed": {"monthly": fee}},
    )
    raw["economics"] = {
        "discount_rate": rate,
        "counterfactual": {"start": "shelter", "states": {"shelter": {"transitions": {"gone": {"fixed": 20, "unit": "years"}}}, "gone": {}}},
        "daily_costs": {"shelter": {"municipality": 1_000}},
        "outcome_values": {"m": 10_000},
        "value_horizon_years": 2,
    }
    return build(raw)


def test_avoided_costs_and_societal_value_undiscounted():
    """Catches avoided costs counted over the wrong days, or a value counted past its horizon."""
    m = sib.simulate(_scenario(), 0).metrics
    assert m["econ_avoided_municipality"] == pytest.approx(365_000)
    assert m["econ_avoided_state"] == 0
    assert m["econ_societal_value"] == pytest.approx(20_000)


def test_discounting_is_continuous_at_the_stated_yearly_rate():
    m = sib.simulate(_scenario(rate=0.05), 0).metrics
    delta = math.log(1.05) / 365
    assert m["econ_avoided_municipality"] == pytest.approx(1_000 * (1 - math.exp(-delta * 365)) / delta)
    assert m["econ_rate_basis"] == "real"


def test_three_views_are_kept_apart():
    """12 × 20 000 kr paid by the municipality against 365 000 kr of shelter avoided."""
    m = sib.simulate(_scenario(fee=20_000), 0).metrics
    assert m["econ_municipality_net_cost"] == pytest.approx(240_000 - 365_000)
    assert m["econ_municipality_bcr"] == pytest.approx(365_000 / 240_000)
    assert m["econ_public_net_cost"] == pytest.approx(240_000 - 365_000)  # no state money here


def test_a_daily_cost_for_an_unknown_state_is_refused():
    raw = _scenario().model_dump(by_alias=True, mode="json")
    raw["economics"]["daily_costs"]["hotel"] = {"municipality": 1}
    with pytest.raises(ScenarioError, match="economics.daily_costs.hotel"):
        build(raw)


def test_without_a_counterfactual_no_costs_are_called_avoided():
    raw = _scenario().model_dump(by_alias=True, mode="json")
    raw["economics"]["counterfactual"] = None
    raw["economics"]["daily_costs"] = {"housed": {"municipality": 100}}
    m = sib.simulate(build(raw), 0).metrics
    assert math.isnan(m["econ_avoided_municipality"]) and math.isnan(m["econ_municipality_bcr"])
