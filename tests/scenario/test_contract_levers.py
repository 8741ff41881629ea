"""The contract's levers that move money and risk between the municipality and the provider:
a start-up grant pricing does not scale, the lump sum paid in advance, a guaranteed volume,
and the municipality's own costs of running an outcome contract. Each on the reference
scenario, as a finance officer or a provider would try it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers_paths import REPO

import sib
from sib.scenario.edit import with_values
from sib.scenario.errors import ScenarioError

ROOT = REPO
REPS = 200


@pytest.fixture(scope="module")
def bostad() -> sib.Scenario:
    return sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml")


def _paid(sc: sib.Scenario, reps: int = REPS):
    return sib.run(sc, reps=reps, seed=7).summary


@pytest.mark.parametrize("share", [0.2, 0.6])
def test_a_start_up_grant_is_paid_as_given_at_any_outcome_share(bostad, share):
    """The grant is paid in full whatever the share; the rest of the fixed part is scaled so the
    expected value and the share still hold (G + a·F = (1 − s)·V). Catches a grant scaled with
    the fixed weights, or left out of the fixed part."""
    value = 90_000_000
    sc = with_values(
        bostad, {"contract.fixed.start_up_grant": 1_500_000, "contract.outcome_share": share, "contract.expected_value": value}
    )
    pr = sib.price(sc)
    assert pr.terms.start_up_grant == 150_000_000
    assert pr.expected_value == pytest.approx(value, rel=1e-6)
    assert pr.expected_fixed == pytest.approx((1 - share) * value, rel=1e-6)
    without = sib.price(with_values(sc, {"contract.fixed.start_up_grant": 0}))
    assert pr.terms.fixed_factor < without.terms.fixed_factor  # the grant comes out of the scaled part
    rep = sib.simulate(sc, seed=0)
    grant = rep.ledger[rep.ledger["category"].astype(str) == "start_up_grant"]
    assert list(grant["amount_ore"]) == [150_000_000] and str(grant["date"].iloc[0]) == "2027-01-31"


def test_a_grant_larger_than_the_fixed_part_is_refused_naming_the_field(bostad):
    sc = with_values(
        bostad, {"contract.fixed.start_up_grant": 50_000_000, "contract.outcome_share": 0.75, "contract.expected_value": 90_000_000}
    )
    with pytest.raises(ScenarioError, match=r"contract\.fixed\.start_up_grant"):
        sib.price(sc)


def test_the_lump_sum_in_advance_brings_the_money_forward_not_more_of_it(bostad):
    """Paid in advance, the same lump sums arrive a month earlier: the municipality pays the
    same in all (on a run that goes on whatever the cash), the provider needs less money to get
    through, and the municipality's first budget year carries one more month of it."""
    base = with_values(bostad, {"contract.outcome_share": 0.6, "insolvency.rule": "continue"})
    ahead = with_values(base, {"contract.fixed.in_advance": True})
    a, b = _paid(base), _paid(ahead)
    np.testing.assert_allclose(b.commissioner_paid, a.commissioner_paid, atol=0.005)
    assert (b.funding_need <= a.funding_need + 0.005).all() and b.funding_need.mean() < a.funding_need.mean()
    monthly = sib.price(ahead).terms.monthly / 100
    assert (b.commissioner_paid_2027 - a.commissioner_paid_2027).mean() == pytest.approx(monthly, rel=0.01)


def test_a_guaranteed_volume_carries_the_provider_through_a_slow_start(bostad):
    """The insolvent runs are those with few referrals early on; 40 guaranteed places pay the
    fee for the empty ones, so the provider no longer fails, and the municipality pays for the
    places it did not fill (its whole cost rises). Half the fee for an empty place costs it less."""
    base = with_values(bostad, {"contract.outcome_share": 0.6})
    full = with_values(base, {"contract.fixed.minimum_volume": {"places": 40}})
    half = with_values(base, {"contract.fixed.minimum_volume": {"places": 40, "share_of_fee": 0.5}})
    a, f, h = _paid(base), _paid(full), _paid(half)
    assert a.provider_insolvent.mean() >= 0.05
    assert f.provider_insolvent.mean() < a.provider_insolvent.mean() / 5
    assert a.commissioner_whole_cost.mean() < h.commissioner_whole_cost.mean() < f.commissioner_whole_cost.mean()


def test_a_volume_without_a_fee_per_participant_is_refused(bostad):
    with pytest.raises(ScenarioError, match=r"contract\.fixed\.minimum_volume.*per_participant_month"):
        with_values(bostad, {"contract.fixed.per_participant_month": 0, "contract.fixed.minimum_volume": {"places": 10}})


def test_the_municipalitys_own_costs_are_in_its_whole_cost_and_budget_years_not_in_the_contract(bostad):
    """Set-up, yearly management (indexed with wages) and the final evaluation: the whole cost
    rises by them, year by year; what the provider is paid, and the contract's value, do not."""
    costs = {"set_up": 400_000, "per_year": 600_000, "final_evaluation": 800_000}
    without = with_values(bostad, {"contract.commissioner_costs": {}})
    with_costs = with_values(bostad, {"contract.commissioner_costs": costs})
    a, b = sib.simulate(without, seed=3).metrics, sib.simulate(with_costs, seed=3).metrics
    assert b["commissioner_paid"] == a["commissioner_paid"] and a["commissioner_cost_administration"] == 0
    assert sib.price(with_costs).expected_value == sib.price(without).expected_value
    extra = b["commissioner_whole_cost"] - a["commissioner_whole_cost"]
    assert b["commissioner_cost_administration"] == pytest.approx(extra, abs=0.01)
    wages = bostad.provider.costs.indexation.wages
    years = bostad.contract.service_months // 12 + bostad.contract.outcome_tail_months // 12
    yearly = sum(600_000 * (1 + wages) ** y for y in range(years))
    assert extra == pytest.approx(400_000 + yearly + 800_000, abs=years * 12 * 0.01 + 0.01)
    first = bostad.start_date.year
    assert b[f"commissioner_whole_cost_{first}"] - a[f"commissioner_whole_cost_{first}"] == pytest.approx(1_000_000, abs=0.2)


def _compared(size: int, pays: str = "per_effect", people: int = 300) -> sib.Scenario:
    """300 people who each reach the milestone with probability 1/2; without the service 40 %
    would (known exactly), and the contract pays from an estimated effect of 5 points."""
    from sib.scenario.loader import build

    return build(
        {
            "name": "comparison",
            "start_date": "2030-01-01",
            "participants": {"referrals": {"cohorts": [{"date": "2030-01-01", "size": people}]}},
            "pathway": {
                "start": "a",
                "states": {
                    "a": {"transitions": {"b": {"exponential": {"mean": 10}}, "c": {"exponential": {"mean": 10}}}},
                    "b": {},
                    "c": {},
                },
            },
            "milestones": {"reached": {"state": "b"}},
            "contract": {
                "service_months": 1,
                "outcome_tail_months": 12,
                "pricing": {"replications": 20},
                "rate_card": {"reached": {"price": 1000, "comparison": {"size": size, "rate": 0.4, "threshold": 0.05, "pays": pays}}},
            },
            "insolvency": {"rule": "continue"},
        }
    )


def test_an_effect_estimated_against_a_small_comparison_group_is_a_lottery():
    """The true effect (10 points) clears the 5-point threshold, but the evaluator sees a
    sample: with 50 in the comparison group the contract fails to pay far more often than with
    5 000. When it pays per effect, it pays for the outcomes above the comparison share."""
    small, large = _paid(_compared(50), 400), _paid(_compared(5000), 400)
    assert 1 - small.effect_cleared_reached.mean() > 0.15 and 1 - large.effect_cleared_reached.mean() < 0.1
    assert small.comparison_share_reached.std() > 3 * large.comparison_share_reached.std()
    paid = small[small.effect_cleared_reached.astype(bool)]
    above = paid.milestone_reached - np.ceil(paid.comparison_share_reached * 300 - 1e-9)
    np.testing.assert_allclose(paid.commissioner_paid_outcome, 1000 * above)
    assert (small[~small.effect_cleared_reached.astype(bool)].commissioner_paid_outcome == 0).all()


def test_paid_per_outcome_once_the_effect_clears():
    s = _paid(_compared(200, "per_outcome"), 100)
    cleared = s.effect_cleared_reached.astype(bool)
    assert 0 < cleared.mean() < 1
    np.testing.assert_allclose(s.commissioner_paid_outcome, np.where(cleared, 1000 * s.milestone_reached, 0))


def test_a_comparison_group_and_a_baseline_on_one_outcome_are_refused(bostad):
    item = next(iter(bostad.contract.rate_card))
    with pytest.raises(ScenarioError, match=rf"contract\.rate_card\.{item}.*comparison"):
        with_values(
            bostad, {f"contract.rate_card.{item}.baseline_rate": 0.1, f"contract.rate_card.{item}.comparison": {"size": 100, "rate": 0.3}}
        )


def test_when_the_municipality_holds_the_leases_it_carries_the_rent_the_provider_did(bostad):
    """The same apartments, days and arrears: the rent the provider paid less what its tenants
    paid becomes the municipality's lease cost, to the öre, and the provider pays no rent."""
    base = with_values(bostad, {"insolvency.rule": "continue"})
    held = with_values(base, {"provider.leases.holder": "municipality"})
    a, b = sib.simulate(base, seed=4), sib.simulate(held, seed=4)

    def rows(rep: sib.Replication, cat: str, who: str) -> pd.DataFrame:
        ledger = rep.ledger
        mine = (ledger["payer"].astype(str) == who) | (ledger["payee"].astype(str) == who)
        return ledger[(ledger["category"].astype(str) == cat) & mine]

    net_provider = rows(a, "rent", "provider")["amount_ore"].sum() - rows(a, "tenant_rent", "provider")["amount_ore"].sum()
    assert net_provider > 0
    assert round(b.metrics["commissioner_cost_leases"] * 100) == net_provider and a.metrics["commissioner_cost_leases"] == 0
    assert rows(b, "rent", "provider").empty and rows(b, "tenant_rent", "provider").empty
    assert b.metrics["commissioner_whole_cost"] - a.metrics["commissioner_whole_cost"] == pytest.approx(net_provider / 100, abs=0.01)


def test_a_grant_to_a_taxable_enterprise_carries_no_vat_and_its_purchases_vat_is_a_cost():
    """An IOP's grant is not the price of a service: the ASF adds no VAT to it and files no
    returns for it, so the VAT on the programme's purchases, refunded under a contract, is its
    cost under the grant, to the öre on the same seed; the municipality pays the same net."""
    asf = with_values(
        sib.load_scenario(ROOT / "scenarios" / "arbetsintegrering_traditionellt.yaml"),
        {"insolvency.rule": "continue", "provider.opening_equity": 50_000_000},
    )
    grant = with_values(asf, {"contract.grant": True})
    a, b = sib.simulate(asf, seed=3), sib.simulate(grant, seed=3)
    cats = lambda rep: set(rep.ledger["category"].astype(str))  # noqa: E731
    assert {"output_vat", "vat_refund"} <= cats(a) and not {"output_vat", "vat_refund", "vat_payment"} & cats(b)
    assert a.metrics["input_vat"] == b.metrics["input_vat"] > 0
    # The guarantee's fee runs to the last flow, which the contract's last VAT return pushes later.
    fees = a.metrics["guarantor_fees"] - b.metrics["guarantor_fees"]
    assert b.metrics["provider_result"] == pytest.approx(a.metrics["provider_result"] - b.metrics["input_vat"] + fees, abs=0.01)
    assert b.metrics["commissioner_paid"] == a.metrics["commissioner_paid"]


def _per_day(min_stay: int, moved_after: int) -> sib.Scenario:
    from sib.scenario.loader import build

    return build(
        {
            "name": "per day",
            "start_date": "2027-01-01",
            "participants": {"referrals": {"cohorts": [{"date": "2027-01-01", "size": 1}]}},
            "pathway": {
                "start": "a",
                "states": {
                    "a": {"transitions": {"housed": {"fixed": 10, "unit": "days"}}},
                    "housed": {"transitions": {"moved_on": {"fixed": moved_after, "unit": "days"}}},
                    "moved_on": {},
                },
            },
            "milestones": {},
            "contract": {
                "service_months": 12,
                "outcome_tail_months": 12,
                "pricing": {"replications": 20},
                "rate_card": {},
                "per_day": {
                    "housing": {
                        "states": ["housed"],
                        "price": 100,
                        "min_stay_days": min_stay,
                        "exit_payment": {
                            "states": ["moved_on"],
                            "tiers": [{"after_days": 0, "price": 1000}, {"after_days": 365, "price": 5000}],
                        },
                    }
                },
            },
            "insolvency": {"rule": "continue"},
        }
    )


def test_a_stay_too_short_to_qualify_pays_no_days_but_its_planned_exit_pays_the_first_tier():
    short = sib.simulate(_per_day(365, 200), seed=0).metrics
    assert short["days_paid_housing"] == 0 and short["exits_paid_housing"] == 1
    assert short["commissioner_paid_outcome"] == 1000
    long = sib.simulate(_per_day(365, 400), seed=0).metrics
    assert long["days_paid_housing"] == 400 and long["commissioner_paid_outcome"] == 400 * 100 + 5000


def test_day_rates_are_priced_as_outcomes_and_the_engine_pays_what_pricing_expected(bostad):
    """Bostad först with 300 kr a day housed besides its rate card, 60 % on outcomes: on the
    pricing run's own draws the engine pays what pricing expected (to the öre rounding), so
    the day payments are in the outcome part pricing scales."""
    sc = with_values(
        bostad,
        {
            "contract.per_day": {"housing": {"states": ["housed"], "price": 300}},
            "contract.outcome_share": 0.6,
            "insolvency.rule": "continue",
            "contract.pricing.replications": 100,
        },
    )
    pr = sib.price(sc)
    outcome = [sib.simulate(sc, seed=sc.contract.pricing.seed, replication=r).metrics for r in range(100)]
    paid = np.mean([m["commissioner_paid_outcome"] for m in outcome])
    assert np.mean([m["days_paid_housing"] for m in outcome]) > 10_000
    assert paid == pytest.approx(pr.expected_outcome, rel=1e-4)
    assert pr.outcome_share_expected == pytest.approx(0.6, abs=1e-6)


@pytest.mark.parametrize(
    "rate, problem",
    [
        ({"states": ["housed"], "deducted_states": ["housed"], "price": 1}, r"deducted_states.*not both"),
        ({"states": ["nowhere"], "price": 1}, r"contract\.per_day\.housing\.states: no such state 'nowhere'"),
        (
            {
                "states": ["housed"],
                "price": 1,
                "exit_payment": {"states": ["housed"], "tiers": [{"after_days": 9, "price": 1}, {"after_days": 3, "price": 2}]},
            },
            r"increasing order of after_days",
        ),
    ],
)
def test_a_day_rate_that_cannot_be_meant_is_refused_naming_the_field(bostad, rate, problem):
    with pytest.raises(ScenarioError, match=problem):
        with_values(bostad, {"contract.per_day": {"housing": rate}})
