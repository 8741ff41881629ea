"""Reading scenario files: safe YAML, ``extends`` with a deep merge, and clear errors."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sib.fmt import group
from sib.i18n import Text, language, say
from sib.scenario.base import LARGEST
from sib.scenario.errors import ScenarioError, problems_from, shown_value
from sib.scenario.schema import Scenario

#: A scenario is a page of text; anything larger is a mistake (or an attack), not a scenario.
MAX_FILE_BYTES = 1_000_000
#: How many files an ``extends`` chain may have before it is called a loop or a mistake.
MAX_EXTENDS_DEPTH = 16


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; anything else (lists included) is replaced by the override."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


#: Aliases can make a small file stand for an enormous tree ("billion laughs"); beyond this
#: many values after expansion it is refused before anything walks the tree.
MAX_EXPANDED_VALUES = 200_000


class _ScenarioLoader(yaml.SafeLoader):
    """PyYAML's safe loader, stricter: duplicate keys and impossible dates are errors with a
    line and column, and no tag can build a Python object."""

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: SafeLoader reports it
                break
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    say("nyckeln {key!r} står två gånger i samma mappning", "key {key!r} is given twice in the same mapping", key=key),
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                say(
                    "{value!r} är inte ett riktigt datum ({why})",
                    "{value!r} is not a real date ({why})",
                    value=node.value,
                    why=_in_words(str(exc), _DATE_PROBLEMS),
                ),
                node.start_mark,
            ) from None

    def construct_yaml_int(self, node):
        self._not_sexagesimal(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        self._not_sexagesimal(node)
        return super().construct_yaml_float(node)

    @staticmethod
    def _not_sexagesimal(node) -> None:
        """YAML 1.1 reads 1:50 as a number in base 60 (110): nobody writing a scenario means that."""
        if ":" in str(node.value):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                say(
                    "{value!r} skulle läsas som ett tal i talbas 60 (YAML 1.1); skriv talet som det är, eller sätt text inom citattecken",
                    "{value!r} would be read as a number in base 60 (YAML 1.1); write the number itself, or put text in quotes",
                    value=node.value,
                ),
                node.start_mark,
            )


_ScenarioLoader.add_constructor("tag:yaml.org,2002:timestamp", _ScenarioLoader.construct_yaml_timestamp)
_ScenarioLoader.add_constructor("tag:yaml.org,2002:int", _ScenarioLoader.construct_yaml_int)
_ScenarioLoader.add_constructor("tag:yaml.org,2002:float", _ScenarioLoader.construct_yaml_float)
# YAML 1.1 reads 1e6 and 1.5e12 (no point, or no sign in the exponent) as text; YAML 1.2, and
# anyone writing an amount that way, means a number.
_ScenarioLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


def _too_large(data: bytes | str | int, source: str) -> None:
    """Refuse a scenario over the size limit (given as its text, or its size in bytes)."""
    size = data if isinstance(data, int) else len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                say(
                    "filen är {size} byte; ett scenario får vara högst {most} byte",
                    "file is {size} bytes; a scenario may be at most {most} bytes",
                    size=group(size, lang=language()),
                    most=group(MAX_FILE_BYTES, lang=language()),
                )
            ],
            source,
        )


def _expanded_size(node: Any, memo: dict[int, int]) -> int:
    """How many values the tree holds once aliases are expanded (each shared node counted
    every time it is used), computed without expanding it."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # guards against a self-referencing alias
    if isinstance(node, dict):
        total = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.items())
    elif isinstance(node, list):
        total = 1 + sum(_expanded_size(v, memo) for v in node)
    else:
        total = 1
    memo[key] = total
    return total


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse one file with the safe loader; syntax errors give line and column."""
    if not path.is_file():
        what = (
            say("är en mapp, inte en fil", "is a folder, not a file")
            if path.is_dir()
            else say("är inte en vanlig fil (en enhet, en rörledning eller en socket)", "is not a regular file (a device, pipe or socket)")
            if path.exists()
            else say("filen finns inte", "no such file")
        )
        raise ScenarioError([say("kan inte läsa scenariot: {what}", "cannot read the scenario: {what}", what=what)], str(path))
    try:
        _too_large(path.stat().st_size, str(path))  # before reading a huge file into memory
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            [say("kan inte läsa filen: {why}", "cannot read the file: {why}", why=exc.strerror or exc)], str(path)
        ) from None
    return parse_yaml(data, str(path))


def parse_yaml(data: bytes | str, source: str = "<scenario>") -> dict[str, Any]:
    """Parse scenario text (from a file or an upload) into a mapping, safely."""
    _too_large(data, source)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError([say("inte UTF-8-text (byte {n})", "not UTF-8 text (byte {n})", n=exc.start)], source) from None
    try:
        raw = yaml.load(data, Loader=_ScenarioLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (
            say("rad {line}, kolumn {column}: ", "line {line}, column {column}: ", line=mark.line + 1, column=mark.column + 1)
            if mark
            else ""
        )
        problem = str(exc.problem or exc)
        if "could not determine a constructor for the tag" in problem:
            # "… for the tag 'tag:yaml.org,2002:python/name:os.system'": show it as written (!!…).
            tag = problem.split("for the tag", 1)[1].strip(" '")
            tag = "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
            if tag == "!!merge":
                problem = say(
                    "sammanslagningsnyckeln '<<' stöds inte: skriv ut nycklarna", "the merge key '<<' is not supported: write the keys out"
                )
            else:
                problem = say(
                    "YAML-taggen {tag!r} är inte tillåten: ett scenario är enbart data",
                    "the YAML tag {tag!r} is not allowed: a scenario is plain data",
                    tag=tag,
                )
            raise ScenarioError([_YAML_AT(kind=_YAML_ERROR(), where=where, problem=problem)], source) from None
        kind = _YAML_ERROR() if isinstance(exc, yaml.constructor.ConstructorError) else _YAML_SYNTAX_ERROR()
        raise ScenarioError([_YAML_AT(kind=kind, where=where, problem=_in_words(problem, _YAML_PROBLEMS))], source) from None
    except (yaml.YAMLError, ValueError) as exc:
        if "integer string conversion" in str(exc):  # Python's 4,300-digit limit on int("…")
            raise ScenarioError(
                [
                    say(
                        "YAML-fel: ett tal i filen har tusentals siffror; inget scenario behöver ett sådant",
                        "YAML error: a number in the file has thousands of digits; no scenario needs one",
                    )
                ],
                source,
            ) from None
        if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.character, int):  # a character PyYAML refuses
            raise ScenarioError(
                [
                    say(
                        "YAML-fel: otillåtet tecken #x{code:04x} på position {position}: specialtecken är inte tillåtna",
                        "YAML error: {exc}",
                        exc=exc,
                        code=exc.character,
                        position=exc.position,
                    )
                ],
                source,
            ) from None
        raise ScenarioError([say("YAML-fel: {exc}", "YAML error: {exc}", exc=exc)], source) from None
    except RecursionError:
        raise ScenarioError([_TOO_DEEP()], source) from None
    try:
        expanded = _expanded_size(raw, {})
    except RecursionError:
        raise ScenarioError([_TOO_DEEP()], source) from None
    if expanded > MAX_EXPANDED_VALUES:
        raise ScenarioError(
            [
                say(
                    "filen växer till {n} värden genom YAML-alias; högst {most} är tillåtna",
                    "the file expands to {n} values through YAML aliases; at most {most} are allowed",
                    n=group(expanded, lang=language()),
                    most=group(MAX_EXPANDED_VALUES, lang=language()),
                )
            ],
            source,
        )
    if raw is None:
        raise ScenarioError(
            [
                say(
                    "filen är tom; ett scenario är en mappning av nycklar till värden",
                    "the file is empty; a scenario is a mapping of keys to values",
                )
            ],
            source,
        )
    if not isinstance(raw, dict):
        raise ScenarioError([_not_a_mapping(raw)], source)
    bad = [k for k in raw if not isinstance(k, str)]
    if bad:
        raise ScenarioError([say("{key!r}: nycklar måste vara text", "{key!r}: keys must be text", key=bad[0])], source)
    return raw


_YAML_ERROR = Text("YAML-fel", "YAML error")
_YAML_SYNTAX_ERROR = Text("YAML-syntaxfel", "YAML syntax error")
_YAML_AT = Text("{kind} på {where}{problem}", "{kind} at {where}{problem}")
_TOO_DEEP = Text("filen är för djupt nästlad för att vara ett scenario", "the file is nested too deeply to be a scenario")

#: PyYAML's (English) descriptions of a syntax error, and what they say in Swedish; English keeps
#: PyYAML's own words, and one not listed here is shown as PyYAML wrote it.
_YAML_PROBLEMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"mapping values are not allowed here"), "här kan inget 'nyckel: värde' stå (kontrollera indraget)"),
    (re.compile(r"found character '\\t' that cannot start any token"), "en tabb kan inte stå här (dra in med mellanslag)"),
    (re.compile(r"found character (?P<c>.+) that cannot start any token"), "tecknet {c} kan inte inleda något här"),
    (re.compile(r"found unexpected end of stream"), "filen tar slut mitt i ett värde"),
    (re.compile(r"found undefined alias (?P<a>.+)"), "aliaset {a} är inte definierat"),
    (re.compile(r"found unhashable key"), "en lista eller mappning kan inte vara en nyckel"),
    (re.compile(r"found unknown escape character (?P<c>.+)"), "okänd escape-sekvens {c}"),
    (re.compile(r"could not find expected ':'"), "här saknas ett ':'"),
    (re.compile(r"but found another document"), "filen har mer än ett dokument; ett scenario är ett"),
    (re.compile(r"expected <block end>, but found (?P<b>.+)"), "här borde blocket ta slut, men här står {b} (kontrollera indraget)"),
    (re.compile(r"expected (?P<a>'.') or (?P<b>'.'), but (?:found|got) (?P<c>.+)"), "här väntades {a} eller {b}, men här står {c}"),
    (re.compile(r"expected (?P<a>.+), but (?:found|got) (?P<b>.+)"), "här väntades {a}, men här står {b}"),
]

#: Python's reasons a date is not real.
_DATE_PROBLEMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"day is out of range for month"), "dagen finns inte i månaden"),
    (re.compile(r"month must be in 1\.\.12"), "månaden måste vara 1–12"),
    (re.compile(r"year (?P<y>-?\d+) is out of range"), "året {y} ligger utanför det tillåtna"),
]


#: PyYAML's names for what it found or expected ('<block mapping start>'), in Swedish words.
_TOKENS = {
    "'<block sequence start>'": "början på en lista",
    "'<block mapping start>'": "början på en mappning",
    "'<block end>'": "slutet på ett block",
    "'<block entry>'": "'-'",
    "'<scalar>'": "ett värde",
    "'<key>'": "en nyckel",
    "'<value>'": "':'",
    "'<alias>'": "ett alias",
    "'<anchor>'": "ett ankare",
    "'<tag>'": "en tagg",
    "'<document start>'": "början på ett dokument",
    "'<document end>'": "slutet på ett dokument",
    "'<stream end>'": "filens slut",
}


def _in_words(problem: str, known: list[tuple[re.Pattern[str], str]]) -> str:
    """A library's (English) ``problem`` in the language in force: in Swedish the first of
    ``known`` that matches it, filled in with what it found; as it is otherwise."""
    for pattern, swedish in known:
        found = pattern.fullmatch(problem)
        if found:
            return say(swedish.format(**{k: _TOKENS.get(v, v) for k, v in found.groupdict().items()}), problem)
    return problem


#: What a file that is not a mapping holds, by its Python type.
_KINDS = {
    "list": Text("en lista", "a list"),
    "str": Text("en text", "a str"),
    "int": Text("ett heltal", "a int"),
    "float": Text("ett tal", "a float"),
    "bool": Text("ett ja/nej-värde", "a bool"),
}


def _not_a_mapping(raw: Any) -> str:
    name = type(raw).__name__
    kind = _KINDS.get(name, Text("ett värde av typen {name}", "a {name}"))(name=name)
    return say(
        "ett scenario är en mappning av nycklar till värden, angivet: {kind}",
        "a scenario is a mapping of keys to values, got {kind}",
        kind=kind,
    )


def _resolved(path: Path, what: str, source: str | None) -> Path:
    """``path`` made absolute with its links followed; a name that cannot be (a NUL byte in it,
    links that lead round in a loop) is a problem of ``what``, not a traceback."""
    try:
        return path.resolve()
    except (ValueError, RuntimeError, OSError) as exc:
        why = (
            say("länkar i en slinga", "symbolic links in a loop")
            if not isinstance(exc, ValueError)
            else say("ogiltigt tecken i namnet", "an invalid character in the name")
        )
        raise ScenarioError(
            [
                say(
                    "{what}: '{name}' går inte att följa ({why})",
                    "{what}: '{name}' cannot be followed ({why})",
                    what=what,
                    name=str(path).replace("\0", "\\0"),
                    why=why,
                )
            ],
            source,
        ) from None


def resolve_extends(path: Path, root: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's mapping with its ``extends`` chain merged in, never leaving ``root``."""
    path = _resolved(path, "extends", str(path)) if seen else _resolved(path, say("filen", "file"), None)
    if path in seen:
        chain = " → ".join(p.name for p in (*seen, path))
        raise ScenarioError(
            [
                say(
                    "extends: filerna bygger på varandra i en slinga ({chain})",
                    "extends: files extend each other in a loop ({chain})",
                    chain=chain,
                )
            ],
            str(path),
        )
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            [say("extends: fler än {n} filer som bygger på varandra", "extends: more than {n} files deep", n=MAX_EXTENDS_DEPTH)], str(path)
        )
    raw = read_yaml(path)
    return _with_parent(
        raw, path.parent, root, str(path), path.name, (*seen, path), say("bredvid {name}", "next to {name}", name=path.name)
    )


def _with_parent(
    raw: dict[str, Any], folder: Path, root: Path, source: str, name: str, seen: tuple[Path, ...], where: str
) -> dict[str, Any]:
    """``raw`` with the file its ``extends`` names (in ``folder``, never outside ``root``) merged
    under it; ``where`` says where the file was looked for."""
    parent_name = raw.pop("extends", None)
    if parent_name is None:
        return raw
    if not isinstance(parent_name, str) or not parent_name.strip():
        raise ScenarioError(
            [say("extends: måste vara ett filnamn, angivet: {name!r}", "extends: must be a file name, got {name!r}", name=parent_name)],
            source,
        )
    parent = _resolved(folder / parent_name, "extends", source)
    if not parent.is_relative_to(root):
        raise ScenarioError(
            [
                say(
                    "extends: '{name}' ligger utanför scenariomappen {root}",
                    "extends: '{name}' lies outside the scenario folder {root}",
                    name=parent_name,
                    root=root,
                )
            ],
            source,
        )
    if not parent.is_file():
        raise ScenarioError(
            [say("extends: filen '{name}' finns inte {where}", "extends: no such file '{name}' {where}", name=parent_name, where=where)],
            source,
        )
    base = resolve_extends(parent, root, seen)
    return deep_merge(_without_stale_sources(base, raw, name), raw)


def _leaf_paths(tree: Mapping[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out.extend(_leaf_paths(value, path + "."))
        else:
            out.append(path)
    return out


def _without_stale_sources(base: dict[str, Any], child: Mapping[str, Any], child_name: str) -> dict[str, Any]:
    """A value the extending file changes keeps no source that was written for the old value:
    unless the file gives its own, the source says where the value was changed."""
    sources = base.get("sources")
    if not isinstance(sources, Mapping):
        return base
    changed = [p for p in _leaf_paths({k: v for k, v in child.items() if k != "sources"})]
    own = child.get("sources") if isinstance(child.get("sources"), Mapping) else {}
    fresh = {}
    for key, text in sources.items():
        k = str(key)
        stale = any(p == k or p.startswith(k + ".") or k.startswith(p + ".") for p in changed)
        fresh[key] = (
            {"sv": f"ändrat i {child_name}; ingen källa angiven", "en": f"changed in {child_name}; no source given"}
            if stale and key not in (own or {})
            else text
        )
    return {**base, "sources": fresh}


def _has_path(tree: Any, path: str) -> bool:
    node = tree
    for part in path.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return False
    return True


def check_sources(raw: Mapping[str, Any], scenario: Scenario | None) -> list[str]:
    """Each ``sources`` key must name a parameter of the scenario: one the file sets, or one
    it leaves at its default."""
    sources = raw.get("sources") or {}
    if not isinstance(sources, Mapping):
        return []
    full = scenario.model_dump(by_alias=True) if scenario is not None else {}
    return [
        say(
            "sources.{key}: det finns ingen parameter på den här sökvägen i scenariot",
            "sources.{key}: no parameter at this path in the scenario",
            key=key,
        )
        for key in sources
        if not _has_path(raw, str(key)) and not _has_path(full, str(key))
    ]


def _numbers_too_large(value: Any, path: str, depth: int = 0) -> Iterator[str]:
    if isinstance(value, bool) or depth > 60:
        return
    if isinstance(value, (int, float)):
        if abs(value) > LARGEST and not path.endswith("seed"):
            yield say(
                "{path}: måste vara mellan -1e12 och 1e12, angivet: {shown}",
                "{path}: must be between -1e12 and 1e12, got {shown}",
                path=path or say("(översta nivån)", "(top level)"),
                shown=shown_value(value),
            )
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _numbers_too_large(v, f"{path}.{k}" if path else str(k), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _numbers_too_large(v, f"{path}[{i}]", depth + 1)


def build(raw: Mapping[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a merged mapping into a Scenario, or raise ScenarioError listing every problem."""
    if not isinstance(raw, Mapping):
        raise ScenarioError([_not_a_mapping(raw)], source)
    problems: list[str] = []
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from(exc, Scenario)
        scenario = None
    except RecursionError:
        problems = [_TOO_DEEP()]
        scenario = None
    named = {p.split(": ", 1)[0] for p in problems}
    problems += [p for p in _numbers_too_large(raw, "") if p.split(": ", 1)[0] not in named]
    problems += check_sources(raw, scenario)
    if problems or scenario is None:
        raise ScenarioError(problems, source)
    return scenario


def load_scenario(path: str | Path, root: str | Path | None = None) -> Scenario:
    """Load, merge and validate a scenario file; ``root`` bounds ``extends`` (default: its folder)."""
    path = Path(path)
    root_dir = _resolved(Path(root), "root", None) if root is not None else _resolved(path, say("filen", "file"), None).parent
    return build(resolve_extends(path, root_dir), str(path))


def loads_scenario(text: bytes | str, source: str = "<upload>", library: str | Path | None = None) -> Scenario:
    """Validate scenario text that has no folder of its own (an upload): its ``extends`` names a
    file in ``library`` (the scenario folder); without one it must be complete."""
    raw = parse_yaml(text, source)
    if "extends" in raw:
        if library is None:
            raise ScenarioError(
                [
                    say(
                        "extends: ett uppladdat scenario måste vara komplett (utan 'extends')",
                        "extends: an uploaded scenario must be complete (no 'extends')",
                    )
                ],
                source,
            )
        folder = Path(library).resolve()
        raw = _with_parent(raw, folder, folder, source, source, (), say("i scenariomappen", "in the scenario folder"))
    return build(raw, source)
