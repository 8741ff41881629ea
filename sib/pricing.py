"""Pricing the outcome share: one factor on the fixed part, one on the rate card.

sib prices once per scenario, before any replication, by simulating the scenario's expected
performance: ``contract.pricing.replications`` replications with their own seed, over the
same pathway, places, waiting-list losses, time limits and caps the study will use. With
F the expected fixed payments and O(b) the expected outcome payments when every price is
multiplied by b (caps make O concave in b), it solves

    G + a·F = (1 − s)·V      and      O(b) = s·V

where G is the start-up grant (a sum pricing does not scale), V is ``contract.expected_value`` or, if absent, the expected value at the given prices.
Changing s therefore moves money between the parts and keeps V. Without ``outcome_share``
prices are used exactly as given (a = b = 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sib.engine.compiled import Compiled, compile_replication
from sib.engine.model import Model
from sib.engine.payments import price_index
from sib.engine.streams import Streams
from sib.engine.terms import Terms, settle
from sib.fmt import group
from sib.i18n import language, say
from sib.scenario.errors import ScenarioError
from sib.scenario.schema import Scenario, per_scenario
from sib.scenario.uncertainty import Draw


@dataclass(frozen=True)
class PricedContract:
    """The contract's terms after pricing, and what pricing found."""

    terms: Terms
    expected_value: float  # kr
    expected_fixed: float
    expected_outcome: float
    outcome_share_expected: float
    outcome_share_full: float
    max_contract_value: float | None  # None: the contract sets no upper bound
    replications: int
    direct_award_limit: float = 0.0

    @property
    def exceeds_direct_award_limit(self) -> bool:
        """Whether the contract may pay more than the direct-award limit (unbounded: yes)."""
        return self.max_contract_value is None or self.max_contract_value > self.direct_award_limit


@dataclass(frozen=True)
class _Sample:
    """Per pricing replication: fixed öre, claims weighted at factor 1, cohort-settled weights."""

    fixed: np.ndarray  # (R,)
    claim_rep: np.ndarray  # (P,) replication of each participant with a claim
    claim_weight: np.ndarray  # (P,) öre at factor 1
    settled: np.ndarray  # (R,) öre at factor 1, cohort-settled items
    full_rep: np.ndarray
    full_weight: np.ndarray
    settled_full: np.ndarray


@per_scenario
def price(sc: Scenario) -> PricedContract:
    """Price the scenario's contract, once per scenario."""
    c = sc.contract
    # The contract's tables are the same whatever the uncertain parameters draw.
    compiled = compile_replication(sc, Streams(c.pricing.seed, 0))
    sample = _sample(sc, compiled)
    grant = c.fixed.start_up_grant  # a sum: in the fixed part, not scaled
    fixed = float(sample.fixed.mean()) / 100 - grant
    cap_pp = c.caps.per_participant * 100 if c.caps.per_participant is not None else math.inf
    cap_total = c.caps.total * 100 if c.caps.total is not None else math.inf

    def outcome(b: float, full: bool = False) -> float:
        rep, w, settled = (
            (sample.full_rep, sample.full_weight, sample.settled_full) if full else (sample.claim_rep, sample.claim_weight, sample.settled)
        )
        per = np.minimum(b * w, cap_pp)
        total = np.bincount(rep, per, minlength=len(sample.fixed)) + b * settled
        return float(np.minimum(total, cap_total).mean()) / 100

    given = outcome(1.0)
    if c.outcome_share is None and c.expected_value is None:
        a, b = 1.0, 1.0
    else:
        value = c.expected_value if c.expected_value is not None else grant + fixed + given
        share = c.outcome_share if c.outcome_share is not None else (given / (grant + fixed + given) if grant + fixed + given else 0.0)
        a, b = _solve(sc, share, value, grant, fixed, outcome, cap_pp, cap_total, sample)
    terms = Terms.of(sc, a, b)
    fixed_priced, outcome_priced = grant + a * fixed, outcome(b)
    full = outcome(b, full=True)
    return PricedContract(
        terms=terms,
        expected_value=fixed_priced + outcome_priced,
        expected_fixed=fixed_priced,
        expected_outcome=outcome_priced,
        outcome_share_expected=outcome_priced / (fixed_priced + outcome_priced) if fixed_priced + outcome_priced else 0.0,
        outcome_share_full=full / (fixed_priced + full) if fixed_priced + full else 0.0,
        max_contract_value=_max_value(sc, compiled, terms),
        replications=c.pricing.replications,
        direct_award_limit=c.direct_award_limit,
    )


def _solve(sc, share, value, grant, fixed, outcome, cap_pp, cap_total, sample) -> tuple[float, float]:
    target = share * value
    scaled = (1 - share) * value - grant  # what the scaled fixed part must bring in expectation
    if scaled < -1e-6 * value:
        kr = {
            "grant": group(grant, lang=language()),
            "fixed": group((1 - share) * value, lang=language()),
            "value": group(value, lang=language()),
        }
        raise ScenarioError(
            [
                say(
                    "contract.fixed.start_up_grant: {grant} kr är mer än hela den fasta delen vid utfallsandelen {share:g} "
                    "({fixed} kr av ett förväntat värde på {value} kr): sänk startbidraget eller andelen",
                    "contract.fixed.start_up_grant: {grant} kr is more than the whole fixed part at outcome share "
                    "{share:g} ({fixed} kr of an expected value of {value} kr): lower the grant or the share",
                    share=share,
                    **kr,
                )
            ]
        )
    if scaled > 1e-6 * value and fixed <= 0:
        raise ScenarioError(
            [
                say(
                    "contract.outcome_share: {share:g} kräver en fast del att skala, men contract.fixed ger ingen förväntad betalning",
                    "contract.outcome_share: {share:g} needs a fixed part to scale, but contract.fixed pays nothing in expectation",
                    share=share,
                )
            ]
        )
    a = max(scaled, 0.0) / fixed if fixed > 0 else 0.0
    if target <= 0:
        return a, 0.0
    if not (sample.claim_weight > 0).any() and not (sample.settled > 0).any():
        raise ScenarioError(
            [
                say(
                    "contract.outcome_share: {share:g} kan inte nås: ingen milstolpe med pris nås i prissättningens simuleringar",
                    "contract.outcome_share: {share:g} cannot be reached: no priced milestone is reached in the pricing simulation",
                    share=share,
                )
            ]
        )
    reach = _supremum(sample, cap_pp, cap_total)
    if target >= reach * (1 - 1e-9):
        most = reach / value
        raise ScenarioError(
            [
                say(
                    "contract.outcome_share: {share:g} kan inte nås: med dessa tak och de förväntade resultaten kan "
                    "utfallsdelen vara högst {most:.3f} av det förväntade värdet",
                    "contract.outcome_share: {share:g} cannot be reached: with these caps and the expected "
                    "performance the outcome part can be at most {most:.3f} of the expected value",
                    share=share,
                    most=most,
                )
            ]
        )
    lo, hi = 0.0, 1.0
    while outcome(hi) < target:
        lo, hi = hi, hi * 2
    for _ in range(100):
        mid = (lo + hi) / 2
        if outcome(mid) < target:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * hi:
            break
    return a, hi


def _supremum(sample: _Sample, cap_pp: float, cap_total: float) -> float:
    """The expected outcome payment as prices grow without bound (what caps allow at most)."""
    per = np.where(sample.claim_weight > 0, cap_pp, 0.0)
    total = np.bincount(sample.claim_rep, per, minlength=len(sample.fixed)) + np.where(sample.settled > 0, math.inf, 0.0)
    return float(np.minimum(total, cap_total).mean()) / 100


#: Pricing samples by what they depend on: the scenario but its outcome share and expected
#: value (pricing solves for those afterwards), so a sweep over the share or a bid study that
#: tries one expected value after another simulates the pricing sample once; and but its
#: financing, insolvency rule and the provider's own cash, which a sample never reads (it is
#: simulated with ``finance=False``), so designs that differ only in those — a guarantee or
#: none, another credit line — share one.
_samples: dict[str, _Sample] = {}
_UNUSED_BY_THE_SAMPLE = {
    "name": True,
    "description": True,
    "sources": True,
    "financing": True,
    "insolvency": True,
    "provider": {"opening_equity"},
    "contract": {"outcome_share": True, "expected_value": True},
}


def _sample(sc: Scenario, compiled: Compiled) -> _Sample:
    key = sc.model_dump_json(exclude=_UNUSED_BY_THE_SAMPLE)
    found = _samples.get(key)
    if found is None:
        if len(_samples) >= 16:
            _samples.clear()
        found = _samples[key] = _simulate(sc, compiled)
    return found


def _simulate(sc: Scenario, compiled: Compiled) -> _Sample:
    terms = Terms.of(sc, 1.0, 1.0, caps=False)
    weights = np.array(terms.prices, dtype=float)  # tiered items: their highest price
    pooled = compiled.pooled_items
    tiers = compiled.settled_items - pooled
    individual = np.array([i not in compiled.settled_items for i in range(len(weights))], dtype=bool)
    each_month = _each_month_items(compiled)
    full_per_item = np.where([i not in pooled for i in range(len(weights))], weights, 0.0)
    # Full achievement of the day rates: every day from enrolment to the window's end paid, the
    # best exit tier on top (an exit ends the days, so this bounds both).
    full_days = sum(r.price * 100 for r in sc.contract.per_day.values())
    full_exit = sum(max(t.price for t in r.exit_payment.tiers) * 100 for r in sc.contract.per_day.values() if r.exit_payment is not None)
    R = sc.contract.pricing.replications
    last_index = float(price_index(compiled, np.array([compiled.window_end - 1]))[0])
    fixed = np.zeros(R)
    settled = np.zeros(R)
    settled_full = np.zeros(R)
    claim_rep, claim_w, full_rep, full_w = [], [], [], []
    for r in range(R):
        streams = Streams(sc.contract.pricing.seed, r)
        model = Model(compile_replication(sc, streams), terms, streams, finance=False).run()
        fixed[r] = model.fixed_billed
        participants = model.participants
        c = participants.claims
        enrolled = len(participants.enrolled_ids)
        paid_alone = individual.copy()
        price = weights.copy()
        for item in tiers:  # a met tier pays each participant's claim, under the person's cap
            units, price[item] = _settle(compiled, terms, item, c.count(item), enrolled, model.comparison)
            paid_alone[item] = units > 0
        mine = paid_alone[c.item] if c.item.size else np.zeros(0, dtype=bool)
        d = participants.day_claims  # day and exit claims: their öre at factor 1, indexed as billed
        people, amounts = np.unique(np.concatenate([c.person[mine], d.person]), return_inverse=True)
        indexed = np.concatenate(
            [
                price[c.item[mine]] * price_index(compiled, c.reach[mine]),  # the year's price list
                d.weight * price_index(compiled, d.reach),
            ]
        )
        per_person = np.bincount(amounts, indexed) if people.size else np.zeros(0)
        claim_rep.append(np.full(people.size, r))
        claim_w.append(per_person)
        for item in pooled:
            settled[r] += np.prod(_settle(compiled, terms, item, c.count(item), enrolled, model.comparison)) * last_index
            settled_full[r] += np.prod(_settle(compiled, terms, item, enrolled, enrolled, model.comparison)) * last_index
        months = _full_months(compiled, participants.enrolled_at.astype(np.int64))
        full = (full_per_item[None, :] * np.where(each_month[None, :], months[:, None], 1)).sum(axis=1) if months.size else months
        full = full + full_days * (compiled.window_end - participants.enrolled_at) + full_exit  # every day paid, and an exit
        full = full * last_index  # every milestone reached, at the last year's prices at most
        full_rep.append(np.full(months.size, r))
        full_w.append(full)
    return _Sample(
        fixed,
        np.concatenate(claim_rep).astype(int),
        np.concatenate(claim_w),
        settled,
        np.concatenate(full_rep).astype(int),
        np.concatenate(full_w).astype(float),
        settled_full,
    )


def _settle(compiled: Compiled, terms: Terms, item: int, count: int, enrolled: int, comparison: np.ndarray) -> tuple[int, int]:
    return settle(
        compiled.scenario.contract.rate_card[compiled.rate_names[item]], terms.schedules[item], count, enrolled, float(comparison[item])
    )


def _each_month_items(compiled: Compiled) -> np.ndarray:
    """Per rate-card item: whether its milestone pays every full month (is repeatable)."""
    kinds = {m.name: m.kind for m in compiled.milestones}
    return np.array([kinds[name] == "each_month" for name in compiled.rate_names], dtype=bool)


def _full_months(compiled: Compiled, days: np.ndarray) -> np.ndarray:
    """Full calendar months from each day to the end of the outcome window: the number of
    monthly anniversaries (clamped to month end) that fall before the window ends."""
    month_of_day = compiled.clock.month_of_day_array
    starts = compiled.month_start
    end = compiled.window_end
    m = month_of_day[days]
    dom = days - starts[m]
    k = month_of_day[end] - m  # the anniversary in the window's last month ...
    t = m + k
    anniversary = starts[t] + np.minimum(dom, starts[t + 1] - starts[t] - 1)
    return k - (anniversary >= end)  # ... counts only if it falls before the window ends


def _most(value: int | Draw) -> int:
    """A whole number, or the largest a drawn one can be."""
    return int(value.support()[1]) if isinstance(value, Draw) else value


def _max_value(sc: Scenario, compiled: Compiled, terms: Terms) -> float | None:
    """The most the contract can pay, or None when the contract sets no bound.

    Fixed parts: the upfront payment and start-up grant, every monthly lump sum, and the per
    participant-month fee for as many participants as can be enrolled at once, or as a
    guaranteed volume pays for if more (the places, if every state of
    the pathway holds one; otherwise everyone the contract may admit) for every month the fee
    runs (the service period, or support's too: ``contract.support``), plus half an öre of
    rounding per month. Outcomes: the total cap; otherwise each
    admissible participant paid every day of the window at each day rate, its best exit and every
    priced milestone (each-month milestones every month of
    the outcome window; other repeatable ones without bound), up to the per-participant cap;
    indexed prices at the last year's level.
    """
    c = sc.contract
    months = c.service_months
    ref = sc.participants.referrals
    most_people = ref.maximum if ref.maximum is not None else (sum(_most(x.size) for x in ref.cohorts) if ref.cohorts else None)
    every_state_holds = all(s.holds_place for s in sc.pathway.states.values() if not s.absorbing)
    at_once = _most(sc.capacity.places) if sc.capacity.places is not None and every_state_holds else most_people
    # Indexed prices: at most the last year's price list all through (an upper bound).
    grow = max(1.0, float(price_index(compiled, np.array([compiled.window_end - 1]))[0]))
    fixed = terms.upfront + terms.start_up_grant + ((terms.monthly * grow + 1) * months if terms.monthly else 0)  # + rounding per line
    if terms.per_participant_month:
        volume = c.fixed.minimum_volume
        if volume is not None:  # a month pays for max(filled, places) at most
            at_once = max(at_once, volume.places) if at_once is not None else None
            fixed += months  # the unused places' rounding
        if at_once is None:
            return None
        fee_months = c.support_months if c.support.fee_runs_with_support else months
        fixed += terms.per_participant_month * grow * fee_months * at_once + fee_months
    if terms.cap_total is not None:
        return (fixed + terms.cap_total) / 100
    kinds = {m.name: m for m in compiled.milestones}
    window = c.service_months + c.outcome_tail_months
    per_person = 0.0
    for price, name in zip(terms.prices, compiled.rate_names):
        m = kinds[name]
        if m.kind == "each_month":
            per_person += price * window
        elif m.repeatable and price:
            per_person = math.inf
        else:
            per_person += price
    for rate in c.per_day.values():  # every day of the window paid, and the best exit
        per_person += rate.price * 100 * terms.outcome_factor * (window * 31 + 1)
        if rate.exit_payment is not None:
            per_person += max(t.price for t in rate.exit_payment.tiers) * 100 * terms.outcome_factor
    per_person *= grow
    if terms.cap_per_participant is not None:
        per_person = min(per_person, terms.cap_per_participant)
    if per_person == 0:
        return fixed / 100
    if most_people is None or math.isinf(per_person):
        return None
    return (fixed + per_person * most_people) / 100
