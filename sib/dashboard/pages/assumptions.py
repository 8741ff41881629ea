"""Every parameter of the chosen scenario with its value and source, and what the model leaves
out."""

from __future__ import annotations

import streamlit as st

from sib.dashboard.common import lang, library, t
from sib.study.workbook import assumptions


def page() -> None:
    tr = t()
    lib = library()
    st.title(tr("page_assumptions"))
    names = list(lib.scenarios)
    default = lib.default_names(1)
    name = st.selectbox(tr("scenario"), names, index=names.index(default[0]) if default else 0, key="assumptions_scenario")
    table = assumptions(lib.scenarios[name], lang())
    table["value"] = table["value"].map(str)
    st.dataframe(
        table.rename(columns={"path": tr("parameter"), "value": tr("value"), "source": tr("source"), "references": tr("references")}),
        hide_index=True,
        width="stretch",
        height=600,
    )
    st.caption(tr("sources_page"))
    st.subheader(tr("left_out"))
    st.markdown(tr("left_out_text"))


if __name__ == "__main__":  # run by st.navigation as a page script
    page()
