"""``sib/fmt.py``: every amount, share and date a person reads (the dashboard, the CLI, the
workbook, the council summary) is written here, the Swedish way (``8 513 250 kr``, decimal
commas) or the English way (``SEK 8,513,250``), and typed numbers are read back here.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from sib.fmt import date, group, kr, mnkr, number, parse_number, percent, separators

MINUS = "\u2212"  # the minus sign, which a hyphen is not


@pytest.mark.parametrize(
    "amount, lang, expected",
    [
        # The direct award limit of 2025 (LOU), as the dashboard shows it in each language.
        (8_513_250, "sv", "8 513 250 kr"),
        (8_513_250, "en", "SEK 8,513,250"),
        (-8_513_250, "sv", f"{MINUS}8 513 250 kr"),
        (-8_513_250, "en", f"SEK {MINUS}8,513,250"),
        (999, "sv", "999 kr"),
        (1_000, "sv", "1 000 kr"),
        (0, "en", "SEK 0"),
    ],
)
def test_an_amount_is_grouped_in_thousands_with_the_currency_where_each_language_puts_it(amount, lang, expected):
    assert kr(amount, lang=lang) == expected


def test_an_amount_in_ore_is_shown_to_the_ore_with_a_decimal_comma_in_swedish():
    """1 234 567 öre is 12 345,67 kr: the ledger's amounts divided by 100, shown with two decimals."""
    assert kr(1_234_567 / 100, 2) == "12 345,67 kr"
    assert kr(1_234_567 / 100, 2, lang="en") == "SEK 12,345.67"
    assert kr(5 / 100, 2) == "0,05 kr"
    # A non-breaking space keeps an amount on one line in a table cell when asked for.
    assert kr(1_234_567, space="\u00a0") == "1\u00a0234\u00a0567 kr"
    # Another currency by its code, where kr would be.
    assert kr(1_234_567, currency="EUR") == "1 234 567 EUR" and kr(1_234_567, lang="en", currency="EUR") == "EUR 1,234,567"


def test_millions_are_written_as_municipal_budgets_write_them():
    assert mnkr(6_700_000) == "6,7 mnkr"
    assert mnkr(6_700_000, lang="en") == "SEK 6.7m"
    assert mnkr(-12_340_000, 2) == f"{MINUS}12,34 mnkr"
    assert mnkr(6_700_000, currency="EUR") == "6,7 M EUR" and mnkr(6_700_000, lang="en", currency="EUR") == "EUR 6.7m"


def test_shares_are_percentages_with_a_space_before_the_sign_in_swedish_only():
    assert percent(0.4) == "40,0 %"
    assert percent(0.4, lang="en") == "40.0%"
    assert percent(0.1234, 2) == "12,34 %"
    assert percent(0.9999) == "100,0 %"  # 99.99 to one decimal
    assert percent(1.5, 0) == "150 %"


def test_nothing_to_show_is_a_dash_and_a_date_is_iso_in_both_languages():
    for shown in (kr(None), kr(math.nan), mnkr(math.nan), percent(math.nan), number(math.nan), group(math.nan), date(None)):
        assert shown == "–"
    assert date(dt.date(2027, 3, 31)) == "2027-03-31"


def test_a_small_negative_amount_that_rounds_to_zero_has_no_minus_sign():
    """−0,40 kr shown in whole kronor is 0 kr, not −0 kr."""
    assert kr(-0.4) == "0 kr"
    assert group(-0.004, 2) == "0,00"
    assert group(-0.06, 1) == f"{MINUS}0,1"


@pytest.mark.parametrize(
    "shown, expected",
    [
        (lambda: mnkr(-50_000), f"{MINUS}0,1 mnkr"),
        (lambda: percent(-0.0005), f"{MINUS}0,1 %"),
        (lambda: kr(-0.005, 2), f"{MINUS}0,01 kr"),
        (lambda: mnkr(-49_999), "0,0 mnkr"),
    ],
    ids=["mnkr", "percent", "kr", "mnkr below the half"],
)
def test_a_negative_amount_on_the_rounding_boundary_is_rounded_half_up_and_never_shown_as_minus_zero(shown, expected):
    """A half is rounded away from zero, as the engine rounds öre; −0,0 is never shown (it once was,
    when the sign was decided on the binary float and the digits by Babel's half to even)."""
    assert shown() == expected


def test_money_is_rounded_half_up_as_written_not_half_to_even():
    """2,5 kr is 3 kr and 12 345,675 kr is 12 345,68 kr, as a Swede rounds and as the ledger
    rounds öre (Babel alone rounds half to even, and 2.675 as the binary float below it)."""
    assert kr(2.5) == "3 kr" and kr(3.5) == "4 kr"
    assert kr(8_513_250.5) == "8 513 251 kr"
    assert kr(12_345.675, 2) == "12 345,68 kr" and kr(12_345.675, 2, "en") == "SEK 12,345.68"
    assert kr(-2.5) == f"{MINUS}3 kr"


def test_a_plain_number_shows_as_many_decimals_as_it_has_up_to_six():
    assert number(0.25) == "0,25" and number(0.25, "en") == "0.25"
    assert number(3.0) == "3"
    assert number(1_234_567.5) == "1 234 567,5" and number(1_234_567.5, "en") == "1,234,567.5"
    assert number(1 / 3) == "0,333333"


@pytest.mark.parametrize("value, expected", [(-0.25, f"{MINUS}0,25"), (-1e-9, "0"), (-0.0000005, f"{MINUS}0,000001")])
def test_a_negative_plain_number_is_written_with_the_minus_sign_and_never_as_minus_zero(value, expected):
    assert number(value) == expected


def test_a_charts_axis_gets_the_decimal_mark_then_the_thousands_separator():
    assert separators("sv") == ", "
    assert separators("en") == ".,"


@pytest.mark.parametrize(
    "typed, lang, value",
    [
        ("8 513 250 kr", "sv", 8_513_250),  # what the Swedish page shows, read back
        ("8\u00a0513\u00a0250", "sv", 8_513_250),  # copied with non-breaking spaces
        ("1,5", "sv", 1.5),
        ("1.5", "sv", 1.5),  # a decimal point is accepted in Swedish too
        ("1 234,5", "sv", 1_234.5),
        ("1,234.5", "en", 1_234.5),
        ("1,234,567", "en", 1_234_567),
        (f"{MINUS}3", "sv", -3),  # the minus sign as the page writes it
        ("-3,25", "sv", -3.25),  # a hyphen as a keyboard types it
        ("12 %", "sv", 12),
        ("40%", "en", 40),
        ("250 SEK", "en", 250),
        ("SEK 8,513,250", "en", 8_513_250),  # what the English page shows, read back
        (f"SEK {MINUS}1,000.50", "en", -1_000.5),
    ],
)
def test_a_typed_number_is_read_the_way_a_person_writes_it(typed, lang, value):
    assert parse_number(typed, lang) == value


@pytest.mark.parametrize("typed", ["", "   ", " kr", "abc", "1,2,3,4.5.6"])
def test_what_is_not_a_number_is_refused_with_a_value_error(typed):
    with pytest.raises(ValueError):
        parse_number(typed, "sv")
