"""Checks every renderer needs, made before anything renders.

A valid source can still hold text a format cannot produce: a character the
print fonts have no glyph for (it would silently fall back to another font),
or one the braille tables cannot translate. Found while rendering, such a
character stops the build half way, with no position in the source. Here it
is found first, at its line and column, as a :class:`SourceError`, so that a
build or a copy that would fail writes nothing.

The fonts and tables come from the caller; :func:`coverage` gives those the
settings name for a set of formats.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, SourceError, visible
from ..resources import resources
from ..settings import Settings
from ..structure.model import Code
from ..structure.positions import Loc, dotted
from ..structure.source import SourceDocument, load_document

PRINT_FORMATS = frozenset({"large-print", "print"})
BRAILLE_FORMATS = frozenset({"braille"})
_LAYOUT_WHITESPACE = frozenset("\n\r\t ")


@dataclass(frozen=True)
class Coverage:
    """What the renderers draw text with: font files and liblouis tables."""

    print_fonts: tuple[Path, ...] = ()
    """Font files every printed character must be in (each of them)."""
    fallback_fonts: tuple[Path, ...] = ()
    """Fonts (regular, bold) that supply the letters, marks, digits and
    punctuation the print fonts lack, as the PDFs' font stack does: Welsh ŵ
    and ŷ, for instance. Symbols and emoji are never taken from them."""
    braille_tables: tuple[tuple[str, ...], ...] = field(default=())
    """liblouis table lists (one per grade) every character must translate with."""


def coverage(settings: Settings, formats: Iterable[str]) -> Coverage:
    """The fonts and braille tables ``settings`` name for ``formats``
    (format names as in the renderer registry)."""
    wanted = set(formats)
    fonts: tuple[Path, ...] = ()
    fallbacks: tuple[Path, ...] = ()
    tables: tuple[tuple[str, ...], ...] = ()
    if wanted & PRINT_FORMATS:
        res = resources(settings)
        fonts = tuple(res.font(f) for f in settings.print.body_fonts)
        fallbacks = tuple(res.font(f) for f in settings.print.fallback_fonts)
    if wanted & BRAILLE_FORMATS:
        tables = tuple(settings.braille.tables.values())
    return Coverage(print_fonts=fonts, braille_tables=tables, fallback_fonts=fallbacks)


def check_renderable(document: SourceDocument, *, print_fonts: Sequence[Path] = (),
                     braille_tables: Sequence[Sequence[str]] = (),
                     fallback_fonts: Sequence[Path] = ()) -> list[Problem]:
    """Every character of the source's text that one of ``print_fonts`` has no
    glyph for, or that one of the ``braille_tables`` lists cannot translate,
    each at its own line and column (once per character and field)."""
    problems: list[Problem] = []
    tables = tuple(tuple(t) for t in braille_tables)
    for loc, text in _texts(document.data, ()):
        unprintable = _unprintable(text, tuple(print_fonts), tuple(fallback_fonts))
        for char in dict.fromkeys(text):
            if char in _LAYOUT_WHITESPACE:
                continue
            why = [w for w in ("is not in the print font" if char in unprintable else "",
                               _untranslatable(char, tables)) if w]
            if why:
                problems.append(_problem(document, loc, char, " and ".join(why)))
    return problems


def preflight(document: SourceDocument, *, print_fonts: Sequence[Path] = (),
              braille_tables: Sequence[Sequence[str]] = (),
              fallback_fonts: Sequence[Path] = ()) -> None:
    """Raise :class:`SourceError` listing every problem
    :func:`check_renderable` finds; return quietly when there is none."""
    problems = check_renderable(document, print_fonts=print_fonts,
                                braille_tables=braille_tables, fallback_fonts=fallback_fonts)
    if problems:
        raise SourceError(problems)


def _texts(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, loc + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, loc + (i,))


def _unprintable(text: str, fonts: tuple[Path, ...],
                 fallbacks: tuple[Path, ...]) -> set[str]:
    """The characters of ``text`` the PDFs could not show: the PDF engine's
    own test, made once per text."""
    if not fonts:
        return set()
    # lazy: the font engine (fontTools) takes 50 ms to import; only a check of print fonts needs it
    from ..engines.fonts import missing_chars

    return set(missing_chars(text, fonts, fallbacks))


def _untranslatable(char: str, tables: tuple[tuple[str, ...], ...]) -> str:
    if not tables:
        return ""
    # lazy: liblouis takes 0.1 s to load; only a check of braille tables needs it
    from ..engines.braille.translate import _defined

    if not all(_defined(char, t) for t in tables):
        return "has no sign in Unified English Braille"
    return ""


def _problem(document: SourceDocument, loc: Loc, char: str, why: str) -> Problem:
    line, col = document.positions.find(loc, char)
    return Problem(document.path, line, col, dotted(loc), f"{describe(char)} {why}",
                   "replace it with ordinary letters or words")


def describe(char: str) -> str:
    """A character for a message: “✓” (U+2713 CHECK MARK), or for one that
    cannot be seen, <U+200B ZERO WIDTH SPACE>."""
    shown = visible(char)
    if shown != char:
        return shown
    name = unicodedata.name(char, "")
    return f"“{char}” (U+{ord(char):04X}{' ' + name if name else ''})"


def load_checked(settings: Settings, formats: Iterable[str]) -> Code:
    """Load the settings' source and :func:`preflight` it for ``formats``
    with the fonts and tables the settings name. Raises SourceError."""
    return load_checked_document(settings, formats).code


def load_checked_document(settings: Settings, formats: Iterable[str]) -> SourceDocument:
    """As :func:`load_checked`, keeping the source's positions (for the
    compliance check that a build runs on the same reading)."""
    document = load_document(settings.source)
    found = coverage(settings, formats)
    preflight(document, print_fonts=found.print_fonts, braille_tables=found.braille_tables,
              fallback_fonts=found.fallback_fonts)
    return document
