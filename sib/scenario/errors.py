"""Turning validation failures into messages a person can act on: path, rule, value."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``problems`` lists each one as 'path: rule, got value'."""

    def __init__(self, problems: Iterable[str], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(self.problems))

    def __str__(self) -> str:
        head = f"{self.source}:\n" if self.source else ""
        return head + "\n".join(f"  {p}" for p in self.problems)


_RULES = {
    "greater_than_equal": "must be >= {ge}",
    "greater_than": "must be > {gt}",
    "less_than_equal": "must be <= {le}",
    "less_than": "must be < {lt}",
    "finite_number": "must be a finite number",
    "missing": "is required",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_type": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "date_parsing": "must be a date like 2027-01-01",
    "date_from_datetime_parsing": "must be a date like 2027-01-01",
    "date_type": "must be a date like 2027-01-01",
    "dict_type": "must be a mapping (key: value)",
    "model_type": "must be a mapping (key: value)",
    "model_attributes_type": "must be a mapping (key: value)",
    "list_type": "must be a list",
    "too_short": "must have at least {min_length} item(s)",
    "too_long": "must have at most {max_length} item(s)",
    "string_too_short": "must have at least {min_length} character(s)",
    "string_too_long": "must have at most {max_length} character(s)",
    "literal_error": "must be one of {expected}",
}

_PATH_IN_MESSAGE = re.compile(r"^([\w.\-\[\]]+): (.*)$", re.DOTALL)


def _show(value: Any) -> str:
    """A short rendering of the offending value; containers are never stringified (an alias
    bomb would take forever), only named."""
    if isinstance(value, dict):
        return f"a mapping of {len(value)} key(s)"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _show_key(key: Any) -> str:
    """A key as the file wrote it: YAML's yes/no and null, numbers as they are."""
    if key is None or key == "None":
        return "null (an empty key)"
    if isinstance(key, bool):
        return "true" if key else "false"
    return repr(key) if isinstance(key, str) else str(key)


def _number(value: Any) -> Any:
    """0.0 reads as 0 in a rule ('must be >= 0'); other values as they are."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """The keys allowed at ``loc`` (the parent of an unknown key), walking the schema."""
    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next(
                (f for n, f in current.model_fields.items() if part in (n, f.alias)), None
            )
            if field is None:
                return None
            current = _unwrap(field.annotation)
        elif isinstance(current, tuple) and current[0] == "dict" or isinstance(current, tuple) and current[0] == "list":
            current = current[1]
        else:
            return None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return None


def _unwrap(annotation: Any) -> Any:
    """Reduce ``X | None``, ``dict[str, X]`` and ``list[X]`` to what the walk needs."""
    import typing

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is dict:
        return ("dict", _unwrap(args[1]))
    if origin is list:
        return ("list", _unwrap(args[0]))
    if args:
        for a in args:
            if a is type(None):
                continue
            u = _unwrap(a)
            if isinstance(u, type) and issubclass(u, BaseModel) or isinstance(u, tuple):
                return u
    return annotation


def format_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def problems_from(error: ValidationError, model: type[BaseModel]) -> list[str]:
    """One readable line per validation problem: 'path: rule, got value'."""
    lines = []
    for err in error.errors(include_url=False):
        loc = _clean_loc(model, tuple(err["loc"]))
        kind, ctx, value = err["type"], err.get("ctx", {}), err.get("input")
        if (loc and loc[-1] == "[key]") or kind == "invalid_key":
            # A mapping key that is not text (a number, yes/no, empty): name the mapping, show the key.
            key = loc[-2] if loc and loc[-1] == "[key]" else (value if kind == "invalid_key" else loc[-1])
            where = format_path(loc[:-2] if loc and loc[-1] == "[key]" else loc[:-1])
            lines.append(f"{where or '(top level)'}: every key must be a name (text), got {_show_key(key)}")
            continue
        path = format_path(loc)
        if kind == "extra_forbidden":
            allowed = _allowed_keys(model, loc[:-1]) or []
            hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            rule = "unknown key" + (f" (did you mean '{hint[0]}'?)" if hint else "")
            if allowed:
                rule += f"; allowed here: {', '.join(allowed)}"
            lines.append(f"{path}: {rule}")
            continue
        if kind in ("value_error", "assertion_error"):
            msg = str(ctx.get("error", err["msg"]))
            found = _PATH_IN_MESSAGE.match(msg)
            if found and not msg.startswith("give"):
                sub, msg = found.groups()
                path = f"{path}.{sub}" if path else sub
            lines.append(f"{path or '(top level)'}: {msg}")
            continue
        template = _RULES.get(kind)
        shown = {key: _number(v) for key, v in ctx.items()}
        rule = template.format(**shown) if template else err["msg"].lower()
        if kind == "missing":
            lines.append(f"{path}: {rule}")
        else:
            lines.append(f"{path}: {rule}, got {_show(value)}")
    return _merge_branches(lines)


def _clean_loc(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The location as the user wrote it: pydantic adds the name of the union branch it tried
    ('constrained-float', 'list[RatePeriod]') after a field that accepts several shapes; those
    names are dropped, the user's own names (a state called 'date') are kept."""
    out: list[Any] = []
    current: Any = model
    i = 0
    while i < len(loc):
        part = loc[i]
        out.append(part)
        i += 1
        current = _child(current, part)
        shapes = _shapes(current)
        if len(shapes) > 1 and i < len(loc) and isinstance(loc[i], str):
            tag = loc[i]
            i += 1
            if tag.startswith("tagged-union[") and i < len(loc):  # a number-or-distribution inside
                tag = loc[i]
                i += 1
            current = next((b for b in shapes if _is_branch(b, tag)), None)
    return tuple(out)


def _shapes(annotation: Any) -> list[Any]:
    """The non-None alternatives of a union, nested unions flattened (one element for
    anything else)."""
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [s for a in typing.get_args(annotation) if a is not type(None) for s in _shapes(a)]
    return [annotation]


def _is_branch(shape: Any, tag: str) -> bool:
    """Whether ``tag`` (pydantic's name for a union branch in an error's location) names
    ``shape``: 'list[...]' a list, 'distribution' a drawn parameter, anything else the rest."""
    from sib.scenario.uncertainty import Draw

    is_draw = isinstance(shape, type) and issubclass(shape, Draw)
    if tag == "distribution" or is_draw:
        return tag == "distribution" and is_draw
    return (typing.get_origin(shape) is list) == tag.startswith("list[")


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _child(current: Any, part: Any) -> Any:
    """The type found one step below ``current`` at ``part`` (None when unknown)."""
    shapes = _shapes(current) if current is not None else []
    if len(shapes) != 1:
        return None
    current = shapes[0]
    if isinstance(current, type) and issubclass(current, BaseModel):
        field = next((f for n, f in current.model_fields.items() if part in (n, f.alias)), None)
        return field.annotation if field is not None else None
    origin, args = typing.get_origin(current), typing.get_args(current)
    if origin is dict and args:
        return args[1]
    if origin is list and args and isinstance(part, int):
        return args[0]
    return None


def _merge_branches(lines: list[str]) -> list[str]:
    """A value that fits no branch of a union gives one problem per branch: say it once, as
    'must be a number or a list, got ...'."""
    merged: dict[str, list[str]] = {}
    got: dict[str, str] = {}
    for line in lines:
        path, _, rule = line.partition(": ")
        rule, sep, value = rule.partition(", got ")
        merged.setdefault(path, [])
        if rule not in merged[path]:
            merged[path].append(rule)
        if sep and path not in got:
            got[path] = value
    out = []
    for path, rules in merged.items():
        if len(rules) > 1 and all(r.startswith("must be ") for r in rules):
            text = "must be " + " or ".join(r[len("must be "):] for r in rules)
        else:
            text = "; ".join(rules)
        out.append(f"{path}: {text}" + (f", got {got[path]}" if path in got else ""))
    return out


