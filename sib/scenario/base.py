"""The base every scenario model shares: frozen, strict about unknown keys, finite numbers."""

from __future__ import annotations

import datetime as dt
import functools
import pathlib
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

#: No number in a scenario is larger than this (in size), written or drawn: kronor amounts stay
#: exact to the öre in every sum, and nothing overflows. Seeds are exempt (any whole number is a seed).
LARGEST = 1e12


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
        if info.field_name is None or type(value) in _NEVER_MISFIT:
            return value  # the usual case: a number, a mapping, nothing
        problem = _misfit(_fit(cls, info.field_name), value)
        if problem is not None:
            raise ValueError(problem)
        return value


#: Values no field refuses here (a number is a number; a mapping or None is pydantic's to judge).
_NEVER_MISFIT = frozenset({int, float, dict, type(None)})


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


@dataclass(frozen=True)
class _Fit:
    """What a field admits, read once from its annotation: whether a yes/no value or a number in
    quotes is wrong for it, at its top level and as a list's items."""

    no_bool: bool = False
    no_text_number: bool = False
    item: _Fit | None = None

    @staticmethod
    def of(annotation: Any) -> _Fit:
        leaves = _leaves(annotation)
        numeric = bool(leaves & {int, float})
        items = _items(annotation)
        return _Fit(
            no_bool=numeric and bool not in leaves,
            no_text_number=numeric and not leaves & _TEXT_LIKE,
            item=_Fit.either([_Fit.of(i) for i in items]) if items else None,
        )

    @staticmethod
    def either(fits: list[_Fit]) -> _Fit:
        """Wrong for any of ``fits`` (the item types of a union of lists)."""
        return _Fit(no_bool=any(f.no_bool for f in fits), no_text_number=any(f.no_text_number for f in fits))

    def wrong(self, value: Any) -> bool:
        """A yes/no value, or a number written as text, where only a number goes."""
        if isinstance(value, bool):
            return self.no_bool
        return isinstance(value, str) and self.no_text_number and _number_in(value)


@functools.cache
def _fit(model: type[BaseModel], field: str) -> _Fit:
    return _Fit.of(model.model_fields[field].annotation)


def _misfit(fit: _Fit, value: Any) -> str | None:
    """What is wrong with ``value`` for a field that pydantic would let pass: a yes/no value or a
    text where only a number goes (in a list: its items). None if nothing."""
    from sib.i18n import say

    if isinstance(value, list):
        if fit.item is not None and (fit.item.no_bool or fit.item.no_text_number):
            for i, element in enumerate(value, start=1):
                if fit.item.wrong(element):
                    return say("måste vara tal; nummer {i} är {v}", "must be numbers; item {i} is {v}", i=i, v=_shown(element))
        return None
    if fit.wrong(value):
        return say("måste vara ett tal, angivet: {v}", "must be a number, got {v}", v=_shown(value))
    return None


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
