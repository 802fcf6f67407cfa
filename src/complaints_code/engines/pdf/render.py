"""The PDF pipeline shared by the ``large-print`` and ``print`` formats and by
on-request copies: settings, the shipped fonts, HTML from the templates in
``templates/print/``, WeasyPrint, and the accessibility post-process.

This module is not a renderer (it is not in the registry); the two renderer
modules and :mod:`complaints_code.copies` call it. WeasyPrint is imported here,
so importing this module costs about half a second; callers import it lazily.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ...errors import InputError, RenderError
from ...resources import Resources, tree_digest
from ...settings import FormatSettings, PrintSettings
from ...settings.print import Envelope
from ...structure.inline import Inline, Ref
from ...structure.model import (
    AddressBlock,
    Block,
    Code,
    ContactKind,
    ContactTable,
    Paragraph,
    StageTable,
)
from ...structure.plain import section_lines
from ..fonts import describe_chars, missing_chars
from ..html import inline_html, jinja_env
from . import tags as pdf_tags

PRINT_DIR = "print"


class FontCoverageError(RenderError, InputError):
    """Text holds a character the shipped font cannot show."""


# --- fonts -----------------------------------------------------------------

@dataclass(frozen=True)
class Setup:
    """Where the PDF pipeline finds its templates and fonts, and its settings."""

    res: Resources
    settings: PrintSettings

    @property
    def body_fonts(self) -> list[Path]:
        """The body font files."""
        return [self.res.font(f) for f in self.settings.body_fonts]

    @property
    def address_fonts(self) -> list[Path]:
        """The envelope address font files."""
        return [self.res.font(f) for f in self.settings.address_fonts]

    @property
    def fallback_fonts(self) -> list[Path]:
        """The fallback font files, regular then bold, for characters the body
        or address font lacks."""
        return [self.res.font(f) for f in self.settings.fallback_fonts]

    def missing_body(self, text: str) -> list[str]:
        """Characters of ``text`` that neither the body font nor its fallback has."""
        return missing_chars(text, self.body_fonts, self.fallback_fonts)

    def missing_address(self, text: str) -> list[str]:
        """Characters of ``text`` that neither the address font nor its fallback has."""
        return missing_chars(text, self.address_fonts, self.fallback_fonts)

    def font_label(self) -> str | None:
        """The body font's name when it is not the usual one (the first of
        font_choices), for the cover; None for the usual one."""
        choices = list(self.settings.font_choices.values())
        for n, family in enumerate(choices):
            if family.files == tuple(self.settings.body_fonts[:2]):
                return family.label if n else None
        return None

    def key(self) -> str:
        """What its caches are keyed by: the settings and the templates' and
        fonts' contents, so an edited template is seen at once."""
        return (self.settings.model_dump_json() + tree_digest(self.res.folder(PRINT_DIR))
                + tree_digest(self.res.fonts_folder))


def check_code_glyphs(code: Code, setup: Setup) -> None:
    """Raise FontCoverageError if any text of the Code is missing from the
    shipped body font: a missing glyph would silently fall back to another."""
    m = code.metadata
    places = [("metadata", f"{m.provider} {m.title} {m.version}")]
    places += [(f"section '{s.id}'", "\n".join(section_lines(code, s))) for s in code.sections]
    for where, text in places:
        bad = setup.missing_body(text)
        if bad:
            raise FontCoverageError(
                f"{where} uses {describe_chars(bad)}, which the print font cannot show; "
                "use a different character in the source, or ship a font that has it")


A4_WIDTH_MM = 210.0
LETTER_RIGHT_MARGIN_MM = 15.0
"""The letter page's right margin, as in letter.css.j2's @page rule."""


def letter_head_width_mm(settings: PrintSettings) -> float:
    """The width of the letter's heading column (date, reference), right of
    the area kept clear for the envelope window."""
    return A4_WIDTH_MM - settings.letter.clear_right_mm - LETTER_RIGHT_MARGIN_MM


# --- HTML ------------------------------------------------------------------

@cache
def _env(folder: Path) -> Environment:
    # Jinja2 reloads a template whose file changed on disk (auto_reload).
    return jinja_env(folder, breaks=True)


def long_date(day: dt.date) -> str:
    """A date as British English prints it: 25 November 2026."""
    return f"{day.day} {day:%B %Y}"


def document_title(code: Code, fmt: FormatSettings, size: int) -> str:
    """The title shown in a PDF viewer's title bar."""
    m = code.metadata
    return f"{m.title}, {m.provider}: {fmt.label_for(size)}"


def block_kind(block: Block) -> str:
    """The kind of a section block, for the template."""
    kinds: dict[type, str] = {Paragraph: "paragraph", ContactTable: "contacts",
                              StageTable: "stages", AddressBlock: "address"}
    return kinds[type(block)]


CONTACT_LINE_CHARS = 80
"""A paragraph this short that gives a contact value ("Email: …") belongs to
the contact details around it and is kept on their page."""


def block_groups(code: Code, blocks: Sequence[Block]) -> list[list[Block]]:
    """A section's blocks, in order, with an address and the short contact
    lines after it ("Email: …", "Tel: …") grouped, so one set of contact
    details is never split over two pages."""
    groups: list[list[Block]] = []
    for block in blocks:
        previous = groups[-1] if groups else None
        if (previous and isinstance(previous[0], AddressBlock)
                and isinstance(block, Paragraph) and _contact_line(code, block)):
            previous.append(block)
        else:
            groups.append([block])
    return groups


def _contact_line(code: Code, block: Paragraph) -> bool:
    refs = [n for n in block.inlines if isinstance(n, Ref) and n.kind in ("contact", "adr")]
    return bool(refs) and len(code.plain(block.inlines)) <= CONTACT_LINE_CHARS


def code_html(code: Code, setup: Setup, fmt: FormatSettings, size: int) -> str:
    """The Code as one HTML document for a print format."""
    def inline(nodes: tuple[Inline, ...]) -> Markup:
        return inline_html(code, nodes, breaks=True)

    return _env(setup.res.folder(PRINT_DIR)).get_template("code.html.j2").render(
        code=code, m=code.metadata, label=fmt.label_for(size), format_name=fmt.name,
        choices=fmt.describe(size, setup.font_label()),
        effective=long_date(code.metadata.effective_date),
        doc_title=document_title(code, fmt, size), linearise=fmt.linearise_tables,
        block_kind=block_kind, block_groups=lambda blocks: block_groups(code, blocks),
        inline=inline)


def code_css(setup: Setup, fmt: FormatSettings, size: int) -> str:
    """The stylesheet of the Code at a body size, with the format's choices
    (bold, line spacing, single- or double-sided page numbers)."""
    return _env(setup.res.folder(PRINT_DIR)).get_template("code.css.j2").render(
        size=size, bold=fmt.bold, line_spacing=fmt.line_spacing, sides=fmt.sides)


@dataclass(frozen=True)
class Letter:
    """What the cover letter says to one customer."""

    name: str
    address_lines: tuple[str, ...]
    """Every line of the envelope address, the name first and the postcode last."""
    reference: str | None
    date: dt.date
    salutation: str = "Dear customer"
    """The greeting, without its comma: "Dear Mr Singh-Thompson"."""
    format_words: str = ""
    """The format sent, as the letter names it: "large print, 24 point",
    "braille, grade 2"; empty: the print format's short label."""
    envelope: Envelope | None = None
    """The window envelope it is laid out for; None: the settings' choice."""


def letter_html(code: Code, setup: Setup, letter: Letter, fmt: FormatSettings,
                size: int) -> str:
    """The one-page cover letter as HTML."""
    post = next((c.address for c in code.contacts if c.kind == ContactKind.POST), None)
    phone = next((c.value for c in code.contacts if c.kind == ContactKind.TELEPHONE), None)
    return _env(setup.res.folder(PRINT_DIR)).get_template("letter.html.j2").render(
        m=code.metadata, post=post, phone=phone, salutation=letter.salutation,
        recipient_lines=letter.address_lines, reference=letter.reference,
        date=long_date(letter.date), format_words=letter.format_words or fmt.short_label,
        show_sender_address=size <= setup.settings.letter.sender_address_max_size,
        doc_title=f"Letter to {letter.name}: {document_title(code, fmt, size)}")


def letter_css(setup: Setup, fmt: FormatSettings, size: int, envelope: Envelope) -> str:
    """The letter's stylesheet at a body size, with the envelope geometry."""
    s = setup.settings.letter
    block, _window, right, bottom = s.geometry(envelope)
    return _env(setup.res.folder(PRINT_DIR)).get_template("letter.css.j2").render(
        size=size, bold=fmt.bold, block=block, page_left=s.margin_left_mm,
        page_top=s.margin_top_mm, zone_right_mm=right, envelope=envelope,
        zone_bottom_mm=bottom, address_size=s.address_size_pt,
        address_line_height=s.address_line_height)


def envelope_for(setup: Setup, fmt: FormatSettings, sheets: int) -> Envelope:
    """The window envelope for a copy of ``sheets`` sheets, letter included:
    the letter settings' choice, or with "auto" DL (folded) unless the format
    says the copy is too thick to fold."""
    chosen = setup.settings.letter.envelope
    if chosen != "auto":
        return chosen
    too_thick = fmt.fold_max_sheets is not None and sheets > fmt.fold_max_sheets
    return "C4" if too_thick else "DL"


def sheets(pages: int, sides: str) -> int:
    """Sheets of paper for a number of pages printed single- or double-sided."""
    return pages if sides == "single" else (pages + 1) // 2


# --- WeasyPrint ------------------------------------------------------------

# WeasyPrint's FontConfiguration and parsed stylesheets are reused across
# renders (a warm copy renders in a fraction of a cold one); the lock keeps
# two threads from filling the caches at once. There is one FontConfiguration
# per set of font files: the families are always called "Body", "Address" and
# "Fallback", and a configuration that had been given two files for "Body"
# (Atkinson Hyperlegible for one copy, DejaVu Sans for the next) could set a
# later copy in the earlier copy's font, so a copy would depend on the ones
# made before it in the same process.
_lock = threading.RLock()
_cache: dict[tuple[str, str, str], Any] = {}
# FontConfiguration's finaliser fails if it runs after interpreter teardown
# has begun; drop it while the interpreter is still whole.
atexit.register(_cache.clear)


def _font_config(fonts_css: str, folder: Path) -> Any:
    """The FontConfiguration for one set of @font-face rules (``fonts_css``,
    whose URLs are relative to ``folder``)."""
    from weasyprint.text.fonts import FontConfiguration

    key = ("fonts", str(folder), fonts_css)
    with _lock:
        if key not in _cache:
            _cache[key] = FontConfiguration()
        return _cache[key]


def _stylesheet(kind: str, setup: Setup, fmt: FormatSettings, size: int,
                envelope: Envelope = "DL") -> tuple[Any, Any]:
    """The parsed stylesheet for a document, and the FontConfiguration its
    fonts were loaded into (the layout must use the same one)."""
    from weasyprint import CSS

    with _lock:
        key = (kind, setup.key(), f"{fmt.model_dump_json()} {size} {envelope}")
        if key not in _cache:
            folder = setup.res.folder(PRINT_DIR)
            fonts = fonts_css(setup)
            config = _font_config(fonts, folder)
            text = fonts + (code_css(setup, fmt, size) if kind == "code"
                            else letter_css(setup, fmt, size, envelope))
            _cache[key] = (CSS(string=text, base_url=str(folder) + "/", font_config=config),
                           config)
        return _cache[key]  # type: ignore[no-any-return]


def fonts_css(setup: Setup) -> str:
    """The @font-face rules of every document: the shipped body, address and
    fallback fonts, by URLs relative to the print templates' folder."""
    s = setup.settings
    return _env(setup.res.folder(PRINT_DIR)).get_template("fonts.css.j2").render(
        body=s.body_fonts, address=s.address_fonts, fallback=s.fallback_fonts)


def layout(html: str, kind: str, setup: Setup, fmt: FormatSettings, size: int,
           envelope: Envelope = "DL") -> Any:
    """Lay out an HTML document ("code" or "letter") into a WeasyPrint Document."""
    from weasyprint import HTML

    stylesheet, config = _stylesheet(kind, setup, fmt, size, envelope)
    return HTML(string=html, base_url=str(setup.res.folder(PRINT_DIR)) + "/").render(
        stylesheets=[stylesheet], font_config=config, pdf_variant="pdf/ua-1")


def pdf_bytes(documents: Sequence[Any], *, letter_pages: int = 0,
              blank_back: bool = False) -> bytes:
    """The pages of the documents as one tagged PDF (metadata from the last,
    which is the Code), post-processed for accessibility, with page labels:
    the first ``letter_pages`` pages (and the blank back of the letter when
    ``blank_back``) are labelled "Letter", the Code's pages by their printed
    numbers."""
    pages = [page for doc in documents for page in doc.pages]
    with _writing:  # the Code's laid-out pages may be shared with another thread's copy
        raw = documents[-1].copy(pages).write_pdf(pdf_variant="pdf/ua-1")
    return pdf_tags.finish(raw, letter_pages=letter_pages, blank_back=blank_back)


# The Code's pages are the same in every customer's copy of one format, size
# and set of options; only the letter differs. Laying them out is most of a
# copy's time, so the last few laid-out Codes are kept, keyed by their HTML
# and stylesheet (an edited source or template gives another key).
_CODE_DOCUMENTS = 4
_code_documents: OrderedDict[str, Any] = OrderedDict()
_writing = threading.Lock()
atexit.register(_code_documents.clear)


def code_document(code: Code, setup: Setup, fmt: FormatSettings, size: int) -> Any:
    """The Code laid out in a print format: a WeasyPrint Document, reused
    while the source, templates, fonts and settings are unchanged."""
    html = code_html(code, setup, fmt, size)
    key = hashlib.sha256("\0".join(
        (html, setup.key(), fmt.model_dump_json(), str(size))).encode()).hexdigest()
    with _lock:
        if key in _code_documents:
            _code_documents.move_to_end(key)
            return _code_documents[key]
    document = layout(html, "code", setup, fmt, size)
    with _lock:
        _code_documents[key] = document
        while len(_code_documents) > _CODE_DOCUMENTS:
            _code_documents.popitem(last=False)
    return document


def code_pdf(code: Code, setup: Setup, fmt: FormatSettings, size: int,
             letter: Letter | None = None) -> bytes:
    """The Code in a print format, after a cover letter if one is given. When
    printed double-sided, a one-page letter has a blank back, so the Code
    starts on a sheet of its own."""
    check_code_glyphs(code, setup)
    code_doc = code_document(code, setup, fmt, size)
    if letter is None:
        return pdf_bytes([code_doc])
    total = sheets(len(code_doc.pages), fmt.sides) + 1
    envelope = letter.envelope or envelope_for(setup, fmt, total)
    letter_doc = letter_document(code, setup, replace(letter, envelope=envelope), fmt, size)
    return pdf_bytes([letter_doc, code_doc], letter_pages=1,
                     blank_back=fmt.sides == "double")


def letter_pdf(code: Code, setup: Setup, letter: Letter, fmt: FormatSettings,
               size: int) -> bytes:
    """The cover letter alone as a tagged PDF (for a braille copy), for a DL
    envelope unless the letter says otherwise."""
    letter = replace(letter, envelope=letter.envelope or "DL")
    return pdf_bytes([letter_document(code, setup, letter, fmt, size)], letter_pages=1)


def letter_document(code: Code, setup: Setup, letter: Letter, fmt: FormatSettings,
                    size: int) -> Any:
    """The laid-out cover letter. Raises RenderError if it needs a second page."""
    envelope = letter.envelope or envelope_for(setup, fmt, 1)
    doc = layout(letter_html(code, setup, letter, fmt, size), "letter", setup, fmt, size,
                 envelope)
    if len(doc.pages) != 1:
        regular = " or regular (not bold) text" if fmt.bold else ""
        raise RenderError(f"the cover letter does not fit on one page at {size} point; "
                          f"shorten the reference or the name, or choose a smaller size{regular}")
    return doc
