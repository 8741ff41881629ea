"""The reference scenarios: every number has a source, and each tells the story it claims."""

import pytest
from helpers_paths import REPO

import sib
from sib.i18n import LANGUAGES
from sib.scenario.loader import resolve_extends

ROOT = REPO
FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
WORDS = {"name", "description", "label", "currency"}  # text, not figures needing a source


def _numbers(tree, prefix=""):
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if key in WORDS or path == "sources":
            continue
        if isinstance(value, dict):
            yield from _numbers(value, path + ".")
        elif not isinstance(value, str):
            yield path


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_number_has_a_source(path):
    """A figure without a source (a facts entry or 'assumption: why') is a figure nobody can check."""
    raw = resolve_extends(path, path.parent.resolve())
    sources = raw.get("sources", {})
    missing = [p for p in _numbers(raw) if not any(p == k or p.startswith(k + ".") for k in sources)]
    assert not missing, f"{path.name}: no source for {missing}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_sources_are_facts_or_reasoned_assumptions(path):
    scenario = sib.load_scenario(path)
    for key in scenario.sources:
        for lang in LANGUAGES:  # a note in one language reads the same in both
            text = scenario.source(key, lang)[1]
            assert len(text.strip()) > 15, f"{key} ({lang}): '{text}' says too little"
