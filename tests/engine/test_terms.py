"""``sib/engine/terms.py``: the contract's prices in öre after pricing (what the engine pays,
and the caps it respects), and how a milestone settled on the whole cohort is paid: the tier
reached, a threshold, a baseline, or the effect against a comparison group.

Amounts are worked out by hand in the comments; shares such as 0.3 × 10 are 3.0000000000000004
in binary, which is why the boundaries are tested with them.
"""

from __future__ import annotations

import pytest
from helpers_deterministic import scenario

from sib.engine.terms import Terms, settle
from sib.scenario.contract import RateCardItem


def _priced_scenario():
    return scenario(
        milestones={"m1": {"state": "b"}, "m2": {"state": "b"}, "m3": {"state": "b"}, "m4": {"state": "b"}},
        contract={
            "fixed": {"upfront": 100_000, "monthly": 2.675, "per_participant_month": 10_000, "start_up_grant": 50_000},
            "rate_card": {
                "m1": {"price": 1_000},
                "m2": {"tiers": [{"share": 0.2, "price": 5_000}, {"share": 0.5, "price": 12_000}]},
                "m3": {"price": 800, "threshold": 0.3},
                "m4": {"tiers": [{"share": 0.1, "price": 9_000}, {"share": 0.6, "price": 4_000}]},
            },
            "caps": {"per_participant": 20_000.005, "total": 1_000_000},
        },
    )


def test_prices_as_given_are_whole_ore_rounded_half_up():
    """2.675 kr is 267.5 öre, stored in binary as 267.49999…: it is 268 öre, as an invoice rounds it."""
    terms = Terms.of(_priced_scenario())
    assert (terms.upfront, terms.monthly, terms.per_participant_month, terms.start_up_grant) == (10_000_000, 268, 1_000_000, 5_000_000)
    assert terms.cap_per_participant == 2_000_001  # 20 000,005 kr: half an öre, up
    assert terms.cap_total == 100_000_000


def test_pricing_scales_the_fixed_and_the_outcome_prices_but_not_the_start_up_grant():
    terms = Terms.of(_priced_scenario(), fixed_factor=0.8, outcome_factor=1.5)
    assert terms.upfront == 8_000_000  # 100 000 × 0,8
    assert terms.monthly == 214  # 2,675 × 0,8 = 2,14 kr
    assert terms.per_participant_month == 800_000
    assert terms.start_up_grant == 5_000_000  # a grant for setting up, as given
    assert terms.schedules == (
        ((0.0, 150_000),),  # 1 000 × 1,5 from the first outcome
        ((0.2, 750_000), (0.5, 1_800_000)),
        ((0.3, 120_000),),  # a threshold is the tier the price starts at
        ((0.1, 1_350_000), (0.6, 600_000)),
    )
    # The price of each item at its best: the highest tier's, whichever tier that is.
    assert terms.prices == (150_000, 1_800_000, 120_000, 1_350_000)
    assert (terms.cap_per_participant, terms.cap_total) == (2_000_001, 100_000_000)  # caps are not scaled


def test_without_caps_the_terms_carry_none():
    """What the contract could pay at most is priced without its caps."""
    terms = Terms.of(_priced_scenario(), caps=False)
    assert terms.cap_per_participant is None and terms.cap_total is None


def _item(**fields) -> RateCardItem:
    return RateCardItem.model_validate({"price": 1_000, **fields} if "tiers" not in fields else fields)


TIERS = ((0.2, 500_000), (0.4, 1_000_000), (0.7, 2_000_000))


@pytest.mark.parametrize(
    "reached, enrolled, paid_ore",
    [
        (1, 10, 0),  # 10 %: below the first tier
        (2, 10, 2 * 500_000),  # exactly 20 %
        (3, 10, 3 * 500_000),
        (4, 10, 4 * 1_000_000),  # the highest tier reached prices every outcome
        (6, 10, 6 * 1_000_000),
        (7, 10, 7 * 2_000_000),  # 0.7 × 10 is 7.000000000000001: seven of ten still reach 70 %
        (10, 10, 10 * 2_000_000),
        (0, 0, 0),  # nobody enrolled: nothing to settle
    ],
)
def test_the_highest_tier_the_cohort_reached_prices_every_outcome(reached, enrolled, paid_ore):
    item = _item(tiers=[{"share": s, "price": p / 100} for s, p in TIERS])
    units, price = settle(item, TIERS, reached, enrolled)
    assert units * price == paid_ore
    if paid_ore:
        assert units == reached


@pytest.mark.parametrize(
    "baseline, reached, enrolled, units",
    [
        (0.25, 4, 10, 1),  # 2.5 expected anyway, rounded up to 3 people: 1 above
        (0.3, 4, 10, 1),  # 3 expected (3.0000000000000004 in binary, still 3 people): 1 above
        (0.1, 4, 10, 3),
        (0.4, 4, 10, 0),
        (0.5, 4, 10, 0),  # fewer than expected: nothing, never a negative payment
        (0.0, 4, 10, 4),
    ],
)
def test_a_baseline_pays_only_the_outcomes_above_it_counted_in_whole_people(baseline, reached, enrolled, units):
    item = _item(baseline_rate=baseline)
    got_units, price = settle(item, ((0.0, 100_000),), reached, enrolled)
    assert got_units * price == units * 100_000


def test_a_threshold_with_a_baseline_pays_nothing_below_it_and_the_excess_above_it():
    item = _item(threshold=0.3, baseline_rate=0.1)
    schedule = ((0.3, 100_000),)
    assert settle(item, schedule, 2, 10)[0] * settle(item, schedule, 2, 10)[1] == 0  # 20 % < 30 %
    assert settle(item, schedule, 3, 10) == (2, 100_000)  # 30 % reached; 3 − 1 expected anyway


@pytest.mark.parametrize(
    "pays, comparison_share, reached, paid_units",
    [
        # 4 of 10 treated (40 %) against a comparison group's 35 %: an effect of 0.05, the
        # threshold itself (0.4 − 0.35 is 0.05000000000000002 in binary): it clears.
        ("per_outcome", 0.35, 4, 4),
        ("per_outcome", 0.36, 4, 0),  # an effect of 0.04: nothing at all
        ("per_effect", 0.35, 4, 0),  # 4 − ⌈3.5⌉ = 0 above the comparison share
        ("per_effect", 0.2, 4, 2),  # 4 − 2
        ("per_effect", 0.3, 4, 1),  # 4 − 3 (0.3 × 10 is 3.0000000000000004, still 3 people)
        ("per_outcome", 0.0, 0, 0),
    ],
)
def test_an_effect_against_a_comparison_group_must_clear_its_threshold_before_anything_is_paid(pays, comparison_share, reached, paid_units):
    item = RateCardItem.model_validate({"price": 1_000, "comparison": {"size": 200, "rate": 0.3, "threshold": 0.05, "pays": pays}})
    units, price = settle(item, ((0.0, 100_000),), reached, 10, comparison_share)
    assert units * price == paid_units * 100_000
    if paid_units:
        assert price == 100_000


def test_at_the_default_threshold_of_zero_a_comparison_group_that_did_better_than_the_treated_means_nothing_is_paid():
    item = RateCardItem.model_validate({"price": 1_000, "comparison": {"size": 200, "rate": 0.3, "pays": "per_outcome"}})
    assert settle(item, ((0.0, 100_000),), 4, 10, 0.4) == (4, 100_000)  # an effect of 0: the threshold 0 is met
    assert settle(item, ((0.0, 100_000),), 4, 10, 0.41) == (0, 0)
