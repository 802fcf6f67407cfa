"""The PDF pipeline shared by the ``large-print`` and ``print`` formats and by
on-request copies: the Code as HTML from the templates in ``templates/print/``,
laid out by WeasyPrint with the page breaks that waste paper undone
(:mod:`.paging`), after a cover letter if the copy has one (:mod:`.letter`),
and finished for accessibility (:mod:`.tags`, :mod:`.links`).

This module is not a renderer (it is not in the registry); the renderer
modules and :mod:`complaints_code.copies` call it, and find here the names
they use from the modules beside it. WeasyPrint is imported by
:mod:`.weasy` when a document is first laid out.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ...resources import caches
from ...settings import FormatSettings
from ...structure.inline import Inline
from ...structure.model import (
    AddressBlock,
    Block,
    Code,
    ContactTable,
    Paragraph,
    StageTable,
)
from ..html import block_groups, inline_html
from . import paging, weasy
from .letter import (
    LETTER_RIGHT_MARGIN_MM,
    EnvelopeError,
    Letter,
    copy_letter,
    envelope_for,
    letter_document,
    letter_head_width_mm,
    letter_pdf,
    sheets,
    too_thick_to_fold,
)
from .links import link_texts
from .setup import (
    PRINT_DIR,
    FontCoverageError,
    Setup,
    check_code_glyphs,
    document_title,
    fonts_css,
    long_date,
)
from .weasy import pdf_bytes

__all__ = [
    "LETTER_RIGHT_MARGIN_MM", "PRINT_DIR", "EnvelopeError", "FontCoverageError", "Letter",
    "Setup", "block_groups", "check_code_glyphs", "code_css", "code_document", "code_html",
    "code_pdf", "copy_letter", "document_title", "envelope_for", "fonts_css", "letter_document",
    "letter_head_width_mm", "letter_pdf", "long_date", "pdf_bytes", "sheets", "too_thick_to_fold"]


def block_kind(block: Block) -> str:
    """The kind of a section block, for the template."""
    kinds: dict[type, str] = {Paragraph: "paragraph", ContactTable: "contacts",
                              StageTable: "stages", AddressBlock: "address"}
    return kinds[type(block)]


def code_html(code: Code, setup: Setup, fmt: FormatSettings, size: int,
              relaxed: frozenset[str] = frozenset()) -> str:
    """The Code as one HTML document for a print format; ``relaxed``: the
    keeps (data-keep names) that may break over pages (see :mod:`.paging`)."""
    def inline(nodes: tuple[Inline, ...]) -> Markup:
        return inline_html(code, nodes, breaks=True)

    return setup.env().get_template("code.html.j2").render(
        code=code, m=code.metadata, label=fmt.label_for(size), format_name=fmt.name,
        choices=fmt.describe(size, setup.font_label()),
        effective=long_date(code.metadata.effective_date),
        doc_title=document_title(code, fmt, size), linearise=fmt.linearise_tables,
        block_kind=block_kind, block_groups=lambda blocks: block_groups(code, blocks),
        inline=inline, relaxed=relaxed)


def code_css(setup: Setup, fmt: FormatSettings, size: int) -> str:
    """The stylesheet of the Code at a body size, with the format's choices
    (bold, line spacing, single- or double-sided page numbers)."""
    return setup.env().get_template("code.css.j2").render(
        size=size, bold=fmt.bold, line_spacing=fmt.line_spacing, sides=fmt.sides)


# The Code's pages are the same in every customer's copy of one format, size
# and set of options; only the letter differs. Laying them out is most of a
# copy's time, so the last few laid-out Codes are kept, keyed by their HTML
# and stylesheet (an edited source or template gives another key).
CODE_DOCUMENTS = 4
code_documents: caches.Table[tuple[Any, dict[str, str]]] = caches.Table(CODE_DOCUMENTS)
MAX_LAYOUTS = 4
"""At most this many layouts of the Code, each relaxing the keeps that left
a page with a few lines in the one before."""


def code_document(code: Code, setup: Setup, fmt: FormatSettings, size: int) -> Any:
    """The Code laid out in a print format: a WeasyPrint Document, reused
    while the source, templates, fonts and settings are unchanged."""
    return _code_layout(code, setup, fmt, size)[0]


def _code_layout(code: Code, setup: Setup, fmt: FormatSettings,
                 size: int) -> tuple[Any, dict[str, str]]:
    """The laid-out Code and the words of each of its links."""
    html = code_html(code, setup, fmt, size)
    key = caches.key(html, setup.key(), fmt.model_dump_json(), str(size))
    found = code_documents.find(key)
    if found is not None:
        return found
    css = weasy.stylesheet(setup, f"code {fmt.model_dump_json()} {size}",
                           lambda: code_css(setup, fmt, size))
    relaxed: frozenset[str] = frozenset()
    document = weasy.layout(html, setup, css)
    for _ in range(MAX_LAYOUTS - 1):
        more = paging.relaxations(paging.measure(document), relaxed)
        if not more:
            break
        relaxed |= more
        html = code_html(code, setup, fmt, size, relaxed)
        document = weasy.layout(html, setup, css)
    made = (document, link_texts(html))
    code_documents.put(key, made)
    return made


def code_pdf(code: Code, setup: Setup, fmt: FormatSettings, size: int,
             letter: Letter | None = None) -> bytes:
    """The Code in a print format, after a cover letter if one is given. When
    printed double-sided, a letter of an odd number of pages has a blank
    back, so the Code starts on a sheet of its own."""
    check_code_glyphs(code, setup)
    code_doc, links = _code_layout(code, setup, fmt, size)
    if letter is None:
        return weasy.pdf_bytes([code_doc], links=links)
    letter_doc = copy_letter(code, setup, letter, fmt, size, len(code_doc.pages))
    pages = len(letter_doc.pages)
    return weasy.pdf_bytes([letter_doc, code_doc], letter_pages=pages, links=links,
                           blank_back=fmt.sides == "double" and pages % 2 == 1)
