"""The whole braille copy: title page, contents, then the Code, as pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...settings import BrailleSettings, BrailleSettingsError
from ...structure.model import Code, ContactKind
from .blocks import Block, code_blocks, parts_block, text_block
from .layout import (
    GUIDE_DOT,
    Formatted,
    Line,
    Page,
    Pager,
    centred,
    format_block,
    number_page,
    wrap,
)
from .translate import Word, translate_block, translate_number

_MAX_PASSES = 6


@dataclass(frozen=True)
class BrailleDocument:
    """Paged braille, ready to write as BRF, Unicode text, PEF or a preview."""

    pages: tuple[Page, ...]
    settings: BrailleSettings
    title: str
    language: str


def compose(code: Code, settings: BrailleSettings,
            transcribed: dt.date | None = None) -> BrailleDocument:
    """Translate the Code and lay it out in pages. ``transcribed`` is the date
    on the title page's transcription line (default: today)."""
    blocks = code_blocks(code, settings.words["tables_note"])
    translated = {_key(b): translate_block(b.text, settings.brf_tables, b.where, b.keep,
                                           b.emphasis) for b in blocks}
    body = [format_block(block, settings, translated[_key(block)]) for block in blocks]
    entries = _entry_words(code, settings, translated)
    heading = format_block(text_block(code, settings.words["contents"], "heading1",
                                      "braille settings words.contents", "contents"), settings)
    contents_pages = 1
    # The contents' length depends on the page numbers in it, and those on
    # the contents' length: lay out until the two agree (one or two passes).
    for _ in range(_MAX_PASSES):
        pager = Pager(settings, first_number=2 + contents_pages)
        pager.add(body)
        contents = _contents(heading, entries, pager.anchors, settings)
        if len(contents) == contents_pages:
            break
        contents_pages = len(contents)
    total = 1 + len(contents) + len(pager.pages)
    pages = [number_page(_title_page(code, settings, total,
                                     transcribed or dt.date.today()), None, settings)]
    pages += [number_page(rows, 2 + i, settings) for i, rows in enumerate(contents)]
    pages += [number_page(rows, pager.first_number + i, settings)
              for i, rows in enumerate(pager.pages)]
    return BrailleDocument(tuple(pages), settings, code.metadata.title,
                           code.metadata.language)


def _title_page(code: Code, settings: BrailleSettings, total: int,
                transcribed: dt.date) -> list[Line]:
    # The title page (UK and BANA practice): title, provider, edition, then
    # the transcription line (who transcribed it, in which code and grade,
    # when) and the number of braille pages.
    meta = code.metadata
    words = settings.words
    date = meta.effective_date.strftime(words["date_format"])
    producer = words["producer"].format(
        provider=meta.provider, grade=settings.grade,
        date=transcribed.strftime(words["date_format"]))
    groups = [
        [("metadata.title", meta.title)],
        [("metadata.provider", meta.provider)],
        [("metadata.version", words["version"].format(version=meta.version)),
         ("metadata.effective_date", words["effective"].format(date=date))],
        [("braille settings words.producer", producer),
         ("braille settings words.pages", words["pages"].format(pages=total))],
    ]
    rows: list[Line] = [Line()]  # the title starts on the second text line
    for group in groups:
        if len(rows) > 1:
            rows.append(Line())
        for where, text in group:
            block = text_block(code, text, "heading1", where, "title")
            words_ = translate_block(block.text, settings.brf_tables, where, block.keep)
            rows.extend(centred(words_, block.text, settings, "title"))
    if len(rows) > settings.lines - 1:
        rows = [row for row in rows if row.cells]  # drop the spacing first
    if len(rows) > settings.lines - 1:
        raise BrailleSettingsError(f"{settings.source}: the title page needs "
                                   f"{len(rows) + 1} lines but lines = {settings.lines}; "
                                   "use more lines per page")
    return rows


def _key(block: Block) -> tuple[object, ...]:
    """What a block's braille depends on: the same key, the same words."""
    return block.text, block.keep, block.emphasis


def _entry_words(code: Code, settings: BrailleSettings,
                 translated: dict[tuple[object, ...], list[Word]]) -> dict[str, _Entry]:
    # A contents entry is the section's title, translated as its heading
    # was (``translated``: the body's blocks by key), so it is looked up.
    out = {}
    for section in code.sections:
        block = text_block(code, section.title, "item", f"section '{section.id}' title",
                           section.id)
        words = translated.get(_key(block)) or translate_block(
            block.text, settings.brf_tables, block.where, block.keep)
        out[section.id] = _Entry(block.text, section.level, tuple(words))
    return out


def _contents(heading: Formatted, entries: dict[str, _Entry], anchors: dict[str, int],
              settings: BrailleSettings) -> list[list[Line]]:
    blocks: list[Formatted] = [heading]
    for section_id, page in anchors.items():
        blocks.append(Formatted(tuple(_entry(entries[section_id], page, settings)),
                                space_before=len(blocks) == 1, keep_with_next=False))
    pager = Pager(settings, first_number=2)
    pager.add(blocks)
    return pager.pages


@dataclass(frozen=True)
class _Entry:
    text: str
    level: int
    words: tuple[Word, ...]


def _entry(entry: _Entry, page: int, settings: BrailleSettings) -> list[Line]:
    # Main entries in cell 1, sub-entries in cell 3, run-overs in cell 5; guide
    # dots (dot 5) lead from the last line to the page number at the margin.
    number = translate_number(page, settings.brf_tables)
    room = settings.cells - len(translate_number(999, settings.brf_tables)) - 4
    lines = wrap(entry.words, entry.text, room, 0 if entry.level == 1 else 2, 4, "contents")
    last = lines[-1]
    gap = settings.cells - len(last.cells) - len(number)
    leader = " " + GUIDE_DOT * (gap - 2) + " " if gap >= 4 else " " * gap
    lines[-1] = Line(last.cells + leader + number, f"{last.text} … page {page}", "contents")
    return lines


def compose_cover_note(code: Code, settings: BrailleSettings, name: str,
                       reference: str | None, pages: int) -> BrailleDocument:
    """The braille cover note of a customer's copy: who it is for, their
    reference, what it is and how to contact us, laid out like the copy
    (same cells, lines, grade and page-number place), pages numbered from 1."""
    words = settings.words
    telephone, hours = _contact_value(code, ContactKind.TELEPHONE)
    email, _ = _contact_value(code, ContactKind.EMAIL)
    at = "braille settings words"
    blocks = [text_block(code, words["cover_note_title"], "heading1",
                         f"{at}.cover_note_title", "cover-note", keep_with_next=True),
              text_block(code, words["cover_note_for"].format(name=name), "paragraph",
                         f"{at}.cover_note_for (the name)", "cover-note")]
    if reference:
        blocks.append(text_block(code, words["cover_note_reference"].format(
            reference=reference), "paragraph", f"{at}.cover_note_reference", "cover-note"))
    blocks.append(text_block(code, words["cover_note_body"].format(
        title=code.metadata.title, pages=pages, provider=code.metadata.provider),
        "paragraph", f"{at}.cover_note_body", "cover-note"))
    blocks.append(_contact_block(code, words["cover_note_contact"], telephone, hours, email,
                                 f"{at}.cover_note_contact"))
    pager = Pager(settings, first_number=1)
    pager.add([format_block(block, settings) for block in blocks])
    rows = [number_page(page, 1 + i, settings) for i, page in enumerate(pager.pages)]
    return BrailleDocument(tuple(rows), settings, words["cover_note_title"],
                           code.metadata.language)


def _contact_value(code: Code, kind: ContactKind) -> tuple[str, str]:
    """The first contact method of a kind: its value and its opening hours
    (empty where there are none)."""
    method = next((c for c in code.contacts if c.kind == kind and c.value), None)
    if method is None:
        return "", ""
    return method.value or "", method.hours.text if method.hours else ""


def _contact_block(code: Code, template: str, telephone: str, hours: str, email: str,
                   where: str) -> Block:
    # The email is uncontracted (the reader types it) and kept whole, like
    # the Code's own; the phone number is kept whole by the keep-together
    # rule, and its hours follow it, so that a reader knows when to call.
    fill = {"telephone": telephone, "hours": f" ({hours})" if hours else ""}
    before, _, after = template.partition("{email}")
    return parts_block(code, [(before.format(**fill), False), (email, True),
                              (after.format(**fill), False)],
                       "paragraph", where, "cover-note")
