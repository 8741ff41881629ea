"""The works the reference scenarios cite, in full: one list, written once (``references.yaml``).

A scenario's ``sources:`` entry names a work by its key in square brackets — ``[skr-po-2023]`` —
and says what it takes from it; this module turns the keys into full references for the
assumptions table (dashboard and workbook) and for the sources page, docs/sources.md
(``tools/sources_page.py``, run by ``make docs``). A key is lower case with at least one hyphen, so ordinary brackets in a
sentence are not taken for one.

A work keeps its own title, in the language it was published in; what the scenarios take from
it (``part``) and any ``note`` are written in Swedish and English, and a reference reads in the
language asked for or in force (:mod:`sib.i18n`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from sib.i18n import Text, say

DATA = Path(__file__).with_name("references.yaml")
KEY = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)+)\]")
FIELDS = ("by", "title", "part", "year", "url", "note")
UNDATED = Text("u.å.", "n.d.")


@dataclass(frozen=True)
class Reference:
    """One work: who published it, its title, when, where to find it, and what it is for."""

    key: str
    by: Text
    """Who published it (the same in both languages unless it holds words: "…, citing …")."""
    title: str
    """The work's own title, in its own language, as published: never translated."""
    year: Text = UNDATED
    """When it was published ("u.å." / "n.d." if it is undated)."""
    url: str = ""
    """Where to read it, if it is online."""
    part: Text | None = None
    """Which provisions, pages or figures the scenarios take from it, in both languages."""
    note: Text | None = None
    """Anything more a reader should know about the work, in both languages (the sources page)."""

    def text(self, lang: str | None = None) -> str:
        """The reference as one line, in ``lang`` (or the language in force):
        body (year). Title. What the scenarios take from it. URL."""
        parts = [f"{self.by(lang)} ({self.year(lang)}).", _sentence(self.title)]
        if self.part:
            parts.append(_sentence(self.part(lang)))
        if self.url:
            parts.append(self.url)
        return " ".join(parts)


@cache
def references() -> dict[str, Reference]:
    """Every work by key, in the file's order."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {key: _reference(key, entry) for key, entry in raw.items()}


def cited(text: str) -> list[str]:
    """The keys a source text cites, in order, each once."""
    return list(dict.fromkeys(KEY.findall(text)))


def full(text: str, lang: str | None = None) -> str:
    """The full references of the keys ``text`` cites, one per line, in ``lang`` (or the language
    in force); unknown keys are named as such, so a typo shows in the table instead of vanishing."""
    known = references()
    return "\n".join(
        known[k].text(lang)
        if k in known
        else say("[{key}]: finns inte i källförteckningen", "[{key}]: not in the sources list", lang, key=k)
        for k in cited(text)
    )


def _reference(key: str, entry: dict) -> Reference:
    """One entry of references.yaml, checked: a title in one language, a part and a note in both."""

    def fail(problem: str) -> ValueError:
        return ValueError(f"sib/references.yaml, {key}: {problem}")

    if not isinstance(entry, dict):
        raise fail("expected the fields " + ", ".join(FIELDS))
    if unknown := set(entry) - set(FIELDS):
        raise fail(f"unknown field(s) {', '.join(sorted(unknown))}; the fields are {', '.join(FIELDS)}")
    for name in ("by", "title"):
        if not entry.get(name):
            raise fail(f"{name} is missing")
    if not isinstance(entry["title"], (str, int)):
        raise fail("title is the work's own title, one text (it is not translated)")

    def pair(name: str, *, both: bool) -> Text | None:
        value = entry.get(name)
        if value is None:
            return None
        if isinstance(value, dict):
            if set(value) != {"sv", "en"} or not all(str(v).strip() for v in value.values()):
                raise fail(f"{name} needs both halves, {{sv: …, en: …}}, and nothing else")
            return Text(str(value["sv"]).strip(), str(value["en"]).strip())
        if both:
            raise fail(f"{name} is read in both languages: write it as {{sv: …, en: …}}")
        return Text(str(value), str(value))

    return Reference(
        key=key,
        by=pair("by", both=False),  # type: ignore[arg-type]
        title=str(entry["title"]),
        year=pair("year", both=False) or UNDATED,
        url=str(entry.get("url") or ""),
        part=pair("part", both=True),
        note=pair("note", both=True),
    )


def _sentence(text: str) -> str:
    """``text`` ending in a full stop (unless it ends in one, or in a question or exclamation mark)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."
