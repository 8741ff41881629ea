"""What a study prints first, as the three readers look for it: the municipality's whole cost
before what the provider is paid, the credit that would carry the provider (under the stop
rule too), a negative liquidity that says what it means, and a plain note where the whole cost
cannot count carrying the participants on."""

from __future__ import annotations

import io

import pytest
from helpers_paths import REPO
from rich.console import Console

import sib
from sib.cli import comparison_table, study_figures
from sib.fmt import kr
from sib.scenario.loader import build
from sib.study.headline import continuation_note, leaves_out_continuation, sentence

ROOT = REPO
BOSTAD = ROOT / "scenarios" / "bostad_forst.yaml"
UTAN = ROOT / "scenarios" / "bostad_forst_utan_garanti.yaml"


def shown(table) -> str:
    console = Console(file=io.StringIO(), width=250, color_system=None)
    console.print(table)
    return console.file.getvalue()


def rows(text: str) -> list[str]:
    """The first cell of each table row, in order."""
    return [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│") and line.split("│")[1].strip()]


def without_continuation(scenario: sib.Scenario) -> sib.Scenario:
    """The scenario with no word on carrying the participants on after a stop (nor its sources)."""
    data = scenario.model_dump(mode="json", by_alias=True)
    data["insolvency"].pop("continuation")
    data["sources"] = {k: v for k, v in data["sources"].items() if not k.startswith("insolvency.continuation")}
    return build(data)


@pytest.fixture(scope="module")
def stressed() -> sib.Results:
    """No guarantee, a small credit line and the stop rule: the provider often fails."""
    scenario = sib.load_scenario(UTAN)
    assert scenario.insolvency.rule == "stop"
    return sib.run(scenario, reps=60, seed=1, executor="serial")


@pytest.mark.parametrize(
    "lang, whole, paid, section",
    [
        ("sv", "Kommunens hela kostnad, genomsnitt", "Betalt till utföraren, genomsnitt", "Kommunen"),
        ("en", "The municipality's whole cost, average", "Paid to the provider, average", "The municipality"),
    ],
)
def test_the_whole_cost_is_the_first_figure_and_paid_to_the_provider_right_after(stressed, lang, whole, paid, section):
    text = shown(study_figures(stressed, lang))
    order = rows(text)
    first = order.index(section) + 1
    assert order[first] == whole
    assert order[first + 2] == paid  # after the whole cost's 95th percentile
    assert kr(stressed.kpi("commissioner_whole_cost", "mean").value, lang=lang) in text
    assert kr(stressed.kpi("commissioner_paid", "mean").value, lang=lang) in text


def test_the_funding_need_is_shown_under_the_stop_rule_as_the_credit_to_arrange(stressed):
    text = shown(study_figures(stressed, "sv"))
    for label, q in (("Extra kredit som behövs, median", "p50"), ("Extra kredit som bär utföraren i 95 % av fallen", "p95")):
        assert label in text
        assert kr(stressed.kpi("funding_need", q).value) in text
    assert "Dagar efter med betalningar" in text and "Dröjsmålsränta utföraren betalar" in text
    said = sentence(stressed, "sv")
    need = stressed.kpi("funding_need", "p95").value
    assert need > 0 and f"behöver utföraren {kr(need)} mer i kredit" in said


def test_a_negative_liquidity_says_what_it_means(stressed):
    lowest = stressed.kpi("provider_min_liquidity", "p05").value
    assert lowest < 0  # the provider falls behind with its bills in the worst cases
    text = shown(study_figures(stressed, "sv"))
    assert kr(lowest) in text and "−" in kr(lowest)
    assert "under noll: räkningar som inte kan betalas i tid" in text
    assert "below zero: bills that cannot be paid on time" in shown(study_figures(stressed, "en"))


def test_the_whole_cost_says_when_it_leaves_out_carrying_the_participants_on(stressed):
    assert not leaves_out_continuation(stressed.scenario)
    assert continuation_note("sv") not in shown(study_figures(stressed, "sv"))
    bare = sib.run(without_continuation(stressed.scenario), reps=20, seed=1, executor="serial")
    assert leaves_out_continuation(bare.scenario)
    for lang in ("sv", "en"):
        note = continuation_note(lang)
        assert " ".join(note.split()) in " ".join(shown(study_figures(bare, lang)).replace("│", " ").split())
        assert sentence(bare, lang).endswith(note)
        assert note not in sentence(stressed, lang)


def test_a_comparison_puts_the_whole_cost_first_for_every_scenario(stressed):
    both = sib.compare({"med": sib.load_scenario(BOSTAD), "utan": stressed.scenario}, reps=20, seed=1, executor="serial")
    order = rows(shown(comparison_table(both, "sv")))
    assert order[order.index("Kommunen") + 1] == "Kommunens hela kostnad, genomsnitt"
    assert "Extra kredit som bär utföraren i 95 % av fallen" in order


def test_the_sentence_names_a_guarantee_by_its_size_and_the_credit_it_makes_possible():
    """Not '90 % of the credit' when the cap covers far less: the guarantee's maximum, and the
    line the bank lends with it (its own-standing part plus maximum / share)."""
    scenario = sib.load_scenario(UTAN.with_name("bostad_forst.yaml"))
    fin, g = scenario.financing, scenario.financing.guarantee
    said = sentence(sib.run(scenario, reps=20, seed=0, executor="serial"), "sv")
    line = fin.credit_line.limit + g.max_amount / g.share
    assert f"en garanti från Mikrofonden på högst {kr(g.max_amount)}, så att banken lånar ut {kr(line)}" in said
    assert "av krediten" not in said
