"""``sib/scenario/shipped.py``: the reference scenarios that come with sib, found by name
(``sib run bostad_forst``) from a checkout or an installed wheel — and a name that could reach
outside their folder is no reference scenario."""

from __future__ import annotations

import pytest
from helpers_paths import REPO

from sib.scenario import shipped


def test_a_checkout_offers_the_files_of_its_scenarios_folder_by_name_sorted():
    assert shipped.folder() == REPO / "scenarios"
    stems = sorted(p.name.removesuffix(".yaml") for p in (REPO / "scenarios").iterdir() if p.name.endswith(".yaml"))
    assert shipped.names() == stems
    assert {"bostad_forst", "bostad_forst_utan_garanti", "arbetsintegrering"} <= set(stems)


@pytest.mark.parametrize("name", ["bostad_forst", "bostad_forst.yaml"])
def test_a_reference_scenario_is_found_with_or_without_its_ending(name):
    assert shipped.named(name) == REPO / "scenarios" / "bostad_forst.yaml"


@pytest.mark.parametrize(
    "name",
    [
        "",
        ".yaml",
        "no_such_scenario",
        "Bostad_forst",  # names are exact
        "../scenarios/bostad_forst",  # nothing outside the folder, nor through it
        "scenarios/bostad_forst",
        "..\\bostad_forst",
        ".hidden",
        "/etc/passwd",
    ],
)
def test_a_name_that_is_no_reference_scenario_finds_none(name):
    assert shipped.named(name) is None


def test_an_installed_wheel_reads_the_scenarios_it_carries(tmp_path, monkeypatch):
    """A wheel carries them in ``sib/scenarios/``: there they are read, not beside the package."""
    package = tmp_path / "site-packages" / "sib"
    (package / "scenarios").mkdir(parents=True)
    (package / "scenarios" / "b.yaml").write_text("name: b\n", encoding="utf-8")
    (package / "scenarios" / "a.yaml").write_text("name: a\n", encoding="utf-8")
    (package / "scenarios" / "notes.txt").write_text("not a scenario\n", encoding="utf-8")
    (tmp_path / "site-packages" / "scenarios").mkdir()
    (tmp_path / "site-packages" / "scenarios" / "stray.yaml").write_text("name: stray\n", encoding="utf-8")
    monkeypatch.setattr(shipped, "_PACKAGE", package)
    assert shipped.folder() == package / "scenarios"
    assert shipped.names() == ["a", "b"]
    assert shipped.named("a") == package / "scenarios" / "a.yaml"
    assert shipped.named("stray") is None and shipped.named("notes") is None
