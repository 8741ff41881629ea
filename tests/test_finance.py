"""Rates of return and present values against pyxirr and Excel's documented results."""

import datetime as dt
import math

import pytest
import pyxirr

from sib.finance import irr, npv, xnpv

EXCEL_DATES = [dt.date(2008, 1, 1), dt.date(2008, 3, 1), dt.date(2008, 10, 30), dt.date(2009, 2, 15), dt.date(2009, 4, 1)]
EXCEL_FLOWS = [-10_000, 2_750, 4_250, 3_250, 2_750]


def test_irr_matches_excels_xirr_example():
    """Excel's XIRR help: these flows give 37.34 %."""
    rate, why = irr(EXCEL_DATES, EXCEL_FLOWS)
    assert rate == pytest.approx(0.373362535, abs=1e-8) and why == ""
    assert rate == pytest.approx(pyxirr.xirr(EXCEL_DATES, EXCEL_FLOWS))


def test_xnpv_matches_excels_example():
    """Excel's XNPV help: at 9 % these flows are worth 2 086.65."""
    assert xnpv(0.09, EXCEL_DATES, EXCEL_FLOWS) == pytest.approx(2086.6476, abs=1e-3)


def test_npv_conventions():
    """Excel's NPV discounts the first flow a whole period; the t = 0 convention does not."""
    excel = npv(0.1, [-100, 50, 60])
    at_zero = npv(0.1, [-100, 50, 60], first_discounted=False)
    assert excel == pytest.approx(-100 / 1.1 + 50 / 1.1**2 + 60 / 1.1**3)
    assert at_zero == pytest.approx(-100 + 50 / 1.1 + 60 / 1.1**2)


def test_total_loss_is_minus_one_hundred_percent():
    rate, why = irr([dt.date(2027, 1, 1), dt.date(2030, 1, 1)], [-1_000_000, 0.0001])
    assert rate == pytest.approx(-1.0, abs=1e-3)


def test_no_sign_change_is_nan_with_a_reason():
    rate, why = irr(EXCEL_DATES[:3], [100, 200, 300])
    assert math.isnan(rate) and "do not change sign" in why


def test_non_conventional_flows_with_two_roots_are_nan_not_one_of_them():
    """-100, +230, -132 a year apart has two rates, about 10 % and 20 %: pyxirr returns one of
    them silently; sib must not."""
    dates = [dt.date(2020, 1, 1), dt.date(2021, 1, 1), dt.date(2022, 1, 1)]
    assert not math.isnan(pyxirr.xirr(dates, [-100, 230, -132]))
    rate, why = irr(dates, [-100, 230, -132])
    assert math.isnan(rate) and "more than once" in why


def test_flows_that_change_sign_more_than_once_get_no_rate():
    """Three roots close together (9.8 %, 10.1 %, 50 %) or one far out (10 % and 1 200 %): a scan
    could miss either, so any second sign change gives NaN with its reason."""
    dates = [dt.date(2020, 1, 1), dt.date(2021, 1, 1), dt.date(2022, 1, 1), dt.date(2023, 1, 1)]
    for flows in ([-551466.43, 2039874.33, -2485678.69, 1e6], [69930.07, -986013.99, 1e6, 0]):
        rate, why = irr(dates, flows)
        assert math.isnan(rate) and "more than once" in why
