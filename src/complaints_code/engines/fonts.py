"""Which characters the shipped fonts have, and how wide a line is set in
one: what the PDFs, the cover letter's address block and the check made
before a build all ask. Light to import (fontTools, no WeasyPrint), so the
check before a build does not load the PDF engine."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from ..resources import content_key, read_bytes


def font(path: Path) -> TTFont:
    """A shipped font, parsed once per content (for its character map and
    advance widths)."""
    return _font(content_key(path), path)


@lru_cache(maxsize=32)
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
    cmaps = [_cmap(p) for p in fonts]
    spare = [_cmap(p) for p in fallbacks]
    seen: dict[str, None] = {}
    for ch in text:
        if ch in "\n\r\t":
            continue
        text_char = unicodedata.category(ch)[0] in FALLBACK_CATEGORIES
        for n, cmap in enumerate(cmaps):
            backup = spare[min(n, len(spare) - 1)] if spare and text_char else {}
            if ord(ch) not in cmap and ord(ch) not in backup:
                seen.setdefault(ch)
    return list(seen)


def describe_chars(chars: Iterable[str]) -> str:
    """Characters as “x” (U+0078), for messages."""
    return ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in chars)


def _cmap(path: Path) -> dict[int, str]:
    """A font's character map, worked out once per content."""
    return _cmap_of(content_key(path), path)


@lru_cache(maxsize=32)
def _cmap_of(digest: str, path: Path) -> dict[int, str]:
    cmap: dict[int, str] = font(path).getBestCmap()
    return cmap


def text_width_mm(text: str, font_file: Path, size_pt: float) -> float:
    """The width of one line of text set in a font, ignoring kerning."""
    f = font(font_file)
    cmap, hmtx = f.getBestCmap(), f["hmtx"]
    units: int = sum(hmtx[cmap[ord(ch)]][0] for ch in text if ord(ch) in cmap)
    per_em: int = f["head"].unitsPerEm
    return units / per_em * size_pt * 25.4 / 72
