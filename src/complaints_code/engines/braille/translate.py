"""liblouis, serialised: translation of one block of text into braille words.

liblouis is not thread-safe (its table cache and buffers are global), and the
service calls the renderer from worker threads, so every call into ``louis``
in this package goes through :data:`LOCK`.

A block is translated in one call, so contractions and indicators see their
context. The input-position map liblouis returns tells which braille spaces
came from a space inside a phone number, email, postcode or timescale; those
spaces become :data:`HARD_SPACE` so the layout never breaks a line there.

The same map finds liblouis's one wrong guess: it writes every
digit-space-digit as the numeric space (dot 5), which UEB uses only for a
space inside one number (a telephone number). Between two numbers (the two
halves of a postcode, "page 19 2 items") the space is a real space and the
second number takes its own numeric indicator; :func:`_separate_numbers`
puts that right after translation, so contractions, capitals and emphasis
still see the whole block.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import louis

from ...errors import InputError, RenderError
from ..html import PHONE_NUMBER

LOCK = threading.Lock()
"""The one lock every liblouis call in this package holds."""

HARD_SPACE = "\x00"
"""A braille space the layout must not break a line at (stands for a blank cell)."""

BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
"""North American Braille ASCII, indexed by dot pattern (bit 0 = dot 1 ... bit 5
= dot 6), so ``BRAILLE_ASCII[i]`` is the BRF character of ``chr(0x2800 + i)``."""

_TO_UNICODE = {ord(ch): chr(0x2800 + i) for i, ch in enumerate(BRAILLE_ASCII)}
_TO_UNICODE[ord(HARD_SPACE)] = "\u2800"

NUMERIC_SPACE = '"'
"""UEB numeric space (dot 5) in Braille ASCII: a space inside one number."""
NUMERIC_INDICATOR = "#"
"""UEB numeric indicator (dots 3456) in Braille ASCII."""
TN_OPEN = "@.<"
"""UEB opening transcriber's note indicator, dots 4, 46, 126 (⠈⠨⠣)."""
TN_CLOSE = "@.>"
"""UEB closing transcriber's note indicator, dots 4, 46, 345 (⠈⠨⠜)."""

_ONE_NUMBER = re.compile(PHONE_NUMBER)
"""Digit groups that are one number (a telephone number); every other
digit-space-digit separates two numbers."""


class UntranslatableText(RenderError, InputError):
    """The text holds a character liblouis cannot put into braille."""

    def __init__(self, where: str, char: str):
        name = unicodedata.name(char, "unnamed character")
        self.where = where
        self.char = char
        super().__init__(
            f"{where}: '{char}' (U+{ord(char):04X} {name}) has no braille equivalent in "
            "Unified English Braille; replace it with words or a common character "
            "in the source, then rebuild. No braille file was written.")

    def located(self, source: Path) -> UntranslatableText:
        """The same error with the first place in ``source`` the character occurs."""
        try:
            lines = source.read_text(encoding="utf-8").splitlines()
        except OSError:
            return self
        for number, line in enumerate(lines, start=1):
            col = line.find(self.char)
            if col >= 0:
                return UntranslatableText(f"{source}:{number}:{col + 1}: {self.where}", self.char)
        return self


@dataclass(frozen=True)
class Emphasis:
    """A range of a block's text that is translated specially."""

    start: int
    end: int
    uncontracted: bool = False
    """Email and web addresses: uncontracted, as readers must type them."""
    bold: bool = False
    """Bold in print: UEB bold indicators."""
    note: bool = False
    """A transcriber's note: words the braille adds, between UEB transcriber's
    note indicators (liblouis's ``transnote`` emphasis class writes them)."""


@dataclass(frozen=True)
class Word:
    """A braille word (no breakable space inside) and the print text it came from."""

    cells: str
    """Braille ASCII; HARD_SPACE marks a blank cell that must not end a line."""
    start: int
    """Offset of its first print character in the block's text."""
    end: int
    """Offset just past its last print character."""


def translate_block(text: str, tables: tuple[str, ...], where: str,
                    keep: tuple[tuple[int, int], ...] = (),
                    emphasis: tuple[Emphasis, ...] = ()) -> list[Word]:
    """Translate one block (a heading, paragraph, item) into braille words.

    ``keep`` lists print ranges never split across lines; ``where`` names the
    source location for the error raised on an untranslatable character.
    """
    check_translatable(text, tables, where)
    typeform = _typeform(len(text), emphasis, tables)
    with LOCK:
        out, in_pos, _, _ = louis.translate(list(tables), text, typeform=typeform)
    out, in_pos = _separate_numbers(text, out, in_pos)
    return _words(out, in_pos, len(text), _kept_offsets(text, keep))


def _separate_numbers(text: str, out: str, in_pos: list[int]) -> tuple[str, list[int]]:
    # UEB: the numeric space (dot 5) stands for a space inside one number,
    # such as the groups of a telephone number; a space between two numbers
    # is an ordinary space, and the second number, being a new numeric
    # sequence, starts with its own numeric indicator. liblouis writes the
    # numeric space for every digit-space-digit, so each one whose print
    # space is not inside a telephone number becomes space + numeric
    # indicator (",,SW#AI\"B,,TJ" -> ",,SW#AI #B,,TJ"). The digits after it
    # are already in numeric mode, so nothing else changes.
    one_number = {i for m in _ONE_NUMBER.finditer(text)
                  for i in range(m.start(), m.end()) if text[i] == " "}
    cells: list[str] = []
    positions: list[int] = []
    for cell, at in zip(out, in_pos, strict=True):
        if cell == NUMERIC_SPACE and text[at] == " " and at not in one_number:
            cells += [" ", NUMERIC_INDICATOR]
            positions += [at, at + 1]
        else:
            cells.append(cell)
            positions.append(at)
    return "".join(cells), positions


def check_translatable(text: str, tables: tuple[str, ...], where: str) -> None:
    """Raise UntranslatableText for the first character liblouis cannot translate."""
    for char in dict.fromkeys(text):
        if not _defined(char, tables):
            raise UntranslatableText(where, char)


@lru_cache(maxsize=4096)
def _defined(char: str, tables: tuple[str, ...]) -> bool:
    # liblouis writes an undefined character as an escape ('\x1f600') unless
    # asked for noUndefined, when it writes nothing: the two differ exactly
    # when the character is undefined.
    with LOCK:
        plain = louis.translateString(list(tables), char)
        strict = louis.translateString(list(tables), char, mode=louis.noUndefined)
    return plain == strict and all(ord(c) in _TO_UNICODE for c in plain)


def _typeform(length: int, emphasis: tuple[Emphasis, ...],
              tables: tuple[str, ...]) -> list[int] | None:
    if not emphasis:
        return None
    typeform = [0] * length
    for span in emphasis:
        flag = ((louis.no_contract if span.uncontracted else 0)
                | (louis.bold if span.bold else 0)
                | (_emphasis_class(tables, "transnote") if span.note else 0))
        for i in range(span.start, span.end):
            typeform[i] |= flag
    return typeform


@lru_cache(maxsize=8)
def _emphasis_class(tables: tuple[str, ...], name: str) -> int:
    # The typeform bit of a table's emphasis class (en-ueb-g1.ctb declares
    # "transnote" with the indicators 4-46-126 and 4-46-345). Debian's
    # binding of liblouis 3.24 breaks in getTypeformForEmphClass (it refers
    # to a removed _is_py3), so the C function is called directly.
    with LOCK:
        bit: int = louis.liblouis.lou_getTypeformForEmphClass(
            ",".join(tables).encode("ascii"), name.encode("ascii"))
    if not bit:
        raise RuntimeError(f"the braille tables {', '.join(tables)} have no '{name}' "
                           "emphasis class; use the UEB tables en-ueb-g1.ctb or en-ueb-g2.ctb")
    return bit


def _kept_offsets(text: str, keep: tuple[tuple[int, int], ...]) -> frozenset[int]:
    return frozenset(i for start, end in keep for i in range(start, end) if text[i] == " ")


def _words(out: str, in_pos: list[int], length: int, kept: frozenset[int]) -> list[Word]:
    # A word's print text runs from its first source character to the space
    # that ends it: a contraction's cells all point at the contraction's start.
    breaks = [j for j, cell in enumerate(out) if cell == " " and in_pos[j] not in kept]
    words: list[Word] = []
    begin = 0
    for end in [*breaks, len(out)]:
        if end > begin:
            stop = in_pos[end] if end < len(out) else length
            cells = out[begin:end].replace(" ", HARD_SPACE)
            words.append(Word(cells, min(in_pos[begin:end]), stop))
        begin = end + 1
    return words


def translate_number(number: int, tables: tuple[str, ...]) -> str:
    """A braille page number: the numeric indicator and the digits."""
    return _number(number, tables)


@lru_cache(maxsize=512)
def _number(number: int, tables: tuple[str, ...]) -> str:
    with LOCK:
        result: str = louis.translateString(list(tables), str(number))
    return result


def back_translate(cells: str, tables: tuple[str, ...]) -> str:
    """Braille ASCII back to print (used by tests and for proofing)."""
    with LOCK:
        result: str = louis.backTranslateString(list(tables), cells)
    return result


def to_unicode(cells: str) -> str:
    """Braille ASCII (and HARD_SPACE) as Unicode braille patterns U+2800-U+283F."""
    return cells.translate(_TO_UNICODE)
