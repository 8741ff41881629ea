"""The dashboard, page by page, through Streamlit's AppTest: pages render, widgets change
results, bad input is shown inline and the app keeps working, the language switch changes
labels and money formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import sib
from sib.dashboard.library import UPLOAD_LIMIT, read_upload

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 240  # the first run prices the contracts and starts the worker pool
PAGES = "sib/dashboard/pages/{}.py"


@pytest.fixture(autouse=True)
def few_replications(monkeypatch):
    monkeypatch.setenv("SIB_DASHBOARD_REPS", "100")


def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def on(at: AppTest, page: str) -> AppTest:
    at.switch_page(PAGES.format(page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture(scope="module")
def compared() -> AppTest:
    import os

    os.environ["SIB_DASHBOARD_REPS"] = "100"
    try:
        return app()
    finally:
        del os.environ["SIB_DASHBOARD_REPS"]


def test_compare_opens_on_the_default_scenarios_with_figures_in_kronor(compared):
    at = compared
    assert at.multiselect(key="compare_pick").value[0].startswith("Bostad först")
    assert len(at.multiselect(key="compare_pick").value) == 2
    paid = [m.value for m in at.metric if m.label == "Kommunen betalar, väntevärde"]
    assert len(paid) == 2 and all(re.fullmatch(r"\d{1,3}( \d{3})+ kr", v) for v in paid), paid
    assert any("95 %:" in c.value for c in at.caption)
    assert any("kan utföraren inte betala sina utgifter i" in i.value for i in at.info)  # the plain sentence
    assert len(at.get("plotly_chart")) >= 5  # fan, budget years, two distributions, a Sankey
    assert at.get("dataframe"), "no table of differences"


def test_a_different_seed_gives_other_figures_and_the_same_seed_the_same(compared):
    at = compared
    before = metric(at, "Kommunen betalar, väntevärde")
    at.number_input(key="compare_seed").set_value(7)
    at.button[0].click().run()
    changed = metric(at, "Kommunen betalar, väntevärde")
    assert changed != before
    at.number_input(key="compare_seed").set_value(0)
    at.button[0].click().run()
    assert metric(at, "Kommunen betalar, väntevärde") == before


def test_the_flow_diagram_follows_the_scenario_picked(compared):
    at = compared
    flows = at.radio(key="sankey_of")
    assert flows.options == at.multiselect(key="compare_pick").value
    first = at.get("plotly_chart")[-1].proto.spec
    flows.set_value(flows.options[1]).run()
    assert not at.exception
    assert at.get("plotly_chart")[-1].proto.spec != first
    at.radio(key="sankey_of").set_value(flows.options[0]).run()


def test_one_simulation_opens_on_demand_with_its_cash_path_events_and_ledger(compared):
    """The drill-down simulates the replication again only when asked: before, the page has no
    ledger; after, the one at the 5th percentile of minimum liquidity, its cash and its events."""
    at = compared
    assert not any("amount_ore" in d.value.columns for d in at.dataframe)
    at.toggle(key="drill_show").set_value(True).run()
    assert not at.exception
    assert any(c.value.startswith("Replikering ") for c in at.caption)
    tables = [d.value for d in at.dataframe]
    ledger = next(t for t in tables if "amount_ore" in t.columns)
    events = next(t for t in tables if "event" in t.columns)
    assert (ledger["amount_ore"] > 0).all() and len(events) > len(ledger) / 100
    assert len(at.get("plotly_chart")) >= 6  # and its cash path
    at.toggle(key="drill_show").set_value(False).run()


def test_switching_language_changes_labels_and_money(compared):
    at = compared
    at.radio(key="lang").set_value("English").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Municipality pays, expected" in labels and "Kommunen betalar, väntevärde" not in labels
    assert any(m.value.startswith("SEK ") for m in at.metric)
    assert any("the provider cannot meet its payments" in i.value for i in at.info)
    at.radio(key="lang").set_value("Svenska").run()
    assert "Kommunen betalar, väntevärde" in [m.label for m in at.metric]


def test_the_editor_saves_a_version_that_can_be_compared():
    at = on(app(), "edit")
    assert at.title[0].value == "Scenariobibliotek"
    share = at.slider(key="lever:contract.outcome_share")
    assert share.value == 40.0
    share.set_value(60.0)
    at.text_input(key=next(k for k in (w.key for w in at.text_input) if k and k.startswith("save_as"))).set_value("Sextio procent")
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Sextio procent" in s.value for s in at.success)
    lib = at.session_state["library"]
    assert lib.scenarios["Sextio procent"].contract.outcome_share == 0.6
    at = on(at, "compare")
    assert "Sextio procent" in at.multiselect(key="compare_pick").options


def test_a_value_the_schema_refuses_is_shown_with_its_path_and_the_app_keeps_working():
    at = on(app(), "edit")
    at.number_input(key="lever:financing.credit_line.limit").set_value(0.0)
    at.button[0].click().run()
    assert not at.exception
    assert any("financing.credit_line.limit: must be > 0" in e.value for e in at.error), [e.value for e in at.error]
    at.slider(key="lever:contract.outcome_share").set_value(50.0)
    at.number_input(key="lever:financing.credit_line.limit").set_value(3_000_000.0)
    at.button[0].click().run()
    assert not at.error and at.success


def test_an_upload_is_checked_for_size_and_content():
    with pytest.raises(sib.ScenarioError, match="at most"):
        read_upload(b"x" * (UPLOAD_LIMIT + 1), "big.yaml")
    with pytest.raises(sib.ScenarioError) as info:
        read_upload(b"name: x\nstart_date: 2027-01-01\n", "half.yaml")
    assert any(p.startswith("participants: is required") for p in info.value.problems)
    text = (Path(__file__).resolve().parents[1] / "scenarios" / "arbetsintegrering.yaml").read_bytes()
    assert read_upload(text, "ok.yaml").name.startswith("Arbetsintegrering")


def test_the_sweep_marks_the_break_even_with_and_without_the_guarantee():
    at = on(app(), "sweep")
    at.number_input(key="sweep_from").set_value(0.2)
    at.number_input(key="sweep_to").set_value(0.5)
    at.number_input(key="sweep_step").set_value(0.15)
    at.number_input(key="sweep_reps").set_value(50)
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    texts = [m.value for m in at.markdown]
    assert sum("med garanti" in x or "utan garanti" in x for x in texts) == 2, texts
    assert any("Brytpunkt" in x or "Ingen svept nivå" in x or "Alla svepta" in x for x in texts)
    assert len(at.get("plotly_chart")) == 3


def test_the_workshop_runs_one_step_per_click_and_says_what_changed():
    at = on(app(), "workshop")
    at.button(key="workshop_next").click().run()
    assert [h.value for h in at.header] == ["Steg 1: Grundfallet: 20 % utfallsbaserat, ingen garanti"]
    at.button(key="workshop_next").click().run()
    assert len(at.header) == 2 and not at.exception
    risk = [m for m in at.metric if m.label == "Risk att utföraren inte kan betala"]
    assert len(risk) == 2 and risk[1].delta is not None  # the change from the step before
    at.button(key="workshop_restart").click().run()
    assert not at.header


def test_the_assumptions_page_lists_every_value_with_its_source():
    at = on(app(), "assumptions")
    table = at.dataframe[0].value
    assert len(table) > 50
    row = table[table.iloc[:, 0] == "capacity.places"].iloc[0]
    assert row.iloc[1] == "110" and "facts.md" in row.iloc[2]
    assert any("creaming" in m.value for m in at.markdown)
