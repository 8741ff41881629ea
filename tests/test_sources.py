"""Every number in the reference scenarios is sourced inside the project: a scenario's
``sources:`` entry cites works by key from sib/references.yaml (the sources page,
docs/sources.md) or says it is an assumption, and nothing points outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import sib
from sib import references
from sib.study.workbook import assumptions

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
OUTSIDE = re.compile(r"facts\.md|MODEL\.md|\.\./shared|\bTask:", re.IGNORECASE)


def own_sources(path: Path) -> dict[str, str]:
    """The sources a file itself writes (not those it inherits through ``extends``)."""
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("sources") or {}


def test_the_sources_page_is_generated_from_the_list():
    assert references.main(["--check"]) == 0, "docs/sources.md is stale: run `make docs`"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_source_cites_a_listed_work_or_says_it_is_an_assumption(path):
    known = references.references()
    for field, text in own_sources(path).items():
        assert not OUTSIDE.search(text), f"{path.name} {field}: points outside the project: {text!r}"
        keys = references.cited(text)
        assert all(k in known for k in keys), f"{path.name} {field}: not in sib/references.yaml: {set(keys) - set(known)}"
        assert keys or "assumption" in text.lower(), f"{path.name} {field}: neither a cited work nor an assumption: {text!r}"


def test_every_listed_work_is_cited_by_a_reference_scenario():
    cited = {k for path in FILES for text in own_sources(path).values() for k in references.cited(text)}
    assert set(references.references()) <= cited, f"listed but never cited: {set(references.references()) - cited}"


def test_the_assumptions_table_gives_each_cited_work_in_full():
    scenario = sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml")
    table = assumptions(scenario)
    row = table.loc[table["path"] == "insolvency.late_interest_rate"].iloc[0]
    assert "[rantelagen-1975]" in row["source"]
    assert "Räntelag (1975:635)" in row["references"] and "https://rkrattsbaser.gov.se/sfst?bet=1975:635" in row["references"]


def test_a_key_that_is_not_listed_is_named_not_dropped():
    assert references.cited("as in [rantelagen-1975] and [no-such-work], not [utkast]") == ["rantelagen-1975", "no-such-work"]
    assert "[no-such-work]: not in the sources list" in references.full("see [no-such-work]")
