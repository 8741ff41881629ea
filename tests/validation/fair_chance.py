"""A published contract: the UK Fair Chance Fund project run by Depaul (GBP, 2015–17).

scenarios/published/fair_chance_depaul.yaml writes the published rate card and the total the contract
paid as a total cap; its pathway reproduces the published outcome counts. Here the figures are
typed in again from the publication, independently of the file, and sib's run must give the
counts, the uncapped value (price × outcomes, GBP 1,692,700) and the payment (GBP 1,654,340,
the cap) to the penny.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from validation.report import Check

import sib

GROUP = "published contract"
SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "published" / "fair_chance_depaul.yaml"

#: milestone → (price in GBP, outcomes achieved), as published.
PUBLISHED: dict[str, tuple[int, int]] = {
    "initial_assessment": (500, 209),
    "second_assessment": (500, 182),
    "third_assessment": (200, 126),
    "accommodation_entry": (500, 192),
    "accommodation_3m": (1500, 188),
    "accommodation_6m": (1500, 179),
    "accommodation_12m": (1500, 165),
    "accommodation_18m": (1500, 142),
    "education_entry": (500, 91),
    "entry_level_qualification": (1500, 23),
    "level1_qualification": (2500, 11),
    "level2_qualification": (3500, 1),
    "employment_entry": (500, 57),
    "part_time_13w": (3000, 2),
    "part_time_26w": (2000, 0),
    "full_time_13w": (4500, 30),
    "full_time_26w": (3500, 20),
    "volunteering_6w": (500, 16),
    "volunteering_13w": (500, 13),
}
PUBLISHED_VALUE = 1_692_700  # price × outcomes
PUBLISHED_PAID = 1_654_340


def run(full: bool) -> tuple[list[Check], dict[str, str]]:
    sc = sib.load_scenario(SCENARIO)
    rep = sib.simulate(sc, 0)
    m = rep.metrics
    counts = {k: int(m[f"milestone_{k}"]) for k in PUBLISHED}
    wrong = [f"{k}: {counts[k]} (published {n})" for k, (_, n) in PUBLISHED.items() if counts[k] != n]
    prices = {k: float(item.price or 0) for k, item in sc.contract.rate_card.items()}
    wrong_prices = [k for k, (p, _) in PUBLISHED.items() if prices.get(k) != p] + [k for k in prices if k not in PUBLISHED]
    value = sum(prices[k] * counts[k] for k in PUBLISHED if k in prices)
    led = rep.ledger
    out = led[led["category"].astype(str).isin(["outcome_payment", "cohort_outcome_payment"])]
    paid_pence = int(out["amount_ore"].sum())  # the ledger's minor unit: öre, here pence
    running = np.cumsum(out["amount_ore"].to_numpy(dtype=np.int64))
    file = "fair_chance_depaul.yaml"
    checks = [
        Check(
            GROUP,
            f"{file}: rate card",
            "the published rate card (19 prices)",
            "19 prices as published",
            "all as published" if not wrong_prices else "differ: " + ", ".join(wrong_prices),
            "a price typed wrongly into the file",
            passed=not wrong_prices,
            seed="0",
        ),
        Check(
            GROUP,
            f"{file}: outcomes reached, by outcome",
            "the published counts (209 … 13)",
            f"{sum(n for _, n in PUBLISHED.values())} outcomes in 19 counts",
            f"{sum(counts.values())} outcomes; " + ("all 19 counts equal" if not wrong else "differ: " + "; ".join(wrong)),
            "a milestone on several states counted twice or restarted; a week or calendar-month span miscounted",
            passed=not wrong,
            seed="0",
        ),
        Check(
            GROUP,
            f"{file}: price × outcomes (GBP)",
            "published: GBP 1,692,700",
            float(PUBLISHED_VALUE),
            float(value),
            "a wrong price or count",
            passed=value == PUBLISHED_VALUE,
            seed="0",
        ),
        Check(
            GROUP,
            f"{file}: outcome payments (GBP), total cap binding",
            "published: GBP 1,654,340 paid",
            float(PUBLISHED_PAID),
            paid_pence / 100,
            "the total cap ignored (1,692,700) or applied to the wrong claims; pennies lost in rounding",
            passed=paid_pence == PUBLISHED_PAID * 100 and value > PUBLISHED_PAID,
            seed="0",
        ),
        Check(
            GROUP,
            f"{file}: never more than the cap paid at any date",
            "the cap, GBP 1,654,340",
            float(PUBLISHED_PAID),
            float(running.max()) / 100 if running.size else 0.0,
            "a cap checked only at the end",
            passed=bool(running.size and running.max() <= PUBLISHED_PAID * 100),
            seed="0",
        ),
    ]
    return checks, {"published contract": "0, replication 0 (deterministic)"}
