"""Outcome share (or another lever) against the provider's insolvency risk, the municipality's
cost and the cost per outcome, with and without the guarantee, the break-even marked."""

from __future__ import annotations

import numpy as np
import streamlit as st

import sib
from sib.dashboard import charts, runs
from sib.dashboard.common import default_reps, lang, library, show_problems, t
from sib.dashboard.levers import levers
from sib.fmt import percent
from sib.scenario.edit import without_guarantee
from sib.study.compare import Sweep
from sib.study.headline import continuation_note, leaves_out_continuation


def page() -> None:
    tr, lg = t(), lang()
    lib = library()
    st.title(tr("page_sweep"))
    names = list(lib.scenarios)
    default = lib.default_names(1)
    with st.form("sweep_form"):
        name = st.selectbox(tr("scenario"), names, index=names.index(default[0]) if default else 0, key="sweep_scenario")
        scenario = lib.scenarios[name]
        choices = [lv for lv in levers(scenario) if lv.kind in ("share", "number", "whole")]
        paths = [lv.path for lv in choices]
        labels = {lv.path: lv.label(lg) for lv in choices}
        start = paths.index("contract.outcome_share") if "contract.outcome_share" in paths else 0
        path = st.selectbox(tr("sweep_param"), paths, index=start, format_func=lambda p: labels.get(p, p), key="sweep_param")
        share = path == "contract.outcome_share"
        c1, c2, c3, c4 = st.columns(4)
        lo = c1.number_input(tr("sweep_from"), value=0.2 if share else 0.0, key="sweep_from")
        hi = c2.number_input(tr("sweep_to"), value=0.75 if share else 1.0, key="sweep_to")
        step = c3.number_input(tr("sweep_step"), value=0.05 if share else 0.1, min_value=1e-6, key="sweep_step")
        reps = int(c4.number_input(tr("reps"), min_value=50, max_value=5000, value=default_reps(300), step=50, key="sweep_reps"))
        both = st.checkbox(tr("with_without"), value=scenario.financing.guarantee is not None,
                           disabled=scenario.financing.guarantee is None, key="sweep_both")
        risk = st.slider(tr("risk_threshold"), 1, 30, 5, format="%d %%", key="sweep_risk") / 100
        submitted = st.form_submit_button(tr("run"), type="primary")
    if not submitted and "sweep" not in st.session_state:
        st.info(tr("press_run"))
        return
    if submitted:
        values = [round(float(v), 10) for v in np.arange(lo, hi + step / 2, step)] if hi >= lo else []
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
        st.session_state["sweep"] = (path, labels.get(path, path), found, risk)
    path, label, found, risk = st.session_state["sweep"]
    show(path, label, found, risk)


def show(path: str, label: str, found: dict[str, Sweep], risk: float) -> None:
    tr, lg = t(), lang()
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
        st.markdown(break_even_text(x, value, risk, label, name, lg))
        edge = break_even(x, value, risk)
        if edge is not None:
            marks[name] = edge
    st.plotly_chart(charts.sweep_chart(x, insolvency, tr("insolvency_prob"), "", lg, share=True, threshold=risk, x_title=label,
                                       marks=marks), width="stretch", key="sweep_risk_chart")
    c1, c2 = st.columns(2)
    c1.plotly_chart(charts.sweep_chart(x, lines("commissioner_whole_cost", "mean"), tr("municipal_cost"), charts.money_unit(lg), lg,
                                       x_title=label), width="stretch", key="sweep_cost")
    c1.caption(tr("municipal_cost_help"))
    c2.plotly_chart(charts.sweep_chart(x, lines("cost_per_outcome", "mean"), tr("cost_per_outcome"), charts.money_unit(lg), lg, x_title=label),
                    width="stretch", key="sweep_cpo")


def break_even(x: list[float], risk_values: list[float], threshold: float) -> float | None:
    """The largest value swept whose risk is below the threshold, if the curve crosses it."""
    below = [v for v, p in zip(x, risk_values) if p < threshold]
    return max(below) if below and len(below) < len(x) else None


def break_even_text(x: list[float], risk_values: list[float], threshold: float, label: str, name: str, lg: str) -> str:
    """The largest value swept whose risk is below the threshold (the curve rises with it)."""
    tr = t()
    below = [v for v, p in zip(x, risk_values) if p < threshold]
    shown = percent(threshold, 0, lg)
    if not below:
        return tr("no_break_even", risk=shown, label=name)
    if len(below) == len(x):
        return tr("all_below", risk=shown, label=name)
    best = max(below)
    value = percent(best, 0, lg) if max(x) <= 1 else f"{best:g}"
    return tr("break_even", param=label.lower(), risk=shown, value=value, label=name)


if __name__ == "__main__":  # run by st.navigation as a page script
    page()
