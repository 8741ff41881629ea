"""Workshop mode: large type for a projector and five steps, each one click that runs a real
simulation — the base case, a higher outcome share, a longer verification delay, Mikrofonden's
guarantee, and the municipality's own — each with its cash fan, what changed on the cards, and
a sentence of its result made from its own numbers; the page follows the step just run."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

import sib
from sib.dashboard import charts, runs
from sib.dashboard.common import default_reps, lang, library, show_problems, t
from sib.dashboard.story import amount, result_sentence, risk_points
from sib.fmt import kr, percent
from sib.i18n import pick
from sib.scenario.edit import with_values
from sib.study.headline import continuation_note, leaves_out_continuation

REPS = 500
BIG = """
<style>
section.main p, section.main li, .stMarkdown p {font-size: 1.5rem !important; line-height: 1.5;}
[data-testid="stMetricValue"] {font-size: 3rem !important;}
[data-testid="stMetricLabel"] p {font-size: 1.3rem !important;}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {white-space: normal !important; overflow: visible !important;
    text-overflow: clip !important; height: auto !important;}
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {font-size: 1.4rem !important;}
[data-testid="stMetricDelta"] svg {width: 1.4rem !important; height: 1.4rem !important;}
h1 {font-size: 3rem !important;}
h2 {font-size: 2.2rem !important;}
</style>
"""


@dataclass(frozen=True)
class Step:
    sv: str
    en: str
    why_sv: str
    why_en: str
    #: The changes to the base scenario, given the step before's results (None for the first).
    changes: Callable[[sib.Scenario, sib.Results | None], dict[str, Any]]


#: A guarantee of the size Mikrofonden gives (at most 400 000 kr, 90 %, 3 + 3 years, its fee
#: taken at Garantia's EU-backed 2.5 % a year): with it the bank lends 400 000 / 0.9 kr more.
MIKROFONDEN = {
    "guarantor": "mikrofonden",
    "covers": "credit_line",
    "share": 0.9,
    "max_amount": 400_000,
    "fee_rate": 0.025,
    "term_months": 36,
    "at_expiry": "renew",
}


def _guarantee(sc: sib.Scenario, before: sib.Results | None) -> dict[str, Any]:
    """Mikrofonden's guarantee on the provider's credit line (opened at the bank's usual rate if
    it had none): the line grows by what the guarantee secures."""
    out: dict[str, Any] = {"financing.guarantee": MIKROFONDEN}
    if sc.financing.credit_line is None:
        out["financing.credit_line"] = {"limit": 0, "interest_rate": 0.06}
    return out


#: Banks arrange credit in round amounts.
CREDIT_ROUNDING = 100_000


def _borgen(sc: sib.Scenario, before: sib.Results | None) -> dict[str, Any]:
    """The municipality's own guarantee (kommunal borgen) in full on the credit that carried the
    provider in 95 % of the cases of the step before, rounded up as a bank lends, at the market
    premium for a firm without a rating (3.8 % a year): a smaller fee would be state aid."""
    out = _guarantee(sc, before)
    fin = with_values(sc, out).financing
    extra = before.kpi("funding_need", "p95").value if before is not None else 0.0
    secured = math.ceil((fin.guaranteed_credit + extra) / CREDIT_ROUNDING) * CREDIT_ROUNDING
    out["financing.guarantee"] = {
        "guarantor": "municipality",
        "covers": "credit_line",
        "share": 1.0,
        "max_amount": max(CREDIT_ROUNDING, secured),
        "fee_rate": 0.038,
        "term_months": 72,
    }
    return out


STEPS = (
    Step(
        "Grundfallet: 20 % utfallsbaserat, ingen garanti",
        "The base case: 20% on outcomes, no guarantee",
        "Största delen betalas fast varje månad, så utförarens kassa följer kostnaderna.",
        "Most of the pay is fixed each month, so the provider's cash keeps up with its costs.",
        lambda sc, _: {"contract.outcome_share": 0.2, "financing.guarantee": None},
    ),
    Step(
        "Höj den utfallsbaserade andelen till 60 %",
        "Raise the outcome-based share to 60%",
        "Nu kommer 60 % av pengarna först när utfall har verifierats, månader efter att kostnaderna betalats. Vad händer "
        "med utförarens kassa?",
        "Now 60% of the money comes only once outcomes are verified, months after the costs were paid. What happens to the "
        "provider's cash?",
        lambda sc, _: {"contract.outcome_share": 0.6, "financing.guarantee": None},
    ),
    Step(
        "Lägg till sex månaders verifieringsfördröjning",
        "Add a six-month verification delay",
        "Samma ersättning, men verifieringen av ett utfall tar sex månader: pengarna kommer ännu senare efter kostnaderna.",
        "The same pay, but verifying an outcome takes six months: the money comes even later after the costs.",
        lambda sc, _: {"contract.outcome_share": 0.6, "financing.guarantee": None, "contract.verification_lag": {"months": 6}},
    ),
    Step(
        "Lägg till Mikrofondens garanti på krediten",
        "Add the Mikrofonden guarantee on the credit line",
        f"Garantin (högst {kr(MIKROFONDEN['max_amount'])}, {percent(MIKROFONDEN['share'], 0)}) bär det mesta av bankens "
        f"risk på det den täcker, så banken lånar ut {kr(MIKROFONDEN['max_amount'] / MIKROFONDEN['share'])} mer, mot en "
        "avgift. Räcker det genom glappet?",
        f"The guarantee (at most {kr(MIKROFONDEN['max_amount'], lang='en')}, {percent(MIKROFONDEN['share'], 0, 'en')}) carries "
        f"most of the bank's risk on what it covers, so the bank lends {kr(MIKROFONDEN['max_amount'] / MIKROFONDEN['share'], lang='en')} "
        "more, for a fee. Is that enough to bridge the gap?",
        lambda sc, before: {"contract.outcome_share": 0.6, "contract.verification_lag": {"months": 6}, **_guarantee(sc, before)},
    ),
    Step(
        "Kommunen går i borgen för den kredit som behövs",
        "The municipality guarantees the credit that is needed",
        "Kommunal borgen för hela den kredit som bar utföraren i 95 % av fallen i steg 4, mot en marknadsmässig avgift "
        "(3,8 % om året för en utförare utan kreditbetyg). Kommunallagen tillåter stöd till en enskild näringsidkare "
        "bara om det finns synnerliga skäl, och en lägre avgift vore statsstöd.",
        "A municipal guarantee on the whole credit that carried the provider in 95% of cases in step 4, at a market fee "
        "(3.8% a year for a provider without a credit rating). The Local Government Act allows support to an individual "
        "business only for exceptional reasons, and a lower fee would be state aid.",
        lambda sc, before: {"contract.outcome_share": 0.6, "contract.verification_lag": {"months": 6}, **_borgen(sc, before)},
    ),
)


def page() -> None:
    tr, lg = t(), lang()
    st.markdown(BIG, unsafe_allow_html=True)
    lib = library()
    st.title(tr("page_workshop"))
    st.write(tr("workshop_intro"))
    names = list(lib.scenarios)
    default = lib.default_names(1)
    name = st.selectbox(tr("scenario"), names, index=names.index(default[0]) if default else 0, key="workshop_scenario")
    step = st.session_state.setdefault("workshop_step", 0)
    c1, c2 = st.columns(2)
    # Callbacks change the step before the page is drawn again, so the button says what comes next.
    c1.button(tr("next_step") if step else tr("run"), type="primary", disabled=step >= len(STEPS), key="workshop_next", on_click=_advance)
    c2.button(tr("restart"), key="workshop_restart", on_click=_restart)
    base = lib.scenarios[name]
    previous = None
    for n in range(step):
        s = STEPS[n]
        try:
            scenario = with_values(base, s.changes(base, previous), name=f"{name}: {tr('step', n=n + 1)}")
        except sib.ScenarioError as exc:
            show_problems(exc)
            return
        results = runs.run(scenario, default_reps(REPS), 0)
        st.header(f"{tr('step', n=n + 1)}: {pick((s.sv, s.en), lg)}", anchor=f"step-{n + 1}")
        st.write(pick((s.why_sv, s.why_en), lg))
        st.caption(
            tr(
                "workshop_credit",
                limit=amount(scenario.financing.credit_limit, lg, scenario.currency),
                guarantee=tr("with_guarantee") if scenario.financing.guarantee else tr("without_guarantee"),
            )
        )
        show_step(results, previous, lg)
        st.markdown(f"**{tr('result')}:** {result_sentence(results, previous, lg)}")
        fan = charts.fan({tr("step", n=n + 1): results}, tr, lg)
        fan.update_layout(font={"size": 18}, height=460)
        st.plotly_chart(fan, width="stretch", key=f"workshop_fan_{n}")
        previous = results
    if step:
        follow(step)


def follow(step: int) -> None:
    """Scroll the page to the step just run, so the room sees it without anybody scrolling."""
    st.iframe(
        f"""<script>
        const target = window.parent.document.getElementById("step-{step}");
        if (target) target.scrollIntoView({{behavior: "smooth", block: "start"}});
    </script>""",
        height=1,
    )


def _advance() -> None:
    st.session_state["workshop_step"] = min(len(STEPS), st.session_state.get("workshop_step", 0) + 1)


def _restart() -> None:
    st.session_state["workshop_step"] = 0


def show_step(r: sib.Results, before: sib.Results | None, lg: str) -> None:
    """Four figures in two rows, large enough for a projector (labels whole, not cut off),
    each with its change from the step before: red where it got worse."""
    tr = t()
    cur = r.scenario.currency

    def money(v: float) -> str:
        return amount(v, lg, cur)

    def shown(res: sib.Results, metric: str, statistic: str) -> float:
        """The figure as the card shows it: a risk in whole per cent, so that its change is the
        change between the two numbers on the screen (and the sentence's)."""
        value = res.kpi(metric, statistic).value
        return risk_points(value) / 100 if statistic == "probability" else value

    # (label, metric, statistic, format, whether more is worse)
    rows = [
        [
            (tr("municipal_cost"), "commissioner_whole_cost", "mean", money, True),
            (tr("insolvency_prob"), "provider_insolvent", "probability", lambda v: percent(v, 0, lg), True),
        ],
        [
            (tr("min_liquidity_p05"), "provider_min_liquidity", "p05", money, False),
            (tr("extra_credit"), "funding_need", "p95", money, True),
        ],
    ]
    for row in rows:
        for col, (label, metric, statistic, fmt, worse) in zip(st.columns(len(row)), row):
            now = shown(r, metric, statistic)
            col.metric(label, fmt(now), **change(now, shown(before, metric, statistic) if before else None, fmt, worse, tr))
    if leaves_out_continuation(r.scenario):
        st.caption(continuation_note(lg))


def change(now: float, then: float | None, fmt: Callable[[float], str], worse: bool, tr) -> dict[str, Any]:
    """The delta of a metric card: none on the first step, 'unchanged' in grey where the figure
    shows the same, else signed (an ASCII sign: Streamlit reads it for the arrow), red where
    it got worse."""
    if then is None:
        return {}
    d = now - then
    if fmt(abs(d)) == fmt(0.0):
        return {"delta": tr("unchanged"), "delta_color": "off", "delta_arrow": "off"}
    shown = fmt(abs(d))
    if shown.endswith("%"):  # a change of a share is in percentage points, not per cent
        shown = shown.rstrip(" %") + " " + tr("points")
    return {"delta": ("+" if d > 0 else "-") + shown, "delta_color": "inverse" if worse else "normal"}


if __name__ == "__main__":  # run by st.navigation as a page script
    page()
