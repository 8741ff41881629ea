"""The Streamlit page renders, formats money the Swedish way, switches language, shows errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 120  # the first run prices the contract (a few hundred replications)


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    return at


def test_page_renders_without_exceptions(page: AppTest):
    assert not page.exception, [e.value for e in page.exception]
    assert not page.error, [e.value for e in page.error]
    assert page.selectbox(key="scenario").value == "bostad_forst.yaml"
    assert page.get("plotly_chart"), "no cash chart"


def test_money_is_shown_in_kronor(page: AppTest):
    values = [m.value for m in page.metric]
    assert any(v.endswith(" kr") for v in values), values
    assert page.radio(key="lang").value == "Svenska"


def test_switching_language_changes_labels(page: AppTest):
    before = [m.label for m in page.metric]
    page.radio(key="lang").set_value("English").run()
    assert not page.exception, [e.value for e in page.exception]
    after = [m.label for m in page.metric]
    assert "Paid in total" in after and "Paid in total" not in before
    assert any(m.value.startswith("SEK ") for m in page.metric)
    page.radio(key="lang").set_value("Svenska").run()
    assert [m.label for m in page.metric] == before


def test_a_broken_scenario_shows_its_problems_not_a_traceback(tmp_path, monkeypatch):
    (tmp_path / "broken.yaml").write_text(
        "name: Broken\nstart_date: 2027-01-01\ncontract: {service_months: 0}\n"
    )
    monkeypatch.setenv("SIB_SCENARIO_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    message = " ".join(e.value for e in at.error)
    assert "contract.service_months" in message and "pathway" in message
