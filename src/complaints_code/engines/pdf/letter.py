"""The cover letter sent with an on-request copy, laid out for a window
envelope: the address in the window at a size postal machines and staff read
(10 to 12 point, Royal Mail's guidance), and everything else at the reader's
own size, line spacing, weight and font, the address repeated where the
letter greets them. At large sizes the letter runs on to a second page
rather than leave anything out; its pages are then numbered.

Which envelope: DL (the letter and copy folded in three) unless the copy is
too thick to fold (the format's ``fold_max_sheets``), then C4 (flat).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from ...errors import InputError, RenderError
from ...settings import FormatSettings, PrintSettings
from ...settings.print import Envelope
from ...structure.model import Code, ContactKind
from .. import fonts
from . import weasy
from .setup import Setup, document_title, long_date

A4_WIDTH_MM = 210.0
LETTER_RIGHT_MARGIN_MM = 15.0
"""The letter page's right margin, as in letter.css.j2's @page rule."""


class EnvelopeError(RenderError, InputError):
    """A copy too thick for the envelope asked for (found only once it is laid out)."""


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
    """The window envelope asked for; None: the settings' choice."""


def letter_head_width_mm(settings: PrintSettings) -> float:
    """The width of the letter's heading column (date, reference), right of
    the area kept clear for the envelope window."""
    return A4_WIDTH_MM - settings.letter.clear_right_mm - LETTER_RIGHT_MARGIN_MM


def window_address_size(lines: tuple[str, ...], setup: Setup, envelope: Envelope) -> float:
    """The size of the address in the window: the largest, in half points from
    ``address_max_size_pt`` down to ``address_size_pt``, at which every line
    fits the address block's width and all of them its height (the request
    check has already refused an address that does not fit at the smallest)."""
    s = setup.settings.letter
    block = s.geometry(envelope)[0]
    font = setup.address_fonts[0]
    size = s.address_max_size_pt
    while size > s.address_size_pt:
        tall = len(lines) * size * s.address_line_height * 25.4 / 72
        if tall <= block.height_mm and all(
                fonts.text_width_mm(line, font, size) <= block.width_mm for line in lines):
            return size
        size -= 0.5
    return s.address_size_pt


def inline_address(lines: tuple[str, ...]) -> str:
    """Address lines as one line of text: "Ann Lee, 1 Road, London SW1A 1AA"."""
    *most, postcode = lines
    return f"{', '.join(most)} {postcode}" if most else postcode


def letter_html(code: Code, setup: Setup, letter: Letter, fmt: FormatSettings, size: int,
                window_size: float) -> str:
    """The cover letter as HTML."""
    post = next((c for c in code.contacts if c.kind == ContactKind.POST), None)
    phone = next((c for c in code.contacts if c.kind == ContactKind.TELEPHONE), None)
    address = post.address if post else None
    return setup.env().get_template("letter.html.j2").render(
        m=code.metadata, salutation=letter.salutation, recipient_lines=letter.address_lines,
        inside_address=inline_address(letter.address_lines) if size > window_size else None,
        reference=letter.reference, date=long_date(letter.date),
        format_words=letter.format_words or fmt.short_label,
        phone=phone.value if phone else None,
        hours=phone.hours.text if phone and phone.hours else None,
        post=inline_address((*address.lines, address.postcode)) if address else None,
        doc_title=f"Letter to {letter.name}: {document_title(code, fmt, size)}")


def letter_css(setup: Setup, fmt: FormatSettings, size: int, envelope: Envelope,
               window_size: float, numbered: bool) -> str:
    """The letter's stylesheet: the reader's size, spacing and weight, the
    envelope's geometry, and page numbers when it runs over a page."""
    s = setup.settings.letter
    block, _window, right, bottom = s.geometry(envelope)
    return setup.env().get_template("letter.css.j2").render(
        size=size, bold=fmt.bold, line_spacing=fmt.line_spacing, block=block,
        page_left=s.margin_left_mm, page_top=s.margin_top_mm, zone_right_mm=right,
        envelope=envelope, zone_bottom_mm=bottom, address_size=window_size,
        address_line_height=s.address_line_height, numbered=numbered)


def letter_document(code: Code, setup: Setup, letter: Letter, fmt: FormatSettings,
                    size: int) -> Any:
    """The laid-out cover letter, for the letter's envelope (DL if none is
    named). A letter that runs over a page is laid out again with numbered
    pages, so the reader knows there is more."""
    envelope = letter.envelope or "DL"
    window = window_address_size(letter.address_lines, setup, envelope)
    html = letter_html(code, setup, letter, fmt, size, window)

    def laid_out(numbered: bool) -> Any:
        key = f"letter {fmt.model_dump_json()} {size} {envelope} {window} {numbered}"
        css = weasy.stylesheet(setup, key, lambda: letter_css(setup, fmt, size, envelope,
                                                              window, numbered))
        return weasy.layout(html, setup, css)

    doc = laid_out(numbered=False)
    return doc if len(doc.pages) == 1 else laid_out(numbered=True)


def sheets(pages: int, sides: str) -> int:
    """Sheets of paper for a number of pages printed single- or double-sided."""
    return pages if sides == "single" else (pages + 1) // 2


def envelope_for(setup: Setup, fmt: FormatSettings, total_sheets: int,
                 asked: Envelope | None = None) -> Envelope:
    """The window envelope for a copy of ``total_sheets`` sheets, letter
    included: the one asked for (or the letter settings' choice), or with
    "auto" DL (folded in three) unless the copy is too thick to fold, then C4.
    Raises EnvelopeError if DL is asked for a copy too thick to fold."""
    chosen = asked or setup.settings.letter.envelope
    too_thick = too_thick_to_fold(fmt, total_sheets)
    if chosen == "auto":
        return "C4" if too_thick else "DL"
    if chosen == "DL" and too_thick:
        # Never "choose a smaller size": the size is the reader's need.
        double = ", or print it double-sided" if fmt.sides == "single" else ""
        raise EnvelopeError(
            f"the copy is {total_sheets} sheets with its letter, too thick to fold into a "
            f"DL envelope (at most {fmt.fold_max_sheets} sheets); send it flat in a C4 "
            f"envelope{double}")
    return chosen


def too_thick_to_fold(fmt: FormatSettings, total_sheets: int) -> bool:
    """Whether a copy of this many sheets is too thick to fold in three."""
    return fmt.fold_max_sheets is not None and total_sheets > fmt.fold_max_sheets


def copy_letter(code: Code, setup: Setup, letter: Letter, fmt: FormatSettings, size: int,
                code_pages: int) -> Any:
    """The laid-out letter of a copy whose Code takes ``code_pages`` pages,
    for the envelope the whole copy needs."""
    code_sheets = sheets(code_pages, fmt.sides)
    # Laid out first for the envelope a one-sheet letter would need (most
    # letters are one sheet), and again only if the letter turns out longer
    # and that changes the envelope.
    guess = envelope_for(setup, fmt, code_sheets + 1, letter.envelope)
    first = letter_document(code, setup, replace(letter, envelope=guess), fmt, size)
    total = sheets(len(first.pages), fmt.sides) + code_sheets
    envelope = envelope_for(setup, fmt, total, letter.envelope)
    if envelope == guess:
        return first
    return letter_document(code, setup, replace(letter, envelope=envelope), fmt, size)


def letter_pdf(code: Code, setup: Setup, letter: Letter, fmt: FormatSettings,
               size: int) -> bytes:
    """The cover letter alone as a tagged PDF (for a braille, digital or audio
    copy), for a DL envelope unless the letter says otherwise."""
    doc = letter_document(code, setup, letter, fmt, size)
    return weasy.pdf_bytes([doc], letter_pages=len(doc.pages))
