"""The fuzz suite's inputs: mutations of the reference scenarios and hostile files, each drawn
from a seeded ``random.Random`` so that a failure names a case that can be made again.

Tree mutations change the parsed files (values of the wrong type, missing keys, negative and
huge numbers, NaN and infinity, unknown keys) and write them back as YAML; text mutations
change the bytes (truncation, flipped and inserted bytes, YAML's own characters, duplicated
lines, broken indentation, replaced numbers, CRLF and a BOM); ``SPECIAL`` holds hostile files
(empty, binary garbage, deep nesting, alias bombs, Python tags, tens of MB). Used by
tests/scenario/test_loader_fuzz.py (in-process) and tests/fuzz_files.py (through the command line).
"""

from __future__ import annotations

import copy
import math
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from helpers_deterministic import ENGINE_SCENARIOS as SCENARIOS
from helpers_deterministic import raw_scenario


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


def tree_mutant(r: random.Random, raws: list[tuple[str, dict[str, Any]]] = RAWS) -> tuple[str, str]:
    """A reference scenario (one of ``raws``) with one to three values changed, removed or
    joined by an unknown key, written back as YAML."""
    name, base = r.choice(raws)
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


def bomb(levels: int, width: int) -> str:
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
    ("billion laughs", bomb(9, 9)),
    ("wide alias fan-out", bomb(3, 500)),
    ("self-referencing alias", "a: &a [*a]\nname: x\n"),
    ("alias bomb under a real key", GOOD + "description: " + "*a8\n" + bomb(9, 9).replace("name: x\n", "")),
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
