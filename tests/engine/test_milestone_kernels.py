"""Milestones evaluated in compiled code (sib/engine/milestone_kernels.py) against the numpy
evaluation they replaced, on long cyclic paths that enter and leave the milestones' states
many times: every kind (entered, continuously for days, weeks or calendar months, each full
month), repeatable or not, one state or several, windows cut anywhere, a start date at a month
end (anniversaries clamped to shorter months)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from helpers_nojit import without_jit

from sib.calendar import Clock
from sib.engine import pathway
from sib.engine.pathway import CompiledMilestone, MilestoneBook
from sib.engine.streams import UniformTable

from .test_pathway_kernels import _pathway

A, B, C = 0, 1, 2
MILESTONES = (
    CompiledMilestone("entered_b", frozenset({B}), "entered", False, 0.0, 0),
    CompiledMilestone("entered_b_again", frozenset({B}), "entered", True, 0.0, 0),
    CompiledMilestone("b_30_days", frozenset({B}), "continuous", False, 30.0, 0),
    CompiledMilestone("b_2_weeks_each", frozenset({B}), "continuous", True, 14.0, 0),
    CompiledMilestone("a_or_b_3_months", frozenset({A, B}), "continuous", False, 0.0, 3),
    CompiledMilestone("c_1_month_each", frozenset({C}), "continuous", True, 0.0, 1),
    CompiledMilestone("months_in_a_or_c", frozenset({A, C}), "each_month", True, 0.0, 1),
    CompiledMilestone("months_in_b", frozenset({B}), "each_month", True, 0.0, 1),
)


def _segments(n: int = 300, seed: int = 4, window_end: float = 2000.0):
    """Enrolled participants' paths as flat segments, as the engine lays them out."""
    cp = _pathway()
    rng = np.random.default_rng(seed)
    at = np.sort(rng.uniform(0, 900, n))
    paths = cp.sample_all(UniformTable(np.random.SeedSequence(seed), n), window_end - at)
    valid = (paths.states >= 0) & (paths.times < (window_end - at)[:, None])
    rows, cols = np.nonzero(valid)
    entry = paths.times[rows, cols] + at[rows]
    exit_ = np.full(entry.size, np.inf)
    same = rows[1:] == rows[:-1]
    exit_[:-1][same] = entry[1:][same]
    return rows.astype(np.int64), paths.states[rows, cols], entry, exit_


def _book(start: dt.date = dt.date(2027, 1, 31), window_end: float = 2000.0) -> MilestoneBook:
    return MilestoneBook(MILESTONES, 5, Clock(start, 3200), window_end)


def _found() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    h = _book().hits(*_segments())
    return h.person, h.milestone, h.time


def _both(book: MilestoneBook, segments, window_end=None):
    compiled = book.hits(*segments, window_end)
    reference = book.hits_numpy(*segments, window_end)
    return compiled, reference


@pytest.mark.parametrize("window_end", [None, 1500.0, 400.5, 0.0])
@pytest.mark.parametrize("start", [dt.date(2027, 1, 31), dt.date(2028, 3, 1)])
def test_compiled_milestones_are_the_numpy_milestones(window_end, start):
    segments = _segments()
    compiled, reference = _both(_book(start), segments, window_end)
    if window_end != 0.0:
        reached = np.bincount(reference.milestone, minlength=len(MILESTONES))
        assert (reached > 0).all()  # every kind is exercised
        assert reached[1] > reached[0] and reached[3] > reached[2]  # repeatable ones count again
    np.testing.assert_array_equal(compiled.person, reference.person)
    np.testing.assert_array_equal(compiled.milestone, reference.milestone)
    np.testing.assert_array_equal(compiled.time, reference.time)


def test_nobody_enrolled_reaches_nothing():
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0))
    compiled, reference = _both(_book(), empty)
    assert compiled.person.size == reference.person.size == 0


def test_the_flag_switches_to_the_numpy_evaluation(monkeypatch):
    segments = _segments(60)
    book = _book()
    monkeypatch.setattr(pathway, "COMPILED", False)
    called = []
    monkeypatch.setattr(MilestoneBook, "hits_numpy", lambda self, *a: called.append(1) or "numpy")
    assert book.hits(*segments) == "numpy" and called


def test_machine_code_finds_what_the_kernels_python_source_finds(tmp_path):
    """The kernel run as Python (NUMBA_DISABLE_JIT) finds the same hits: what coverage sees."""
    compiled = _book().hits(*_segments())
    person, milestone, time = without_jit(__name__, "_found", tmp_path)
    np.testing.assert_array_equal(person, compiled.person)
    np.testing.assert_array_equal(milestone, compiled.milestone)
    np.testing.assert_array_equal(time, compiled.time)


def test_a_long_stay_reaches_a_month_each_month_and_none_past_the_calendar():
    """One participant housed for five years reaches ``months_in_b`` some sixty times (more
    hits than segments); another enters near the calendar's end, where no anniversary fits."""
    book = MilestoneBook(MILESTONES, 5, Clock(dt.date(2027, 1, 31), 3200), 3200.0)
    segments = (np.array([0, 1]), np.array([B, B]), np.array([10.0, 3190.5]), np.array([np.inf, np.inf]))
    compiled, reference = _both(book, segments)
    np.testing.assert_array_equal(compiled.milestone, reference.milestone)
    np.testing.assert_array_equal(compiled.time, reference.time)
    monthly = compiled.time[(compiled.person == 0) & (compiled.milestone == MILESTONES.index(MILESTONES[7]))]
    assert len(monthly) > 100 and (np.diff(monthly) >= 28).all()
    late = compiled.milestone[compiled.person == 1]
    assert set(late.tolist()) <= {0, 1}  # entered only: no month or 30 days fit before day 3200
