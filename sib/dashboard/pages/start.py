"""The first page: the three questions in the users' words, each one click from its answer
(a comparison of reference variants on the compare page, with the answer on top)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from sib.dashboard.common import lang, library, t
from sib.dashboard.questions import QUESTIONS, SERVICES, Question
from sib.i18n import pick

#: By its full path: Streamlit reads a relative one from the main script's folder, which is the
#: checkout's root under `make run` and sib/dashboard/ under `sib dashboard`.
COMPARE = Path(__file__).resolve().with_name("compare.py")


def page() -> None:
    tr, lg = t(), lang()
    st.title(tr("start_title"))
    st.markdown(tr("start_intro"))
    service = st.radio(tr("service"), list(SERVICES), format_func=lambda k: pick(SERVICES[k], lg), horizontal=True, key="service")
    for q in QUESTIONS:
        with st.container(border=True):
            if st.button(tr(f"q_{q.key}"), key=f"ask_{q.key}", type="primary", width="stretch"):
                ask(q, service)
            st.caption(tr(f"q_{q.key}_help"))


def ask(q: Question, service: str) -> None:
    """Set the comparison up on the compare page and go there: it runs at once."""
    names = library().names_of(q.files[service])
    st.session_state["compare_pick"] = names
    st.session_state["question"] = (q.key, tuple(names))
    st.session_state["run_now"] = True
    st.switch_page(COMPARE)


if __name__ == "__main__":  # run by st.navigation as a page script
    page()
