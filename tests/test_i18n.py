"""``sib/i18n.py``: every text a person reads is a (Swedish, English) pair, and this module
alone picks the half in the language asked for or in force, so the CLI's ``--lang``, the
dashboard's language switch and a library caller's ``speaking`` each get one language.
"""

from __future__ import annotations

import threading

import pytest

from sib import i18n
from sib.i18n import Catalogue, Text, choose, language, pick, say, speaking


def test_a_pair_gives_the_half_asked_for_with_its_fields_filled_in():
    text = Text("{n} deltagare skrevs in {datum}", "{n} participants enrolled on {datum}")
    assert text("sv", n=3, datum="2027-03-31") == "3 deltagare skrevs in 2027-03-31"
    assert text("en", n=3, datum="2027-03-31") == "3 participants enrolled on 2027-03-31"
    assert say("kommunen", "the municipality", "sv") == "kommunen"
    assert pick(("banken", "the bank"), "en") == "the bank"
    # Without fields a text is shown as written, braces and all.
    assert Text("{inget}", "{nothing}")("en") == "{nothing}"


def test_without_a_language_the_one_in_force_is_used_and_it_is_english_unless_chosen():
    """The library speaks English by default (this suite starts every test in it)."""
    assert language() == "en"
    assert say("utföraren", "the provider") == "the provider"
    with speaking("sv"):
        assert language() == "sv"
        assert say("utföraren", "the provider") == "utföraren"
        assert pick(("garanten", "the guarantor")) == "garanten"
        assert say("utföraren", "the provider", "en") == "the provider"  # a language passed wins


def test_speaking_restores_the_language_before_it_even_when_the_block_fails():
    with speaking("sv"):
        with speaking("en"):
            assert language() == "en"
        assert language() == "sv"
        with pytest.raises(RuntimeError), speaking("en"):
            raise RuntimeError("a page that fails half way")
        assert language() == "sv"
    assert language() == "en"


@pytest.mark.parametrize("bad", ["de", "SV", "svenska", ""])
def test_an_unknown_language_is_refused_with_the_languages_there_are(bad):
    with pytest.raises(ValueError, match=rf"language must be one of sv, en, got {bad!r}"):
        choose(bad)
    with pytest.raises(ValueError, match="language must be one of sv, en"), speaking(bad):
        pass
    assert language() == "en"


def test_a_language_chosen_in_one_thread_is_not_the_language_of_another():
    """The dashboard serves each session in a thread of its own: one user's switch to Swedish
    must not turn another's page Swedish."""
    seen: dict[str, str] = {}
    chosen = threading.Event()

    def session() -> None:
        choose("sv")
        seen["session"] = say("kommunen", "the municipality")
        chosen.set()

    worker = threading.Thread(target=session)
    worker.start()
    assert chosen.wait(10)
    worker.join(10)
    assert seen["session"] == "kommunen"
    assert language() == "en" and say("kommunen", "the municipality") == "the municipality"
    with speaking("sv"):
        other = threading.Thread(target=lambda: seen.update(fresh=i18n.language()))
        other.start()
        other.join(10)
    assert seen["fresh"] == "en"  # a new thread starts in the library's own language


def test_a_catalogue_names_its_texts_by_key_in_either_language():
    catalogue = Catalogue({"paid": ("Betalt {y}", "Paid {y}"), "owed": ("Skuld", "Owed")})
    assert len(catalogue) == 2 and list(catalogue) == ["paid", "owed"]
    assert catalogue("paid", "sv", y=2028) == "Betalt 2028"
    assert catalogue["owed"]("en") == "Owed"
    assert catalogue.table("sv") == {"paid": "Betalt {y}", "owed": "Skuld"}
    with speaking("sv"):
        assert catalogue.table() == {"paid": "Betalt {y}", "owed": "Skuld"}
    with pytest.raises(KeyError):
        catalogue("missing", "en")
