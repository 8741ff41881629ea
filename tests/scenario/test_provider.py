"""``sib/scenario/provider.py``: the provider's economy as the scenario states it — staff by
caseload, participants it employs and the wage subsidy on them, second-hand leases, VAT — with
the Swedish defaults a scenario need not repeat, and a clear error naming the path and the
allowed range for a value outside it."""

from __future__ import annotations

import pytest
from helpers_deterministic import scenario_dict, with_changes

import sib
from sib.scenario.loader import build

CASELOAD = {"participants_per_caseworker": 10, "monthly_salary": 40_000}
EMPLOYMENT = {"states": ["b"], "monthly_wage": 20_000}
LEASES = {"states": ["b"], "monthly_rent": 8_000}


def provider(changes):
    return build(with_changes(scenario_dict(), changes)).provider


def problems(changes) -> list[str]:
    with pytest.raises(sib.ScenarioError) as info:
        build(with_changes(scenario_dict(), changes))
    return info.value.problems


def test_what_a_scenario_leaves_out_is_the_swedish_default():
    """Employer's fees, pension and insurance 31.42 % of pay (arbetsgivaravgifter); VAT 25 %;
    the municipality compensated for VAT (lag 2005:807); a wage subsidy on wages up to 20 000 kr
    for 12 months, paid 30 days after the month; leases held by the provider."""
    p = provider(
        {
            "provider.costs.caseload": CASELOAD,
            "provider.employment": {**EMPLOYMENT, "subsidy": {"share": 0.8}},
            "provider.leases": LEASES,
            "provider.vat": {"status": "exempt"},
        }
    )
    assert p.costs.caseload.employer_fee_rate == 0.3142 and p.employment.employer_fee_rate == 0.3142
    assert p.costs.caseload.minimum_caseworkers == 0
    assert (p.costs.indexation.wages, p.costs.indexation.prices) == (0.0, 0.0)
    s = p.employment.subsidy
    assert (s.ceiling, s.months, s.lag_days, s.supervision_per_month, s.supervision_months) == (20_000, 12, 30, 0.0, 0)
    assert (p.leases.holder, p.leases.arrears_share, p.leases.vacant_days) == ("provider", 0.0, 0)
    assert (p.vat.rate, p.vat.compensation) == (0.25, True)
    shares = p.vat.taxed_shares
    assert (shares.fixed_per_month, shares.per_participant_month, shares.per_intake, shares.start_up) == (1.0, 1.0, 1.0, 1.0)
    bare = provider({})
    assert (bare.opening_equity, bare.employment, bare.leases, bare.vat, bare.costs.caseload) == (0.0, None, None, None, None)


@pytest.mark.parametrize(
    "changes, problem",
    [
        (
            {"provider.costs.caseload": {**CASELOAD, "employer_fee_rate": 1.01}},
            "provider.costs.caseload.employer_fee_rate: must be between 0 and 1, got 1.01",
        ),
        (
            {"provider.costs.caseload": {**CASELOAD, "participants_per_caseworker": 0}},
            "provider.costs.caseload.participants_per_caseworker: must be > 0, got 0",
        ),
        (
            {"provider.costs.caseload": {**CASELOAD, "minimum_caseworkers": 10_001}},
            "provider.costs.caseload.minimum_caseworkers: must be between 0 and 10000, got 10001",
        ),
        ({"provider.costs.indexation": {"wages": -0.51}}, "provider.costs.indexation.wages: must be between -0.5 and 1, got -0.51"),
        ({"provider.costs.fixed_per_month": -0.01}, "provider.costs.fixed_per_month: must be >= 0, got -0.01"),
        (
            {"provider.employment": {**EMPLOYMENT, "subsidy": {"share": 1.2}}},
            "provider.employment.subsidy.share: must be between 0 and 1, got 1.2",
        ),
        (
            {"provider.employment": {**EMPLOYMENT, "subsidy": {"share": 0.8, "months": 0}}},
            "provider.employment.subsidy.months: must be between 1 and 120, got 0",
        ),
        (
            {"provider.employment": {**EMPLOYMENT, "subsidy": {"share": 0.8, "months": 121}}},
            "provider.employment.subsidy.months: must be between 1 and 120, got 121",
        ),
        (
            {"provider.employment": {**EMPLOYMENT, "subsidy": {"share": 0.8, "lag_days": 366}}},
            "provider.employment.subsidy.lag_days: must be between 0 and 365, got 366",
        ),
        (
            {"provider.employment": {**EMPLOYMENT, "states": []}},
            "provider.employment.states: must have at least 1 item(s), got a list of 0 item(s)",
        ),
        (
            {"provider.employment": {**EMPLOYMENT, "states": ["nowhere"]}},
            "provider.employment.states: no such state 'nowhere' (states: ['a', 'b', 'x'])",
        ),
        (
            {"provider.leases": {**LEASES, "holder": "landlord"}},
            "provider.leases.holder: must be one of 'provider' or 'municipality', got 'landlord'",
        ),
        ({"provider.leases": {**LEASES, "arrears_share": 1.2}}, "provider.leases.arrears_share: must be between 0 and 1, got 1.2"),
        ({"provider.leases": {**LEASES, "vacant_days": 366}}, "provider.leases.vacant_days: must be between 0 and 365, got 366"),
        ({"provider.vat": {"status": "zero"}}, "provider.vat.status: must be one of 'exempt' or 'taxable', got 'zero'"),
        ({"provider.vat": {"rate": 1.5}}, "provider.vat.rate: must be between 0 and 1, got 1.5"),
        ({"provider.vat": {"taxed_shares": {"start_up": 1.1}}}, "provider.vat.taxed_shares.start_up: must be between 0 and 1, got 1.1"),
    ],
)
def test_a_value_outside_its_range_is_refused_naming_the_path_and_the_range(changes, problem):
    assert problems(changes) == [problem]


def test_the_ends_of_each_range_are_taken():
    p = provider(
        {
            "provider.costs.caseload": {**CASELOAD, "employer_fee_rate": 0, "minimum_caseworkers": 10_000},
            "provider.costs.indexation": {"wages": -0.5, "prices": 1},
            "provider.employment": {**EMPLOYMENT, "employer_fee_rate": 1, "subsidy": {"share": 1, "months": 120, "lag_days": 365}},
            "provider.leases": {**LEASES, "arrears_share": 1, "vacant_days": 365},
            "provider.vat": {"rate": 0, "taxed_shares": {"fixed_per_month": 0}},
        }
    )
    assert (p.costs.caseload.employer_fee_rate, p.costs.caseload.minimum_caseworkers) == (0, 10_000)
    assert (p.costs.indexation.wages, p.costs.indexation.prices) == (-0.5, 1)
    assert (p.employment.subsidy.share, p.employment.subsidy.months, p.employment.subsidy.lag_days) == (1, 120, 365)
    assert (p.leases.arrears_share, p.leases.vacant_days) == (1, 365)
    assert (p.vat.rate, p.vat.taxed_shares.fixed_per_month) == (0, 0)


def test_an_uncertain_cost_must_lie_within_its_range_in_every_draw():
    """A draw is never clamped: a salary that could be drawn below zero, or empty days beyond a
    year, is refused when the file is read; arrears drawn from a beta stay within 0–1 and are taken."""
    assert problems({"provider.costs.caseload": {**CASELOAD, "monthly_salary": {"uniform": [-100, 30_000]}}}) == [
        "provider.costs.caseload.monthly_salary: the uniform distribution ranges over [-100, 30000], but every value "
        "must be >= 0 (a draw is never clamped)"
    ]
    assert problems({"provider.leases": {**LEASES, "vacant_days": {"uniform": [300, 400]}}}) == [
        "provider.leases.vacant_days: the uniform distribution ranges over [300, 400], but every value must be <= 365 "
        "(a draw is never clamped)"
    ]
    assert provider({"provider.leases": {**LEASES, "arrears_share": {"beta": [2, 30]}}}).leases.arrears_share.beta == (2, 30)


def test_opening_equity_may_be_a_debt_down_to_minus_1e12_kr():
    assert provider({"provider.opening_equity": -1e12}).opening_equity == -1e12
    (problem,) = problems({"provider.opening_equity": 1.5e12})
    assert problem == "provider.opening_equity: must be between -1e12 and 1e12, got 1.5e12", problem
