"""What the dashboard offers and shows: the scenario library read from a folder (a broken file
listed with its problems, two scenarios of the same name told apart) and figures that are
missing (shown as a dash, never as ``nan kr``), and an upload checked for size and content."""

from __future__ import annotations

import math
import shutil

import pytest
from helpers_paths import REPO

import sib
from sib.dashboard.library import UPLOAD_LIMIT, Library, read_upload
from sib.fmt import group, kr, percent
from sib.scenario.edit import with_values

SCENARIOS = REPO / "scenarios"


def test_a_broken_file_is_listed_with_its_problems_and_the_others_still_load(tmp_path):
    shutil.copy(SCENARIOS / "bostad_forst.yaml", tmp_path)
    shutil.copy(SCENARIOS / "bostad_forst_utan_garanti.yaml", tmp_path)
    (tmp_path / "trasig.yaml").write_text("name: Trasig\nstart_date: 2027-01-01\ncontract:\n  service_months: -3\n", encoding="utf-8")
    lib = Library.from_folder(tmp_path)
    assert list(lib.broken) == ["trasig.yaml"]
    assert any("service_months" in problem for problem in lib.broken["trasig.yaml"])
    assert sorted(lib.files.values()) == ["bostad_forst.yaml", "bostad_forst_utan_garanti.yaml"]
    # The default scenario comes first, then its variants; the traditional contract, if there, first of them.
    assert [lib.files[n] for n in lib.default_names()] == ["bostad_forst.yaml", "bostad_forst_utan_garanti.yaml"]
    shutil.copy(SCENARIOS / "bostad_forst_traditionellt.yaml", tmp_path)
    lib = Library.from_folder(tmp_path)
    assert [lib.files[n] for n in lib.default_names()] == ["bostad_forst.yaml", "bostad_forst_traditionellt.yaml"]


def test_two_different_scenarios_with_one_name_are_told_apart_and_the_same_one_is_kept_once():
    base = sib.load_scenario(SCENARIOS / "bostad_forst.yaml")
    changed = with_values(base, {"contract.outcome_share": 0.5}, name=base.name)  # a saved version, same name
    assert changed.name == base.name and changed.digest != base.digest
    lib = Library()
    assert lib.add(base) == base.name
    assert lib.add(changed) == f"{base.name} (2)"
    assert lib.add(base) == base.name  # the same scenario again: not a third entry
    assert list(lib.scenarios) == [base.name, f"{base.name} (2)"]


def test_an_empty_folder_offers_nothing_to_compare(tmp_path):
    lib = Library.from_folder(tmp_path)
    assert lib.scenarios == {} and lib.broken == {} and lib.default_names() == []


def test_a_missing_figure_is_a_dash_in_either_language():
    for missing in (None, math.nan):
        assert group(missing) == "–"
        assert kr(missing) == "–" and kr(missing, lang="en") == "–"
        assert percent(missing) == "–" and percent(missing, lang="en") == "–"
    assert kr(1_234_567.0) == "1 234 567 kr" and kr(1_234_567.0, lang="en") == "SEK 1,234,567"
    assert percent(0.4) == "40,0 %" and percent(0.4, lang="en") == "40.0%"


def test_what_differs_is_said_in_labels_kronor_and_per_cent_and_a_zero_is_a_zero():
    from sib.dashboard.pages.compare import differences

    base = sib.load_scenario(SCENARIOS / "bostad_forst.yaml")
    traditional = sib.load_scenario(SCENARIOS / "bostad_forst_traditionellt.yaml")
    table = differences({"40 %": base, "0 %": traditional}, "sv").set_index("field")
    assert table.loc["contract.outcome_share", "path"] == "Utfallsbaserad andel av ersättningen"
    assert list(table.loc["contract.outcome_share", ["40 %", "0 %"]]) == ["40,0 %", "0,0 %"]
    assert list(table.loc["contract.commissioner_costs.final_evaluation", ["40 %", "0 %"]]) == ["500 000 kr", "0 kr"]
    english = differences({"40 %": base, "0 %": traditional}, "en").set_index("field")
    assert english.loc["contract.commissioner_costs.set_up", "0 %"] == "SEK 150,000"


def test_an_upload_is_checked_for_size_and_content():
    with pytest.raises(sib.ScenarioError, match="at most"):
        read_upload(b"x" * (UPLOAD_LIMIT + 1), "big.yaml")
    with pytest.raises(sib.ScenarioError) as info:
        read_upload(b"name: x\nstart_date: 2027-01-01\n", "half.yaml")
    assert any(p.startswith("participants: is required") for p in info.value.problems)
    text = (REPO / "scenarios" / "arbetsintegrering.yaml").read_bytes()
    assert read_upload(text, "ok.yaml").name.startswith("Arbetsintegrering")
    # A file that extends a library scenario, as the README teaches: its base is found in the library.
    mine = read_upload(b"extends: bostad_forst_60.yaml\nname: Min variant\ncontract:\n  payment_terms_days: 20\n", "min.yaml")
    assert (mine.name, mine.contract.outcome_share, mine.contract.payment_terms_days) == ("Min variant", 0.6, 20)
    with pytest.raises(sib.ScenarioError, match="outside the scenario folder"):
        read_upload(b"extends: ../pyproject.toml\n", "away.yaml")
