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
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from jinja2 import Environment
from markupsafe import Markup

from ..errors import RenderError
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
from . import pdf_tags
from .html import inline_html, jinja_env

PRINT_DIR = "print"
FONT_DIR = "fonts"


class FontCoverageError(RenderError):
    """Text holds a character the shipped font cannot show."""

    exit_status = 2


@dataclass(frozen=True)
class FormatSettings:
    """One print format's settings ([formats.NAME] in settings.toml)."""

    name: str
    file: str
    size: int
    sizes: tuple[int, ...]
    label: str
    short_label: str
    linearise_tables: bool

    def label_for(self, size: int) -> str:
        """The format label shown on the cover, e.g. "Large print (18 point)"."""
        return self.label.format(size=size)


@dataclass(frozen=True)
class Box:
    """A rectangle on the sheet, in mm from its top-left corner."""

    left_mm: float
    top_mm: float
    width_mm: float
    height_mm: float

    @property
    def bottom_mm(self) -> float:
        """The bottom edge."""
        return self.top_mm + self.height_mm


@dataclass(frozen=True)
class LetterSettings:
    """The cover letter's settings ([letter] in settings.toml)."""

    address_size_pt: float
    address_line_height: float
    margin_top_mm: float
    margin_left_mm: float
    clear_right_mm: float
    clear_bottom_mm: float
    sender_address_max_size: int
    address_block: Box
    window: Box


@dataclass(frozen=True)
class Settings:
    """Everything in templates/print/settings.toml."""

    body_fonts: tuple[str, ...]
    address_fonts: tuple[str, ...]
    formats: dict[str, FormatSettings]
    letter: LetterSettings


@cache
def settings(templates: Path) -> Settings:
    """The print settings, read once per templates folder."""
    path = templates / PRINT_DIR / "settings.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return _settings(raw)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RenderError(f"{path}: cannot read the print settings: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise RenderError(f"{path}: missing or invalid setting {exc}; "
                          "compare with the shipped settings.toml") from exc


def _settings(raw: dict[str, Any]) -> Settings:
    formats = {
        name: FormatSettings(name, str(f["file"]), int(f["size"]),
                             tuple(int(s) for s in f["sizes"]), str(f["label"]),
                             str(f["short_label"]), bool(f["linearise_tables"]))
        for name, f in raw["formats"].items()
    }
    letter = raw["letter"]
    return Settings(
        body_fonts=tuple(raw["fonts"]["body"]),
        address_fonts=tuple(raw["fonts"]["address"]),
        formats=formats,
        letter=LetterSettings(
            **{k: v for k, v in letter.items() if not isinstance(v, dict)},
            address_block=Box(**letter["address_block"]), window=Box(**letter["window"])),
    )


# --- fonts -----------------------------------------------------------------

@cache
def font(path: Path) -> TTFont:
    """A shipped font, parsed once (for its character map and advance widths)."""
    return TTFont(io.BytesIO(path.read_bytes()), lazy=True)  # no file left open


def font_path(templates: Path, name: str) -> Path:
    """The path of a shipped font file."""
    return templates / FONT_DIR / name


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


def check_code_glyphs(code: Code, templates: Path) -> None:
    """Raise FontCoverageError if any text of the Code is missing from the
    shipped body font: a missing glyph would silently fall back to another."""
    fonts = [font_path(templates, f) for f in settings(templates).body_fonts]
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


def letter_head_width_mm(templates: Path) -> float:
    """The width of the letter's heading column (date, reference), right of
    the area kept clear for the envelope window."""
    return A4_WIDTH_MM - settings(templates).letter.clear_right_mm - LETTER_RIGHT_MARGIN_MM


# --- HTML ------------------------------------------------------------------

@cache
def _env(templates: Path) -> Environment:
    return jinja_env(templates / PRINT_DIR, breaks=True)


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


def code_html(code: Code, templates: Path, fmt: FormatSettings, size: int) -> str:
    """The Code as one HTML document for a print format."""
    def inline(nodes: tuple[Inline, ...]) -> Markup:
        return inline_html(code, nodes, breaks=True)

    return _env(templates).get_template("code.html.j2").render(
        code=code, m=code.metadata, label=fmt.label_for(size), format_name=fmt.name,
        effective=long_date(code.metadata.effective_date),
        doc_title=document_title(code, fmt, size), linearise=fmt.linearise_tables,
        block_kind=block_kind, inline=inline)


def code_css(templates: Path, size: int) -> str:
    """The stylesheet of the Code at a body size."""
    return _env(templates).get_template("code.css.j2").render(size=size)


@dataclass(frozen=True)
class Letter:
    """What the cover letter says to one customer."""

    name: str
    address_lines: tuple[str, ...]
    """Every line of the envelope address, the name first and the postcode last."""
    reference: str | None
    date: dt.date


def letter_html(code: Code, templates: Path, letter: Letter, fmt: FormatSettings,
                size: int) -> str:
    """The one-page cover letter as HTML."""
    post = next((c.address for c in code.contacts if c.kind == ContactKind.POST), None)
    phone = next((c.value for c in code.contacts if c.kind == ContactKind.TELEPHONE), None)
    return _env(templates).get_template("letter.html.j2").render(
        m=code.metadata, post=post, phone=phone, name=letter.name,
        recipient_lines=letter.address_lines, reference=letter.reference,
        date=long_date(letter.date), short_label=fmt.short_label,
        show_sender_address=size <= settings(templates).letter.sender_address_max_size,
        doc_title=f"Letter to {letter.name}: {document_title(code, fmt, size)}")


def letter_css(templates: Path, size: int) -> str:
    """The letter's stylesheet at a body size, with the envelope geometry."""
    s = settings(templates).letter
    return _env(templates).get_template("letter.css.j2").render(
        size=size, block=s.address_block, page_left=s.margin_left_mm,
        page_top=s.margin_top_mm, zone_right_mm=s.clear_right_mm,
        zone_bottom_mm=s.clear_bottom_mm, address_size=s.address_size_pt,
        address_line_height=s.address_line_height)


# --- WeasyPrint ------------------------------------------------------------

# WeasyPrint's FontConfiguration and parsed stylesheets are reused across
# renders (a warm copy renders in a fraction of a cold one); the lock keeps
# two threads from filling the caches at once.
_lock = threading.RLock()
_cache: dict[tuple[str, Path, int], Any] = {}
# FontConfiguration's finaliser fails if it runs after interpreter teardown
# has begun; drop it while the interpreter is still whole.
atexit.register(_cache.clear)


def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    with _lock:
        if ("fonts", Path(), 0) not in _cache:
            _cache[("fonts", Path(), 0)] = FontConfiguration()
        return _cache[("fonts", Path(), 0)]


def _stylesheet(kind: str, templates: Path, size: int) -> Any:
    from weasyprint import CSS

    with _lock:
        key = (kind, templates, size)
        if key not in _cache:
            s = settings(templates)
            fonts = _env(templates).get_template("fonts.css.j2").render(
                body=s.body_fonts, address=s.address_fonts)
            text = fonts + (code_css(templates, size) if kind == "code"
                            else letter_css(templates, size))
            _cache[key] = CSS(string=text, base_url=str(templates / PRINT_DIR) + "/",
                              font_config=_font_config())
        return _cache[key]


def layout(html: str, kind: str, templates: Path, size: int) -> Any:
    """Lay out an HTML document ("code" or "letter") into a WeasyPrint Document."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(templates / PRINT_DIR) + "/").render(
        stylesheets=[_stylesheet(kind, templates, size)], font_config=_font_config(),
        pdf_variant="pdf/ua-1")


def pdf_bytes(documents: Sequence[Any]) -> bytes:
    """The pages of the documents as one tagged PDF (metadata from the last,
    which is the Code), post-processed for accessibility."""
    pages = [page for doc in documents for page in doc.pages]
    raw = documents[-1].copy(pages).write_pdf(pdf_variant="pdf/ua-1")
    return pdf_tags.finish(raw)


def code_pdf(code: Code, templates: Path, fmt: FormatSettings, size: int,
             letter: Letter | None = None) -> bytes:
    """The Code in a print format, after a cover letter if one is given."""
    check_code_glyphs(code, templates)
    docs = []
    if letter is not None:
        docs.append(letter_document(code, templates, letter, fmt, size))
    docs.append(layout(code_html(code, templates, fmt, size), "code", templates, size))
    return pdf_bytes(docs)


def letter_document(code: Code, templates: Path, letter: Letter, fmt: FormatSettings,
                    size: int) -> Any:
    """The laid-out cover letter. Raises RenderError if it needs a second page."""
    doc = layout(letter_html(code, templates, letter, fmt, size), "letter", templates, size)
    if len(doc.pages) != 1:
        raise RenderError(f"the cover letter does not fit on one page at {size} point; "
                          "shorten the reference or the name, or choose a smaller size")
    return doc
