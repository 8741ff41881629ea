"""Two languages, one mechanism: every text a person reads is a pair (Swedish, English).

A pair is written where its meaning is — a label in a catalogue (``sib/labels.py``, the
dashboard's ``text.py``), an error beside the rule it enforces — and this module alone picks
its half. The language is either passed (``lang="en"``) or the one in force: the CLI sets it
from ``--lang``, the dashboard from its language switch, and a library caller with
:func:`speaking`. Without one, sib speaks English, the language of its Python API.

Numbers, amounts and dates are not translated here but written by :mod:`sib.fmt` (Babel's
locale data), so that a pair only carries words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal, NamedTuple

Lang = Literal["sv", "en"]
LANGUAGES: tuple[Lang, ...] = ("sv", "en")

_current: ContextVar[Lang] = ContextVar("sib_language", default="en")


class Text(NamedTuple):
    """One text in both languages; ``{name}`` fields are filled in by :meth:`__call__`."""

    sv: str
    en: str

    def __call__(self, lang: str | None = None, /, **fields: object) -> str:
        template = self.sv if (lang or _current.get()) == "sv" else self.en
        return template.format(**fields) if fields else template


def language() -> Lang:
    """The language in force (``"en"`` unless a caller chose another)."""
    return _current.get()


def choose(lang: str) -> None:
    """Make ``lang`` the language in force for the rest of this thread's work (the CLI's
    ``--lang``, the dashboard's switch on every rerun)."""
    _current.set(_checked(lang))


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """The language in force inside a ``with`` block, restored after it."""
    token = _current.set(_checked(lang))
    try:
        yield
    finally:
        _current.reset(token)


def say(sv: str, en: str, lang: str | None = None, /, **fields: object) -> str:
    """The half of the pair (``sv``, ``en``) in ``lang`` (or the language in force), filled in."""
    return Text(sv, en)(lang, **fields)


def pick(pair: tuple[str, str], lang: str | None = None) -> str:
    """The half of a catalogue's (sv, en) pair in ``lang`` (or the language in force)."""
    return pair[0] if (lang or _current.get()) == "sv" else pair[1]


class Catalogue(Mapping[str, Text]):
    """Pairs by key, for texts used in more than one place: ``catalogue("key", lang, n=3)``."""

    def __init__(self, pairs: Mapping[str, tuple[str, str]]):
        self._pairs = {key: Text(*pair) for key, pair in pairs.items()}

    def __getitem__(self, key: str) -> Text:
        return self._pairs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __call__(self, key: str, lang: str | None = None, /, **fields: object) -> str:
        return self._pairs[key](lang, **fields)

    def table(self, lang: str | None = None) -> dict[str, str]:
        """Every key with its text in ``lang``: a renaming for a table's columns."""
        return {key: text(lang) for key, text in self._pairs.items()}


def _checked(lang: str) -> Lang:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang  # type: ignore[return-value]
