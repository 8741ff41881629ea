"""The compiled path walk (sib/engine/pathway_kernels.py) against the numpy walk it replaced.

Both walk the same rules on the same uniforms; they may differ only where numpy's vectorised
log1p/exp round a last bit differently from the C library (1e-16 relative). The pathway below
uses every duration family, cycles (paths of many steps, so the walk must widen its output
and read past a row's 32 uniforms into the participant's overflow stream) and horizons that
cut paths anywhere, including at the start.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers_nojit import without_jit

from sib.engine import pathway
from sib.engine.pathway import CompiledPathway
from sib.engine.pathway_kernels import discounted_days_between, segments
from sib.engine.streams import WIDTH, UniformTable
from sib.scenario.distributions import Inverse

A, B, C, EXIT_D, EXIT_E = range(5)


def _pathway() -> CompiledPathway:
    """A ⇄ B ⇄ C cycle with rare exits: every family of duration, four or three competing
    transitions per state, so a long path uses far more than one row of uniforms."""
    empirical = Inverse("empirical", values=(5.0, 20.0, 60.0), cum=(0.2, 0.7, 1.0))
    return CompiledPathway(
        names=("a", "b", "c", "d", "e"),
        start=A,
        transitions=(
            (
                (B, Inverse("lognormal", 3.0, 0.8)),
                (C, Inverse("gamma", 2.5, 12.0)),
                (EXIT_D, Inverse("weibull", 4000.0, 1 / 0.7)),
                (EXIT_E, Inverse("exponential", 3000.0)),
            ),
            ((A, Inverse("exponential", 25.0)), (C, empirical), (EXIT_D, Inverse("fixed", 400.0))),
            ((A, Inverse("weibull", 30.0, 1 / 1.5)), (B, Inverse("lognormal", 2.5, 1.1)), (EXIT_E, Inverse("gamma", 0.8, 5000.0))),
            (),
            (),
        ),
        holds_place=(True, True, False, False, False),
        absorbing=(False, False, False, True, True),
    )


def _horizons(n: int) -> np.ndarray:
    h = np.random.default_rng(7).uniform(-50, 3000, n)
    h[:5] = [0.0, -1.0, 1e-9, 1e9, np.inf]
    return h


def _walks(n: int = 400, seed: int = 11):
    cp = _pathway()
    seq = np.random.SeedSequence(seed)
    compiled = cp.sample_all(UniformTable(seq, n), _horizons(n))
    pathway.COMPILED = False
    try:
        reference = cp.sample_all(UniformTable(seq, n), _horizons(n))
    finally:
        pathway.COMPILED = True
    return compiled, reference


def _walked_arrays() -> tuple[np.ndarray, np.ndarray]:
    paths, _ = _walks()
    return paths.states, paths.times


def test_the_pathway_exercises_long_paths_and_overflow_uniforms():
    compiled, _ = _walks()
    entered = (compiled.states >= 0).sum(axis=1)
    last = compiled.states[np.arange(len(entered)), entered - 1]
    assert entered.max() > 8  # longer than the walk's first output holds
    assert (entered - 1).max() * 3 > WIDTH  # at least 3 uniforms a step: past the row's own
    assert (entered == 1).any()  # cut at the start by a horizon of 0 or less
    assert np.isin(last, [EXIT_D, EXIT_E]).any() and np.isin(last, [A, B, C]).any()  # absorbed, and cut short


def test_the_compiled_walk_gives_the_numpy_walk_paths():
    compiled, reference = _walks()
    assert compiled.states.shape == reference.states.shape
    np.testing.assert_array_equal(compiled.states, reference.states)
    np.testing.assert_array_equal(np.isinf(compiled.times), np.isinf(reference.times))
    finite = np.isfinite(reference.times)
    np.testing.assert_allclose(compiled.times[finite], reference.times[finite], rtol=1e-13, atol=0)


def test_a_path_reads_only_its_own_row_whatever_the_others():
    """Common random numbers: participant i's path is the same in a table of 50 or of 400."""
    cp = _pathway()
    seq = np.random.SeedSequence(3)
    few = cp.sample_all(UniformTable(seq, 50), _horizons(400)[:50])
    many = cp.sample_all(UniformTable(seq, 400), _horizons(400))
    width = few.states.shape[1]
    np.testing.assert_array_equal(many.states[:50, :width], few.states)
    assert (many.states[:50, width:] == -1).all()
    np.testing.assert_array_equal(many.times[:50, :width], few.times)


def test_nobody_referred_gives_an_empty_path_table():
    cp = _pathway()
    for flag in (True, False):
        pathway.COMPILED = flag
        try:
            paths = cp.sample_all(UniformTable(np.random.SeedSequence(0), 0), np.zeros(0))
        finally:
            pathway.COMPILED = True
        assert paths.states.shape == (0, 1) and paths.times.shape == (0, 1)


def test_machine_code_walks_what_the_kernels_python_source_says(tmp_path):
    """The same walk in a process where numba compiles nothing (NUMBA_DISABLE_JIT), which is
    also how coverage sees the kernel's lines: bit for bit the same paths."""
    compiled, _ = _walks()
    states, times = without_jit(__name__, "_walked_arrays", tmp_path)
    np.testing.assert_array_equal(states, compiled.states)
    np.testing.assert_array_equal(times, compiled.times)


@pytest.mark.parametrize("delta", [0.0, math.log1p(0.035) / 365])
def test_discounted_days_in_each_state_add_up_the_paths_segments(delta):
    """The avoided-cost kernel: each enrolled row's path shifted to its start, cut at the end,
    every segment's days discounted and summed by state — as numpy computes it step by step."""
    compiled, _ = _walks()
    rng = np.random.default_rng(5)
    rows = np.sort(rng.choice(len(compiled.states), 150, replace=False))
    start = rng.uniform(0, 900, rows.size)
    end = 1500.0
    got = discounted_days_between(compiled.states, compiled.times, rows, start, start, end, delta, 5)
    states, rel = compiled.states[rows], compiled.times[rows]
    valid = (states >= 0) & (rel < (end - start)[:, None])
    r, c = np.nonzero(valid)
    entry = rel[r, c] + start[r]
    stop = np.full(entry.size, end)
    same = r[1:] == r[:-1]
    stop[:-1][same] = entry[1:][same]
    stop = np.maximum(stop, entry)
    pv = stop - entry if delta == 0 else (np.exp(-delta * entry) - np.exp(-delta * stop)) / delta
    want = np.bincount(states[r, c], weights=pv, minlength=5)
    assert want.sum() > 0 and (want[:3] > 0).all()
    np.testing.assert_allclose(got, want, rtol=1e-12)


def _segments_numpy(states, times, ids, at, window_end, absorbing):
    """The engine's segments as numpy computed them before the kernel."""
    s, rel = states[ids], times[ids]
    valid = (s >= 0) & (rel < (window_end - at)[:, None])
    rows, cols = np.nonzero(valid)
    entry = rel[rows, cols] + at[rows]
    exit_ = np.full(entry.size, np.inf)
    same = rows[1:] == rows[:-1]
    exit_[:-1][same] = entry[1:][same]
    last = np.count_nonzero(valid, axis=1) - 1
    n = np.arange(len(ids))
    path_end = np.where(absorbing[s[n, last]], rel[n, last] + at, np.inf)
    return ids[rows], s[rows, cols], entry, exit_, path_end


def test_segments_cut_each_enrolled_path_at_the_window_and_say_who_left():
    compiled, _ = _walks()
    rng = np.random.default_rng(8)
    ids = np.sort(rng.choice(len(compiled.states), 200, replace=False))
    at = rng.uniform(0, 1600, ids.size)
    at[:3] = [1500.0, 1600.0, 1700.0]  # enrolled at, and after, the window's end: nothing to cut
    absorbing = np.array([False, False, False, True, True, False])
    got = segments(compiled.states, compiled.times, ids, at, 1500.0, absorbing)
    want = _segments_numpy(compiled.states, compiled.times, ids, at, 1500.0, absorbing)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    person, _, _, _, path_end = got
    assert not np.isin(ids[:3], person).any() and np.isfinite(path_end).any() and np.isinf(path_end).any()
