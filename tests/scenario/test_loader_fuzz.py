"""Fuzzing the scenario loader with mutations of the reference scenarios.

Every input either loads (and then pricing it must not crash either) or raises
``sib.ScenarioError`` whose problems each name a path or say what is wrong — never another
exception, never a traceback. The mutations: values of the wrong type, missing keys, negative
and huge numbers, NaN and infinity, unknown keys (tree mutations of the parsed files, written
back as YAML); truncation, flipped and inserted bytes, tabs, duplicated lines (text mutations);
and hostile files: empty, binary garbage, deep nesting, alias bombs, Python tags, tens of MB.

``make test`` runs ~1,100 cases in-process (``sib.loads_scenario``); ``SIB_FUZZ=full`` runs
~12,000. A few go through the command line (``python -m sib.cli validate FILE``: exit 2).
Each case is generated from a fixed seed, so a failure names a case that can be rerun.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers_fuzz import SPECIAL, bomb, text_mutant, tree_mutant

import sib
from sib.scenario.loader import build

FULL = os.environ.get("SIB_FUZZ", "").lower() == "full"
TREE_CASES = 6_000 if FULL else 250  # the full counts run in `make validate`
TEXT_CASES = 5_000 if FULL else 250
PRICED = 400 if FULL else 25  # valid mutants also priced (with 20 pricing replications)

#: A problem starts with a path ('contract.caps.total: …', 'participants.referrals.cohorts[0].size: …';
#: a key as the user typed it, odd characters and all), with a place in the file ('YAML syntax
#: error at line 3, …'), or says what is wrong in words.
PATH_HEAD = re.compile(r"^\S[^\n]*?: \S")
WORDS = ("YAML", "file", "not UTF-8", "a scenario is", "nested too deeply", "keys must be text", "expands to")
INTERNALS = ("constrained-", "function-", "union[", "tagged-union", "json-or-python", "lax-or-strict", "Traceback", "pydantic")


def unclear(problem: Any) -> str | None:
    """Why a problem is not a clear message, or None if it is."""
    if not isinstance(problem, str) or not problem.strip():
        return "empty or not text"
    if any(word in problem for word in INTERNALS):
        return "leaks internals"
    if PATH_HEAD.match(problem) or any(problem.startswith(w) or w in problem.split(":")[0] for w in WORDS):
        return None
    return "names no path and says no kind of problem"


def check(load: Callable[[], sib.Scenario], label: str, priced: list[int]) -> str | None:
    """Run one case; return what was wrong with it, or None."""
    try:
        sc = load()
    except sib.ScenarioError as err:
        if not err.problems:
            return f"{label}: a ScenarioError without problems"
        bad = [(p, why) for p in err.problems if (why := unclear(p))]
        return f"{label}: unclear problem {bad[0][0]!r} ({bad[0][1]})" if bad else None
    except Exception as exc:  # noqa: BLE001 - any other exception is what we look for
        return f"{label}: {type(exc).__name__}: {str(exc)[:200]}"
    if priced[0] < PRICED:
        priced[0] += 1
        try:
            raw = sc.model_dump(mode="json", by_alias=True, exclude_none=True)
            raw["contract"]["pricing"] = {**raw["contract"].get("pricing", {}), "replications": 20}
            sib.price(build(raw))
        except sib.ScenarioError:
            pass
        except Exception as exc:  # noqa: BLE001
            return f"{label}: valid, but sib.price raised {type(exc).__name__}: {str(exc)[:200]}"
    return None


# ------------------------------------------------------------------------------ the tests


def _run_cases(cases: Iterator[tuple[str, str | bytes]], limit: int) -> tuple[int, list[str]]:
    failures, priced, n = [], [0], 0
    for label, text in cases:
        n += 1
        why = check(lambda text=text: sib.loads_scenario(text), label, priced)
        if why:
            failures.append(why)
        if len(failures) >= limit:
            break
    return n, failures


def test_tree_mutations_of_the_reference_scenarios():
    r = random.Random(20_260_601)
    cases = ((f"{label} #{i}", text) for i in range(TREE_CASES) for label, text in [tree_mutant(r)])
    n, failures = _run_cases(cases, 20)
    assert not failures, f"{len(failures)} of {n} cases:\n" + "\n".join(failures)


def test_text_mutations_of_the_reference_scenarios():
    r = random.Random(20_260_602)
    cases = ((f"{label} #{i}", text) for i in range(TEXT_CASES) for label, text in [text_mutant(r)])
    n, failures = _run_cases(cases, 20)
    assert not failures, f"{len(failures)} of {n} cases:\n" + "\n".join(failures)


@pytest.mark.parametrize("label, text", SPECIAL, ids=[s[0] for s in SPECIAL])
def test_hostile_files(label, text):
    why = check(lambda: sib.loads_scenario(text), label, [PRICED])
    assert why is None, why


def test_the_command_line_says_what_is_wrong_and_exits_2(tmp_path):
    r = random.Random(7)
    files: list[tuple[str, bytes]] = [
        ("garbage", bytes(r.randrange(256) for _ in range(2000))),
        ("bomb", bomb(9, 9).encode()),
        ("deep", ("name: " + "[" * 20_000 + "]" * 20_000 + "\n").encode()),
        ("tag", b"!!python/object/apply:os.system ['echo hi']\n"),
        ("huge", b"name: x\n" + b"#" * 12_000_000),
    ]
    for i in range(2):
        _, text = tree_mutant(random.Random(100 + i))
        files.append((f"mutant{i}", text.replace("name:", "naem:", 1).encode()))
    running = {}
    for label, data in files:  # all at once: each is a process of its own, mostly starting Python
        path = tmp_path / f"{label}.yaml"
        path.write_bytes(data)
        running[label] = subprocess.Popen(
            [sys.executable, "-m", "sib.cli", "validate", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    for label, proc in running.items():
        out, err = proc.communicate(timeout=120)
        both = out + err
        assert proc.returncode == 2, f"{label}: exit {proc.returncode}\n{both[-2000:]}"
        assert "Traceback" not in both, f"{label}:\n{both[-2000:]}"
        assert both.strip(), f"{label}: no message"


def test_a_device_is_not_called_a_missing_file():
    """/dev/null exists; 'no such file' would send the user looking in the wrong place."""
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null here")
    with pytest.raises(sib.ScenarioError) as info:
        sib.load_scenario("/dev/null")
    assert info.value.problems == ["cannot read the scenario: is not a regular file (a device, pipe or socket)"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: &b {x: 1}\nc:\n  <<: *b\n", "YAML error at line 3, column 3: the merge key '<<' is not supported: write the keys out"),
        (
            "name: !!python/name:os.system\n",
            "YAML error at line 1, column 7: the YAML tag '!!python/name:os.system' is not allowed: a scenario is plain data",
        ),
        ("name: !Ref x\n", "YAML error at line 1, column 7: the YAML tag '!Ref' is not allowed: a scenario is plain data"),
        ("name: 1" + "0" * 5000 + "\n", "YAML error: a number in the file has thousands of digits; no scenario needs one"),
    ],
)
def test_refused_yaml_says_what_was_written(text, expected):
    """The tag was shown mangled (':yaml.org,2002:merge'), and a 5,000-digit number gave
    Python's advice to call sys.set_int_max_str_digits."""
    with pytest.raises(sib.ScenarioError) as info:
        sib.loads_scenario(text)
    assert info.value.problems == [expected]
