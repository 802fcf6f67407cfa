"""The Code as a sequence of braille blocks, read from the model (never from
rendered HTML): headings, paragraphs, list items and address lines, each with
the print text, the ranges to keep on one line, the ranges to leave
uncontracted, and the source location for messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from ...structure.inline import Inline, Link, Ref, Strong, Text
from ...structure.model import AddressBlock, Code, ContactTable, Paragraph, Section, StageTable
from ..html import KEEP_TOGETHER
from .translate import Emphasis

Style = Literal["heading1", "heading2", "paragraph", "item", "note"]

_SPACES = re.compile(r"\s+")
DATE = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
                  r"September|October|November|December) \d{4}\b")
"""A date as printed ("1 December 2026"): kept on one braille line, like a
phone number, so a reader never finds the year on the next line."""
TRAILING_PUNCTUATION = frozenset(",.;:!?)]’”\"'")
"""Punctuation that, directly after bold words, is taken into the bold: UEB
then ends the emphasis after it (or needs no terminator at all), where
liblouis would otherwise break a bold passage in two before a comma."""
_MAY_KEEP = re.compile(r"[\d@]")
"""Every kept pattern (KEEP_TOGETHER, DATE) has a digit or an @: text with
neither is not searched."""
_UNCONTRACTED = frozenset({"email", "url"})
_KEPT_REFS = frozenset({"phone", "email", "url", "timescale"})


@dataclass(frozen=True)
class Block:
    """One block of braille: its style, print text and where it came from."""

    style: Style
    text: str
    where: str
    """Source location, e.g. "sections[3].blocks[0].paragraph (section 'contact-us')"."""
    section: str
    """Id of the section the block belongs to."""
    keep: tuple[tuple[int, int], ...] = ()
    emphasis: tuple[Emphasis, ...] = ()
    space_before: bool = False
    """A blank line before the block (headings, the start of a list)."""
    keep_with_next: bool = False
    """Never the last thing on a page: headings, and lines of one address."""
    table: bool = False
    """A row of a print table set out as a list item."""


@dataclass
class _Builder:
    """Accumulates print text with its keep-together and emphasis ranges."""

    code: Code
    parts: list[str] = field(default_factory=list)
    keep: list[tuple[int, int]] = field(default_factory=list)
    emphasis: list[Emphasis] = field(default_factory=list)
    length: int = 0

    def add(self, text: str, kept: bool = False, uncontracted: bool = False) -> None:
        text = _SPACES.sub(" ", text)
        start = self.length
        if kept:
            self.keep.append((start, start + len(text)))
        elif _MAY_KEEP.search(text):
            self.keep.extend((start + m.start(), start + m.end())
                             for pattern in (KEEP_TOGETHER, DATE)
                             for m in pattern.finditer(text))
        if uncontracted:
            self.emphasis.append(Emphasis(start, start + len(text), uncontracted=True))
        self.parts.append(text)
        self.length += len(text)

    def inlines(self, nodes: tuple[Inline, ...]) -> None:
        for node in nodes:
            if isinstance(node, Text):
                self.add(node.text)
            elif isinstance(node, Strong):
                start = self.length
                self.inlines(node.children)
                self.emphasis.append(Emphasis(start, self.length, bold=True))
            elif isinstance(node, Link):
                self.add(node.text)
            elif isinstance(node, Ref):
                value = self.code.resolve(node)
                self.add(value.text, kept=value.kind in _KEPT_REFS,
                         uncontracted=value.kind in _UNCONTRACTED)

    def block(self, style: Style, where: str, section: str, **flags: bool) -> Block:
        text = "".join(self.parts)
        lead = len(text) - len(text.lstrip(" "))
        text = text.strip(" ")
        keep = tuple((max(0, s - lead), min(len(text), e - lead)) for s, e in self.keep)
        emphasis = tuple(_with_punctuation(
            Emphasis(max(0, e.start - lead), min(len(text), e.end - lead),
                     e.uncontracted, e.bold), text) for e in self.emphasis)
        return Block(style, text, where, section, keep, emphasis, **flags)


def _with_punctuation(span: Emphasis, text: str) -> Emphasis:
    # "**Please note**, this": the comma joins the bold, so the bold word
    # or passage indicator covers it and one terminator (if any) follows it.
    if not span.bold:
        return span
    end = span.end
    while end < len(text) and text[end] in TRAILING_PUNCTUATION:
        end += 1
    return replace(span, end=end)


def code_blocks(code: Code, tables_note: str | None = None) -> list[Block]:
    """Every block of the Code's sections, in reading order. With
    ``tables_note``, a transcriber's note with those words comes before the
    first table (the tables are linearised into lists, which adds print)."""
    out: list[Block] = []
    for index, section in enumerate(code.sections):
        out.extend(section_blocks(code, index, section))
    first_table = next((i for i, b in enumerate(out) if b.table), None)
    if tables_note and first_table is not None:
        out.insert(first_table, note_block(tables_note, out[first_table].section))
    return out


def note_block(text: str, section: str) -> Block:
    """A transcriber's note: words the braille adds that are not in the print,
    between UEB transcriber's note indicators, in cell 7 with run-overs in
    cell 5 (BANA Braille Formats 2016), kept with what it explains."""
    text = _SPACES.sub(" ", text).strip()
    return Block("note", text, "braille settings words.tables_note", section,
                 emphasis=(Emphasis(0, len(text), note=True),), space_before=True,
                 keep_with_next=True)


def section_blocks(code: Code, index: int, section: Section) -> list[Block]:
    """The heading and then the content of one section."""
    at = f"sections[{index}]"
    tag = f"(section '{section.id}')"
    style: Style = "heading1" if section.level == 1 else "heading2"
    out = [text_block(code, section.title, style, f"{at}.title {tag}", section.id,
                      space_before=True, keep_with_next=True)]
    previous_list = False
    for b, block in enumerate(section.blocks):
        where = f"{at}.blocks[{b}]"
        if isinstance(block, Paragraph):
            builder = _Builder(code)
            builder.inlines(block.inlines)
            out.append(builder.block("paragraph", f"{where}.paragraph {tag}", section.id,
                                     space_before=previous_list))
            previous_list = False
            continue
        items = _list_items(code, block, where, tag, section.id)
        out.extend(items)
        previous_list = True
    return out


def _list_items(code: Code, block: ContactTable | StageTable | AddressBlock, where: str,
                tag: str, section: str) -> list[Block]:
    if isinstance(block, ContactTable):
        items = [_contact(code, cid, f"{where}.contacts[{i}] {tag}", section)
                 for i, cid in enumerate(block.contacts)]
    elif isinstance(block, StageTable):
        items = _stage_table(code, block, where, tag, section)
    else:
        address = code.address(block.address)
        lines = (*address.lines, address.postcode)
        items = [text_block(code, line, "item", f"{where}.address {tag}", section,
                            keep_with_next=i < len(lines) - 1) for i, line in enumerate(lines)]
        return [replace(items[0], space_before=True), *items[1:]]
    items = [replace(item, table=True) for item in items]
    return [replace(items[0], space_before=True), *items[1:]]


def _contact(code: Code, cid: str, where: str, section: str) -> Block:
    # A table row linearised in hanging-indent form: "Label: description".
    contact = code.contact(cid)
    builder = _Builder(code)
    builder.add(f"{contact.label}: ")
    builder.inlines(contact.inlines)
    return builder.block("item", f"contacts '{cid}' in {where}", section)


def _stage_table(code: Code, block: StageTable, where: str, tag: str,
                 section: str) -> list[Block]:
    # The stage table linearised (BANA "linear table" format): first the column
    # headings joined by colons, then each row as "N. Title: description".
    headings = [h for h in (block.stages.number, block.stages.stage,
                            block.stages.description) if h]
    out = [text_block(code, ": ".join(headings), "item", f"{where}.stages {tag}", section)]
    for i, stage in enumerate(code.stages):
        builder = _Builder(code)
        builder.add(f"{stage.number}. {stage.title}: ")
        builder.inlines(stage.inlines)
        out.append(builder.block("item", f"stages[{i}].description (stage '{stage.id}')",
                                 section))
    return out


def text_block(code: Code, text: str, style: Style, where: str, section: str,
               **flags: bool) -> Block:
    """A block of plain words (a title, a label): no markup to resolve."""
    builder = _Builder(code)
    builder.add(text)
    return builder.block(style, where, section, **flags)


def parts_block(code: Code, parts: list[tuple[str, bool]], style: Style, where: str,
                section: str) -> Block:
    """A block of plain words in parts; a part marked True is an email or web
    address: kept on one line and uncontracted."""
    builder = _Builder(code)
    for text, address in parts:
        builder.add(text, kept=address, uncontracted=address)
    return builder.block(style, where, section)
