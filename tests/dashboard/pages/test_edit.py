"""The editor page: each scenario's own values, amounts typed the Swedish way, a refused value
named by its path, and saved versions that outlast the session."""

from __future__ import annotations

from helpers_app import app, lever, on

import sib


def test_the_editor_shows_each_scenario_s_own_values_when_another_is_picked():
    at = on(app(), "edit")
    first = at.selectbox(key="edit_name").value
    assert lever(at.text_input, "financing.guarantee.max_amount").value == "400 000"
    at.selectbox(key="edit_name").set_value("Bostad först – kommunal borgen").run()
    assert not at.exception
    assert lever(at.text_input, "financing.guarantee.max_amount").value == "2 000 000"
    at.selectbox(key="edit_name").set_value(first).run()
    assert lever(at.text_input, "financing.guarantee.max_amount").value == "400 000"


def test_the_editor_saves_a_version_that_can_be_compared():
    at = on(app(), "edit")
    assert at.title[0].value == "Scenariobibliotek"
    share = lever(at.select_slider, "contract.outcome_share")
    assert share.value == 0.4 and share.format_func(0.4) == "40 %"
    share.set_value(0.6)
    at.text_input(key=next(k for k in (w.key for w in at.text_input) if k and k.startswith("save_as"))).set_value("Sextio procent")
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Sextio procent" in s.value for s in at.success)
    lib = at.session_state["library"]
    assert lib.scenarios["Sextio procent"].contract.outcome_share == 0.6
    at = on(at, "compare")
    assert "Sextio procent" in at.multiselect(key="compare_pick").options


def test_an_amount_is_typed_the_swedish_way_and_a_word_is_refused_naming_the_field():
    at = on(app(), "edit")
    caseload = lever(at.text_input, "provider.costs.caseload.participants_per_caseworker")
    assert caseload.value == "4,5"  # a decimal comma, as it is written
    caseload.set_value("5,5")
    lever(at.text_input, "provider.opening_equity").set_value("1 500 000,50")
    at.button[0].click().run()
    assert not at.error, [e.value for e in at.error]
    lib = at.session_state["library"]
    saved = lib.scenarios[next(reversed(lib.own))]  # the version just saved
    assert (saved.provider.costs.caseload.participants_per_caseworker, saved.provider.opening_equity) == (5.5, 1_500_000.5)
    lever(at.text_input, "provider.opening_equity").set_value("två miljoner")
    at.button[0].click().run()
    assert not at.exception
    assert any("Egna pengar vid start (provider.opening_equity): ”två miljoner” är inte ett tal" in e.value for e in at.error)


def test_a_saved_version_outlasts_the_session_and_can_be_renamed_and_deleted(own_scenarios):
    at = on(app(), "edit")
    lever(at.select_slider, "contract.outcome_share").set_value(0.6)
    at.text_input(key=next(k for k in (w.key for w in at.text_input) if k and k.startswith("save_as"))).set_value("Sextio procent")
    at.button[0].click().run()
    files = list(own_scenarios.glob("*.yaml"))
    assert len(files) == 1 and sib.load_scenario(files[0]).contract.outcome_share == 0.6
    at = on(app(), "edit")  # a reload: a new session reads the folder
    assert "Sextio procent" in at.session_state["library"].own
    at.selectbox(key="edit_name").set_value("Sextio procent").run()
    assert any(str(own_scenarios) in c.value.replace("\\", "").replace("\u2060", "") for c in at.caption)  # says where it is kept
    at.text_input(key="rename:Sextio procent").set_value("Sextio, omdöpt")
    at.button(key="rename_button:Sextio procent").click().run()
    assert not at.exception and at.selectbox(key="edit_name").value == "Sextio, omdöpt"
    assert sib.load_scenario(files[0]).name == "Sextio, omdöpt"
    at.button(key="delete:Sextio, omdöpt").click().run()
    assert not at.exception and not list(own_scenarios.glob("*.yaml"))
    assert "Sextio, omdöpt" not in at.session_state["library"].scenarios


def test_a_value_the_schema_refuses_is_shown_with_its_path_and_the_app_keeps_working():
    at = on(app(), "edit")
    lever(at.text_input, "financing.guarantee.max_amount").set_value("0")
    at.button[0].click().run()
    assert not at.exception
    assert any("financing.guarantee.max_amount: måste vara större än 0" in e.value for e in at.error), [e.value for e in at.error]
    lever(at.select_slider, "contract.outcome_share").set_value(0.5)
    lever(at.text_input, "financing.guarantee.max_amount").set_value("300 000")
    at.button[0].click().run()
    assert not at.error and at.success
