"""Reading scenario files: safe YAML, ``extends`` with a deep merge, and clear errors."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sib.scenario.errors import ScenarioError, problems_from
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

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
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
                    None, None, f"key {key!r} is given twice in the same mapping", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):  # type: ignore[no-untyped-def]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark
            ) from None


    def construct_yaml_int(self, node):  # type: ignore[no-untyped-def]
        self._not_sexagesimal(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):  # type: ignore[no-untyped-def]
        self._not_sexagesimal(node)
        return super().construct_yaml_float(node)

    @staticmethod
    def _not_sexagesimal(node) -> None:  # type: ignore[no-untyped-def]
        """YAML 1.1 reads 1:50 as a number in base 60 (110): nobody writing a scenario means that."""
        if ":" in str(node.value):
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} would be read as a number in base 60 (YAML 1.1); write the number itself, "
                "or put text in quotes", node.start_mark
            )


_ScenarioLoader.add_constructor("tag:yaml.org,2002:timestamp", _ScenarioLoader.construct_yaml_timestamp)
_ScenarioLoader.add_constructor("tag:yaml.org,2002:int", _ScenarioLoader.construct_yaml_int)
_ScenarioLoader.add_constructor("tag:yaml.org,2002:float", _ScenarioLoader.construct_yaml_float)


def _too_large(data: bytes | str | int, source: str) -> None:
    """Refuse a scenario over the size limit (given as its text, or its size in bytes)."""
    size = data if isinstance(data, int) else len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > MAX_FILE_BYTES:
        raise ScenarioError([f"file is {size:,} bytes; a scenario may be at most {MAX_FILE_BYTES:,} bytes"], source)


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
            "is a folder, not a file" if path.is_dir()
            else "is not a regular file (a device, pipe or socket)" if path.exists()
            else "no such file"
        )
        raise ScenarioError([f"cannot read the scenario: {what}"], str(path))
    try:
        _too_large(path.stat().st_size, str(path))  # before reading a huge file into memory
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError([f"cannot read the file: {exc.strerror or exc}"], str(path)) from None
    return parse_yaml(data, str(path))


def parse_yaml(data: bytes | str, source: str = "<scenario>") -> dict[str, Any]:
    """Parse scenario text (from a file or an upload) into a mapping, safely."""
    _too_large(data, source)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError([f"not UTF-8 text (byte {exc.start})"], source) from None
    try:
        raw = yaml.load(data, Loader=_ScenarioLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = str(exc.problem or exc)
        if "could not determine a constructor for the tag" in problem:
            # "… for the tag 'tag:yaml.org,2002:python/name:os.system'": show it as written (!!…).
            tag = problem.split("for the tag", 1)[1].strip(" '")
            tag = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
            if tag == "!!merge":
                problem = "the merge key '<<' is not supported: write the keys out"
            else:
                problem = f"the YAML tag {tag!r} is not allowed: a scenario is plain data"
            raise ScenarioError([f"YAML error at {where}{problem}"], source) from None
        kind = "YAML error" if isinstance(exc, yaml.constructor.ConstructorError) else "YAML syntax error"
        raise ScenarioError([f"{kind} at {where}{problem}"], source) from None
    except (yaml.YAMLError, ValueError) as exc:
        if "integer string conversion" in str(exc):  # Python's 4,300-digit limit on int("…")
            raise ScenarioError(["YAML error: a number in the file has thousands of digits; no scenario needs one"], source) from None
        raise ScenarioError([f"YAML error: {exc}"], source) from None
    except RecursionError:
        raise ScenarioError(["the file is nested too deeply to be a scenario"], source) from None
    try:
        expanded = _expanded_size(raw, {})
    except RecursionError:
        raise ScenarioError(["the file is nested too deeply to be a scenario"], source) from None
    if expanded > MAX_EXPANDED_VALUES:
        raise ScenarioError(
            [f"the file expands to {expanded:,} values through YAML aliases; at most {MAX_EXPANDED_VALUES:,} are allowed"],
            source,
        )
    if raw is None:
        raise ScenarioError(["the file is empty; a scenario is a mapping of keys to values"], source)
    if not isinstance(raw, dict):
        raise ScenarioError([f"a scenario is a mapping of keys to values, got a {type(raw).__name__}"], source)
    bad = [k for k in raw if not isinstance(k, str)]
    if bad:
        raise ScenarioError([f"{bad[0]!r}: keys must be text"], source)
    return raw


def resolve_extends(path: Path, root: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's mapping with its ``extends`` chain merged in, never leaving ``root``."""
    path = path.resolve()
    if path in seen:
        chain = " → ".join(p.name for p in (*seen, path))
        raise ScenarioError([f"extends: files extend each other in a loop ({chain})"], str(path))
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError([f"extends: more than {MAX_EXTENDS_DEPTH} files deep"], str(path))
    raw = read_yaml(path)
    return _with_parent(raw, path.parent, root, str(path), path.name, (*seen, path), f"next to {path.name}")


def _with_parent(raw: dict[str, Any], folder: Path, root: Path, source: str, name: str, seen: tuple[Path, ...],
                 where: str) -> dict[str, Any]:
    """``raw`` with the file its ``extends`` names (in ``folder``, never outside ``root``) merged
    under it; ``where`` says where the file was looked for."""
    parent_name = raw.pop("extends", None)
    if parent_name is None:
        return raw
    if not isinstance(parent_name, str) or not parent_name.strip():
        raise ScenarioError([f"extends: must be a file name, got {parent_name!r}"], source)
    parent = (folder / parent_name).resolve()
    if not parent.is_relative_to(root):
        raise ScenarioError(
            [f"extends: '{parent_name}' lies outside the scenario folder {root}"], source
        )
    if not parent.is_file():
        raise ScenarioError([f"extends: no such file '{parent_name}' {where}"], source)
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
        fresh[key] = f"changed in {child_name}; no source given" if stale and key not in own else text
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
        f"sources.{key}: no parameter at this path in the scenario"
        for key in sources
        if not _has_path(raw, str(key)) and not _has_path(full, str(key))
    ]


#: No number in a scenario is larger than this (in size): kronor amounts stay exact to the öre
#: in every sum, and nothing overflows. Seeds are exempt (any whole number is a seed).
LARGEST = 1e12


def _numbers_too_large(value: Any, path: str, depth: int = 0) -> Iterator[str]:
    if isinstance(value, bool) or depth > 60:
        return
    if isinstance(value, (int, float)):
        if abs(value) > LARGEST and not path.endswith("seed"):
            shown = f"{value:.3g}" if isinstance(value, float) or len(str(value)) > 15 else str(value)
            yield f"{path or '(top level)'}: must be between -1e12 and 1e12, got {shown}"
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _numbers_too_large(v, f"{path}.{k}" if path else str(k), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _numbers_too_large(v, f"{path}[{i}]", depth + 1)


def build(raw: Mapping[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a merged mapping into a Scenario, or raise ScenarioError listing every problem."""
    if not isinstance(raw, Mapping):
        raise ScenarioError([f"a scenario is a mapping of keys to values, got a {type(raw).__name__}"], source)
    problems: list[str] = []
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from(exc, Scenario)
        scenario = None
    except RecursionError:
        problems = ["the file is nested too deeply to be a scenario"]
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
    root_dir = Path(root).resolve() if root is not None else path.resolve().parent
    return build(resolve_extends(path, root_dir), str(path))


def loads_scenario(text: bytes | str, source: str = "<upload>", library: str | Path | None = None) -> Scenario:
    """Validate scenario text that has no folder of its own (an upload): its ``extends`` names a
    file in ``library`` (the scenario folder); without one it must be complete."""
    raw = parse_yaml(text, source)
    if "extends" in raw:
        if library is None:
            raise ScenarioError(["extends: an uploaded scenario must be complete (no 'extends')"], source)
        folder = Path(library).resolve()
        raw = _with_parent(raw, folder, folder, source, source, (), "in the scenario folder")
    return build(raw, source)
