"""The dashboard's levers come from the schema: every scenario, an uploaded one too, gets a form
for what it has, labelled with its own milestones and states; an edit saved from it is a valid
scenario file."""

from __future__ import annotations

import pytest
from helpers_cli import command
from helpers_deterministic import ENGINE_SCENARIOS
from helpers_paths import REPO

import sib
from sib.scenario.edit import to_yaml, with_values
from sib.scenario.levers import levers

ROOT = REPO
FILES = ENGINE_SCENARIOS


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_reference_scenario_gets_the_main_levers(path):
    sc = sib.load_scenario(path)
    found = {lv.path: lv for lv in levers(sc)}
    share = found["contract.outcome_share"]
    # 20–75 %, widened to hold the file's own value (a traditional contract's or an IOP's 0 %)
    assert share.kind == "share" and (share.lo, share.hi) == (min(0.2, share.value), 0.75)
    for name, item in sc.contract.rate_card.items():
        if item.price is not None:
            lv = found[f"contract.rate_card.{name}.price"]
            assert lv.label("sv") == f"Pris: {sc.milestones[name].label or name}" and lv.unit == "kr"
    assert found["contract.verification_lag"].kind == "span"
    assert found["contract.invoice_period"].options == ("monthly", "quarterly")
    assert found["insolvency.rule"].options == ("stop", "continue")
    if sc.capacity.places is not None:
        assert found["capacity.places"].kind == "whole"
    effects = [lv for lv in found.values() if lv.group == "effect"]
    assert effects and all(lv.unit in ("days", "weeks", "months", "years") for lv in effects)


def test_a_scenario_without_a_part_offers_no_lever_for_it():
    sc = sib.load_scenario(ROOT / "scenarios" / "bostad_forst_utan_garanti.yaml")
    paths = {lv.path for lv in levers(sc)}
    assert not any(p.startswith("financing.guarantee") for p in paths)
    assert "financing.credit_line.limit" in paths


def test_an_uncertain_parameter_is_shown_not_offered_as_a_number(tmp_path):
    text = (ROOT / "scenarios" / "bostad_forst.yaml").read_text(encoding="utf-8").replace("places: 110", "places: {uniform: [100, 120]}", 1)
    sc = sib.loads_scenario(text)
    assert next(lv for lv in levers(sc) if lv.path == "capacity.places").kind == "distribution"


def test_an_edit_downloads_as_yaml_that_sib_validate_accepts(tmp_path):
    sc = sib.load_scenario(ROOT / "scenarios" / "arbetsintegrering.yaml")
    edited = with_values(
        sc,
        {"contract.outcome_share": 0.6, "contract.verification_lag": {"days": 45}, "financing.credit_line.limit": 750_000},
        name="Mitt förslag",
    )
    path = tmp_path / "mitt.yaml"
    path.write_text(to_yaml(edited), encoding="utf-8")
    result = command("validate", str(path))
    assert result.returncode == 0 and result.stdout.strip() == "OK", result.stdout
    back = sib.load_scenario(path)
    assert back.digest == edited.digest and back.contract.verification_lag.days == 45


def test_an_edit_outside_the_range_names_the_field():
    sc = sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml")
    with pytest.raises(sib.ScenarioError) as info:
        with_values(sc, {"financing.guarantee.share": 1.5, "contract.payment_terms_days": -3})
    assert "financing.guarantee.share: must be > 0 and <= 1, got 1.5" in info.value.problems
    assert "contract.payment_terms_days: must be between 0 and 365, got -3" in info.value.problems
