"""Every number in the reference scenarios is sourced inside the project: a scenario's
``sources:`` entry cites works by key from sib/references.yaml (the sources page,
docs/sources.md) or says it is an assumption, and nothing points outside the repository.
A note is written in both languages ({sv: ..., en: ...}); each half is held to this, and the
two halves cite the same works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers_paths import REPO

import sib
from sib import references
from sib.study.workbook import assumptions

ROOT = REPO
FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
PUBLISHED = sorted((ROOT / "scenarios" / "published").glob("*.yaml"))
OUTSIDE = re.compile(r"facts\.md|MODEL\.md|\.\./shared|\bTask:", re.IGNORECASE)
#: The word a half uses for a value no work gives.
ASSUMPTION = {"sv": "antagande", "en": "assumption"}


def own(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def own_sources(path: Path) -> dict[str, str | dict[str, str]]:
    """The sources a file itself writes (not those it inherits through ``extends``)."""
    return own(path).get("sources") or {}


def halves(note: str | dict[str, str]) -> dict[str, str]:
    """A note's text by language (a plain string counts as either)."""
    return dict(note) if isinstance(note, dict) else {"": note}


def test_the_sources_page_is_generated_from_the_list():
    from tools import sources_page

    assert sources_page.main(["--check"]) == 0, "docs/sources.md is stale: run `make docs`"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_source_cites_a_listed_work_or_says_it_is_an_assumption(path):
    known = references.references()
    for field, note in own_sources(path).items():
        for lang, text in halves(note).items():
            where = f"{path.name} {field} ({lang or 'one language'})"
            assert not OUTSIDE.search(text), f"{where}: points outside the project: {text!r}"
            keys = references.cited(text)
            assert all(k in known for k in keys), f"{where}: not in sib/references.yaml: {set(keys) - set(known)}"
            words = [ASSUMPTION[lang]] if lang else list(ASSUMPTION.values())
            assert keys or any(w in text.lower() for w in words), f"{where}: neither a cited work nor an assumption: {text!r}"
            assert len(text.strip()) > 15, f"{where}: {text!r} says too little"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_two_halves_of_a_note_cite_the_same_works(path):
    for field, note in own_sources(path).items():
        if isinstance(note, dict):
            sv, en = references.cited(note["sv"]), references.cited(note["en"])
            assert set(sv) == set(en), f"{path.name} {field}: Swedish cites {sorted(sv)}, English {sorted(en)}"


@pytest.mark.parametrize("path", FILES + PUBLISHED, ids=lambda p: p.stem)
def test_every_description_and_source_note_is_written_in_both_languages(path):
    """A Swedish reader gets Swedish in the dashboard, the workbook and the PDF: the file's
    description and every note it writes itself are {sv, en}, both halves non-empty."""
    data = own(path)
    notes = {"description": data["description"], **(data.get("sources") or {})}
    for field, note in notes.items():
        assert isinstance(note, dict) and set(note) == {"sv", "en"}, f"{path.name} {field}: not {{sv, en}}: {note!r}"
        assert all(isinstance(t, str) and t.strip() for t in note.values()), f"{path.name} {field}: an empty half"
    scenario = sib.load_scenario(path)
    assert scenario.about("sv") == data["description"]["sv"] and scenario.about("en") == data["description"]["en"]


def test_every_listed_work_is_cited_by_a_reference_scenario():
    cited = {k for path in FILES for note in own_sources(path).values() for text in halves(note).values() for k in references.cited(text)}
    assert set(references.references()) <= cited, f"listed but never cited: {set(references.references()) - cited}"


def test_the_assumptions_table_gives_each_cited_work_in_full():
    scenario = sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml")
    table = assumptions(scenario)
    row = table.loc[table["path"] == "insolvency.late_interest_rate"].iloc[0]
    assert "[rantelagen-1975]" in row["source"] and row["source"].startswith("The reference rate")
    assert "Räntelag (1975:635)" in row["references"] and "https://rkrattsbaser.gov.se/sfst?bet=1975:635" in row["references"]


def test_the_assumptions_table_in_swedish_shows_the_swedish_note():
    scenario = sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml")
    table = assumptions(scenario, "sv")
    row = table.loc[table["path"] == "insolvency.late_interest_rate"].iloc[0]
    assert row["source"].startswith("Referensräntan + 8 procentenheter [rantelagen-1975]"), row["source"]
    assert "https://rkrattsbaser.gov.se/sfst?bet=1975:635" in row["references"]
    row = table.loc[table["path"] == "participants.referrals.per_month"].iloc[0]
    assert row["source"].startswith("antagande:") and "3,6 remisser i månaden" in row["source"]


def test_a_key_that_is_not_listed_is_named_not_dropped():
    assert references.cited("as in [rantelagen-1975] and [no-such-work], not [utkast]") == ["rantelagen-1975", "no-such-work"]
    assert "[no-such-work]: not in the sources list" in references.full("see [no-such-work]")
