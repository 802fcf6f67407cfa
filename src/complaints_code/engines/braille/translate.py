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

import ctypes
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import louis

from ...errors import InputError, RenderError
from ...resources import caches
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


class Word(NamedTuple):
    """A braille word (no breakable space inside) and the print text it came
    from. (A named tuple: a copy is made of thousands of them, and a tuple is
    made several times faster than a frozen dataclass.)"""

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
        out, in_pos = _lou_translate(tables, text, typeform)
    out, in_pos = _separate_numbers(text, out, in_pos)
    return _words(out, in_pos, len(text), _kept_offsets(text, keep))


class _Buffers:
    """The buffers liblouis writes into, made once and grown when a longer
    text comes (used only under LOCK). The Python binding's ``translate``
    makes and copies buffers of twelve times the text's length at every call,
    which cost a third as much as the translation itself."""

    size = 0
    out: ctypes.Array[ctypes.c_char]
    in_pos: ctypes.Array[ctypes.c_int]
    typeform: ctypes.Array[ctypes.c_ushort]

    @classmethod
    def at_least(cls, size: int) -> type[_Buffers]:
        if size > cls.size:
            cls.size = max(size, 2 * cls.size, 4096)
            cls.out = ctypes.create_string_buffer(cls.size * louis.wideCharBytes)
            cls.in_pos = (ctypes.c_int * cls.size)()
            cls.typeform = (ctypes.c_ushort * cls.size)()
        return cls


@caches.memo(16)
def _table_list(tables: tuple[str, ...]) -> bytes:
    return ",".join(tables).encode(louis.fileSystemEncoding)


def _lou_translate(tables: tuple[str, ...], text: str,
                   typeform: list[int] | None) -> tuple[str, list[int]]:
    """``lou_translate`` called as the binding's ``louis.translate`` calls it
    (the same output buffer of twelve cells a character, the same typeform),
    into reused buffers: the braille and, for each cell, the offset of the
    print character it came from. Call with LOCK held."""
    wide = louis.wideCharBytes
    inbuf = text.encode(louis.conversionEncoding, louis.ENCODING_ERROR_HANDLER)
    inlen = ctypes.c_int(len(inbuf) // wide)
    outlen = ctypes.c_int(inlen.value * louis.outlenMultiplier)
    buffers = _Buffers.at_least(outlen.value)
    forms = None
    if typeform:
        forms = buffers.typeform
        ctypes.memset(forms, 0, outlen.value * ctypes.sizeof(ctypes.c_ushort))
        values: list[ctypes.c_ushort | int] = [*typeform]
        forms[: len(values)] = values
    if not louis.liblouis.lou_translate(
            _table_list(tables), inbuf, ctypes.byref(inlen), buffers.out, ctypes.byref(outlen),
            forms, None, None, buffers.in_pos, None, 0):
        raise RuntimeError(f"liblouis could not translate with the tables {', '.join(tables)}")
    out = ctypes.string_at(buffers.out, outlen.value * wide).decode(
        louis.conversionEncoding, louis.ENCODING_ERROR_HANDLER)
    return out, buffers.in_pos[: outlen.value]


def _separate_numbers(text: str, out: str, in_pos: list[int]) -> tuple[str, list[int]]:
    # UEB: the numeric space (dot 5) stands for a space inside one number,
    # such as the groups of a telephone number; a space between two numbers
    # is an ordinary space, and the second number, being a new numeric
    # sequence, starts with its own numeric indicator. liblouis writes the
    # numeric space for every digit-space-digit, so each one whose print
    # space is not inside a telephone number becomes space + numeric
    # indicator (",,SW#AI\"B,,TJ" -> ",,SW#AI #B,,TJ"). The digits after it
    # are already in numeric mode, so nothing else changes.
    # Only the dot-5 cells that stand for a print space are looked at (dot 5
    # also starts contractions such as "here"), so most blocks cost nothing.
    spaces = [j for j in _found(out, NUMERIC_SPACE) if text[in_pos[j]] == " "]
    if spaces:
        one_number = {i for m in _ONE_NUMBER.finditer(text)
                      for i in range(m.start(), m.end()) if text[i] == " "}
        spaces = [j for j in spaces if in_pos[j] not in one_number]
    if not spaces:
        return out, in_pos
    cells: list[str] = []
    positions: list[int] = []
    begin = 0
    for j in spaces:
        at = in_pos[j]
        cells += [out[begin:j], " ", NUMERIC_INDICATOR]
        positions += [*in_pos[begin:j], at, at + 1]
        begin = j + 1
    cells.append(out[begin:])
    positions += in_pos[begin:]
    return "".join(cells), positions


def _found(text: str, char: str) -> list[int]:
    """Every index of ``char`` in ``text`` (found by str.find, not a loop
    over every character)."""
    found: list[int] = []
    at = text.find(char)
    while at >= 0:
        found.append(at)
        at = text.find(char, at + 1)
    return found


def check_translatable(text: str, tables: tuple[str, ...], where: str) -> None:
    """Raise UntranslatableText for the first character liblouis cannot translate."""
    known = _translatable.get("\0".join(tables), set)
    if known.issuperset(text):
        return
    for char in dict.fromkeys(text):
        if not _defined(char, tables):
            raise UntranslatableText(where, char)
        known.add(char)


_translatable: caches.Table[set[str]] = caches.Table()
"""Characters found translatable, by table list (one set lookup per block)."""


@caches.memo(4096)
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


@caches.memo(8)
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
    # A space inside a kept range is no break: it becomes a HARD_SPACE first.
    if kept:
        hard = [j for j in _found(out, " ") if in_pos[j] in kept]
        if hard:
            cells = list(out)
            for j in hard:
                cells[j] = HARD_SPACE
            out = "".join(cells)
    words: list[Word] = []
    begin = 0
    for piece in out.split(" "):
        end = begin + len(piece)
        if piece:
            stop = in_pos[end] if end < len(out) else length
            words.append(Word(piece, min(in_pos[begin:end]), stop))
        begin = end + 1
    return words


def translate_number(number: int, tables: tuple[str, ...]) -> str:
    """A braille page number: the numeric indicator and the digits."""
    return _number(number, tables)


@caches.memo(512)
def _number(number: int, tables: tuple[str, ...]) -> str:
    with LOCK:
        result: str = louis.translateString(list(tables), str(number))
    return result


def back_translate(cells: str, tables: tuple[str, ...]) -> str:
    """Braille ASCII back to print (used by tests and for proofing), as the
    binding's ``louis.backTranslateString`` does it, into reused buffers."""
    wide = louis.wideCharBytes
    inbuf = cells.encode(louis.conversionEncoding, louis.ENCODING_ERROR_HANDLER)
    inlen = ctypes.c_int(len(inbuf) // wide)
    outlen = ctypes.c_int(inlen.value * louis.outlenMultiplier)
    with LOCK:
        buffers = _Buffers.at_least(outlen.value)
        if not louis.liblouis.lou_backTranslateString(
                _table_list(tables), inbuf, ctypes.byref(inlen), buffers.out,
                ctypes.byref(outlen), None, None, 0):
            raise RuntimeError("liblouis could not back-translate with the tables "
                               f"{', '.join(tables)}")
        return ctypes.string_at(buffers.out, outlen.value * wide).decode(
            louis.conversionEncoding, louis.ENCODING_ERROR_HANDLER)


def to_unicode(cells: str) -> str:
    """Braille ASCII (and HARD_SPACE) as Unicode braille patterns U+2800-U+283F."""
    return cells.translate(_TO_UNICODE)
