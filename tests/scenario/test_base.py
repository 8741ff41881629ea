"""``sib/scenario/base.py``: what every part of a scenario shares — once validated it cannot
change, a number field takes numbers only (not yes/no, not text in quotes), no number is larger
than 1e12 kr so every sum stays exact to the öre, and a text written in both languages is read
in the reader's."""

from __future__ import annotations

import pydantic
import pytest
from helpers_deterministic import scenario, scenario_dict, with_changes

import sib
from sib.i18n import speaking
from sib.scenario.base import LARGEST, Bilingual, in_language, lever
from sib.scenario.loader import build


def problems(raw) -> list[str]:
    with pytest.raises(sib.ScenarioError) as info:
        build(raw)
    return info.value.problems


def test_a_validated_scenario_cannot_be_changed_behind_its_digest():
    """A study, its cache and its manifest are keyed on the scenario's digest: a scenario that
    could be changed in place would be reported under the numbers of another."""
    sc = scenario()
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        sc.contract.service_months = 3
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        sc.name = "another"
    assert sc.contract.service_months == 12 and sc.name == "deterministic test"


def test_a_yes_no_value_in_a_list_of_numbers_is_named_by_its_place_in_the_list():
    """YAML reads `yes` as a boolean, which pydantic would take as 1 referral a month."""
    raw = with_changes(scenario_dict(), {"participants.referrals.per_month": {"uniform": [True, 3]}})
    found = problems(raw)
    assert "participants.referrals.per_month.uniform: must be numbers; item 1 is true (a yes/no value)" in found, found
    with speaking("sv"):
        found = problems(raw)
    assert "participants.referrals.per_month.uniform: måste vara tal; nummer 1 är true (ett ja/nej-värde)" in found, found


def test_text_in_quotes_is_refused_only_where_a_number_is_meant_and_shown_cut_at_40_characters():
    # A name, a provider's name: text, even when it looks like a number.
    sc = build(with_changes(scenario_dict(), {"name": "2027", "provider.name": "123", "contract.grant": True}))
    assert (sc.name, sc.provider.name, sc.contract.grant) == ("2027", "123", True)
    # A price: a number; the text is shown as written, its first 40 characters.
    found = problems(with_changes(scenario_dict(), {"contract.rate_card.m.price": "1" * 60}))
    assert found == [f'contract.rate_card.m.price: must be a number, got "{"1" * 40}" (text in quotes)']


def test_no_amount_may_exceed_1e12_kr_but_a_seed_may_be_any_whole_number():
    """1e12 kr is 1e14 öre, exact in a float64 sum of many rows; one krona more is refused."""
    assert LARGEST == 1e12
    at_the_limit = build(with_changes(scenario_dict(), {"provider.costs.fixed_per_month": 1_000_000_000_000}))
    assert at_the_limit.provider.costs.fixed_per_month == 1e12
    assert problems(with_changes(scenario_dict(), {"provider.costs.fixed_per_month": 1_000_000_000_001})) == [
        "provider.costs.fixed_per_month: must be between -1e12 and 1e12, got 1000000000001"
    ]
    assert build(with_changes(scenario_dict(), {"contract.pricing.seed": 10**15})).contract.pricing.seed == 10**15


def test_a_text_in_both_languages_is_read_in_the_readers_language():
    sc = build(with_changes(scenario_dict(), {"description": {"sv": "Bostad först i Göteborg", "en": "Housing First in Gothenburg"}}))
    assert sc.about("sv") == "Bostad först i Göteborg" and sc.about("en") == "Housing First in Gothenburg"
    with speaking("sv"):
        assert sc.about() == "Bostad först i Göteborg"  # the language in force
    assert sc.about() == "Housing First in Gothenburg"
    # A text in one language is shown as written, whatever the reader's language.
    assert in_language("Skrivet på svenska", "en") == "Skrivet på svenska"
    assert in_language(Bilingual(sv="ja", en="yes"), "en") == "yes"


@pytest.mark.parametrize(
    "description, problem",
    [
        ({"sv": "Bostad först"}, "description.en: is required"),
        ({"sv": "", "en": "Housing First"}, "description.sv: must have at least 1 character(s), got ''"),
    ],
)
def test_a_text_in_both_languages_needs_both_halves(description, problem):
    assert problem in problems(with_changes(scenario_dict(), {"description": description}))


def test_a_lever_carries_its_labels_group_and_control_range_beside_the_fields_other_facts():
    """The dashboard's form reads the lever's labels, group and control range, and the unit
    next to it, from a field's schema."""
    assert lever("Pris", "Price", "contract", 0, 10_000, 500, unit="kr") == {
        "lever": {"sv": "Pris", "en": "Price", "group": "contract", "lo": 0, "hi": 10_000, "step": 500},
        "unit": "kr",
    }
    assert lever("Garanti", "Guarantee", "financing")["lever"] == {
        "sv": "Garanti",
        "en": "Guarantee",
        "group": "financing",
        "lo": None,
        "hi": None,
        "step": None,
    }
