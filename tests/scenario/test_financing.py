"""``sib/scenario/financing.py``: the provider's credit line, loan, guarantee, investor and
insolvency rule as the scenario states them — the credit the bank grants with a guarantee, the
Swedish defaults for paying bills late, and a clear error naming the path where the financing
does not hang together."""

from __future__ import annotations

import pytest
from helpers_deterministic import scenario_dict, with_changes

import sib
from sib.scenario.loader import build

LINE = {"limit": 500_000, "interest_rate": 0.05}
LOAN = {"principal": 150_000, "interest_rate": 0.05, "term_months": 6}


def financed(**financing):
    return build(with_changes(scenario_dict(), {"financing": financing}))


def problems(**financing) -> list[str]:
    with pytest.raises(sib.ScenarioError) as info:
        financed(**financing)
    return info.value.problems


@pytest.mark.parametrize(
    "guarantee, loan, added",
    [
        # G / g less the loan the guarantee secures first: 90 000 / 0.9 = 100 000 < 150 000, so nothing is left for the line
        ({"share": 0.9, "max_amount": 90_000}, LOAN, 0.0),
        ({"share": 0.9, "max_amount": 180_000}, LOAN, 50_000.0),  # 200 000 − 150 000
        ({"share": 0.8, "max_amount": 100_000, "covers": "credit_line"}, LOAN, 125_000.0),  # the loan is not its to secure
        ({"share": 1.0, "max_amount": 100_000, "covers": "credit_line"}, None, 100_000.0),
    ],
)
def test_the_credit_a_guarantee_adds_is_its_maximum_over_its_share_less_the_loan_it_secures(guarantee, loan, added):
    fin = financed(credit_line=LINE, guarantee=guarantee, **({"loan": loan} if loan else {})).financing
    assert fin.guaranteed_credit == pytest.approx(added, abs=1e-6)
    assert fin.credit_limit == pytest.approx(500_000 + added, abs=1e-6)


def test_without_a_credit_line_the_bank_grants_no_line_whatever_secures_it():
    fin = financed(
        loan={"principal": 100_000, "interest_rate": 0.05, "term_months": 3}, guarantee={"share": 0.8, "max_amount": 100_000}
    ).financing
    assert (fin.guaranteed_credit, fin.credit_limit) == (0.0, 0.0)
    assert build(scenario_dict()).financing.credit_limit == 0.0


@pytest.mark.parametrize(
    "financing, problem",
    [
        ({"guarantee": {"share": 0.9}}, "financing.guarantee: there is no credit line or loan to guarantee"),
        (
            {"loan": LOAN, "guarantee": {"share": 0.9, "covers": "credit_line"}},
            "financing.guarantee.covers: 'credit_line', but there is no credit_line",
        ),
        ({"credit_line": LINE, "guarantee": {"share": 0.9, "covers": "loan"}}, "financing.guarantee.covers: 'loan', but there is no loan"),
        (
            {"credit_line": LINE, "guarantee": {"share": 0.9, "fee_base": "exposure"}},
            "financing.guarantee.fee_paid: a fee on the exposure is known only afterwards, so it is paid 'monthly'",
        ),
        ({"credit_line": LINE, "guarantee": {"share": 0}}, "financing.guarantee.share: must be > 0 and <= 1, got 0"),
        ({"credit_line": LINE, "guarantee": {"share": 1.01}}, "financing.guarantee.share: must be > 0 and <= 1, got 1.01"),
        ({"credit_line": {**LINE, "interest_rate": 1.01}}, "financing.credit_line.interest_rate: must be between 0 and 1, got 1.01"),
        ({"loan": {**LOAN, "term_months": 0}}, "financing.loan.term_months: must be between 1 and 360, got 0"),
        ({"loan": {**LOAN, "term_months": 361}}, "financing.loan.term_months: must be between 1 and 360, got 361"),
        ({"loan": {**LOAN, "principal": 0}}, "financing.loan.principal: must be > 0, got 0"),
        (
            {"loan": {**LOAN, "amortisation": "balloon"}},
            "financing.loan.amortisation: must be one of 'straight' or 'bullet', got 'balloon'",
        ),
        (
            {"invoice_financing": {"yearly_rate": 0.1, "advance_rate": 0}},
            "financing.invoice_financing.advance_rate: must be > 0 and <= 1, got 0",
        ),
        ({"invoice_financing": {"advance_rate": 0.5}}, "financing.invoice_financing.yearly_rate: is required"),
        (
            {"investor": {"capital": 1000, "return_cap": {"total_share": 0.2, "yearly_rate": 0.05}}},
            "financing.investor.return_cap: give exactly one of 'total_share' or 'yearly_rate'",
        ),
        (
            {"investor": {"capital": 1000, "tranches": [{"month": 0, "share": 0.5}, {"month": 3, "share": 0.4}]}},
            "financing.investor.tranches: the shares must add up to 1, got 0.9",
        ),
    ],
)
def test_financing_that_does_not_hang_together_is_refused_naming_the_path(financing, problem):
    assert problems(**financing) == [problem]


def test_the_guarantee_limits_themselves_are_taken():
    g = financed(
        credit_line=LINE, guarantee={"share": 1.0, "fee_base": "exposure", "fee_paid": "monthly", "term_months": 360}
    ).financing.guarantee
    assert (g.share, g.fee_base, g.fee_paid, g.term_months) == (1.0, "exposure", "monthly", 360)


def test_tranches_adding_up_to_1_in_floating_point_are_taken_and_one_part_in_a_billion_more_is_not():
    parts = [{"month": 0, "share": 0.7}, {"month": 3, "share": 0.2}, {"month": 4, "share": 0.1}]  # 0.9999999999999999 in floats
    assert len(financed(investor={"capital": 1000, "tranches": parts}).financing.investor.tranches) == 3
    within = [{"month": 0, "share": 0.5}, {"month": 1, "share": 0.5 + 5e-10}]
    assert financed(investor={"capital": 1000, "tranches": within}).financing.investor.capital == 1000
    assert problems(investor={"capital": 1000, "tranches": [{"month": 0, "share": 0.5}, {"month": 1, "share": 0.5 + 2e-9}]})[0].startswith(
        "financing.investor.tranches: the shares must add up to 1, got "
    )


def test_tranches_that_miss_1_say_by_how_much():
    (found,) = problems(investor={"capital": 1000, "tranches": [{"month": m, "share": 0.3333333} for m in range(3)]})
    head, shown = found.rsplit("got ", 1)
    assert head == "financing.investor.tranches: the shares must add up to 1, " and shown == "0.9999999", found


def test_by_default_an_investor_pays_all_in_at_the_start_and_earns_at_most_a_fifth_of_its_capital():
    inv = financed(investor={"capital": 2_000_000}).financing.investor
    assert [(t.month, t.share) for t in inv.tranches] == [(0, 1.0)]
    assert (inv.return_cap.total_share, inv.return_cap.yearly_rate) == (0.2, None)  # Norrköping's cap
    assert (inv.receives_outcome_payments, inv.waterfall, inv.protection) == (True, "investor_first", None)


def test_the_insolvency_rule_defaults_to_swedish_law_on_late_payment():
    """A supplier's bill may wait about a month (reminder, collection, then a demand a bankruptcy
    petition rests on); rent on a residential lease a week (jordabalken 12 kap. 42 §); late
    bills carry the reference rate + 8 points (räntelagen 6 §), 10 % here; the service stops."""
    raw = scenario_dict()
    del raw["insolvency"]
    rule = build(raw).insolvency
    assert (rule.rule, rule.grace_days.suppliers, rule.grace_days.rent, rule.late_interest_rate) == ("stop", 30, 7, 0.10)
    assert (rule.max_days_short, rule.continuation, rule.takeover_cost) == (None, None, 0.0)


@pytest.mark.parametrize(
    "insolvency, problem",
    [
        ({"max_days_short": 0}, "insolvency.max_days_short: must be between 1 and 3650, got 0"),
        ({"grace_days": {"rent": 366}}, "insolvency.grace_days.rent: must be between 0 and 365, got 366"),
        ({"rule": "pause"}, "insolvency.rule: must be one of 'stop' or 'continue', got 'pause'"),
        (
            {"continuation": {"price_per_participant_day": 500, "gap_days": 3651}},
            "insolvency.continuation.gap_days: must be between 0 and 3650, got 3651",
        ),
        ({"continuation": {"gap_days": 10}}, "insolvency.continuation.price_per_participant_day: is required"),
    ],
)
def test_an_insolvency_rule_out_of_range_is_refused_naming_the_path(insolvency, problem):
    with pytest.raises(sib.ScenarioError) as info:
        build(with_changes(scenario_dict(), {"insolvency": insolvency}))
    assert info.value.problems == [problem]
