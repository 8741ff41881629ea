"""docs/scenario-reference.md is generated from the schema and must not go stale."""

from __future__ import annotations

import re
import typing

from helpers_paths import REPO
from pydantic import BaseModel

from sib.scenario.schema import Scenario
from sib.scenario.uncertainty import KINDS, Draw
from tools import scenario_reference as reference

DOC = REPO / "docs" / "scenario-reference.md"


def test_committed_reference_equals_render():
    assert DOC.is_file(), "docs/scenario-reference.md is missing: run `make docs`"
    assert DOC.read_text(encoding="utf-8") == reference.render(), "stale: run `make docs`"


def _models_in(annotation) -> list[tuple[str, type[BaseModel]]]:
    """(suffix, model) per model a value may hold: '' itself, '.<*>' by key, '[]' in a list."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is dict:
        return [(".<*>" + s, m) for s, m in _models_in(args[1])]
    if origin is list:
        return [("[]" + s, m) for s, m in _models_in(args[0])]
    if args:
        return [found for a in args for found in _models_in(a)]
    if isinstance(annotation, type) and issubclass(annotation, Draw):
        return []  # a distribution in place of a number: documented once, in its own section
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [("", annotation)]
    return []


def _has_plain_value(annotation) -> bool:
    """Whether some branch of the annotation is written directly (not a nested model)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return any(_has_plain_value(a) for a in args if a is not type(None))
    if origin is typing.Annotated:
        return _has_plain_value(args[0])
    return not _models_in(annotation)


def _leaves(model: type[BaseModel], path: str = "") -> list[str]:
    """Every leaf field's path, found by a walk of our own (not the generator's)."""
    out = []
    for name, info in model.model_fields.items():
        here = f"{path}.{info.alias or name}" if path else (info.alias or name)
        if _has_plain_value(info.annotation):
            out.append(here)
        for suffix, sub in _models_in(info.annotation):
            out += _leaves(sub, here + suffix)
    return out


def test_every_leaf_field_is_documented():
    text = DOC.read_text(encoding="utf-8")
    leaves = _leaves(Scenario)
    assert len(leaves) > 60
    missing = []
    for leaf in leaves:
        pattern = re.escape(leaf).replace(re.escape("<*>"), "<[a-z_]+>")
        if not re.search(rf"^\| `{pattern}` \|", text, re.MULTILINE):
            missing.append(leaf)
    assert not missing, f"not in the reference: {missing}"
    assert set(reference.leaf_paths()) >= {
        "contract.rate_card.<milestone>.price",
        "pathway.states.<state>.label",
    }


def test_required_sections_are_there():
    text = reference.render()
    for heading in ("## Time-to-event distributions", "## `extends:`", "## `sources:`"):
        assert heading in text
    for word in (
        "median",
        "sigma",
        "shape",
        "scale",
        "rate",
        "weights",
        "365.25 / 12",
        "anniversary",
    ):
        assert word in text


def test_every_way_to_write_an_uncertain_parameter_is_documented():
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Uncertain parameters", 1)[1].split("\n## ", 1)[0]
    for kind in KINDS:
        assert f"`{{{kind}: [" in section, kind
    # and the fields that accept one say so
    assert re.search(r"^\| `capacity.places` \|.*a distribution within that range, rounded half up", text, re.MULTILINE)
