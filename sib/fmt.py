"""Showing numbers and dates the Swedish way (``8 513 250 kr``, ``2027-03-31``) or the English way."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import NumberFormatError, format_decimal, get_decimal_symbol, get_group_symbol, parse_decimal

#: The locale each language's numbers are written in (Babel, from the Unicode CLDR).
LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def group(number: float, decimals: int = 0, lang: str = "sv", space: str = " ") -> str:
    """Digits in groups of three the locale's way (Babel): Swedish with spaces and a decimal
    comma, English with commas; a minus sign (−), not a hyphen."""
    if number is None or (isinstance(number, float) and math.isnan(number)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _signed(number, _half_up(abs(number), decimals), pattern, lang, space)


def _half_up(value: float, decimals: int) -> Decimal:
    """The value as written (its shortest decimal form) rounded half up, as a Swede rounds
    money and as the engine rounds öre: 2,5 kr shows as 3 kr, not as Babel's default 2."""
    if not math.isfinite(value):
        return Decimal(value)
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _signed(number: float, magnitude: Decimal, pattern: str, lang: str, space: str) -> str:
    """The magnitude formatted, with a minus sign (−, not a hyphen) only where a digit shown is
    not zero: −0,04 mnkr rounds to 0,0 mnkr, never to −0,0."""
    text = format_decimal(magnitude, format=pattern, locale=LOCALES.get(lang, "en_GB"), decimal_quantization=False)
    text = text.replace("\u00a0", space).replace("\u202f", space)
    shown = any(c in "123456789" for c in text)
    return ("−" if number < 0 and shown else "") + text


def parse_number(text: str, lang: str = "sv") -> float:
    """A number as a person types it: a decimal comma or point, spaces between thousands
    (Babel's parser, lenient on both marks), a minus or a hyphen. ValueError: not a number."""
    cleaned = text.strip().replace("−", "-").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    for suffix in ("kr", "SEK", "%"):
        cleaned = cleaned.removesuffix(suffix)
    cleaned = cleaned.removeprefix("SEK")  # as an amount is shown in English: SEK 8,513,250
    if not cleaned:
        raise ValueError("empty")
    try:
        return float(parse_decimal(cleaned, locale=LOCALES.get(lang, "en_GB")))
    except NumberFormatError as exc:
        raise ValueError(str(exc)) from None


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


def separators(lang: str = "sv") -> str:
    """The decimal mark then the thousands separator, as a chart's axis takes them (``", "`` in
    Swedish, ``".,"`` in English), from the same locale data as every other number."""
    locale = LOCALES.get(lang, "en_GB")
    return (get_decimal_symbol(locale) + get_group_symbol(locale)).replace("\u00a0", " ").replace("\u202f", " ")


def number(value: float, lang: str = "sv") -> str:
    """A plain number with as many decimals as it has (up to six), the locale's way: ``0,25``
    (sv) or ``0.25`` (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return _signed(value, _half_up(abs(value), 6).normalize(), "#,##0.######", lang, " ")


def percent(share: float, decimals: int = 1, lang: str = "sv") -> str:
    """A share as a percentage: ``40,0 %`` (sv) or ``40.0%`` (en)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    digits = group(100 * share, decimals, lang)
    return f"{digits} %" if lang == "sv" else f"{digits}%"


def date(value: dt.date | None) -> str:
    """ISO dates in both languages (Swedish usage is ISO: 2027-03-31)."""
    return "–" if value is None else value.isoformat()
