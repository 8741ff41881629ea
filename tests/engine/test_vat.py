"""``sib/engine/vat.py``: the VAT that goes with the contract's payments and the provider's
purchases, and what the state gives back: an exempt provider's purchases' VAT is its cost and
the municipality is compensated 6 % of the price (lag 2005:807); a taxable provider adds VAT
to its invoices and settles output less input VAT with the state on the 12th of the month
after next.

(An exempt provider's input VAT and compensation on one payment, a taxable provider's January
return, and the taxed share of a cost line are pinned in tests/engine/test_treasury.py; a
grant to a taxable provider in tests/scenario/test_contract_levers.py.)
"""

from __future__ import annotations

from helpers_deterministic import D, rows, run, scenario_dict

VAT = ["input_vat", "output_vat", "vat_payment", "vat_refund", "vat_compensation"]


def _outcomes(price: float, people: int, **vat):
    """``people`` enrolled on 1 Jan 2027 each reach milestone m on 31 Jan (30 days in state a):
    verified two months later, invoiced on 31 March, paid 30 days after, on 30 April."""
    return run(
        scenario_dict(
            cohorts=[("2027-01-01", people)],
            contract={"rate_card": {"m": {"price": price}}},
            provider={"opening_equity": 1_000_000, "vat": vat},
        )
    )


def test_the_compensation_is_six_percent_of_each_invoice_paid_rounded_once():
    """Three outcomes of 1 000,05 kr on one invoice: 6 % of 3 000,15 kr is 180,009 kr, 180,01 kr;
    compensating each line alone would give 3 × 60,00 kr = 180,00 kr."""
    rep = _outcomes(1_000.05, 3, status="exempt")
    assert rows(rep) == [
        (D("2027-04-30"), "commissioner", "provider", "outcome_payment", 100_005, 0, 1),
        (D("2027-04-30"), "commissioner", "provider", "outcome_payment", 100_005, 1, 1),
        (D("2027-04-30"), "commissioner", "provider", "outcome_payment", 100_005, 2, 1),
        # From the state to the municipality, the day it paid the invoice.
        (D("2027-04-30"), "state", "commissioner", "vat_compensation", 18_001, None, None),
    ]


def test_without_compensation_an_exempt_providers_care_costs_the_municipality_its_price():
    rep = _outcomes(1_000.05, 3, status="exempt", compensation=False)
    assert rows(rep, VAT) == []


def test_a_taxable_provider_adds_vat_to_each_line_rounded_half_up_and_pays_it_on_the_12th_of_the_month_after_next():
    """25 % of 1 000,02 kr is 250,005 kr: 250,01 kr (25 001 öre). Paid to the provider on 30 April,
    so April's return, due 12 June."""
    rep = _outcomes(1_000.02, 1, status="taxable")
    assert rows(rep) == [
        (D("2027-04-30"), "commissioner", "provider", "outcome_payment", 100_002, 0, 1),
        (D("2027-04-30"), "commissioner", "provider", "output_vat", 25_001, 0, 1),
        (D("2027-04-30"), "state", "commissioner", "vat_compensation", 25_001, None, None),
        (D("2027-06-12"), "provider", "state", "vat_payment", 25_001, None, None),
    ]
    # Without compensation the municipality carries the VAT; the provider's return is the same.
    assert rows(_outcomes(1_000.02, 1, status="taxable", compensation=False), VAT) == [
        (D("2027-04-30"), "commissioner", "provider", "output_vat", 25_001, 0, 1),
        (D("2027-06-12"), "provider", "state", "vat_payment", 25_001, None, None),
    ]


def test_the_scenarios_rate_is_the_rate_on_the_invoice():
    """At 6 % (a service under the reduced rate, say): 60 kr on a 1 000 kr outcome."""
    rep = _outcomes(1_000, 1, status="taxable", rate=0.06)
    assert rows(rep, "output_vat") == [(D("2027-04-30"), "commissioner", "provider", "output_vat", 6_000, 0, 1)]


def test_a_month_with_more_input_than_output_vat_is_refunded_and_a_december_return_falls_in_february():
    """A contract starting 1 December 2027: a 400 000 kr start-up bought that day (100 000 kr
    input VAT), a 200 000 kr upfront payment paid on 31 December (50 000 kr output VAT).
    December's return is 50 000 kr to the provider, on 12 February 2028, and belongs to 2027."""
    rep = run(
        scenario_dict(
            start="2027-12-01",
            cohorts=[("2027-12-01", 1)],
            milestones={},
            contract={"rate_card": {}, "fixed": {"upfront": 200_000}},
            provider={"opening_equity": 1_000_000, "costs": {"start_up": 400_000}, "vat": {"status": "taxable"}},
        )
    )
    assert rows(rep, VAT) == [
        (D("2027-12-01"), "provider", "state", "input_vat", 10_000_000, None, None),
        (D("2027-12-31"), "commissioner", "provider", "output_vat", 5_000_000, None, 1),
        (D("2027-12-31"), "state", "commissioner", "vat_compensation", 5_000_000, None, None),
        (D("2028-02-12"), "state", "provider", "vat_refund", 5_000_000, None, None),
    ]
    led = rep.ledger
    assert list(led.loc[led["category"].astype(str) == "vat_refund", "accrued"]) == [D("2027-12-31")]


def test_the_municipalitys_own_costs_carry_no_output_vat():
    """Its procurement and evaluation are bought from others, not invoiced by the provider."""
    raw = scenario_dict(
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 100_000}, "commissioner_costs": {"set_up": 300_000}},
        provider={"opening_equity": 1_000_000, "vat": {"status": "taxable"}},
    )
    rep = run(raw)
    assert rows(rep, "output_vat") == [(D("2027-01-31"), "commissioner", "provider", "output_vat", 2_500_000, None, 1)]
    assert rows(rep, "commissioner_set_up") == [
        (D("2027-01-01"), "commissioner", "external", "commissioner_set_up", 30_000_000, None, None)
    ]
