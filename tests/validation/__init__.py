"""sib's validation suite: what sib computes against what it should compute.

``run_checks(full)`` runs every check and returns a :class:`Report`; ``write_report`` writes it
as Markdown (docs/validation.md). ``python -m validation [--fast] [--out PATH]`` does both
and exits 1 if a check fails. Each module holds one group of checks:

- ``competing`` — competing risks vs the closed form;
- ``survival`` — tenancy survival in bostad_forst.yaml vs S(t);
- ``queue`` — the waiting list vs Erlang C, M/M/c/K, Ciw and Little's law;
- ``payments`` — payment timing, tiers and caps, exact;
- ``comparison`` — paying on an effect against a comparison group vs its closed form;
- ``finance`` — interest, VAT, wage subsidies, guarantees, IRR/NPV/multiple, exact;
- ``liquidity`` — days short within grace, the insolvency test, continuation after a stop, exact;
- ``fair_chance`` — the published Fair Chance Fund contract (Depaul);
- ``economics`` — avoided costs on the same people over the same days, exact;
- ``spread`` — the parameters' share of a figure's variance vs the law of total variance;
- ``report`` — the rows, the Bonferroni correction and the Markdown.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from validation.report import Check, Report, render, write_report

__all__ = ["GROUPS", "Check", "Report", "render", "run_checks", "write_report"]


def _groups() -> dict[str, Callable[[bool], tuple[list[Check], dict[str, str]]]]:
    from validation import (
        comparison,
        competing,
        economics,
        fair_chance,
        finance,
        liquidity,
        payments,
        queue,
        spread,
        survival,
    )

    return {
        "competing risks": competing.run,
        "tenancy survival": survival.run,
        "waiting list": queue.run,
        "payments": payments.run_all,
        "comparison group": comparison.run,
        "finance": finance.run_all,
        "liquidity and failure": liquidity.run_all,
        "published contract": fair_chance.run,
        "economics": economics.run_all,
        "where the spread comes from": spread.run,
    }


GROUPS = (
    "competing risks",
    "tenancy survival",
    "waiting list",
    "payments",
    "comparison group",
    "finance",
    "liquidity and failure",
    "published contract",
    "economics",
    "where the spread comes from",
)


def run_checks(full: bool = True, only: tuple[str, ...] | None = None) -> Report:
    """Run the checks (``full``: the large samples of the published report; else a subset
    sized to run in seconds) and return the finalised report."""
    t0 = time.perf_counter()
    checks: list[Check] = []
    seeds: dict[str, str] = {}
    for name, fn in _groups().items():
        if only is not None and name not in only:
            continue
        got, s = fn(full)
        checks += got
        seeds.update(s)
    return Report(checks, full=full, seconds=time.perf_counter() - t0, seeds=seeds).finalise()
