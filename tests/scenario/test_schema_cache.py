"""``sib.scenario.schema.per_scenario``: what is computed once per scenario (its compiled tables,
its pricing, about a second for a reference scenario) is kept for the 64 most recently used, so
that a sweep through many variants does not make the scenario it started from be priced again."""

from __future__ import annotations

from helpers_deterministic import scenario

from sib.scenario.edit import with_values
from sib.scenario.schema import KEPT, per_scenario


def _counted():
    asked: list[str] = []

    @per_scenario
    def work(sc):
        asked.append(sc.name)
        return sc.name

    return work, asked


def test_the_scenario_in_use_stays_while_many_variants_pass_and_the_least_recent_goes():
    base = scenario()
    variants = [with_values(base, {"name": f"variant {i}"}) for i in range(KEPT + 1)]
    work, asked = _counted()
    work(base)
    for v in variants:  # a sweep that goes back to its base after each value
        work(v)
        work(base)
    assert asked.count(base.name) == 1, "the base was computed again"
    assert asked == [base.name] + [v.name for v in variants]
    # The first variants were used least recently: the oldest is computed again, the latest not.
    work(variants[0])
    work(variants[-1])
    assert asked[-1] == variants[0].name and asked.count(variants[-1].name) == 1


def test_an_equal_scenario_built_anew_shares_the_work_and_one_value_changed_does_not():
    base = scenario()
    work, asked = _counted()
    work(base)
    work(with_values(base, {}))  # the same scenario, another object
    work(with_values(base, {"provider.opening_equity": 1}))
    assert asked == [base.name, base.name]
