"""When money moves, to the day and the öre, in deterministic scenarios.

Every scenario here has cohorts on fixed dates, ``fixed`` durations, no outcome share (prices
are used exactly as given) and no rejections, so each ledger row can be written down by hand:
a milestone reached on a known date, verified after the lag, invoiced at the end of the
invoice period and paid after the payment terms; the fixed part; and the provider's costs.
"""

from __future__ import annotations

import pytest
from helpers_deterministic import (
    D,
    chain,
    expected_payment_date,
    milestone_dates,
    rows,
    run,
    scenario_dict,
)

OUT = "outcome_payment"


def _one_outcome(cohort: str, days_before: int, **contract):
    """One participant enrolled on ``cohort``; enters state b ``days_before`` days later (milestone m)."""
    raw = scenario_dict(
        cohorts=[(cohort, 1)],
        pathway=chain(("a", days_before), ("b", 2000)),
        contract={"rate_card": {"m": {"price": 1234.56}}, **contract},
    )
    return run(raw)


# ---------------------------------------------------------------- outcome payments


@pytest.mark.parametrize(
    "cohort, days, lag, period, terms, reached, paid",
    [
        # 31 Jan + 2 months = 31 Mar (a month end) → invoiced 31 Mar → +30 days = 30 Apr.
        ("2027-01-01", 30, {"months": 2}, "monthly", 30, "2027-01-31", "2027-04-30"),
        # 31 Jul + 2 months = 30 Sep (clamped) → invoiced 30 Sep → 30 Oct.
        ("2027-07-01", 30, {"months": 2}, "monthly", 30, "2027-07-31", "2027-10-30"),
        # 31 Dec 2027 + 2 months = 29 Feb 2028 (leap year, clamped) → 29 Feb → 30 Mar.
        ("2027-12-01", 30, {"months": 2}, "monthly", 30, "2027-12-31", "2028-03-30"),
        # 30 Nov 2027 + 3 months = 29 Feb 2028 (clamped) → 29 Feb → 30 Mar.
        ("2027-11-01", 29, {"months": 3}, "monthly", 30, "2027-11-30", "2028-03-30"),
        # 10 Mar + 45 days = 24 Apr → invoiced 30 Apr → 30 May.
        ("2027-03-01", 9, {"days": 45}, "monthly", 30, "2027-03-10", "2027-05-30"),
        # The same, quarterly: invoiced at the quarter end 30 Jun → 30 Jul.
        ("2027-03-01", 9, {"days": 45}, "quarterly", 30, "2027-03-10", "2027-07-30"),
        # 31 Jan + 2 months = 31 Mar, a quarter end: invoiced that day → 30 Apr.
        ("2027-01-01", 30, {"months": 2}, "quarterly", 30, "2027-01-31", "2027-04-30"),
        # 1 Feb + 2 months = 1 Apr → quarter end 30 Jun → +45 days = 14 Aug.
        ("2027-01-01", 31, {"months": 2}, "quarterly", 45, "2027-02-01", "2027-08-14"),
        # 31 Jan + 6 weeks = 14 Mar → 31 Mar → 30 Apr.
        ("2027-01-01", 30, {"weeks": 6}, "monthly", 30, "2027-01-31", "2027-04-30"),
        # Payment terms 0: paid on the invoice day itself.
        ("2027-01-01", 30, {"months": 2}, "monthly", 0, "2027-01-31", "2027-03-31"),
        # No verification lag: invoiced at the end of the month reached, 31 Jan + 30 = 2 Mar.
        ("2027-01-01", 30, {"days": 0}, "monthly", 30, "2027-01-31", "2027-03-02"),
        # Reached on the 1st, 1 month lag → 1 Mar → invoiced 31 Mar → 30 Apr.
        ("2027-01-01", 31, {"months": 1}, "monthly", 30, "2027-02-01", "2027-04-30"),
        # Reached on the window's last day; 90 days → 30 Mar 2028 → quarter end 31 Mar → +365 days.
        ("2027-12-01", 30, {"days": 90}, "quarterly", 365, "2027-12-31", "2029-03-31"),
    ],
)
def test_outcome_payment_date_and_amount(cohort, days, lag, period, terms, reached, paid):
    rep = _one_outcome(cohort, days, verification_lag=lag, invoice_period=period, payment_terms_days=terms)
    assert milestone_dates(rep, 0, "m") == [D(reached)]
    assert rows(rep) == [(D(paid), "commissioner", "provider", OUT, 123456, 0, 1)]
    # The accrual date of the payment is the day the outcome was reached.
    assert list(rep.ledger["accrued"]) == [D(reached)]


def test_outcomes_of_one_period_share_one_invoice_and_later_periods_get_new_numbers():
    # Participants 0,1 enrolled 1 Jan reach b on 31 Jan; participant 2 enrolled 1 Feb reaches it on 3 Mar.
    raw = scenario_dict(
        cohorts=[("2027-01-01", 2), ("2027-02-01", 1)],
        pathway=chain(("a", 30), ("b", 2000)),
        contract={"rate_card": {"m": {"price": 500}}, "verification_lag": {"months": 2}},
    )
    rep = run(raw)
    assert rows(rep) == [
        (D("2027-04-30"), "commissioner", "provider", OUT, 50000, 0, 1),
        (D("2027-04-30"), "commissioner", "provider", OUT, 50000, 1, 1),
        # 3 Mar + 2 months = 3 May → invoiced 31 May → paid 30 Jun, on invoice 2.
        (D("2027-06-30"), "commissioner", "provider", OUT, 50000, 2, 2),
    ]


def test_outcome_tail_counts_outcomes_after_service_end_but_not_after_the_window():
    # Service ends 2028-01-01; the tail of 3 months closes the window on 2028-04-01.
    # Enrolled 1 Dec 2027: b entered 2028-01-30 (in the tail, paid) and c after b for 70 days
    # = 2028-04-09 (after the window, not paid).
    raw = scenario_dict(
        cohorts=[("2027-12-01", 1)],
        pathway=chain(("a", 60), ("b", 70), ("c", 1000)),
        milestones={"in_b": {"state": "b"}, "in_c": {"state": "c"}},
        contract={
            "outcome_tail_months": 3,
            "rate_card": {"in_b": {"price": 100}, "in_c": {"price": 200}},
        },
    )
    rep = run(raw)
    assert milestone_dates(rep, 0) == [D("2028-01-30")]
    # 30 Jan 2028 + 2 months = 30 Mar → invoiced 31 Mar → paid 30 Apr.
    assert rows(rep) == [(D("2028-04-30"), "commissioner", "provider", OUT, 10000, 0, 1)]


# ---------------------------------------------------------------- fixed part


def _fixed(fixed: dict, period: str = "monthly", terms: int = 30, months: int = 3, **kw):
    raw = scenario_dict(
        pathway=kw.pop("pathway", chain(("a", 2000))),
        milestones={},
        contract={
            "service_months": months,
            "fixed": fixed,
            "rate_card": {},
            "invoice_period": period,
            "payment_terms_days": terms,
        },
        **kw,
    )
    return run(raw)


def test_fixed_monthly_lump_sum_invoiced_each_month_end_and_paid_after_terms():
    rep = _fixed({"monthly": 50000})
    assert rows(rep) == [
        (D("2027-03-02"), "commissioner", "provider", "fixed_monthly", 5000000, None, 1),  # 31 Jan + 30
        (D("2027-03-30"), "commissioner", "provider", "fixed_monthly", 5000000, None, 2),  # 28 Feb + 30
        (D("2027-04-30"), "commissioner", "provider", "fixed_monthly", 5000000, None, 3),  # 31 Mar + 30
    ]
    assert list(rep.ledger["accrued"]) == [D("2027-01-31"), D("2027-02-28"), D("2027-03-31")]


def test_fixed_monthly_lump_sum_quarterly_invoice():
    rep = _fixed({"monthly": 50000}, period="quarterly", terms=20)
    # One invoice at 31 March with the three months, paid 20 April.
    assert rows(rep) == [(D("2027-04-20"), "commissioner", "provider", "fixed_monthly", 5000000, None, 1)] * 3


def test_indexed_fees_rise_each_1_january_and_the_upfront_payment_does_not():
    """Catches an index applied by months since the start, or to the upfront payment."""
    raw = scenario_dict(
        pathway=chain(("a", 2000)),
        milestones={},
        contract={"service_months": 14, "fixed": {"monthly": 10_000, "upfront": 5_000}, "rate_card": {}, "indexation": 0.03},
    )
    got = [(r[0], r[3], r[4]) for r in rows(run(raw))]
    assert got[0] == (D("2027-01-31"), "upfront_payment", 500_000)
    fees = [(day, amount) for day, cat, amount in got if cat == "fixed_monthly"]
    assert fees[11] == (D("2028-01-30"), 1_000_000)  # December 2027: the first year's price
    assert fees[12] == (D("2028-03-01"), 1_030_000)  # January 2028: up 3 %


def test_fixed_monthly_pro_rata_when_the_contract_starts_mid_month():
    # Start 15 Jan, 12 months: Jan 2027 has 17 of 31 service days, Jan 2028 has 14 of 31.
    rep = _fixed({"monthly": 31000}, months=12, start="2027-01-15", cohorts=[("2027-01-15", 1)])
    got = rows(rep)
    assert got[0] == (D("2027-03-02"), "commissioner", "provider", "fixed_monthly", 1700000, None, 1)
    assert got[-1] == (D("2028-03-01"), "commissioner", "provider", "fixed_monthly", 1400000, None, 13)
    assert len(got) == 13
    assert sum(r[4] for r in got) == 12 * 3100000


def test_fixed_per_participant_month_pro_rata_by_days():
    # Enrolled 11 Jan, leaves (absorbing) after 58 days, on 10 March.
    # Jan: 21 of 31 days, Feb: 28 of 28, Mar: 9 of 31 (the exit day itself is not counted).
    rep = _fixed({"per_participant_month": 10000}, cohorts=[("2027-01-11", 1)], pathway=chain(("a", 58)))
    assert rows(rep) == [
        (D("2027-03-02"), "commissioner", "provider", "fixed_participant_months", 677419, None, 1),  # 6774.19 kr
        (D("2027-03-30"), "commissioner", "provider", "fixed_participant_months", 1000000, None, 2),
        (D("2027-04-30"), "commissioner", "provider", "fixed_participant_months", 290323, None, 3),  # 2903.23 kr
    ]
    assert list(rep.monthly["participant_days"][:3]) == [21.0, 28.0, 9.0]


def test_fixed_per_participant_month_sums_participant_days():
    # Two people: from 11 Jan (21 days in Jan) and from 21 Jan (11 days); both stay past the service.
    rep = _fixed(
        {"per_participant_month": 10000},
        cohorts=[("2027-01-11", 1), ("2027-01-21", 1)],
        months=2,
    )
    assert rows(rep) == [
        (D("2027-03-02"), "commissioner", "provider", "fixed_participant_months", 1032258, None, 1),  # 32/31
        (D("2027-03-30"), "commissioner", "provider", "fixed_participant_months", 2000000, None, 2),
    ]


def test_upfront_invoiced_on_day_zero_and_paid_after_terms():
    rep = _fixed({"upfront": 250000}, terms=30)
    assert rows(rep) == [(D("2027-01-31"), "commissioner", "provider", "upfront_payment", 25000000, None, 1)]
    assert list(rep.ledger["accrued"]) == [D("2027-01-01")]
    rep0 = _fixed({"upfront": 250000}, terms=0)
    assert rows(rep0) == [(D("2027-01-01"), "commissioner", "provider", "upfront_payment", 25000000, None, 1)]


def test_upfront_and_monthly_numbered_in_issue_order():
    rep = _fixed({"upfront": 1000, "monthly": 2000}, months=2)
    assert rows(rep) == [
        (D("2027-01-31"), "commissioner", "provider", "upfront_payment", 100000, None, 1),
        (D("2027-03-02"), "commissioner", "provider", "fixed_monthly", 200000, None, 2),
        (D("2027-03-30"), "commissioner", "provider", "fixed_monthly", 200000, None, 3),
    ]


# ---------------------------------------------------------------- provider costs


COSTS = {
    "opening_equity": 1_000_000,
    "costs": {
        "start_up": 100_000,
        "fixed_per_month": 20_000,
        "per_intake": 5_000,
        "per_participant_month": 2_800,
        "caseload": {"participants_per_caseworker": 2, "monthly_salary": 30_000, "minimum_caseworkers": 1},
    },
}


def _costs(provider=COSTS, months=3, cohorts=(("2027-01-01", 3), ("2027-01-20", 2)), start="2027-01-01", days=40):
    raw = scenario_dict(
        start=start,
        cohorts=cohorts,
        pathway=chain(("a", days)),
        milestones={},
        contract={"service_months": months, "rate_card": {}},
        provider=provider,
    )
    return run(raw)


def test_provider_costs_exact_rows():
    # 3 people active 1 Jan – 9 Feb (leave 10 Feb), 2 people 20 Jan – 28 Feb (leave 1 Mar).
    rep = _costs()
    P, E, S = "provider", "external", "state"
    assert rows(rep, "start_up") == [(D("2027-01-01"), P, E, "start_up", 10_000_000, None, None)]
    assert rows(rep, "overhead") == [(D(d), P, E, "overhead", 2_000_000, None, None) for d in ("2027-01-01", "2027-02-01", "2027-03-01")]
    assert rows(rep, "intake") == [
        (D("2027-01-01"), P, E, "intake", 500_000, 0, None),
        (D("2027-01-01"), P, E, "intake", 500_000, 1, None),
        (D("2027-01-01"), P, E, "intake", 500_000, 2, None),
        (D("2027-01-20"), P, E, "intake", 500_000, 3, None),
        (D("2027-01-20"), P, E, "intake", 500_000, 4, None),
    ]
    # Caseworkers on the 25th: Jan 5 active → ceil(5/2) = 3; Feb 2 active → 1; Mar 0 → minimum 1.
    assert rows(rep, "salaries") == [
        (D("2027-01-25"), P, E, "salaries", 9_000_000, None, None),
        (D("2027-02-25"), P, E, "salaries", 3_000_000, None, None),
        (D("2027-03-25"), P, E, "salaries", 3_000_000, None, None),
    ]
    # Employer's fees: 31.42 % of the month's salaries, to the state on the 12th of the next month.
    assert rows(rep, "employer_fees") == [
        (D("2027-02-12"), P, S, "employer_fees", 2_827_800, None, None),
        (D("2027-03-12"), P, S, "employer_fees", 942_600, None, None),
        (D("2027-04-12"), P, S, "employer_fees", 942_600, None, None),
    ]
    # Direct costs at month end, by participant-days: Jan 3·31 + 2·12 = 117 days → 2800·117/31;
    # Feb 3·9 + 2·28 = 83 days → 2800·83/28 = 8300; Mar: nobody, no row.
    assert rows(rep, "direct_costs") == [
        (D("2027-01-31"), P, E, "direct_costs", 1_056_774, None, None),
        (D("2027-02-28"), P, E, "direct_costs", 830_000, None, None),
    ]
    assert len(rep.ledger) == 1 + 3 + 5 + 3 + 3 + 2


def test_employer_fee_rate_as_given():
    provider = {
        "costs": {
            "caseload": {"participants_per_caseworker": 10, "monthly_salary": 41_234.5, "employer_fee_rate": 0.1, "minimum_caseworkers": 2}
        }
    }
    rep = _costs(provider=provider, months=1, cohorts=(("2027-01-01", 1),))
    assert rows(rep, ["salaries", "employer_fees"]) == [
        (D("2027-01-25"), "provider", "external", "salaries", 8_246_900, None, None),
        (D("2027-02-12"), "provider", "state", "employer_fees", 824_690, None, None),
    ]


def test_caseworkers_counted_at_ceiling_of_the_ratio():
    # 7 active, 3 per caseworker → ceil(7/3) = 3 caseworkers; minimum 0.
    provider = {"costs": {"caseload": {"participants_per_caseworker": 3, "monthly_salary": 1000}}}
    rep = _costs(provider=provider, months=1, cohorts=(("2027-01-01", 7),))
    assert rows(rep, "salaries") == [(D("2027-01-25"), "provider", "external", "salaries", 300_000, None, None)]
    # Exactly a multiple: 6 active, 3 per caseworker → 2.
    rep = _costs(provider=provider, months=1, cohorts=(("2027-01-01", 6),))
    assert rows(rep, "salaries") == [(D("2027-01-25"), "provider", "external", "salaries", 200_000, None, None)]


def test_indexation_applies_from_first_january_of_the_following_year():
    provider = {
        "costs": {
            "fixed_per_month": 20_000,
            "per_intake": 5_000,
            "caseload": {"participants_per_caseworker": 10, "monthly_salary": 30_000, "minimum_caseworkers": 1},
            "indexation": {"wages": 0.03, "prices": 0.02},
        }
    }
    rep = _costs(
        provider=provider,
        months=25,
        cohorts=(("2027-12-31", 1), ("2028-01-01", 1), ("2029-01-01", 1)),
        days=10,
    )
    sal = {r[0]: r[4] for r in rows(rep, "salaries")}
    fees = {r[0]: r[4] for r in rows(rep, "employer_fees")}
    over = {r[0]: r[4] for r in rows(rep, "overhead")}
    intake = {r[0]: r[4] for r in rows(rep, "intake")}
    assert sal[D("2027-12-25")] == 3_000_000
    assert sal[D("2028-01-25")] == 3_090_000  # +3 %
    assert sal[D("2029-01-25")] == 3_182_700  # +3 % twice
    assert fees[D("2028-01-12")] == 942_600  # December 2027 salaries, not indexed
    assert fees[D("2028-02-12")] == 970_878  # 30 900 × 31.42 %
    assert over[D("2027-12-01")] == 2_000_000
    assert over[D("2028-01-01")] == 2_040_000
    assert over[D("2029-01-01")] == 2_080_800
    assert intake == {D("2027-12-31"): 500_000, D("2028-01-01"): 510_000, D("2029-01-01"): 520_200}


def test_indexation_with_a_mid_year_start_still_steps_on_first_january():
    provider = {"costs": {"fixed_per_month": 10_000, "indexation": {"prices": 0.05}}}
    rep = _costs(provider=provider, months=12, start="2027-07-01", cohorts=(("2027-07-01", 1),))
    over = [(r[0], r[4]) for r in rows(rep, "overhead")]
    assert over[:6] == [(D(f"2027-{m:02d}-01"), 1_000_000) for m in range(7, 13)]
    assert over[6:] == [(D(f"2028-{m:02d}-01"), 1_050_000) for m in range(1, 7)]


# ---------------------------------------------------------------- milestone calendar rules


def _milestone_run(cohort, pathway, milestones, months=36, tail=0, **contract):
    raw = scenario_dict(
        cohorts=[(cohort, 1)],
        pathway=pathway,
        milestones=milestones,
        contract={
            "service_months": months,
            "outcome_tail_months": tail,
            "rate_card": {name: {"price": 100} for name in milestones},
            **contract,
        },
    )
    return run(raw)


@pytest.mark.parametrize(
    "cohort, entered, months, reached",
    [
        ("2027-08-01", "2027-08-31", 6, "2028-02-29"),  # leap year
        ("2028-08-01", "2028-08-31", 6, "2029-02-28"),
        ("2027-03-01", "2027-03-31", 1, "2027-04-30"),
        ("2027-01-01", "2027-01-31", 1, "2027-02-28"),
        ("2027-01-15", "2027-02-14", 12, "2028-02-14"),
    ],
)
def test_continuous_months_lands_on_the_anniversary_clamped_to_month_end(cohort, entered, months, reached):
    rep = _milestone_run(cohort, chain(("a", 30), ("b", 1000)), {"m": {"state": "b", "after": {"months": months}}})
    entered_b = rep.events[(rep.events["event"] == "entered") & (rep.events["state"] == "b")]["date"]
    assert list(entered_b) == [D(entered)]
    assert milestone_dates(rep, 0, "m") == [D(reached)]


def test_continuous_weeks_and_days():
    rep = _milestone_run(
        "2027-01-01",
        chain(("a", 30), ("b", 1000)),
        {"w13": {"state": "b", "after": {"weeks": 13}}, "d100": {"state": "b", "after": {"days": 100}}},
    )
    assert milestone_dates(rep, 0, "w13") == [D("2027-05-02")]  # 31 Jan + 91 days
    assert milestone_dates(rep, 0, "d100") == [D("2027-05-11")]  # 31 Jan + 100 days


def test_continuous_not_reached_if_the_stay_ends_first():
    # In b from 31 Jan for 180 days: leaves 30 Jul, one day before the 6-month anniversary (31 Jul).
    rep = _milestone_run("2027-01-01", chain(("a", 30), ("b", 180)), {"m": {"state": "b", "after": {"months": 6}}})
    assert milestone_dates(rep, 0, "m") == []
    assert rows(rep, OUT) == []
    # Two days longer: leaves 1 Aug, the day after the anniversary: reached on 31 Jul.
    rep = _milestone_run("2027-01-01", chain(("a", 30), ("b", 182)), {"m": {"state": "b", "after": {"months": 6}}})
    assert milestone_dates(rep, 0, "m") == [D("2027-07-31")]


def test_clock_restarts_when_the_participant_leaves_the_state():
    # housed (b) 31 Jan for 150 days → away (c) 30 Jun for 20 days → housed again (b2) 20 Jul.
    # The milestone counts b and b2 as one state; the first stay is too short, so 6 months are
    # counted from the new entry on 20 Jul: 20 Jan 2028.
    pathway = chain(("a", 30), ("b", 150), ("c", 20), ("b2", 1000))
    rep = _milestone_run("2027-01-01", pathway, {"m": {"state": ["b", "b2"], "after": {"months": 6}}})
    assert milestone_dates(rep, 0, "m") == [D("2028-01-20")]
    # Paid: 20 Jan 2028 + 2 months = 20 Mar → 31 Mar → 30 Apr 2028.
    assert rows(rep, OUT) == [(D("2028-04-30"), "commissioner", "provider", OUT, 10000, 0, 1)]


def test_consecutive_states_of_one_milestone_count_as_one_stay():
    # b (31 Jan, 100 days) → b2 directly: the stay in {b, b2} is unbroken, 6 months from 31 Jan.
    pathway = chain(("a", 30), ("b", 100), ("b2", 1000))
    rep = _milestone_run("2027-01-01", pathway, {"m": {"state": ["b", "b2"], "after": {"months": 6}}})
    assert milestone_dates(rep, 0, "m") == [D("2027-07-31")]


def _cycle():
    # a (30 days) → b (100 days) → c (20 days) → b (100 days) → ... : b entered 31 Jan, 30 May, 28 Sep, ...
    return {
        "start": "a",
        "states": {
            "a": {"transitions": {"b": {"fixed": 30}}},
            "b": {"transitions": {"c": {"fixed": 100}}},
            "c": {"transitions": {"b": {"fixed": 20}}},
        },
    }


def test_entered_milestone_reached_once_unless_repeatable():
    rep = _milestone_run("2027-01-01", _cycle(), {"once": {"state": "b"}, "every": {"state": "b", "repeatable": True}}, months=12)
    assert milestone_dates(rep, 0, "once") == [D("2027-01-31")]
    # Entries on day 30, 150, 270 (and 390 is after the 12-month window).
    assert milestone_dates(rep, 0, "every") == [D("2027-01-31"), D("2027-05-31"), D("2027-09-28")]
    assert sorted(r[4] for r in rows(rep, OUT)) == [10000] * 4


def test_repeatable_continuous_milestone_restarts_each_stay():
    rep = _milestone_run("2027-01-01", _cycle(), {"m": {"state": "b", "after": {"days": 90}, "repeatable": True}}, months=12)
    assert milestone_dates(rep, 0, "m") == [D("2027-05-01"), D("2027-08-29"), D("2027-12-27")]


@pytest.mark.parametrize(
    "cohort, before, stay, expected",
    [
        # In b from 31 Jan to 15 May: full months end 28 Feb, 31 Mar, 30 Apr (anniversaries of the 31st).
        ("2027-01-01", 30, 104, ["2027-02-28", "2027-03-31", "2027-04-30"]),
        # In b from 15 Jan to 20 Apr: 15 Feb, 15 Mar, 15 Apr.
        ("2027-01-01", 14, 95, ["2027-02-15", "2027-03-15", "2027-04-15"]),
        # In b from 1 Feb for 27 days: leaves before the first full month.
        ("2027-01-01", 31, 27, []),
    ],
)
def test_each_full_month(cohort, before, stay, expected):
    rep = _milestone_run(cohort, chain(("a", before), ("b", stay)), {"m": {"state": "b", "each_full_month": True}})
    assert milestone_dates(rep, 0, "m") == [D(e) for e in expected]
    # Each full month pays its price, verified 2 months later, invoiced at month end, paid +30 days.
    paid = sorted(r[0] for r in rows(rep, OUT))
    assert paid == [expected_payment_date(D(e), {"months": 2}, "monthly", 30) for e in expected]


def test_each_full_month_stops_at_the_window_end():
    # Service 6 months from 1 Jan (window ends 1 Jul); in b from 31 Jan for ever: Feb 28 .. Jun 30.
    rep = _milestone_run("2027-01-01", chain(("a", 30), ("b", 5000)), {"m": {"state": "b", "each_full_month": True}}, months=6)
    assert milestone_dates(rep, 0, "m") == [D(x) for x in ("2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30")]


def test_overhead_for_a_mid_month_start_totals_the_service_months():
    # A 12-month contract has 12 months of overhead, whatever day it starts. Starting on
    # 15 Jan 2027 the service runs to 14 Jan 2028: 12 months, so 12 × 20 000 kr (paid as 12
    # payments on the 1st, or pro rata by service days like the fixed monthly payment).
    provider = {"costs": {"fixed_per_month": 20_000}}
    rep = _costs(provider=provider, months=12, start="2027-01-15", cohorts=(("2027-01-15", 1),))
    over = rows(rep, "overhead")
    assert sum(r[4] for r in over) == 12 * 2_000_000, [(r[0], r[4]) for r in over]


def test_month_low_shows_the_dip_between_salaries_and_income():
    # Opening cash 100 000; salaries 50 000 on 25 Jan; the fixed monthly 60 000 is invoiced on
    # 31 Jan and paid the same day (terms 0). January ends at 110 000 but was down to 50 000.
    raw = scenario_dict(
        pathway=chain(("a", 2000)),
        milestones={},
        contract={"service_months": 2, "fixed": {"monthly": 60_000}, "rate_card": {}, "payment_terms_days": 0},
        provider={
            "opening_equity": 100_000,
            "costs": {"caseload": {"participants_per_caseworker": 10, "monthly_salary": 50_000, "employer_fee_rate": 0.0}},
        },
    )
    rep = run(raw)
    jan, feb = rep.monthly.iloc[0], rep.monthly.iloc[1]
    assert jan["month"] == D("2027-01-01") and feb["month"] == D("2027-02-01")
    assert (jan["provider_cash_end"], jan["provider_cash_low"]) == (110_000, 50_000)
    # February opens at 110 000, dips to 60 000 on the 25th, ends at 120 000.
    assert (feb["provider_cash_end"], feb["provider_cash_low"]) == (120_000, 60_000)
    assert rep.metrics["provider_min_cash"] == 50_000
    assert rep.metrics["provider_min_cash_date"] == D("2027-01-25")
