"""One simulation opened in full reads in the reader's language: every payment and event by
its name, the amounts in kronor adding up to the ledger's, the day the service stopped marked."""

from __future__ import annotations

import pytest
from helpers_paths import REPO

import sib
from sib import labels
from sib.dashboard import charts
from sib.dashboard.text import text
from sib.engine.ledger import CATEGORIES, PARTIES
from sib.study import readable as drill

ROOT = REPO


@pytest.fixture(scope="module")
def stopped() -> sib.Replication:
    """A replication of the employment programme at 75 % on outcomes in which the provider stops."""
    sc = sib.load_scenario(ROOT / "scenarios" / "arbetsintegrering_75.yaml")
    for seed in range(20):
        rep = sib.simulate(sc, seed=seed)
        if rep.metrics["service_stopped_date"] is not None:
            return rep
    raise AssertionError("no stop in 20 seeds at 75 % on outcomes")


def test_every_code_a_ledger_can_hold_has_a_name_in_both_languages():
    assert set(labels.CATEGORIES) == set(CATEGORIES) and set(labels.PARTIES) == set(PARTIES)
    for table in (labels.CATEGORIES, labels.PARTIES, labels.EVENTS):
        assert all(sv and en and sv != en or sv == en.lower() for sv, en in table.values())


@pytest.mark.parametrize(
    "lang, amount, takeover", [("sv", "Belopp", "tas över av kommunen"), ("en", "Amount", "taken over by the municipality")]
)
def test_a_stopped_simulation_names_its_payments_and_events(stopped, lang, amount, takeover):
    ledger, events = drill.ledger_table(stopped, lang), drill.events_table(stopped, lang)
    i = 0 if lang == "sv" else 1
    names = {pair[i] for table in (labels.CATEGORIES, labels.PARTIES) for pair in table.values()}
    assert set(ledger.iloc[:, 1:4].to_numpy().ravel()) <= names  # every party and payment by its name
    digits = ledger[amount].str.replace(r"[^\d−-]", "", regex=True).str.replace("−", "-").astype(int)
    assert digits.sum() == stopped.ledger["amount_ore"].sum()  # to the öre
    assert takeover in set(events.iloc[:, 2])
    stop = stopped.metrics["service_stopped_date"].isoformat()
    assert stop in set(events[events.iloc[:, 2] == takeover].iloc[:, 0])


def test_the_cash_path_marks_the_day_the_service_stopped(stopped):
    t = text("sv")
    fig = charts.cash_path(stopped.positions(), t, "sv", "x", stopped=stopped.metrics["service_stopped_date"])
    assert [a.text for a in fig.layout.annotations] == ["tjänsten upphör"]
    assert fig.layout.shapes[-1].x0 == stopped.metrics["service_stopped_date"].isoformat()
