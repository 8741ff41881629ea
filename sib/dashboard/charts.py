"""The dashboard's charts (plotly), in the page's language: numbers grouped the Swedish way
(space, decimal comma) or the English way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sib.fmt import separators
from sib.i18n import say
from sib.study import readable
from sib.study.results import Results

PALETTE = ("#1f5f8b", "#d1495b", "#edae49", "#00798c", "#6a4c93")


def _layout(fig: go.Figure, lang: str, title: str, y_title: str = "", x_title: str = "") -> go.Figure:
    fig.update_layout(
        title=title,
        separators=separators(lang),
        yaxis_tickformat=",.0f",
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 50, "l": 10, "r": 10},
        hovermode="x unified",
        hoverlabel={"namelength": -1},  # a scenario's whole name, not its first 15 characters
    )
    return fig


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def money_unit(lang: str) -> str:
    return say("kr", "SEK", lang)


def fan(results: dict[str, Results], t, lang: str) -> go.Figure:
    """Per scenario: the 5–95 % and 25–75 % bands and the median of the provider's lowest
    net cash in each month — cash less credit drawn, i.e. liquidity less the credit limit — and
    the credit limit as a dashed line below zero: where the two meet, the provider cannot pay."""
    fig = go.Figure()
    for k, (name, r) in enumerate(results.items()):
        color = PALETTE[k % len(PALETTE)]
        credit = r.scenario.financing.credit_line
        limit = r.scenario.financing.credit_limit
        series = "provider_liquidity_low" if "provider_liquidity_low" in r.series_names else "provider_cash_low"
        ts = r.bands(series)
        for column in ("p05", "p25", "p50", "p75", "p95"):
            ts[column] = ts[column] - (limit if series == "provider_liquidity_low" else 0.0)
        x = list(ts.month)
        for lo, hi, alpha in (("p05", "p95", 0.15), ("p25", "p75", 0.3)):
            fig.add_scatter(
                x=x + x[::-1],
                y=list(ts[hi]) + list(ts[lo])[::-1],
                fill="toself",
                fillcolor=_rgba(color, alpha),
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                legendgroup=name,
            )
        fig.add_scatter(x=x, y=ts.p50, name=f"{name} ({t('median')})", line={"color": color, "width": 2}, legendgroup=name)
        if credit is not None:
            fig.add_scatter(
                x=[x[0], x[-1]],
                y=[-limit] * 2,
                mode="lines",
                name=f"{name}: {t('credit_limit')}",
                line={"color": color, "dash": "dash", "width": 1},
                legendgroup=name,
            )
    fig.add_hline(y=0, line_width=1, line_color="grey")
    return _layout(fig, lang, t("fan"), money_unit(lang), t("month"))


def budget_years(results: dict[str, Results], t, lang: str, basis: str) -> go.Figure:
    """Per calendar year, one bar per scenario: the municipality's whole cost (its mean, with
    the range of the middle 90 % of the runs), and on it a mark at what it paid the provider — which can lie above the bar, where VAT
    compensation comes back, or far below it, where the municipality carries the service on
    after the provider stopped."""
    fig = go.Figure()
    whole_kind, paid_kind = ("", "paid") if basis == "cash" else ("accrued_", "accrued")
    for k, (name, r) in enumerate(results.items()):
        color = PALETTE[k % len(PALETTE)]
        s = r.summary
        years = readable.years(r, basis)
        runs = np.array([s[f"commissioner_whole_cost_{whole_kind}{y}"].to_numpy(float) for y in years]).reshape(len(years), -1)
        whole = runs.mean(axis=1)
        low, high = (np.percentile(runs, q, axis=1) if runs.size else whole for q in (5, 95))
        paid = [s[f"commissioner_{paid_kind}_{y}"].mean() if f"commissioner_{paid_kind}_{y}" in s else np.nan for y in years]
        fig.add_bar(
            x=years,
            y=whole,
            name=f"{name}: {t('whole_cost')}",
            marker_color=color,
            offsetgroup=str(k),
            legendgroup=name,
            error_y={"type": "data", "symmetric": False, "array": high - whole, "arrayminus": whole - low, "color": "#555", "thickness": 1},
            customdata=np.column_stack([low, high]),
            hovertemplate=f"%{{y:,.0f}} {money_unit(lang)} ({t('middle_90')}: %{{customdata[0]:,.0f}}–%{{customdata[1]:,.0f}})",
        )
        fig.add_scatter(
            x=years,
            y=paid,
            name=f"{name}: {t('paid_to_provider')}",
            mode="markers",
            offsetgroup=str(k),
            marker={"symbol": "line-ew-open", "size": 28, "color": "#222", "line": {"width": 3}},
            legendgroup=name,
        )
    fig.update_layout(barmode="group", scattermode="group", xaxis={"type": "category"})
    return _layout(fig, lang, t("budget_years"), money_unit(lang))


def distribution(results: dict[str, Results], metric: str, title: str, t, lang: str) -> go.Figure:
    fig = go.Figure()
    for k, (name, r) in enumerate(results.items()):
        values = r.values(metric).astype(float)
        fig.add_histogram(
            x=values[~np.isnan(values)], name=name, marker_color=PALETTE[k % len(PALETTE)], opacity=0.6, histnorm="probability"
        )
    fig.update_layout(barmode="overlay", hovermode="closest")
    fig = _layout(fig, lang, title, t("share_of_sims"), money_unit(lang))
    fig.update_layout(yaxis_tickformat=".0%", xaxis_tickformat=",.0f")
    return fig


def sankey(r: Results, t, lang: str) -> go.Figure:
    """The mean flow per simulation: referred → enrolled (or not) → the pathway's states."""
    s = r.summary
    sc = r.scenario
    states = list(sc.pathway.states)
    labels = [t("referred"), t("not_enrolled")] + [sc.pathway.states[n].label or n for n in states]
    index = {n: i + 2 for i, n in enumerate(states)}
    src, dst, val = [0, 0], [index[sc.pathway.start], 1], [s.enrolled.mean(), (s.referrals - s.enrolled).mean()]
    for column in s.columns:
        if column.startswith("step_"):
            a, b = column[5:].split("__")
            src.append(index[a])
            dst.append(index[b])
            val.append(float(s[column].mean()))
    fig = go.Figure(go.Sankey(node={"label": labels, "pad": 18}, link={"source": src, "target": dst, "value": val}, valueformat=",.1f"))
    return _layout(fig, lang, f"{t('flow')}: {sc.name}")


def cash_path(positions: pd.DataFrame, t, lang: str, title: str, stopped=None) -> go.Figure:
    """One simulation's cash and liquidity after each payment; ``stopped``: the day the service
    stopped, marked."""
    fig = go.Figure()
    fig.add_scatter(x=positions.date, y=positions.cash, name=t("cash_label"), line={"shape": "hv"})
    fig.add_scatter(x=positions.date, y=positions.liquidity, name=t("liquidity_label"), line={"shape": "hv", "dash": "dot"})
    fig.add_hline(y=0, line_width=1, line_color="grey")
    if stopped is not None:
        fig.add_vline(x=stopped.isoformat(), line_color=PALETTE[1], line_dash="dash")
        fig.add_annotation(
            x=stopped.isoformat(), y=1, yref="paper", text=t("stopped_mark"), showarrow=False, xanchor="left", font={"color": PALETTE[1]}
        )
    return _layout(fig, lang, title, money_unit(lang), t("date"))


def sweep_chart(
    x: list[float],
    lines: dict[str, tuple[list[float], list[float], list[float]]],
    title: str,
    y_title: str,
    lang: str,
    share: bool = False,
    threshold: float | None = None,
    x_title: str = "",
    marks: dict[str, float] | None = None,
    x_share: bool = False,
) -> go.Figure:
    """One line per variant with its 95 % interval as error bars; a dotted threshold; each
    variant's break-even as a dashed vertical line in its colour."""
    fig = go.Figure()
    for k, (name, (value, low, high)) in enumerate(lines.items()):
        v, lo, hi = (np.asarray(a, dtype=float) for a in (value, low, high))
        fig.add_scatter(
            x=x,
            y=v,
            name=name,
            mode="lines+markers",
            line={"color": PALETTE[k % len(PALETTE)]},
            error_y={"type": "data", "symmetric": False, "array": hi - v, "arrayminus": v - lo},
        )
    if threshold is not None:
        fig.add_hline(y=threshold, line_dash="dot", line_color="grey")
    names = list(lines)
    for name, at in (marks or {}).items():
        fig.add_vline(x=at, line_dash="dash", line_color=PALETTE[names.index(name) % len(PALETTE)], opacity=0.7)
    fig = _layout(fig, lang, title, y_title, x_title)
    if share:
        fig.update_layout(yaxis_tickformat=".0%")
    fig.update_layout(xaxis_tickformat=".0%" if x_share else ",.0f")
    return fig
