"""The scenario file reference (docs/scenario-reference.md), generated from the schema itself.

Every field's path, meaning, unit, default and allowed values come from the pydantic models in
``schema.py`` and ``distributions.py``, so the page cannot drift from what the loader accepts:
``python -m tools.scenario_reference`` rewrites it, ``--check`` fails if it is stale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import annotated_types as at
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from sib.scenario import distributions as dist
from sib.scenario import loader, schema
from sib.scenario.uncertainty import Draw, WholeDraw

#: Where the generated page lives, relative to the repository root.
DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "scenario-reference.md"

#: The name shown for the keys of each mapping the user names (``pathway.states.<state>``).
PLACEHOLDERS: dict[tuple[type[BaseModel], str], str] = {
    (schema.Scenario, "milestones"): "milestone",
    (schema.Scenario, "sources"): "parameter",
    (schema.Pathway, "states"): "state",
    (schema.State, "transitions"): "target",
    (schema.Contract, "rate_card"): "milestone",
}


_TYPE_NAMES = {
    float: "number",
    int: "whole number",
    str: "text",
    bool: "`true` or `false`",
    dt.date: "date (YYYY-MM-DD)",
}


# ---------------------------------------------------------------- walking the models


@dataclass(frozen=True)
class Branch:
    """One shape a field's value may take: a scalar, a model, or a mapping/list of branches."""

    kind: str  # "scalar" | "model" | "dict" | "list"
    type: Any = None
    constraints: tuple[Any, ...] = ()
    inner: Branch | None = None


@dataclass(frozen=True)
class Row:
    """One field as the page shows it."""

    path: str
    meaning: str
    unit: str
    default: str
    allowed: str
    leaf: bool


@dataclass
class Section:
    """A model at one place in a scenario file, and its fields."""

    path: str
    model: type[BaseModel]
    rows: list[Row] = field(default_factory=list)


def branches(annotation: Any, constraints: tuple[Any, ...] = ()) -> list[Branch]:
    """The shapes ``annotation`` allows, less ``None`` (the default says a field is optional)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return branches(args[0], constraints + tuple(args[1:]))
    if origin in (typing.Union, types.UnionType):
        return [b for a in args if a is not type(None) for b in branches(a, constraints)]
    if origin is dict:
        return [Branch("dict", constraints=constraints, inner=branches(args[1])[0])]
    if origin is list:
        return [Branch("list", constraints=constraints, inner=branches(args[0])[0])]
    if isinstance(annotation, type) and issubclass(annotation, Draw):
        return [Branch("draw", annotation)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [Branch("model", annotation)]
    return [Branch("scalar", annotation, constraints)]


def _model_below(branch: Branch) -> tuple[str, type[BaseModel]] | None:
    """(path suffix, model) if the branch leads to a nested model, else None."""
    if branch.kind == "model":
        return "", branch.type
    if branch.kind in ("dict", "list") and branch.inner is not None and branch.inner.kind == "model":
        return ("{key}" if branch.kind == "dict" else "[]"), branch.inner.type
    return None


def walk(model: type[BaseModel] = schema.Scenario, path: str = "") -> Iterator[Section]:
    """Every model reachable from ``model``, depth first, each with its rows."""
    section = Section(path, model)
    below: list[tuple[str, type[BaseModel]]] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        here = f"{path}.{key}" if path else key
        shapes = branches(info.annotation, tuple(info.metadata))
        placeholder = f".<{PLACEHOLDERS.get((model, name), 'name')}>"
        for b in shapes:
            found = _model_below(b)
            if found:
                suffix, sub = found
                below.append((here + suffix.replace("{key}", placeholder), sub))
        section.rows.append(
            Row(
                path=here,
                meaning=_meaning(model, name, info, shapes),
                unit=_unit(model, name, info),
                default=_default(info),
                allowed=" or ".join(_allowed(b, placeholder) for b in shapes),
                leaf=any(_model_below(b) is None for b in shapes),
            )
        )
    yield section
    for sub_path, sub in below:
        yield from walk(sub, sub_path)


def leaf_paths() -> list[str]:
    """The path of every field whose value can be written directly (a number, text, a list…)."""
    return [row.path for s in walk() for row in s.rows if row.leaf]


# ---------------------------------------------------------------- rendering one field


def _doc(model: type) -> str:
    return inspect.cleandoc(model.__doc__ or "")


def _md(text: str) -> str:
    """reStructuredText literals to Markdown."""
    return text.replace("``", "`")


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n")[0].split())


def _meaning(model: type[BaseModel], name: str, info: FieldInfo, shapes: list[Branch]) -> str:
    if info.description:
        return _md(info.description)
    for b in shapes:
        found = _model_below(b)
        if found and found[1].__doc__:
            text = _md(_first_paragraph(_doc(found[1])))
            if b.kind == "dict":
                key = PLACEHOLDERS.get((model, name), "name")
                return f"Each `<{key}>` by name: {text[0].lower()}{text[1:]}"
            return text
    raise ValueError(f"{model.__name__}.{name} has no description: add one to the schema")


def _unit(model: type[BaseModel], name: str, info: FieldInfo) -> str:
    extra = info.json_schema_extra
    if isinstance(extra, dict) and extra.get("unit"):
        return str(extra["unit"])
    return ""


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _limit(value: Any) -> str:
    """A bound for people to read: ``1 000 000``, ``−0.5``, ``2100-12-31``."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _number(value)
    if abs(value) >= 10_000 and float(value).is_integer():
        text = f"{abs(int(value)):,}".replace(",", " ")
        text = ("-" if value < 0 else "") + text
    return text.replace("-", "−")


def _flow(value: Any) -> str:
    """A value as YAML flow text: ``{months: 2}``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, str):
        return f'"{value}"' if value == "" else value
    return _number(value)


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        return f"`{_flow(info.default_factory())}`"  # type: ignore[call-arg]
    value = info.default
    if value is PydanticUndefined:
        return "**required**"
    if value is None:
        return "empty"
    if isinstance(value, BaseModel):
        given = value.model_dump(by_alias=True, exclude_defaults=True)
        return f"`{_flow(given)}`" if given else "the defaults below"
    return f"`{_flow(value)}`"


def _bounds(constraints: tuple[Any, ...], what: str = "") -> list[str]:
    out = []
    lower_first = sorted(constraints, key=lambda c: not isinstance(c, (at.Ge, at.Gt, at.MinLen)))
    for c in lower_first:
        if isinstance(c, at.Ge):
            out.append(f"≥ {_limit(c.ge)}")
        elif isinstance(c, at.Gt):
            out.append(f"> {_limit(c.gt)}")
        elif isinstance(c, at.Le):
            out.append(f"≤ {_limit(c.le)}")
        elif isinstance(c, at.Lt):
            out.append(f"< {_limit(c.lt)}")
        elif isinstance(c, at.MinLen):
            out.append(f"at least {c.min_length} {what or 'item'}{'s' if c.min_length != 1 else ''}")
        elif isinstance(c, at.MaxLen):
            out.append(f"at most {c.max_length} {what or 'item'}{'s' if c.max_length != 1 else ''}")
    return out


def _allowed(b: Branch, placeholder: str = "") -> str:
    if b.kind == "draw":
        rounded = ", rounded half up" if issubclass(b.type, WholeDraw) else ""
        return f"a distribution within that range{rounded} (see [Uncertain parameters](#uncertain-parameters))"
    if b.kind == "model":
        return "a mapping (below)"
    if b.kind == "dict":
        key = f"`{placeholder.strip('.') or '<name>'}`"
        inner = "a mapping (below)" if b.inner and b.inner.kind == "model" else _allowed(b.inner)  # type: ignore[arg-type]
        return f"a mapping {key} → {inner}"
    if b.kind == "list":
        inner = "a mapping (below)" if b.inner and b.inner.kind == "model" else _allowed(b.inner)  # type: ignore[arg-type]
        limits = _bounds(b.constraints)
        return f"a list, each {inner}" + (f"; {', '.join(limits)}" if limits else "")
    if typing.get_origin(b.type) is typing.Literal:
        return "one of " + ", ".join(f"`{v}`" for v in typing.get_args(b.type))
    name = _TYPE_NAMES.get(b.type, getattr(b.type, "__name__", str(b.type)))
    same = [c for c in b.constraints if isinstance(c, (at.MinLen, at.MaxLen))]
    if b.type is str and len(same) == 2 and same[0].min_length == same[1].max_length:  # type: ignore[union-attr]
        return f"text of exactly {same[0].min_length} characters"  # type: ignore[union-attr]
    limits = _bounds(b.constraints, "character" if b.type is str else "")
    return name + (f", {', '.join(limits)}" if limits else "")


# ---------------------------------------------------------------- the page


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(rows: list[Row]) -> list[str]:
    out = ["| path | meaning | unit | default | allowed |", "|---|---|---|---|---|"]
    for r in rows:
        cells = [f"`{r.path}`", r.meaning, r.unit or "–", r.default, r.allowed]
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return out


_INTRO = """\
# Scenario file reference

<!-- Generated by `python -m tools.scenario_reference` (`make docs`) from sib/scenario/schema.py
     and sib/scenario/distributions.py. Do not edit by hand: a test fails when it is stale. -->

A scenario is one YAML file describing one outcome-based contract: who is referred, the places,
the pathway, the milestones, the contract's payment model and the provider's economy. sib
validates it once when it is loaded and reports every problem with its path
(`sib validate FILE`). Unknown keys are errors, never ignored; numbers must be finite.

How to read the tables:

- A **path** names a key by its place in the file: `contract.caps.total` is `total:` inside
  `caps:` inside `contract:`. A part in angle brackets is a name you choose:
  `pathway.states.<state>` is any state name, `contract.rate_card.<milestone>` must be the name
  of a milestone. `[]` stands for each item of a list: `participants.referrals.cohorts[].size`.
- **default** is used when the key is left out; **required** keys must be given; *empty* means
  the key may be left out (or set to `null`), with the meaning the description gives.
- Amounts are in the scenario's currency (SEK: kr), excluding VAT. Shares are fractions:
  `0.4` is 40 %.
"""


def _sections() -> list[str]:
    out = ["## Fields", ""]
    for s in walk():
        title = f"`{s.path}`" if s.path else "Top level"
        out += [f"### {title}", "", _md(_doc(s.model)), ""]
        out += _table(s.rows) + [""]
    return out


#: Worked examples of each distribution; each is validated when the page is rendered.
EXAMPLES: list[tuple[str, str, str]] = [
    ("fixed", "{fixed: 14, unit: days}", "Always exactly this long."),
    (
        "exponential",
        "{exponential: {mean: 24}, unit: months}",
        ("Constant risk. Give `mean` (mean time) or `rate` (events per `unit`, = 1 / mean), not both."),
    ),
    (
        "weibull",
        "{weibull: {shape: 0.8, scale: 24}, unit: months}",
        (
            "Survival S(t) = exp(−(t/λ)^k) with `shape` k and `scale` λ. k < 1: the risk falls with "
            "time (most exits come early); k = 1 is the exponential; k > 1: the risk rises. "
            "Mean λ·Γ(1 + 1/k)."
        ),
    ),
    (
        "lognormal",
        "{lognormal: {median: 2.0, sigma: 0.6}, unit: months}",
        (
            "log T is normal. Give `median` and `sigma` (the standard deviation of log T; "
            "μ = ln median), or `mean` and `sd` of T itself (then σ² = ln(1 + (sd/mean)²), "
            "μ = ln mean − σ²/2). Mean exp(μ + σ²/2)."
        ),
    ),
    (
        "gamma",
        "{gamma: {mean: 90, sd: 45}, unit: days}",
        ("Give `shape` k and `scale` θ (mean k·θ), or `mean` and `sd` (then k = (mean/sd)², θ = mean / k)."),
    ),
    (
        "empirical",
        "{empirical: {values: [1, 3, 6], weights: [0.5, 0.3, 0.2]}, unit: months}",
        (
            "A table: each value is drawn with probability weight / sum of weights, exactly as "
            "given (no interpolation). `values` and `weights` have the same length."
        ),
    ),
]


def _distributions() -> list[str]:
    out = [
        "## Time-to-event distributions",
        "",
        (
            "Each transition `pathway.states.<state>.transitions.<target>` gives the time until it "
            f"as exactly one of {', '.join(f'`{k}`' for k in dist.DISTRIBUTIONS)}, plus the `unit` its "
            "numbers are in. All transitions out of a state are drawn when it is entered and the "
            "first to happen wins (competing risks); a state without transitions is an exit. Every "
            "draw is an inverse transform of one uniform number from the participant's own random "
            "stream, so the same participant gets the same draws in every design compared."
        ),
        "",
        "| distribution | example | parameters | mean of the example |",
        "|---|---|---|---|",
    ]
    for kind, example, text in EXAMPLES:
        duration = dist.Duration.model_validate(yaml.safe_load(example))
        if duration.kind != kind:
            raise ValueError(f"the example for {kind} is a {duration.kind}")
        days = duration.mean_days()
        mean = f"{days:.1f} days" + (
            f" ({days / dist.DAYS_PER_UNIT[duration.unit]:.1f} {duration.unit})" if duration.unit != "days" else ""
        )
        out.append("| " + " | ".join(_cell(c) for c in (f"`{kind}`", f"`{example}`", text, mean)) + " |")
    out += [
        "",
        "### Units and months",
        "",
        "| `unit` | one unit in days |",
        "|---|---|",
    ]
    for unit, days in dist.DAYS_PER_UNIT.items():
        out.append(f"| `{unit}` | {days:g} |")
    out += [
        "",
        (
            f"A *sampled* duration in months uses the average month, 365.25 / 12 = "
            f"{dist.DAYS_PER_MONTH:g} days, because a drawn time has no calendar of its own. "
            "*Calendar* spans — a milestone's `after: {months: N}` and `contract.verification_lag` "
            "in months — fall instead on the anniversary date N calendar months later, clamped to "
            "the month's last day (31 January + 1 month = 28 or 29 February). Spans in `days` or "
            "`weeks` (7 days) are exact."
        ),
        "",
    ]
    return out


def _extends_and_sources() -> list[str]:
    return [
        "## `extends:` — variants of a scenario",
        "",
        (
            "A file may start from another: `extends: bostad_forst.yaml` loads that file first and "
            "then applies this one over it (a deep merge): mappings merge key by key, so a variant "
            "states only what differs; anything else, lists included, is replaced whole. The path is "
            "relative to the extending file's folder and may not lead outside the folder of the "
            "file being loaded (the scenario folder). A parent may extend another file, up to "
            f"{loader.MAX_EXTENDS_DEPTH} files deep; a loop is an error. A scenario uploaded as text "
            "(the dashboard) has no folder and may not use `extends:`."
        ),
        "",
        "```yaml",
        "extends: bostad_forst.yaml",
        "name: Bostad först – 60 % utfallsbaserat",
        "contract:",
        "  outcome_share: 0.60     # every other contract key is kept from the parent",
        "```",
        "",
        "## `sources:` — where each number comes from",
        "",
        (
            "`sources` maps a parameter's path to the text that justifies it: the works it rests on, "
            "or `assumption: why`. Each key must name a parameter of the scenario (after "
            "merging `extends:`), one the file sets or one left at its default, as a dotted path "
            "like those above with your own names in place of the placeholders; a misspelt or "
            "stale key is an error. A key may name one number or a whole group "
            "(`pathway.states.housed.transitions.evicted`); items of a list cannot be named. "
            "A work is cited by its key in square brackets, from the list in `sib/references.yaml` "
            "([docs/sources.md](sources.md)); the assumptions table shows it in full."
        ),
        "",
        "```yaml",
        "sources:",
        '  contract.payment_terms_days: "A public payer must pay within 30 days [rantelagen-1975]."',
        '  pathway.states.housed.transitions.evicted: "assumption: fitted to 85/80/75 % at 1/2/3 years."',
        "```",
        "",
        "A note may be one text, shown as written in either language, or a mapping with a text for "
        "each, as the reference scenarios write them; the dashboard, the workbook and the PDF show "
        "the reader's half:",
        "",
        "| Field | Meaning | Allowed |",
        "|---|---|---|",
        "| `sources.<parameter>.sv` | The note in Swedish (`antagande: varför` for an assumption). | text, at least 1 character |",
        "| `sources.<parameter>.en` | The note in English (`assumption: why`). | text, at least 1 character |",
        "",
        "```yaml",
        "sources:",
        "  contract.payment_terms_days:",
        '    sv: "En offentlig betalare ska betala inom 30 dagar [rantelagen-1975]."',
        '    en: "A public payer must pay within 30 days [rantelagen-1975]."',
        "```",
        "",
        f"A scenario file may be at most {loader.MAX_FILE_BYTES:,} bytes of UTF-8 text.",
        "",
    ]


#: Worked examples of each way to write an uncertain parameter; each is validated when rendered.
UNCERTAIN_EXAMPLES: list[tuple[str, str]] = [
    ("{uniform: [0.6, 0.9]}", "every value between 0.6 and 0.9 equally likely"),
    ("{triangular: [18, 24, 36]}", "low, most likely and high: 18 to 36, most often near 24"),
    ("{beta: [16, 4]}", "a share between 0 and 1 with mean a / (a + b)"),
    ("{lognormal: [24, 0.25]}", "median and sigma (the standard deviation of the log): positive, skewed to the right"),
]


def _uncertainty() -> list[str]:
    out = [
        "## Uncertain parameters",
        "",
        (
            "A field whose allowed values say *or a distribution* may be written as one of these "
            "instead of a number: an assumption known only roughly (how long tenancies last, what a "
            "caseworker costs, how many are referred). Each replication draws it once, before "
            "anything else, by inverse transform of one uniform number from a stream of its own, "
            "keyed on the field's path — so compared scenarios that share the parameter draw the "
            "same quantile of it in each replication. The study's summary has the value drawn in a "
            "column `param.<path>`. A distribution's whole range must lie within the field's "
            "allowed range (a draw is never clamped), and a whole-number field rounds its draw "
            "half up. Contract and financing terms are always plain numbers: they are what is "
            "being designed, and pricing happens before any replication (pricing replications "
            "draw the parameters too, so the price is the expectation over them)."
        ),
        "",
        "| example | meaning | mean |",
        "|---|---|---|",
    ]
    for example, text in UNCERTAIN_EXAMPLES:
        draw = Draw.model_validate(yaml.safe_load(example))
        out.append("| " + " | ".join(_cell(c) for c in (f"`{example}`", text, f"{draw.mean():.4g}")) + " |")
    return out + [""]


def _check_overrides() -> None:
    """A unit or meaning given here for a field the schema no longer has is a stale override."""
    for model, name in PLACEHOLDERS:
        if name not in model.model_fields:
            raise ValueError(f"reference.py names {model.__name__}.{name}, which the schema no longer has")


def render() -> str:
    """The whole reference page as Markdown."""
    _check_overrides()
    lines = [_INTRO, *_sections(), *_distributions(), *_uncertainty(), *_extends_and_sources()]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.scenario_reference",
        description="Write (or check) docs/scenario-reference.md.",
    )
    parser.add_argument("--check", action="store_true", help="fail if the file differs from the schema")
    parser.add_argument("--out", type=Path, default=DOC_PATH, help=f"where to write (default {DOC_PATH})")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"{args.out} is stale: run `make docs`", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
