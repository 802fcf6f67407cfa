"""Which characters the shipped fonts have, and how wide a line is set in
one: what the PDFs, the cover letter's address block and the check made
before a build all ask. Light to import (fontTools, no WeasyPrint), so the
check before a build does not load the PDF engine."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from ..resources import caches, content_key, read_bytes


def font(path: Path) -> TTFont:
    """A shipped font, parsed once per content (for its character map and
    advance widths)."""
    return _font(content_key(path), path)


@caches.memo(32)
def _font(digest: str, path: Path) -> TTFont:
    return TTFont(io.BytesIO(read_bytes(path)), lazy=True)  # no file left open


FALLBACK_CATEGORIES = frozenset("LMNPZ")
"""Unicode general categories (first letter) a fallback font may supply:
letters, marks, numbers, punctuation and spaces; not symbols (S) or others."""


def missing_chars(text: str, fonts: Sequence[Path],
                  fallbacks: Sequence[Path] = ()) -> list[str]:
    """Characters of ``text`` (other than line breaks and tabs) that are not in
    every one of ``fonts`` (regular, bold), in order of first appearance. A
    letter, mark, digit, punctuation mark or space a font lacks counts as
    present if its fallback (``fallbacks``, matched by position: regular, bold)
    has it, as the @font-face stack falls back to it: names in Welsh (ŵ, ŷ),
    Polish, Greek or Cyrillic print. Symbols and emoji (☎, ★, 😀) are never
    taken from the fallback: they stay refused unless the font itself has them."""
    return _coverage(tuple(content_key(p) for p in (*fonts, *fallbacks)), tuple(fonts),
                     tuple(fallbacks)).missing(text)


@caches.memo(32)
def _coverage(keys: tuple[str, ...], fonts: tuple[Path, ...],
              fallbacks: tuple[Path, ...]) -> Coverage:
    # One per set of font contents (``keys``): the check before a build asks
    # about every text of the source, each against the same fonts.
    return Coverage.of(fonts, fallbacks)


class Coverage:
    """The characters a stack of fonts can show, with their fallbacks, as
    :func:`missing_chars` judges them, from character maps read once: a
    long-running process (the service) keeps one per set of fonts and checks
    every request against it without touching a file."""

    def __init__(self, cmaps: Sequence[Mapping[int, str]],
                 fallbacks: Sequence[Mapping[int, str]] = ()):
        spare = list(fallbacks)
        every = [set(cmap) for cmap in cmaps]
        self.judged = bool(every)
        """False with no fonts at all: nothing is missing then."""
        self.shown = frozenset(set.intersection(*every)) if every else frozenset()
        """Code points every font has."""
        self.shown_as_text = frozenset(set.intersection(*(
            covered | set(spare[min(n, len(spare) - 1)]) if spare else covered
            for n, covered in enumerate(every)))) if every else frozenset()
        """Code points every font has, or its fallback: enough for a letter,
        mark, digit, punctuation mark or space."""

    @classmethod
    def of(cls, fonts: Sequence[Path], fallbacks: Sequence[Path] = ()) -> Coverage:
        """The coverage of font files (read now)."""
        return cls([_cmap(p) for p in fonts], [_cmap(p) for p in fallbacks])

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` the fonts cannot show (see :func:`missing_chars`)."""
        shown = self.shown
        if not self.judged:
            return []
        return [ch for ch in dict.fromkeys(text) if ord(ch) not in shown
                and ch not in "\n\r\t" and not (
                    ord(ch) in self.shown_as_text
                    and unicodedata.category(ch)[0] in FALLBACK_CATEGORIES)]


def describe_chars(chars: Iterable[str]) -> str:
    """Characters as “x” (U+0078), for messages."""
    return ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in chars)


def _cmap(path: Path) -> dict[int, str]:
    """A font's character map, worked out once per content."""
    return _cmap_of(content_key(path), path)


@caches.memo(32)
def _cmap_of(digest: str, path: Path) -> dict[int, str]:
    cmap: dict[int, str] = font(path).getBestCmap()
    return cmap


def text_width_mm(text: str, font_file: Path, size_pt: float) -> float:
    """The width of one line of text set in a font, ignoring kerning."""
    return Metrics.of(font_file).width_mm(text, size_pt)


class Metrics:
    """A font's advance widths by character, read once (see :class:`Coverage`)."""

    def __init__(self, advances: Mapping[int, int], units_per_em: int):
        self.advances = advances
        self.units_per_em = units_per_em

    @classmethod
    def of(cls, font_file: Path) -> Metrics:
        """The metrics of a font file (worked out once per content)."""
        return _metrics_of(content_key(font_file), font_file)

    def width_mm(self, text: str, size_pt: float) -> float:
        """The width of one line of text, ignoring kerning."""
        advances = self.advances
        units = sum(advances.get(ord(ch), 0) for ch in text)
        return units / self.units_per_em * size_pt * 25.4 / 72


@caches.memo(32)
def _metrics_of(digest: str, path: Path) -> Metrics:
    f = font(path)
    hmtx = f["hmtx"]
    advances = {code: int(hmtx[glyph][0]) for code, glyph in f.getBestCmap().items()}
    return Metrics(advances, int(f["head"].unitsPerEm))
