"""``sib/study/workbook.py``: the Excel workbook a finance officer downloads — the key figures
with their margins of error, the municipality's cost per budget year in cash and accrual, the
ledgers of three cases to the öre, every assumption with its source, and what was run. Written
here from a small study and read back cell by cell with openpyxl."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from helpers_deterministic import scenario_dict

import sib
from sib.scenario.loader import build
from sib.study.workbook import SHEETS, key_figures, run_facts, write_workbook

PRICE = 1234.56
#: Two participants, each paid PRICE for reaching state b 30 days after referral; verified two
#: months later, invoiced at that month's end and paid 30 days after:
#: referred 1 Jan 2027 → reached 31 Jan → verified 31 Mar → paid 30 Apr 2027;
#: referred 1 Oct 2027 → reached 31 Oct → verified and invoiced 31 Dec 2027 → paid 30 Jan 2028.
RAW = scenario_dict(cohorts=(("2027-01-01", 1), ("2027-10-01", 1)), contract={"rate_card": {"m": {"price": PRICE}}})
RAW["sources"] = {"contract.rate_card": {"sv": "antagande: ett pris per utfall", "en": "assumption: one price per outcome"}}
# The stop rule with nothing said about carrying the participants on (the provider, with no
# costs, never fails here: the numbers are those of any rule).
RAW["insolvency"] = {"rule": "stop"}


@pytest.fixture(scope="module")
def results() -> sib.Results:
    return sib.run(build(RAW), reps=3, seed=4, executor="serial")


@pytest.fixture(scope="module")
def book(results, tmp_path_factory) -> openpyxl.Workbook:
    """The workbook in Swedish, written once (a workbook takes most of a second to write); the
    English tables are read from the functions that fill its sheets."""
    path = tmp_path_factory.mktemp("workbook") / "resultat.xlsx"
    write_workbook(results, path, "sv")
    return openpyxl.load_workbook(path)


def table(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_the_sheets_are_named_in_the_readers_language(book):
    assert book.sheetnames == ["Nyckeltal", "Budgetår", "Per månad", "Simuleringar", "Huvudbok", "Antaganden", "Körning"]
    assert list(SHEETS.table("en").values()) == ["Key figures", "Budget years", "Monthly", "Simulations", "Ledger", "Assumptions", "Run"]


def test_the_key_figures_open_with_the_whole_cost_each_with_unit_margin_and_code(book, results):
    figures = table(book["Nyckeltal"])
    first = figures[0]
    assert (first["nyckeltal"], first["enhet"], first["statistika"], first["kod"]) == (
        "Kommunens hela kostnad, genomsnitt",
        "kr",
        "medel",
        "commissioner_whole_cost",
    )
    assert first["värde"] == pytest.approx(2 * PRICE, abs=0.005) and first["antal simuleringar"] == 3
    assert list(first)[-1] == "kod"  # the code last, for whoever checks the program
    english = key_figures(results, "en").iloc[0]  # the English sheet's first row, before its headings are named
    assert (english["figure"], english["unit"], english["statistic"]) == ("The municipality's whole cost, average", "SEK", "mean")
    risk = next(f for f in figures if f["kod"] == "provider_insolvent")
    # never insolvent in 3 of 3: Wilson's interval 0 to z²/(3 + z²)
    z2 = 1.959963984540054**2
    assert (risk["värde"], risk["felmarginal, lägre (95 %)"]) == (0, 0)
    assert risk["felmarginal, övre (95 %)"] == pytest.approx(z2 / (3 + z2), abs=1e-9)
    assert risk["statistika"] == "andel av simuleringarna" and risk["enhet"] == "andel"
    assert all(f["nyckeltal"] and f["beskrivning"] for f in figures if not f["kod"].startswith("param."))


def test_each_budget_year_shows_what_the_municipality_pays_in_cash_and_what_falls_to_it(book):
    """Both outcomes are reached and verified in 2027, so both fall to 2027 by accrual; the
    second is paid in January 2028, so 2027's cash is one payment, and 1 234.56 kr is owed at
    the end of 2027."""
    years = {row["år"]: row for row in table(book["Budgetår"])}
    assert list(years) == [2027, 2028]
    assert years[2027]["hela kostnaden (kassa), medel"] == pytest.approx(PRICE, abs=0.005)
    assert years[2027]["hela kostnaden periodiserad, medel"] == pytest.approx(2 * PRICE, abs=0.005)
    assert years[2028]["hela kostnaden (kassa), medel"] == pytest.approx(PRICE, abs=0.005)
    assert years[2028]["hela kostnaden periodiserad, medel"] == 0
    assert years[2027]["skuld vid årets slut, medel"] == pytest.approx(PRICE, abs=0.005)
    assert years[2028]["skuld vid årets slut, medel"] == 0
    assert list(years[2027])[1] == "hela kostnaden (kassa), medel"  # the whole cost before what the provider is paid


def test_the_ledgers_of_three_cases_name_every_payment_to_the_ore(book):
    rows = table(book["Huvudbok"])
    cases = ["5 % sämsta likviditet", "median", "95 % bästa likviditet"]
    assert sorted({r["fall"] for r in rows}, key=cases.index) == cases
    for case in cases:
        mine = [r for r in rows if r["fall"] == case]
        assert [(r["Datum"], r["Från"], r["Till"], r["Vad"], r["Belopp"]) for r in mine] == [
            ("2027-04-30", "kommunen", "utföraren", "utfallsersättning", PRICE),
            ("2028-01-30", "kommunen", "utföraren", "utfallsersättning", PRICE),
        ]
        assert {r["simulering nr"] for r in mine} <= {1, 2, 3}  # numbered from 1, as the reader counts


def test_the_monthly_sheet_shows_the_providers_cash_month_by_month(book):
    cash = [r for r in table(book["Per månad"]) if r["kod"] == "provider_cash_end"]
    by_month = {r["månad"].date(): r for r in cash}
    assert by_month[dt.date(2027, 3, 1)]["p50"] == 0  # before the first payment
    assert by_month[dt.date(2027, 4, 1)]["p50"] == pytest.approx(PRICE, abs=0.01)  # paid on 30 April
    assert by_month[dt.date(2028, 1, 1)]["p50"] == pytest.approx(2 * PRICE, abs=0.01)
    assert cash[0]["vad"] == "Utförarens kassa vid månadens slut"


def test_every_assumption_is_listed_with_its_value_and_the_source_the_file_gives(book):
    rows = {r["parameter"]: r for r in table(book["Antaganden"])}
    price = rows["contract.rate_card.m.price"]
    assert (price["värde"], price["källa"]) == (PRICE, "antagande: ett pris per utfall")  # a number stays a number
    assert rows["insolvency.rule"]["värde"] == "stoppar"  # a choice by its name, not its code
    assert rows["participants.referrals.cohorts[1].date"]["värde"] == "2027-10-01"


def test_the_run_sheet_says_what_was_run_and_what_the_whole_cost_leaves_out(book, results):
    rows = list(book["Körning"].iter_rows(values_only=True))
    facts = dict(rows[1:])
    assert facts["scenario"] == "deterministic test" and facts["scenariots fingeravtryck"] == results.scenario.digest
    assert (facts["antal simuleringar"], facts["startvärde för slumpen"]) == (3, "4")
    assert facts["högsta kontraktsvärde (kr)"] == pytest.approx(2 * PRICE, abs=0.005)  # two people, one payment each
    # The provider may stop and nothing says what carrying the participants on would cost: said third, before the numbers.
    assert rows[3][0] == "OBS" and rows[3][1].endswith("så kommunens hela kostnad räknar inte med det.")


def test_under_the_continue_rule_the_run_sheet_has_no_such_note():
    carried_on = sib.run(build({**RAW, "insolvency": {"rule": "continue"}}), reps=2, seed=0, executor="serial")
    facts = dict(run_facts(carried_on, "en").itertuples(index=False))
    assert "note" not in facts and facts["simulations"] == 2


def test_amounts_are_grouped_and_the_header_stays_in_view(book):
    sheet = book["Nyckeltal"]
    head = [c.value for c in sheet[1]]
    whole = sheet[2][head.index("värde")]
    assert whole.number_format == "#,##0"  # 2 469,12 kr as 2 469
    assert sheet[2][head.index("medelfel (simuleringarna)")].number_format == "#,##0.00"  # 0: small numbers keep decimals
    assert all(ws.freeze_panes == "A2" for ws in book.worksheets)
