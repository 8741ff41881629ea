"""Turning validation failures into messages a person can act on: path, rule, value."""

from __future__ import annotations

import difflib
import re
from typing import Any, Iterable

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

_PATH_IN_MESSAGE = re.compile(r"^([A-Za-z0-9_.\-\[\]]+): (.*)$", re.S)


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    if isinstance(value, (dict, list)):
        text = type(value).__name__ + (" of %d" % len(value))
    return text if len(text) <= 60 else text[:57] + "..."


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
        elif isinstance(current, tuple) and current[0] == "dict":
            current = current[1]
        elif isinstance(current, tuple) and current[0] == "list":
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
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in _UNION_TAGS)))
        kind, ctx, value = err["type"], err.get("ctx", {}), err.get("input")
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
    # The same problem can surface once per branch of a union; say it once.
    return list(dict.fromkeys(lines))


# Pydantic names union branches in error locations ('float', 'list[RatePeriod]'); hide them.
_UNION_TAGS = {"float", "int", "str", "bool", "list", "dict", "date"}
