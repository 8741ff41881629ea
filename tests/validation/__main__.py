"""``python -m validation [--fast] [--out PATH]``: run the checks, write the report, and
exit 1 if any check fails (so CI and ``make validate`` can rely on the exit status)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from validation import run_checks, write_report

DEFAULT_OUT = Path("docs/validation.md")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m validation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast", action="store_true", help="small samples: seconds instead of minutes")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"where to write the report (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    report = run_checks(full=not args.fast)
    path = write_report(report, args.out)
    for c in report.checks:
        print(f"{'pass' if c.passed else 'FAIL'}  {c.group}: {c.name}")
    n, bad = len(report.checks), len(report.failed)
    print(f"{n - bad} of {n} checks pass ({report.seconds:.0f} s); report written to {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
