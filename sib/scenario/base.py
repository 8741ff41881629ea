"""The base every scenario model shares: frozen, strict about unknown keys, finite numbers."""

from __future__ import annotations

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
    def _no_booleans_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """YAML reads yes/no/on/off/true/false as booleans; pydantic would take them as 1 and 0.
        A number field given one is a mistake, not a 1-month contract."""
        if isinstance(value, bool) and info.field_name is not None:
            annotation = cls.model_fields[info.field_name].annotation
            if not _accepts_bool(annotation):
                from sib.i18n import say

                raise ValueError(say("måste vara ett tal, angivet: {v} (ett ja/nej-värde)", "must be a number, got {v} (a yes/no value)",
                                     v="true" if value else "false"))
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


def _accepts_bool(annotation: Any) -> bool:
    if annotation is bool:
        return True
    return any(_accepts_bool(a) for a in typing.get_args(annotation))


def lever(sv: str, en: str, group: str, lo: float | None = None, hi: float | None = None, step: float | None = None,
          **extra: Any) -> dict[str, Any]:
    """Marks a field as a lever the dashboard's form offers: its label in Swedish and English
    (``{0}``, ``{1}`` stand for the mapping keys on its path, e.g. a milestone's name), its
    group, and the range and step of the control when narrower than what the field allows."""
    return {"lever": {"sv": sv, "en": en, "group": group, "lo": lo, "hi": hi, "step": step}, **extra}
