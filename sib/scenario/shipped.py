"""The reference scenarios that come with sib, where the installed package keeps them.

A wheel carries them as package data in ``sib/scenarios/`` (pyproject.toml maps the
repository's ``scenarios/`` there); a checkout installed for development (``pip install -e``)
reads them from ``scenarios/`` itself. Either way the dashboard offers them and the command
line takes one by its name (``sib run bostad_forst``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def folder() -> Path:
    """The folder of the reference scenarios."""
    inside = _PACKAGE / "scenarios"  # an installed wheel
    return inside if inside.is_dir() else _PACKAGE.parent / "scenarios"  # a checkout


def names() -> list[str]:
    """The reference scenarios' names (their file names without ``.yaml``), sorted."""
    return sorted(p.stem for p in folder().glob("*.yaml"))


def named(name: str) -> Path | None:
    """The reference scenario called ``name`` (``bostad_forst`` or ``bostad_forst.yaml``), or
    None if there is none by that name."""
    stem = name.removesuffix(".yaml")
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        return None
    path = folder() / f"{stem}.yaml"
    return path if path.is_file() else None
