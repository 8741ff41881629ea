"""The works the reference scenarios cite, in full: one list, written once (``references.yaml``).

A scenario's ``sources:`` entry names a work by its key in square brackets — ``[skr-po-2023]`` —
and says what it takes from it; this module turns the keys into full references for the
assumptions table (dashboard and workbook) and writes the sources page, docs/sources.md
(``make docs``). A key is lower case with at least one hyphen, so ordinary brackets in a
sentence are not taken for one.

    python -m sib.references [--check]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("references.yaml")
DOC = Path(__file__).resolve().parents[1] / "docs" / "sources.md"
KEY = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)+)\]")


@dataclass(frozen=True)
class Reference:
    """One work: who published it, its title, when, where to find it, and what it is for."""

    key: str
    by: str
    title: str
    year: str
    url: str = ""
    note: str = ""

    def text(self) -> str:
        """The reference as one line: body (year). Title. URL."""
        parts = [f"{self.by} ({self.year}). {self.title}."]
        if self.url:
            parts.append(self.url)
        return " ".join(parts)


@cache
def references() -> dict[str, Reference]:
    """Every work by key, in the file's order."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {key: Reference(key=key, **{k: str(v) for k, v in entry.items()}) for key, entry in raw.items()}


def cited(text: str) -> list[str]:
    """The keys a source text cites, in order, each once."""
    return list(dict.fromkeys(KEY.findall(text)))


def full(text: str) -> str:
    """The full references of the keys ``text`` cites, one per line (unknown keys are named as
    such, so a typo shows in the table instead of vanishing)."""
    known = references()
    return "\n".join(known[k].text() if k in known else f"[{k}]: not in the sources list" for k in cited(text))


def page() -> str:
    """docs/sources.md: every work, by key, with what the scenarios take from it."""
    lines = [
        "# Sources",
        "",
        "The works the reference scenarios in `scenarios/` cite. A scenario's `sources:` entry names a",
        "work by its key in square brackets and says what it takes from it; a value no work gives is",
        "marked *assumption* there, with its reasoning. Generated from `sib/references.yaml` by",
        "`make docs`; a test fails if this page is out of date or a scenario cites a key that is not here.",
        "",
    ]
    for ref in references().values():
        lines.append(f"- <a id=\"{ref.key}\"></a>**[{ref.key}]** {ref.text()}" + (f" — {ref.note}" if ref.note else ""))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write docs/sources.md from sib/references.yaml.")
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/sources.md is out of date")
    args = parser.parse_args(argv)
    text = page()
    if args.check:
        ok = DOC.is_file() and DOC.read_text(encoding="utf-8") == text
        print("docs/sources.md is up to date" if ok else "docs/sources.md is out of date: run `make docs`")
        return 0 if ok else 1
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
