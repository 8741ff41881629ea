"""What every page shares: the language, the scenario library, problems shown inline, KPI
cards and the download buttons."""

from __future__ import annotations

import io
import os
import re
from functools import partial

import streamlit as st

import sib
from sib.dashboard import runs
from sib.dashboard.library import Library
from sib.dashboard.text import text
from sib.i18n import say
from sib.scenario.edit import to_yaml
from sib.study.headline import (
    HEADLINE,
    Figure,
    applies,
    continuation_note,
    estimate,
    leaves_out_continuation,
    section_label,
    show,
    span,
)
from sib.study.summary import write_summary
from sib.study.workbook import write_workbook


def default_reps(usual: int) -> int:
    """Replications a page starts with; SIB_DASHBOARD_REPS lowers it (tests, slow machines)."""
    given = os.environ.get("SIB_DASHBOARD_REPS")
    return min(usual, int(given)) if given and given.isdigit() else usual


def lang() -> str:
    return st.session_state.get("lang_code", "sv")


def t():
    return text(lang())


def library() -> Library:
    if "library" not in st.session_state:
        st.session_state["library"] = Library.from_folder()
    return st.session_state["library"]


#: The characters Markdown reads as markup.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$])")
#: Where GitHub-flavoured Markdown makes a link of bare text (https://…, www.…, a@b): an
#: invisible word joiner there keeps it text.
_AUTOLINK = re.compile(r"(://|www|@)", re.IGNORECASE)


def md(text: str) -> str:
    """Text the user wrote (a scenario's name, a file's) shown as itself in Markdown: a name such
    as "[x](https://…)" or "![](…)" stays text, never a link or an image the browser fetches."""
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub(lambda m: m.group(1)[0] + "\u2060" + m.group(1)[1:], text))


def code(text: str) -> str:
    """``text`` as a Markdown code span, however many backticks it holds itself."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def show_problems(error: sib.ScenarioError, head: str | None = None) -> None:
    lines = "\n".join(f"- {code(p)}" for p in error.problems) or md(str(error))
    st.error(f"**{md(head) if head else t()('problems')}**\n\n{lines}")


def kpi_cards(results: dict[str, sib.Results]) -> None:
    """The headline figures, one column per scenario and one row per figure (so that a figure
    sits level with itself in every scenario), grouped by whom they are about: the
    municipality first. Each shows its margin of error (the 95 % confidence interval of the
    estimate) under it, named so that it is not read as the spread of outcomes; a figure a
    scenario does not have shows a dash."""
    lg = lang()
    shown = [f for f in HEADLINE if any(applies(f, r) for r in results.values())]
    cols = st.columns(len(results))
    for col, name in zip(cols, results):
        col.markdown(f"**{md(name)}**")
    section = None
    for f in shown:
        if f.section != section:
            section = f.section
            st.markdown(f"##### {section_label(section, lg)}")
        for col, r in zip(st.columns(len(results)), results.values()):
            with col:
                figure_card(f, r, lg)
    missing = [name for name, r in results.items() if leaves_out_continuation(r.scenario)]
    if missing:
        st.caption(f"{', '.join(md(m) for m in missing)}: {continuation_note(lg)}")


def figure_card(f: Figure, r: sib.Results, lg: str) -> None:
    """One figure as a card: its value, its margin of error, and what a value below zero means."""
    if not applies(f, r):
        st.metric(f.label(lg), "–", help=f.help(lg) or None)
        return
    e = estimate(r, f)
    st.metric(f.label(lg), show(e.value, f.kind, lg, r.scenario.currency), help=f.help(lg) or None)
    notes = []
    between = span(e, f.kind, lg, r.scenario.currency)
    if between:
        notes.append(f"{text(lg)('margin')}: {between}")
    if e.value < 0 and f.below_zero(lg):
        notes.append(f.below_zero(lg))
    if notes:
        st.caption(" · ".join(notes))


def workbook_bytes(results: sib.Results, lang_code: str) -> bytes:
    """The study's Excel workbook, built once per study and language: when somebody asks for
    it (it takes a second or two, longer than the comparison it describes)."""

    def build() -> bytes:
        buffer = io.BytesIO()
        write_workbook(results, buffer, lang_code)
        return buffer.getvalue()

    return runs.kept(("xlsx", results.scenario.digest, results.reps, str(results.seed.entropy), lang_code), build)


def summary_bytes(results: dict[str, sib.Results], lang_code: str, question: str | None) -> bytes:
    """The comparison's two-page PDF summary, built once per comparison, language and question."""

    def build() -> bytes:
        buffer = io.BytesIO()
        write_summary(results, buffer, lang_code, question)
        return buffer.getvalue()

    key = ("pdf", tuple((n, r.scenario.digest, r.reps, str(r.seed.entropy)) for n, r in results.items()), lang_code, question)
    return runs.kept(key, build)


def downloads(results: dict[str, sib.Results], question: str | None = None) -> None:
    tr = t()
    st.subheader(tr("downloads"))
    st.download_button(
        tr("pdf"),
        partial(summary_bytes, results, lang(), question),
        file_name=say("sib-sammanfattning.pdf", "sib-summary.pdf", lang()),
        key="pdf",
        on_click="ignore",
        mime="application/pdf",
        type="primary",
    )
    cols = st.columns(len(results))
    for k, (col, (name, r)) in enumerate(zip(cols, results.items())):
        with col:
            # Both built when clicked (Streamlit calls ``data`` then, on a thread of its own); a download
            # does not rerun the page, so a second click at once is not lost in a rerun.
            st.download_button(
                tr("excel", name=name),
                partial(workbook_bytes, r, lang()),
                file_name=f"sib-{k + 1}.xlsx",
                key=f"xlsx_{k}",
                on_click="ignore",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            st.download_button(
                tr("yaml", name=name),
                partial(to_yaml, r.scenario),
                file_name=f"sib-{k + 1}.yaml",
                key=f"yaml_{k}",
                on_click="ignore",
                mime="application/x-yaml",
            )
