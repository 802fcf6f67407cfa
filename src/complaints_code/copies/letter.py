"""A copy's cover letter: who it is addressed to and whether that fits the
envelope window, the greeting, the words naming the format sent, and the
print room's one-line instructions for a made copy."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pikepdf

from ..engines import fonts
from ..engines.html import BREAK_AFTER
from ..engines.pdf import render as pdf
from ..renderers import REGISTRY, Artifact
from ..resources import Resources, caches, resources
from ..settings import Settings
from .errors import AddressError, CharacterError, PostcodeError, ReferenceFitError

if TYPE_CHECKING:
    from .request import CopyRequest

ADDRESS_SEPARATORS = re.compile(r"\s*(?:\r?\n|;)\s*")
# Royal Mail's postcode shapes (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA,
# AA9A 9AA) and the one odd one out, GIR 0AA.
POSTCODE = re.compile(r"^(?:([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})|(GIR) ?(0AA))$")


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


def format_words(fmt: str, settings: Settings, size: int) -> str:
    """The format sent, as the cover letter names it: "large print, 24 point",
    "standard print", "braille, grade 2", or the registry's label."""
    if fmt == "braille":
        return f"braille, grade {settings.braille.grade}"
    if fmt == "large-print":
        return f"{settings.print.formats[fmt].short_label}, {size} point"
    if fmt in settings.print.formats:
        return settings.print.formats[fmt].short_label
    label = REGISTRY[fmt].label
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def salutation(name: str, explicit: str | None = None) -> str:
    """The letter's greeting: an explicit one ("Dear Rajinder", or "Rajinder"
    with "Dear" added), else from a title and surname ("Mr Rajinder
    Singh-Thompson": "Dear Mr Singh-Thompson"; "Sir Ian McKellen": "Dear Sir
    Ian"), else "Dear customer" (a name without a recognised title)."""
    given = clean_line(explicit).rstrip(",").strip()
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
    words = clean_line(name).split()
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


def recipient_lines(name: str | None, address: str | None,
                    setup: pdf.Setup) -> tuple[str, ...]:
    """The envelope address: the name, the address lines and the postcode
    (normalised to capitals with one space). Raises AddressError,
    PostcodeError or CharacterError."""
    name = clean_line(name)
    parts = [clean_line(part) for part in ADDRESS_SEPARATORS.split(address or "")]
    if not name or not any(parts):
        raise AddressError("a cover letter needs both a name and an address "
                           "(address lines separated by new lines or semicolons)")
    lines = [name, *(part for part in parts if part)]
    lines[-1] = _postcode(lines[-1])
    check_chars("name", name, setup)
    check_chars("address", "\n".join(lines), setup, address=True)
    _check_fit(lines, setup)
    return tuple(lines)


def clean_line(text: str | None) -> str:
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
    face = letter_fonts(setup).address_metrics
    for number, line in enumerate(lines, start=1):
        width = face.width_mm(line, letter.address_size_pt)
        if width <= block.width_mm:
            continue
        if number == 1:
            raise AddressError(
                f"the name “{line}” is {width:.0f} mm wide; the envelope window takes "
                f"{block.width_mm:g} mm, and a name cannot be split over two lines; give the "
                f"given names as initials (“{with_initials(line)}”) or leave out a middle name",
                "name")
        raise AddressError(f"address line {number} “{line}” is {width:.0f} mm wide; the "
                           f"envelope window takes {block.width_mm:g} mm; shorten it or "
                           "split it over two lines")


MAX_REFERENCE = 40
"""Longest reference accepted: a case reference, not a sentence."""
MAX_REFERENCE_LINES = 2
"""Most lines a reference may take in the letter's heading column."""


def check_reference_fits(reference: str, size: int, setup: pdf.Setup) -> None:
    """A reference may break after - / . @ and at spaces (see engines.html);
    a piece between two break points wider than the letter's heading column
    would be cut off at the page edge, so it is refused here, before rendering."""
    if len(reference) > MAX_REFERENCE:
        raise ReferenceFitError(f"the reference is {len(reference)} characters long; at most "
                                f"{MAX_REFERENCE} fit on the letter; shorten it")
    room = pdf.letter_head_width_mm(setup.settings)
    face = letter_fonts(setup).body_metrics
    space = face.width_mm(" ", size)
    lines, used = 1, 0.0
    for word in reference.split():
        used += space if used else 0.0  # a space at the end of a line takes no room
        for piece in BREAK_AFTER.split(word):
            width = face.width_mm(piece, size)
            if width > room:
                raise ReferenceFitError(
                    f"the reference part “{piece}” is {width:.0f} mm wide at {size} point; "
                    f"the letter has {room:g} mm for it; shorten it, add hyphens where it "
                    "may break, or choose a smaller size")
            if used + width > room:
                lines, used = lines + 1, 0.0
            used += width
    if lines > MAX_REFERENCE_LINES:
        raise ReferenceFitError(f"the reference takes {lines} lines at {size} point; at most "
                                f"{MAX_REFERENCE_LINES} fit beside the envelope window; "
                                "shorten it or choose a smaller size")


@dataclass(frozen=True)
class LetterFonts:
    """What the letter's checks need of its fonts: which characters the body
    and address fonts (with their fallbacks) can show, and their widths."""

    body: fonts.Coverage
    address: fonts.Coverage
    body_metrics: fonts.Metrics
    """The regular body font's widths (the reference in the heading)."""
    address_metrics: fonts.Metrics
    """The regular address font's widths (the envelope window)."""


def letter_fonts(setup: pdf.Setup) -> LetterFonts:
    """The letter's fonts for these settings, read once (per process) and
    kept: checking a request then touches no file. A process that must see an
    edited font (the service) is restarted, as after any change to its
    settings."""
    p = setup.settings
    return _letter_fonts(setup.res, tuple(p.body_fonts), tuple(p.address_fonts),
                         tuple(p.fallback_fonts))


@caches.memo(16)
def _letter_fonts(res: Resources, body: tuple[str, ...], address: tuple[str, ...],
                  fallback: tuple[str, ...]) -> LetterFonts:
    body_files, address_files = [res.font(f) for f in body], [res.font(f) for f in address]
    fallback_files = [res.font(f) for f in fallback]
    return LetterFonts(fonts.Coverage.of(body_files, fallback_files),
                       fonts.Coverage.of(address_files, fallback_files),
                       fonts.Metrics.of(body_files[0]), fonts.Metrics.of(address_files[0]))


def check_chars(field: str, text: str, setup: pdf.Setup, *, address: bool = False) -> None:
    """Raise CharacterError if the print font (the envelope address's, with
    ``address``) cannot show a character of ``text``: judged as
    :meth:`pdf.Setup.missing_body <complaints_code.engines.pdf.setup.Setup.missing_body>`
    judges it, from the fonts read once (:func:`letter_fonts`)."""
    found = letter_fonts(setup)
    bad = (found.address if address else found.body).missing(text)
    if bad:
        raise CharacterError(f"the {field} contains {fonts.describe_chars(bad)}, which the "
                             "print font cannot show; type it with ordinary letters", field)


def job_sheet(checked: CopyRequest, made: list[Artifact]) -> str:
    """What the print room needs to know about a made copy, in one line: sides,
    paper, sheets and envelope, e.g. "print double-sided on pale yellow paper
    (A4, matt …); 7 sheets; too thick to fold (more than 5 sheets): flat in a
    C4 window envelope"."""
    p = checked.settings.print
    fmt = checked.print_format
    if fmt is None:  # braille and other formats: only the letter is printed
        if checked.letter is None:
            return "nothing to print"
        letter_fmt = p.formats["large-print"]
        return (f"print the letter single-sided on {letter_fmt.paper_tint} paper "
                f"({p.paper_stock}); {_envelope_words(checked.letter.envelope or 'DL')}, with the "
                f"{checked.format} copy")
    pages = _pages(made[0].data())
    sheets = pdf.sheets(pages, fmt.sides)
    words = [f"print {fmt.sides}-sided on {fmt.paper_tint} paper ({p.paper_stock})",
             f"{sheets} sheet{'s' * (sheets != 1)}"]
    if checked.letter is not None:
        envelope = pdf.envelope_for(pdf.Setup(resources(checked.settings), p), fmt, sheets,
                                    checked.letter.envelope)
        words.append(_envelope_words(envelope, fmt.fold_max_sheets
                                     if pdf.too_thick_to_fold(fmt, sheets) else None))
    return "; ".join(words)


def _envelope_words(envelope: str, fold_max: int | None = None) -> str:
    """How the copy goes in its envelope; ``fold_max``: the copy is C4
    because it has more sheets than this."""
    if envelope == "DL":
        return "fold in three, address outwards, into a DL window envelope"
    why = f"too thick to fold (more than {fold_max} sheets)" if fold_max else "do not fold"
    return f"{why}: flat in a C4 window envelope, address outwards"


def _pages(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as doc:
        return len(doc.pages)
