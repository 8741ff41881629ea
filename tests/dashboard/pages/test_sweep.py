"""The sweep page: the break-even with and without the guarantee, a bound that is not a number,
and a cost curve that counts the whole cost."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_app import APP, TIMEOUT, app, figure, on, title
from streamlit.testing.v1 import AppTest

import sib
from sib.dashboard.library import Library
from sib.scenario.edit import with_values


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
