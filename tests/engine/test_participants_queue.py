"""Places and the waiting list against queueing theory: M/M/c (Erlang C) and M/M/c/K.

Poisson referrals at a constant rate per month (the engine divides by 365.25/12 for a rate per
day), c places, a start state that holds a place for an exponential time and then an absorbing
exit (which holds none). Each replication runs 240 months; the statistics use referrals from
month 24 (warm-up from an empty system: the relaxation time 1/(cμ(1−√ρ)²) is ~140 days, so two
years is > 5 of them) to 180 days before the service period ends (referrals still waiting then
are lost to the end of the service and never enrolled). Independent replications give Student-t
intervals; the checks of a test share ``FAMILY_ALPHA`` (Bonferroni).

Besides the statistics, each replication's sample path is checked exactly: the number waiting
and the number in a place at each referral, reconstructed from the events table, must be what
the rules say.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from helpers_statistics import Checks, engine_scenario, mean_se, run_engine, t_crit, z_crit

DPM = 365.25 / 12
SERVICE_MONTHS = 240
SERVICE_DAYS = 7305  # 2030-01-01 + 240 months = 2050-01-01
WARM_UP = 730.0
CUT_END = SERVICE_DAYS - 180.0

C = 10  # places
PER_MONTH = 16.0  # referrals per month
STAY_MONTHS = 0.5  # mean time holding a place
LAM = PER_MONTH / DPM  # per day
MU = 1 / (STAY_MONTHS * DPM)  # per day
A = LAM / MU  # offered load: 8 places busy on average, utilisation 0.8


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in M/M/c."""
    head = sum(a**k / math.factorial(k) for k in range(c))
    tail = a**c / math.factorial(c) * c / (c - a)
    return tail / (head + tail)


def mmck(c: int, a: float, k: int) -> tuple[float, float, float]:
    """M/M/c/K: (blocking probability, P(wait > 0 | admitted), mean wait of the admitted / (1/μ))."""
    p = np.array([a**n / math.factorial(n) if n <= c else a**c / math.factorial(c) * (a / c) ** (n - c) for n in range(k + 1)])
    p /= p.sum()
    block = float(p[k])
    wait = float(p[c:k].sum()) / (1 - block)
    lq = float(sum((n - c) * p[n] for n in range(c + 1, k + 1)))
    # Little: Wq = Lq / λ_eff with λ_eff = λ(1 − p_K); in units of 1/μ, divide a(1 − p_K).
    return block, wait, lq / (a * (1 - block))


def _scenario(max_length: int | None):
    cap: dict = {"places": C}
    if max_length is not None:
        cap["waiting_list"] = {"max_length": max_length}
    return engine_scenario(
        {
            "start": "served",
            "states": {
                "served": {"transitions": {"left": {"exponential": {"mean": STAY_MONTHS}, "unit": "months"}}},
                "left": {},
            },
        },
        {"per_month": PER_MONTH},
        service_months=SERVICE_MONTHS,
        capacity=cap,
        name="M/M/c",
    )


#: Referral and enrolment times are floats; a referral enrolled at once may show a "wait" of one
#: ulp (the engine records the referral time t, but the clock reaches now + (t − now)).
EPS = 1e-9


def _paths(rep):
    """Per referral: referred, enrolled (nan if lost), left the place (inf if never), lost kind,
    and ``queue_end``: when it stopped waiting (enrolled, or lost from the list), nan if never
    on the list."""
    ev = rep.events
    people = ev[ev["event"] == "referred"].set_index("participant")["day"].rename("referred").to_frame()
    people["enrolled"] = ev[ev["event"] == "enrolled"].set_index("participant")["day"]
    # Snap one-ulp waits to zero (see EPS).
    instant = (people["enrolled"] - people["referred"]).abs() < EPS
    people.loc[instant, "enrolled"] = people.loc[instant, "referred"]
    left = ev[(ev["event"] == "entered") & (ev["state"] == "left")].set_index("participant")["day"]
    people["left"] = left
    people.loc[people["enrolled"].notna() & people["left"].isna(), "left"] = math.inf
    lost = ev[ev["event"].str.startswith("lost_")].set_index("participant")
    people["lost"] = lost["event"]
    people["queue_end"] = people["enrolled"].where(people["enrolled"] > people["referred"])
    from_list = people["lost"].isin(["lost_service_ended", "lost_max_wait"])
    people["lost_day"] = lost["day"]
    people["queue_end"] = people["queue_end"].where(~from_list, people["lost_day"])
    return people.sort_values("referred")


def _count_open(starts: np.ndarray, ends: np.ndarray, t: np.ndarray) -> np.ndarray:
    """How many intervals [start, end) hold strictly before each t: #(start < t) − #(end ≤ t)."""
    return np.searchsorted(np.sort(starts), t, side="left") - np.searchsorted(np.sort(ends), t, side="right")


def _path_invariants(people, max_length: int | None) -> list[str]:
    """Exact rules on one sample path; returns the violations found (empty if none)."""
    bad = []
    adm = people[people["enrolled"].notna()]
    waited = adm[adm["enrolled"] > adm["referred"]]
    listed = people[people["queue_end"].notna()]
    t = people["referred"].to_numpy()
    in_place = _count_open(adm["enrolled"].to_numpy(), adm["left"].to_numpy(), t)
    waiting = _count_open(listed["referred"].to_numpy(), listed["queue_end"].to_numpy(), t)
    if (in_place > C).any():
        bad.append(f"more than {C} in places at some referral (max {in_place.max()})")
    is_lost = people["lost"].eq("lost_list_full").to_numpy()
    got_in = people["enrolled"].notna().to_numpy()
    no_wait = got_in & (people["enrolled"].to_numpy() == t)
    # Whoever finds a free place (and nobody waiting) is enrolled at once; nobody else is.
    free = (in_place < C) & (waiting == 0)
    if (free & ~no_wait).any():
        bad.append(f"{int((free & ~no_wait).sum())} referrals found a free place but were not enrolled at once")
    if (~free & no_wait).any():
        bad.append(f"{int((~free & no_wait).sum())} referrals were enrolled at once although all places were taken")
    if max_length is not None:
        if (waiting > max_length).any():
            bad.append(f"waiting list longer than {max_length} (max {waiting.max()})")
        full = (in_place >= C) & (waiting >= max_length)
        if (full != is_lost).any():
            bad.append(
                f"lost ≠ list full: {int((is_lost & ~full).sum())} lost with room on the list, "
                f"{int((full & ~is_lost).sum())} admitted to a full list (list max {max_length})"
            )
    # FIFO: those who waited get their places in the order they were referred.
    order = waited.sort_values("referred")["enrolled"].to_numpy()
    if (np.diff(order) < 0).any():
        bad.append(f"{int((np.diff(order) < 0).sum())} waiting referrals overtaken by later ones (not first come, first served)")
    # A waiting referral gets a place at the moment someone leaves one.
    exits = np.sort(adm["left"].to_numpy())
    e = waited["enrolled"].to_numpy()
    if len(e):
        i = np.clip(np.searchsorted(exits, e), 1, len(exits) - 1)
        gap = np.minimum(np.abs(exits[i] - e), np.abs(exits[i - 1] - e))
        if (gap > 1e-6).any():
            bad.append(f"{int((gap > 1e-6).sum())} waiting referrals enrolled when no place was released")
    return bad


def _window(people):
    return people[(people["referred"] >= WARM_UP) & (people["referred"] < CUT_END)]


R_ERLANG_C = 40


def test_mm_c_waiting_time_matches_erlang_c():
    """M/M/10 at utilisation 0.8 with an unlimited waiting list, 40 replications of 240 months.

    Closed forms (Erlang C, C(10, 8) = 0.409): P(wait > 0) = C; mean wait Wq = C/(cμ − λ) =
    3.11 days; given a wait, the wait is Exp(cμ − λ) under first come, first served, so
    P(wait > ln2/(cμ − λ) | wait > 0) = 1/2; referrals in the service period ~ Poisson(λT),
    mean 16 × 240 = 3840 per replication. Bonferroni over these 4 (t with 39 dof: 4.03; z: 3.66).

    Errors it catches (per-replication sd of the mean wait ≈ 1 d, so its SE ≈ 0.16 d and the
    interval ±0.65 d; of the conditional median share ≈ 0.065, SE ≈ 0.01):
    - serving the waiting list in the wrong order (last come, first served): the conditional
      share is 0.24, not 0.5 (≈ 25 SE) — and the path check sees referrals overtaken;
    - one place too few or too many (c = 9: Wq ≈ 10.7 d; c = 11: Wq ≈ 1.3 d), places released
      late or not at all, exits holding places;
    - per_month converted with 30-day months (λT = 3896, not 3840: + 5.7 SE of the pooled
      count) or any larger rate error; a non-Poisson arrival count;
    - the waiting time measured from the wrong moment (checked exactly on the sample path too:
      whoever finds a free place is enrolled at once, a waiter is enrolled exactly when a place
      is released).
    """
    sc = _scenario(None)
    c_prob = erlang_c(C, A)
    rate = C * MU - LAM
    wq = c_prob / rate
    t_med = math.log(2) / rate
    est, counts, problems = [], [], []
    for r in range(R_ERLANG_C):
        rep = run_engine(sc, 4242, r)
        people = _paths(rep)
        counts.append(rep.metrics["referrals"])
        problems += [f"replication {r}: {p}" for p in _path_invariants(people, None)]
        waits_all = (people["enrolled"] - people["referred"]).dropna()
        if not math.isclose(rep.metrics["wait_days_mean"], float(waits_all.mean()), rel_tol=1e-9):
            problems.append(f"replication {r}: metrics wait_days_mean {rep.metrics['wait_days_mean']} ≠ events {waits_all.mean()}")
        w = _window(people)
        if w["lost"].notna().any():
            problems.append(f"replication {r}: {int(w['lost'].notna().sum())} lost with an unlimited list")
        wait = (w["enrolled"] - w["referred"]).to_numpy()
        waited = wait[wait > 0]
        est.append((wait.mean(), (wait > 0).mean(), (waited > t_med).mean()))
    est = np.array(est)
    chk = Checks()
    chk.true("sample paths follow the rules", not problems, "\n    " + "\n    ".join(problems[:20]))
    m = 4
    tc = t_crit(m, R_ERLANG_C - 1)
    chk.close("mean wait (days)", est[:, 0].mean(), wq, mean_se(est[:, 0]), tc)
    chk.close("P(wait > 0)", est[:, 1].mean(), c_prob, mean_se(est[:, 1]), tc)
    chk.close("P(wait > ln2/(cμ−λ) | wait > 0)", est[:, 2].mean(), 0.5, mean_se(est[:, 2]), tc)
    lam_t = LAM * SERVICE_DAYS
    chk.close("referrals per replication", float(np.mean(counts)), lam_t, math.sqrt(lam_t / R_ERLANG_C), z_crit(m))
    chk.assert_all()


R_BLOCKING = 30


@pytest.mark.parametrize("max_length", [0, 3])
def test_mm_c_k_blocking_matches_closed_form(max_length):
    """M/M/10/K with a waiting list of K − 10 places, utilisation 0.8 offered, 30 replications.

    Closed forms: the share of referrals lost because the list is full is p_K (PASTA), 0.1217
    for K − c = 0 (Erlang B) and 0.0503 for K − c = 3; the admitted wait on average
    Lq / (λ(1 − p_K)) (0 for K = c; 0.71 d for K − c = 3). Bonferroni over 2 (t with 29 dof: 3.92).

    Sized for an off-by-one in the waiting-list check (the per-replication sd of the lost share
    is ≈ 0.008, SE ≈ 0.0014, CI ±0.0056): a list one longer or shorter gives 0.0387 / 0.0663
    for K − c = 3 (8 and 11 SE away) and 0.0887 / — for K − c = 0 (> 15 SE). The path check
    catches it exactly as well: a referral is lost if and only if all places are taken and the
    list holds max_length, and the list never holds more.
    """
    sc = _scenario(max_length)
    k = C + max_length
    block, _, wq_mu = mmck(C, A, k)
    wq = wq_mu / MU
    est, problems = [], []
    for r in range(R_BLOCKING):
        rep = run_engine(sc, 777 + max_length, r)
        people = _paths(rep)
        problems += [f"replication {r}: {p}" for p in _path_invariants(people, max_length)]
        if rep.metrics["lost_list_full"] != int(people["lost"].eq("lost_list_full").sum()):
            problems.append(f"replication {r}: metrics lost_list_full ≠ events")
        w = _window(people)
        lost = w["lost"].eq("lost_list_full").to_numpy()
        other = w["lost"].notna().to_numpy() & ~lost
        if other.any():
            problems.append(f"replication {r}: {int(other.sum())} lost for another reason: {set(w['lost'][other])}")
        wait = (w["enrolled"] - w["referred"]).dropna().to_numpy()
        est.append((lost.mean(), wait.mean()))
    est = np.array(est)
    chk = Checks()
    chk.true("sample paths follow the rules", not problems, "\n    " + "\n    ".join(problems[:20]))
    tc = t_crit(2, R_BLOCKING - 1)
    chk.close(f"share lost, list full (K = {k})", est[:, 0].mean(), block, mean_se(est[:, 0]), tc)
    if max_length == 0:
        chk.true("nobody waits when the list has no room", bool((est[:, 1] == 0).all()))
    else:
        chk.close(f"mean wait of the admitted (days, K = {k})", est[:, 1].mean(), wq, mean_se(est[:, 1]), tc)
    chk.assert_all()


def test_waiting_list_limit_holds_for_a_cohort_referred_at_once():
    """A cohort referred on one day meets the same waiting-list limit as a Poisson stream.

    40 referred at once, 10 places, a list of at most 5, every stay exactly 6 months (so the
    numbers are exact): 10 are enrolled on day 0, 5 wait and are enrolled when the first 10
    leave (day 182.625), and 25 are lost because the list is full. Catches a list-length check
    that does not see referrals admitted to the list earlier on the same instant (e.g. a
    waiting referral whose place request is only made once its own process starts).
    """
    sc = engine_scenario(
        {
            "start": "served",
            "states": {"served": {"transitions": {"left": {"fixed": 6, "unit": "months"}}}, "left": {}},
        },
        {"cohorts": [{"date": "2030-01-01", "size": 40}]},
        service_months=24,
        capacity={"places": 10, "waiting_list": {"max_length": 5}},
        name="cohort and a short list",
    )
    rep = run_engine(sc, 1)
    m = rep.metrics
    people = _paths(rep)
    got = {
        "enrolled": m["enrolled"],
        "lost_list_full": m["lost_list_full"],
        "enrolled on day 0": int((people["enrolled"] == 0).sum()),
        "enrolled after waiting": int((people["enrolled"] > 0).sum()),
    }
    want = {"enrolled": 15, "lost_list_full": 25, "enrolled on day 0": 10, "enrolled after waiting": 5}
    assert got == want, f"got {got}, want {want}; enrolment days: {people['enrolled'].value_counts().sort_index().to_dict()}"
    assert np.allclose(people.loc[people["enrolled"] > 0, "enrolled"], 6 * DPM)


def _cohorts(*sizes_and_days: tuple[int, int]) -> dict:
    start = dt.date(2030, 1, 1)
    return {"cohorts": [{"date": (start + dt.timedelta(days=day)).isoformat(), "size": size} for size, day in sizes_and_days]}


def test_a_wait_given_up_makes_room_on_the_list_at_that_very_instant():
    """Three referred on day 0 to one place and a list of one, one more on day 30, waits of at
    most 30 days: on day 30 the one who waited gives up, and the referral of that instant
    finds the list empty — it waits (and gives up on day 60) instead of being turned away.
    Catches an order of same-instant events that depends on which was scheduled first."""
    sc = engine_scenario(
        {"start": "served", "states": {"served": {"transitions": {"left": {"fixed": 200}}}, "left": {}}},
        _cohorts((3, 0), (1, 30)),
        service_months=12,
        capacity={"places": 1, "waiting_list": {"max_length": 1, "max_wait_days": 30}},
        name="a wait given up as another arrives",
    )
    people = _paths(run_engine(sc, 1))
    assert people["lost"].fillna("enrolled").tolist() == ["enrolled", "lost_max_wait", "lost_list_full", "lost_max_wait"]
    assert people["queue_end"].tolist()[1::2] == [30.0, 60.0]


def test_a_place_freed_at_an_arrival_goes_to_the_list_first():
    """One place, a list of one; two referred on day 0, one on day 30, stays of exactly 30
    days: on day 30 the first leaves, the one waiting takes the place, and the referral of that
    instant joins the now empty list (enrolled on day 60) rather than finding it full."""
    sc = engine_scenario(
        {"start": "served", "states": {"served": {"transitions": {"left": {"fixed": 30}}}, "left": {}}},
        _cohorts((2, 0), (1, 30)),
        service_months=12,
        capacity={"places": 1, "waiting_list": {"max_length": 1}},
        name="a place freed as another arrives",
    )
    people = _paths(run_engine(sc, 1))
    assert people["enrolled"].tolist() == [0.0, 30.0, 60.0]
    assert people["lost"].isna().all()
