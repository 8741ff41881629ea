"""Telling the two languages apart in a text: the words each uses that the other does not,
shared by the element-tree check (test_language) and the browser's (test_browser)."""

from __future__ import annotations

import re

#: Words of one language that the other does not use (a shared word such as "per", "in" or
#: "risk" would prove nothing).
ENGLISH = set(
    [
        "the",
        "and",
        "of",
        "with",
        "without",
        "provider",
        "municipality",
        "cost",
        "costs",
        "share",
        "credit",
        "guarantee",
        "days",
        "months",
        "years",
        "monthly",
        "quarterly",
        "stop",
        "continue",
        "seed",
        "select",
        "upload",
        "average",
        "probability",
        "cannot",
        "must",
        "got",
        "allowed",
        "are",
        "not",
        "from",
        "paid",
        "participants",
        "contract",
        "simulations",
        "replications",
        "drag",
        "drop",
        "browse",
        "press",
        "enter",
        "submit",
        "deploy",
        "choose",
    ]
)
SWEDISH = set(
    [
        "och",
        "att",
        "det",
        "för",
        "med",
        "utan",
        "kommunens",
        "utföraren",
        "kostnad",
        "andel",
        "kredit",
        "garanti",
        "dagar",
        "månader",
        "inte",
        "är",
        "som",
        "av",
        "på",
        "till",
        "från",
        "simuleringar",
        "deltagare",
        "avtalet",
    ]
)


def foreign(text: str, words: set[str], data: list[str]) -> set[str]:
    """The words of ``words`` in ``text``, once the user's own names (``data``), web addresses,
    quotations, code and field paths are taken out."""
    for name in data:
        text = text.replace(name, " ")
    text = re.sub(r"https?://\S+", " ", text)  # addresses
    text = re.sub(r'"[^"\n]*"|“[^”\n]*”', " ", text)  # a source quoted in its own words
    text = re.sub(r"`[^`]*`", " ", text)  # code
    text = re.sub(r"\b[a-z_]+(\.[a-z0-9_\[\]]+)+\b", " ", text)  # field paths
    return set(re.findall(r"[a-zåäö]+", text.lower())) & words
