"""Compare 2–4 scenarios under common random numbers: what differs, the key figures with
their intervals, the provider's cash over time, the municipality's budget years, the spread of
outcomes, the participants' flow, and one simulation opened in full."""

from __future__ import annotations

import time
from typing import Any

import pandas as pd
import streamlit as st

import sib
from sib.dashboard import charts, questions, runs
from sib.dashboard.common import default_reps, downloads, kpi_cards, lang, library, md, show_problems, t
from sib.dashboard.text import FIELDS
from sib.fmt import group, kr, percent
from sib.i18n import pick, say
from sib.labels import CHOICES, label
from sib.scenario.levers import Lever, levers
from sib.study import readable as drill
from sib.study.headline import sentence
from sib.study.spread import FIGURES, parameter_columns, split

IGNORED = {"name", "description", "sources"}


def page() -> None:
    tr = t()
    lib = library()
    st.title(tr("page_compare"))
    with st.form("compare_form", enter_to_submit=False):
        # A question on the start page sets the pick itself (a default beside it would warn).
        default = None if "compare_pick" in st.session_state else st.session_state.get("compare_names") or lib.default_names(2)
        names = st.multiselect(
            tr("scenarios"),
            list(lib.scenarios),
            default=default,
            key="compare_pick",
            max_selections=4,
            placeholder=tr("pick_placeholder"),
            select_all=False,
        )
        c1, c2 = st.columns(2)
        reps = int(c1.number_input(tr("reps"), min_value=50, max_value=20_000, value=default_reps(1000), step=50, key="compare_reps"))
        seed = int(c2.number_input(tr("seed"), min_value=0, value=0, step=1, key="compare_seed"))
        submitted = st.form_submit_button(tr("run"), type="primary")
    if len(names) < 2:
        st.info(tr("pick_two"))
        return
    # The results go in a place of their own, emptied before a new comparison runs: the old
    # results, left on the page meanwhile, cost the browser repainting them a fifth of the CPU
    # the workers needed.
    progress = st.container()
    slot = st.empty()
    asked = st.session_state.pop("run_now", False)
    if submitted and tuple(names) != st.session_state.get("question", (None, ()))[1]:
        st.session_state.pop("question", None)  # the user has made a comparison of their own
    if submitted or asked or "comparison" not in st.session_state:
        scenarios = [lib.scenarios[n] for n in names]
        with progress:
            update, clear = runs.progress_bar(tr("running"))
        start = time.perf_counter()
        try:
            comparison = runs.compare(scenarios, reps, seed, update)
        except sib.ScenarioError as exc:
            clear()
            show_problems(exc)
            return
        clear()
        st.session_state["comparison"] = (names, comparison, time.perf_counter() - start)
        st.session_state["compare_names"] = names
    names, comparison, took = st.session_state["comparison"]
    with slot.container():
        show(dict(zip(names, comparison.results.values())), took)


def show(results: dict[str, sib.Results], took: float) -> None:
    """The comparison's results: key figures, charts, one simulation in full, downloads."""
    tr, lg = t(), lang()
    first = next(iter(results.values()))
    st.caption(tr("done_in", s=group(took, 1, lg), n=first.reps, seed=first.seed.entropy))

    question = st.session_state.get("question")
    if question is not None and question[1] == tuple(results):
        answer(question[0], results)
        st.divider()
    else:
        flag_risks(results)

    for name, r in results.items():
        st.info(f"**{md(name)}** — {sentence(r, lg)}")

    with st.expander(tr("differences")):  # closed: the key figures are what a reader comes for
        diff = differences({n: r.scenario for n, r in results.items()}, lg)
        if diff.empty:
            st.write(tr("no_differences"))
        else:
            st.dataframe(diff.rename(columns={"path": tr("parameter"), "field": tr("field")}), hide_index=True, width="stretch")

    st.subheader(tr("key_figures"), help=tr("key_figures_help"))
    kpi_cards(results)

    st.plotly_chart(charts.fan(results, tr, lg), width="stretch", key="fan")
    st.caption(tr("fan_help"))

    basis = st.radio(tr("basis"), ["cash", "accrual"], format_func=lambda b: tr(b), horizontal=True, key="basis")
    st.plotly_chart(charts.budget_years(results, tr, lg, basis), width="stretch", key="years")
    st.caption(tr("budget_years_help"))

    spread_section(results)

    st.subheader(tr("distributions"))
    c1, c2 = st.columns(2)
    c1.plotly_chart(charts.distribution(results, "commissioner_whole_cost", tr("total_cost"), tr, lg), width="stretch", key="dist_cost")
    c2.plotly_chart(charts.distribution(results, "provider_min_liquidity", tr("min_liquidity"), tr, lg), width="stretch", key="dist_liq")

    # One scenario's flow at a time: three diagrams drawn at once cost the browser a second.
    flow = st.radio(tr("flow_of"), list(results), horizontal=True, key="sankey_of")
    st.plotly_chart(charts.sankey(results[flow], tr, lg), width="stretch", key="sankey")

    drill_down(results)
    asked = st.session_state.get("question")
    downloads(results, t()(f"q_{asked[0]}") if asked is not None and asked[1] == tuple(results) else None)


def answer(key: str, results: dict[str, sib.Results]) -> None:
    """The asked question's answer, on top of the comparison: its table and its chart."""
    tr, lg = t(), lang()
    st.header(f"{tr('question')}: {tr(f'q_{key}')}")
    flag_risks(results)
    if key == "budget":
        basis = st.radio(tr("basis"), ["cash", "accrual"], format_func=lambda b: tr(b), horizontal=True, key="answer_basis")
        st.subheader(tr("answer_budget"))
        st.table(questions.budget_table(results, lg, basis))
        st.plotly_chart(charts.budget_years(results, tr, lg, basis), width="stretch", key="answer_years")
    else:
        st.subheader(tr(f"answer_{key}"))
        table = questions.cash_table if key == "cash" else questions.guarantee_table
        st.table(table(results, lg))
        st.plotly_chart(charts.fan(results, tr, lg), width="stretch", key="answer_fan")
        st.caption(tr("fan_help"))
    st.caption(tr("answer_range_help"))


def flag_risks(results: dict[str, sib.Results]) -> None:
    """A warning beside the municipality's cost wherever the provider fails often enough that
    the cost is that of carrying the service on, not the contract's."""
    tr, lg = t(), lang()
    for name, risk in questions.flagged(results).items():
        st.warning(tr(f"flag_risk_{questions.what_failure_means(results[name].scenario)}", name=md(name), risk=percent(risk, 0, lang=lg)))


def spread_section(results: dict[str, sib.Results]) -> None:
    """Per key figure and scenario, the share of its spread the uncertain parameters explain."""
    tr, lg = t(), lang()
    table = spread_shares(results, lg)
    if table.empty:
        return
    st.subheader(tr("spread"))
    st.caption(tr("spread_help"))
    st.dataframe(table, width="stretch")


def spread_shares(results: dict[str, sib.Results], lg: str) -> pd.DataFrame:
    """Rows: the key figures; columns: the scenarios with uncertain parameters ('–' where a
    figure does not vary)."""
    columns = {}
    for name, r in results.items():
        if not parameter_columns(r):
            continue
        found = {say(sv, en, lg): split(r, metric) for metric, sv, en in FIGURES}
        columns[name] = {label: percent(s.from_parameters, 0, lang=lg) if s else "–" for label, s in found.items()}
    return pd.DataFrame(columns)


def differences(scenarios: dict[str, sib.Scenario], lg: str = "sv") -> pd.DataFrame:
    """Every parameter whose value differs between the scenarios, one column per scenario: by
    its label where it is a lever (and its field, for whoever checks the file), in kronor,
    per cent, yes/no; a default counts as a value (a 0 is shown as 0, not as missing)."""
    flat = {name: dict(_flatten(sc.model_dump(mode="json", by_alias=True))) for name, sc in scenarios.items()}
    found = {lv.path: lv for sc in scenarios.values() for lv in levers(sc)}
    paths: list[str] = []
    for values in flat.values():
        paths += [p for p in values if p not in paths]
    rows = []
    for path in paths:
        if path.split(".", 1)[0] in IGNORED:
            continue
        cells = [flat[n].get(path, "–") for n in scenarios]
        if len({repr(c) for c in cells}) > 1:
            lever = found.get(path)
            label = lever.label(lg) if lever else pick(FIELDS[path], lg) if path in FIELDS else path.rsplit(".", 1)[-1].replace("_", " ")
            rows.append([label, path, *[_cell(c, lever, lg) for c in cells]])
    return pd.DataFrame(rows, columns=["path", "field", *scenarios])


def _flatten(value: Any, path: str = ""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flatten(v, f"{path}.{k}" if path else str(k))
    else:
        yield path, value


def _cell(value: Any, lever: Lever | None, lg: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return say("ja", "yes", lg) if value else say("nej", "no", lg)
    if isinstance(value, str) and value in CHOICES:
        return label(CHOICES, value, lg)
    if isinstance(value, (int, float)):
        if lever is not None and lever.kind == "share":
            return percent(value, 1, lang=lg)
        if (lever is not None and lever.unit == "kr") or abs(value) >= 1000:  # amounts: the files' are kronor
            return kr(value, lang=lg)
        return group(value, 0 if float(value).is_integer() else 3, lang=lg)
    return value if isinstance(value, str) else repr(value)


def drill_down(results: dict[str, sib.Results]) -> None:
    tr, lg = t(), lang()
    with st.expander(tr("drill")):
        c1, c2 = st.columns(2)
        name = c1.selectbox(tr("scenario"), list(results), key="drill_scenario")
        case = c2.radio(tr("which_case"), ["p05", "p50", "p95"], format_func=lambda c: tr(f"case_{c}"), horizontal=True, key="drill_case")
        if not st.toggle(tr("drill_show"), key="drill_show"):  # simulated again when asked for, not on every run
            return
        r = results[name]
        i = r.at_percentile("provider_min_liquidity", int(case[1:]))
        rep = r.replication(i)
        st.caption(f"{tr('replication')} {i + 1}")
        stopped = rep.metrics.get("service_stopped_date")
        if stopped is not None:
            st.error(tr("stopped_on", date=stopped.isoformat()))
        st.plotly_chart(
            charts.cash_path(rep.positions(), tr, lg, f"{tr('cash_path')}: {name}", stopped=stopped), width="stretch", key="drill_cash"
        )
        a, b = st.tabs([tr("events"), tr("ledger")])
        a.dataframe(drill.events_table(rep, lg), hide_index=True, width="stretch")
        b.dataframe(drill.ledger_table(rep, lg), hide_index=True, width="stretch")


if __name__ == "__main__":  # run by st.navigation as a page script
    page()
