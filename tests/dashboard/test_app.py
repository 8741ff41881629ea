"""``sib/dashboard/app.py``: the dashboard's entry — the pages it offers and the one it opens on,
the language it opens in (``sib dashboard --lang`` sets ``SIB_DASHBOARD_LANG``), the language
switch and the glossary in the sidebar. Run under Streamlit's AppTest on its first page only
(the pages themselves are tested in tests/dashboard/pages/)."""

from __future__ import annotations

import pytest
from helpers_app import APP
from helpers_paths import REPO
from streamlit.testing.v1 import AppTest

PAGES = REPO / "sib" / "dashboard" / "pages"


def opened(session: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def offered(at: AppTest) -> list[tuple[str, str, str]]:
    """The pages the navigation registered, in order: (title, script, address). Streamlit
    serves the default page at the bare address ('')."""
    return [(p["page_name"], p["script_path"], p.get("url_pathname", "")) for p in at._registered_pages.values()]


def test_the_dashboard_offers_six_pages_and_opens_on_the_three_questions(monkeypatch):
    monkeypatch.delenv("SIB_DASHBOARD_LANG", raising=False)
    at = opened()
    assert offered(at) == [
        ("Start: tre frågor", str(PAGES / "start.py"), ""),
        ("Jämför", str(PAGES / "compare.py"), "compare"),
        ("Scenarier", str(PAGES / "edit.py"), "scenarios"),
        ("Utfallsandel och risk", str(PAGES / "sweep.py"), "sweep"),
        ("Workshop", str(PAGES / "workshop.py"), "workshop"),
        ("Antaganden och källor", str(PAGES / "assumptions.py"), "assumptions"),
    ]
    assert at.title[0].value == "Vad vill ni veta?"  # the start page's question
    radio = at.sidebar.radio(key="lang")
    assert (radio.label, radio.options, radio.value) == ("Språk / Language", ["Svenska", "English"], "Svenska")
    assert at.sidebar.expander[0].label == "Ordlista"


@pytest.mark.parametrize("setting, shown", [("en", "English"), ("sv", "Svenska"), ("de", "Svenska"), ("", "Svenska")])
def test_the_dashboard_opens_in_the_language_it_was_started_with_and_swedish_otherwise(monkeypatch, setting, shown):
    monkeypatch.setenv("SIB_DASHBOARD_LANG", setting)
    at = opened()
    assert at.sidebar.radio(key="lang").value == shown
    assert at.session_state["lang_code"] == {"English": "en", "Svenska": "sv"}[shown]


def test_switching_to_english_renames_the_pages_and_the_glossary(monkeypatch):
    monkeypatch.delenv("SIB_DASHBOARD_LANG", raising=False)
    at = opened()
    at.sidebar.radio(key="lang").set_value("English").run()
    assert [title for title, _, _ in offered(at)] == [
        "Start: three questions",
        "Compare",
        "Scenarios",
        "Outcome share and risk",
        "Workshop",
        "Assumptions and sources",
    ]
    assert at.session_state["lang_code"] == "en" and at.title[0].value == "What do you want to know?"
    assert at.sidebar.expander[0].label == "Glossary"
    assert "**Liquidity** – " in " ".join(m.value for m in at.sidebar.markdown)


def test_a_language_chosen_before_a_page_switch_wins_over_the_one_started_with(monkeypatch):
    """A page switch makes the sidebar's switch anew: it comes back in the language chosen
    (kept in the session), not in the one the dashboard was started with."""
    monkeypatch.setenv("SIB_DASHBOARD_LANG", "en")
    at = opened({"lang_code": "sv"})
    assert at.sidebar.radio(key="lang").value == "Svenska" and at.title[0].value == "Vad vill ni veta?"
