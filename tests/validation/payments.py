"""Payment timing, tiers and caps on deterministic scenarios, exact to the öre and the day.

Each case states the rule it checks (docs/how-it-works.md §4) and works the expected rows out
with independent calendar arithmetic: reached → verified after the lag → invoiced at the end of
the invoice period → paid after the payment terms. The provider's support in the outcome tail
(§5) is checked the same way: what a tenant still housed after the service period costs, and
what the fee pays for it.
"""

from __future__ import annotations

import calendar
import datetime as dt

from validation.deterministic import (
    add_months,
    chain,
    ledger_rows,
    month_end,
    ore,
    quarter_end,
    run,
    scenario,
    show,
)
from validation.report import Check

GROUP = "payments"
OUT = ("outcome_payment", "cohort_outcome_payment")


def _exact(name: str, compared: str, expected: list, got: list, detects: str) -> Check:
    return Check(GROUP, name, compared, show(expected), show(got), detects, passed=expected == got, seed="0")


def timing() -> list[Check]:
    out = []
    start = dt.date(2027, 1, 1)
    cases = [
        # days in a, lag, invoice period, payment terms
        (30, {"months": 2}, "monthly", 30),
        (9, {"days": 45}, "quarterly", 30),
        (334, {"months": 3}, "monthly", 14),  # reached 1 Dec → 1 Mar 2028 → 31 Mar → 14 Apr
        (30, {"weeks": 6}, "quarterly", 45),
    ]
    for days, lag, period, terms in cases:
        sc = scenario(
            pathway=chain(("a", days), ("b", 2000)),
            contract={
                "service_months": 24,
                "rate_card": {"m": {"price": 1234.56}},
                "verification_lag": lag,
                "invoice_period": period,
                "payment_terms_days": terms,
            },
        )
        reached = start + dt.timedelta(days=days)
        unit, n = next(iter(lag.items()))
        verified = add_months(reached, n) if unit == "months" else reached + dt.timedelta(days=n * (7 if unit == "weeks" else 1))
        invoiced = month_end(verified) if period == "monthly" else quarter_end(verified)
        expected = [(invoiced + dt.timedelta(days=terms), ore(1234.56))]
        out.append(
            _exact(
                f"outcome reached {reached}, lag {n} {unit}, {period} invoice, {terms} days' terms",
                "reached + lag → period end → + terms (hand)",
                expected,
                ledger_rows(run(sc), OUT),
                "the lag counted from the invoice, months as 30 days, the wrong period end",
            )
        )
    # A continuous-stay milestone on calendar months: entered 31 Jan, one month → 28 Feb.
    sc = scenario(
        pathway=chain(("a", 30), ("b", 2000)),
        milestones={"m": {"state": "b", "after": {"months": 1}}},
        contract={"rate_card": {"m": {"price": 500}}, "verification_lag": {"days": 0}},
    )
    reached = add_months(dt.date(2027, 1, 31), 1)
    out.append(
        _exact(
            "in b for 1 calendar month from 31 Jan (clamped to 28 Feb)",
            "anniversary date, clamped (hand)",
            [(month_end(reached) + dt.timedelta(days=30), ore(500))],
            ledger_rows(run(sc), OUT),
            "a month of 30.4375 days for a calendar span, no clamping to the month end",
        )
    )
    return out


def indexation() -> list[Check]:
    """Prices indexed 3 % each 1 January: an outcome reached on 10 March 2028 is paid at the
    2028 price, 1 234.56 × 1.03; one reached in December 2027, billed in 2028, at the 2027 price."""
    sc = scenario(
        pathway=chain(("a", 434), ("b", 2000)),
        contract={"service_months": 24, "rate_card": {"m": {"price": 1234.56}}, "verification_lag": {"days": 0}, "indexation": 0.03},
    )
    late = scenario(
        pathway=chain(("a", 340), ("b", 2000)),
        contract={"service_months": 24, "rate_card": {"m": {"price": 1234.56}}, "verification_lag": {"months": 1}, "indexation": 0.03},
    )
    return [
        _exact(
            "an outcome reached in the contract's second year, prices indexed 3 %",
            "price × 1.03 (hand)",
            [(dt.date(2028, 3, 31) + dt.timedelta(days=30), ore(1234.56 * 1.03))],
            ledger_rows(run(sc), OUT),
            "prices not indexed, or indexed by the contract's months instead of each 1 January",
        ),
        _exact(
            "reached 7 Dec 2027, verified and billed in 2028: the 2027 price",
            "the year it was reached (hand)",
            [(dt.date(2028, 1, 31) + dt.timedelta(days=30), ore(1234.56))],
            ledger_rows(run(late), OUT),
            "the price list of the invoice's year instead of the year the outcome was reached",
        ),
    ]


def tiers() -> list[Check]:
    """4 of 10 enrolled reach the milestone (6 are referred too late to reach it in the window):
    a share of 0.4. The highest tier at or below 0.4 prices every outcome, paid on the invoice
    that bills the window's last day (31 Dec 2027 + 2 months = 29 Feb 2028 → paid 30 Mar)."""
    out = []
    paid_on = month_end(add_months(dt.date(2027, 12, 31), 2)) + dt.timedelta(days=30)
    for tiers_, price in (
        ([{"share": 0.2, "price": 5000}, {"share": 0.4, "price": 10000}, {"share": 0.6, "price": 20000}], 10000),
        ([{"share": 0.5, "price": 5000}, {"share": 0.9, "price": 7000}], 0),
    ):
        sc = scenario(
            cohorts=[("2027-01-01", 4), ("2027-12-01", 6)],
            pathway=chain(("a", 40), ("b", 1000)),
            contract={"rate_card": {"m": {"tiers": tiers_}}},
        )
        expected = [(paid_on, ore(price))] * 4 if price else []
        shares = ", ".join(f"{t['share']:g} → {t['price']}" for t in tiers_)
        out.append(
            _exact(
                f"tiers {shares}; 4 of 10 reach it",
                "the highest tier reached, at cohort end (hand)",
                expected,
                ledger_rows(run(sc), OUT),
                "the lowest tier instead of the highest reached; a tier paid below its share",
            )
        )
    sc = scenario(
        cohorts=[("2027-01-01", 4), ("2027-12-01", 6)],
        pathway=chain(("a", 40), ("b", 1000)),
        contract={"rate_card": {"m": {"price": 10000, "baseline_rate": 0.2}}},
    )
    out.append(
        _exact(
            "baseline 0.2 of 10 enrolled, 4 reach it: 2 paid",
            "outcomes above ⌈0.2 × 10⌉ (hand)",
            [(paid_on, ore(2 * 10000))],
            ledger_rows(run(sc), OUT),
            "the baseline rounded down, or applied per claim",
        )
    )
    return out


def caps() -> list[Check]:
    out = []
    # Per participant: b (30 000) on 31 Jan, c (40 000) on 2 Mar; the cap of 50 000 cuts c to 20 000.
    sc = scenario(
        cohorts=[("2027-01-01", 1)],
        pathway=chain(("a", 30), ("b", 30), ("c", 1000)),
        milestones={"mb": {"state": "b"}, "mc": {"state": "c"}},
        contract={"rate_card": {"mb": {"price": 30000}, "mc": {"price": 40000}}, "caps": {"per_participant": 50000}},
    )

    def pay(reached: dt.date) -> dt.date:
        return month_end(add_months(reached, 2)) + dt.timedelta(days=30)

    expected = [(pay(dt.date(2027, 1, 31)), ore(30000)), (pay(dt.date(2027, 3, 2)), ore(50000 - 30000))]
    out.append(
        _exact(
            "per-participant cap 50 000 on 30 000 + 40 000",
            "min(price, cap − paid so far) (hand)",
            expected,
            ledger_rows(run(sc), OUT),
            "the cap ignored, or applied per milestone instead of per person",
        )
    )
    # Total: 3 reach it on 31 Jan, 2 more on 3 Mar; a cap of 70 000 on 5 × 30 000.
    sc = scenario(
        cohorts=[("2027-01-01", 3), ("2027-02-01", 2)],
        pathway=chain(("a", 30), ("b", 1000)),
        contract={"rate_card": {"m": {"price": 30000}}, "caps": {"total": 70000}},
    )
    first, second = pay(dt.date(2027, 1, 31)), pay(dt.date(2027, 3, 3))
    expected = [(first, ore(30000))] * 2 + [(first, ore(10000))]
    out.append(
        _exact(
            "total cap 70 000 on 5 × 30 000",
            "claims in billing order until the cap (hand)",
            expected,
            ledger_rows(run(sc), OUT),
            "later claims paid past the cap; the cap applied before the per-person caps",
        )
    )
    assert second > first
    return out


def _tail_scenario(support: dict | None = None):
    """One tenant enrolled 1 Jan 2027, housed 31 Jan 2027, moving out 14 Jun 2028; service
    period 2027, outcome tail 2028. Costs: a caseworker per tenant at 30 000 kr a month
    (fees 25 %), 2 000 kr direct costs per participant-month, 10 000 kr overhead a month,
    rent 5 000 kr a month on the lease the provider holds; a fee of 12 400 kr per
    participant-month. No indexation."""
    contract = {
        "service_months": 12,
        "outcome_tail_months": 12,
        "rate_card": {"m": {"price": 1000}},
        "fixed": {"per_participant_month": 12_400},
    }
    if support is not None:
        contract["support"] = support
    return scenario(
        pathway=chain(("a", 30), ("b", 500)),
        contract=contract,
        provider={
            "costs": {
                "fixed_per_month": 10_000,
                "per_participant_month": 2_000,
                "caseload": {"participants_per_caseworker": 1, "monthly_salary": 30_000, "employer_fee_rate": 0.25},
            },
            "leases": {"states": ["b"], "monthly_rent": 5_000},
        },
    )


def _tail_months() -> list[tuple[dt.date, dt.date, int, int]]:
    """(first day, last day, days in support, days in the month) of each month of 2028 up to the move."""
    left = dt.date(2028, 6, 14)
    out = []
    for month in range(1, 7):
        first = dt.date(2028, month, 1)
        last = dt.date(2028, month, calendar.monthrange(2028, month)[1])
        out.append((first, last, (min(last + dt.timedelta(days=1), left) - first).days, last.day))
    return out


DECEMBER_FEE_PAID = dt.date(2028, 1, 30)  # the fee for December 2027: invoiced 31 Dec, paid 30 days later


def tail_support() -> list[Check]:
    """Support runs to the contract's last day by default: in the tail the tenant costs a
    caseworker on each 25th before the move, rent on each 1st and direct costs at each month
    end for the days still housed, overhead on each 1st while somebody is in support; the fee
    runs with them. With support ending at the service's end (follow-up only) the tail costs
    nothing."""
    tail_start = dt.date(2028, 1, 1)
    months = _tail_months()
    rep = run(_tail_scenario())

    def in_tail(category: str) -> list:
        return [r for r in ledger_rows(rep, category) if r[0] >= tail_start and r[0] <= dt.date(2028, 12, 31)]

    staff = [(first.replace(day=25), ore(30_000)) for first, _, days, n in months if first.replace(day=25) < dt.date(2028, 6, 14)]
    staff_fees = [(first.replace(day=12), ore(0.25 * 30_000)) for first, _, _, _ in months]  # December's to May's salary
    rent = [(first, ore(5_000 * days / n)) for first, _, days, n in months]
    direct = [(last, ore(2_000 * days / n)) for _, last, days, n in months]
    overhead = [(first, ore(10_000)) for first, _, _, _ in months]
    fee = [(last + dt.timedelta(days=30), ore(12_400 * days / n)) for _, last, days, n in months]
    detects = "costs stopped at the service period's end while the tenant is still supported; costs after the move"
    out = [
        _exact(
            "tail: caseworker salaries, 2028, tenant moves out 14 Jun",
            "one caseworker on each 25th before the move (hand)",
            staff,
            in_tail("salaries"),
            detects,
        ),
        _exact(
            "tail: employer's fees on those salaries",
            "25 % on the 12th of the next month (hand)",
            staff_fees,
            in_tail("employer_fees"),
            detects,
        ),
        _exact("tail: rent on the lease held", "5 000 × days housed / days in month, on the 1st (hand)", rent, in_tail("rent"), detects),
        _exact(
            "tail: direct costs per participant-month",
            "2 000 × days in support / days in month (hand)",
            direct,
            in_tail("direct_costs"),
            detects,
        ),
        _exact(
            "tail: overhead while somebody is in support",
            "10 000 on each 1st with a tenant in support (hand)",
            overhead,
            in_tail("overhead"),
            "overhead for months nobody is supported; none in the tail",
        ),
        _exact(
            "tail: the per participant-month fee runs with support",
            "12 400 × days in support / days in month, paid 30 days after the month end (hand)",
            fee,
            [r for r in ledger_rows(rep, "fixed_participant_months") if r[0] > DECEMBER_FEE_PAID],
            "a fee that stops with the service period although support goes on",
        ),
    ]
    ended = run(_tail_scenario({"ends": "service_end", "follow_up_after_support": True}))
    after = [r for r in ledger_rows(ended, ("salaries", "rent", "direct_costs", "overhead")) if r[0] >= tail_start]
    after += [r for r in ledger_rows(ended, "fixed_participant_months") if r[0] > DECEMBER_FEE_PAID]
    out.append(
        _exact(
            "support ending with the service period: nothing in the tail",
            "no support cost or fee after 2027 (hand)",
            [],
            after,
            "support costs or fees after support ended",
        )
    )
    return out


def advance() -> list[Check]:
    """A lump sum of 9 000 kr a month paid in advance, invoiced quarterly with 30 days' terms:
    each quarter's three months fall due on the quarter's first day (the first quarter's on the
    30th day, as nothing is invoiced before the start); in arrears they are paid 30 days after
    the quarter's end."""
    out = []
    for in_advance in (True, False):
        sc = scenario(
            milestones={}, contract={"rate_card": {}, "invoice_period": "quarterly", "fixed": {"monthly": 9000, "in_advance": in_advance}}
        )
        expected = []
        for q in range(4):
            first = dt.date(2027, 3 * q + 1, 1)
            due = max(first, dt.date(2027, 1, 31)) if in_advance else quarter_end(first) + dt.timedelta(days=30)
            expected += [(due, ore(9000))] * 3
        out.append(
            _exact(
                f"9 000 kr a month {'in advance' if in_advance else 'in arrears'}, quarterly invoices",
                "due on the quarter's first day / 30 days after its end (hand)",
                expected,
                ledger_rows(run(sc), "fixed_monthly"),
                "an advance paid at the period's end, or due before the contract starts",
            )
        )
    return out


def minimum_volume() -> list[Check]:
    """One participant enrolled 1 January leaves on 10 February; 3 places are guaranteed at half
    the fee of 10 000 kr a participant-month. Each month pays the fee for the days delivered and
    half of it for the place-days short of 3 × the month's days, in arrears on the month's invoice."""
    sc = scenario(
        pathway=chain(("a", 40)),
        milestones={},
        contract={
            "service_months": 3,
            "rate_card": {},
            "fixed": {"per_participant_month": 10000, "minimum_volume": {"places": 3, "share_of_fee": 0.5}},
        },
    )
    expected_fee, expected_unused = [], []
    for month, delivered in ((1, 31), (2, 9), (3, 0)):
        days = calendar.monthrange(2027, month)[1]
        paid_on = dt.date(2027, month, days) + dt.timedelta(days=30)
        if delivered:
            expected_fee.append((paid_on, ore(10000 * delivered / days)))
        expected_unused.append((paid_on, ore(0.5 * 10000 * (3 * days - delivered) / days)))
    rep = run(sc)
    return [
        _exact(
            "1 of 3 guaranteed places used, then none: the fee for the days delivered",
            "fee × days / month's days (hand)",
            expected_fee,
            ledger_rows(rep, "fixed_participant_months"),
            "the guarantee paid instead of, not besides, the days delivered",
        ),
        _exact(
            "… and half the fee for each unused place-day",
            "0.5 × fee × (3 × days − delivered) / days (hand)",
            expected_unused,
            ledger_rows(rep, "unused_places"),
            "unused places counted per participant instead of per place-day, or paid outside the service period",
        ),
    ]


def commissioner_costs() -> list[Check]:
    """The municipality's own costs: 300 000 kr set-up on the first day, 120 000 kr a year of
    management (10 000 kr each month end of the 12-month window; wages indexed 3 % from 2028,
    none here), and a 250 000 kr final evaluation on the invoice that settles the cohort
    (31 Dec 2027 + 2 months' lag → 29 Feb 2028). None of it is paid to the provider."""
    sc = scenario(
        milestones={},
        contract={
            "rate_card": {},
            "fixed": {"monthly": 1000},
            "commissioner_costs": {"set_up": 300000, "per_year": 120000, "final_evaluation": 250000},
        },
    )
    rep = run(sc)
    expected = [(dt.date(2027, 1, 1), ore(300000))]
    expected += [(month_end(dt.date(2027, m, 1)), ore(10000)) for m in range(1, 13)]
    expected += [(dt.date(2028, 2, 29), ore(250000))]
    got = sorted(ledger_rows(rep, ("commissioner_set_up", "contract_management", "final_evaluation")))
    whole = float(rep.metrics["commissioner_whole_cost"]) - float(rep.metrics["commissioner_paid"])
    return [
        _exact(
            "set-up, 12 months of management, the final evaluation",
            "each on its day (hand)",
            expected,
            got,
            "the municipality's own costs missing, or paid at the wrong time",
        ),
        Check(
            GROUP,
            "… in the whole cost, not in what the provider is paid",
            "whole cost − paid to the provider (hand)",
            f"{300000 + 120000 + 250000:,} kr".replace(",", " "),
            f"{whole:,.0f} kr".replace(",", " "),
            "administration counted as a payment to the provider, or left out of the whole cost",
            passed=abs(whole - 670000) < 0.005,
            seed="0",
        ),
    ]


def per_day() -> list[Check]:
    """Denver's form: 15 kr per day housed, a stay paid only once it has lasted 365 days, 20
    days in jail keep the stay (the lease) but are not paid, and 5 000 kr for a planned exit
    after a year (1 000 kr before). Housed from day 30 for 200 days, in jail 20, housed 180,
    then moved on: a stay of 400 days, 380 of them paid. The months before the stay qualified
    (day 395) are paid as if reached that day; later months at their end; the exit on its day;
    each verified after 2 months, invoiced at month end, paid after 30 days."""
    start = dt.date(2027, 1, 1)
    housed = start + dt.timedelta(days=30)
    jail, back = housed + dt.timedelta(days=200), housed + dt.timedelta(days=220)
    moved = back + dt.timedelta(days=180)
    qualified = housed + dt.timedelta(days=365)
    pathway = {
        "start": "a",
        "states": {
            "a": {"transitions": {"housed": {"fixed": 30, "unit": "days"}}},
            "housed": {"transitions": {"jail": {"fixed": 200, "unit": "days"}}},
            "jail": {"transitions": {"housed_again": {"fixed": 20, "unit": "days"}}},
            "housed_again": {"transitions": {"moved_on": {"fixed": 180, "unit": "days"}}},
            "moved_on": {},
        },
    }
    sc = scenario(
        pathway=pathway,
        milestones={},
        contract={
            "service_months": 12,
            "outcome_tail_months": 12,
            "rate_card": {},
            "per_day": {
                "housing": {
                    "states": ["housed", "housed_again"],
                    "deducted_states": ["jail"],
                    "price": 15,
                    "min_stay_days": 365,
                    "exit_payment": {
                        "states": ["moved_on"],
                        "tiers": [{"after_days": 0, "price": 1000}, {"after_days": 365, "price": 5000}],
                    },
                }
            },
        },
    )
    paid = lambda reached: month_end(add_months(reached, 2)) + dt.timedelta(days=30)  # noqa: E731
    expected = []
    month = dt.date(housed.year, housed.month, 1)
    while month <= moved:
        end = month_end(month)
        days = sum(max(0, (min(b, end + dt.timedelta(days=1)) - max(a, month)).days) for a, b in ((housed, jail), (back, moved)))
        if days:
            expected.append((paid(max(end, qualified)), ore(15 * days), max(end, qualified)))
        month = end + dt.timedelta(days=1)
    exit_row = (paid(moved), ore(5000), moved)
    rep = run(sc)
    got = ledger_rows(rep, ("day_payment", "exit_payment"))
    want = [(d, a) for d, a, _ in sorted([*expected, exit_row], key=lambda r: (r[0], r[2]))]  # invoice, then day reached
    return [
        _exact(
            "15 kr a day housed, paid once the stay reaches 365 days, jail days deducted, an exit after a year",
            "days per calendar month, paid from the day the stay qualified; the exit tier by the stay's length (hand)",
            want,
            got,
            "days in jail paid, a short stay paid before it qualified, the exit priced by the wrong tier",
        ),
        Check(
            GROUP,
            "… days paid",
            "400 days in the stay less 20 in jail (hand)",
            "380",
            f"{rep.metrics['days_paid_housing']:g}",
            "deducted days counted",
            passed=rep.metrics["days_paid_housing"] == 380,
            seed="0",
        ),
    ]


def run_all(full: bool) -> tuple[list[Check], dict[str, str]]:
    checks = timing() + indexation() + tiers() + caps() + tail_support() + advance() + minimum_volume() + commissioner_costs() + per_day()
    return checks, {"payments": "0 (deterministic: no random number is used)"}
