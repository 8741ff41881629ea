"""A scenario file with a mistake gives its problems in the language in force: in Swedish
under ``speaking("sv")``, in English under ``speaking("en")`` (and by default), each one still
starting with the path, and with no word of the other language in it."""

from __future__ import annotations

import re
import string

import pytest
from helpers_paths import REPO

import sib
from sib.i18n import speaking
from sib.scenario.errors import _MUST, _RULES

BOSTAD = REPO / "scenarios" / "bostad_forst.yaml"

#: Words that give away English in a Swedish message, and Swedish in an English one.
ENGLISH = {
    "must",
    "got",
    "unknown",
    "allowed",
    "required",
    "number",
    "whole",
    "mapping",
    "list",
    "the",
    "of",
    "no",
    "such",
    "give",
    "or",
    "and",
    "is",
    "be",
    "did",
    "you",
    "mean",
    "here",
    "a",
    "an",
    "at",
    "least",
}
SWEDISH = {
    "måste",
    "angivet",
    "okänd",
    "tillåtna",
    "saknas",
    "anges",
    "heltal",
    "tal",
    "mappning",
    "lista",
    "eller",
    "finns",
    "inget",
    "tillstånd",
    "ange",
    "exakt",
    "av",
    "menade",
    "du",
    "minst",
    "högst",
    "datum",
    "som",
    "fördelningen",
}

#: One value changed in the reference scenario, and the path the problem must start with.
BROKEN = {
    "a negative number": ("payment_terms_days: 30", "payment_terms_days: -3", "contract.payment_terms_days"),
    "a wrong type": ("service_months: 36", "service_months: tre", "contract.service_months"),
    "an unknown key, a near miss": ("outcome_share: 0.40", "outcome_shares: 0.40", "contract.outcome_shares"),
    "a missing required key": ("start_date: 2027-01-01\n", "\n", "start_date"),
    "a value fitting no branch of a union": (
        "per_month: {triangular: [2.8, 3.6, 4.4]}",
        "per_month: många",
        "participants.referrals.per_month",
    ),
    "a state that is not there": (
        "lease_signed: {label: Kontrakt tecknat, state: housed}",
        "lease_signed: {label: Kontrakt tecknat, state: hused}",
        "milestones.lease_signed.state",
    ),
    "a date that is not a date": ("start_date: 2027-01-01", "start_date: '1 januari 2027'", "start_date"),
    "a distribution leaving the allowed range": (
        "per_month: {triangular: [2.8, 3.6, 4.4]}",
        "per_month: {triangular: [-1, 3.6, 4.4]}",
        "participants.referrals.per_month",
    ),
    "a price and tiers at once": (
        "lease_signed: {price: 30500}",
        "lease_signed: {price: 30500, tiers: [{share: 0.5, price: 1}]}",
        "contract.rate_card.lease_signed",
    ),
}


def _broken(old: str, new: str) -> str:
    text = BOSTAD.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {BOSTAD.name} once: the case needs updating"
    return text.replace(old, new)


def _problems(text: str, lang: str) -> list[str]:
    with speaking(lang), pytest.raises(sib.ScenarioError) as info:
        sib.loads_scenario(text, "bostad_forst.yaml")
    return info.value.problems


def _words(problem: str) -> set[str]:
    """The words of a problem after its path, leaving out what the file wrote ('…') and the
    names of keys and states (they are code, the same in both languages)."""
    rule = problem.split(": ", 1)[1]
    rule = re.sub(r"'[^']*'|\[[^\]]*\]", " ", rule)
    rule = re.sub(r"(tillåtna här|allowed here): .*", " ", rule)
    return {w.lower() for w in re.findall(r"[^\W\d_]+", rule) if "_" not in w}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_file_is_explained_in_swedish(case):
    old, new, path = BROKEN[case]
    problems = _problems(_broken(old, new), "sv")
    mine = [p for p in problems if p.startswith(path + ": ")]
    assert mine, f"no problem starts with {path!r}: {problems}"
    for problem in problems:
        english = _words(problem) & ENGLISH
        assert not english, f"English in a Swedish message ({sorted(english)}): {problem!r}"
    assert any(_words(p) & SWEDISH for p in mine), mine


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_the_same_file_is_explained_in_english(case):
    old, new, path = BROKEN[case]
    text = _broken(old, new)
    problems = _problems(text, "en")
    mine = [p for p in problems if p.startswith(path + ": ")]
    assert mine, f"no problem starts with {path!r}: {problems}"
    for problem in problems:
        swedish = _words(problem) & SWEDISH - ENGLISH
        assert not swedish, f"Swedish in an English message ({sorted(swedish)}): {problem!r}"
    # The paths are the same in both languages, in the same order; English is the default.
    assert [p.split(": ", 1)[0] for p in _problems(text, "sv")] == [p.split(": ", 1)[0] for p in problems]
    with pytest.raises(sib.ScenarioError) as info:
        sib.loads_scenario(text, "bostad_forst.yaml")
    assert info.value.problems == problems


def test_what_a_person_reads_in_swedish():
    def first(case: str) -> str:
        old, new, path = BROKEN[case]
        return next(p for p in _problems(_broken(old, new), "sv") if p.startswith(path + ": "))

    assert first("a negative number") == "contract.payment_terms_days: måste vara mellan 0 och 365, angivet: -3"
    assert first("a wrong type") == "contract.service_months: måste vara ett heltal, angivet: 'tre'"
    assert first("an unknown key, a near miss").startswith(
        "contract.outcome_shares: okänd nyckel (menade du 'outcome_share'?); tillåtna här: service_months, "
    )
    assert first("a missing required key") == "start_date: saknas (måste anges)"
    assert first("a value fitting no branch of a union") == (
        "participants.referrals.per_month: måste vara ett tal eller en lista, angivet: 'många'"
    )
    assert first("a state that is not there").startswith("milestones.lease_signed.state: det finns inget tillstånd 'hused' ")
    assert first("a date that is not a date") == "start_date: måste vara ett datum som 2027-01-01, angivet: '1 januari 2027'"
    assert first("a price and tiers at once") == "contract.rate_card.lease_signed: ange exakt en av 'price' eller 'tiers'"


def test_the_file_itself_is_explained_in_swedish():
    """Mistakes found before the schema (the YAML) name the line and column, in Swedish."""
    text = _broken("start_date: 2027-01-01", "start_date: 2027-02-30")
    (problem,) = _problems(text, "sv")
    assert re.match(r"YAML-fel på rad \d+, kolumn \d+: '2027-02-30' är inte ett riktigt datum \(dagen finns inte i månaden\)$", problem), (
        problem
    )
    (problem,) = _problems("- a\n- b\n", "sv")
    assert problem == "ett scenario är en mappning av nycklar till värden, angivet: en lista"


def test_study_and_pricing_input_checks_speak_swedish():
    from sib.scenario.edit import parse_path
    from sib.study.compare import parse_values

    with speaking("sv"):
        with pytest.raises(ValueError, match=r"^värdena måste vara start:stop:step .* angivet: 'x'$"):
            parse_values("x")
        with pytest.raises(ValueError, match=r"^start:stop:step ger 1001 värden; högst 200 "):
            parse_values("0:1000:1")
        with pytest.raises(sib.ScenarioError) as info:
            parse_path("contract..x")
        assert info.value.problems == ["contract..x: inte en parametersökväg (skriv den som i filen, t.ex. contract.outcome_share)"]
    with pytest.raises(ValueError, match=r"^values must be start:stop:step"):
        parse_values("x")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("kind", sorted(_RULES))
def test_every_rule_has_both_halves_with_the_same_fields(kind):
    rule = _RULES[kind]
    assert rule.sv.strip() and rule.en.strip() and rule.sv != rule.en
    assert _fields(rule.sv) == _fields(rule.en), kind
    if kind in _MUST:
        assert rule.sv.startswith("måste vara ") and rule.en.startswith("must be ")


@pytest.mark.parametrize(
    "description, said",
    [
        ({"sv": "", "en": "x"}, ["description.sv: must have at least 1 character(s), got ''"]),
        ({"sv": "x"}, ["description.en: is required"]),
        (5, ["description: must be text or a mapping (key: value), got 5"]),
    ],
)
def test_a_mapping_with_a_problem_inside_is_not_also_told_it_should_be_text(description, said):
    """A description is text or {sv, en}. Written as a mapping with its Swedish half empty, it
    once also got "description: must be text, got a mapping of 2 key(s)", which sent its writer
    the wrong way; a value of neither shape still hears both."""
    from sib.scenario.loader import build

    raw = sib.load_scenario(BOSTAD).model_dump(mode="json", by_alias=True)
    raw["description"] = description
    with pytest.raises(sib.ScenarioError) as info:
        build(raw)
    assert info.value.problems == said
