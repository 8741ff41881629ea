"""The base every scenario model shares: frozen, strict about unknown keys, finite numbers."""

from __future__ import annotations

import datetime as dt
import pathlib
import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class Frozen(BaseModel):
    """An immutable, validated value: unknown keys and NaN/infinity are errors, never ignored."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        populate_by_name=True,
        validate_default=True,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """A number field takes numbers only. YAML reads yes/no/on/off/true/false as booleans,
        which pydantic would take as 1 and 0; and a number in quotes ("3.6") is text, which it
        would read as the number. Either is a mistake to show its author (a 1-month contract, a
        spreadsheet's text cell), not a value to take."""
        if info.field_name is not None:
            problem = _misfit(cls.model_fields[info.field_name].annotation, value)
            if problem is not None:
                raise ValueError(problem)
        return value


class Bilingual(Frozen):
    """A text the scenario's author writes in both languages (a description, a source note):
    the dashboard, the workbook and the PDF show the half in the reader's language."""

    sv: str = Field(min_length=1, description="The text in Swedish.")
    en: str = Field(min_length=1, description="The text in English.")


#: A text in one language (shown as written, whatever the reader's language) or in both.
Note = str | Bilingual


def in_language(note: Note, lang: str | None = None) -> str:
    """The text of ``note`` for a reader of ``lang`` (or the language in force)."""
    from sib.i18n import pick

    return note if isinstance(note, str) else pick((note.sv, note.en), lang)


def _misfit(annotation: Any, value: Any) -> str | None:
    """What is wrong with ``value`` for a field of ``annotation`` that pydantic would let pass:
    a yes/no value or a text where only a number goes (in a list: its items). None if nothing."""
    from sib.i18n import say

    if isinstance(value, list):
        for item in _items(annotation):
            for i, element in enumerate(value, start=1):
                if _wrong(item, element):
                    return say("måste vara tal; nummer {i} är {v}", "must be numbers; item {i} is {v}", i=i, v=_shown(element))
        return None
    if _wrong(annotation, value):
        return say("måste vara ett tal, angivet: {v}", "must be a number, got {v}", v=_shown(value))
    return None


def _wrong(annotation: Any, value: Any) -> bool:
    """A yes/no value, or a number written as text, where only a number goes. The annotation is
    read only for such values: a number, the usual case, costs one isinstance."""
    if isinstance(value, bool):
        leaves = _leaves(annotation)
        return bool not in leaves and bool(leaves & {int, float})
    if isinstance(value, str) and _number_in(value):
        leaves = _leaves(annotation)
        return bool(leaves & {int, float}) and not leaves & _TEXT_LIKE
    return False


def _shown(value: bool | str) -> str:
    """A refused value as the author wrote it, and what YAML made of it."""
    from sib.i18n import say

    if isinstance(value, bool):
        return ("true" if value else "false") + say(" (ett ja/nej-värde)", " (a yes/no value)")
    return f'"{value[:40]}"' + say(" (text inom citattecken)", " (text in quotes)")


def _number_in(text: str) -> bool:
    """Whether pydantic would read ``text`` as a number (other text it refuses itself)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


#: Types a text may stand for: pydantic reads dates, paths and choices from text.
_TEXT_LIKE = {str, dt.date, dt.datetime, pathlib.Path, Any}


def _leaves(annotation: Any) -> set[Any]:
    """The plain types ``annotation`` admits at its top level (through unions, Annotated,
    Literal; not inside lists or models)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _leaves(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return {type(v) for v in typing.get_args(annotation)}
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_leaves(a) for a in typing.get_args(annotation)))
    if origin is not None:
        return {origin}
    return {annotation}


def _items(annotation: Any) -> list[Any]:
    """The item types of the lists ``annotation`` admits (list[X], tuple[X, ...])."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _items(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [i for a in typing.get_args(annotation) for i in _items(a)]
    if origin in (list, tuple):
        return [a for a in typing.get_args(annotation) if a is not Ellipsis][:1]
    return []


def lever(
    sv: str, en: str, group: str, lo: float | None = None, hi: float | None = None, step: float | None = None, **extra: Any
) -> dict[str, Any]:
    """Marks a field as a lever the dashboard's form offers: its label in Swedish and English
    (``{0}``, ``{1}`` stand for the mapping keys on its path, e.g. a milestone's name), its
    group, and the range and step of the control when narrower than what the field allows."""
    return {"lever": {"sv": sv, "en": en, "group": group, "lo": lo, "hi": hi, "step": step}, **extra}
