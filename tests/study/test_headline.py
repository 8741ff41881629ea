"""``sib/study/headline.py``: the figures a study is read by and the plain sentence on top — what
the CLI prints first and the dashboard shows as cards, in kronor and per cent the reader's way,
each with an interval that never reaches beyond what the simulations showed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers_deterministic import scenario, scenario_dict, with_changes

import sib
from sib.scenario.loader import build
from sib.study.headline import HEADLINE, applies, estimate, interval, sentence, show, span
from sib.study.stats import Estimate

Z = 1.959963984540054


def study(raw=None, reps=3, seed=0) -> sib.Results:
    """A small study run in this process: one participant, paid 1 000 kr for one milestone."""
    return sib.run(build(raw) if raw is not None else scenario(), reps=reps, seed=seed, executor="serial")


def financed(financing) -> dict:
    return with_changes(scenario_dict(), {"financing": financing})


@pytest.mark.parametrize(
    "value, kind, sv, en",
    [
        (1_234_567.0, "money", "1 234 567 kr", "SEK 1,234,567"),
        (-2_000.0, "money", "−2 000 kr", "SEK −2,000"),
        (0.05, "share", "5,0 %", "5.0%"),
        (12.0, "days", "12 dagar", "12 days"),
        (12.5, "count", "12,5", "12.5"),  # below 100: one decimal
        (1234.0, "count", "1 234", "1,234"),
        (math.nan, "money", "–", "–"),  # no value: a dash, not 'nan kr'
    ],
)
def test_a_figure_is_shown_the_readers_way(value, kind, sv, en):
    assert (show(value, kind, "sv"), show(value, kind, "en")) == (sv, en)


def test_a_no_break_space_keeps_an_amount_on_one_line():
    assert show(1_234_567.0, "money", "sv", space="\u00a0") == "1\u00a0234\u00a0567\u00a0kr"


def test_an_estimate_is_shown_with_its_interval_unless_every_simulation_gave_the_same():
    e = Estimate(0.12, 0.091, 0.156, 0.017, 400)
    assert interval(e, "share", "sv") == "12,0 % (9,1 % – 15,6 %)"
    assert interval(e, "share", "en", two_lines=True) == "12.0%\n[dim]9.1% – 15.6%[/]"
    assert span(Estimate(1000.0, 1000.0, 1000.0, 0.0, 3), "money", "sv") == ""
    assert interval(Estimate(1000.0, 1000.0, 1000.0, 0.0, 3), "money", "sv") == "1 000 kr"
    assert span(Estimate(math.nan, math.nan, math.nan, math.nan, 0), "money", "sv") == ""


def test_an_average_of_amounts_never_negative_is_not_shown_with_an_interval_below_zero():
    """Seed 3 pays the one participant's milestone in 1 replication of 5: 0, 0, 1 000, 0, 0 kr.
    Mean 200, sd √200 000 ≈ 447.2, standard error 200: the normal interval runs from
    200 − 1.96 · 200 ≈ −192 kr, below anything a simulation paid, so it starts at 0."""
    raw = scenario_dict(
        pathway={"start": "a", "states": {"a": {"transitions": {"b": {"exponential": {"mean": 60}, "unit": "months"}}}, "b": {}}}
    )
    res = study(raw, reps=5, seed=3)
    assert res.values("commissioner_paid").tolist() == [0.0, 0.0, 1000.0, 0.0, 0.0]
    paid = next(f for f in HEADLINE if (f.metric, f.statistic) == ("commissioner_paid", "mean"))
    raw_interval, shown = res.kpi("commissioner_paid"), estimate(res, paid)
    assert raw_interval.low == pytest.approx(200 - Z * 200, rel=1e-12)
    assert (shown.value, shown.low, shown.se) == (200.0, 0.0, raw_interval.se)
    assert shown.high == pytest.approx(200 + Z * 200, rel=1e-12)  # below the largest (1 000 kr): kept


def test_a_figure_about_a_part_the_scenario_lacks_is_not_shown():
    plain = {(f.metric, f.statistic) for f in HEADLINE if applies(f, study())}
    everywhere = {(f.metric, f.statistic) for f in HEADLINE if f.only_if is None}
    assert plain == everywhere  # no guarantee, investor nor invoice financing: none of their figures
    guaranteed = study(financed({"credit_line": {"limit": 100_000, "interest_rate": 0.05}, "guarantee": {"share": 0.9}}))
    assert {(f.metric, f.statistic) for f in HEADLINE if applies(f, guaranteed)} - everywhere == {
        ("guarantee_called", "probability"),
        ("guarantor_result", "mean"),
    }


def test_an_investors_return_is_not_shown_where_it_was_never_repaid_anything():
    """At a price of 0 kr the investor gets nothing back: its IRR has no value in any
    simulation, so no card says 'nan'; the risk that it loses capital is still shown."""
    res = study(with_changes(financed({"investor": {"capital": 500}}), {"contract.rate_card.m.price": 0}))
    assert np.isnan(res.values("investor_irr")).all()
    shown = {(f.metric, f.statistic) for f in HEADLINE if applies(f, res)}
    assert ("investor_irr", "p50") not in shown and ("investor_loss", "probability") in shown


def test_the_sentence_says_cost_risk_and_credit_in_the_readers_language():
    """Every one of 3 simulations pays 1 000 kr for the one outcome, all of it on outcomes; the
    provider never fails, and Wilson's interval for 0 of 3 reaches z²/(3 + z²) = 56 %."""
    res = study()
    assert pytest.approx(0.5615, abs=1e-4) == Z * Z / (3 + Z * Z)
    assert sentence(res, "en") == (
        "With 100% outcome-based pay, the municipality's whole cost is SEK 1,000 on average, and at most SEK 1,000 in "
        "95% of cases; it pays the provider SEK 1,000 on average. The provider cannot meet its payments in 0% (0%–56%) "
        "of simulations. The provider's cash and credit carry it in at least 95% of cases."
    )
    assert sentence(res, "sv") == (
        "Med 100 % utfallsbaserad ersättning blir kommunens hela kostnad i genomsnitt 1 000 kr, och högst 1 000 kr i 95 % "
        "av fallen; till utföraren betalar den i genomsnitt 1 000 kr. Utföraren kan inte betala sina utgifter i 0 % "
        "(0 %–56 %) av simuleringarna. Utförarens kassa och kredit räcker i minst 95 % av fallen."
    )


@pytest.mark.parametrize(
    "financing, design",
    [
        ({"credit_line": {"limit": 100_000, "interest_rate": 0.05}}, "With 100% outcome-based pay and no guarantee, "),
        (
            {"credit_line": {"limit": 100_000, "interest_rate": 0.05}, "guarantee": {"share": 0.9, "guarantor": "municipality"}},
            "With 100% outcome-based pay and a municipal guarantee on 90% of the credit, ",
        ),
        (
            {"credit_line": {"limit": 100_000, "interest_rate": 0.05}, "guarantee": {"share": 0.8, "max_amount": 200_000}},
            # the bank lends 100 000 on the provider's own standing and 200 000 / 0.8 = 250 000 on the guarantee
            "With 100% outcome-based pay and a Mikrofonden guarantee of at most SEK 200,000, so that the bank lends SEK 350,000, ",
        ),
    ],
)
def test_the_sentence_names_the_financing_behind_the_design(financing, design):
    assert sentence(study(financed(financing)), "en").startswith(design + "the municipality's whole cost is SEK 1,000")
