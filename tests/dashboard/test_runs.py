"""``sib/dashboard/runs.py``: the studies the dashboard runs, kept on what decides their numbers
(the resolved scenarios, their names, replications and seed) — the same question asked again,
by a rerun of the page or another person in the workshop, is answered at once with the same
study; a changed question is run anew — and the progress bar a run draws."""

from __future__ import annotations

from collections import OrderedDict

import pytest
from helpers_deterministic import scenario, scenario_dict
from streamlit.testing.v1 import AppTest

from sib.dashboard import runs
from sib.scenario.edit import with_value
from sib.scenario.loader import build
from sib.study import executors


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """An empty cache of this test's own, and the studies run in this process: the library's
    serial executor stands in for the local pool (the simulations themselves are real)."""
    monkeypatch.setattr(runs, "_cache", OrderedDict())
    monkeypatch.setitem(executors._pools, executors.workers(), executors.SerialExecutor())


def test_a_value_is_computed_once_per_key():
    calls = []

    def compute():
        calls.append(1)
        return object()

    first = runs.kept(("k", 1), compute)
    assert runs.kept(("k", 1), compute) is first and len(calls) == 1
    assert runs.kept(("k", 2), compute) is not first and len(calls) == 2


def test_the_last_24_used_are_kept_and_the_least_recently_used_goes_first():
    made: list[int] = []

    def compute(i):
        return lambda: made.append(i) or i

    for i in range(runs.MAX_KEPT):
        runs.kept(i, compute(i))
    runs.kept(0, compute(0))  # asked again: now the most recent
    runs.kept(runs.MAX_KEPT, compute(runs.MAX_KEPT))  # one more than room: 1, the least recently used, goes
    assert made == list(range(runs.MAX_KEPT + 1))
    runs.kept(0, compute(0))
    assert made[-1] == runs.MAX_KEPT  # 0 was still kept
    runs.kept(1, compute(1))
    assert made[-1] == 1  # 1 had gone: computed again


def test_the_same_study_asked_again_is_the_same_even_from_a_scenario_built_anew():
    """A rerun of the page validates the file again: a new object, the same digest, the same study."""
    first = runs.run(scenario(), 3, 0)
    assert runs.run(build(scenario_dict()), 3, 0) is first
    assert first.reps == 3 and first.values("commissioner_paid").tolist() == [1000.0] * 3
    assert runs.run(scenario(), 3, 1) is not first  # another seed
    assert runs.run(scenario(), 4, 0) is not first  # more replications
    dearer = runs.run(with_value(scenario(), "contract.rate_card.m.price", 2000), 3, 0)
    assert dearer.values("commissioner_paid").tolist() == [2000.0] * 3  # another scenario: run anew


def test_a_comparison_is_kept_on_its_scenarios_and_their_names():
    """The names are what the page shows: the same designs under other names are another comparison."""
    a, b = scenario(), with_value(scenario(), "contract.rate_card.m.price", 2000)
    first = runs.compare([a, b], 3, 0)
    assert runs.compare([build(scenario_dict()), b], 3, 0) is first
    assert list(first.results) == ["deterministic test", b.name]
    renamed = runs.compare([a, b.model_copy(update={"name": "Dyrare"})], 3, 0)
    assert renamed is not first and list(renamed.results) == ["deterministic test", "Dyrare"]
    assert runs.compare([b, a], 3, 0) is not first  # the order is the page's too


def test_a_sweep_is_kept_on_its_variants_parameter_values_replications_and_seed():
    variants = {"plain": scenario()}
    path = "contract.rate_card.m.price"
    first = runs.sweep(variants, path, [500.0, 1500.0], 2, 0)
    assert runs.sweep({"plain": build(scenario_dict())}, path, [500.0, 1500.0], 2, 0) is first
    assert runs.sweep(variants, path, [500.0, 2500.0], 2, 0) is not first
    assert runs.sweep(variants, "provider.costs.fixed_per_month", [500.0, 1500.0], 2, 0) is not first
    assert runs.sweep(variants, path, [500.0, 1500.0], 2, 1) is not first


def _progress_page():
    import streamlit as st

    from sib.dashboard.runs import progress_bar

    update, clear = progress_bar("Kör")
    update(1, 4)
    update(2, 4)  # at once after: not drawn again
    if st.session_state.get("done"):
        update(4, 4)  # the last is always drawn
    if st.session_state.get("cleared"):
        clear()


def test_the_progress_bar_is_redrawn_at_most_twice_a_second_and_always_at_the_end():
    at = AppTest.from_function(_progress_page, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (bar,) = at.get("progress")
    assert (bar.proto.value, bar.proto.text) == (25, "Kör 1 / 4")
    at.session_state["done"] = True
    at.run()
    (bar,) = at.get("progress")
    assert (bar.proto.value, bar.proto.text) == (100, "Kör 4 / 4")
    at.session_state["cleared"] = True
    at.run()
    assert not at.get("progress")  # removed when the study is done
