"""The validation report: checks as rows, the correction for their number, and the Markdown.

Two kinds of check. An *exact* check compares a figure sib computes with one worked out
independently (by hand arithmetic, a closed form evaluated exactly, or another library): it
passes only on equality (to the öre, the day, or a stated floating-point tolerance). A
*statistical* check compares a Monte Carlo estimate with its expected value: it passes when
the difference lies within ``crit × se``, where ``crit`` is the two-sided critical value for
the family-wise false-alarm probability ``FAMILY_ALPHA`` shared by all statistical checks of
the run (Bonferroni). Bonferroni rather than Holm because each check then has one interval,
fixed before the run, that can be printed next to it; Holm would make a check's interval
depend on the other checks' p-values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scipy import stats

#: Probability that a correct sib fails at least one statistical check of a run.
FAMILY_ALPHA = 0.001
#: Power at which the smallest detectable error of a statistical check is stated.
POWER = 0.9


@dataclass
class Check:
    """One row of the report.

    For a statistical check ``se`` is the standard error of ``simulated`` (under the expected
    value where a closed form gives it) and ``dof`` the degrees of freedom of a Student-t
    interval (None: normal). For an exact check ``se`` is None and ``passed`` is given.
    """

    group: str
    name: str
    compared_with: str
    expected: float | str
    simulated: float | str
    detects: str
    se: float | None = None
    dof: int | None = None
    passed: bool | None = None
    unit: str = ""
    seed: str = ""
    # Filled in by ``Report.finalise`` for statistical checks:
    crit: float | None = None

    @property
    def statistical(self) -> bool:
        return self.se is not None

    def critical(self, m: int) -> float:
        """Two-sided Bonferroni critical value for one of ``m`` statistical checks."""
        q = FAMILY_ALPHA / (2 * m)
        return float(stats.t.isf(q, self.dof) if self.dof else stats.norm.isf(q))

    def detectable(self) -> float | None:
        """The smallest true error this check finds with probability ``POWER``."""
        if self.se is None or self.crit is None:
            return None
        z_power = float(stats.t.ppf(POWER, self.dof) if self.dof else stats.norm.ppf(POWER))
        return (self.crit + z_power) * self.se


@dataclass
class Report:
    """All checks of one run, with what is needed to repeat it."""

    checks: list[Check]
    full: bool
    seconds: float = 0.0
    seeds: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    when: str = ""

    def finalise(self) -> Report:
        """Set each statistical check's critical value and verdict (Bonferroni over them all)."""
        stat = [c for c in self.checks if c.statistical]
        m = max(1, len(stat))
        for c in stat:
            c.crit = c.critical(m)
            c.passed = abs(float(c.simulated) - float(c.expected)) <= c.crit * float(c.se)
        if not self.versions:
            self.versions = versions()
        if not self.when:
            self.when = dt.date.today().isoformat()
        return self

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def n_statistical(self) -> int:
        return sum(c.statistical for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "ok": self.ok}


def versions() -> dict[str, str]:
    """Versions of what the figures depend on."""
    import numpy
    import scipy
    import simpy

    import sib

    out = {
        "sib": sib.__version__,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "simpy": simpy.__version__,
    }
    for name in ("pyxirr", "ciw"):
        try:
            out[name] = __import__(name).__version__
        except (ImportError, AttributeError):  # pragma: no cover - optional in a bare install
            out[name] = "not installed"
    return out


# ------------------------------------------------------------------------------ Markdown


def _num(x: float | str, unit: str = "") -> str:
    if isinstance(x, str):
        return x
    if isinstance(x, bool):
        return str(x)
    if math.isnan(x):
        return "NaN"
    a = abs(x)
    if x == int(x) and a < 1e15:
        s = f"{int(x):,}".replace(",", " ")
    elif a >= 100:
        s = f"{x:,.2f}".replace(",", " ")
    elif a >= 0.01:
        s = f"{x:.4f}"
    else:
        s = f"{x:.4g}"
    return f"{s} {unit}".rstrip()


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _interval(c: Check) -> str:
    if not c.statistical:
        return "exact"
    half = (c.crit or 0.0) * float(c.se)
    est = float(c.simulated)
    return f"[{_num(est - half)}, {_num(est + half)}]"


def _detects(c: Check) -> str:
    d = c.detectable()
    return c.detects if d is None else f"{c.detects} (finds an error ≥ {_num(d, c.unit)} with 90 % power)"


def render(report: Report) -> str:
    """The report as Markdown."""
    mode = "full" if report.full else "fast (`--fast`)"
    m = report.n_statistical
    lines = [
        "# Validation",
        "",
        "<!-- Generated by `python -m validation` (tests/validation/). Do not edit by hand. -->",
        "",
        "What sib computes, compared with what it should compute: closed forms of the",
        "pathway and the waiting list, an independent queue simulator (Ciw), hand-computed",
        "money on deterministic scenarios, pyxirr and an independent root-finder, and a",
        "published outcomes contract.",
        "",
        f"- Run: {mode}, {report.when}, {report.seconds:.0f} s; "
        f"**{len(report.checks) - len(report.failed)} of {len(report.checks)} checks pass**.",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in report.versions.items()) + ".",
        f"- Correction for the number of checks: **Bonferroni** over the {m} statistical checks, "
        f"family-wise false-alarm probability {FAMILY_ALPHA} (each check two-sided at "
        f"{FAMILY_ALPHA}/{m}). A statistical check passes when the expected value lies in the "
        "interval shown (the estimate ± the corrected critical value × its standard error; "
        "Student-t where replications give the standard error). Exact checks must agree to the "
        "öre and the day (or the stated tolerance) and are not corrected.",
        "- The *detects* column names the error each check is sized to catch; for a statistical "
        f"check it adds the smallest error it finds with {int(POWER * 100)} % power "
        "((critical value + z₀.₉) × standard error).",
        "",
        "| # | group | check | compared with | expected | simulated | interval | detects | result |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for i, c in enumerate(report.checks, 1):
        lines.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    str(i),
                    c.group,
                    c.name,
                    c.compared_with,
                    _num(c.expected, c.unit),
                    _num(c.simulated, c.unit),
                    _interval(c),
                    _detects(c),
                    "pass" if c.passed else "**FAIL**",
                )
            )
            + " |"
        )
    lines += [
        "",
        "## Seeds",
        "",
        "Each group runs with its own fixed seed; rerun one with `sib.simulate(scenario, seed, replication=i)`.",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in report.seeds.items()]
    lines.append("")
    return "\n".join(lines)


def write_report(report: Report, path: str | Path) -> Path:
    """Write the report as Markdown to ``path`` (folders created); returns the path."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(render(report), encoding="utf-8")
    return p
