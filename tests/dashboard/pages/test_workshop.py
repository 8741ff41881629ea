"""The workshop page: one step per click, what changed said in words, guarantees that let the
bank lend."""

from __future__ import annotations

import re

from helpers_app import CREDIT, WHOLE, app, on


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
