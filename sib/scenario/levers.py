"""The form's levers, found in the schema: a field marked ``lever(...)`` (see
``sib.scenario.base.lever``) is offered wherever it occurs in a scenario — so an uploaded
scenario gets the same form as a reference one, with its own milestones and states."""

from __future__ import annotations

import math
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from sib.scenario.distributions import Span
from sib.scenario.schema import Scenario
from sib.scenario.uncertainty import Draw


@dataclass(frozen=True)
class Lever:
    path: str  # as in the file: contract.rate_card.housing.price
    group: str  # contract, participants, effect, financing
    sv: str
    en: str
    kind: str  # share, number, whole, choice, span, distribution
    value: Any
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    options: tuple[str, ...] = ()
    unit: str = ""
    lo_open: bool = False  # the lowest value itself is not allowed (a time must be > 0)

    def label(self, lang: str | None = None) -> str:
        from sib.i18n import pick

        return pick((self.sv, self.en), lang)


def levers(scenario: Scenario) -> list[Lever]:
    """Every lever present in ``scenario``, in the file's order."""
    return list(_walk(scenario, scenario, "", (), None))


def _walk(sc: Scenario, model: BaseModel, path: str, keys: tuple[str, ...], parent: BaseModel | None) -> Iterator[Lever]:
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        here = f"{path}.{key}" if path else key
        value = getattr(model, name)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        spec = extra.get("lever")
        if isinstance(spec, dict) and value is not None:
            found = _lever(sc, here, spec, info, value, keys, model, str(extra.get("unit", "")))
            if found is not None:
                yield found
            continue
        if isinstance(value, BaseModel) and not isinstance(value, Draw):
            yield from _walk(sc, value, here, keys, model)
        elif isinstance(value, dict):
            for k, item in value.items():
                if isinstance(item, BaseModel) and not isinstance(item, Draw):
                    yield from _walk(sc, item, f"{here}.{k}", (*keys, str(k)), model)


def _lever(sc: Scenario, path: str, spec: dict, info, value: Any, keys: tuple[str, ...], owner: BaseModel, unit: str) -> Lever | None:
    shown = tuple(_display(sc, k) for k in keys)
    sv, en = spec["sv"].format(*shown), spec["en"].format(*shown)
    base = dict(path=path, group=spec["group"], sv=sv, en=en, step=spec.get("step"))
    if "transition" in unit:  # a duration's parameter is in its transition's unit
        unit = _duration_unit(sc, path)
    if isinstance(value, Draw):
        return Lever(**base, kind="distribution", value=value, unit=unit)
    if isinstance(value, Span):
        return Lever(**base, kind="span", value=value)
    if isinstance(value, bool):
        return None
    options = _literal_options(info.annotation)
    if options:
        return Lever(**base, kind="choice", value=value, options=options)
    lo, hi, lo_open = _bounds(info)
    lo_open = lo_open and spec.get("lo") is None
    base["lo_open"] = lo_open
    lo = spec["lo"] if spec.get("lo") is not None else lo
    hi = spec["hi"] if spec.get("hi") is not None else hi
    # The control's range holds the file's own value, even where the lever's usual range does not.
    lo = min(lo, value) if lo is not None else None
    hi = max(hi, value) if hi is not None else None
    if isinstance(value, int):
        return Lever(**base, kind="whole", value=value, lo=lo, hi=hi, unit=unit)
    kind = "share" if lo is not None and hi is not None and lo >= 0 and hi <= 1 else "number"
    return Lever(**base, kind=kind, value=float(value), lo=lo, hi=hi, unit=unit)


def _display(sc: Scenario, key: str) -> str:
    """A milestone's or a state's label where the file gives one (the counterfactual's states
    too), else its name."""
    m = sc.milestones.get(key)
    if m is not None and m.label:
        return m.label
    for pathway in (sc.pathway, sc.economics.counterfactual if sc.economics is not None else None):
        s = pathway.states.get(key) if pathway is not None else None
        if s is not None and s.label:
            return s.label
    return key


def _duration_unit(sc: Scenario, path: str) -> str:
    """The ``unit`` of the duration a parameter belongs to (``...<target>.<kind>.<param>``)."""
    node: Any = sc
    for part in path.split(".")[:-2]:
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
    return getattr(node, "unit", "") or ""


def _literal_options(annotation: Any) -> tuple[str, ...]:
    for a in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(a) is typing.Literal:
            return tuple(typing.get_args(a))
    return ()


def _bounds(info) -> tuple[float | None, float | None, bool]:
    """The field's own range, from its constraints (wherever pydantic keeps them), and whether
    the lower bound itself is excluded (``gt``)."""
    lo = hi = None
    lo_open = False
    stack: list[Any] = [*info.metadata, info.annotation]
    while stack:
        item = stack.pop()
        for attr, is_lo in (("ge", True), ("gt", True), ("le", False), ("lt", False)):
            v = getattr(item, attr, None)
            if isinstance(v, (int, float)):
                if is_lo:
                    if lo is None or v >= lo:
                        lo_open = attr == "gt" or (lo_open and v == lo)
                    lo = v if lo is None else max(lo, v)
                else:
                    hi = v if hi is None else min(hi, v)
        stack.extend(getattr(item, "__metadata__", ()))
        stack.extend(a for a in typing.get_args(item) if not isinstance(a, str))
    return lo, hi, lo_open


def sweep_range(lv: Lever, points: int = 8) -> tuple[float, float, float]:
    """Where a sweep of ``lv`` starts, ends and steps by default: a share over its range in its
    own steps; an amount from its lowest value to twice the file's, in about ``points`` round
    steps (a multiple of the lever's step)."""
    unit = float(lv.step or (0.05 if lv.kind == "share" else 1))
    lo = float(lv.lo) if lv.lo is not None else 0.0
    if lv.kind == "share":
        hi = float(lv.hi) if lv.hi is not None else 1.0
    else:
        hi = 2 * float(lv.value) if lv.value and lv.value > lo else float(lv.hi if lv.hi is not None else lo + points)
        if lv.hi is not None:
            hi = min(hi, float(lv.hi))
    step = unit
    if (hi - lo) / unit > 2 * points:  # too many of the lever's own steps: round ones instead
        step = max(unit, round(_round_number((hi - lo) / points) / unit) * unit)
    if lv.lo_open and lo <= (lv.lo or 0):
        lo += step
    return lo, hi, step


def _round_number(x: float) -> float:
    """1, 2 or 5 times a power of ten, the nearest at or above ``x``."""
    if x <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= x)
