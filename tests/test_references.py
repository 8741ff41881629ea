"""The works cited, as a reader of each language sees them: a Swedish reader of the workbook or
the dashboard reads what the scenarios take from a work in Swedish, an English reader in English,
and both read the work's own title as it was published (sib/references.yaml, sib/references.py)."""

from __future__ import annotations

import re

import pytest
import yaml
from helpers_paths import REPO

import sib
from sib import references
from sib.i18n import speaking
from sib.study.workbook import assumptions

ROOT = REPO
RAW = yaml.safe_load(references.DATA.read_text(encoding="utf-8"))
REFS = references.references()
LAWS = [key for key, ref in REFS.items() if ref.by.en in ("Sveriges riksdag", "Regeringen", "Högsta domstolen")]

ENGLISH = {"the", "and", "of", "is", "that", "not", "a", "with", "from", "for", "per"}
SWEDISH = {"och", "som", "är", "inte", "att", "av", "med", "till", "eller", "från", "utan", "för", "om"}


def words(text: str) -> set[str]:
    """The words of a text a reader reads as prose: not web addresses, quotations (a source's own
    words, kept as written), or the letter of an inserted section ("2 a §")."""
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r'"[^"]*"', " ", text)
    text = re.sub(r"\b\d+ [a-z]\b", " ", text)
    return set(re.findall(r"[a-zåäöéü]+", text.lower()))


def test_there_is_a_work_of_each_kind_to_read():
    assert len(REFS) >= 70 and len(LAWS) >= 10


@pytest.mark.parametrize("key", LAWS)
def test_in_swedish_a_law_reads_swedish(key):
    text = references.full(f"[{key}]", "sv")
    assert not words(text) & ENGLISH, f"{key}: English in the Swedish reference: {words(text) & ENGLISH}\n{text}"


@pytest.mark.parametrize("key", list(REFS))
def test_in_swedish_what_a_work_gives_reads_swedish(key):
    ref = REFS[key]
    names = (ref.title, ref.by.sv) if ref.by.sv == ref.by.en else (ref.title,)  # a publisher's name is not prose
    shown = ref.text("sv")
    for name in names:
        shown = shown.replace(name, " ")
    shown += " " + (ref.note.sv if ref.note else "")
    assert not words(shown) & ENGLISH, f"{key}: English in the Swedish reference: {words(shown) & ENGLISH}\n{shown}"


@pytest.mark.parametrize("key", [key for key, ref in REFS.items() if ref.part or ref.note])
def test_in_english_what_a_work_gives_reads_english(key):
    ref = REFS[key]
    shown = " ".join(pair.en for pair in (ref.part, ref.note) if pair)
    assert not words(shown) & SWEDISH, f"{key}: Swedish in the English explanation: {words(shown) & SWEDISH}\n{shown}"


def test_a_law_reads_in_the_language_asked_for_and_in_the_one_in_force():
    swedish = "dröjsmålsränta efter referensräntan + 8 procentenheter"
    english = "late-payment interest at the reference rate + 8 percentage points"
    assert swedish in references.full("[rantelagen-1975]", "sv")
    assert english in references.full("[rantelagen-1975]", "en")
    assert english in references.full("[rantelagen-1975]"), "sib speaks English unless told otherwise"
    with speaking("sv"):
        assert swedish in references.full("[rantelagen-1975]")
        assert swedish in REFS["rantelagen-1975"].text()
    assert "Sveriges riksbank (u.å.)" in references.full("[riksbank-referensranta]", "sv")
    assert "Sveriges riksbank (n.d.)" in references.full("[riksbank-referensranta]", "en")


@pytest.mark.parametrize("key", list(RAW))
def test_every_explanation_and_note_is_written_in_both_languages(key):
    entry = RAW[key]
    assert isinstance(entry["title"], str), f"{key}: the title is the work's own, in one language"
    for field in ("part", "note", "by", "year"):
        value = entry.get(field)
        if value is None or (field in ("by", "year") and not isinstance(value, dict)):
            continue
        assert isinstance(value, dict) and set(value) == {"sv", "en"}, f"{key}.{field}: needs {{sv: …, en: …}}"
        sv, en = (str(value[lang]).strip() for lang in ("sv", "en"))
        assert sv and en, f"{key}.{field}: a half is empty"
        assert sv != en or re.fullmatch(r'"[^"]*"', sv), f"{key}.{field}: the Swedish half is the English one"


@pytest.mark.parametrize("key", list(REFS))
def test_a_works_title_is_the_same_in_both_languages(key):
    ref = REFS[key]
    assert ref.title == RAW[key]["title"]
    for lang in ("sv", "en"):
        assert ref.title in ref.text(lang), f"{key}: the title is not shown as published in {lang}"


def test_a_swedish_works_title_is_its_own_and_the_explanation_is_kept_apart():
    assert REFS["konkurslagen-1987"].title == "Konkurslag (1987:672)"
    assert REFS["famna-tillvaxtrapport-2017"].title == "Famnas tillväxtrapport – idéburna välfärdsbolag ökar tillväxten"
    assert not any("(the " in ref.title or "(a " in ref.title for ref in REFS.values())


def test_a_key_not_in_the_list_is_named_in_the_readers_language():
    assert references.full("see [no-such-work]", "sv") == "[no-such-work]: finns inte i källförteckningen"
    assert references.full("see [no-such-work]", "en") == "[no-such-work]: not in the sources list"


def test_the_sources_page_is_english_and_carries_the_notes():
    from tools import sources_page

    page = sources_page.page()
    assert "Räntelag (1975:635). 2 a–2 b §§ (a public payer pays within 30 days)" in page
    assert "dröjsmålsränta" not in page and "(u.å." not in page
    assert "— the municipality's compensation for its own input VAT" in page
    assert sources_page.main(["--check"]) == 0


def test_an_entry_with_only_one_half_of_its_explanation_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "references.yaml"
    bad.write_text("some-law:\n  by: Sveriges riksdag\n  title: Lag (1999:1)\n  part: 3 § (the rule)\n  year: 1999\n", encoding="utf-8")
    monkeypatch.setattr(references, "DATA", bad)
    references.references.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"some-law: part is read in both languages"):
            references.references()
    finally:
        monkeypatch.undo()
        references.references.cache_clear()


def test_the_swedish_assumptions_table_gives_the_works_in_swedish():
    scenario = sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml")
    with speaking("sv"):
        table = assumptions(scenario)
    row = table.loc[table["path"] == "insolvency.late_interest_rate"].iloc[0]
    assert "Räntelag (1975:635)" in row["references"] and "procentenheter" in row["references"]
