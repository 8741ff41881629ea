"""The dashboard tells the user what it needs instead of showing nothing or failing: a
comparison of fewer than two scenarios asks for two."""

from __future__ import annotations

from helpers_paths import REPO
from streamlit.testing.v1 import AppTest

APP = str(REPO / "app.py")


def test_a_comparison_of_one_scenario_asks_for_two_and_shows_no_figures(monkeypatch):
    monkeypatch.setenv("SIB_DASHBOARD_REPS", "50")
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["compare_pick"] = []  # before the first run: nothing picked, nothing computed
    at.run()
    at.switch_page("sib/dashboard/pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    picker = at.multiselect(key="compare_pick")
    picker.set_value(picker.options[:1]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [i.value for i in at.info] == ["Välj minst två scenarier."]
    assert not at.metric
