"""``sib/engine/streams.py``: the random numbers of a replication. The same seed gives the same
numbers (a study can be rerun and checked), replication i of a seed is the i-th replication of
a Monte Carlo run, and each purpose and each participant has a stream of its own, so that
designs compared on the same seed differ only where their terms differ (common random numbers).

Expected numbers come from numpy's ``SeedSequence`` and ``PCG64`` directly, laid out as the
module's docstring says.
"""

from __future__ import annotations

import numpy as np
import pytest

from sib.engine.streams import WIDTH, Streams, UniformTable, replication_seed

PURPOSES = ("arrivals", "parameters", "participants", "verification", "late_payment", "counterfactual", "comparison")


def _state(seq: np.random.SeedSequence) -> list[int]:
    return seq.generate_state(4).tolist()


def _uniforms(entropy: int, spawn_key: tuple[int, ...], n: int) -> np.ndarray:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=spawn_key))).random(n)


@pytest.mark.parametrize("seed", [0, 20270101])
def test_replication_i_of_a_seed_is_the_ith_child_a_monte_carlo_run_spawns(seed):
    """``simulate(s, seed, replication=i)`` reruns replication i of ``run(s, seed=seed)``."""
    spawned = np.random.SeedSequence(seed).spawn(6)
    assert [_state(replication_seed(seed, i)) for i in range(6)] == [_state(s) for s in spawned]
    # From a seed sequence that is itself a child (a sweep's value, say), its own children.
    parent = np.random.SeedSequence(seed).spawn(3)[2]
    children = np.random.SeedSequence(seed).spawn(3)[2].spawn(4)
    assert [_state(replication_seed(parent, i)) for i in range(4)] == [_state(c) for c in children]


def test_each_purpose_has_a_stream_of_its_own_at_the_place_a_saved_study_records():
    """A study file records the seed's entropy and spawn key; the purposes' children are laid
    out under it in a fixed order, so the file reruns to the same numbers in a later version."""
    streams = Streams(7, 3)
    seeds = [
        streams._arrivals_seed,
        streams._parameters_seed,
        streams.participants_seed,
        streams.verification_seed,
        streams.late_payment_seed,
        streams.counterfactual_seed,
        streams.comparison_seed,
    ]
    for purpose, (name, seq) in enumerate(zip(PURPOSES, seeds)):
        assert _state(seq) == _state(np.random.SeedSequence(7, spawn_key=(3, purpose))), name
    assert len({tuple(_state(s)) for s in seeds}) == len(PURPOSES)


def test_the_same_seed_draws_the_same_referrals_every_time_and_another_seed_or_replication_others():
    streams = Streams(11, 2)
    first = streams.arrivals().random(8)
    np.testing.assert_array_equal(streams.arrivals().random(8), first)  # each use starts afresh
    np.testing.assert_array_equal(Streams(11, 2).arrivals().random(8), first)
    np.testing.assert_array_equal(first, _uniforms(11, (2, 0), 8))
    assert not np.array_equal(Streams(11, 3).arrivals().random(8), first)
    assert not np.array_equal(Streams(12, 2).arrivals().random(8), first)


def test_an_uncertain_parameter_draws_its_own_uniform_whatever_else_is_drawn():
    """Adding a parameter to a scenario moves no other parameter's draw, nor the referrals."""
    alone = Streams(5, 0)
    places = alone.parameter_uniform("capacity.places")
    crowded = Streams(5, 0)
    arrivals = crowded.arrivals().random(4)
    others = [crowded.parameter_uniform(p) for p in ("contract.outcome_share", "pathway.states.a.transitions.b.fixed")]
    assert crowded.parameter_uniform("capacity.places") == places
    assert alone.parameter_uniform("capacity.places") == places  # asked again: the same draw
    np.testing.assert_array_equal(Streams(5, 0).arrivals().random(4), arrivals)
    assert len({places, *others}) == 3 and all(0 <= u < 1 for u in (places, *others))
    assert Streams(5, 1).parameter_uniform("capacity.places") != places


def test_participant_i_reads_row_i_whatever_the_number_of_participants():
    """Three referrals or five hundred: the first three draw the same numbers, and a table that
    grows (more referrals than first thought) gives every row what a bigger table would have."""
    seq = np.random.SeedSequence(42, spawn_key=(0, 2))
    few, many = UniformTable(seq, 3), UniformTable(seq, 500)
    np.testing.assert_array_equal(few.u[:3], many.u[:3])
    assert few.value(300, 5) == many.u[300, 5]
    rows = np.array([2, 450, 499])
    np.testing.assert_array_equal(few.take(rows, np.array([0, 7, 20]), 4), many.take(rows, np.array([0, 7, 20]), 4))
    np.testing.assert_array_equal(few.u[:500], many.u[:500])
    assert ((few.u[:500] >= 0) & (few.u[:500] < 1)).all()


def test_a_row_that_needs_more_than_its_width_continues_on_the_participants_own_overflow_stream():
    """A long path past its 32 numbers: the first 32 stay, the rest come 32 at a time from the
    participant's own overflow stream, and nobody else's numbers move."""
    seq = np.random.SeedSequence(9, spawn_key=(1, 2))
    table = UniformTable(seq, 10)
    before = table.u.copy()
    got = table.take(np.array([4]), np.array([WIDTH - 2]), 10)[0]
    overflow = _uniforms(9, (1, 2, 1, 4), 3 * WIDTH)  # row 4's own: the table's seed, then (1, 4)
    np.testing.assert_array_equal(got, np.concatenate([before[4, WIDTH - 2 : WIDTH], overflow[:8]]))
    assert table.value(4, 2 * WIDTH + 5) == overflow[WIDTH + 5]  # further still: the same stream goes on
    np.testing.assert_array_equal(table.u[:, :WIDTH], before)
    assert np.isnan(table.u[3, WIDTH:]).all()  # row 3 drew no more than its own
    # Another table where row 3 overflowed first gives row 4 the same numbers.
    other = UniformTable(seq, 10)
    other.value(3, 40)
    np.testing.assert_array_equal(other.take(np.array([4]), np.array([WIDTH - 2]), 10)[0], got)
