"""Wages, the wage subsidy and leases (``sib/engine/employment.py``), on paths given by hand.

A user relies on it for an ASF's payroll (wages on the 25th pro rata for the days employed,
the employer's fees on the 12th after, sales at month end), the wage subsidy (a share of the
wage cost up to a ceiling, for months counted from the first day employed, paid after a lag),
rent for the apartments leased until support ends, and for where a job nobody pays for cuts
a participant's path.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers_deterministic import D, scenario_dict

from sib.engine import compiled as compiled_module
from sib.engine.compiled import compile_scenario
from sib.engine.employment import days_per_month, employment_flows, lease_flows, unpaid_jobs
from sib.engine.ledger import CATEGORY, PARTIES, Flows
from sib.scenario.loader import build

NAME = {code: name for name, code in CATEGORY.items()}
#: 2027: 11 Jan is day 10, 1 Mar day 59, 11 Mar day 69, 17 Mar day 75.
EMPLOYED_FROM, SUPPORT_END = 10, 75


def _compiled(provider):
    pathway = {"start": "a", "states": {"a": {"transitions": {"employed": {"fixed": 10}}}, "employed": {}, "housed": {}}}
    raw = scenario_dict(pathway=pathway, milestones={}, contract={"rate_card": {}}, provider=provider)
    return compile_scenario(build(raw))


def _segments(k, segments):
    names = k.pathway.names
    return (
        np.array([s[0] for s in segments], dtype=np.int64),
        np.array([names.index(s[1]) for s in segments], dtype=np.int64),
        np.array([s[2] for s in segments], dtype=float),
        np.array([s[3] for s in segments], dtype=float),
    )


def _rows(k, flows):
    """(date, payer, payee, category, öre, accrual date), in the order money moves."""
    r = flows.ordered()
    return [
        (
            k.clock.date(int(r.day[i])),
            PARTIES[r.payer[i]],
            PARTIES[r.payee[i]],
            NAME[int(r.category[i])],
            int(r.amount[i]),
            k.clock.date(int(r.accrued[i])),
        )
        for i in range(len(r))
    ]


@pytest.fixture(scope="module")
def asf():
    """31 000 kr a month, 3 100 kr of sales a month; lönebidrag of 50 % on wages up to 20 000
    kr for 2 months from the first day employed, paid 30 days after the month."""
    job = {
        "states": ["employed"],
        "monthly_wage": 31_000,
        "revenue_per_month": 3_100,
        "subsidy": {"share": 0.5, "ceiling": 20_000, "months": 2, "lag_days": 30},
    }
    return _compiled({"opening_equity": 0, "employment": job})


def test_wages_fees_and_sales_run_pro_rata_from_the_first_day_employed_to_the_end_of_support(asf):
    """Employed from 11 Jan (21 of January's 31 days) until support ends on 17 Mar (16 of
    March's days): wages 21 000, 31 000, 16 000 kr on the 25th; fees 31.42 % of each on the
    12th of the next month (6 598.20, 9 740.20, 5 027.20 kr), accrued to the salary; sales
    2 100, 3 100, 1 600 kr at each month's end."""
    flows = Flows()
    employment_flows(asf, flows, *_segments(asf, [(0, "a", 0, EMPLOYED_FROM), (0, "employed", EMPLOYED_FROM, math.inf)]), SUPPORT_END)
    got = [r for r in _rows(asf, flows) if r[3] != "wage_subsidy"]
    assert got == [
        (D("2027-01-25"), "provider", "external", "participant_wages", 2_100_000, D("2027-01-25")),
        (D("2027-01-31"), "external", "provider", "sales", 210_000, D("2027-01-31")),
        (D("2027-02-12"), "provider", "state", "employer_fees", 659_820, D("2027-01-25")),
        (D("2027-02-25"), "provider", "external", "participant_wages", 3_100_000, D("2027-02-25")),
        (D("2027-02-28"), "external", "provider", "sales", 310_000, D("2027-02-28")),
        (D("2027-03-12"), "provider", "state", "employer_fees", 974_020, D("2027-02-25")),
        (D("2027-03-25"), "provider", "external", "participant_wages", 1_600_000, D("2027-03-25")),
        (D("2027-03-31"), "external", "provider", "sales", 160_000, D("2027-03-31")),
        (D("2027-04-12"), "provider", "state", "employer_fees", 502_720, D("2027-03-25")),
    ]


def test_the_subsidy_covers_the_wage_cost_up_to_the_ceiling_for_months_from_the_first_day(asf):
    """Half of 20 000 × 1.3142 = 13 142 kr a full month, from 11 Jan to 11 Mar: January's 21
    days (8 902.65 kr), all February, March's 10 days (4 239.35 kr), each 30 days after the
    month's end. After a stop the estate still receives it (``subsidy_only``), without wages."""
    segments = _segments(asf, [(0, "a", 0, EMPLOYED_FROM), (0, "employed", EMPLOYED_FROM, math.inf)])
    expected = [
        (D("2027-03-02"), "state", "provider", "wage_subsidy", 890_265, D("2027-01-31")),
        (D("2027-03-30"), "state", "provider", "wage_subsidy", 1_314_200, D("2027-02-28")),
        (D("2027-04-30"), "state", "provider", "wage_subsidy", 423_935, D("2027-03-31")),
    ]
    flows = Flows()
    employment_flows(asf, flows, *segments, SUPPORT_END)
    assert [r for r in _rows(asf, flows) if r[3] == "wage_subsidy"] == expected
    only = Flows()
    employment_flows(asf, only, *segments, SUPPORT_END, subsidy_only=True)
    assert _rows(asf, only) == expected


def test_the_subsidy_s_months_run_from_the_first_day_employed_across_a_break(asf):
    """Employed 11–20 Jan and again from 1 Feb: the two months end on 11 Mar all the same, and
    the break is not paid (January's 10 days: 13 142 × 10 / 31 = 4 239.35 kr)."""
    segments = _segments(asf, [(0, "employed", 10, 20), (0, "a", 20, 31), (0, "employed", 31, math.inf)])
    flows = Flows()
    employment_flows(asf, flows, *segments, 200)
    subsidy = [r[4] for r in _rows(asf, flows) if r[3] == "wage_subsidy"]
    assert subsidy == [423_935, 1_314_200, 423_935]


def test_the_municipality_holding_the_leases_pays_rent_until_support_ends_empty_days_and_all():
    """Housed 1 Jan – 14 Feb (45 days), then 30 days empty, but support ends on 2 Mar (day 60):
    rent for January, February and 1 March's day (6 200 × 1/31 = 200 kr); the tenant's rent
    less 10 % arrears for 31 and 14 days, on the 1st before the landlord's."""
    k = _compiled(
        {"leases": {"holder": "municipality", "states": ["housed"], "monthly_rent": 6_200, "arrears_share": 0.1, "vacant_days": 30}}
    )
    flows = Flows()
    lease_flows(k, flows, *_segments(k, [(0, "housed", 0, 45), (0, "a", 45, math.inf)]), 60)
    assert [r[:5] for r in _rows(k, flows)] == [
        (D("2027-01-01"), "external", "commissioner", "tenant_rent", 558_000),
        (D("2027-01-01"), "commissioner", "external", "rent", 620_000),
        (D("2027-02-01"), "external", "commissioner", "tenant_rent", 279_000),
        (D("2027-02-01"), "commissioner", "external", "rent", 620_000),
        (D("2027-03-01"), "commissioner", "external", "rent", 20_000),
    ]


def test_a_job_after_support_has_ended_cuts_the_path_where_nobody_pays_the_wage(asf):
    """Support ends on day 50. Referral 0 is employed 10–100: cut at 50; referral 1 starts a
    job on day 70: cut at 70; referral 2's job ended on day 40: not cut; referral 3 was never
    employed (nor enrolled: no segments) and is not cut either."""
    segments = [
        (0, "a", 0, 10),
        (0, "employed", 10, 100),
        (0, "housed", 100, math.inf),
        (1, "a", 0, 70),
        (1, "employed", 70, math.inf),
        (2, "employed", 10, 40),
        (2, "housed", 40, math.inf),
    ]
    cut = unpaid_jobs(asf, *_segments(asf, segments), 50.0, 4)
    assert cut.tolist() == [50.0, 70.0, math.inf, math.inf]


def test_days_per_month_is_the_compiled_tables_sum_to_the_last_bit():
    """The compiled loop replaces numpy's (intervals × months) sum on the engine's arrays and
    promises the same bits: on fractional days, open intervals and months before the start."""
    rng = np.random.default_rng(7)
    start = rng.uniform(-40, 700, 300)
    stop = np.where(rng.uniform(size=300) < 0.2, np.inf, start + rng.exponential(90, 300))
    k = compile_scenario(build(scenario_dict(start="2027-01-15", cohorts=[("2027-01-15", 1)])))
    lo, hi = k.month_start[:-1], k.month_start[1:]
    ours, numpys = days_per_month(start, stop, lo, hi), compiled_module.days_per_month(start, stop, lo, hi)
    assert ours.tobytes() == numpys.tobytes()
    assert days_per_month(np.array([10.0]), np.array([40.0]), lo[:3], hi[:3]).tolist() == [7.0, 23.0, 0.0]
