"""docs/sources.md, the sources page: every work in sib/references.yaml, by key, with what the
scenarios take from it (in English).

    python -m tools.sources_page [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sib.references import references

DOC = Path(__file__).resolve().parents[1] / "docs" / "sources.md"


def page() -> str:
    """docs/sources.md: every work, by key, with what the scenarios take from it (in English)."""
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
        note = f" — {ref.note('en')}" if ref.note else ""
        lines.append(f'- <a id="{ref.key}"></a>**[{ref.key}]** {ref.text("en")}{note}')
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
