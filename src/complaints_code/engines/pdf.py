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
import io
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from jinja2 import Environment
from markupsafe import Markup

from ..errors import InputError, RenderError
from ..inline import Inline
from ..model import (
    AddressBlock,
    Block,
    Code,
    ContactKind,
    ContactTable,
    Paragraph,
    StageTable,
)
from ..plain import section_lines
from ..resources import Resources, content_key, read_bytes, tree_digest
from ..settings import FormatSettings, PrintSettings
from . import pdf_tags
from .html import inline_html, jinja_env

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

    def key(self) -> str:
        """What its caches are keyed by: the settings and the templates' and
        fonts' contents, so an edited template is seen at once."""
        return (self.settings.model_dump_json() + tree_digest(self.res.folder(PRINT_DIR))
                + tree_digest(self.res.fonts_folder))


def font(path: Path) -> TTFont:
    """A shipped font, parsed once per content (for its character map and
    advance widths)."""
    return _font(content_key(path), path)


@lru_cache(maxsize=32)
def _font(digest: str, path: Path) -> TTFont:
    return TTFont(io.BytesIO(read_bytes(path)), lazy=True)  # no file left open


def missing_chars(text: str, fonts: Sequence[Path]) -> list[str]:
    """Characters of ``text`` (other than line breaks and tabs) that are not in
    every one of ``fonts``, in order of first appearance."""
    cmaps = [font(p).getBestCmap() for p in fonts]
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in "\n\r\t" and any(ord(ch) not in cmap for cmap in cmaps):
            seen.setdefault(ch)
    return list(seen)


def describe_chars(chars: Iterable[str]) -> str:
    """Characters as “x” (U+0078), for messages."""
    return ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in chars)


def check_code_glyphs(code: Code, setup: Setup) -> None:
    """Raise FontCoverageError if any text of the Code is missing from the
    shipped body font: a missing glyph would silently fall back to another."""
    fonts = setup.body_fonts
    m = code.metadata
    places = [("metadata", f"{m.provider} {m.title} {m.version}")]
    places += [(f"section '{s.id}'", "\n".join(section_lines(code, s))) for s in code.sections]
    for where, text in places:
        bad = missing_chars(text, fonts)
        if bad:
            raise FontCoverageError(
                f"{where} uses {describe_chars(bad)}, which the print font cannot show; "
                "use a different character in the source, or ship a font that has it")


def text_width_mm(text: str, font_file: Path, size_pt: float) -> float:
    """The width of one line of text set in a font, ignoring kerning."""
    f = font(font_file)
    cmap, hmtx = f.getBestCmap(), f["hmtx"]
    units: int = sum(hmtx[cmap[ord(ch)]][0] for ch in text if ord(ch) in cmap)
    per_em: int = f["head"].unitsPerEm
    return units / per_em * size_pt * 25.4 / 72


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


def code_html(code: Code, setup: Setup, fmt: FormatSettings, size: int) -> str:
    """The Code as one HTML document for a print format."""
    def inline(nodes: tuple[Inline, ...]) -> Markup:
        return inline_html(code, nodes, breaks=True)

    return _env(setup.res.folder(PRINT_DIR)).get_template("code.html.j2").render(
        code=code, m=code.metadata, label=fmt.label_for(size), format_name=fmt.name,
        effective=long_date(code.metadata.effective_date),
        doc_title=document_title(code, fmt, size), linearise=fmt.linearise_tables,
        block_kind=block_kind, inline=inline)


def code_css(setup: Setup, size: int) -> str:
    """The stylesheet of the Code at a body size."""
    return _env(setup.res.folder(PRINT_DIR)).get_template("code.css.j2").render(size=size)


@dataclass(frozen=True)
class Letter:
    """What the cover letter says to one customer."""

    name: str
    address_lines: tuple[str, ...]
    """Every line of the envelope address, the name first and the postcode last."""
    reference: str | None
    date: dt.date


def letter_html(code: Code, setup: Setup, letter: Letter, fmt: FormatSettings,
                size: int) -> str:
    """The one-page cover letter as HTML."""
    post = next((c.address for c in code.contacts if c.kind == ContactKind.POST), None)
    phone = next((c.value for c in code.contacts if c.kind == ContactKind.TELEPHONE), None)
    return _env(setup.res.folder(PRINT_DIR)).get_template("letter.html.j2").render(
        m=code.metadata, post=post, phone=phone, name=letter.name,
        recipient_lines=letter.address_lines, reference=letter.reference,
        date=long_date(letter.date), short_label=fmt.short_label,
        show_sender_address=size <= setup.settings.letter.sender_address_max_size,
        doc_title=f"Letter to {letter.name}: {document_title(code, fmt, size)}")


def letter_css(setup: Setup, size: int) -> str:
    """The letter's stylesheet at a body size, with the envelope geometry."""
    s = setup.settings.letter
    return _env(setup.res.folder(PRINT_DIR)).get_template("letter.css.j2").render(
        size=size, block=s.address_block, page_left=s.margin_left_mm,
        page_top=s.margin_top_mm, zone_right_mm=s.clear_right_mm,
        zone_bottom_mm=s.clear_bottom_mm, address_size=s.address_size_pt,
        address_line_height=s.address_line_height)


# --- WeasyPrint ------------------------------------------------------------

# WeasyPrint's FontConfiguration and parsed stylesheets are reused across
# renders (a warm copy renders in a fraction of a cold one); the lock keeps
# two threads from filling the caches at once.
_lock = threading.RLock()
_cache: dict[tuple[str, str, int], Any] = {}
# FontConfiguration's finaliser fails if it runs after interpreter teardown
# has begun; drop it while the interpreter is still whole.
atexit.register(_cache.clear)


def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    with _lock:
        if ("fonts", "", 0) not in _cache:
            _cache[("fonts", "", 0)] = FontConfiguration()
        return _cache[("fonts", "", 0)]


def _stylesheet(kind: str, setup: Setup, size: int) -> Any:
    from weasyprint import CSS

    with _lock:
        key = (kind, setup.key(), size)
        if key not in _cache:
            s = setup.settings
            folder = setup.res.folder(PRINT_DIR)
            fonts = _env(folder).get_template("fonts.css.j2").render(
                body=s.body_fonts, address=s.address_fonts)
            text = fonts + (code_css(setup, size) if kind == "code"
                            else letter_css(setup, size))
            _cache[key] = CSS(string=text, base_url=str(folder) + "/",
                              font_config=_font_config())
        return _cache[key]


def layout(html: str, kind: str, setup: Setup, size: int) -> Any:
    """Lay out an HTML document ("code" or "letter") into a WeasyPrint Document."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(setup.res.folder(PRINT_DIR)) + "/").render(
        stylesheets=[_stylesheet(kind, setup, size)], font_config=_font_config(),
        pdf_variant="pdf/ua-1")


def pdf_bytes(documents: Sequence[Any]) -> bytes:
    """The pages of the documents as one tagged PDF (metadata from the last,
    which is the Code), post-processed for accessibility."""
    pages = [page for doc in documents for page in doc.pages]
    raw = documents[-1].copy(pages).write_pdf(pdf_variant="pdf/ua-1")
    return pdf_tags.finish(raw)


def code_pdf(code: Code, setup: Setup, fmt: FormatSettings, size: int,
             letter: Letter | None = None) -> bytes:
    """The Code in a print format, after a cover letter if one is given."""
    check_code_glyphs(code, setup)
    docs = []
    if letter is not None:
        docs.append(letter_document(code, setup, letter, fmt, size))
    docs.append(layout(code_html(code, setup, fmt, size), "code", setup, size))
    return pdf_bytes(docs)


def letter_pdf(code: Code, setup: Setup, letter: Letter, fmt: FormatSettings,
               size: int) -> bytes:
    """The cover letter alone as a tagged PDF (for a braille copy)."""
    return pdf_bytes([letter_document(code, setup, letter, fmt, size)])


def letter_document(code: Code, setup: Setup, letter: Letter, fmt: FormatSettings,
                    size: int) -> Any:
    """The laid-out cover letter. Raises RenderError if it needs a second page."""
    doc = layout(letter_html(code, setup, letter, fmt, size), "letter", setup, size)
    if len(doc.pages) != 1:
        raise RenderError(f"the cover letter does not fit on one page at {size} point; "
                          "shorten the reference or the name, or choose a smaller size")
    return doc
