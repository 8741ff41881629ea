"""The compare page through Streamlit's AppTest: the cards, spread, credit, budget years and one
simulation opened in full, the seed and the language switch, and the notes a reader needs."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers_app import APP, CREDIT, CREDIT_EN, PAID, TIMEOUT, WHOLE, WHOLE_EN, app, figure, metric, on, title
from streamlit.testing.v1 import AppTest

import sib
from sib.dashboard.library import Library
from sib.fmt import percent
from sib.scenario.loader import build
from sib.study.headline import continuation_note, show
from sib.study.spread import split


@pytest.fixture(scope="module")
def compared() -> AppTest:

    os.environ["SIB_DASHBOARD_REPS"] = "100"  # the spread split needs 100
    try:
        return app()
    finally:
        del os.environ["SIB_DASHBOARD_REPS"]


def test_compare_opens_on_the_default_scenarios_with_figures_in_kronor(compared):
    at = compared
    assert at.multiselect(key="compare_pick").value[0].startswith("Bostad först")
    assert len(at.multiselect(key="compare_pick").value) == 2
    paid = [m.value for m in at.metric if m.label == WHOLE]
    assert len(paid) == 2 and all(re.fullmatch(r"\d{1,3}( \d{3})+ kr", v) for v in paid), paid
    assert any(c.value.startswith("felmarginal: ") for c in at.caption)  # the estimate's margin, not a spread
    assert any("Utföraren kan inte betala sina utgifter i" in i.value for i in at.info)  # the plain sentence
    assert all("kommunens hela kostnad i genomsnitt" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) >= 5  # fan, budget years, two distributions, a Sankey
    assert at.get("dataframe"), "no table of differences"


def test_the_whole_cost_is_the_first_card_and_paid_to_the_provider_follows(compared):
    """The municipality's figures come first, level across the scenarios: the whole cost, its
    95th percentile, then what was paid to the provider; the cards show what the studies say."""
    at = compared
    n = len(at.multiselect(key="compare_pick").value)
    labels = [m.label for m in at.metric]
    assert labels[:n] == [WHOLE] * n
    assert labels[2 * n : 3 * n] == [PAID] * n
    results = list(at.session_state["comparison"][1].results.values())
    assert [m.value for m in at.metric[:n]] == [show(r.kpi("commissioner_whole_cost", "mean").value, "money", "sv") for r in results]
    assert [h.value for h in at.markdown if h.value.startswith("#####")][:3] == ["##### Kommunen", "##### Deltagarna", "##### Utföraren"]


def test_the_spread_is_split_into_the_uncertain_effects_and_the_cohort_s_luck(compared):
    """The reference scenarios' effects are uncertain: a table says, per key figure, how much of
    its spread they explain — the shares the library computes from the same studies."""
    at = compared
    assert any(s.value == "Varifrån spridningen kommer" for s in at.subheader)
    shown = next(d.value for d in at.dataframe if "Kommunens hela kostnad" in list(d.value.index))
    results = at.session_state["comparison"][1].results
    name = shown.columns[0]
    expected = split(results[name], "commissioner_whole_cost").from_parameters
    assert shown.loc["Kommunens hela kostnad", name] == percent(expected, 0)


def test_the_credit_that_carries_the_provider_is_shown_under_the_stop_rule(compared):
    at = compared
    results = list(at.session_state["comparison"][1].results.values())
    assert all(r.scenario.insolvency.rule == "stop" for r in results)
    credit = [m.value for m in at.metric if m.label == CREDIT]
    assert credit == [show(r.kpi("funding_need", "p95").value, "money", "sv") for r in results]
    assert sum(m.label == "Extra kredit som behövs, median" for m in at.metric) == len(results)
    assert sum(m.label.startswith("Dagar efter med betalningar") for m in at.metric) == len(results)
    assert sum(m.label.startswith("Dröjsmålsränta") for m in at.metric) == len(results)
    for r, lowest in zip(results, (m for m in at.metric if m.label == "Utförarens lägsta likviditet, 5 % sämsta")):
        # a lowest liquidity below zero is read as bills that cannot be paid on time
        assert lowest.value.startswith("−") == (r.kpi("provider_min_liquidity", "p05").value < 0)
    if any(r.kpi("provider_min_liquidity", "p05").value < 0 for r in results):
        assert any("räkningar som inte kan betalas i tid" in c.value for c in at.caption)


def test_the_budget_years_show_the_whole_cost_with_what_the_provider_was_paid(compared):
    at = compared
    results = list(at.session_state["comparison"][1].results.values())
    years_chart = next(f for f in map(figure, at.get("plotly_chart")) if "per budgetår" in title(f))
    assert title(years_chart).startswith("Kommunens hela kostnad")
    bars = [d for d in years_chart["data"] if d["type"] == "bar"]
    marks = [d for d in years_chart["data"] if d["type"] == "scatter"]
    assert len(bars) == len(marks) == len(results)
    first = results[0].summary
    years = [int(y) for y in bars[0]["x"]]
    assert bars[0]["y"] == pytest.approx([first[f"commissioner_whole_cost_{y}"].mean() for y in years])
    assert marks[0]["y"] == pytest.approx([first[f"commissioner_paid_{y}"].mean() for y in years])


def test_a_different_seed_gives_other_figures_and_the_same_seed_the_same(compared):
    at = compared
    before = metric(at, WHOLE)
    at.number_input(key="compare_seed").set_value(7)
    at.button[0].click().run()
    changed = metric(at, WHOLE)
    assert changed != before
    at.number_input(key="compare_seed").set_value(0)
    at.button[0].click().run()
    assert metric(at, WHOLE) == before


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
    assert not any("Belopp" in d.value.columns for d in at.dataframe)
    at.toggle(key="drill_show").set_value(True).run()
    assert not at.exception
    assert any(c.value.startswith("Simulering nr ") for c in at.caption)
    tables = [d.value for d in at.dataframe]
    ledger = next(t for t in tables if "Belopp" in t.columns)
    events = next(t for t in tables if "Händelse" in t.columns)
    assert ledger["Belopp"].str.endswith(" kr").all() and len(events) > len(ledger) / 100
    assert "remitterad" in set(events["Händelse"]) and "kommunen" in set(ledger["Från"])
    assert len(at.get("plotly_chart")) >= 6  # and its cash path
    at.toggle(key="drill_show").set_value(False).run()


def test_switching_language_changes_labels_and_money(compared):
    at = compared
    at.radio(key="lang").set_value("English").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert WHOLE_EN in labels and WHOLE not in labels
    assert any(m.value.startswith("SEK ") for m in at.metric)
    assert any("The provider cannot meet its payments" in i.value for i in at.info)
    assert CREDIT_EN in labels
    at.radio(key="lang").set_value("Svenska").run()
    assert WHOLE in [m.label for m in at.metric]


def test_a_scenario_that_can_stop_without_a_continuation_says_what_the_whole_cost_leaves_out():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    lib = Library()
    base = sib.load_scenario(Path(APP).parent / "scenarios" / "bostad_forst.yaml")
    lib.add(base)
    data = base.model_dump(mode="json", by_alias=True)
    data["name"] = "Utan fortsättning"
    data["insolvency"].pop("continuation")  # and the sources that went with it
    data["sources"] = {k: v for k, v in data["sources"].items() if not k.startswith("insolvency.continuation")}
    lib.add(build(data))
    at.session_state["library"] = lib
    at.session_state["compare_pick"] = list(lib.scenarios)
    at.run()
    at = on(at, "compare")
    note = continuation_note("sv")
    assert [note in i.value for i in at.info] == [False, True]  # in the sentence of the one without
    assert any(c.value == f"Utan fortsättning: {note}" for c in at.caption)
