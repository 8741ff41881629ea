"""Payments per day in some states and for planned exits (``sib/engine/day_rate.py``), on paths
given by hand.

A user relies on it for Denver-style day rates: a stay's days paid month by month once it has
lasted the minimum (its earlier days at once, on the day it qualified), days in a deducted state
keeping the stay going unpaid, nothing after the outcome window, and a planned exit paid the
tier the stay's length reached, on the day it ended.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers_deterministic import scenario_dict

from sib.engine.compiled import compile_scenario
from sib.engine.day_rate import DAY, EXIT, day_claims
from sib.scenario.loader import build

#: Paid 100 kr a day housed after 50 days (jail deducted); 1 000 kr for a move on, 5 000 kr
#: after a year housed. "plain": 10 kr a day housed after 50 days, jail breaking the stay.
PER_DAY = {
    "housing": {
        "states": ["housed"],
        "deducted_states": ["jail"],
        "price": 100,
        "min_stay_days": 50,
        "exit_payment": {"states": ["moved_on"], "tiers": [{"after_days": 0, "price": 1000}, {"after_days": 365, "price": 5000}]},
    },
    "plain": {"states": ["housed"], "price": 10, "min_stay_days": 50},
}
HOUSING, PLAIN = 0, 1
#: Day numbers from 1 Jan 2027: the last days of February and March 2027.
FEB, MAR = 58, 89


@pytest.fixture(scope="module")
def compiled():
    """A two-year window from 1 Jan 2027 (day 731 is 1 Jan 2029)."""
    fixed = {"fixed": 10}
    pathway = {
        "start": "a",
        "states": {
            "a": {"transitions": {"housed": fixed}},
            "housed": {"transitions": {"jail": fixed, "moved_on": {"fixed": 20}, "evicted": {"fixed": 30}}},
            "jail": {"transitions": {"housed": fixed}},
            "moved_on": {},
            "evicted": {},
        },
    }
    raw = scenario_dict(pathway=pathway, milestones={}, contract={"rate_card": {}, "outcome_tail_months": 12, "per_day": PER_DAY})
    k = compile_scenario(build(raw))
    assert k.window_end == 731
    return k


def _claims(k, segments, window_end=731, rate=None, kind=None):
    """``segments``: (person, state, entry, exit) in path order. Claims as (person, kind,
    payable day, days, öre), sorted, of one rate."""
    names = k.pathway.names
    person = np.array([s[0] for s in segments], dtype=np.int64)
    state = np.array([names.index(s[1]) for s in segments], dtype=np.int64)
    entry = np.array([s[2] for s in segments], dtype=float)
    exit_ = np.array([s[3] for s in segments], dtype=float)
    c = day_claims(k, person, state, entry, exit_, float(window_end))
    out = [
        (int(c.person[i]), "day" if c.kind[i] == DAY else "exit", int(c.reach[i]), float(c.days[i]), float(c.weight[i]))
        for i in range(len(c))
        if (rate is None or c.rate[i] == rate) and (kind is None or c.kind[i] == (DAY if kind == "day" else EXIT))
    ]
    return sorted(out)


def test_a_qualified_stay_is_paid_month_by_month_its_first_days_on_the_day_it_qualified(compiled):
    """Housed from day 10 (11 Jan) on: it qualifies on day 60 (50 days); January's 21 days and
    February's 28 become payable then, March's 31 on 31 March (a month's days at its last day)."""
    claims = _claims(compiled, [(0, "a", 0, 10), (0, "housed", 10, math.inf)], rate=HOUSING)
    assert claims[:3] == [(0, "day", 60, 21.0, 210_000.0), (0, "day", 60, 28.0, 280_000.0), (0, "day", MAR, 31.0, 310_000.0)]
    assert sum(c[3] for c in claims) == 731 - 10  # every day housed in the window, once


@pytest.mark.parametrize(("length", "paid"), [(49, False), (50, True)])
def test_a_stay_is_paid_only_once_it_has_lasted_the_minimum(compiled, length, paid):
    """A stay of 50 days from day 10 (to day 59) is paid: it qualifies on day 60, when January's
    21 days and February's 28 become payable; its one day in March is paid at March's end. A
    stay of 49 days is not paid at all."""
    segments = [(0, "housed", 10, 10 + length), (0, "evicted", 10 + length, math.inf)]
    expected = [(0, "day", 60, 21.0, 210_000.0), (0, "day", 60, 28.0, 280_000.0), (0, "day", MAR, 1.0, 10_000.0)] if paid else []
    assert _claims(compiled, segments, rate=HOUSING) == expected


def test_days_in_a_deducted_state_keep_the_stay_going_but_are_not_paid(compiled):
    """Housed days 0–19, in jail 20–29, housed 30–59: one stay of 60 days, qualified on day 50;
    the 50 days housed are paid (January's 20 + 1 on day 50, February's 28 and March's 1 at each
    month's end), the 10 in jail are not. Where jail breaks the stay (``plain``) neither part of
    20 and 30 days qualifies."""
    segments = [(0, "housed", 0, 20), (0, "jail", 20, 30), (0, "housed", 30, 60), (0, "evicted", 60, math.inf)]
    assert _claims(compiled, segments, rate=HOUSING) == [
        (0, "day", 50, 1.0, 10_000.0),
        (0, "day", 50, 20.0, 200_000.0),
        (0, "day", FEB, 28.0, 280_000.0),
        (0, "day", MAR, 1.0, 10_000.0),
    ]
    assert _claims(compiled, segments, rate=PLAIN) == []


def test_nothing_is_paid_for_days_after_the_window_ends(compiled):
    """A stop on day 75 (17 March) ends the window of a stay housed from day 0: January's 31
    days on day 50 (qualified), February's 28 at its end, March's 16 (days 59–74) on the
    window's last day, 74. From day 40 the stay has 35 days in a window ending on day 75: it
    never qualifies."""
    claims = _claims(compiled, [(0, "housed", 0, math.inf)], window_end=75, rate=PLAIN)
    assert claims == [(0, "day", 50, 31.0, 31_000.0), (0, "day", FEB, 28.0, 28_000.0), (0, "day", 74, 16.0, 16_000.0)]
    assert _claims(compiled, [(0, "housed", 40, math.inf)], window_end=75, rate=PLAIN) == []


@pytest.mark.parametrize(
    ("length", "then", "price"),
    [
        (30, "moved_on", 100_000.0),  # a short stay's planned exit: the first tier
        (364, "moved_on", 100_000.0),
        (365, "moved_on", 500_000.0),  # a year reached: the second tier
        (365, "evicted", None),  # not a planned exit
    ],
)
def test_a_planned_exit_pays_the_tier_the_stay_reached_on_the_day_it_ended(compiled, length, then, price):
    segments = [(0, "housed", 10, 10 + length), (0, then, 10 + length, math.inf)]
    expected = [(0, "exit", 10 + length, 1.0, price)] if price is not None else []
    assert _claims(compiled, segments, rate=HOUSING, kind="exit") == expected


def test_an_exit_after_the_window_is_not_paid_and_claims_belong_to_their_own_person(compiled):
    """Person 0 moves on on day 740 (after the window, 731): no exit payment; person 1 moves
    on after 100 days housed: 1 000 kr on day 105."""
    segments = [
        (0, "housed", 10, 740),
        (0, "moved_on", 740, math.inf),
        (1, "a", 0, 5),
        (1, "housed", 5, 105),
        (1, "moved_on", 105, math.inf),
    ]
    assert _claims(compiled, segments, rate=HOUSING, kind="exit") == [(1, "exit", 105, 1.0, 100_000.0)]
    days = _claims(compiled, segments, rate=HOUSING, kind="day")
    assert sum(c[3] for c in days if c[0] == 0) == 731 - 10 and sum(c[3] for c in days if c[0] == 1) == 100
