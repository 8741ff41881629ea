"""The waiting list against queueing theory and against Ciw, an independent simulator.

M/M/c: Poisson referrals (per month, so λ = rate / (365.25/12) per day), c places, a stay in a
place that is exponential, then an exit that holds no place. Each replication runs 20 years; the
figures use referrals from year 2 (warm-up from an empty system) to 180 days before the service
ends (referrals still waiting then are cut off by the end of the service). Replications are
independent, so each figure's interval is Student-t over them.

- Mean wait vs Erlang C: Wq = C(c, a) / (cμ − λ).
- Share lost with a finite list vs M/M/c/K: p_K (arrivals see time averages).
- Share lost after a maximum wait: no simple closed form (M/M/c+D), so the same queue is run in
  Ciw with deterministic reneging, and the two estimates are compared (two-sample interval).
- Little's law on sib's own sample paths: the time-average number waiting, L, must equal λ·W.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from validation.common import DPM, engine_scenario, mean_se, simulate
from validation.report import Check

SEED = 6_003
C = 10
PER_MONTH = 16.0
STAY_MONTHS = 0.5
LAM = PER_MONTH / DPM
MU = 1 / (STAY_MONTHS * DPM)
A = LAM / MU  # offered load 8: utilisation 0.8
MONTHS = 240
DAYS = 7305.0  # 2030-01-01 + 240 months
WARM_UP, CUT_END = 730.0, DAYS - 180.0
LIST_MAX = 3
MAX_WAIT = 2.0  # days


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in M/M/c."""
    head = sum(a**k / math.factorial(k) for k in range(c))
    tail = a**c / math.factorial(c) * c / (c - a)
    return tail / (head + tail)


def mmck_block(c: int, a: float, k: int) -> float:
    """M/M/c/K: the probability that the system is full (an arrival is lost)."""
    p = [a**n / math.factorial(n) if n <= c else a**c / math.factorial(c) * (a / c) ** (n - c) for n in range(k + 1)]
    return p[k] / sum(p)


def _scenario(waiting_list: dict[str, Any]):
    return engine_scenario(
        {
            "start": "served",
            "states": {
                "served": {"transitions": {"left": {"exponential": {"mean": STAY_MONTHS}, "unit": "months"}}},
                "left": {},
            },
        },
        {"per_month": PER_MONTH},
        service_months=MONTHS,
        capacity={"places": C, "waiting_list": waiting_list},
        name="M/M/c",
    )


def people(rep) -> pd.DataFrame:
    """Per referral: referred, enrolled (NaN if never), lost (kind or NaN), left the list."""
    ev = rep.events
    out = ev[ev["event"] == "referred"].set_index("participant")["day"].rename("referred").to_frame()
    out["enrolled"] = ev[ev["event"] == "enrolled"].set_index("participant")["day"]
    lost = ev[ev["event"].str.startswith("lost_")].set_index("participant")
    out["lost"] = lost["event"]
    out["lost_day"] = lost["day"]
    # One-ulp "waits" of those enrolled at once (the clock reaches now + (t − now)).
    out.loc[(out["enrolled"] - out["referred"]).abs() < 1e-9, "enrolled"] = out["referred"]
    waited = out["enrolled"] > out["referred"]
    out["queue_end"] = np.where(
        waited, out["enrolled"], np.where(out["lost"].isin(["lost_max_wait", "lost_service_ended"]), out["lost_day"], np.nan)
    )
    return out


def _window(p: pd.DataFrame) -> pd.DataFrame:
    return p[(p["referred"] >= WARM_UP) & (p["referred"] < CUT_END)]


def _time_average_waiting(p: pd.DataFrame, t0: float, t1: float) -> float:
    """The time-average number on the list over [t0, t1], from each referral's time on it."""
    q = p[p["queue_end"].notna()]
    a = np.clip(q["referred"].to_numpy(), t0, t1)
    b = np.clip(q["queue_end"].to_numpy(), t0, t1)
    return float((b - a).sum() / (t1 - t0))


def _ciw_lost_share(reps: int, seed: int) -> np.ndarray:
    """The share reneging in the same M/M/c with deterministic patience, per Ciw replication."""
    import ciw

    net = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=LAM)],
        service_distributions=[ciw.dists.Exponential(rate=MU)],
        number_of_servers=[C],
        reneging_time_distributions=[ciw.dists.Deterministic(value=MAX_WAIT)],
    )
    out = []
    for r in range(reps):
        ciw.seed(seed + r)
        q = ciw.Simulation(net)
        q.simulate_until_max_time(CUT_END + 60)
        recs = [x for x in q.get_all_records() if WARM_UP <= x.arrival_date < CUT_END]
        out.append(sum(x.record_type == "renege" for x in recs) / len(recs))
    return np.array(out)


def run(full: bool) -> tuple[list[Check], dict[str, str]]:
    reps = 100 if full else 10
    ciw_reps = 200 if full else 40
    checks: list[Check] = []

    # -- unlimited list: Erlang C and Little's law
    sc = _scenario({})
    waits, little = [], []
    for r in range(reps):
        p = people(simulate(sc, SEED, r))
        w = _window(p)
        wait = (w["enrolled"] - w["referred"]).to_numpy()
        waits.append(float(np.nanmean(wait)))
        t0, t1 = WARM_UP, CUT_END
        inside = p[(p["referred"] >= t0) & (p["referred"] < t1)]
        lam_hat = len(inside) / (t1 - t0)
        w_mean = float((inside["queue_end"].fillna(inside["referred"]) - inside["referred"]).mean())
        little.append(_time_average_waiting(p, t0, t1) - lam_hat * w_mean)
    wq = erlang_c(C, A) / (C * MU - LAM)
    checks.append(
        Check(
            "waiting list",
            f"mean wait, M/M/{C} at utilisation {A / C:.1f} (days)",
            "Erlang C: C(c,a)/(cμ−λ)",
            wq,
            float(np.mean(waits)),
            "one place too many or too few (c = 9: 10.7 d, c = 11: 1.3 d); places released late",
            se=mean_se(np.array(waits)),
            dof=reps - 1,
            unit="d",
            seed=f"{SEED}",
        )
    )
    checks.append(
        Check(
            "waiting list",
            "Little's law: time-average number waiting − λ·W",
            "0 (L = λW on the same path)",
            0.0,
            float(np.mean(little)),
            "waits recorded from the wrong moment, or a list whose length and waits disagree",
            se=max(mean_se(np.array(little)), 1e-12),
            dof=reps - 1,
            seed=f"{SEED}",
        )
    )

    # -- finite list: M/M/c/K
    sc = _scenario({"max_length": LIST_MAX})
    lost = []
    for r in range(reps):
        w = _window(people(simulate(sc, SEED + 1, r)))
        lost.append(float(w["lost"].eq("lost_list_full").mean()))
    block = mmck_block(C, A, C + LIST_MAX)
    checks.append(
        Check(
            "waiting list",
            f"share lost, list of {LIST_MAX} full (M/M/{C}/{C + LIST_MAX})",
            "M/M/c/K: p_K",
            block,
            float(np.mean(lost)),
            "the list one place longer or shorter (0.0387 / 0.0663)",
            se=mean_se(np.array(lost)),
            dof=reps - 1,
            seed=f"{SEED + 1}",
        )
    )

    # -- reneging after a maximum wait, vs Ciw
    sc = _scenario({"max_wait_days": MAX_WAIT})
    reneged = []
    for r in range(reps):
        w = _window(people(simulate(sc, SEED + 2, r)))
        reneged.append(float(w["lost"].eq("lost_max_wait").mean()))
    ciw_share = _ciw_lost_share(ciw_reps, SEED + 3)
    ours = np.array(reneged)
    se = math.sqrt(mean_se(ours) ** 2 + mean_se(ciw_share) ** 2)
    checks.append(
        Check(
            "waiting list",
            f"share lost after waiting {MAX_WAIT:g} days",
            f"Ciw, M/M/{C} with deterministic reneging ({ciw_reps} replications: {ciw_share.mean():.4f})",
            float(ciw_share.mean()),
            float(ours.mean()),
            "the maximum wait counted from enrolment or in whole days; lost waiters keeping their place in the queue",
            se=se,
            dof=min(reps, ciw_reps) - 1,
            seed=f"{SEED + 2} (Ciw {SEED + 3}+r)",
        )
    )
    seeds = {
        "waiting list": f"{SEED} (Erlang C, Little), {SEED + 1} (M/M/c/K), {SEED + 2} (reneging), "
        f"replications 0–{reps - 1} of 240 months; Ciw seeds {SEED + 3}…{SEED + 3 + ciw_reps - 1}"
    }
    return checks, seeds
