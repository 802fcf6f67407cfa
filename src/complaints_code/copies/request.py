"""On-request copies: one customer's large-print, standard-print or braille
copy, with a cover letter addressed to them, and batch print runs.

Every request is checked in full before anything is rendered, so a bad size,
an address that will not fit the envelope window or a character the font
cannot show is reported with nothing written. PDFs come from
:mod:`complaints_code.renderers.pdf`; braille from the braille renderer's
``write_copy``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..engines import pdf
from ..errors import UsageError
from ..model import Code
from ..output import check_writable_dir, write_atomic

PDF_FORMATS = ("large-print", "print")
FORMATS = (*PDF_FORMATS, "braille")
LETTER_SUFFIX = "-letter.pdf"
ADDRESS_SEPARATORS = re.compile(r"\s*(?:\r?\n|;)\s*")
# Royal Mail's postcode shapes (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA,
# AA9A 9AA) and the one odd one out, GIR 0AA.
POSTCODE = re.compile(r"^(?:([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})|(GIR) ?(0AA))$")


class CopyRequestError(UsageError):
    """A copy was asked for with something that cannot be printed as asked.
    ``field`` names the request field at fault (a batch column), if one is."""

    field = ""

    def __init__(self, message: str, field: str | None = None):
        if field is not None:
            self.field = field
        super().__init__(message)


class SizeError(CopyRequestError):
    """A print size the format does not offer."""

    field = "size"


class AddressError(CopyRequestError):
    """A name or address that cannot go in the envelope window."""

    field = "address"


class PostcodeError(AddressError):
    """The address does not end with a UK postcode."""


class ReferenceFitError(CopyRequestError):
    """A customer reference that cannot fit on the letter."""

    field = "reference"


class CharacterError(CopyRequestError):
    """Text the shipped font has no glyph for."""


@dataclass(frozen=True)
class Request:
    """One copy to produce, as the CLI or a batch file asks for it."""

    format: str = "large-print"
    size: int | None = None
    """Body size in points; None for the format's default."""
    name: str | None = None
    address: str | None = None
    """Address lines separated by newlines (or semicolons), postcode last."""
    reference: str | None = None
    grade: int | None = None
    cells: int | None = None
    lines: int | None = None
    out: Path | None = None
    """Where to write it (batch: a file name inside the output folder)."""
    where: str = ""
    """Where a batch request came from (e.g. "requests.csv:line 3"), for messages."""


@dataclass(frozen=True)
class Checked:
    """A request that passed every check, ready to render."""

    request: Request
    size: int
    letter: pdf.Letter | None


def check(request: Request, templates: Path, today: dt.date | None = None) -> Checked:
    """Check a request completely. Raises a CopyRequestError naming what is
    wrong and how to fix it."""
    if request.format not in FORMATS:
        raise CopyRequestError(f"unknown format '{request.format}'; choose from "
                               f"{', '.join(FORMATS)}", "format")
    if request.format == "braille":
        _check_braille_options(request, templates)
    letter_fmt = "large-print" if request.format == "braille" else request.format
    fmt = pdf.settings(templates).formats[letter_fmt]
    size = check_size(fmt, request.size)
    letter = None
    if request.name is not None or request.address is not None:
        lines = recipient_lines(request.name, request.address, templates)
        reference = _clean(request.reference)
        if reference:
            _check_chars("reference", reference, _body_fonts(templates))
            _check_reference_fits(reference, size, templates)
        letter = pdf.Letter(lines[0], lines, reference or None, today or dt.date.today())
    elif request.reference:
        raise AddressError("--reference goes on the cover letter; give --name and "
                           "--address too, or leave --reference out", "reference")
    return Checked(request, size, letter)


def _check_braille_options(request: Request, templates: Path) -> None:
    """Grade, cells and lines in range, checked here rather than when the
    braille is rendered (where a batch would already have written copies)."""
    from ..engines.braille.settings import BrailleSettingsError, load_settings

    try:
        load_settings(templates).with_options(grade=request.grade, cells=request.cells,
                                              lines=request.lines)
    except BrailleSettingsError as exc:
        field = next((f for f in ("grade", "cells", "lines") if f" {f} = " in str(exc)), "")
        message = str(exc).removeprefix("braille copy option: ")
        raise CopyRequestError(message, field) from None


def check_size(fmt: pdf.FormatSettings, size: int | None) -> int:
    """The size to use; raises SizeError for one the format does not offer."""
    if size is None:
        return fmt.size
    if size not in fmt.sizes:
        choices = ", ".join(str(s) for s in fmt.sizes[:-1]) + f" or {fmt.sizes[-1]}"
        raise SizeError(f"size {size} is not offered for {fmt.name}; choose {choices}")
    return size


def recipient_lines(name: str | None, address: str | None,
                    templates: Path) -> tuple[str, ...]:
    """The envelope address: the name, the address lines and the postcode
    (normalised to capitals with one space). Raises AddressError,
    PostcodeError or CharacterError."""
    name = _clean(name)
    parts = [_clean(part) for part in ADDRESS_SEPARATORS.split(address or "")]
    if not name or not any(parts):
        raise AddressError("a cover letter needs both --name and --address "
                           "(address lines separated by new lines or semicolons)")
    lines = [name, *(part for part in parts if part)]
    lines[-1] = _postcode(lines[-1])
    letter = pdf.settings(templates).letter
    _check_chars("name", name, _body_fonts(templates))
    _check_chars("address", "\n".join(lines), _address_fonts(templates))
    _check_fit(lines, letter, templates)
    return tuple(lines)


def _clean(text: str | None) -> str:
    """One line of text with runs of spaces (and stray tabs) made single."""
    return " ".join((text or "").split())


def _postcode(line: str) -> str:
    m = POSTCODE.match(" ".join(line.upper().split()))
    if m is None:
        raise PostcodeError(f"the last address line “{line}” is not a UK postcode; "
                            "put the postcode (for example SW19 2TJ) on a line of its own, last")
    outward, inward = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return f"{outward} {inward}"


def _check_fit(lines: list[str], letter: pdf.LetterSettings, templates: Path) -> None:
    block = letter.address_block
    line_mm = letter.address_size_pt * letter.address_line_height * 25.4 / 72
    most = int(block.height_mm // line_mm)
    if len(lines) > most:
        raise AddressError(f"the address has {len(lines)} lines with the name; at most "
                           f"{most} fit in the envelope window; join some lines with commas")
    font = _address_fonts(templates)[0]
    for number, line in enumerate(lines, start=1):
        width = pdf.text_width_mm(line, font, letter.address_size_pt)
        if width > block.width_mm:
            raise AddressError(f"address line {number} “{line}” is {width:.0f} mm wide; the "
                               f"envelope window takes {block.width_mm:g} mm; shorten it or "
                               "split it over two lines")


MAX_REFERENCE = 40
"""Longest reference accepted: a case reference, not a sentence."""
MAX_REFERENCE_LINES = 2
"""Most lines a reference may take; one above the size where the letterhead
drops the sender's address (sender_address_max_size), where the one-page
letter has no room to spare."""


def _check_reference_fits(reference: str, size: int, templates: Path) -> None:
    """A reference may break after - / . @ and at spaces (see engines.html);
    a piece between two break points wider than the letter's heading column
    would be cut off at the page edge, so it is refused here, before rendering."""
    from ..engines.html import BREAK_AFTER

    if len(reference) > MAX_REFERENCE:
        raise ReferenceFitError(f"the reference is {len(reference)} characters long; at most "
                             f"{MAX_REFERENCE} fit on the letter; shorten it")
    room = pdf.letter_head_width_mm(templates)
    font = _body_fonts(templates)[0]
    space = pdf.text_width_mm(" ", font, size)
    lines, used = 1, 0.0
    for word in reference.split():
        used += space if used else 0.0  # a space at the end of a line takes no room
        for piece in BREAK_AFTER.split(word):
            width = pdf.text_width_mm(piece, font, size)
            if width > room:
                raise ReferenceFitError(
                    f"the reference part “{piece}” is {width:.0f} mm wide at {size} point; "
                    f"the letter has {room:g} mm for it; shorten it, add hyphens where it "
                    "may break, or choose a smaller size")
            if used + width > room:
                lines, used = lines + 1, 0.0
            used += width
    most = MAX_REFERENCE_LINES if size <= pdf.settings(templates).letter \
        .sender_address_max_size else 1
    if lines > most:
        raise ReferenceFitError(f"the reference takes {lines} lines at {size} point; at most "
                                f"{most} fit on the one-page letter; shorten it or choose a "
                                "smaller size")


def _check_chars(field: str, text: str, fonts: list[Path]) -> None:
    bad = pdf.missing_chars(text, fonts)
    if bad:
        raise CharacterError(f"the {field} contains {pdf.describe_chars(bad)}, which the "
                             "print font cannot show; type it with ordinary letters", field)


def _body_fonts(templates: Path) -> list[Path]:
    return [pdf.font_path(templates, f) for f in pdf.settings(templates).body_fonts]


def _address_fonts(templates: Path) -> list[Path]:
    return [pdf.font_path(templates, f) for f in pdf.settings(templates).address_fonts]


# --- producing copies ------------------------------------------------------

def render_pdf(code: Code, checked: Checked, templates: Path) -> bytes:
    """A checked PDF request as PDF bytes: the letter (if any), then the Code."""
    fmt = pdf.settings(templates).formats[checked.request.format]
    return pdf.code_pdf(code, templates, fmt, checked.size, checked.letter)


def write_copy(code: Code, request: Request, out: Path, *, templates: Path = Path("templates"),
               today: dt.date | None = None) -> list[Path]:
    """Check and write one copy to ``out``; return the files written. For
    braille, the large-print cover letter goes beside it as NAME-letter.pdf."""
    checked = check(request, templates, today)
    check_writable_dir(out.parent)  # before the render, not after a second's work
    if request.format != "braille":
        return [write_atomic(out, render_pdf(code, checked, templates))]
    return write_braille(code, checked, out, templates)


def write_braille(code: Code, checked: Checked, out: Path, templates: Path) -> list[Path]:
    """Write a checked braille request (and its cover letter, if any)."""
    from ..renderers import braille  # liblouis is only needed for braille copies

    r = checked.request
    options = {k: v for k, v in (("grade", r.grade), ("cells", r.cells), ("lines", r.lines))
               if v is not None}
    letter_bytes = _letter_bytes(code, checked, templates) if checked.letter else None
    written: list[Path] = braille.write_copy(code, out, templates=templates, **options)
    if letter_bytes is not None:
        written.append(write_atomic(letter_path(out), letter_bytes))
    return written


def letter_path(out: Path) -> Path:
    """Where the cover letter of a braille copy goes: beside it, NAME-letter.pdf."""
    return out.with_name(out.stem + LETTER_SUFFIX)


def _letter_bytes(code: Code, checked: Checked, templates: Path) -> bytes:
    assert checked.letter is not None
    fmt = pdf.settings(templates).formats["large-print"]
    doc = pdf.letter_document(code, templates, checked.letter, fmt, checked.size)
    return pdf.pdf_bytes([doc])


def write_letter(code: Code, name: str, address: str, size: int, out_path: Path, *,
                 reference: str | None = None, templates: Path = Path("templates"),
                 today: dt.date | None = None) -> Path:
    """Write the large-print cover letter alone (for a braille copy, say)."""
    request = Request("large-print", size, name, address, reference)
    checked = check(request, templates, today)
    return write_atomic(out_path, _letter_bytes(code, checked, templates))
