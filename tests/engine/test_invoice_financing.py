"""Advances against approved municipal invoices (fakturabelåning): taken only when cash runs
short, one advance per invoice, repaid with the charge when the municipality pays — also when
the provider has failed in between (docs/how-it-works.md §7)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers_deterministic import D, rows, run, scenario_dict

import sib
from sib.engine.invoice_financing import invoice_advances
from sib.engine.ledger import (
    BANK,
    CATEGORY,
    COMMISSIONER,
    NO_ID,
    PAYMENTS,
    PROVIDER,
    START_OF_DAY,
    Rows,
)
from sib.scenario.errors import ScenarioError
from sib.scenario.financing import InvoiceFinancing
from sib.scenario.loader import build

NO_GRACE = {"suppliers": 0, "rent": 0}
TERMS = {"advance_rate": 0.8, "yearly_rate": 0.09, "fee_per_invoice": 300}


def _bridge(invoice_financing: dict | None = TERMS, **insolvency) -> dict:
    """No equity and no credit: a 100 000 kr start-up bill on 1 Jan, and a 150 000 kr upfront
    payment invoiced that day and paid 30 days later, on 31 Jan."""
    raw = scenario_dict(
        milestones={},
        contract={"rate_card": {}, "fixed": {"upfront": 150_000}},
        provider={"opening_equity": 0, "costs": {"start_up": 100_000}},
    )
    raw["insolvency"] = {"rule": "stop", **insolvency}
    if invoice_financing is not None:
        raw["financing"] = {"invoice_financing": invoice_financing}
    return raw


def test_an_approved_invoice_carries_the_provider_through_the_gap():
    """The upfront invoice is financed the morning the start-up bill falls due: 80 % of
    150 000 = 120 000 kr, repaid on 31 Jan with 120 000 × 9 % × 30/365 = 887.67 kr and the
    300 kr fee. Nothing is paid late, so no late-payment interest, and no insolvency even
    where no bill may wait."""
    rep = run(_bridge(grace_days=NO_GRACE))
    m = rep.metrics
    assert not m["service_stopped"] and m["shortfall_days"] == 0 and m["shortfall_cost"] == 0
    assert rows(rep, ["invoice_advance", "invoice_advance_repayment", "invoice_financing_fee"]) == [
        (D("2027-01-01"), "bank", "provider", "invoice_advance", 12_000_000, None, 1),
        (D("2027-01-31"), "provider", "bank", "invoice_advance_repayment", 12_000_000, None, 1),
        (D("2027-01-31"), "provider", "bank", "invoice_financing_fee", 88_767 + 30_000, None, 1),
    ]
    assert m["invoice_financing_cost"] == 1_187.67 and m["invoice_advance_peak"] == 120_000
    assert m["invoices_financed"] == 1
    # The advance is what carried it: the funding need beyond it is nothing.
    assert m["funding_need"] == 0


def test_an_advance_too_small_leaves_the_rest_to_the_suppliers_grace():
    """Half the invoice (75 000 kr) covers most of the bill; the other 25 000 kr waits 30 days
    for the municipality's payment, at 10 % a year: 205.48 kr."""
    m = run(_bridge({**TERMS, "advance_rate": 0.5})).metrics
    assert not m["service_stopped"]
    assert m["shortfall_deepest"] == 25_000 and m["shortfall_days"] == 30 and m["shortfall_cost"] == 205.48
    assert m["invoice_advance_peak"] == 75_000


def test_without_invoice_financing_the_same_gap_is_a_failure():
    assert run(_bridge(None, grace_days=NO_GRACE)).metrics["service_stopped"]


def test_a_financier_is_repaid_out_of_its_invoice_when_the_provider_has_failed():
    """Half the invoice is not enough and nothing may wait: the provider fails on 1 Jan, after
    the advance came in. The municipality pays the invoice on 31 Jan; the financier owns it and
    is repaid from it in full before the estate keeps the rest; the unpaid bill is the
    supplier's loss, not the financier's."""
    rep = run(_bridge({**TERMS, "advance_rate": 0.5}, grace_days=NO_GRACE))
    m = rep.metrics
    assert m["service_stopped"] and m["service_stopped_date"] == D("2027-01-01")
    got = rows(rep, ["invoice_advance", "invoice_advance_repayment", "invoice_financing_fee"])
    assert [(r[0], r[3], r[4]) for r in got] == [
        (D("2027-01-01"), "invoice_advance", 7_500_000),
        (D("2027-01-31"), "invoice_advance_repayment", 7_500_000),
        (D("2027-01-31"), "invoice_financing_fee", 55_479 + 30_000),
    ]
    assert m["unpaid_obligations"] == 100_000


def _account(days, categories, payers, payees, amounts, invoices, liquidity):
    n = len(days)
    rows = Rows(
        np.array(days),
        np.array([PAYMENTS if p == COMMISSIONER else START_OF_DAY for p in payers]),
        np.zeros(n),
        np.array(payers),
        np.array(payees),
        np.array([CATEGORY[c] for c in categories]),
        np.array(amounts, dtype=np.int64),
        np.full(n, NO_ID),
        np.array(invoices),
        np.array(days),
    )
    return rows, np.array(liquidity, dtype=np.int64)


def test_the_oldest_invoice_first_and_each_invoice_once():
    """Short by 150 öre on day 10 with invoices 1 (issued day 2, 100 öre) and 2 (day 5, 100
    öre) outstanding: invoice 1 is financed first, then invoice 2; on day 20, short again
    after both were paid, nothing is left to finance: no invoice backs two advances."""
    rows, liquidity = _account(
        days=[10, 12, 13, 20],
        categories=["overhead", "fixed_monthly", "fixed_monthly", "overhead"],
        payers=[PROVIDER, COMMISSIONER, COMMISSIONER, PROVIDER],
        payees=[0, PROVIDER, PROVIDER, 0],
        amounts=[150, 100, 100, 300],
        invoices=[NO_ID, 1, 2, NO_ID],
        liquidity=[-150, -50, 50, -250],
    )
    got = invoice_advances(rows, liquidity, np.array([2, 5]), InvoiceFinancing(advance_rate=1.0, yearly_rate=0))
    assert got is not None
    assert list(zip(got.day, got.payer, got.category, got.amount, got.invoice)) == [
        (10, BANK, CATEGORY["invoice_advance"], 100, 1),
        (12, PROVIDER, CATEGORY["invoice_advance_repayment"], 100, 1),
        (10, BANK, CATEGORY["invoice_advance"], 100, 2),
        (13, PROVIDER, CATEGORY["invoice_advance_repayment"], 100, 2),
    ]


def test_an_invoice_not_yet_issued_cannot_be_financed():
    """Short on day 3; the only invoice is issued on day 5: it is financed on day 5, when it
    exists, and not before."""
    rows, liquidity = _account(
        days=[3, 5, 30],
        categories=["overhead", "overhead", "fixed_monthly"],
        payers=[PROVIDER, PROVIDER, COMMISSIONER],
        payees=[0, 0, PROVIDER],
        amounts=[100, 1, 200],
        invoices=[NO_ID, NO_ID, 1],
        liquidity=[-100, -101, 99],
    )
    got = invoice_advances(rows, liquidity, np.array([5]), InvoiceFinancing(advance_rate=1.0, yearly_rate=0))
    assert got is not None and list(got.day[got.category == CATEGORY["invoice_advance"]]) == [5]


def test_with_money_enough_nothing_is_financed():
    rows, liquidity = _account(
        days=[3, 30],
        categories=["overhead", "fixed_monthly"],
        payers=[PROVIDER, COMMISSIONER],
        payees=[0, PROVIDER],
        amounts=[100, 200],
        invoices=[NO_ID, 1],
        liquidity=[0, 200],
    )
    assert invoice_advances(rows, liquidity, np.array([1]), InvoiceFinancing(yearly_rate=0.1)) is None


@pytest.mark.parametrize("seed", [0, 1])
def test_on_the_stressed_reference_scenario_every_advance_is_repaid_from_its_own_invoice(seed):
    """Bostad först without a guarantee (a 500 000 kr line) and with invoice financing: every
    advance is repaid, with its charge, on the day its invoice is paid, whether or not the
    provider failed; money is conserved; and the provider fails less often than without it."""
    raw = sib.load_scenario("scenarios/bostad_forst_utan_garanti.yaml").model_dump(mode="json", exclude_none=True)
    raw["financing"]["invoice_financing"] = {"advance_rate": 0.8, "yearly_rate": 0.09}
    financed = build(raw)
    stops = 0
    for i in range(8):
        rep = sib.simulate(financed, seed, replication=i)
        led = rep.ledger
        stops += bool(rep.metrics["service_stopped"])
        advance = led[led["category"] == "invoice_advance"].set_index("invoice")["amount_ore"]
        repaid = led[led["category"] == "invoice_advance_repayment"].set_index("invoice")
        assert advance.index.is_unique and repaid.index.is_unique
        assert (repaid["amount_ore"].reindex(advance.index) == advance).all()
        paid = led[(led["payer"] == "commissioner") & (led["payee"] == "provider") & led["invoice"].isin(advance.index)]
        paid_on = paid.groupby("invoice")["date"].max()
        assert (repaid["date"] == paid_on.reindex(repaid.index)).all()
        assert (advance <= 0.8 * paid.groupby("invoice")["amount_ore"].sum().reindex(advance.index) + 1).all()
        signed = led["amount_ore"].groupby(led["payer"]).sum().sub(led["amount_ore"].groupby(led["payee"]).sum(), fill_value=0)
        assert signed.sum() == 0
    plain = build({**raw, "financing": {k: v for k, v in raw["financing"].items() if k != "invoice_financing"}})
    assert stops <= sum(bool(sib.simulate(plain, seed, replication=i).metrics["service_stopped"]) for i in range(8))


@pytest.mark.parametrize("field, value", [("advance_rate", 0), ("advance_rate", 1.2), ("yearly_rate", -0.1), ("fee_per_invoice", -1)])
def test_terms_out_of_range_are_refused_with_the_field_named(field, value):
    raw = _bridge({**TERMS, field: value})
    with pytest.raises(ScenarioError, match=f"financing.invoice_financing.{field}"):
        build(raw)
