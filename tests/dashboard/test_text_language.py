"""Each page in Swedish has no English on it, and in English no Swedish: every label, option,
help text, heading, caption, message, card and table cell the dashboard writes, on every page
with something run. What may stay in the other language is listed here and reviewed:

- the user's own data: scenario names, and the labels a scenario file gives its states and
  milestones (a Swedish file shows Swedish names in the English UI);
- codes shown for whoever checks a file (field paths such as ``contract.outcome_share``);
- the titles of the works cited, in the language they were published in, and what a source
  says quoted in its own words;
- texts Streamlit draws and an app cannot set (checked in the browser, tests/product/test_browser.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from helpers_language import ENGLISH, SWEDISH, foreign
from helpers_paths import REPO
from streamlit.testing.v1 import AppTest

from sib.dashboard.library import Library

APP = str(REPO / "app.py")
PAGES = ("start", "compare", "edit", "sweep", "workshop", "assumptions")
#: Text-bearing elements whose ``value`` is shown as it is (a selection widget's value is a raw option).
SHOWN_VALUE = {"Markdown", "Caption", "Title", "Header", "Subheader", "Text", "Info", "Warning", "Error", "Success", "Metric"}


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
                out.extend(str(c) for c in frame.columns)
                out.extend(str(i) for i in frame.index if isinstance(i, str))
                for column in frame.columns:
                    if frame[column].dtype == object:
                        out.extend(str(v) for v in frame[column].head(60) if isinstance(v, str))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return out


def works() -> list[str]:
    """The titles and publishers of the works cited, as published (see the module's note)."""
    from sib.references import references

    return [w for ref in references().values() for w in (ref.title, *ref.by)]


def own_data(lib: Library) -> list[str]:
    """What the user's scenarios name in their own words, longest first (stripped before the check)."""
    names = set(lib.scenarios)
    for sc in lib.scenarios.values():
        names |= {s.label for s in sc.pathway.states.values() if s.label}
        names |= {m.label for m in sc.milestones.values() if m.label}
        if sc.economics is not None and sc.economics.counterfactual is not None:
            names |= {s.label for s in sc.economics.counterfactual.states.values() if s.label}
    return sorted(names, key=len, reverse=True)


@pytest.mark.parametrize("language, other", [("Svenska", ENGLISH), ("English", SWEDISH)], ids=["sv", "en"])
def test_every_page_speaks_one_language(monkeypatch, language, other):
    monkeypatch.setenv("SIB_DASHBOARD_REPS", "50")
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.sidebar.radio[0].set_value(language).run()
    lib = at.session_state["library"] if "library" in at.session_state else Library.from_folder()
    data = sorted(own_data(lib) + works(), key=len, reverse=True)
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


# ---------------------------------------------------------------- the command line, the workbook, the PDF
# One mechanism (sib.i18n) serves them all; each is read here in both languages, its own data
# (the scenario's name and labels) taken out as on the pages.

ROOT = Path(APP).parent
BOSTAD = ROOT / "scenarios" / "bostad_forst.yaml"
OTHER = {"sv": ENGLISH, "en": SWEDISH}


@pytest.fixture(scope="module")
def studies() -> dict:
    import sib

    scenarios = [sib.load_scenario(ROOT / "scenarios" / f) for f in ("bostad_forst_traditionellt.yaml", "bostad_forst_60.yaml")]
    return sib.compare(scenarios, 60, 0, "serial").results


def scenario_words(results) -> list[str]:
    """The scenarios' own words, and the titles of the works their sources cite (a Swedish
    report keeps its Swedish title in an English reference, and the other way round)."""
    lib = Library(scenarios={r.scenario.name: r.scenario for r in results})
    return sorted(own_data(lib) + works(), key=len, reverse=True)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_command_line_speaks_one_language(lang, capsys, tmp_path):
    from sib.cli import main

    text = BOSTAD.read_text(encoding="utf-8")
    (tmp_path / "date.yaml").write_text(text.replace("start_date: 2027-01-01", "start_date: 2027-13-01"), encoding="utf-8")
    (tmp_path / "keys.yaml").write_text(text.replace("  places: 110", "  places: -4\n  plates: 3"), encoding="utf-8")
    assert main(["run", str(BOSTAD), "--replication", "3", "--lang", lang]) == 0
    assert main(["run", str(BOSTAD), "--reps", "20", "--workers", "1", "--lang", lang]) == 0
    for broken in ("date.yaml", "keys.yaml"):
        assert main(["validate", str(tmp_path / broken), "--lang", lang]) == 2
    out = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["run", "--help", "--lang", lang])
    out += capsys.readouterr().out
    out = re.sub(r"--[a-z][a-z-]*|\b[A-Z_]{2,}\b", " ", out)  # options and their placeholders are the command's own words
    data = [str(tmp_path), *own_data(Library(scenarios={"b": __import__("sib").load_scenario(BOSTAD)}))]
    leaks = [(hit, line) for line in out.splitlines() if (hit := foreign(line, OTHER[lang], data))]
    assert not leaks, "\n".join(map(str, leaks))
    assert "2027-13-01" in out and "capacity.places" in out and "capacity.plates" in out


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_workbook_speaks_one_language(lang, studies, tmp_path):
    """Every sheet's name, heading and text cell, the sources too; the codes column (kod/code)
    and the parameter paths are for whoever checks the file and stay as they are."""
    import openpyxl

    from sib.study.workbook import HEAD, write_workbook

    results = next(iter(studies.values()))
    write_workbook(results, tmp_path / "book.xlsx", lang)
    book = openpyxl.load_workbook(tmp_path / "book.xlsx", read_only=True)
    data = scenario_words([results])
    codes = {HEAD("metric", lang), HEAD("path", lang)}
    leaks = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if not rows:
            continue
        header = [str(h) for h in rows[0]]
        shown = [i for i, h in enumerate(header) if h not in codes]
        texts = [sheet.title, *header] + [str(row[i]) for row in rows[1:400] for i in shown if i < len(row) and isinstance(row[i], str)]
        leaks += [(sheet.title, tuple(sorted(hit)), t[:100]) for t in texts if (hit := foreign(t, OTHER[lang], data))]
    assert not leaks, "\n".join(map(str, dict.fromkeys(leaks)))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_council_summary_speaks_one_language(lang, studies):
    import io

    from pypdf import PdfReader

    from sib.study.summary import write_summary

    buffer = io.BytesIO()
    write_summary(studies, buffer, lang)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(buffer.getvalue())).pages)
    hit = foreign(text, OTHER[lang], scenario_words(studies.values()) + ["docs/sources.md"])
    assert not hit, hit


def test_every_choice_a_scenario_file_can_make_has_a_name_in_both_languages():
    """A rule, a payer or an interval is written in the file as an English code; wherever it is
    shown (the editor, the table of differences, the workbook) it is named from one table."""
    import typing

    from pydantic import BaseModel

    from sib.labels import CHOICES
    from sib.scenario.schema import Scenario

    found, seen = set(), set()

    def walk(annotation) -> None:
        if typing.get_origin(annotation) is typing.Literal:
            found.update(a for a in typing.get_args(annotation) if isinstance(a, str))
        for arg in typing.get_args(annotation):
            walk(arg)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in seen:
            seen.add(annotation)
            for field in annotation.model_fields.values():
                walk(field.annotation)

    walk(Scenario)
    assert len(found) > 30 and not found - set(CHOICES), sorted(found - set(CHOICES))
