"""Random streams of one replication, laid out for common random numbers.

Replication i of root seed s owns ``SeedSequence(s.entropy, spawn_key=s.spawn_key + (i,))`` —
exactly what ``SeedSequence(s).spawn(n)[i]`` gives — so ``simulate(..., replication=i)`` is
replication i of a Monte Carlo run. Inside a replication each purpose has its own child:

- arrivals: referral times;
- parameters: each uncertain parameter draws one uniform from a child keyed on its path;
- participants: participant i's path reads row i of a table of uniforms (``WIDTH`` per row,
  see ``UniformTable``),
  so changing places, stop rules or payment terms shifts nobody's draws; a path that needs
  more than ``WIDTH`` uniforms continues on an overflow stream of its own;
- verification: participant i's k-th outcome claim is accepted or rejected by row i, column k;
- late payment: invoice n is paid late, and how late, by row n - 1 of its own table;
- counterfactual: participant i's path without the intervention reads row i of its own table;
- comparison: the comparison groups' samples, one binomial draw per rate-card item that has one.
"""

from __future__ import annotations

import zlib
from functools import cached_property

import numpy as np

ARRIVALS, PARAMETERS, PARTICIPANTS, VERIFICATION, LATE_PAYMENT, COUNTERFACTUAL, COMPARISON = range(7)
WIDTH = 32  # uniforms per participant row: a path of ~10 states with 3 competing exits each
BLOCK = 64  # rows generated at a time


def replication_seed(seed: int | np.random.SeedSequence, replication: int) -> np.random.SeedSequence:
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, replication))


def child(seq: np.random.SeedSequence, *key: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, *key))


class UniformTable:
    """The participants' uniforms as one array: row i is participant i's stream.

    Rows are generated ``BLOCK`` at a time, in order, so row i does not depend on how many
    rows there are; a row that runs out of its ``WIDTH`` columns continues on the
    participant's own overflow stream.
    """

    def __init__(self, seq: np.random.SeedSequence, n: int):
        self._seq = seq
        self._gen = np.random.Generator(np.random.PCG64(seq))
        blocks = -(-max(n, 1) // BLOCK)
        self.u = self._gen.random((blocks * BLOCK, WIDTH))
        self.filled = np.full(len(self.u), WIDTH)
        self._overflow: dict[int, np.random.Generator] = {}

    def _grow(self, rows: int) -> None:
        """More rows, in order from the same stream (any row's numbers stay the same)."""
        blocks = -(-(rows - len(self.u)) // BLOCK)
        more = self._gen.random((blocks * BLOCK, WIDTH))
        if self.u.shape[1] > WIDTH:
            more = np.concatenate([more, np.full((len(more), self.u.shape[1] - WIDTH), np.nan)], axis=1)
        self.u = np.concatenate([self.u, more])
        self.filled = np.concatenate([self.filled, np.full(len(more), WIDTH)])

    def take(self, rows: np.ndarray, start: np.ndarray, width: int) -> np.ndarray:
        """For each row r in ``rows``, its uniforms ``start[r] .. start[r] + width - 1``."""
        if rows.size and rows.max() >= len(self.u):
            self._grow(int(rows.max()) + 1)
        end = start + width
        short = end > self.filled[rows]
        if short.any():
            self._extend(rows[short], end[short])
        return self.u[rows[:, None], start[:, None] + np.arange(width)]

    def value(self, row: int, column: int) -> float:
        """One uniform: participant ``row``'s number ``column``."""
        if row >= len(self.u):
            self._grow(row + 1)
        if column >= self.filled[row]:
            self._extend(np.array([row]), np.array([column + 1]))
        return float(self.u[row, column])

    def _extend(self, rows: np.ndarray, need: np.ndarray) -> None:
        while need.max() > self.u.shape[1]:
            pad = np.full((len(self.u), WIDTH), np.nan)
            self.u = np.concatenate([self.u, pad], axis=1)
        for r, n in zip(rows.tolist(), need.tolist()):
            gen = self._overflow.get(r)
            if gen is None:
                gen = self._overflow[r] = np.random.Generator(np.random.PCG64(child(self._seq, 1, r)))
            while self.filled[r] < n:
                f = self.filled[r]
                self.u[r, f : f + WIDTH] = gen.random(WIDTH)
                self.filled[r] = f + WIDTH


def _child_seed(purpose: int) -> cached_property:
    """A replication's child seed for ``purpose``, made the first time it is asked for."""
    return cached_property(lambda streams: child(streams.seed_sequence, purpose))


class Streams:
    """The random streams of one replication. Each use starts its stream afresh, so a part of
    the replication run twice (the intake again after a stop) draws the same numbers. A
    child seed is made when first asked for (a replication without late payments or
    uncertain parameters never needs theirs)."""

    def __init__(self, seed: int | np.random.SeedSequence, replication: int):
        self.seed_sequence = replication_seed(seed, replication)

    _arrivals_seed = _child_seed(ARRIVALS)
    _parameters_seed = _child_seed(PARAMETERS)
    participants_seed = _child_seed(PARTICIPANTS)
    verification_seed = _child_seed(VERIFICATION)
    late_payment_seed = _child_seed(LATE_PAYMENT)
    counterfactual_seed = _child_seed(COUNTERFACTUAL)
    comparison_seed = _child_seed(COMPARISON)

    def parameter_uniform(self, name: str) -> float:
        """The uniform number that draws the uncertain parameter ``name`` (its path) in this
        replication: a stream of its own per path, so adding a parameter moves no other."""
        key = zlib.crc32(name.encode())
        return float(np.random.Generator(np.random.PCG64(child(self._parameters_seed, key))).random())

    def arrivals(self) -> np.random.Generator:
        """A fresh generator on the arrivals stream."""
        return np.random.Generator(np.random.PCG64(self._arrivals_seed))
