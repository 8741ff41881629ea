"""The workshop's sentences are made from the step's own numbers: each figure quoted is the one
on the cards, and the direction it names is the direction the cards show."""

from __future__ import annotations

import re

import pytest
from helpers_paths import REPO

import sib
from sib.dashboard.story import amount, result_sentence, risk_points
from sib.fmt import percent
from sib.scenario.edit import with_values

ROOT = REPO


@pytest.fixture(scope="module")
def steps() -> list[sib.Results]:
    """Bostad först at 20 % and at 60 % on outcomes without a guarantee: the risk rises."""
    base = sib.load_scenario(ROOT / "scenarios" / "bostad_forst.yaml")
    return [sib.run(with_values(base, {"contract.outcome_share": share, "financing.guarantee": None}), 200, 0) for share in (0.2, 0.6)]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_figure_in_the_sentence_is_the_cards_figure(steps, lang):
    before, now = steps
    text = result_sentence(now, before, lang)
    risk = now.kpi("provider_insolvent", "probability").value
    assert percent(risk_points(risk) / 100, 0, lang) in text
    for metric, statistic in (("provider_min_liquidity", "p05"), ("commissioner_whole_cost", "mean")):
        assert amount(now.kpi(metric, statistic).value, lang) in text
    need = now.kpi("funding_need", "p95").value
    assert (amount(need, lang) in text) if need > 0 else ("räcker" in text or "carry it" in text)


@pytest.mark.parametrize("lang, up, down, same", [("sv", "upp", "ned", "oförändrad"), ("en", "up", "down", "unchanged")])
def test_the_direction_named_is_the_one_the_cards_show(steps, lang, up, down, same):
    before, now = steps
    d = risk_points(now.kpi("provider_insolvent", "probability").value) - risk_points(before.kpi("provider_insolvent", "probability").value)
    assert d > 0  # the story's premise: a larger outcome share is riskier here
    forward, back = result_sentence(now, before, lang), result_sentence(before, now, lang)
    assert re.search(rf"\({up} {d} ", forward) and re.search(rf"\({down} {d} ", back)
    assert f"({same})" in result_sentence(now, now, lang)
    assert "(" not in result_sentence(now, None, lang).split(".")[0]  # the first step has nothing to compare with
