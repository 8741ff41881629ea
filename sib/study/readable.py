"""One simulation in full, in the reader's language: what happened to each participant and
every payment, by their names (``sib.labels``). The dashboard's drill-down and the workbook's
ledger sheet both show these."""

from __future__ import annotations

import pandas as pd

from sib import labels
from sib.fmt import group, kr, percent
from sib.i18n import pick, say
from sib.replication import Replication
from sib.study.results import Results

_COLUMNS = {
    "date": ("Datum", "Date"),
    "participant": ("Deltagare", "Participant"),
    "event": ("Händelse", "Event"),
    "state": ("Läge", "State"),
    "milestone": ("Milstolpe", "Milestone"),
    "payer": ("Från", "From"),
    "payee": ("Till", "To"),
    "category": ("Vad", "What"),
    "amount": ("Belopp", "Amount"),
    "accrued": ("Hör till", "Accrues to"),
    "kr": ("Belopp (kr)", "Amount (SEK)"),
}


def _names(columns: list[str], lang: str) -> dict[str, str]:
    return {c: pick(_COLUMNS[c], lang) for c in columns}


def events_table(rep: Replication, lang: str) -> pd.DataFrame:
    """Each participant's events by date: the event, the state by its label, the milestone by its label."""
    sc = rep.scenario
    events = rep.events
    state = {name: s.label or name for name, s in sc.pathway.states.items()}
    milestone = {name: m.label or name for name, m in sc.milestones.items()}
    out = pd.DataFrame(
        {
            "date": events["date"].astype(str),
            "participant": events["participant"] + 1,  # people count from 1
            "event": [labels.label(labels.EVENTS, e, lang) for e in events["event"]],
            "state": [state.get(s, "") if isinstance(s, str) else "" for s in events["state"]],
            "milestone": [milestone.get(m, "") if isinstance(m, str) else "" for m in events["milestone"]],
        }
    )
    return out.rename(columns=_names(list(out.columns), lang))


def ledger_table(rep: Replication, lang: str, shown: bool = True) -> pd.DataFrame:
    """Every payment: the date, who paid whom, what for, the amount in kronor (``shown``: as
    text the Swedish way; else a number, for a spreadsheet), the date it accrues to."""
    led = rep.ledger
    cur = rep.scenario.currency
    amounts = led["amount_ore"].to_numpy() / 100
    out = pd.DataFrame(
        {
            "date": led["date"].astype(str),
            "payer": [labels.label(labels.PARTIES, p, lang) for p in led["payer"].astype(str)],
            "payee": [labels.label(labels.PARTIES, p, lang) for p in led["payee"].astype(str)],
            "category": [labels.label(labels.CATEGORIES, c, lang) for c in led["category"].astype(str)],
            "amount": [kr(a, 2, lang=lang, currency=cur) for a in amounts.tolist()] if shown else amounts,
            "participant": led["participant"].map(lambda p: "" if pd.isna(p) else str(int(p) + 1)),
            "accrued": led["accrued"].astype(str),
        }
    )
    return out.rename(columns=_names(list(out.columns), lang))


def years(r: Results, basis: str = "cash") -> list[int]:
    """The budget years the municipality's whole cost falls in, from the results' columns."""
    prefix = "commissioner_whole_cost_" + ("" if basis == "cash" else "accrued_")
    return sorted(int(c[-4:]) for c in r.summary.columns if c.startswith(prefix) and c[-4:].isdigit() and c[len(prefix) :].isdigit())


def guarantee_name(r: Results, lang: str) -> str:
    """'Mikrofonden, högst 400 000 kr', 'kommunal borgen, högst 1 500 000 kr' or 'ingen'."""
    g = r.scenario.financing.guarantee
    if g is None:
        return say("ingen", "none", lang)
    who = "Mikrofonden" if g.guarantor == "mikrofonden" else say("kommunal borgen", "municipal guarantee", lang)
    if g.max_amount is None:
        return f"{who}, {percent(g.share, 0, lang)}"
    most = kr(g.max_amount, lang=lang, currency=r.scenario.currency)
    return say("{who}, högst {most}", "{who}, at most {most}", lang, who=who, most=most)


#: A provider that fails this often is flagged wherever the municipality's cost is shown: its
#: cost then includes carrying the service on, not the contract alone.
RISK_TO_FLAG = 0.05


def risk_text(r: Results, lang: str) -> str:
    """'1,7 % (1,1–2,7 %)': the share of runs in which the provider cannot pay and the 95 %
    confidence interval of that estimate."""
    e = r.kpi("provider_insolvent", "probability")
    return f"{percent(e.value, 1, lang)} ({group(100 * e.low, 1, lang)}–{percent(e.high, 1, lang)})"


def what_failure_means(scenario) -> str:
    """What the municipality's cost includes where the provider fails: the service carried on
    by the municipality, nothing for it (the scenario leaves it out), or the run goes on."""
    from sib.study.headline import leaves_out_continuation

    if scenario.insolvency.rule == "continue":
        return "continues"
    return "left_out" if leaves_out_continuation(scenario) else "carried_on"


def flagged(results: dict[str, Results]) -> dict[str, float]:
    """The scenarios whose provider fails in at least ``RISK_TO_FLAG`` of the runs, with that share."""
    out = {}
    for name, r in results.items():
        risk = float(r.values("provider_insolvent").astype(bool).mean())
        if risk >= RISK_TO_FLAG:
            out[name] = risk
    return out
