"""Each page in Swedish has no English on it, and in English no Swedish: every label, option,
help text, heading, caption, message, card and table cell the dashboard writes, on every page
with something run. What may stay in the other language is listed here and reviewed:

- the user's own data: scenario names, and the labels a scenario file gives its states and
  milestones (a Swedish file shows Swedish names in the English UI);
- codes shown for whoever checks a file (field paths such as ``contract.outcome_share``);
- the sources, quoted as the scenario files write them (in English): a Swedish text for each
  is not written yet (issue 14, part 5);
- texts Streamlit draws and an app cannot set (checked in the browser, not here).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sib.dashboard.library import Library

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ("start", "compare", "edit", "sweep", "workshop", "assumptions")
#: Words of one language that the other does not use (a shared word such as "per", "in" or
#: "risk" would prove nothing).
ENGLISH = set("the and of with without provider municipality cost costs share credit guarantee days months years monthly "
              "quarterly stop continue seed select upload average probability cannot must got allowed are not from paid "
              "participants contract simulations replications".split())
SWEDISH = set("och att det för med utan kommunens utföraren kostnad andel kredit garanti dagar månader inte är som av på "
              "till från simuleringar deltagare avtalet".split())
#: Text-bearing elements whose ``value`` is shown as it is (a selection widget's value is a raw option).
SHOWN_VALUE = {"Markdown", "Caption", "Title", "Header", "Subheader", "Text", "Info", "Warning", "Error", "Success", "Metric"}
#: Table columns quoting the scenario files' sources (see the module's note).
SOURCE_COLUMNS = {"Källa", "Source", "Verk som citeras", "Works cited", "källa", "source"}


def shown_texts(at: AppTest) -> list[str]:
    """Every string the page shows, from the element tree."""
    out: list[str] = []

    def walk(node) -> None:
        kind = type(node).__name__
        for attr in ("label", "help", "placeholder"):
            value = getattr(node, attr, None)
            if isinstance(value, str):
                out.append(value)
        options = getattr(node, "options", None)
        if isinstance(options, (list, tuple)):
            out.extend(o for o in options if isinstance(o, str))
        if kind in SHOWN_VALUE:
            value = getattr(node, "value", None)
            if isinstance(value, str):
                out.append(value)
        if kind in ("Dataframe", "Table"):
            frame = node.value
            if isinstance(frame, pd.DataFrame):
                out.extend(str(c) for c in frame.columns if str(c) not in SOURCE_COLUMNS)
                out.extend(str(i) for i in frame.index if isinstance(i, str))
                for column in frame.columns:
                    if str(column) not in SOURCE_COLUMNS and frame[column].dtype == object:
                        out.extend(str(v) for v in frame[column].head(60) if isinstance(v, str))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return out


def own_data(lib: Library) -> list[str]:
    """What the user's scenarios name in their own words, longest first (stripped before the check)."""
    names = set(lib.scenarios)
    for sc in lib.scenarios.values():
        names |= {s.label for s in sc.pathway.states.values() if s.label}
        names |= {m.label for m in sc.milestones.values() if m.label}
        if sc.economics is not None and sc.economics.counterfactual is not None:
            names |= {s.label for s in sc.economics.counterfactual.states.values() if s.label}
    return sorted(names, key=len, reverse=True)


def foreign(text: str, words: set[str], data: list[str]) -> set[str]:
    for name in data:
        text = text.replace(name, " ")
    text = re.sub(r"`[^`]*`", " ", text)  # code
    text = re.sub(r"\b[a-z_]+(\.[a-z0-9_\[\]]+)+\b", " ", text)  # field paths
    return set(re.findall(r"[a-zåäö]+", text.lower())) & words


@pytest.mark.parametrize("language, other", [("Svenska", ENGLISH), ("English", SWEDISH)], ids=["sv", "en"])
def test_every_page_speaks_one_language(monkeypatch, language, other):
    monkeypatch.setenv("SIB_DASHBOARD_REPS", "50")
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.sidebar.radio[0].set_value(language).run()
    data = own_data(at.session_state["library"]) if "library" in at.session_state else own_data(Library.from_folder())
    leaks = []
    for page in PAGES:
        at.switch_page(f"sib/dashboard/pages/{page}.py").run()
        if page == "start":
            at.button(key="ask_cash").click().run()  # a question's answer, then the compare page itself
        if page == "sweep":
            at.button[0].click().run()
        if page == "workshop":
            at.button(key="workshop_next").click().run()
            at.button(key="workshop_next").click().run()
        assert not at.exception, [e.value for e in at.exception]
        leaks += [(page, tuple(sorted(hit)), text[:120]) for text in shown_texts(at) if (hit := foreign(text, other, data))]
    assert not leaks, "\n".join(map(str, dict.fromkeys(leaks)))
