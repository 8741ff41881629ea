"""The three questions the dashboard opens with: each names reference variants that exist, and
its answer's table says what a finance officer or a provider reads off it, in either language."""

from __future__ import annotations

import re

import numpy as np
import pytest

import sib
from sib.dashboard.library import Library
from sib.dashboard.questions import BY_KEY, QUESTIONS, SERVICES, budget_table, cash_table, flagged, guarantee_table, what_failure_means

REPS = 60


@pytest.fixture(scope="module")
def lib() -> Library:
    return Library.from_folder()


@pytest.fixture(scope="module")
def asf_guarantee(lib):
    """The employment programme's guarantee question, compared as the dashboard does."""
    names = lib.names_of(BY_KEY["guarantee"].files["arbetsintegrering"])
    comparison = sib.compare([lib.scenarios[n] for n in names], REPS, 0)
    return dict(zip(names, comparison.results.values()))


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.key)
def test_every_question_compares_library_scenarios_from_the_traditional_contract(lib, question):
    for service in SERVICES:
        files = question.files[service]
        assert lib.names_of(files) and len(lib.names_of(files)) == len(files) <= 4, files
        assert lib.scenarios[lib.names_of(files)[0]].contract.outcome_share == 0  # the baseline first


def test_the_guarantee_changes_the_credit_the_bank_grants_and_the_risk(asf_guarantee):
    en = guarantee_table(asf_guarantee, "en")
    credit = {name: int(re.sub(r"\D", "", cell)) for name, cell in en["Credit the bank grants"].items()}
    base, without, borgen = list(asf_guarantee)[1:]
    assert credit[without] < credit[base] < credit[borgen]  # a result of the guarantee, not a second input
    assert en.loc[without, "Guarantee"] == "none" and en.loc[without, "Guarantor's result, average"] == "–"
    fees = {name: int(re.sub(r"\D", "", cell) or 0) for name, cell in en["Guarantee fees, average"].items()}
    assert fees[borgen] > fees[base] > 0  # the municipality's guarantee is larger and priced at market
    risk = {name: r.values("provider_insolvent").mean() for name, r in asf_guarantee.items()}
    assert risk[without] > risk[base]
    sv = guarantee_table(asf_guarantee, "sv")
    assert sv.loc[borgen, "Garanti"] == "kommunal borgen, högst 1 500 000 kr"
    assert re.fullmatch(r"\d+,\d mnkr", sv.loc[base, "Kommunens hela kostnad, genomsnitt"])


def test_the_budget_table_gives_each_year_and_the_total_with_the_range_of_the_runs(asf_guarantee):
    table = budget_table(asf_guarantee, "sv")
    first = next(iter(asf_guarantee.values()))
    assert list(table.columns) == ["2027", "2028", "2029", "2030", "2031", "Totalt"]
    cell = table.iloc[0]["Totalt"]
    m = re.fullmatch(r"(\d+,\d) \((\d+,\d)–(\d+,\d)\)", cell)
    assert m, cell
    mean, low, high = (float(x.replace(",", ".")) for x in m.groups())
    whole = first.values("commissioner_whole_cost") / 1e6
    assert mean == pytest.approx(whole.mean(), abs=0.05) and low <= mean <= high
    assert (low, high) == pytest.approx(tuple(np.percentile(whole, [5, 95])), abs=0.05)
    accrual = budget_table(asf_guarantee, "en", "accrual")
    assert accrual.iloc[0]["Total"] == budget_table(asf_guarantee, "en").iloc[0]["Total"]  # the same money, other years


def test_the_cash_answer_and_its_warning_flag_a_provider_that_often_fails(lib, asf_guarantee):
    names = lib.names_of(BY_KEY["cash"].files["arbetsintegrering"])
    comparison = sib.compare([lib.scenarios[n] for n in names], REPS, 0)
    results = dict(zip(names, comparison.results.values()))
    warned = flagged(results)
    traditional, at_40 = names[0], names[2]
    assert at_40 in warned and warned[at_40] > 0.3 and traditional not in warned
    table = cash_table(results, "en")
    need = {name: int(re.sub(r"\D", "", cell)) for name, cell in table["Extra credit that carries it in 95% of cases"].items()}
    assert need[at_40] > need[traditional]
    needed = {name: int(re.sub(r"\D", "", cell)) for name, cell in table["Credit needed in all, 95% of cases"].items()}
    limit = results[at_40].scenario.financing.credit_limit
    assert needed[at_40] == pytest.approx(limit + results[at_40].kpi("funding_need", "p95").value, abs=1)
    assert table.loc[at_40, "Probability the provider cannot pay"].startswith(f"{100 * warned[at_40]:.1f}% (")


def test_the_warning_says_what_the_cost_means_under_each_stop_rule(lib):
    """Carried on by the municipality (the reference scenarios), left out of the cost (no
    continuation given), or the run goes on regardless (an IOP renegotiates)."""
    by_file = {f: lib.scenarios[n] for n, f in lib.files.items()}
    assert what_failure_means(by_file["bostad_forst_60.yaml"]) == "carried_on"
    assert what_failure_means(by_file["arbetsintegrering_iop.yaml"]) == "continues"
    sc = by_file["bostad_forst_60.yaml"]
    bare = sc.model_copy(update={"insolvency": sc.insolvency.model_copy(update={"continuation": None})})
    assert what_failure_means(bare) == "left_out"


def test_the_editor_names_the_counterfactuals_states_and_units_in_the_page_s_language(lib):
    """The counterfactual's states by their labels, not the file's keys; units in Swedish."""
    from sib.dashboard.text import unit
    from sib.scenario.levers import levers

    sc = lib.scenarios[lib.names_of(["bostad_forst.yaml"])[0]]
    found = {lv.path: lv for lv in levers(sc)}
    shelter = found["economics.counterfactual.states.shelter.transitions.staircase.exponential.mean"]
    assert shelter.sv == "Akutboende → Boendetrappa: medeltid" and unit(shelter.unit, "sv") == "månader"
    assert unit("years", "sv") == "år" and unit("kr", "en") == "SEK"
