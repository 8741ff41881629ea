"""Showing numbers and dates the Swedish way (``8 513 250 kr``, ``2027-03-31``) or the English way."""

from __future__ import annotations

import datetime as dt
import math

NBSP = "\u00a0"  # a no-break space keeps ``8 513 250 kr`` on one line


def group(number: float, decimals: int = 0, lang: str = "sv", space: str = " ") -> str:
    """Digits in groups of three: Swedish with spaces and a decimal comma, English with commas."""
    if number is None or (isinstance(number, float) and math.isnan(number)):
        return "–"
    text = f"{abs(number):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", space).replace(".", ",")
    sign = "−" if number < 0 and round(abs(number), decimals) != 0 else ""
    return sign + text


def kr(amount: float, decimals: int = 0, lang: str = "sv", space: str = " ", currency: str = "SEK") -> str:
    """An amount of money: ``1 234 567 kr`` (sv) or ``SEK 1,234,567`` (en); another currency
    by its code: ``1 234 567 EUR`` (sv) or ``EUR 1,234,567`` (en)."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "–"
    digits = group(amount, decimals, lang, space)
    if lang == "sv":
        return f"{digits} {'kr' if currency == 'SEK' else currency}"
    return f"{currency} {digits}"


def mnkr(amount: float, decimals: int = 1, lang: str = "sv", currency: str = "SEK") -> str:
    """A large amount in millions, as municipal budgets write it: ``6,7 mnkr`` (sv) or
    ``SEK 6.7m`` (en); another currency by its code: ``6,7 M EUR`` / ``EUR 6.7m``."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "–"
    digits = group(amount / 1e6, decimals, lang)
    if lang == "sv":
        return f"{digits} {'mnkr' if currency == 'SEK' else 'M ' + currency}"
    return f"{currency} {digits}m"


def percent(share: float, decimals: int = 1, lang: str = "sv") -> str:
    """A share as a percentage: ``40,0 %`` (sv) or ``40.0%`` (en)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    digits = group(100 * share, decimals, lang)
    return f"{digits} %" if lang == "sv" else f"{digits}%"


def date(value: dt.date | None) -> str:
    """ISO dates in both languages (Swedish usage is ISO: 2027-03-31)."""
    return "–" if value is None else value.isoformat()
