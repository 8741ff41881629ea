"""The sib dashboard: compare payment models, edit scenarios, sweep the outcome share, run a
workshop, read the assumptions — in Swedish or English.

Streamlit runs it as its main script: ``sib dashboard`` (an installed sib) or ``make run`` (a
checkout, through the thin ``app.py`` beside ``sib/``). Each page is a thin view
(``pages/``): it calls sib's public functions and only formats what comes back.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from sib import i18n
from sib.dashboard.text import LANGUAGES, glossary, text

PAGES = Path(__file__).resolve().parent / "pages"


def main() -> None:
    """One run of the script: the language switch, the glossary, the pages."""
    st.set_page_config(page_title="sib", layout="wide")
    # The language chosen is kept in a key of its own as well as in the radio's: a page switch
    # (a question on the start page) makes the radio anew, and it must come back in that language.
    codes = list(LANGUAGES.values())
    opening = os.environ.get("SIB_DASHBOARD_LANG", "sv")  # sib dashboard --lang
    first = st.session_state.get("lang_code", opening if opening in codes else "sv")
    choice = st.sidebar.radio("Språk / Language", list(LANGUAGES), key="lang", horizontal=True, index=codes.index(first))
    st.session_state["lang_code"] = LANGUAGES[choice]
    i18n.choose(LANGUAGES[choice])  # what sib itself says on this run (an error in a scenario) is in this language
    t = text(LANGUAGES[choice])
    with st.sidebar.expander(t("glossary")):
        st.markdown(glossary(LANGUAGES[choice]))

    pages = [
        st.Page(PAGES / "start.py", title=t("page_start"), url_path="start", default=True),
        st.Page(PAGES / "compare.py", title=t("page_compare"), url_path="compare"),
        st.Page(PAGES / "edit.py", title=t("page_edit"), url_path="scenarios"),
        st.Page(PAGES / "sweep.py", title=t("page_sweep"), url_path="sweep"),
        st.Page(PAGES / "workshop.py", title=t("page_workshop"), url_path="workshop"),
        st.Page(PAGES / "assumptions.py", title=t("page_assumptions"), url_path="assumptions"),
    ]
    st.navigation(pages).run()


if __name__ == "__main__":
    main()
