"""The start page: three questions, each answered in one click on the comparison it sets up."""

from __future__ import annotations

from helpers_app import APP, TIMEOUT
from streamlit.testing.v1 import AppTest


def test_the_first_page_asks_three_questions_and_one_click_answers_each():
    """The start page offers the questions; a click sets up the comparison from the reference
    variants (the traditional contract first), runs it and puts the answer on top."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Vad vill ni veta?"
    assert [b.label for b in at.button] == [
        "Vad kostar olika utfallsandelar oss per budgetår?",
        "Klarar utföraren likviditetsgapet, och vilken kredit behövs?",
        "Vad ändrar en garanti?",
    ]
    glossary = " ".join(m.value for m in at.sidebar.markdown)
    assert "**Likviditet** – " in glossary and "**Felmarginal** – " in glossary  # the words the answers use, explained
    at.radio(key="service").set_value("arbetsintegrering").run()
    at.button(key="ask_guarantee").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.header[0].value == "Fråga: Vad ändrar en garanti?"
    table = at.table[0].value
    assert list(table.index) == [
        "Arbetsintegrering – ASF, traditionellt avtal (0 %)",
        "Arbetsintegrering – ASF, 20 % utfallsbaserat",
        "Arbetsintegrering – ASF, utan garanti",
        "Arbetsintegrering – ASF, kommunal borgen",
    ]
    assert table.loc["Arbetsintegrering – ASF, utan garanti", "Garanti"] == "ingen"
    # Picking other scenarios makes the comparison the user's own: the question's answer goes.
    picker = at.multiselect(key="compare_pick")
    picker.set_value(picker.value[:2])
    at.button[0].click().run()
    assert not at.header and not at.table
