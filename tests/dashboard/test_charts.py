"""``sib/dashboard/charts.py``: the dashboard's charts, read as the plotly figures they are — the
provider's net cash against its credit limit, the municipality's whole cost per budget year in
cash or accrual, the spread of a figure, the participants' flow and a sweep — with numbers
grouped the reader's way. Drawn from small studies whose every krona is known."""

from __future__ import annotations

import pytest
from helpers_deterministic import scenario_dict

import sib
from sib.dashboard import charts
from sib.dashboard.text import text
from sib.scenario.loader import build

PRICE = 1234.56
#: Referred 1 Jan 2027 → reached 31 Jan → verified 31 Mar → paid 30 Apr 2027;
#: referred 1 Oct 2027 → reached 31 Oct → verified 31 Dec 2027 → paid 30 Jan 2028.
TWO = {"cohorts": (("2027-01-01", 1), ("2027-10-01", 1)), "contract": {"rate_card": {"m": {"price": PRICE}}}}
LINE = {"credit_line": {"limit": 50_000, "interest_rate": 0.0}}
F32 = {"abs": 0.01}  # monthly series are kept as float32 (about 0.01 % of a krona amount)


def study(raw, reps=3, seed=0) -> sib.Results:
    return sib.run(build(raw), reps=reps, seed=seed, executor="serial")


def with_line(raw):
    return {**raw, "financing": LINE}


def by_name(fig) -> dict:
    return {d.name: d for d in fig.data if d.name}


def test_the_fan_shows_net_cash_month_by_month_against_the_credit_limit():
    """A start-up cost of 1 000 kr on 1 January is paid from the credit line (net cash −1 000)
    until the first payment on 30 April repays it (1 234.56 − 1 000 = 234.56); the second on
    30 January 2028 brings it to 2 × 1 234.56 − 1 000. Each month's lowest point is drawn, the
    credit limit as a line at −50 000 kr: where the two meet, the provider cannot pay."""
    res = study(with_line(scenario_dict(**TWO, provider={"costs": {"start_up": 1000}})))
    t = text("en")
    fig = charts.fan({"Mine": res}, t, "en")
    median, limit = by_name(fig)["Mine (median)"], by_name(fig)["Mine: Credit limit"]
    expected = [-1000.0] * 4 + [PRICE - 1000] * 9 + [2 * PRICE - 1000] * 2  # Jan 2027 … Mar 2028
    assert list(median.x) == res.months and len(res.months) == 15
    assert [float(v) for v in median.y] == pytest.approx(expected, **F32)
    assert list(limit.y) == [-50_000.0, -50_000.0] and list(limit.x) == [res.months[0], res.months[-1]]
    bands = [d for d in fig.data if d.fill == "toself"]
    assert len(bands) == 2  # 5–95 % and 25–75 %
    assert fig.layout.title.text == t("fan") and fig.layout.separators == ".,"


def test_the_fan_shows_no_money_before_the_first_payment_has_come():
    res = study(with_line(scenario_dict(**TWO)))
    median = by_name(charts.fan({"Mine": res}, text("en"), "en"))["Mine (median)"]
    assert [float(v) for v in median.y][:4] == pytest.approx([0.0] * 4, **F32)


def test_the_budget_years_move_a_payment_between_years_with_the_basis():
    """The second outcome falls to 2027 (reached and verified then) but is paid in 2028: the
    cash bars are 1 234.56 kr each year, the accrual bars 2 469.12 and 0; the mark at what the
    provider was paid follows the same basis."""
    res = study(scenario_dict(**TWO))
    t = text("sv")
    cash = by_name(charts.budget_years({"A": res}, t, "sv", "cash"))
    accrued = by_name(charts.budget_years({"A": res}, t, "sv", "accrued"))
    bar, paid = cash["A: hela kostnaden"], cash["A: betalt till utföraren"]
    assert list(bar.x) == [2027, 2028] and list(bar.y) == pytest.approx([PRICE, PRICE], abs=1e-9)
    assert list(paid.y) == pytest.approx([PRICE, PRICE], abs=1e-9)
    assert list(accrued["A: hela kostnaden"].y) == pytest.approx([2 * PRICE, 0.0], abs=1e-9)
    assert list(accrued["A: betalt till utföraren"].y) == pytest.approx([2 * PRICE, 0.0], abs=1e-9)
    assert list(bar.error_y.array) == [0.0, 0.0]  # every simulation the same: no range


def test_a_budget_bar_spans_the_middle_90_percent_of_the_simulations():
    """Seed 3 pays the milestone, in 2027, in 1 of 5 simulations: 0, 0, 1 000, 0, 0 kr. The bar
    is the mean, 200; its range runs from the 5th percentile, 0, to the 95th, 800 (linear
    between the 4th and 5th of the sorted values: 0 + 0.8 · 1 000)."""
    pathway = {"start": "a", "states": {"a": {"transitions": {"b": {"exponential": {"mean": 60}, "unit": "months"}}}, "b": {}}}
    res = study(scenario_dict(pathway=pathway), reps=5, seed=3)
    assert res.values("commissioner_whole_cost_2027").tolist() == [0.0, 0.0, 1000.0, 0.0, 0.0]
    bar = by_name(charts.budget_years({"A": res}, text("en"), "en", "cash"))["A: whole cost"]
    assert bar.y[0] == pytest.approx(200.0)
    assert (bar.error_y.array[0], bar.error_y.arrayminus[0]) == pytest.approx((600.0, 200.0))
    assert list(bar.customdata[0]) == pytest.approx([0.0, 800.0])  # the range, shown on hover


def test_a_distribution_leaves_out_simulations_without_a_value_and_reads_in_shares():
    """The cost per outcome has no value where there was no outcome (4 of 5 here)."""
    pathway = {"start": "a", "states": {"a": {"transitions": {"b": {"exponential": {"mean": 60}, "unit": "months"}}}, "b": {}}}
    res = study(scenario_dict(pathway=pathway), reps=5, seed=3)
    fig = charts.distribution({"A": res}, "cost_per_outcome", "Kostnad per utfall", text("sv"), "sv")
    (hist,) = fig.data
    assert list(hist.x) == [1000.0] and hist.histnorm == "probability"
    assert fig.layout.yaxis.tickformat == ".0%" and fig.layout.separators == ", "  # decimal comma, space between thousands


def test_the_flow_starts_with_the_referred_and_names_each_state():
    """Three referred on one day to one place: one enrolled, two not; the one goes a → b."""
    raw = scenario_dict(cohorts=(("2027-01-01", 3),), capacity={"places": 1})
    raw["pathway"]["states"]["b"]["label"] = "Bostad"
    res = study(raw, reps=2)
    link = charts.sankey(res, text("sv"), "sv").data[0]
    assert list(link.node.label) == ["Remitterade", "Ej inskrivna", "a", "Bostad", "x"]
    flows = {(s, d): v for s, d, v in zip(link.link.source, link.link.target, link.link.value)}
    assert flows == {(0, 2): 1.0, (0, 1): 2.0, (2, 3): 1.0, (3, 4): 0.0}


def test_a_sweep_draws_each_variant_with_its_interval_and_marks_its_break_even():
    x = [0.2, 0.4, 0.6]
    lines = {
        "with": ([0.01, 0.03, 0.08], [0.0, 0.02, 0.06], [0.02, 0.05, 0.11]),
        "without": ([0.02, 0.06, 0.2], [0.01, 0.04, 0.15], [0.04, 0.09, 0.25]),
    }
    fig = charts.sweep_chart(x, lines, "Risk", "Risk", "sv", share=True, threshold=0.05, marks={"without": 0.37}, x_share=True)
    without = by_name(fig)["without"]
    assert list(without.error_y.array) == pytest.approx([0.02, 0.03, 0.05])  # high − value
    assert list(without.error_y.arrayminus) == pytest.approx([0.01, 0.02, 0.05])  # value − low
    hline, vline = fig.layout.shapes
    assert (hline.y0, hline.line.dash) == (0.05, "dot")
    assert (vline.x0, vline.line.color) == (0.37, charts.PALETTE[1])  # the second variant's colour
    assert (fig.layout.yaxis.tickformat, fig.layout.xaxis.tickformat) == (".0%", ".0%")
