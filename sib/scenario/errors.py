"""Turning validation failures into messages a person can act on: path, rule, value."""

from __future__ import annotations

import difflib
import math
import re
import types
import typing
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from sib.fmt import number
from sib.i18n import Text, pick, say


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


#: 'must be …', filled in with what the value must be: a rule of this form is merged with the
#: others of its path when a value fits no branch of a union ('must be a number or a list').
_MUST_BE = Text("måste vara {what}", "must be {what}")
_OR = Text(" eller ", " or ")

#: What the value must be, by the kind of pydantic's error.
_MUST: dict[str, Text] = {
    "greater_than_equal": Text("minst {ge}", ">= {ge}"),
    "greater_than": Text("större än {gt}", "> {gt}"),
    "less_than_equal": Text("högst {le}", "<= {le}"),
    "less_than": Text("mindre än {lt}", "< {lt}"),
    "finite_number": Text("ett ändligt tal", "a finite number"),
    "int_parsing": Text("ett heltal", "a whole number"),
    "int_parsing_size": Text("ett heltal", "a whole number"),
    "int_from_float": Text("ett heltal", "a whole number"),
    "int_type": Text("ett heltal", "a whole number"),
    "float_parsing": Text("ett tal", "a number"),
    "float_type": Text("ett tal", "a number"),
    "bool_parsing": Text("true eller false (ja eller nej)", "true or false"),
    "bool_type": Text("true eller false (ja eller nej)", "true or false"),
    "string_type": Text("text", "text"),
    "date_parsing": Text("ett datum som 2027-01-01", "a date like 2027-01-01"),
    "date_from_datetime_parsing": Text("ett datum som 2027-01-01", "a date like 2027-01-01"),
    "date_from_datetime_inexact": Text("ett datum som 2027-01-01", "a date like 2027-01-01"),
    "date_type": Text("ett datum som 2027-01-01", "a date like 2027-01-01"),
    "dict_type": Text("en mappning (nyckel: värde)", "a mapping (key: value)"),
    "model_type": Text("en mappning (nyckel: värde)", "a mapping (key: value)"),
    "model_attributes_type": Text("en mappning (nyckel: värde)", "a mapping (key: value)"),
    "list_type": Text("en lista", "a list"),
    "tuple_type": Text("en lista", "a list"),
    "literal_error": Text("en av {expected}", "one of {expected}"),
}

#: Kinds of error that say the value is not of the kind a branch takes.
_SHAPES = frozenset(k for k in _MUST if k.endswith(("_type", "_parsing")) and not k.startswith("date_from"))

#: A date's bounds read as dates: 'must be >= 2000-01-01' is 'tidigast 2000-01-01' in Swedish.
_MUST_DATE: dict[str, Text] = {
    "greater_than_equal": Text("tidigast {ge}", ">= {ge}"),
    "greater_than": Text("senare än {gt}", "> {gt}"),
    "less_than_equal": Text("senast {le}", "<= {le}"),
    "less_than": Text("tidigare än {lt}", "< {lt}"),
}

#: The rule broken, by the kind of pydantic's error: 'path: rule, got value'.
_RULES: dict[str, Text] = {
    **{kind: Text(_MUST_BE.sv.format(what=what.sv), _MUST_BE.en.format(what=what.en)) for kind, what in _MUST.items()},
    "missing": Text("saknas (måste anges)", "is required"),
    "too_short": Text("måste ha minst {min_length} element", "must have at least {min_length} item(s)"),
    "too_long": Text("får ha högst {max_length} element", "must have at most {max_length} item(s)"),
    "string_too_short": Text("måste ha minst {min_length} tecken", "must have at least {min_length} character(s)"),
    "string_too_long": Text("får ha högst {max_length} tecken", "must have at most {max_length} character(s)"),
}

#: A kind of error with no rule above: pydantic's own (English) message, or in Swedish a plain one.
_OTHER = Text("värdet går inte att använda här", "{msg}")
_TOP = Text("(översta nivån)", "(top level)")
_NOT_A_NAME = Text("varje nyckel måste vara ett namn (text)", "every key must be a name (text)")
_UNKNOWN = Text("okänd nyckel", "unknown key")
_DID_YOU_MEAN = Text(" (menade du '{hint}'?)", " (did you mean '{hint}'?)")
_ALLOWED = Text("; tillåtna här: {keys}", "; allowed here: {keys}")
_GOT = Text("{path}: {rule}, angivet: {shown}", "{path}: {rule}, got {shown}")

_PATH_IN_MESSAGE = re.compile(r"^([\w.\-\[\]]+): (.*)$", re.DOTALL)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def shown_value(value: Any) -> str:
    """A short rendering of the offending value, here and in the loader's own bound on every
    number; containers are never stringified (an alias bomb would take forever), only named."""
    if isinstance(value, dict):
        n = len(value)
        return say("en mappning med 1 nyckel" if n == 1 else "en mappning med {n} nycklar", "a mapping of {n} key(s)", n=n)
    if isinstance(value, (list, tuple)):
        n = len(value)
        return say("en lista med 1 element" if n == 1 else "en lista med {n} element", "a list of {n} item(s)", n=n)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and math.isfinite(value) and abs(value) >= 1e9:
        compact = str(_number(value))
        return pick((compact.replace(".", ","), compact))  # 1,5e12 for a Swedish reader
    text = repr(value) if isinstance(value, str) else str(value)
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e15:
        text = pick((number(value, "sv"), text))  # 0,25 for a Swedish reader, as the editor takes it
    return text if len(text) <= 60 else text[:57] + "..."


def _show_key(key: Any) -> str:
    """A key as the file wrote it: YAML's yes/no and null, numbers as they are."""
    if key is None or key == "None":
        return say("null (en tom nyckel)", "null (an empty key)")
    if isinstance(key, bool):
        return "true" if key else "false"
    return repr(key) if isinstance(key, str) else str(key)


def _alternatives(expected: str) -> str:
    """pydantic's list of allowed values ("'a', 'b' or 'c'") with its last 'or' in the language
    in force; the values themselves as the file writes them."""
    head, sep, last = expected.rpartition(" or ")
    return head + _OR() + last if sep else expected


def _short(value: float) -> str:
    """A large number exactly, and short where its trailing zeros allow: 1.5e12, 1e308, -1e12,
    but 1000000000001 (which 1e12 would hide) and 1234567890.5 as they are."""
    d = Decimal(repr(value) if isinstance(value, float) else str(value)).normalize()
    _, digits, exponent = d.as_tuple()
    assert isinstance(exponent, int)  # finite
    if exponent >= 3:
        mantissa = "".join(map(str, digits))
        head = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
        return ("-" if d < 0 else "") + f"{head}e{exponent + len(mantissa) - 1}"
    return str(int(d)) if exponent >= 0 else repr(value)


def _number(value: Any) -> Any:
    """0.0 reads as 0 in a rule ('must be >= 0'), 1e12 as 1e12 (not 1000000000000); other
    values as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if math.isfinite(value) and abs(value) >= 1e9:
        return _short(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _field(owner: type[BaseModel], name: Any) -> FieldInfo | None:
    """The field of ``owner`` that the file names ``name`` (its name or its alias)."""
    return next((f for n, f in owner.model_fields.items() if name in (n, f.alias)), None)


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """The keys allowed at ``loc`` (the parent of an unknown key), walking the schema."""
    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _field(current, part)
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


class _Problem(NamedTuple):
    """One problem before it is written as a line: where, the rule broken (in the language in
    force), the value as given (None: not shown), and for a rule 'must be …' what it must be."""

    path: str
    rule: str
    shown: str | None = None
    must: str | None = None
    shape: bool = False  # the value is not of the kind a branch takes (text, a number, a mapping, ...)


def problems_from(error: ValidationError, model: type[BaseModel]) -> list[str]:
    """One readable line per validation problem: 'path: rule, got value' (in Swedish 'path:
    rule, angivet: value'), in the language in force."""
    found: list[_Problem] = []
    for err in error.errors(include_url=False):
        loc = _clean_loc(model, tuple(err["loc"]))
        kind, ctx, value = err["type"], err.get("ctx", {}), err.get("input")
        if (loc and loc[-1] == "[key]") or kind == "invalid_key":
            # A mapping key that is not text (a number, yes/no, empty): name the mapping, show the key.
            key = loc[-2] if loc and loc[-1] == "[key]" else (value if kind == "invalid_key" else loc[-1])
            where = format_path(loc[:-2] if loc and loc[-1] == "[key]" else loc[:-1])
            found.append(_Problem(where or _TOP(), _NOT_A_NAME(), _show_key(key)))
            continue
        path = format_path(loc)
        if kind == "extra_forbidden":
            allowed = _allowed_keys(model, loc[:-1]) or []
            hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            rule = _UNKNOWN() + (_DID_YOU_MEAN(hint=hint[0]) if hint else "")
            if allowed:
                rule += _ALLOWED(keys=", ".join(allowed))
            found.append(_Problem(path, rule))
            continue
        if kind in ("value_error", "assertion_error"):
            msg = str(ctx.get("error", err["msg"]))
            inner = _PATH_IN_MESSAGE.match(msg)
            if inner and not msg.startswith("give"):
                sub, msg = inner.groups()
                path = f"{path}.{sub}" if path else sub
            found.append(_Problem(path or _TOP(), msg))
            continue
        shown = {key: _number(v) for key, v in ctx.items()}
        if "expected" in shown:
            shown["expected"] = _alternatives(str(shown["expected"]))
        dated = any(isinstance(v, str) and _DATE.match(v) for v in shown.values())
        what = (_MUST_DATE.get(kind) if dated else None) or _MUST.get(kind)
        if what is not None:
            must = what(**shown)
            if kind in _BOUND_KINDS and not dated:
                must = _range(model, loc) or must  # the whole range, where the field has two ends
            found.append(_Problem(path, _MUST_BE(what=must), shown_value(value), must, kind in _SHAPES))
        elif kind in _RULES:
            found.append(_Problem(path, _RULES[kind](**shown), None if kind == "missing" else shown_value(value)))
        else:
            found.append(_Problem(path, _OTHER(msg=err["msg"].lower()), shown_value(value)))
    return _merge_branches(found)


#: The kinds of error that break one end of a number's range.
_BOUND_KINDS = frozenset({"greater_than_equal", "greater_than", "less_than_equal", "less_than"})
_BETWEEN = Text("mellan {lo} och {hi}", "between {lo} and {hi}")
_AND = Text(" och ", " and ")


def _range(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """'between 0 and 1' (or '>= 0 and < 1') for a field that has a lower and an upper bound,
    so that a value broken at one end is told the other too; None for a field with one end."""
    if not loc:
        return None
    parent: Any = model
    for part in loc[:-1]:
        parent = _child(parent, part)
    shapes = _shapes(parent) if parent is not None else []
    owner = shapes[0] if len(shapes) == 1 else None
    if not (isinstance(owner, type) and issubclass(owner, BaseModel)):
        return None
    field = _field(owner, loc[-1])
    if field is None:
        return None
    ends: dict[str, Any] = {}
    for constraint in [*field.metadata, *_annotated(field.annotation)]:
        for kind in ("ge", "gt", "le", "lt"):
            if getattr(constraint, kind, None) is not None:
                ends.setdefault(kind, _number(getattr(constraint, kind)))
    low = next(((k, ends[k]) for k in ("ge", "gt") if k in ends), None)
    high = next(((k, ends[k]) for k in ("le", "lt") if k in ends), None)
    if low is None or high is None:
        return None
    if (low[0], high[0]) == ("ge", "le"):
        return _BETWEEN(lo=low[1], hi=high[1])
    names = {"ge": "greater_than_equal", "gt": "greater_than", "le": "less_than_equal", "lt": "less_than"}
    return _MUST[names[low[0]]](**{low[0]: low[1]}) + _AND() + _MUST[names[high[0]]](**{high[0]: high[1]})


def _annotated(annotation: Any) -> list[Any]:
    """The constraints ``Annotated[float, Ge(0)]`` carries, also as a branch of a union
    (``Annotated[float, Le(1000)] | list[...]``); none for a plain type."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return [*args[1:], *_annotated(args[0])]
    if origin in (typing.Union, types.UnionType):
        return [m for a in args for m in _annotated(a)]
    return []


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
        field = _field(current, part)
        return field.annotation if field is not None else None
    origin, args = typing.get_origin(current), typing.get_args(current)
    if origin is dict and args:
        return args[1]
    if origin is list and args and isinstance(part, int):
        return args[0]
    return None


def _merge_branches(problems: list[_Problem]) -> list[str]:
    """The lines, one per path: a value that fits no branch of a union gives one problem per
    branch, said once ('must be a number or a list, got ...'); other rules of a path are joined
    by '; ', and the value is shown once, at the end. Where a branch took the value's shape and
    found a problem inside it (description.sv too short), the other branches' 'must be text' is
    no news to the writer of that mapping, and is left out."""
    inside = {p.path for p in problems if "." in p.path or "[" in p.path}
    by_path: dict[str, list[_Problem]] = {}
    for problem in problems:
        if problem.shape and any(q.startswith((f"{problem.path}.", f"{problem.path}[")) for q in inside):
            continue
        by_path.setdefault(problem.path, []).append(problem)
    out = []
    for path, group in by_path.items():
        rules = list({p.rule: p for p in group}.values())  # each rule once, in order
        if len(rules) > 1 and all(p.must is not None for p in rules):
            text = _MUST_BE(what=_OR().join(p.must for p in rules if p.must is not None))
        else:
            text = "; ".join(p.rule for p in rules)
        shown = next((p.shown for p in group if p.shown is not None), None)
        out.append(f"{path}: {text}" if shown is None else _GOT(path=path, rule=text, shown=shown))
    return out
