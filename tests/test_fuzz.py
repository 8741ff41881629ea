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

import copy
import math
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_deterministic import ENGINE_SCENARIOS as SCENARIOS
from helpers_deterministic import raw_scenario

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


# ------------------------------------------------------------------------------ the inputs


def _raws() -> list[tuple[str, dict[str, Any]]]:
    """The reference scenarios as complete mappings (extends resolved), sources dropped so that
    a changed key does not fail only for its stale source."""
    out = []
    for path in SCENARIOS:
        raw = raw_scenario(path)
        raw.pop("sources", None)
        out.append((path.stem, raw))
    return out


RAWS = _raws()
TEXTS = [(p.stem, p.read_text(encoding="utf-8")) for p in SCENARIOS]


def _paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


def _deep(n: int) -> Any:
    node: Any = 1
    for _ in range(n):
        node = {"a": node}
    return node


BAD_VALUES: list[Callable[[random.Random], Any]] = [
    lambda r: None,
    lambda r: "",
    lambda r: "abc",
    lambda r: "12",
    lambda r: "2027-13-45",
    lambda r: -1,
    lambda r: -r.randint(1, 10**6),
    lambda r: -0.5,
    lambda r: 0,
    lambda r: 0.0,
    lambda r: 10**30,
    lambda r: 1e308,
    lambda r: -1e308,
    lambda r: 2**63,
    lambda r: r.uniform(-1e9, 1e9),
    lambda r: math.nan,
    lambda r: math.inf,
    lambda r: -math.inf,
    lambda r: True,
    lambda r: False,
    lambda r: [],
    lambda r: {},
    lambda r: [1, 2],
    lambda r: {"x": 1},
    lambda r: [None],
    lambda r: [{}],
    lambda r: "å" * r.randint(1, 300),
    lambda r: "\x00",
    lambda r: _deep(r.randint(5, 60)),
    lambda r: {"uniform": [r.uniform(-5, 5), r.uniform(-5, 5)]},
    lambda r: {"beta": [0, 0]},
    lambda r: {"lognormal": [-1, 0.2]},
    lambda r: {"triangular": [3, 1, 2]},
]


def _set(raw: Any, path: tuple, value: Any) -> Any:
    node = raw
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return raw


def tree_mutant(r: random.Random) -> tuple[str, str]:
    name, base = r.choice(RAWS)
    raw = copy.deepcopy(base)
    paths = list(_paths(raw))
    for _ in range(r.choice([1, 1, 1, 2, 3])):
        path = r.choice(paths)
        try:
            kind = r.random()
            if kind < 0.15:  # a missing key
                parent = raw
                for part in path[:-1]:
                    parent = parent[part]
                del parent[path[-1]]
            elif kind < 0.22 and isinstance(path[-1], str):  # an unknown key beside it
                parent = raw
                for part in path[:-1]:
                    parent = parent[part]
                parent[path[-1] + r.choice(["s", "_x", "X"])] = 1
            else:
                _set(raw, path, r.choice(BAD_VALUES)(r))
        except (KeyError, IndexError, TypeError):
            pass
        paths = list(_paths(raw))
        if not paths:
            break
    text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=10**6)
    return f"tree mutant of {name}", text


def text_mutant(r: random.Random) -> tuple[str, str | bytes]:
    name, text = r.choice(TEXTS)
    data = bytearray(text.encode("utf-8"))
    kind = r.randrange(8)
    if kind == 0:  # truncated
        data = data[: r.randrange(len(data) + 1)]
    elif kind == 1:  # flipped bytes
        for _ in range(r.randint(1, 20)):
            i = r.randrange(len(data))
            data[i] = r.randrange(256)
    elif kind == 2:  # inserted garbage
        i = r.randrange(len(data) + 1)
        data[i:i] = bytes(r.randrange(256) for _ in range(r.randint(1, 50)))
    elif kind == 3:  # printable junk in YAML's own characters
        for _ in range(r.randint(1, 10)):
            i = r.randrange(len(data) + 1)
            data[i:i] = r.choice(
                [b":", b"-", b"[", b"{", b"}", b"&a", b"*a", b"!!", b"\t", b"\n", b"'", b'"', b"#", b"|", b">", b"%", b"@", b"`"]
            )
    elif kind == 4:  # a duplicated or deleted line
        lines = data.split(b"\n")
        i = r.randrange(len(lines))
        if r.random() < 0.5:
            lines.insert(i, lines[i])
        else:
            del lines[i]
        data = bytearray(b"\n".join(lines))
    elif kind == 5:  # indentation broken
        lines = data.split(b"\n")
        i = r.randrange(len(lines))
        lines[i] = r.choice([b" ", b"\t", b"   ", b""]) + lines[i].lstrip()
        data = bytearray(b"\n".join(lines))
    elif kind == 6:  # a number replaced
        s = data.decode("utf-8", "replace")
        nums = list(re.finditer(r"(?<![\w.])\d+(\.\d+)?(?![\w.-])", s))
        if nums:
            m = r.choice(nums)
            s = (
                s[: m.start()]
                + r.choice(["-1", "1e999", ".nan", "-.inf", "0x1F", "1_000", "0o17", "99999999999999999999999", "~", "yes", "[]"])
                + s[m.end() :]
            )
        data = bytearray(s.encode("utf-8"))
    else:  # CRLF or a BOM
        data = bytearray((b"\xef\xbb\xbf" if r.random() < 0.5 else b"") + bytes(data).replace(b"\n", b"\r\n"))
    out = bytes(data)
    return f"text mutant ({kind}) of {name}", out if r.random() < 0.5 else out.decode("utf-8", "replace")


def _bomb(levels: int, width: int) -> str:
    lines = ["name: x", "a0: &a0 [" + ", ".join(["1"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


GOOD = TEXTS[0][1]
SPECIAL: list[tuple[str, str | bytes]] = [
    ("empty", ""),
    ("empty bytes", b""),
    ("only spaces", "   \n\n  "),
    ("a document marker", "---\n...\n"),
    ("binary garbage", bytes(random.Random(1).randrange(256) for _ in range(4096))),
    ("NUL bytes", b"\x00" * 100),
    ("UTF-16", GOOD.encode("utf-16")),
    ("deep list", "name: " + "[" * 20_000 + "]" * 20_000 + "\n"),
    ("deep mapping", "".join("  " * i + f"k{i}:\n" for i in range(3000)) + "  " * 3000 + "v\n"),
    ("deep flow mapping", "a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n"),
    ("billion laughs", _bomb(9, 9)),
    ("wide alias fan-out", _bomb(3, 500)),
    ("self-referencing alias", "a: &a [*a]\nname: x\n"),
    ("alias bomb under a real key", GOOD + "description: " + "*a8\n" + _bomb(9, 9).replace("name: x\n", "")),
    ("python object tag", "!!python/object/apply:os.system ['echo hi']\n"),
    ("python name tag", GOOD + "description: !!python/name:os.system\n"),
    ("python module tag", "name: !!python/module:os\n"),
    ("custom tag", "name: !Ref x\n"),
    ("binary tag", "name: !!binary aGVsbG8=\n"),
    ("set tag", "name: !!set {a, b}\n"),
    ("timestamp with time", GOOD.replace("start_date: 2027-01-01", "start_date: 2027-01-01T10:00:00")),
    ("impossible date", GOOD.replace("start_date: 2027-01-01", "start_date: 2027-02-30")),
    ("key that is a list", "? [a, b]\n: 1\nname: x\n"),
    ("key that is a number", GOOD + "1: x\n"),
    ("key that is null", GOOD + "~: x\n"),
    ("merge key", GOOD + "base: &b {x: 1}\nother:\n  <<: *b\n"),
    ("25 MB of text", "description: '" + "a" * 25_000_000 + "'\n"),
    ("25 MB of bytes", b"name: x\n" + b"#" * 25_000_000),
    ("a million keys", "".join(f"k{i}: {i}\n" for i in range(200_000))),
    ("a very long line", "name: " + "x" * 900_000 + "\n"),
    ("many documents", GOOD + "\n---\n" + GOOD),
    ("a list", "- a\n- b\n"),
    ("a number", "42\n"),
    ("a string", "hello\n"),
]


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
        ("bomb", _bomb(9, 9).encode()),
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
