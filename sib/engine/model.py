"""One replication: intake (simpy) → paths and milestones → claims → money flows → ledger.

Only referrals, places and the waiting list interact, so only they run as simpy events (see
``participants``). Everything after is a function of who enrolled when: milestone dates by
calendar arithmetic on the sampled paths, claims by verification, payments and costs as
dated flows, and the ledger as those flows in date order.
"""

from __future__ import annotations

import math

import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.costs import provider_costs
from sib.engine.ledger import Flows, Ledger, round_ore
from sib.engine.participants import Intake, Person
from sib.engine.pathway import Hits, Paths
from sib.engine.payments import Claims, commissioner_payments, verify
from sib.engine.streams import Streams, UniformTable
from sib.engine.terms import Terms

INF = math.inf


class Model:
    """Runs one replication of a compiled scenario under priced terms."""

    def __init__(self, compiled: Compiled, terms: Terms, streams: Streams):
        self.k = compiled
        self.sc = compiled.scenario
        self.terms = terms
        self.streams = streams
        self.people: list[Person] = []
        self.paths: Paths | None = None
        self.enrolled_ids = np.zeros(0, dtype=np.int64)
        self.enrolled_at = np.zeros(0)
        self.path_end = np.zeros(0)
        self.hits: Hits | None = None
        self.claims: Claims | None = None
        self.participant_days = np.zeros(0)
        self.fixed_billed = 0
        self.ledger: Ledger | None = None

    def run(self) -> "Model":
        k = self.k
        intake = Intake(k, self.streams)
        self.people = intake.run()
        self.paths = intake.paths
        ids = np.array([p.index for p in self.people if p.is_enrolled], dtype=np.int64)
        at = np.array([p.enrolled for p in self.people if p.is_enrolled])
        self.enrolled_ids, self.enrolled_at = ids, at
        person, state, entry, exit_ = self._segments(ids, at)
        self.hits = k.book.hits(person, state, entry, exit_)
        draws = UniformTable(self.streams.verification_seed, len(self.people))
        self.claims = verify(k, self.hits.person, self.hits.milestone, self.hits.time, draws, self.sc.contract.rejected_share)
        exited = np.where(self.path_end < k.service_end, self.path_end, INF)
        self.participant_days = self._participant_days(at, np.minimum(exited, k.service_end))
        flows = Flows()
        provider_costs(k, flows, at, exited, ids, self.participant_days)
        self.fixed_billed = commissioner_payments(k, self.terms, flows, self.claims, self.participant_days, len(ids))
        self.ledger = flows.ledger(k.clock, round_ore(self.sc.provider.opening_equity), k.last_month)
        return self

    def _segments(self, ids: np.ndarray, at: np.ndarray):
        """Each enrolled participant's path as flat segments: state, entry and exit times.

        A path is cut where the outcome window ends as seen from the enrolment; the last
        segment never ends (an exit is absorbing, and an open path is open). Sets
        ``path_end``: when each participant left the pathway (inf if they did not).
        """
        paths, k = self.paths, self.k
        states, rel = paths.states[ids], paths.times[ids]
        valid = (states >= 0) & (rel < (k.window_end - at)[:, None])
        rows, cols = np.nonzero(valid)
        person = ids[rows]
        state = states[rows, cols]
        entry = rel[rows, cols] + at[rows]
        exit_ = np.full(entry.size, INF)
        if entry.size > 1:
            same = rows[1:] == rows[:-1]
            exit_[:-1][same] = entry[1:][same]
        last = valid.sum(axis=1) - 1
        absorbing = np.array(k.pathway.absorbing + (False,))
        n = np.arange(len(ids))
        last_state = states[n, last] if len(ids) else np.zeros(0, dtype=np.int64)
        self.path_end = np.where(absorbing[last_state], rel[n, last] + at, INF) if len(ids) else np.zeros(0)
        return person, state, entry, exit_

    def _participant_days(self, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """Participant-days enrolled in each calendar month (index 0..last month)."""
        ms = self.k.month_start
        lo, hi = ms[:-1], ms[1:]
        if not start.size:
            return np.zeros(len(lo))
        overlap = np.minimum(stop[:, None], hi[None, :]) - np.maximum(start[:, None], lo[None, :])
        return np.clip(overlap, 0, None).sum(axis=0)
