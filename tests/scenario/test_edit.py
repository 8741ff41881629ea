"""``sib/scenario/edit.py``: changing a scenario from the dashboard's form, a sweep or a bid —
a value set at its path as written in the file, validated as a file would be (the same messages
as a typo), and the scenario written back as YAML that loads to the same scenario."""

from __future__ import annotations

import pytest
import yaml
from helpers_deterministic import D, ore, rows, run, scenario, scenario_dict

import sib
from sib.scenario.edit import as_data, parse_path, to_yaml, with_value, with_values
from sib.scenario.loader import build, loads_scenario


@pytest.mark.parametrize(
    "path, keys",
    [
        ("contract.outcome_share", ["contract", "outcome_share"]),
        ("participants.referrals.cohorts[0].size", ["participants", "referrals", "cohorts", 0, "size"]),
        ("participants.referrals.per_month[1].from", ["participants", "referrals", "per_month", 1, "from"]),
    ],
)
def test_a_parameter_path_is_read_as_the_file_writes_it(path, keys):
    assert parse_path(path) == keys


@pytest.mark.parametrize("path", ["contract..x", "contract.", "cohorts[x]", "cohorts[0]size", "contract.[0]", ".contract", "[0].size"])
def test_what_is_not_a_parameter_path_is_refused_naming_it(path):
    with pytest.raises(sib.ScenarioError) as info:
        parse_path(path)
    assert info.value.problems == [f"{path}: not a parameter path (write it as in the file, e.g. contract.outcome_share)"]


def test_an_empty_path_is_refused_as_empty():
    with pytest.raises(sib.ScenarioError) as info:
        parse_path("")
    assert info.value.problems == ["the parameter path is empty"]


def test_a_changed_payment_term_moves_the_payment_and_an_impossible_one_is_refused_like_a_typo():
    """The milestone is reached on 31 January 2027, verified two months later (31 March) and
    invoiced that day: paid 30 days after it (30 April), or 60 days after it (30 May)."""
    sc = scenario()
    assert [r[0] for r in rows(run(sc), "outcome_payment")] == [D("2027-04-30")]
    later = with_values(sc, {"contract.payment_terms_days": 60})
    assert rows(run(later), "outcome_payment") == [(D("2027-05-30"), "commissioner", "provider", "outcome_payment", ore(1000), 0, 1)]
    with pytest.raises(sib.ScenarioError) as info:
        with_values(sc, {"contract.payment_terms_days": 366, "contract.service_months": 0})
    assert info.value.problems == [
        "contract.service_months: must be between 1 and 240, got 0",
        "contract.payment_terms_days: must be between 0 and 365, got 366",
    ]


def test_none_removes_a_value_so_that_its_default_applies():
    sc = scenario(contract={"payment_terms_days": 45})
    assert with_values(sc, {"contract.payment_terms_days": None}).contract.payment_terms_days == 30  # the schema's default


@pytest.mark.parametrize("path", ["participants.referrals.cohorts[3].size", "contract.service_months.x", "contract.rate_card.m.price[0]"])
def test_a_place_the_scenario_does_not_have_is_refused_naming_the_path(path):
    with pytest.raises(sib.ScenarioError) as info:
        with_values(scenario(), {path: 2})
    assert info.value.problems == [f"{path}: no such place in the scenario"]


def test_a_value_inside_a_part_the_scenario_lacks_creates_that_part_with_its_defaults():
    sc = with_values(scenario(), {"financing.invoice_financing.yearly_rate": 0.05})
    assert (sc.financing.invoice_financing.yearly_rate, sc.financing.invoice_financing.advance_rate) == (0.05, 0.8)
    assert scenario().financing.invoice_financing is None  # the original is as it was


def test_each_value_of_a_sweep_names_its_scenario_and_an_edit_may_rename_it():
    sc = scenario()
    assert with_value(sc, "contract.outcome_share", 0.4).name == "deterministic test [contract.outcome_share = 0.4]"
    assert with_values(sc, {"contract.payment_terms_days": 10}, name="Mitt förslag").name == "Mitt förslag"


def test_the_yaml_written_leaves_out_defaults_and_loads_back_to_the_same_scenario():
    """What a person would write: no default values; the keys as the file writes them (``from``,
    not the field's name), a drawn parameter, a text in both languages, dates."""
    raw = scenario_dict(contract={"payment_terms_days": 30, "invoice_period": "quarterly"})
    raw["description"] = {"sv": "Bostad först – på prov", "en": "Housing First – a trial"}
    raw["participants"]["referrals"] = {
        "per_month": [{"from": "2027-01-01", "per_month": 2}, {"from": "2027-06-01", "per_month": {"uniform": [1, 3]}}]
    }
    sc = build(raw)
    text = to_yaml(sc)
    written = yaml.safe_load(text)
    assert "payment_terms_days" not in written["contract"] and written["contract"]["invoice_period"] == "quarterly"
    assert "verification_lag" not in written["contract"] and "outcome_tail_months" not in written["contract"]  # defaults
    assert written["participants"]["referrals"]["per_month"][1] == {"from": "2027-06-01", "per_month": {"uniform": [1.0, 3.0]}}
    assert "Bostad först – på prov" in text  # as written, not escaped
    back = loads_scenario(text)
    assert back.digest == sc.digest
    assert as_data(back) == written
