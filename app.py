"""The sib dashboard (for now one page): pick a scenario and a seed, see one replication.

A thin view: it loads and simulates through ``sib`` and only formats what comes back.
Run it with ``make run`` (``streamlit run app.py``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import streamlit as st

import sib
from sib import fmt

#: The folder of scenario files the page offers; SIB_SCENARIO_DIR points it elsewhere (tests).
SCENARIO_DIR = Path(
    os.environ.get("SIB_SCENARIO_DIR") or Path(__file__).resolve().parent / "scenarios"
)
DEFAULT_SCENARIO = "bostad_forst.yaml"
LANGUAGES = {"Svenska": "sv", "English": "en"}

TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Utfallskontrakt – en simulering",
        "intro": "En replikering av scenariot med valt slumpfrö. Fler vyer (fördelningar över "
        "många replikeringar, jämförelser) kommer i instrumentpanelen.",
        "scenario": "Scenario",
        "seed": "Slumpfrö",
        "no_files": "Inga scenariofiler i {folder}.",
        "running": "Prissätter och simulerar …",
        "commissioner": "Kommunen (beställaren)",
        "paid_total": "Betalt totalt",
        "paid_fixed": "varav fast ersättning",
        "paid_outcome": "varav utfallsersättning",
        "cost_per_outcome": "Kostnad per verifierat utfall",
        "participants": "Deltagare",
        "enrolled": "Inskrivna deltagare",
        "referrals": "Remitterade",
        "provider": "Utföraren",
        "min_cash": "Lägsta kassa",
        "min_liquidity": "Lägsta likviditet (kassa + outnyttjad kredit)",
        "stopped": "Tjänsten upphörde",
        "liq_low": "Lägsta likviditet i månaden",
        "min_cash_date": "Datum för lägsta kassa",
        "insolvent": "Obestånd",
        "insolvency_date": "Datum för obestånd",
        "yes": "Ja",
        "no": "Nej",
        "pricing": "Prissättning (före simuleringen)",
        "share_expected": "Utfallsandel vid förväntat utfall",
        "share_full": "Utfallsandel vid full måluppfyllelse",
        "max_value": "Högsta möjliga kontraktsvärde",
        "no_bound": "ingen övre gräns",
        "chart": "Utförarens kassa per månad",
        "cash_end": "Kassa vid månadens slut",
        "cash_low": "Månadens lägsta kassa",
        "month": "Månad",
    },
    "en": {
        "title": "Outcome-based contract – one simulation",
        "intro": "One replication of the scenario with the chosen seed. More views (distributions "
        "over many replications, comparisons) will come with the dashboard.",
        "scenario": "Scenario",
        "seed": "Random seed",
        "no_files": "No scenario files in {folder}.",
        "running": "Pricing and simulating …",
        "commissioner": "Municipality (commissioner)",
        "paid_total": "Paid in total",
        "paid_fixed": "of which fixed payments",
        "paid_outcome": "of which outcome payments",
        "cost_per_outcome": "Cost per verified outcome",
        "participants": "Participants",
        "enrolled": "Participants enrolled",
        "referrals": "Referred",
        "provider": "Provider",
        "min_cash": "Lowest cash",
        "min_liquidity": "Lowest liquidity (cash + undrawn credit)",
        "stopped": "Service stopped",
        "liq_low": "Month's lowest liquidity",
        "min_cash_date": "Date of lowest cash",
        "insolvent": "Insolvent",
        "insolvency_date": "Date of insolvency",
        "yes": "Yes",
        "no": "No",
        "pricing": "Pricing (before the simulation)",
        "share_expected": "Outcome share at expected performance",
        "share_full": "Outcome share at full achievement",
        "max_value": "Maximum contract value",
        "no_bound": "no upper bound",
        "chart": "The provider's cash per month",
        "cash_end": "Cash at month end",
        "cash_low": "Lowest cash in the month",
        "month": "Month",
    },
}


def scenario_files() -> list[str]:
    return sorted(p.name for p in SCENARIO_DIR.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def folder_digest() -> str:
    """A hash of every scenario file, so an edit (also to a file another extends) re-runs."""
    h = hashlib.sha256()
    for name in scenario_files():
        h.update(name.encode() + b"\0" + (SCENARIO_DIR / name).read_bytes() + b"\0")
    return h.hexdigest()


@st.cache_data(show_spinner=False, max_entries=64)
def run(path: str, contents: str, seed: int) -> dict[str, Any]:
    """One replication, as plain data the cache can keep (``contents`` only keys the cache)."""
    rep = sib.simulate(sib.load_scenario(path), seed)
    priced = rep.priced
    return {
        "name": rep.scenario.name,
        "currency": rep.scenario.currency,
        "metrics": dict(rep.metrics),
        "share_expected": priced.outcome_share_expected,
        "share_full": priced.outcome_share_full,
        "max_value": priced.max_contract_value,
        "monthly": rep.monthly[[c for c in ("month", "provider_cash_end", "provider_cash_low", "provider_liquidity_low") if c in rep.monthly]].copy(),
    }


def cash_chart(monthly, t: dict[str, str], lang: str) -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(
        x=monthly["month"], y=monthly["provider_cash_end"], mode="lines", name=t["cash_end"]
    )
    fig.add_scatter(
        x=monthly["month"],
        y=monthly["provider_cash_low"],
        mode="lines",
        name=t["cash_low"],
        line={"dash": "dot"},
    )
    if "provider_liquidity_low" in monthly:
        fig.add_scatter(
            x=monthly["month"], y=monthly["provider_liquidity_low"], mode="lines", name=t["liq_low"], line={"dash": "dash"}
        )
    fig.add_hline(y=0, line_width=1, line_color="grey")
    fig.update_layout(
        title=t["chart"],
        xaxis_title=t["month"],
        yaxis_title="kr" if lang == "sv" else "SEK",
        yaxis_tickformat=",.0f",  # whole kronor with thousands separators, not "8M"
        separators=", " if lang == "sv" else ".,",  # decimal mark, then thousands separator
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 50},
    )
    return fig


def show_problems(error: sib.ScenarioError) -> None:
    lines = "\n".join(f"- {p}" for p in error.problems) or str(error)
    head = f"**{Path(error.source).name}**\n\n" if error.source else ""
    st.error(head + lines)


def main() -> None:
    st.set_page_config(page_title="sib", layout="wide")
    choice = st.sidebar.radio("Språk / Language", list(LANGUAGES), key="lang", horizontal=True)
    lang = LANGUAGES[choice]
    t = TEXT[lang]
    st.title(t["title"])
    st.caption(t["intro"])

    files = scenario_files()
    if not files:
        st.error(t["no_files"].format(folder=SCENARIO_DIR))
        return
    index = files.index(DEFAULT_SCENARIO) if DEFAULT_SCENARIO in files else 0
    name = st.sidebar.selectbox(t["scenario"], files, index=index, key="scenario")
    seed = int(st.sidebar.number_input(t["seed"], min_value=0, value=1, step=1, key="seed"))

    try:
        with st.spinner(t["running"]):
            result = run(str(SCENARIO_DIR / name), folder_digest(), seed)
    except sib.ScenarioError as error:
        show_problems(error)
        return

    m = result["metrics"]
    st.subheader(result["name"])

    def money(x: float | None) -> str:
        return fmt.kr(x, lang=lang, currency=result["currency"])

    st.markdown(f"#### {t['commissioner']}")
    cols = st.columns(4)
    cols[0].metric(t["paid_total"], money(m["commissioner_paid"]))
    cols[1].metric(t["paid_fixed"], money(m["commissioner_paid_fixed"]))
    cols[2].metric(t["paid_outcome"], money(m["commissioner_paid_outcome"]))
    cols[3].metric(t["cost_per_outcome"], money(m["cost_per_outcome"]))

    st.markdown(f"#### {t['participants']}")
    cols = st.columns(4)
    cols[0].metric(t["referrals"], fmt.group(m["referrals"], lang=lang))
    cols[1].metric(t["enrolled"], fmt.group(m["enrolled"], lang=lang))

    st.markdown(f"#### {t['provider']}")
    cols = st.columns(4)
    cols[0].metric(t["min_cash"], money(m["provider_min_cash"]))
    cols[1].metric(t["min_cash_date"], fmt.date(m["provider_min_cash_date"]))
    cols[2].metric(t["insolvent"], t["yes"] if m["provider_insolvent"] else t["no"])
    cols[3].metric(t["insolvency_date"], fmt.date(m["provider_insolvency_date"]))
    cols = st.columns(4)
    cols[0].metric(t["min_liquidity"], money(m["provider_min_liquidity"]))
    cols[1].metric(t["stopped"], fmt.date(m["service_stopped_date"]) if m["service_stopped"] else t["no"])

    st.markdown(f"#### {t['pricing']}")
    cols = st.columns(4)
    cols[0].metric(t["share_expected"], fmt.percent(result["share_expected"], lang=lang))
    cols[1].metric(t["share_full"], fmt.percent(result["share_full"], lang=lang))
    max_value = result["max_value"]
    cols[2].metric(t["max_value"], money(max_value) if max_value is not None else t["no_bound"])

    st.plotly_chart(cash_chart(result["monthly"], t, lang))


main()
