"""The reference scenarios' key figures, as the README's tables (``make figures``).

Each scenario in ``scenarios/`` at 1 000 replications with seed 0, then the outcome-share
sweep of Bostad först with and without the guarantee under both insolvency rules: the
municipality's whole cost, what it paid the provider, the provider's insolvency risk, how
often the service stopped, and the extra credit that would have carried the provider (P50, P95);
and for each family of scenarios the whole cost per budget year, with the range of 90 % of runs.
Rerun after any change to the model or the scenarios, and paste the output into the README.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import sib
from sib.scenario.edit import with_values

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
REPS, SEED = 1000, 0
SHARES = (0.2, 0.4, 0.6, 0.75)
SWEPT = ("bostad_forst", "bostad_forst_utan_garanti", "bostad_forst_utan_garanti_fakturabelaning")
HEADER = "| | whole cost | paid to the provider | insolvent | service stopped | extra credit P50 | P95 |\n|---|--:|--:|--:|--:|--:|--:|"


def _run(scenario: sib.Scenario, reps: int = REPS) -> pd.DataFrame:
    return sib.run(scenario, reps=reps, seed=SEED).summary


def row(label: str, m: pd.DataFrame) -> str:
    """One table row: means in MSEK, risks in per cent, the funding need's quantiles in kSEK."""
    mean = {
        c: float(m[c].astype(float).mean())
        for c in ("commissioner_whole_cost", "commissioner_paid", "provider_insolvent", "service_stopped")
    }
    p50, p95 = np.quantile(m["funding_need"].astype(float).to_numpy(), [0.5, 0.95])

    def thousands(x: float) -> str:
        return f"{x / 1e3:,.0f} k".replace(",", " ")

    return (
        f"| {label} | {mean['commissioner_whole_cost'] / 1e6:.1f} M | {mean['commissioner_paid'] / 1e6:.1f} M "
        f"| {100 * mean['provider_insolvent']:.1f} % | {100 * mean['service_stopped']:.1f} % "
        f"| {thousands(p50)} | {thousands(p95)} |"
    )


def budget_years(label: str, m: pd.DataFrame, years: list[int]) -> str:
    """One row of the municipality's whole cost per budget year (cash): the mean in MSEK and,
    under it, the range of the middle 90 % of runs."""
    cells = []
    for y in years:
        column = f"commissioner_whole_cost_{y}"
        x = m[column].astype(float).to_numpy() if column in m else np.zeros(len(m))
        p5, p95 = np.quantile(x, [0.05, 0.95])
        cells.append(f"{x.mean() / 1e6:.1f} ({p5 / 1e6:.1f}–{p95 / 1e6:.1f})")
    return f"| {label} | " + " | ".join(cells) + " |"


def main() -> None:
    print(f"Reference scenarios ({REPS} replications, seed {SEED}, sib {sib.__version__}):\n")
    print(HEADER)
    runs = {}
    for path in sorted(SCENARIOS.glob("*.yaml")):
        runs[path.name] = m = _run(sib.load_scenario(path))
        print(row(f"`{path.name}`", m), flush=True)
    for family in ("arbetsintegrering", "bostad_forst"):
        mine = {name: m for name, m in runs.items() if name.startswith(family)}
        years = sorted(
            {
                int(c.rsplit("_", 1)[1])
                for m in mine.values()
                for c in m.columns
                if c.startswith("commissioner_whole_cost_") and c[-4:].isdigit()
            }
        )
        print(f"\nThe municipality's whole cost per budget year (cash), MSEK: mean (P5–P95), `{family}*`:\n")
        print("| | " + " | ".join(str(y) for y in years) + " |")
        print("|---|" + "--:|" * len(years))
        for name, m in mine.items():
            print(budget_years(f"`{name}`", m, years), flush=True)
    for name in SWEPT:
        scenario = sib.load_scenario(SCENARIOS / f"{name}.yaml")
        print(f"\n`{name}.yaml` by outcome share:\n")
        print(HEADER)
        for rule in ("stop", "continue"):
            for share in SHARES:
                changed = with_values(scenario, {"contract.outcome_share": share, "insolvency.rule": rule})
                print(row(f"{100 * share:.0f} % on outcomes, `{rule}`", _run(changed)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
