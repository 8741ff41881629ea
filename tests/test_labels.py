"""``sib/labels.py``: what the ledger's, the event list's and the metrics' codes are called in
Swedish and English, so that the dashboard, the workbook and the council summary name a
payment, a participant's fate and a key figure the same way.

(That every ledger category, party and event code has a name in both languages is checked in
tests/study/test_readable.py, and every choice a scenario file can make in
tests/dashboard/test_text_language.py.)
"""

from __future__ import annotations

import pytest
from helpers_deterministic import scenario_dict
from helpers_paths import REPO

import sib
from sib import labels
from sib.scenario.edit import with_values
from sib.scenario.loader import build

UNITS = {"kr", "share", "count", "days", "date", "rate", "ratio", "text"}


def test_a_code_is_named_in_the_language_asked_for_and_an_unknown_code_shows_as_itself():
    assert labels.label(labels.CATEGORIES, "vat_compensation", "sv") == "momskompensation"
    assert labels.label(labels.CATEGORIES, "vat_compensation", "en") == "VAT compensation"
    assert labels.label(labels.PARTIES, "guarantor", "sv") == "garanten"
    assert labels.label(labels.EVENTS, "lost_max_wait", "en") == "not enrolled: waited too long"
    assert labels.label(labels.SERIES, "provider_cash_low", "sv") == "Utförarens lägsta kassa under månaden"
    # A code nobody named (a newer file's, say) is shown rather than dropped or guessed.
    assert labels.label(labels.CATEGORIES, "brand_new_fee", "sv") == "brand_new_fee"


def test_a_yearly_metric_is_named_with_its_budget_year_and_counts_in_kronor():
    assert labels.metric("commissioner_paid_2028", "sv") == (
        "Betalt till utföraren 2028 (kassa)",
        "kr",
        "Avtalets ersättning som betalas under året.",
    )
    name, unit, _ = labels.metric("commissioner_owed_end_2029", "en")
    assert (name, unit) == ("Owed to the provider at the end of 2029", "kr")
    # The whole-year figure is its own metric, not a year's; a suffix that is no year is no year.
    assert labels.metric("commissioner_paid", "en")[0] == "Paid to the provider"
    assert labels.metric("commissioner_paid_202", "en") == ("commissioner_paid_202", "", "")
    assert labels.metric("commissioner_paid_x2028", "en") == ("commissioner_paid_x2028", "", "")


@pytest.mark.parametrize(
    "code, lang, expected",
    [
        ("milestone_housed", "sv", ("Milstolpe nådd: Boende med eget kontrakt", "count")),
        ("step_engaged__housed", "en", ("Transition: Söker bostad → Boende med eget kontrakt", "count")),
        ("step_engaged__nowhere", "en", ("Transition: Söker bostad → nowhere", "count")),  # an unnamed state by its key
        ("exit_died", "en", ("Exit: died", "count")),
        ("exits_paid_moved", "sv", ("Betalda utflyttningar: moved", "count")),
        ("days_paid_housed", "en", ("Days paid: Boende med eget kontrakt", "days")),
        ("comparison_share_housed", "en", ("Comparison group's share: Boende med eget kontrakt", "share")),
        ("effect_cleared_housed", "sv", ("Effekten räckte för betalning: Boende med eget kontrakt", "share")),
        ("param.capacity.places", "sv", ("Dragen parameter: capacity.places", "")),
        ("no_such_metric", "sv", ("no_such_metric", "")),
    ],
)
def test_a_metric_named_after_the_scenarios_states_and_milestones_uses_their_labels(code, lang, expected):
    """The names are the scenario's own (a Swedish file's labels in the English UI too)."""
    names = {"housed": "Boende med eget kontrakt", "engaged": "Söker bostad"}
    name, unit, _ = labels.metric(code, lang, names)
    assert (name, unit) == expected


def test_a_scenarios_names_are_its_states_and_milestones_labels_its_counterfactuals_too():
    raw = scenario_dict(
        pathway={
            "start": "a",
            "states": {
                "a": {"label": "Inskriven", "transitions": {"b": {"fixed": 30, "unit": "days"}}},
                "b": {"label": "I arbete"},
            },
        },
        milestones={"job": {"state": "b", "label": "Fått arbete"}, "b": {"state": "b", "label": "Milstolpen b"}, "plain": {"state": "b"}},
    )
    names = labels.scenario_names(build(raw))
    # A milestone and a state of one key: the milestone's label (it is what the metric counts).
    assert names == {"a": "Inskriven", "b": "Milstolpen b", "job": "Fått arbete"}
    bostad = sib.load_scenario(REPO / "scenarios" / "bostad_forst.yaml")
    # The housing programme's counterfactual (the shelter, the staircase) is named too.
    assert "shelter" not in bostad.pathway.states
    assert labels.scenario_names(bostad)["shelter"] == bostad.economics.counterfactual.states["shelter"].label == "Akutboende"


def test_every_metric_a_replication_reports_has_a_name_a_unit_and_a_description_in_both_languages():
    """The workbook's key-figure sheet and the dashboard name every metric; one that fell through
    to its code would show ``commissioner_whatever`` to a council. The housing programme and the
    employment programme with an investor report every kind of metric the reference files have."""
    codes: dict[str, dict[str, str]] = {}
    for name in ("bostad_forst.yaml", "arbetsintegrering_sib.yaml"):
        sc = with_values(sib.load_scenario(REPO / "scenarios" / name), {"contract.pricing.replications": 20})
        names = labels.scenario_names(sc)
        for code in sib.simulate(sc, 0).metrics:
            codes[code] = names
    assert len(codes) > 150
    missing = []
    for code, names in codes.items():
        (sv, unit, sv_text), (en, unit_en, en_text) = labels.metric(code, "sv", names), labels.metric(code, "en", names)
        if code in (sv, en) or unit != unit_en or unit not in UNITS or not sv_text or not en_text or sv_text == en_text:
            missing.append(code)
    assert not missing, missing
