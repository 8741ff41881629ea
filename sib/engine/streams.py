"""Random streams of one replication, laid out for common random numbers.

Replication i of root seed s owns ``SeedSequence(s.entropy, spawn_key=s.spawn_key + (i,))`` —
exactly what ``SeedSequence(s).spawn(n)[i]`` gives — so ``simulate(..., replication=i)`` is
replication i of a Monte Carlo run. Inside a replication each purpose has its own child:

- arrivals: referral times;
- parameters: per-replication parameter draws;
- participants: participant i's path reads row i of a table of uniforms (``WIDTH`` per row),
  so changing places, stop rules or payment terms shifts nobody's draws; a path that needs
  more than ``WIDTH`` uniforms continues on an overflow stream of its own;
- verification: participant i's k-th outcome claim is accepted or rejected by row i, column k.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

ARRIVALS, PARAMETERS, PARTICIPANTS, VERIFICATION = range(4)
WIDTH = 32  # uniforms per participant row: a path of ~10 states with 3 competing exits each
BLOCK = 64  # rows generated at a time


def replication_seed(seed: int | np.random.SeedSequence, replication: int) -> np.random.SeedSequence:
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, replication))


def child(seq: np.random.SeedSequence, *key: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, *key))


class UniformRows:
    """Row i of an endless table of uniforms, generated in blocks; row i never depends on use."""

    def __init__(self, seq: np.random.SeedSequence):
        self._seq = seq
        self._gen = np.random.Generator(np.random.PCG64(seq))
        self._rows: list[list[float]] = []

    def row(self, i: int) -> list[float]:
        rows = self._rows
        while len(rows) <= i:
            rows.extend(self._gen.random((BLOCK, WIDTH)).tolist())
        return rows[i]

    def stream(self, i: int) -> Iterator[float]:
        """Participant i's uniforms: its row, then its own overflow generator, forever."""
        yield from self.row(i)
        overflow = np.random.Generator(np.random.PCG64(child(self._seq, 1, i)))
        while True:
            yield from overflow.random(WIDTH).tolist()


class Streams:
    """The random streams of one replication."""

    def __init__(self, seed: int | np.random.SeedSequence, replication: int):
        self.seed_sequence = replication_seed(seed, replication)
        s = self.seed_sequence
        self.arrivals = np.random.Generator(np.random.PCG64(child(s, ARRIVALS)))
        self.parameters = np.random.Generator(np.random.PCG64(child(s, PARAMETERS)))
        self.participants = UniformRows(child(s, PARTICIPANTS))
        self.verification = UniformRows(child(s, VERIFICATION))
