"""The dashboard, page by page, through Streamlit's AppTest: pages render, widgets change
results, bad input is shown inline and the app keeps working, the language switch changes
labels and money formats."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import sib
from sib.dashboard.library import UPLOAD_LIMIT, Library, read_upload
from sib.fmt import percent
from sib.scenario.edit import with_values
from sib.scenario.loader import build
from sib.study.headline import continuation_note, show
from sib.study.spread import split

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 240  # the first run prices the contracts and starts the worker pool
PAGES = "sib/dashboard/pages/{}.py"
WHOLE, WHOLE_EN = "Kommunens hela kostnad, genomsnitt", "The municipality's whole cost, average"
PAID = "Betalt till utföraren, genomsnitt"
CREDIT, CREDIT_EN = "Extra kredit som bär utföraren i 95 % av fallen", "Extra credit that carries the provider in 95% of cases"


@pytest.fixture(autouse=True)
def few_replications(monkeypatch):
    monkeypatch.setenv("SIB_DASHBOARD_REPS", "50")  # the least the compare page takes


def app() -> AppTest:
    """The app on its compare page (the first page asks the questions)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return on(at, "compare")


def on(at: AppTest, page: str) -> AppTest:
    at.switch_page(PAGES.format(page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


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


def figure(chart) -> dict:
    """A chart on the page as the plotly spec it was drawn from, its numbers as lists (plotly
    sends arrays as base64)."""

    def decode(value):
        if isinstance(value, dict) and set(value) == {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
        if isinstance(value, dict):
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return decode(json.loads(chart.proto.spec))


def title(spec: dict) -> str:
    return spec["layout"]["title"]["text"]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture(scope="module")
def compared() -> AppTest:
    import os

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


def lever(widgets, path: str):
    """The editor's control for ``path`` in the scenario on screen (keys name the scenario)."""
    return next(w for w in widgets if w.key and w.key.startswith("lever:") and w.key.endswith(f":{path}"))


def test_the_editor_shows_each_scenario_s_own_values_when_another_is_picked():
    at = on(app(), "edit")
    first = at.selectbox(key="edit_name").value
    assert lever(at.text_input, "financing.guarantee.max_amount").value == "400 000"
    at.selectbox(key="edit_name").set_value("Bostad först – kommunal borgen").run()
    assert not at.exception
    assert lever(at.text_input, "financing.guarantee.max_amount").value == "2 000 000"
    at.selectbox(key="edit_name").set_value(first).run()
    assert lever(at.text_input, "financing.guarantee.max_amount").value == "400 000"


def test_the_editor_saves_a_version_that_can_be_compared():
    at = on(app(), "edit")
    assert at.title[0].value == "Scenariobibliotek"
    share = lever(at.select_slider, "contract.outcome_share")
    assert share.value == 0.4 and share.format_func(0.4) == "40 %"
    share.set_value(0.6)
    at.text_input(key=next(k for k in (w.key for w in at.text_input) if k and k.startswith("save_as"))).set_value("Sextio procent")
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Sextio procent" in s.value for s in at.success)
    lib = at.session_state["library"]
    assert lib.scenarios["Sextio procent"].contract.outcome_share == 0.6
    at = on(at, "compare")
    assert "Sextio procent" in at.multiselect(key="compare_pick").options


def test_an_amount_is_typed_the_swedish_way_and_a_word_is_refused_naming_the_field():
    at = on(app(), "edit")
    caseload = lever(at.text_input, "provider.costs.caseload.participants_per_caseworker")
    assert caseload.value == "4,5"  # a decimal comma, as it is written
    caseload.set_value("5,5")
    lever(at.text_input, "provider.opening_equity").set_value("1 500 000,50")
    at.button[0].click().run()
    assert not at.error, [e.value for e in at.error]
    lib = at.session_state["library"]
    saved = lib.scenarios[next(reversed(lib.own))]  # the version just saved
    assert (saved.provider.costs.caseload.participants_per_caseworker, saved.provider.opening_equity) == (5.5, 1_500_000.5)
    lever(at.text_input, "provider.opening_equity").set_value("två miljoner")
    at.button[0].click().run()
    assert not at.exception
    assert any("Egna pengar vid start (provider.opening_equity): ”två miljoner” är inte ett tal" in e.value for e in at.error)


def test_a_saved_version_outlasts_the_session_and_can_be_renamed_and_deleted(own_scenarios):
    at = on(app(), "edit")
    lever(at.select_slider, "contract.outcome_share").set_value(0.6)
    at.text_input(key=next(k for k in (w.key for w in at.text_input) if k and k.startswith("save_as"))).set_value("Sextio procent")
    at.button[0].click().run()
    files = list(own_scenarios.glob("*.yaml"))
    assert len(files) == 1 and sib.load_scenario(files[0]).contract.outcome_share == 0.6
    at = on(app(), "edit")  # a reload: a new session reads the folder
    assert "Sextio procent" in at.session_state["library"].own
    at.selectbox(key="edit_name").set_value("Sextio procent").run()
    assert any(str(own_scenarios) in c.value.replace("\\", "").replace("\u2060", "") for c in at.caption)  # says where it is kept
    at.text_input(key="rename:Sextio procent").set_value("Sextio, omdöpt")
    at.button(key="rename_button:Sextio procent").click().run()
    assert not at.exception and at.selectbox(key="edit_name").value == "Sextio, omdöpt"
    assert sib.load_scenario(files[0]).name == "Sextio, omdöpt"
    at.button(key="delete:Sextio, omdöpt").click().run()
    assert not at.exception and not list(own_scenarios.glob("*.yaml"))
    assert "Sextio, omdöpt" not in at.session_state["library"].scenarios


def test_a_value_the_schema_refuses_is_shown_with_its_path_and_the_app_keeps_working():
    at = on(app(), "edit")
    lever(at.text_input, "financing.guarantee.max_amount").set_value("0")
    at.button[0].click().run()
    assert not at.exception
    assert any("financing.guarantee.max_amount: måste vara större än 0" in e.value for e in at.error), [e.value for e in at.error]
    lever(at.select_slider, "contract.outcome_share").set_value(0.5)
    lever(at.text_input, "financing.guarantee.max_amount").set_value("300 000")
    at.button[0].click().run()
    assert not at.error and at.success


def test_a_name_is_shown_as_written_never_as_a_link_or_an_image():
    """A scenario named in Markdown once rendered a link and an image (the browser fetched it)
    in the upload's message; a problem holding a backtick broke out of its code span."""
    from sib.dashboard.common import code, md

    name = "Min [länk](https://example.com) ![bild](https://example.com/x.png) *fet*"
    shown = md(name)
    assert "](" not in shown.replace("\\]\\(", "") and "\\*fet\\*" in shown and "https://" not in shown
    assert code("a `b` c") == "`` a `b` c ``"


def test_an_upload_is_checked_for_size_and_content():
    with pytest.raises(sib.ScenarioError, match="at most"):
        read_upload(b"x" * (UPLOAD_LIMIT + 1), "big.yaml")
    with pytest.raises(sib.ScenarioError) as info:
        read_upload(b"name: x\nstart_date: 2027-01-01\n", "half.yaml")
    assert any(p.startswith("participants: is required") for p in info.value.problems)
    text = (Path(__file__).resolve().parents[1] / "scenarios" / "arbetsintegrering.yaml").read_bytes()
    assert read_upload(text, "ok.yaml").name.startswith("Arbetsintegrering")
    # A file that extends a library scenario, as the README teaches: its base is found in the library.
    mine = read_upload(b"extends: bostad_forst_60.yaml\nname: Min variant\ncontract:\n  payment_terms_days: 20\n", "min.yaml")
    assert (mine.name, mine.contract.outcome_share, mine.contract.payment_terms_days) == ("Min variant", 0.6, 20)
    with pytest.raises(sib.ScenarioError, match="outside the scenario folder"):
        read_upload(b"extends: ../pyproject.toml\n", "away.yaml")


def test_the_sweep_marks_the_break_even_with_and_without_the_guarantee():
    at = on(app(), "sweep")
    # The outcome share's own range, entered in per cent.
    assert [at.text_input(key=f"sweep_{k}:contract.outcome_share").value for k in ("from", "to", "step")] == ["20", "75", "5"]
    at.text_input(key="sweep_from:contract.outcome_share").set_value("20")
    at.text_input(key="sweep_to:contract.outcome_share").set_value("50,0")  # a decimal comma, as a Swede types it
    at.text_input(key="sweep_step:contract.outcome_share").set_value("15")
    at.number_input(key="sweep_reps").set_value(50)
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    texts = [m.value for m in at.markdown]
    assert sum("med garanti" in x or "utan garanti" in x for x in texts) == 2, texts
    assert any("Brytpunkt" in x or "Ingen prövad nivå" in x or "Alla prövade" in x for x in texts)
    assert len(at.get("plotly_chart")) == 3


def test_a_sweep_bound_that_is_not_a_number_is_named_and_nothing_runs():
    at = on(app(), "sweep")
    at.text_input(key="sweep_from:contract.outcome_share").set_value("tjugo")
    at.text_input(key="sweep_step:contract.outcome_share").set_value("0")
    at.button[0].click().run()
    errors = " ".join(e.value for e in at.error)
    assert "Från (contract.outcome_share): ”tjugo” är inte ett tal" in errors and "sweep" not in at.session_state


def test_the_sweep_s_cost_curve_is_the_whole_cost_so_a_failing_provider_does_not_look_cheaper():
    """Less and less credit: the provider fails more and more often and is paid less and less,
    but the municipality carries the service on — its whole cost, the curve shown, does not
    fall where the risk rises."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    lib = Library()
    # At 75 % on outcomes, so that the smallest line (10 000 kr and what the guarantee secures) fails most of the time.
    lib.add(with_values(sib.load_scenario(Path(APP).parent / "scenarios" / "bostad_forst.yaml"), {"contract.outcome_share": 0.75}))
    at.session_state["library"] = lib
    at.run()
    at = on(at, "sweep")
    at.selectbox(key="sweep_param").set_value("financing.credit_line.limit").run()
    # The credit line's own range, in kronor: from nothing to twice the file's 500 000 kr.
    line = [at.text_input(key=f"sweep_{k}:financing.credit_line.limit") for k in ("from", "to", "step")]
    assert [n.value for n in line] == ["0", "1 000 000", "100 000"] and line[0].label == "Från (kr)"
    at.checkbox(key="sweep_both").set_value(False)
    line[0].set_value("10 000")
    line[1].set_value("2 500 000")
    line[2].set_value("2 490 000")
    at.number_input(key="sweep_reps").set_value(50)
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    found = next(iter(at.session_state["sweep"][1].values())).results
    risk = [r.kpi("provider_insolvent", "probability").value for r in found]
    assert risk[0] > 0.5 > risk[-1]  # the stressed end fails most of the time
    # The question a credit line asks: the lowest that carries the provider, in kronor.
    assert any(m.value.startswith("Brytpunkt: lägsta kredit") and "**2 500 000 kr**" in m.value for m in at.markdown), (
        risk,
        [m.value for m in at.markdown],
    )
    charts = {title(f): f for f in map(figure, at.get("plotly_chart"))}
    cost = charts["Kommunens hela kostnad, genomsnitt"]["data"][0]["y"]
    assert cost == pytest.approx([r.kpi("commissioner_whole_cost", "mean").value for r in found])
    paid = [r.kpi("commissioner_paid", "mean").value for r in found]
    assert paid[0] < paid[-1]  # what the provider is paid falls as it fails …
    assert cost[0] >= cost[-1]  # … the whole cost does not


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


def test_the_workshop_runs_one_step_per_click_and_says_what_changed():
    at = on(app(), "workshop")
    at.button(key="workshop_next").click().run()
    assert [h.value for h in at.header] == ["Steg 1: Grundfallet: 20 % utfallsbaserat, ingen garanti"]
    at.button(key="workshop_next").click().run()
    assert len(at.header) == 2 and not at.exception
    risk = [m for m in at.metric if m.label == "Risk att utföraren inte kan betala"]
    assert len(risk) == 2 and risk[1].delta is not None  # the change from the step before
    assert [m.label for m in at.metric[:4]] == [
        WHOLE,
        "Risk att utföraren inte kan betala",
        "Utförarens lägsta likviditet, 5 % sämsta",
        CREDIT,
    ]
    at.button(key="workshop_restart").click().run()
    assert not at.header


def test_the_workshop_s_guarantees_let_the_bank_lend_what_they_secure():
    """Steps 1–3 have no guarantee, so the bank lends on the provider's own standing only; step
    4 adds Mikrofonden's guarantee of its real size (the line grows by 400 000 / 0.9 kr); step 5
    has the municipality guarantee the credit step 4 still lacked, and the risk falls."""
    at = on(app(), "workshop")
    for _ in range(5):
        at.button(key="workshop_next").click().run()
    assert len(at.header) == 5 and not at.exception
    credit = [c.value for c in at.caption if c.value.startswith("Kredit: ")]
    assert credit[:3] == ["Kredit: 0,50 mnkr, utan garanti."] * 3  # in mnkr, as on the cards
    assert credit[3] == "Kredit: 0,94 mnkr, med garanti."
    amount = lambda text: float(text.split(": ")[1].split(" mnkr")[0].replace(",", "."))  # noqa: E731
    assert amount(credit[4]) > amount(credit[3])
    risk = [float(m.value.rstrip(" %").replace(",", ".")) for m in at.metric if m.label == "Risk att utföraren inte kan betala"]
    assert risk[4] < risk[3] and risk[4] < 10
    # Each step's result in words quotes its own card.
    said = [m.value for m in at.markdown if m.value.startswith("**Resultat:**")]
    assert [float(re.search(r"betala är (\d+) %", x).group(1)) for x in said] == risk


def test_the_assumptions_page_lists_every_value_with_its_source():
    at = on(app(), "assumptions")
    table = at.dataframe[0].value
    assert len(table) > 50
    row = table[table.iloc[:, 0] == "capacity.places"].iloc[0]
    assert row.iloc[1] == "110" and row.iloc[2].startswith("antagande: 110 stödplatser")  # the source in the page's language
    # A cited work is given in full beside the source that cites it.
    rate = table[table.iloc[:, 0] == "insolvency.late_interest_rate"].iloc[0]
    assert "[rantelagen-1975]" in rate.iloc[2] and "Räntelag (1975:635)" in rate.iloc[3]
    assert any("creaming" in m.value for m in at.markdown)
