"""The base every scenario model shares: frozen, strict about unknown keys, finite numbers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """An immutable, validated value: unknown keys and NaN/infinity are errors, never ignored."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        populate_by_name=True,
        validate_default=True,
    )
