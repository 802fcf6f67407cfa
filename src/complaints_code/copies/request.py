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
from typing import TypeVar

from .. import renderers
from ..engines import fonts
from ..engines.pdf import render as pdf
from ..errors import UsageError
from ..output import check_writable_dir, write_atomic
from ..renderers import Artifact, RenderContext
from ..resources import resources
from ..settings import DocxSettings, FormatSettings, Settings
from ..structure.model import Code

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


class OptionError(CopyRequestError):
    """An option that does not apply to the format, or a choice it does not offer."""


OPTION_FLAGS = {"size": "--size", "grade": "--grade", "cells": "--cells", "lines": "--lines",
                "font": "--font", "bold": "--bold", "line_spacing": "--line-spacing",
                "sides": "--sides", "paper": "--paper", "envelope": "--envelope"}
"""Each copy option's command-line flag (a batch file's column is the option's name)."""
SIDES = ("single", "double")
ENVELOPES = ("DL", "C4")
TITLES = {t.lower(): t for t in (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Master", "Dr", "Prof", "Professor", "Rev", "Revd",
    "Reverend", "Fr", "Father", "Sister", "Sr", "Canon", "Rabbi", "Imam", "Sir", "Dame",
    "Lord", "Lady", "Baroness", "Baron", "Capt", "Captain", "Major", "Col", "Colonel",
    "Cllr", "Councillor", "Hon", "Judge")}
"""Titles recognised at the start of a name, by their lower-case spelling
(without a full stop), for the salutation."""
FIRST_NAME_TITLES = frozenset(("Sir", "Dame", "Father", "Fr", "Sister", "Sr"))
"""Titles used with the given name: "Dear Sir Ian", "Dear Dame Judi"."""
SURNAME_PARTICLES = frozenset((
    "ó", "o'", "ní", "nic", "mac", "mc", "uí", "ua", "ap", "ab", "ferch", "de", "da", "di",
    "du", "del", "della", "des", "la", "le", "van", "von", "der", "den", "ter", "ten",
    "st", "st.", "bin", "bint", "al", "el", "dos", "das"))
"""Words that start a surname of more than one word: Ó Briain, ap Rhys, van der Berg."""


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
    salutation: str | None = None
    """The letter's greeting ("Dear Rajinder"); None: from the name's title and
    surname ("Dear Mr Singh-Thompson"), or "Dear customer"."""
    font: str | None = None
    """A font family of print.font_choices; None: the usual one."""
    bold: bool | None = None
    """Bold body text; None: the format's setting."""
    line_spacing: float | None = None
    """Line spacing (1.5 …); None: the format's setting."""
    sides: str | None = None
    """"single" or "double"; None: the format's setting."""
    paper: str | None = None
    """The paper tint for the print room; None: the format's setting."""
    envelope: str | None = None
    """"DL" or "C4"; None: the letter settings' choice."""
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
    """The settings with the copy's own size, grade, cells and lines, font,
    bold, line spacing, sides, paper and envelope."""

    @property
    def format(self) -> FormatSettings | None:
        """The copy's print format settings (None for braille and other formats)."""
        return self.settings.print.formats.get(self.request.format)


def formats() -> list[str]:
    """The formats a copy can be made in (from the renderer registry)."""
    return [f.name for f in renderers.copy_formats()]


def check(request: Request, settings: Settings, today: dt.date | None = None) -> Checked:
    """Check a request completely. Raises a CopyRequestError naming what is
    wrong and how to fix it."""
    if request.format not in formats():
        raise CopyRequestError(f"unknown format '{request.format}'; choose from "
                               f"{', '.join(formats())}", "format")
    check_options(request)
    check_out_name(request)
    pdf_formats = settings.print.formats
    letter_fmt = request.format if request.format in pdf_formats else "large-print"
    sized = settings.docx if request.format == "docx" else pdf_formats[letter_fmt]
    size = check_size(sized, request.size)
    settings = _copy_settings(request, settings, letter_fmt, size)
    setup = pdf.Setup(resources(settings), settings.print)
    letter = None
    if request.name is not None or request.address is not None:
        lines = recipient_lines(request.name, request.address, setup)
        reference = _clean(request.reference)
        if reference:
            _check_chars("reference", reference, setup)
            _check_reference_fits(reference, size, setup)
        greeting = salutation(lines[0], request.salutation)
        _check_chars("salutation", greeting, setup)
        letter = pdf.Letter(lines[0], lines, reference or None, today or dt.date.today(),
                            salutation=greeting,
                            format_words=format_words(request.format, settings, size),
                            envelope=request.envelope)  # type: ignore[arg-type]
    elif request.reference or request.salutation:
        flag = "--reference" if request.reference else "--salutation"
        raise AddressError(f"{flag} goes on the cover letter; give --name and "
                           f"--address too, or leave {flag} out", flag.removeprefix("--"))
    return Checked(request, size, letter, settings)


def check_options(request: Request) -> None:
    """Raise OptionError for an option the format does not take."""
    offered = renderers.REGISTRY[request.format].options
    for option, flag in OPTION_FLAGS.items():
        if getattr(request, option) is not None and option not in offered:
            takes = [OPTION_FLAGS[o] for o in offered]
            what = (", ".join(takes[:-1]) + f" and {takes[-1]}" if len(takes) > 1
                    else "".join(takes)) or "no options"
            raise OptionError(f"{flag} does not apply to a {request.format} copy; leave it "
                              f"out ({request.format} takes {what})")


def check_out_name(request: Request) -> None:
    """Raise OptionError if the copy's file name does not end as its format's
    files do (``--format braille --out x.pdf``)."""
    ending = renderers.REGISTRY[request.format].extension
    out = request.out
    if out is None or not ending or out.name.lower().endswith(ending):
        return
    better = out.with_name(out.stem + ending).name if out.suffix else out.name + ending
    raise OptionError(f"a {request.format} copy is a {ending} file, but the file name "
                      f"“{out.name}” ends otherwise; name it {better}")


def format_words(fmt: str, settings: Settings, size: int) -> str:
    """The format sent, as the cover letter names it: "large print, 24 point",
    "standard print", "braille, grade 2", or the registry's label."""
    if fmt == "braille":
        return f"braille, grade {settings.braille.grade}"
    if fmt == "large-print":
        return f"{settings.print.formats[fmt].short_label}, {size} point"
    if fmt in settings.print.formats:
        return settings.print.formats[fmt].short_label
    label = renderers.REGISTRY[fmt].label
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def salutation(name: str, explicit: str | None = None) -> str:
    """The letter's greeting: an explicit one ("Dear Rajinder", or "Rajinder"
    with "Dear" added), else from a title and surname ("Mr Rajinder
    Singh-Thompson": "Dear Mr Singh-Thompson"; "Sir Ian McKellen": "Dear Sir
    Ian"), else "Dear customer" (a name without a recognised title)."""
    given = _clean(explicit).rstrip(",").strip()
    if given:
        return given if given.lower().startswith("dear ") else f"Dear {given}"
    title, rest = split_title(name)
    if title is None or not rest:
        return "Dear customer"
    if title in FIRST_NAME_TITLES:
        return f"Dear {title} {rest[0]}"
    return f"Dear {title} {' '.join(surname(rest))}"


def split_title(name: str) -> tuple[str | None, list[str]]:
    """A name's recognised title (as usually written, e.g. "Dr") and its other words."""
    words = _clean(name).split()
    if words and words[0].lower().rstrip(".") in TITLES:
        return TITLES[words[0].lower().rstrip(".")], words[1:]
    return None, words


def surname(words: list[str]) -> list[str]:
    """The surname's words among a name's words (after any title): the last
    word, or from a particle such as Ó, ap, van or de that starts it."""
    for n, word in enumerate(words[1:], start=1):
        if word.lower() in SURNAME_PARTICLES:
            return words[n:]
    return words[-1:]


def with_initials(name: str) -> str:
    """A name with its given names as initials: "Mr R Singh-Thompson"."""
    title, words = split_title(name)
    family = surname(words) if len(words) > 1 else words
    initials = [w[0].upper() for w in words[:len(words) - len(family)]]
    return " ".join([*([title] if title else []), *initials, *family])


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
    """The settings with the copy's own choices applied (each checked)."""
    braille = {k: v for k, v in (("grade", request.grade), ("cells", request.cells),
                                 ("lines", request.lines)) if v is not None}
    if request.format == "braille" and braille:
        settings = _braille_options(settings, braille)
    if request.format == "docx":
        settings = settings.model_copy(
            update={"docx": settings.docx.model_copy(update={"size": size})})
    p = settings.print
    fmt = p.formats[letter_fmt]
    update: dict[str, object] = {"size": size}
    if request.bold is not None:
        update["bold"] = request.bold
    if request.line_spacing is not None:
        update["line_spacing"] = _choice("line spacing", request.line_spacing,
                                         fmt.line_spacings, fmt.name)
    if request.sides is not None:
        update["sides"] = _choice("sides", request.sides, SIDES, fmt.name)
    if request.paper is not None:
        update["paper_tint"] = _choice("paper", request.paper.lower(), p.paper_tints,
                                       fmt.name)
    formats = {**p.formats, letter_fmt: fmt.model_copy(update=update)}
    print_update: dict[str, object] = {"formats": formats}
    if request.font is not None:
        family = _choice("font", request.font, tuple(p.font_choices), fmt.name)
        print_update["body_fonts"] = p.font_choices[family].files
    if request.envelope is not None:
        envelope = _choice("envelope", request.envelope.upper(), ENVELOPES, fmt.name)
        print_update["letter"] = p.letter.model_copy(update={"envelope": envelope})
    return settings.model_copy(update={"print": p.model_copy(update=print_update)})


_T = TypeVar("_T", str, float)


def _choice(what: str, value: _T, offered: tuple[_T, ...], fmt: str) -> _T:
    if value not in offered:
        shown = [f"{v:g}" if isinstance(v, float) else str(v) for v in offered]
        choices = ", ".join(shown[:-1]) + f" or {shown[-1]}"
        shown_value = f"{value:g}" if isinstance(value, float) else value
        raise OptionError(f"{what} {shown_value} is not offered for {fmt}; choose {choices}")
    return value


def check_size(fmt: FormatSettings | DocxSettings, size: int | None) -> int:
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
    _check_chars("name", name, setup)
    _check_chars("address", "\n".join(lines), setup, address=True)
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
    # "auto" may choose either envelope; the DL window is the narrower.
    block = letter.geometry("C4" if letter.envelope == "C4" else "DL")[0]
    line_mm = letter.address_size_pt * letter.address_line_height * 25.4 / 72
    most = int(block.height_mm // line_mm)
    if len(lines) > most:
        raise AddressError(f"the address has {len(lines)} lines with the name; at most "
                           f"{most} fit in the envelope window; join some lines with commas")
    font = setup.address_fonts[0]
    for number, line in enumerate(lines, start=1):
        width = fonts.text_width_mm(line, font, letter.address_size_pt)
        if width <= block.width_mm:
            continue
        if number == 1:
            raise AddressError(
                f"the name “{line}” is {width:.0f} mm wide; the envelope window takes "
                f"{block.width_mm:g} mm, and a name cannot be split over two lines; give the "
                f"given names as initials (“{with_initials(line)}”) or leave out a middle name")
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
    space = fonts.text_width_mm(" ", font, size)
    lines, used = 1, 0.0
    for word in reference.split():
        used += space if used else 0.0  # a space at the end of a line takes no room
        for piece in BREAK_AFTER.split(word):
            width = fonts.text_width_mm(piece, font, size)
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


def _check_chars(field: str, text: str, setup: pdf.Setup, *, address: bool = False) -> None:
    bad = setup.missing_address(text) if address else setup.missing_body(text)
    if bad:
        raise CharacterError(f"the {field} contains {fonts.describe_chars(bad)}, which the "
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


# --- the print room's instructions ----------------------------------------

def job_sheet(checked: Checked, made: list[Artifact]) -> str:
    """What the print room needs to know about a made copy, in one line: sides,
    paper, sheets and envelope, e.g. "print double-sided on pale yellow paper
    (A4, matt …); 5 sheets; do not fold: C4 window envelope"."""
    p = checked.settings.print
    fmt = checked.format
    if fmt is None:  # braille and other formats: only the letter is printed
        if checked.letter is None:
            return "nothing to print"
        letter_fmt = p.formats["large-print"]
        return (f"print the letter single-sided on {letter_fmt.paper_tint} paper "
                f"({p.paper_stock}); {_envelope_words(checked.letter.envelope or 'DL')}, with the "
                f"{checked.request.format} copy")
    pages = _pages(made[0].data())
    sheets = pdf.sheets(pages, fmt.sides)
    words = [f"print {fmt.sides}-sided on {fmt.paper_tint} paper ({p.paper_stock})",
             f"{sheets} sheet{'s' * (sheets != 1)}"]
    if checked.letter is not None:
        envelope = checked.letter.envelope or pdf.envelope_for(
            pdf.Setup(resources(checked.settings), p), fmt, sheets)
        words.append(_envelope_words(envelope))
    return "; ".join(words)


def _envelope_words(envelope: str) -> str:
    return ("fold in three, address outwards, into a DL window envelope" if envelope == "DL"
            else "do not fold: a C4 window envelope")


def _pages(data: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as doc:
        return len(doc.pages)
