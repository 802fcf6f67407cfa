"""On-request copies: one customer's large-print, standard-print or braille
copy, with a cover letter addressed to them, and batch print runs.

Every request is checked in full before anything is rendered, so a bad size,
an address that will not fit the envelope window or a character the font
cannot show is reported with nothing written. The copy itself comes from the
format's renderer in the registry, with the copy's settings (size, grade,
cells, lines) and its cover letter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .. import renderers
from ..engines import pdf
from ..errors import UsageError
from ..model import Code
from ..output import check_writable_dir, write_atomic
from ..renderers import Artifact, RenderContext
from ..resources import resources
from ..settings import FormatSettings, Settings

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
    settings: Settings
    """The settings with the copy's own size, grade, cells and lines."""


def formats() -> list[str]:
    """The formats a copy can be made in (from the renderer registry)."""
    return [f.name for f in renderers.copy_formats()]


def check(request: Request, settings: Settings, today: dt.date | None = None) -> Checked:
    """Check a request completely. Raises a CopyRequestError naming what is
    wrong and how to fix it."""
    if request.format not in formats():
        raise CopyRequestError(f"unknown format '{request.format}'; choose from "
                               f"{', '.join(formats())}", "format")
    setup = pdf.Setup(resources(settings), settings.print)
    pdf_formats = settings.print.formats
    letter_fmt = request.format if request.format in pdf_formats else "large-print"
    size = check_size(pdf_formats[letter_fmt], request.size)
    letter = None
    if request.name is not None or request.address is not None:
        lines = recipient_lines(request.name, request.address, setup)
        reference = _clean(request.reference)
        if reference:
            _check_chars("reference", reference, setup.body_fonts)
            _check_reference_fits(reference, size, setup)
        letter = pdf.Letter(lines[0], lines, reference or None, today or dt.date.today())
    elif request.reference:
        raise AddressError("--reference goes on the cover letter; give --name and "
                           "--address too, or leave --reference out", "reference")
    return Checked(request, size, letter, _copy_settings(request, settings, letter_fmt, size))


def _braille_options(settings: Settings, braille: dict[str, int]) -> Settings:
    """The settings with a copy's grade, cells and lines, checked here rather
    than when the braille is rendered (where a batch would have written copies)."""
    from ..settings.braille import BrailleSettingsError

    try:
        return settings.model_copy(update={"braille": settings.braille.with_options(**braille)})
    except BrailleSettingsError as exc:
        message = str(exc).removeprefix("braille copy option: ")
        field = next((f for f in ("grade", "cells", "lines") if message.startswith(f"{f} = ")),
                     "")
        raise CopyRequestError(message, field) from None


def _copy_settings(request: Request, settings: Settings, letter_fmt: str,
                   size: int) -> Settings:
    braille = {k: v for k, v in (("grade", request.grade), ("cells", request.cells),
                                 ("lines", request.lines)) if v is not None}
    if request.format == "braille" and braille:
        settings = _braille_options(settings, braille)
    formats = dict(settings.print.formats)
    formats[letter_fmt] = formats[letter_fmt].model_copy(update={"size": size})
    return settings.model_copy(
        update={"print": settings.print.model_copy(update={"formats": formats})})


def check_size(fmt: FormatSettings, size: int | None) -> int:
    """The size to use; raises SizeError for one the format does not offer."""
    if size is None:
        return fmt.size
    if size not in fmt.sizes:
        choices = ", ".join(str(s) for s in fmt.sizes[:-1]) + f" or {fmt.sizes[-1]}"
        raise SizeError(f"size {size} is not offered for {fmt.name}; choose {choices}")
    return size


def recipient_lines(name: str | None, address: str | None,
                    setup: pdf.Setup) -> tuple[str, ...]:
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
    _check_chars("name", name, setup.body_fonts)
    _check_chars("address", "\n".join(lines), setup.address_fonts)
    _check_fit(lines, setup)
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


def _check_fit(lines: list[str], setup: pdf.Setup) -> None:
    letter = setup.settings.letter
    block = letter.address_block
    line_mm = letter.address_size_pt * letter.address_line_height * 25.4 / 72
    most = int(block.height_mm // line_mm)
    if len(lines) > most:
        raise AddressError(f"the address has {len(lines)} lines with the name; at most "
                           f"{most} fit in the envelope window; join some lines with commas")
    font = setup.address_fonts[0]
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


def _check_reference_fits(reference: str, size: int, setup: pdf.Setup) -> None:
    """A reference may break after - / . @ and at spaces (see engines.html);
    a piece between two break points wider than the letter's heading column
    would be cut off at the page edge, so it is refused here, before rendering."""
    from ..engines.html import BREAK_AFTER

    if len(reference) > MAX_REFERENCE:
        raise ReferenceFitError(f"the reference is {len(reference)} characters long; at most "
                                f"{MAX_REFERENCE} fit on the letter; shorten it")
    room = pdf.letter_head_width_mm(setup.settings)
    font = setup.body_fonts[0]
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
    most = MAX_REFERENCE_LINES if size <= setup.settings.letter.sender_address_max_size else 1
    if lines > most:
        raise ReferenceFitError(f"the reference takes {lines} lines at {size} point; at most "
                                f"{most} fit on the one-page letter; shorten it or choose a "
                                "smaller size")


def _check_chars(field: str, text: str, fonts: list[Path]) -> None:
    bad = pdf.missing_chars(text, fonts)
    if bad:
        raise CharacterError(f"the {field} contains {pdf.describe_chars(bad)}, which the "
                             "print font cannot show; type it with ordinary letters", field)


# --- producing copies ------------------------------------------------------

def make_copy(code: Code, checked: Checked) -> list[Artifact]:
    """A checked request rendered by its format's renderer: the copy and the
    files that go with it (each with its copy_suffix)."""
    render = renderers.get(checked.request.format)
    made = render(code, checked.settings, RenderContext(letter=checked.letter))
    return [a for a in made if a.copy_suffix is not None]


def copy_path(out: Path, item: Artifact, main: Artifact) -> Path:
    """Where an artifact of a copy goes: the main file at ``out``, the others
    beside it, e.g. smith-letter.pdf beside smith.brf."""
    if item is main:
        return out
    return out.with_name(out.stem + (item.copy_suffix or ""))


def write_copy(code: Code, request: Request, out: Path, settings: Settings, *,
               today: dt.date | None = None) -> list[Path]:
    """Check, render and write one copy to ``out``; return the files written.
    Everything is rendered before anything is written."""
    checked = check(request, settings, today)
    check_writable_dir(out.parent)  # before the render, not after a second's work
    return write_artifacts(make_copy(code, checked), out)


def write_artifacts(made: list[Artifact], out: Path) -> list[Path]:
    """Write a copy's artifacts: the first at ``out``, the others beside it."""
    return [write_atomic(copy_path(out, item, made[0]), item.data()) for item in made]


def letter_path(out: Path) -> Path:
    """Where the cover letter of a braille copy goes: beside it, NAME-letter.pdf."""
    return out.with_name(out.stem + LETTER_SUFFIX)
