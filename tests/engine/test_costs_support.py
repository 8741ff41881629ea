"""Support for as long as it runs (``contract.support``): the provider supports those it
enrolled until they leave the pathway or support ends, not only during the service period.

Deterministic scenarios (fixed cohorts, fixed durations, no indexation): every expected amount
below is worked out by hand from the scenario's numbers with plain ``datetime`` arithmetic,
never copied from a run.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from helpers_deterministic import ROOT, D, chain, rows, run, scenario_dict
from validation.deterministic import ore  # kronor to öre, half up (as sib rounds)

import sib
from sib.scenario.errors import ScenarioError
from sib.scenario.loader import build

SALARY, FEE_RATE, DIRECT, RENT, OVERHEAD, PPM = 30_000, 0.25, 2_000, 5_000, 10_000, 12_400

# One participant enrolled on 1 Jan 2027, housed (b) from 31 Jan 2027 (day 30), leaves on
# 14 Jun 2028 (day 530). Service period 2027, outcome tail 2028: the stay runs on after the
# service period ends and ends inside the tail.
START, SERVICE_END, WINDOW_END = D("2027-01-01"), D("2028-01-01"), D("2029-01-01")
HOUSED, LEFT = D("2027-01-31"), D("2028-06-14")


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """(year, month) from ``first``'s month through ``last``'s."""
    out, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _days_between(year: int, month: int, start: dt.date, stop: dt.date) -> int:
    """Days of [start, stop) in the month."""
    lo, hi = dt.date(year, month, 1), dt.date(year, month, _days_in(year, month)) + dt.timedelta(days=1)
    return max((min(hi, stop) - max(lo, start)).days, 0)


def housing(
    support: dict | None = None, leave_after: int = 500, fixed: dict | None = None, cohorts=(("2027-01-01", 1),), minimum: int = 0
) -> sib.Scenario:
    contract = {"service_months": 12, "outcome_tail_months": 12, "rate_card": {"m": {"price": 1000}}, "fixed": fixed or {}}
    if support is not None:
        contract["support"] = support
    raw = scenario_dict(
        cohorts=list(cohorts),
        pathway=chain(("a", 30), ("b", leave_after)),
        milestones={"m": {"state": "b", "after": {"months": 12}}},
        contract=contract,
        provider={
            "costs": {
                "fixed_per_month": OVERHEAD,
                "per_participant_month": DIRECT,
                "caseload": {
                    "participants_per_caseworker": 1,
                    "monthly_salary": SALARY,
                    "employer_fee_rate": FEE_RATE,
                    "minimum_caseworkers": minimum,
                },
            },
            "leases": {"states": ["b"], "monthly_rent": RENT},
        },
    )
    return build(raw)


def amounts(rep: sib.Replication, category: str) -> list[tuple[dt.date, int]]:
    return [(r[0], r[4]) for r in rows(rep, category)]


FOLLOW_UP_ONLY = {"ends": "service_end", "follow_up_after_support": True}


# ---------------------------------------------------------------- costs in the tail


def test_a_participant_housed_in_the_tail_costs_staff_rent_and_direct_costs_until_they_leave():
    rep = run(housing())
    enrolled_months = _months(START, LEFT)  # Jan 2027 .. Jun 2028
    # Salaries: one caseworker on each 25th while the participant is in support (the 25th of
    # June 2028 comes after they left on the 14th: nobody, so nothing).
    paydays = [dt.date(y, m, 25) for y, m in enrolled_months if dt.date(y, m, 25) < LEFT]
    assert amounts(rep, "salaries") == [(d, ore(SALARY)) for d in paydays]
    # Direct costs at each month end, pro rata for the days in support (13 days of June).
    direct = [(dt.date(y, m, _days_in(y, m)), ore(DIRECT * _days_between(y, m, START, LEFT) / _days_in(y, m))) for y, m in enrolled_months]
    assert amounts(rep, "direct_costs") == direct
    # Rent on the 1st of each month for the days the apartment is held: from 31 Jan 2027 to
    # the day they leave (no vacancy).
    rent = [(dt.date(y, m, 1), ore(RENT * _days_between(y, m, HOUSED, LEFT) / _days_in(y, m))) for y, m in enrolled_months]
    assert amounts(rep, "rent") == rent
    # Overhead: every month of service; in the tail, each month somebody is in support on the 1st.
    overhead = [(dt.date(y, m, 1), ore(OVERHEAD)) for y, m in enrolled_months]
    assert amounts(rep, "overhead") == overhead


def test_costs_stop_the_day_a_participant_exits():
    rep = run(housing())
    last_cost = max(d for cat in ("salaries", "direct_costs", "rent", "overhead") for d, _ in amounts(rep, cat))
    assert last_cost == dt.date(2028, 6, 30)  # June's direct costs for 1–13 June, at the month end
    assert not [r for r in rows(rep) if r[1] == "provider" and r[0] > dt.date(2028, 7, 12)]  # June's fees are the last


def test_with_support_ending_at_the_service_end_the_tail_costs_nothing():
    rep = run(housing(FOLLOW_UP_ONLY))
    for category in ("salaries", "direct_costs", "rent", "overhead"):
        assert amounts(rep, category), category
        assert all(d < SERVICE_END for d, _ in amounts(rep, category)), category
    fees = amounts(rep, "employer_fees")
    assert fees[-1][0] == D("2028-01-12")  # December's salary
    # Follow-up only: the tenancy's 12 months are reached in the tail (31 Jan 2028) all the same.
    assert list(rep.events.loc[rep.events["event"] == "milestone", "date"]) == [D("2028-01-31")]


def test_overhead_and_minimum_staff_run_in_the_tail_only_while_somebody_is_in_support():
    rep = run(housing(minimum=2))
    # Service period: two caseworkers whatever the caseload; tail: two while the participant
    # is in support on the 25th, none after they left.
    paydays = [dt.date(y, m, 25) for y, m in _months(START, WINDOW_END - dt.timedelta(days=1))]
    expected = [(d, ore(2 * SALARY)) for d in paydays if d < SERVICE_END or d < LEFT]
    assert amounts(rep, "salaries") == expected
    assert amounts(rep, "employer_fees")[0] == (D("2027-02-12"), ore(2 * SALARY * FEE_RATE))


def test_support_n_months_after_the_service_period():
    rep = run(housing({"ends": "service_end", "months_after_service": 3, "follow_up_after_support": True}))
    support_end = D("2028-04-01")
    assert [d for d, _ in amounts(rep, "salaries")][-1] == D("2028-03-25")
    assert [d for d, _ in amounts(rep, "rent")][-1] == D("2028-03-01")
    assert amounts(rep, "direct_costs")[-1] == (D("2028-03-31"), ore(DIRECT))
    assert rep._model.participants.support_end == (support_end - START).days


# ---------------------------------------------------------------- the per participant-month fee


def _fee(start: dt.date, stop: dt.date) -> list[tuple[dt.date, int]]:
    """The fee's rows: accrued per month by days in [start, stop), invoiced at the month end,
    paid 30 days later (monthly invoices, payment terms 30 days)."""
    out = []
    for y, m in _months(start, stop - dt.timedelta(days=1)):
        days = _days_between(y, m, start, stop)
        out.append((dt.date(y, m, _days_in(y, m)) + dt.timedelta(days=30), ore(PPM * days / _days_in(y, m))))
    return out


def test_the_fee_runs_with_support_by_default():
    rep = run(housing(fixed={"per_participant_month": PPM}))
    assert amounts(rep, "fixed_participant_months") == _fee(START, LEFT)


def test_the_fee_stops_with_the_service_period_when_switched_off():
    rep = run(housing({"fee_runs_with_support": False}, fixed={"per_participant_month": PPM}))
    assert amounts(rep, "fixed_participant_months") == _fee(START, SERVICE_END)
    assert amounts(rep, "salaries")[-1][0] == D("2028-05-25")  # support itself runs on


def test_the_monthly_lump_sum_stays_a_payment_of_the_service_period():
    rep = run(housing(fixed={"monthly": 1000}))
    paid = amounts(rep, "fixed_monthly")
    assert len(paid) == 12 and paid[-1] == (D("2027-12-31") + dt.timedelta(days=30), ore(1000))


def test_the_maximum_contract_value_counts_the_fee_for_every_month_it_runs():
    """A bound the commissioner budgets on: the fee for the 24 months of support, not 12."""
    with_support = sib.price(housing(fixed={"per_participant_month": PPM})).max_contract_value
    service_only = sib.price(housing({"fee_runs_with_support": False}, fixed={"per_participant_month": PPM})).max_contract_value
    assert with_support - service_only == pytest.approx(12 * PPM + 0.12, abs=0.005)  # 12 more months, an öre's rounding each


# ---------------------------------------------------------------- the scenario must say what happens


def _problems(contract_support: dict, tail: int = 12) -> str:
    raw = scenario_dict(contract={"service_months": 12, "outcome_tail_months": tail, "support": contract_support})
    with pytest.raises(ScenarioError) as err:
        build(raw)
    return str(err.value)


def test_support_ending_before_the_outcome_window_must_be_declared():
    text = _problems({"ends": "service_end"})
    assert "contract.support.follow_up_after_support:" in text
    assert "follow_up_end, service_end" in text  # the allowed values of support.ends
    assert "12 month(s) before" in text
    text = _problems({"ends": "service_end", "months_after_service": 5})
    assert "contract.support.follow_up_after_support:" in text and "7 month(s) before" in text


def test_support_fields_that_contradict_each_other_are_refused():
    assert "contract.support.months_after_service: must be <= 12" in _problems(
        {"ends": "service_end", "months_after_service": 13, "follow_up_after_support": True}
    )
    assert "contract.support.months_after_service: only with ends: service_end" in _problems({"months_after_service": 3})
    assert "contract.support.ends: must be one of 'follow_up_end' or 'service_end'" in _problems({"ends": "later"})


def test_support_to_the_service_end_needs_no_declaration_without_a_tail():
    raw = scenario_dict(contract={"service_months": 12, "outcome_tail_months": 0, "support": {"ends": "service_end"}})
    assert build(raw).contract.support_months == 12


def test_the_reference_scenarios_are_valid_with_the_defaults():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        sc = sib.load_scenario(path)
        assert sc.contract.support.ends == "follow_up_end" and sc.contract.support.fee_runs_with_support


# ---------------------------------------------------------------- employment ends with the wage


def employment(support: dict | None = None, days_to_job: int = 30) -> sib.Scenario:
    """An ASF: training, then employed by the provider (wage 20 000 a month) from 31 Jan 2027
    for 1 000 days. Service period Jan–Apr 2027, outcome tail of 12 months."""
    contract = {"service_months": 4, "outcome_tail_months": 12, "rate_card": {"job_start": {"price": 1000}, "employed_6m": {"price": 1000}}}
    if support is not None:
        contract["support"] = support
    raw = scenario_dict(
        pathway=chain(("training", days_to_job), ("employed", 1000)),
        milestones={"job_start": {"state": "employed"}, "employed_6m": {"state": "employed", "after": {"months": 6}}},
        contract=contract,
        provider={"employment": {"states": ["employed"], "monthly_wage": 20_000, "employer_fee_rate": 0.25}},
    )
    return build(raw)


def _reached(rep: sib.Replication) -> dict[str, dt.date]:
    ev = rep.events
    ev = ev[ev["event"] == "milestone"]
    return dict(zip(ev["milestone"], ev["date"]))


def test_an_employee_counts_as_employed_for_6_months_while_the_wage_is_paid():
    rep = run(employment())
    assert _reached(rep) == {"job_start": D("2027-01-31"), "employed_6m": D("2027-07-31")}
    # Wages to the window's end (1 May 2028): January pro rata (31 Jan), then every month.
    wages = amounts(rep, "participant_wages")
    assert wages[0] == (D("2027-01-25"), ore(20_000 / 31)) and wages[-1] == (D("2028-04-25"), ore(20_000))
    assert len(wages) == 16


def test_the_6_month_milestone_is_not_reached_when_the_wage_ended_before():
    rep = run(employment(FOLLOW_UP_ONLY))
    assert _reached(rep) == {"job_start": D("2027-01-31")}  # 31 Jul comes after the job ended on 1 May
    wages = amounts(rep, "participant_wages")
    assert wages[-1] == (D("2027-04-25"), ore(20_000)) and len(wages) == 4
    ev = rep.events
    assert list(ev.loc[ev["event"] == "support_ended", ["date", "state"]].itertuples(index=False, name=None)) == [
        (D("2027-05-01"), "employed")
    ]
    assert list(ev.loc[ev["event"] == "path_cut", ["date", "state"]].itertuples(index=False, name=None)) == [(D("2027-05-01"), "employed")]


def test_support_three_months_after_the_service_keeps_the_job_to_then():
    """Support (the wage) to 1 Aug 2027: 31 Jan + 6 months = 31 Jul comes before it."""
    rep = run(employment({"ends": "service_end", "months_after_service": 3, "follow_up_after_support": True}))
    assert _reached(rep) == {"job_start": D("2027-01-31"), "employed_6m": D("2027-07-31")}
    assert amounts(rep, "participant_wages")[-1] == (D("2027-07-25"), ore(20_000))


def test_nobody_is_hired_after_support_ended():
    """Training until 20 Jul 2027, when support (and any wage) had ended on 1 May: no job."""
    rep = run(employment(FOLLOW_UP_ONLY, days_to_job=200))
    assert _reached(rep) == {}
    assert not amounts(rep, "participant_wages")
    ev = rep.events
    assert list(ev.loc[ev["event"] == "support_ended", "state"]) == ["training"]
    assert list(ev.loc[ev["event"] == "path_cut", ["date", "state"]].itertuples(index=False, name=None)) == [(D("2027-07-20"), "employed")]
    assert "employed" not in set(ev.loc[ev["event"] == "entered", "state"])


def test_support_ended_events_name_everyone_still_in_support():
    """Three people: one leaves before support ends, two are still housed when it ends."""
    sc = housing(FOLLOW_UP_ONLY, leave_after=200, cohorts=(("2027-01-01", 1), ("2027-09-01", 2)))
    ev = run(sc).events
    ended = ev[ev["event"] == "support_ended"]
    assert sorted(ended["participant"]) == [1, 2]
    assert set(ended["date"]) == {SERVICE_END} and set(ended["state"]) == {"b"}
    assert not (ev["event"] == "path_cut").any()  # no employment: nobody's path is cut


def test_no_support_ended_event_when_support_lasts_the_whole_window():
    ev = run(housing()).events
    assert not ev["event"].isin(["support_ended", "path_cut"]).any()


# ---------------------------------------------------------------- a stop ends support


def test_an_insolvency_stop_ends_support_at_the_stop():
    """130 000 kr of cash and 30 000 kr of overhead a month, nothing coming in: January to
    April are paid, and in the tail (support runs on) the provider runs out of cash and the
    service stops. Support by this provider ends then, before its own end."""
    raw = scenario_dict(
        pathway={"start": "a", "states": {"a": {"transitions": {"x": {"fixed": 3, "unit": "years"}}}, "x": {}}},
        milestones={},
        contract={"rate_card": {}, "service_months": 3, "outcome_tail_months": 12},
        provider={"opening_equity": 130_000, "costs": {"fixed_per_month": 30_000}},
    )
    raw["insolvency"] = {"rule": "stop"}
    rep = run(raw)
    stop = rep.metrics["service_stopped_date"]
    assert stop is not None and stop >= D("2027-05-01")
    overhead = [d for d, _ in amounts(rep, "overhead")]
    assert overhead[:4] == [D(f"2027-0{m}-01") for m in range(1, 5)]  # the tail's April too
    assert all(d <= stop for d in overhead)  # none after the stop: this provider's support ended
    assert not (rep.events["event"] == "support_ended").any()
