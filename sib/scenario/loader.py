"""Reading scenario files: safe YAML, ``extends`` with a deep merge, and clear errors."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Mapping

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


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse one file with the safe loader; syntax errors give line and column."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError([f"cannot read the file: {exc.strerror or exc}"], str(path)) from None
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            [f"file is {size:,} bytes; a scenario may be at most {MAX_FILE_BYTES:,} bytes"], str(path)
        )
    return parse_yaml(path.read_bytes(), str(path))


def parse_yaml(data: bytes | str, source: str = "<scenario>") -> dict[str, Any]:
    """Parse scenario text (from a file or an upload) into a mapping, safely."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise ScenarioError(
                [f"file is {len(data):,} bytes; a scenario may be at most {MAX_FILE_BYTES:,} bytes"], source
            )
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError([f"not UTF-8 text (byte {exc.start})"], source) from None
    try:
        raw = yaml.safe_load(data)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ScenarioError([f"YAML syntax error at {where}{exc.problem or exc}"], source) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise ScenarioError([f"YAML error: {exc}"], source) from None
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
    parent_name = raw.pop("extends", None)
    if parent_name is None:
        return raw
    if not isinstance(parent_name, str) or not parent_name.strip():
        raise ScenarioError([f"extends: must be a file name, got {parent_name!r}"], str(path))
    parent = (path.parent / parent_name).resolve()
    if not parent.is_relative_to(root):
        raise ScenarioError(
            [f"extends: '{parent_name}' lies outside the scenario folder {root}"], str(path)
        )
    if not parent.is_file():
        raise ScenarioError([f"extends: no such file '{parent_name}' next to {path.name}"], str(path))
    return deep_merge(resolve_extends(parent, root, (*seen, path)), raw)


def check_sources(raw: Mapping[str, Any]) -> list[str]:
    """Each ``sources`` key must name a parameter that the file (after merging) has."""
    sources = raw.get("sources") or {}
    if not isinstance(sources, Mapping):
        return []
    problems = []
    for key in sources:
        node: Any = raw
        for part in str(key).split("."):
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                problems.append(f"sources.{key}: no parameter at this path in the scenario")
                break
    return problems


def build(raw: Mapping[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a merged mapping into a Scenario, or raise ScenarioError listing every problem."""
    problems: list[str] = []
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from(exc, Scenario)
        scenario = None
    except RecursionError:
        problems = ["the file is nested too deeply to be a scenario"]
        scenario = None
    problems += check_sources(raw)
    if problems or scenario is None:
        raise ScenarioError(problems, source)
    return scenario


def load_scenario(path: str | Path, root: str | Path | None = None) -> Scenario:
    """Load, merge and validate a scenario file; ``root`` bounds ``extends`` (default: its folder)."""
    path = Path(path)
    root_dir = Path(root).resolve() if root is not None else path.resolve().parent
    return build(resolve_extends(path, root_dir), str(path))


def loads_scenario(text: bytes | str, source: str = "<upload>") -> Scenario:
    """Validate scenario text that has no folder (an upload); ``extends`` is not allowed there."""
    raw = parse_yaml(text, source)
    if "extends" in raw:
        raise ScenarioError(["extends: an uploaded scenario must be complete (no 'extends')"], source)
    return build(raw, source)
