"""Outcome share (or another lever) against the provider's insolvency risk, the municipality's
cost and the cost per outcome, with and without the guarantee, the break-even marked."""

from __future__ import annotations

import numpy as np
import streamlit as st

import sib
from sib.dashboard import charts, runs
from sib.dashboard.common import default_reps, lang, library, show_problems, t
from sib.fmt import group, kr, number, parse_number, percent
from sib.i18n import say
from sib.scenario.edit import without_guarantee
from sib.scenario.levers import Lever, levers, sweep_range
from sib.study.compare import Sweep, crossing
from sib.study.headline import continuation_note, leaves_out_continuation


def page() -> None:
    tr, lg = t(), lang()
    lib = library()
    st.title(tr("page_sweep"))
    names = list(lib.scenarios)
    default = lib.default_names(1)
    # The scenario and the setting are picked outside the form: the range offered is the setting's own.
    name = st.selectbox(tr("scenario"), names, index=names.index(default[0]) if default else 0, key="sweep_scenario")
    scenario = lib.scenarios[name]
    choices = {lv.path: lv for lv in levers(scenario) if lv.kind in ("share", "number", "whole")}
    paths = list(choices)
    start = paths.index("contract.outcome_share") if "contract.outcome_share" in paths else 0
    path = st.selectbox(tr("sweep_param"), paths, index=start, format_func=lambda p: choices[p].label(lg), key="sweep_param")
    lever = choices[path]
    with st.form("sweep_form", enter_to_submit=False):
        lo, hi, step = sweep_range(lever)
        scale = 100.0 if lever.kind == "share" else 1.0  # a share is entered in per cent
        unit = f" ({_unit(lever, lg)})" if _unit(lever, lg) else ""
        c1, c2, c3, c4 = st.columns(4)
        # Text, so that a number reads and is typed the reader's way (0,25 or 2 500 000); keys
        # name the setting: another setting starts from its own range, not the last one's.
        typed = {
            k: c.text_input(tr(f"sweep_{k}") + unit, value=number(v * scale, lg), key=f"sweep_{k}:{path}")
            for c, k, v in zip((c1, c2, c3), ("from", "to", "step"), (lo, hi, step))
        }
        reps = int(c4.number_input(tr("reps"), min_value=50, max_value=5000, value=default_reps(300), step=50, key="sweep_reps"))
        both = st.checkbox(
            tr("with_without"),
            value=scenario.financing.guarantee is not None,
            disabled=scenario.financing.guarantee is None,
            key="sweep_both",
        )
        risk = st.slider(tr("risk_threshold"), 1, 30, 5, format="%d %%", key="sweep_risk") / 100
        submitted = st.form_submit_button(tr("run"), type="primary")
    if not submitted and "sweep" not in st.session_state:
        st.info(tr("press_run"))
        return
    if submitted:
        bounds, problems = {}, []
        for k, text in typed.items():
            try:
                bounds[k] = parse_number(text, lg) / scale
            except ValueError:
                problems.append(tr("not_a_number", label=tr(f"sweep_{k}"), path=path, text=text))
        if not problems and not bounds["step"] > 0:
            problems.append(tr("step_positive", text=typed["step"]))
        if problems:
            show_problems(sib.ScenarioError(problems))
            return
        lo, hi, step = bounds["from"], bounds["to"], bounds["step"]
        values = [round(float(v), 10) for v in np.arange(lo, hi + step / 2, step)] if hi >= lo else []
        if len(values) > MAX_VALUES:
            st.error(tr("too_many_values", n=len(values), most=MAX_VALUES))
            return
        variants = {tr("with_guarantee") if both else name: scenario}
        if both and scenario.financing.guarantee is not None:
            try:
                variants[tr("without_guarantee")] = without_guarantee(scenario, name=f"{name} ({tr('without_guarantee')})")
            except sib.ScenarioError as exc:
                show_problems(exc)
                return
        update, clear = runs.progress_bar(tr("running"))
        try:
            found = runs.sweep(variants, path, values, reps, 0, update)
        except sib.ScenarioError as exc:
            clear()
            show_problems(exc)
            return
        clear()
        st.session_state["sweep"] = (lever, found, risk)
    lever, found, risk = st.session_state["sweep"]
    show(lever, found, risk)


#: The most values one sweep tries: each is a whole study.
MAX_VALUES = 40


def _unit(lever: Lever, lg: str) -> str:
    if lever.kind == "share":
        return "%"
    if lever.unit == "kr":
        return say("kr", "SEK", lg)
    return t()(f"unit_{lever.unit}") if lever.unit in ("days", "months", "weeks") else ""


def show(lever: Lever, found: dict[str, Sweep], risk: float) -> None:
    tr, lg = t(), lang()
    label = lever.label(lg)
    x = next(iter(found.values())).values

    def lines(metric: str, statistic: str):
        out = {}
        for name, sw in found.items():
            es = [r.kpi(metric, statistic) for r in sw.results]
            out[name] = ([e.value for e in es], [e.low for e in es], [e.high for e in es])
        return out

    if len(found) > 1:
        st.caption(tr("without_help"))
    first = next(iter(found.values())).results[0].scenario
    if leaves_out_continuation(first):
        st.caption(continuation_note(lg))
    insolvency = lines("provider_insolvent", "probability")
    marks = {}
    for name, (value, _, _) in insolvency.items():
        st.markdown(break_even_text(x, value, risk, lever, name, lg))
        edge = crossing(x, value, risk)
        if edge is not None:
            marks[name] = edge[0]
    x_title = f"{label} ({_unit(lever, lg)})" if _unit(lever, lg) else label
    st.plotly_chart(
        charts.sweep_chart(
            x,
            insolvency,
            tr("insolvency_prob"),
            "",
            lg,
            share=True,
            threshold=risk,
            x_title=x_title,
            marks=marks,
            x_share=lever.kind == "share",
        ),
        width="stretch",
        key="sweep_risk_chart",
    )
    c1, c2 = st.columns(2)
    c1.plotly_chart(
        charts.sweep_chart(
            x,
            lines("commissioner_whole_cost", "mean"),
            tr("municipal_cost"),
            charts.money_unit(lg),
            lg,
            x_title=x_title,
            x_share=lever.kind == "share",
        ),
        width="stretch",
        key="sweep_cost",
    )
    c1.caption(tr("municipal_cost_help"))
    c2.plotly_chart(
        charts.sweep_chart(
            x,
            lines("cost_per_outcome", "mean"),
            tr("cost_per_outcome"),
            charts.money_unit(lg),
            lg,
            x_title=x_title,
            x_share=lever.kind == "share",
        ),
        width="stretch",
        key="sweep_cpo",
    )


def break_even_text(x: list[float], risk_values: list[float], threshold: float, lever: Lever, name: str, lg: str) -> str:
    """The break-even in words, in the setting's own unit."""
    tr = t()
    shown = percent(threshold, 0, lg)
    if all(p < threshold for p in risk_values):
        return tr("all_below", risk=shown, label=name)
    edge = crossing(x, risk_values, threshold)
    if edge is None:
        return tr("no_break_even", risk=shown, label=name)
    value, direction = edge
    return tr(f"break_even_{direction}", param=lever.label(lg).lower(), risk=shown, value=_value(value, lever, lg), label=name)


def _value(value: float, lever: Lever, lg: str) -> str:
    if lever.kind == "share":
        return percent(value, 0 if round(value * 100) == value * 100 else 1, lg)
    if lever.unit == "kr":
        return kr(value, lang=lg)
    unit = _unit(lever, lg)
    return f"{group(value, 0 if float(value).is_integer() else 2, lg)}{' ' + unit if unit else ''}"


if __name__ == "__main__":  # run by st.navigation as a page script
    page()
