"""Bad scenario input gives a clear ``sib.ScenarioError`` naming the path and the rule — never
another exception, never silence."""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_deterministic import ENGINE_SCENARIOS as SCENARIOS
from helpers_deterministic import raw_scenario, scenario_dict, with_changes
from helpers_paths import REPO

import sib
from sib.scenario.loader import MAX_FILE_BYTES, build, load_scenario, loads_scenario


def problems(action: Callable[[], Any]) -> list[str]:
    """The problems of the ScenarioError that ``action`` must raise (any other exception fails)."""
    with pytest.raises(sib.ScenarioError) as info:
        action()
    err = info.value
    assert err.problems, "a ScenarioError without problems"
    assert all(isinstance(p, str) and p.strip() for p in err.problems)
    return err.problems


def build_problems(raw: Any) -> list[str]:
    return problems(lambda: build(raw))


def base() -> dict[str, Any]:
    return scenario_dict()


def write(tmp_path: Path, text: str | bytes, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def good_yaml() -> str:
    return yaml.safe_dump(base(), sort_keys=False, allow_unicode=True)


def test_the_base_scenario_is_valid(tmp_path):
    build(base())
    load_scenario(write(tmp_path, good_yaml()))
    loads_scenario(good_yaml())


# ---------------------------------------------------------------- values out of range


def test_negative_price_names_path_rule_and_value():
    got = build_problems(with_changes(base(), {"contract.rate_card.m.price": -5}))
    assert got == ["contract.rate_card.m.price: must be >= 0, got -5"]


@pytest.mark.parametrize(
    "path, value, expected",
    [
        ("provider.costs.fixed_per_month", -1, "provider.costs.fixed_per_month: must be >= 0"),
        ("contract.payment_terms_days", -1, "contract.payment_terms_days: must be between 0 and 365, got -1"),
        ("contract.service_months", 0, "contract.service_months: must be between 1 and 240, got 0"),
        ("contract.rejected_share", 1, "contract.rejected_share: must be >= 0 and < 1"),
        ("contract.outcome_share", 1.5, "contract.outcome_share: must be between 0 and 1"),
        ("contract.verification_lag", {"days": -3}, "contract.verification_lag.days: must be between 0 and 36500, got -3"),
    ],
)
def test_out_of_range_values(path, value, expected):
    got = build_problems(with_changes(base(), {path: value}))
    assert len(got) == 1 and got[0].startswith(expected), got


# ---------------------------------------------------------------- unknown keys


@pytest.mark.parametrize(
    "path, typo, right",
    [
        ("contract", "servce_months", "service_months"),
        ("", "milestone", "milestones"),
        ("pathway.states.a", "transitons", "transitions"),
        ("pathway.states.a.transitions.b", "fixd", "fixed"),
        ("contract", "payment_term_days", "payment_terms_days"),
        ("contract.caps", "per_participant_cap", "per_participant"),
    ],
)
def test_unknown_key_names_the_key_and_suggests_the_right_one(path, typo, right):
    raw = base()
    node = raw
    for part in filter(None, path.split(".")):
        node = node.setdefault(part, {})
    node[typo] = node.get(right, 12)
    got = build_problems(raw)
    where = f"{path}.{typo}" if path else typo
    line = next((p for p in got if p.startswith(f"{where}: ")), None)
    assert line is not None, got
    assert "unknown key" in line and f"did you mean '{right}'" in line, line


def test_unknown_key_and_missing_key_are_both_reported():
    raw = base()
    raw["contract"]["servce_months"] = raw["contract"].pop("service_months")
    got = build_problems(raw)
    assert "contract.service_months: is required" in got
    assert any(p.startswith("contract.servce_months: unknown key (did you mean 'service_months'?)") for p in got)


def test_unknown_key_in_a_list_item():
    raw = with_changes(base(), {"participants.referrals.cohorts": [{"date": "2027-01-01", "szie": 3}]})
    got = build_problems(raw)
    assert any(p.startswith("participants.referrals.cohorts[0].szie: unknown key (did you mean 'size'?)") for p in got), got


# ---------------------------------------------------------------- wrong types


@pytest.mark.parametrize(
    "path, value, expected",
    [
        ("contract.service_months", "abc", "contract.service_months: must be a whole number, got 'abc'"),
        ("contract.service_months", 12.5, "contract.service_months: must be a whole number, got 12.5"),
        ("start_date", "soon", "start_date: must be a date like 2027-01-01, got 'soon'"),
        ("milestones.m.repeatable", "often", "milestones.m.repeatable: must be true or false, got 'often'"),
        ("contract.invoice_period", "weekly", "contract.invoice_period: must be one of 'monthly' or 'quarterly', got 'weekly'"),
        ("contract.rate_card.m.price", "a lot", "contract.rate_card.m.price: must be a number, got 'a lot'"),
        ("contract", [1, 2], "contract: must be a mapping (key: value), got a list of 2 item(s)"),
    ],
)
def test_wrong_type(path, value, expected):
    assert build_problems(with_changes(base(), {path: value})) == [expected]


@pytest.mark.parametrize(
    "line, path, word",
    [
        ("  service_months: 12", "contract.service_months", "yes"),
        ("      price: 1000", "contract.rate_card.m.price", "true"),
        ("  payment_terms_days: 30", "contract.payment_terms_days", "on"),
    ],
)
def test_boolean_where_a_number_is_expected(line, path, word):
    # YAML reads yes/no/on/off/true/false as booleans; `service_months: yes` must not become a
    # one-month contract, nor `price: yes` a price of 1 kr.
    source = good_yaml()
    assert line in source
    got = problems(lambda: loads_scenario(source.replace(line, line.split(":")[0] + ": " + word)))
    assert len(got) == 1 and got[0].startswith(f"{path}: "), got


@pytest.mark.parametrize(
    "line, quoted, path, text",
    [
        ("  service_months: 12", '  service_months: "12"', "contract.service_months", "12"),
        ("      price: 1000", '      price: "1000"', "contract.rate_card.m.price", "1000"),
        ("  payment_terms_days: 30", "  payment_terms_days: '30'", "contract.payment_terms_days", "30"),
    ],
)
def test_a_number_in_quotes_is_text_not_a_number(line, quoted, path, text):
    # "3.6" in quotes is text (a spreadsheet's text cell, a value meant as a note): pydantic
    # would read it as the number, so the author would never learn the file says something else.
    source = good_yaml()
    assert line in source
    got = problems(lambda: loads_scenario(source.replace(line, quoted)))
    assert got == [f'{path}: must be a number, got "{text}" (text in quotes)'], got


def test_quoted_items_of_a_number_list_are_refused_but_a_quoted_date_is_a_date():
    got = build_problems(with_changes(base(), {"participants.referrals.per_month": {"triangular": [2, "3", 4]}}))
    assert 'participants.referrals.per_month.triangular: must be numbers; item 2 is "3" (text in quotes)' in got, got
    assert build(with_changes(base(), {"start_date": "2026-12-01"})).start_date == dt.date(2026, 12, 1)


def test_wrong_type_in_a_union_names_only_the_users_path():
    # per_month is a number or a list of periods: the message must not leak pydantic's internal
    # names of the union's branches into the path.
    got = build_problems(with_changes(base(), {"participants.referrals": {"per_month": "lots"}}))
    for p in got:
        path = p.split(": ", 1)[0]
        assert path == "participants.referrals.per_month", got


# ---------------------------------------------------------------- missing fields


@pytest.mark.parametrize(
    "path, expected",
    [
        ("contract", "contract: is required"),
        ("start_date", "start_date: is required"),
        ("contract.service_months", "contract.service_months: is required"),
        ("pathway.start", "pathway.start: is required"),
        ("contract.rate_card.m.price", "contract.rate_card.m: give exactly one of 'price' or 'tiers'"),
    ],
)
def test_missing_required_field(path, expected):
    assert expected in build_problems(with_changes(base(), {path: ...}))


# ---------------------------------------------------------------- NaN and infinity


@pytest.mark.parametrize("text, shown", [(".nan", "nan"), (".inf", "inf"), ("-.inf", "-inf"), (".NaN", "nan")])
@pytest.mark.parametrize(
    "key, path",
    [
        ("    price: 1000", "contract.rate_card.m.price"),
        ("  service_months: 12", None),
        ("      fixed: 30", "pathway.states.a.transitions.b.fixed"),
    ],
)
def test_nan_and_infinity_in_a_file(tmp_path, text, shown, key, path):
    source = good_yaml()
    assert key in source
    name = key.strip().split(":")[0]
    source = source.replace(key, key.split(":")[0] + ": " + text)
    got = problems(lambda: load_scenario(write(tmp_path, source)))
    if path is None:  # service_months is a whole number
        assert got == [f"contract.{name}: must be a whole number, got {shown}"] or got == [
            f"contract.{name}: must be a finite number, got {shown}"
        ], got
    else:
        assert got == [f"{path}: must be a finite number, got {shown}"], got


def test_nan_in_a_dict():
    got = build_problems(with_changes(base(), {"provider": {"opening_equity": math.nan}}))
    assert got == ["provider.opening_equity: must be a finite number, got nan"]


# ---------------------------------------------------------------- YAML files


def test_yaml_syntax_error_gives_line_and_column(tmp_path):
    path = write(tmp_path, "name: x\nstart_date: 2027-01-01\ncontract: {service_months: 12\nfoo: bar\n")
    got = problems(lambda: load_scenario(path))
    assert len(got) == 1
    assert re.search(r"line 4, column \d+", got[0]), got
    assert "YAML" in got[0]


def test_yaml_bad_indentation_gives_line_and_column(tmp_path):
    path = write(tmp_path, "name: x\n  start_date: 2027-01-01\n")
    got = problems(lambda: load_scenario(path))
    assert re.search(r"line 2, column \d+", got[0]), got


def test_yaml_tab_indentation(tmp_path):
    path = write(tmp_path, "name: x\n\tcontract: 3\n")
    got = problems(lambda: load_scenario(path))
    assert re.search(r"line 2, column 1\b", got[0]), got


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(tmp_path, text):
    got = problems(lambda: load_scenario(write(tmp_path, text)))
    assert len(got) == 1 and "empty" in got[0], got


@pytest.mark.parametrize("text, kind", [("- a\n- b\n", "list"), ("just text\n", "str"), ("42\n", "int")])
def test_top_level_not_a_mapping(tmp_path, text, kind):
    got = problems(lambda: load_scenario(write(tmp_path, text)))
    assert got == [f"a scenario is a mapping of keys to values, got a {kind}"]
    got = problems(lambda: loads_scenario(text))
    assert got == [f"a scenario is a mapping of keys to values, got a {kind}"]


@pytest.mark.parametrize("value", [[1, 2], None, "text", 3])
def test_build_with_something_else_than_a_mapping(value):
    # build() is the entry point for dicts (the dashboard form, tests): it must not crash either.
    got = build_problems(value)
    assert len(got) >= 1


def test_non_utf8_file(tmp_path):
    got = problems(lambda: load_scenario(write(tmp_path, b"name: \xff\xfe\n")))
    assert got == ["not UTF-8 text (byte 6)"]


def test_error_names_the_file(tmp_path):
    path = write(tmp_path, yaml.safe_dump(with_changes(base(), {"contract.rate_card.m.price": -5})))
    with pytest.raises(sib.ScenarioError) as info:
        load_scenario(path)
    assert info.value.source == str(path)
    assert str(path) in str(info.value) and "contract.rate_card.m.price" in str(info.value)


def test_a_folder_instead_of_a_file(tmp_path):
    got = problems(lambda: load_scenario(tmp_path))
    assert len(got) == 1


def test_a_missing_file(tmp_path):
    got = problems(lambda: load_scenario(tmp_path / "nope.yaml"))
    assert "No such file" in got[0] or "no such file" in got[0], got


def test_invalid_calendar_date_names_where(tmp_path):
    source = good_yaml().replace("start_date: '2027-01-01'", "start_date: 2027-02-30")
    assert "2027-02-30" in source
    got = problems(lambda: load_scenario(write(tmp_path, source)))
    assert len(got) == 1
    # A person has to find the bad date: the message should give its line or its key.
    assert "start_date" in got[0] or re.search(r"line 2\b", got[0]), got


def test_duplicate_key_is_refused(tmp_path):
    # YAML parsers keep the last of two equal keys silently; a scenario with two `contract:`
    # blocks or two prices for one milestone is ambiguous and must not be used as if it were fine.
    source = good_yaml() + "name: a second name\n"
    got = problems(lambda: load_scenario(write(tmp_path, source)))
    assert any("name" in p for p in got), got


# ---------------------------------------------------------------- extends


def test_extends_a_file_outside_the_scenario_folder(tmp_path):
    write(tmp_path, good_yaml(), "base.yaml")
    child = write(tmp_path, "extends: ../base.yaml\nname: child\n", "scenarios/child.yaml")
    got = problems(lambda: load_scenario(child))
    assert got == [f"extends: '../base.yaml' lies outside the scenario folder {child.parent.resolve()}"]


def test_extends_an_absolute_path_outside(tmp_path):
    write(tmp_path, good_yaml(), "base.yaml")
    child = write(tmp_path, f"extends: {tmp_path / 'base.yaml'}\nname: child\n", "scenarios/child.yaml")
    got = problems(lambda: load_scenario(child))
    assert len(got) == 1 and "lies outside the scenario folder" in got[0], got


def test_extends_a_symlink_leading_outside(tmp_path):
    write(tmp_path, good_yaml(), "base.yaml")
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "link.yaml").symlink_to(tmp_path / "base.yaml")
    child = write(tmp_path, "extends: link.yaml\nname: child\n", "scenarios/child.yaml")
    got = problems(lambda: load_scenario(child))
    assert len(got) == 1 and "lies outside the scenario folder" in got[0], got


def test_extends_inside_the_folder_works(tmp_path):
    write(tmp_path, good_yaml(), "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nname: child\ncontract: {payment_terms_days: 45}\n", "child.yaml")
    sc = load_scenario(child)
    assert sc.name == "child" and sc.contract.payment_terms_days == 45 and sc.contract.service_months == 12


def test_extends_loop(tmp_path):
    write(tmp_path, "extends: b.yaml\nname: a\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\nname: b\n", "b.yaml")
    got = problems(lambda: load_scenario(tmp_path / "a.yaml"))
    assert got == ["extends: files extend each other in a loop (a.yaml → b.yaml → a.yaml)"]


def test_extends_itself(tmp_path):
    write(tmp_path, "extends: a.yaml\nname: a\n", "a.yaml")
    got = problems(lambda: load_scenario(tmp_path / "a.yaml"))
    assert len(got) == 1 and "loop" in got[0], got


def test_extends_a_missing_file(tmp_path):
    child = write(tmp_path, "extends: nope.yaml\nname: child\n", "child.yaml")
    assert problems(lambda: load_scenario(child)) == ["extends: no such file 'nope.yaml' next to child.yaml"]


def test_extends_in_an_upload_is_refused():
    got = problems(lambda: loads_scenario("extends: base.yaml\nname: x\n"))
    assert len(got) == 1 and got[0].startswith("extends:"), got


# ---------------------------------------------------------------- cross references


def test_transition_to_an_unknown_state():
    got = build_problems(with_changes(base(), {"pathway.states.a.transitions": {"zz": {"fixed": 3}}}))
    assert got == ["pathway.states.a.transitions.zz: no such state (states: ['a', 'b', 'x'])"]


def test_transition_to_an_unknown_state_with_a_swedish_name():
    # State names in Swedish (å, ä, ö) are natural for Swedish users; the path must be formatted
    # the same way as for ASCII names.
    got = build_problems(with_changes(base(), {"pathway.states.a.transitions": {"återfall": {"fixed": 3}}}))
    assert got == ["pathway.states.a.transitions.återfall: no such state (states: ['a', 'b', 'x'])"]


def test_start_state_unknown():
    got = build_problems(with_changes(base(), {"pathway.start": "q"}))
    assert len(got) == 1 and got[0].startswith("pathway") and "'q'" in got[0], got


def test_milestone_on_an_unknown_state():
    got = build_problems(with_changes(base(), {"milestones.m.state": "zz"}))
    assert got == ["milestones.m.state: no such state 'zz' (states: ['a', 'b', 'x'])"]
    got = build_problems(with_changes(base(), {"milestones.m.state": ["b", "zz"]}))
    assert got == ["milestones.m.state: no such state 'zz' (states: ['a', 'b', 'x'])"]


def test_rate_card_for_an_unknown_milestone():
    got = build_problems(with_changes(base(), {"contract.rate_card.zz": {"price": 3}}))
    assert got == ["contract.rate_card.zz: no such milestone (milestones: ['m'])"]


@pytest.mark.parametrize("key", ["contract.nope", "contract.rate_card.zz.price", "pathway.states.q", "contract.servce_months"])
def test_sources_key_naming_a_parameter_that_does_not_exist(key):
    raw = base()
    raw["sources"] = {"contract.service_months": "Task: one year.", key: "facts.md"}
    assert build_problems(raw) == [f"sources.{key}: no parameter at this path in the scenario"]


def test_sources_of_the_shipped_scenarios_all_name_parameters():
    for path in SCENARIOS:
        load_scenario(path)


# ---------------------------------------------------------------- size and unsafe YAML


def test_file_over_the_size_limit(tmp_path):
    text = good_yaml() + "description: '" + "a" * MAX_FILE_BYTES + "'\n"
    path = write(tmp_path, text)
    size = path.stat().st_size
    assert size > MAX_FILE_BYTES
    got = problems(lambda: load_scenario(path))
    assert got == [f"file is {size:,} bytes; a scenario may be at most {MAX_FILE_BYTES:,} bytes"]
    assert problems(lambda: loads_scenario(text.encode()))[0].startswith(f"file is {size:,} bytes")


def test_file_at_the_size_limit_is_read(tmp_path):
    text = good_yaml()
    text += "description: '" + "a" * (MAX_FILE_BYTES - len(text.encode()) - len("description: ''\n")) + "'\n"
    path = write(tmp_path, text)
    assert path.stat().st_size == MAX_FILE_BYTES
    load_scenario(path)


def test_upload_as_text_over_the_size_limit():
    # loads_scenario accepts text as well as bytes; the limit must hold for both.
    text = good_yaml() + "description: '" + "a" * MAX_FILE_BYTES + "'\n"
    got = problems(lambda: loads_scenario(text))
    assert "at most" in got[0], got


def test_extended_file_over_the_size_limit(tmp_path):
    write(tmp_path, good_yaml() + "description: '" + "a" * MAX_FILE_BYTES + "'\n", "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nname: child\n", "child.yaml")
    got = problems(lambda: load_scenario(child))
    assert "at most" in got[0], got


PYTHON_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
@pytest.mark.parametrize("where", ["top", "nested"])
def test_python_yaml_tags_are_refused_and_never_run(tmp_path, tag, where):
    marker = tmp_path / "ran"
    value = tag.format(marker=marker)
    text = value + "\n" if where == "top" else good_yaml() + f"description: {value}\n"
    path = write(tmp_path, text)
    for action in (lambda: load_scenario(path), lambda: loads_scenario(text), lambda: loads_scenario(text.encode())):
        got = problems(action)
        assert len(got) == 1
        assert "python/" in got[0], got  # names the refused tag
        assert re.search(r"line \d+, column \d+", got[0]), got
    assert not marker.exists(), "a YAML tag ran a command"


def test_alias_expansion_does_not_hang(tmp_path):
    # A 1 KB file whose aliases nest a list 7 levels deep, 10 wide: 10**7 leaves (shared
    # objects, not copies). It is refused for what it expands to; saying so must take
    # milliseconds, not time (and memory) that grows tenfold with every extra line of the file.
    lines = ["bomb:", "  x0: &x0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i in range(1, 7):
        lines.append(f"  x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 10) + "]")
    text = "\n".join(lines) + "\n" + good_yaml() + "description: *x6\n"
    assert len(text) < 3000
    t0 = time.perf_counter()
    got = problems(lambda: loads_scenario(text))
    elapsed = time.perf_counter() - t0
    assert any("YAML aliases" in p and "values" in p for p in got), got
    assert elapsed < 0.25, f"took {elapsed:.1f} s to reject a {len(text)}-byte upload"


def test_deeply_nested_yaml(tmp_path):
    text = "name: " + "[" * 5000 + "]" * 5000 + "\n"
    got = problems(lambda: load_scenario(write(tmp_path, text)))
    assert len(got) == 1


# ---------------------------------------------------------------- never another exception


def _leaves(node: Any, path: tuple = ()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    yield path


def _set(raw: Any, path: tuple, value: Any) -> Any:
    """``raw`` with the value at ``path`` replaced: the containers on the path are copied, the
    rest is shared (the loader does not change what it is given: checked below)."""
    if not path:
        return value
    out = copy.copy(raw)
    out[path[0]] = _set(raw[path[0]], path[1:], value)
    return out


BAD_VALUES = [None, "x", -1, -0.5, 1e308, math.nan, math.inf, [], {}, [1], {"a": 1}, True, 10**30]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_any_bad_value_anywhere_is_a_scenario_error_or_accepted(path):
    """Every value of a base file, and every value a variant writes itself (the rest of a
    variant is its base's, tried with the base), set to each bad value in turn."""
    raw = raw_scenario(path)
    own = yaml.safe_load(path.read_text(encoding="utf-8"))
    mine = set(_leaves({k: v for k, v in own.items() if k != "extends"})) if "extends" in own else None
    crashes = []
    unclear = []
    for leaf in _leaves(raw):
        if not leaf or (mine is not None and leaf not in mine):
            continue
        for value in BAD_VALUES:
            try:
                build(_set(raw, leaf, value))
            except sib.ScenarioError as err:
                for p in err.problems:
                    head = p.split(": ", 1)[0]
                    if not head or head.startswith(" ") or "constrained-" in head or "function-" in head:
                        unclear.append((leaf, value, p))
            except Exception as exc:  # noqa: BLE001 - that is the point
                crashes.append((leaf, value, f"{type(exc).__name__}: {exc}"))
    assert raw == raw_scenario(path), "the loader changed the mapping it was given"
    assert not crashes, f"{len(crashes)} crashes, e.g. {crashes[:5]}"
    assert not unclear, f"{len(unclear)} problems without a clean path, e.g. {unclear[:5]}"


@pytest.mark.parametrize(
    "old, new, problem",
    [
        # The old value is left behind as a comment, so the cases do not depend on the file's numbers.
        ("per_month: ", "per_month: 1.0e+308 #", "participants.referrals.per_month: must be between 0 and 1000 or a list, got 1e308"),
        (
            "monthly_salary: ",
            "monthly_salary: 1.0e+308 #",
            "provider.costs.caseload.monthly_salary: must be between -1e12 and 1e12, got 1e308",
        ),
        (
            "lease_signed: {price: ",
            "lease_signed: {price: 1000000000000000000000000000000} #",
            "contract.rate_card.lease_signed.price: must be between -1e12 and 1e12, got 1e30",
        ),
    ],
)
def test_numbers_too_large_to_keep_exact_are_refused_with_their_path(old, new, problem):
    text = (REPO / "scenarios" / "bostad_forst.yaml").read_text(encoding="utf-8")
    assert old in text
    assert problem in problems(lambda: loads_scenario(text.replace(old, new, 1)))


@pytest.mark.parametrize(
    "yaml_text, problem",
    [
        ("pathway: {start: a, states: {1: {}, a: {}}}", "pathway.states: every key must be a name (text), got 1"),
        ("provider: {true: 3}", "provider: every key must be a name (text), got true"),
        (
            "contract: {service_months: 3, rate_card: {null: {price: 3}}}",
            "contract.rate_card: every key must be a name (text), got null (an empty key)",
        ),
    ],
)
def test_a_key_that_is_not_a_name_is_named_by_its_mapping(yaml_text, problem):
    base = {
        "name": "x",
        "start_date": "2027-01-01",
        "participants": "{referrals: {per_month: 1}}",
        "pathway": "{start: a, states: {a: {}}}",
        "contract": "{service_months: 3}",
    }
    key = yaml_text.split(":", 1)[0]
    base[key] = yaml_text.split(": ", 1)[1]
    text = "\n".join(f"{k}: {v}" for k, v in base.items()) + "\n"
    assert problem in problems(lambda: loads_scenario(text))


def test_a_cohort_before_the_contract_starts_is_refused_not_wrapped_into_the_last_year():
    """A cohort dated before start_date once enrolled on day −12 and cost a wrong amount (or
    crashed for a date years before): it is refused, naming the cohort and the start."""
    raw = with_changes(
        base(), {"participants.referrals": {"cohorts": [{"date": "2027-03-01", "size": 2}, {"date": "2020-06-01", "size": 1}]}}
    )
    assert build_problems(raw)[0] == (
        f"participants.referrals.cohorts[1].date: must be on or after start_date ({raw['start_date']}), got 2020-06-01"
    )


@pytest.mark.parametrize("date", ["9999-06-01", "1999-12-31"])
def test_a_start_date_outside_the_years_a_budget_can_mean_is_refused(date):
    found = build_problems(with_changes(base(), {"start_date": date}))
    assert found[0].startswith("start_date: must be") and date in found[0]


def test_late_payment_that_never_happens_changes_nothing():
    """``late_payment`` with a share of 0 once ran the ledger a year past the last payment and
    charged fees for it; now it is the same run as without late payment, to the öre."""
    sc = sib.load_scenario(REPO / "scenarios" / "bostad_forst.yaml")
    never = build(
        with_changes(
            sc.model_dump(mode="json", by_alias=True), {"contract.late_payment": {"share": 0, "delay": {"fixed": 30, "unit": "days"}}}
        )
    )
    a, b = sib.simulate(sc, seed=2), sib.simulate(never, seed=2)
    assert a.ledger["amount_ore"].sum() == b.ledger["amount_ore"].sum() and a.ledger["date"].max() == b.ledger["date"].max()
    assert a.metrics["provider_result"] == b.metrics["provider_result"]


@pytest.mark.parametrize("text", ["capacity:\n  places: 1:50\n", "x: 1:30.5\n"])
def test_a_base_60_number_is_refused_not_read_as_one(text):
    """YAML 1.1 read "places: 1:50" as 110 places."""
    found = problems(lambda: loads_scenario(text))
    assert "base 60" in found[0] and "line " in found[0]


@pytest.mark.parametrize("written, value", [("2e6", 2_000_000), ("1.5e6", 1_500_000), ("-2.5E+5", -250_000), (".5e6", 500_000)])
def test_an_amount_in_scientific_notation_is_a_number(written, value):
    """YAML 1.1 read 2e6 and 1.5e6 (no point, or no sign in the exponent) as text, which was then
    refused as "text in quotes" that nobody had put in quotes."""
    text = (REPO / "scenarios" / "bostad_forst.yaml").read_text(encoding="utf-8")
    assert "\n  opening_equity: 2000000\n" in text
    sc = loads_scenario(text.replace("\n  opening_equity: 2000000\n", f"\n  opening_equity: {written}\n"))
    assert sc.provider.opening_equity == value
