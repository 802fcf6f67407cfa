"""Lines and pages of braille, laid out here rather than by liblouis.

Formatting follows common UK and BANA practice (Braille Formats 2016):

- Lines break only at braille spaces. A phone number, email, web address,
  postcode or timescale is never split. A single braille word longer than the
  line (possible only at narrow widths) is divided with the UEB line
  continuation indicator, dot 5, at the end of each divided line.
- Main headings are centred, with at least ``centre_margin`` blank cells at
  each side and a blank line before and after (never at the top of a page,
  never two blank lines in a row). Sub-headings start in cell 5 with their
  run-overs in cell 5, with a blank line before.
- Paragraphs start in cell 3 with run-overs in cell 1; no blank line between.
- List items, contact details, address lines and table rows are in hanging
  indent: cell 1, run-overs in cell 3, with a blank line before the list and
  after it.
- A heading is never the last line of a page: it moves to the next page with
  the first line of what follows. Lines of one address stay on one page.
- The braille page number is at the right of the first or last line (a
  setting); that line carries nothing else. The title page shows no number.
- Page 1 is the title page, then the contents (with guide dots, dot 5, to the
  page numbers), then the Code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...settings import BrailleSettings
from .blocks import Block, Style
from .translate import Word, translate_block, translate_number

CONTINUATION = '"'
"""UEB line continuation indicator (dot 5) in Braille ASCII."""
GUIDE_DOT = '"'
"""Guide dots in a contents page are dot 5 cells."""

_INDENTS: dict[Style, tuple[int, int]] = {
    "heading1": (0, 0),
    "heading2": (4, 4),
    "paragraph": (2, 0),
    "item": (0, 2),
    "note": (6, 4),  # transcriber's notes: cell 7, run-overs in cell 5
}


@dataclass(frozen=True)
class Line:
    """One line of braille and the print words it stands for."""

    cells: str = ""
    """Braille ASCII, indent included; HARD_SPACE for unbreakable blank cells."""
    text: str = ""
    """The print text of the words on this line."""
    role: str = ""
    """What the line is: a block style, "title", "contents", "number" or ""."""


@dataclass(frozen=True)
class Page:
    """One braille page: exactly ``lines`` rows."""

    number: int
    rows: tuple[Line, ...]


@dataclass(frozen=True)
class Formatted:
    """A block's lines, with what pagination needs to know about it."""

    lines: tuple[Line, ...]
    space_before: bool
    keep_with_next: bool
    anchor: str | None = None
    """The section id of a heading, so the contents can find its page."""
    space_after: bool = False
    """A blank line after the block (centred headings), unless the page ends."""


def format_block(block: Block, settings: BrailleSettings,
                 words: Sequence[Word] | None = None) -> Formatted:
    """Translate one block (unless its ``words`` are given) and break it into
    lines of its style."""
    if words is None:
        words = translate_block(block.text, settings.brf_tables, block.where, block.keep,
                                block.emphasis)
    if block.style == "heading1":
        lines = centred(words, block.text, settings, block.style)
    else:
        first, rest = _INDENTS[block.style]
        lines = wrap(words, block.text, settings.cells, first, rest, block.style)
    anchor = block.section if block.style.startswith("heading") else None
    # UK (UKAAF) and BANA practice: a centred heading has a blank line after
    # it as well as before; a cell-5 heading has one only before.
    return Formatted(tuple(lines), block.space_before, block.keep_with_next, anchor,
                     space_after=block.style == "heading1")


def wrap(words: Sequence[Word], text: str, width: int, first: int, rest: int,
         role: str) -> list[Line]:
    """Break words into lines of at most ``width`` cells: ``first`` blank cells
    before the first line and ``rest`` before each run-over."""
    lines: list[Line] = []
    current: list[Word] = []
    indent, used = first, 0  # used: cells taken on the current line, with spaces
    for word in words:
        if current and used + len(word.cells) > width - indent:
            lines.append(_line(current, text, indent, role))
            current, indent, used = [], rest, 0
        if not current and len(word.cells) > width - indent:
            pieces = _divide(word, width - indent, width - rest)
            lines.extend(_line([p], text, indent if i == 0 else rest, role)
                         for i, p in enumerate(pieces[:-1]))
            current, indent = [pieces[-1]], (rest if len(pieces) > 1 else indent)
            used = len(pieces[-1].cells) + 1
            continue
        current.append(word)
        used += len(word.cells) + 1
    if current:
        lines.append(_line(current, text, indent, role))
    return lines


def _divide(word: Word, first: int, rest: int) -> list[Word]:
    # UEB: a symbols-sequence too long for a line is divided with the line
    # continuation indicator at the end of each line but the last.
    pieces: list[Word] = []
    cells, room = word.cells, first
    while len(cells) > room:
        pieces.append(Word(cells[: room - 1] + CONTINUATION, word.start, word.end))
        cells, room = cells[room - 1 :], rest
    pieces.append(Word(cells, word.end, word.end))
    return pieces


def _line(words: Sequence[Word], text: str, indent: int, role: str) -> Line:
    cells = " ".join(w.cells for w in words)
    start, end = words[0].start, max(w.end for w in words)
    return Line(" " * indent + cells, text[start:end].strip(), role)


def centred(words: Sequence[Word], text: str, settings: BrailleSettings,
            role: str) -> list[Line]:
    """Lines centred between margins of ``centre_margin`` blank cells."""
    inner = settings.cells - 2 * settings.centre_margin
    lines = wrap(words, text, inner, 0, 0, role)
    return [Line(" " * ((settings.cells - len(line.cells)) // 2) + line.cells, line.text,
                 line.role) for line in lines]


class Pager:
    """Fills pages with formatted blocks, keeping headings with what follows."""

    def __init__(self, settings: BrailleSettings, first_number: int):
        self.settings = settings
        self.capacity = settings.lines - 1  # one line carries the page number
        self.pages: list[list[Line]] = [[]]
        self.first_number = first_number
        self.anchors: dict[str, int] = {}

    @property
    def number(self) -> int:
        """The braille page number of the page being filled."""
        return self.first_number + len(self.pages) - 1

    def add(self, blocks: Sequence[Formatted]) -> None:
        """Place every block, in order."""
        for i, block in enumerate(blocks):
            need = _needed(blocks, i, bool(self.pages[-1]))
            if self.pages[-1] and need > self.capacity - len(self.pages[-1]) \
                    and need <= self.capacity:
                self.pages.append([])
            # One blank line for a block that wants space before it, or follows
            # one that wants space after it: never two, never at a page's top.
            if _space_before(blocks, i) and self.pages[-1]:
                self._put(Line())
            if block.anchor:
                self.anchors.setdefault(block.anchor, self.number)
            for line in block.lines:
                self._put(line)

    def _put(self, line: Line) -> None:
        if len(self.pages[-1]) >= self.capacity:
            self.pages.append([])
            if not line.cells:
                return  # no blank line at the top of a page
        self.pages[-1].append(line)


def _needed(blocks: Sequence[Formatted], i: int, page_started: bool) -> int:
    # Lines needed on this page before block i may start: its first line, or
    # while it must be kept with the next block, all of it and the next
    # block's first line. Paragraphs themselves may flow over a page.
    need = int(_space_before(blocks, i) and page_started)
    while blocks[i].keep_with_next and i + 1 < len(blocks):
        need += len(blocks[i].lines)
        i += 1
        need += int(_space_before(blocks, i))
    return need + (len(blocks[i].lines) if blocks[i].keep_with_next else 1)


def _space_before(blocks: Sequence[Formatted], i: int) -> bool:
    return blocks[i].space_before or (i > 0 and blocks[i - 1].space_after)


def number_page(rows: list[Line], number: int | None, settings: BrailleSettings) -> Page:
    """Pad ``rows`` to a full page and put the page number in its place."""
    body = list(rows) + [Line()] * (settings.lines - 1 - len(rows))
    if number is None:
        number_line = Line()
    else:
        cells = translate_number(number, settings.brf_tables)
        number_line = Line(" " * (settings.cells - len(cells)) + cells, str(number), "number")
    at = 0 if settings.page_number == "top-right" else settings.lines - 1
    body.insert(at, number_line)
    return Page(number or 1, tuple(body))
