"""The Word document's stage table, and the page it sits on.

A real table while each of its rows fits on a page: columns sized to their
content (the number column as wide as its widest entry, the title column as
its longest word, the description the rest), rows that never split over a
page (``w:cantSplit``) and the header row repeated on every page
(``w:tblHeader``). At a size where a row would be taller than a page (a
long description at 24 point and above), Word would have to split it or cut
it off; there the table is set out as the large-print PDF sets it, each stage
a heading ("Stage 2: Receipt of a complaint") followed by its description.

Widths and heights are worked out from Liberation Sans, the shipped font
with Arial's metrics (bold taken as ``BOLD_WIDTH`` times wider).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..resources import resources
from ..settings import Settings
from ..structure.inline import Inline
from ..structure.model import Code, StageTable
from . import fonts

PAGE_MM = (210.0, 297.0)
"""A4."""
MARGINS_MM = (18.0, 20.0)
"""The top and side margins, as the PDFs' (templates/print/code.css.j2)."""
FOOT_EMS = 3.2
"""The foot margin in multiples of the text size, as the PDFs': room for the
page number at the text size."""
NUMBER_HEADING = "No."
"""The stage-number column's heading where the Code leaves it blank: a
header cell needs words for a screen reader to announce, and a short one
keeps the column narrow (the usual British abbreviation)."""
CELL_PADDING_MM = 1.9
"""Word's default left and right cell margin (0.19 cm each)."""
METRICS_FONT = "LiberationSans-Regular.ttf"
"""The shipped font whose widths size the columns (Arial's metrics)."""
BOLD_WIDTH = 1.12
"""Bold Arial is up to about 10 % wider than regular."""
LINE_EMS = 1.15
"""Arial's single line height, in multiples of its size; Word's "1.5 lines"
is 1.5 times this."""
WHOLE_LINES = 6
"""A paragraph of this many lines or fewer is never split over a page: split,
it could leave a line or two alone on a page."""
ROW_SHARE = 0.5
"""The most of a page's text area a table row may take: kept whole, a row
that does not fit leaves the page before it at least half full."""
KEEP_SHARE = 0.75
"""The most of a page's text area a contact list, or an address and its
contact lines, may take and be kept on one page: the page before it is left
at least a quarter full, never with a line or two."""

Runs = Callable[[Any, tuple[Inline, ...]], None]
"""Adds the runs of inline text to a paragraph."""


def stage_table(doc: Any, code: Code, block: StageTable, caption: str,
                measure: TextMeasure, runs: Runs) -> None:
    """The stage table, as a table or (where a row would take more than
    ROW_SHARE of a page) as headed blocks."""
    h = block.stages
    heads = (h.number or NUMBER_HEADING, h.stage, h.description)
    number = max([heads[0], *(str(s.number) for s in code.stages)], key=measure.bold)
    titles = [word for s in code.stages for word in s.title.split()] + [heads[1]]
    widths = measure.columns(number, titles)
    tallest = max(measure.height(code.plain(s.inlines), widths[2]) for s in code.stages)
    if tallest > ROW_SHARE * measure.body:
        _blocks(doc, code, h.stage, runs, measure)
        return
    table = doc.add_table(rows=1, cols=3)
    table.style = doc.styles["Table Grid"]
    for cell, words in zip(table.rows[0].cells, heads, strict=True):
        cell.paragraphs[0].add_run(words).bold = True
    _row_props(table.rows[0], header=True)
    for stage in code.stages:
        row = table.add_row()
        cells = row.cells
        cells[0].paragraphs[0].add_run(str(stage.number))
        cells[1].paragraphs[0].add_run(stage.title).bold = True
        runs(cells[2].paragraphs[0], stage.inlines)
        _row_props(row, header=False)
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(round(measure.size * 0.3))
    _widths(table, widths)
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), caption)
    table._tbl.tblPr.append(title)


def _blocks(doc: Any, code: Code, word: str, runs: Runs, measure: TextMeasure) -> None:
    """Each stage as a heading and its description (not split if short)."""
    for stage in code.stages:
        doc.add_heading(f"{word} {stage.number}: {stage.title}", level=3)
        para = doc.add_paragraph()
        runs(para, stage.inlines)
        lines = measure.lines(code.plain(stage.inlines), measure.full)
        para.paragraph_format.keep_together = lines <= WHOLE_LINES


class TextMeasure:
    """Text widths and heights in the document's font, at its size."""

    def __init__(self, settings: Settings, size: int) -> None:
        self.font = resources(settings).font(METRICS_FONT)
        self.size = size
        self.spacing = settings.docx.line_spacing
        self.full = PAGE_MM[0] - 2 * MARGINS_MM[1]
        """The text width in mm."""
        self.body = (PAGE_MM[1] - MARGINS_MM[0]) * 72 / 25.4 - size * FOOT_EMS
        """The text height in points."""

    def bold(self, text: str) -> float:
        """The width of bold text in mm."""
        return fonts.text_width_mm(text, self.font, self.size) * BOLD_WIDTH

    def columns(self, number: str, title_words: list[str]) -> tuple[float, float, float]:
        """The columns in mm: number, title (its longest word, at least a
        fifth of the width, at most a half) and description."""
        pad = 2 * CELL_PADDING_MM + 1
        first = self.bold(number) + pad
        second = min(max(max(map(self.bold, title_words)) + pad, self.full * 0.2),
                     self.full * 0.5)
        return first, second, self.full - first - second

    def lines(self, text: str, width_mm: float) -> int:
        """How many lines a paragraph takes in a column (greedy wrap)."""
        room = width_mm - 2 * CELL_PADDING_MM
        space = fonts.text_width_mm(" ", self.font, self.size)
        lines, used = 1, 0.0
        for word in text.split():
            width = fonts.text_width_mm(word, self.font, self.size)
            if used and used + space + width > room:
                lines, used = lines + 1, width
            else:
                used += (space if used else 0.0) + width
        return lines

    def height(self, text: str, width_mm: float) -> float:
        """The height in points of a paragraph set in a column, with the space
        after it."""
        return (self.lines(text, width_mm) * self.size * LINE_EMS * self.spacing
                + self.size * 0.6)


def _row_props(row: Any, *, header: bool) -> None:
    """A row that never splits over a page; the header row repeats on each."""
    props = row._tr.get_or_add_trPr()
    whole = OxmlElement("w:cantSplit")
    whole.set(qn("w:val"), "true")
    props.append(whole)
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        props.append(repeat)


def _widths(table: Any, widths: tuple[float, ...]) -> None:
    """Fixed column widths, on the grid and on every cell."""
    table.autofit = False  # also sets the fixed layout (w:tblLayout)
    props = table._tbl.tblPr
    total = props.find(qn("w:tblW"))
    if total is None:
        total = OxmlElement("w:tblW")
        props.append(total)
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(sum(_twips(w) for w in widths)))
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(_twips(width)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _twips(mm: float) -> int:
    """Millimetres in twentieths of a point, Word's table unit."""
    return round(mm / 25.4 * 1440)
