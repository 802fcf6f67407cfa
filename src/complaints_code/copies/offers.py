"""The formats a copy can be made in, and how each reaches the reader.

Every on-request format of the renderer registry is one (so a format added
there can be asked for everywhere without editing this), posted with a cover
letter; and ``email-pdf``: the large-print PDF, tagged for screen readers,
made by the large-print renderer and sent by email, without a letter. The
command line, batch files and the service all offer the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..renderers import Format, copy_formats
from ..resources import caches
from ..settings import DocxSettings, FormatSettings, Settings

EMAIL_PDF = "email-pdf"
EMAIL_PDF_OF = "large-print"
"""The renderer whose PDF an email-pdf copy is."""


@dataclass(frozen=True)
class Offer:
    """One format a copy can be asked for in."""

    name: str
    label: str
    """What a customer calls it, e.g. "Large print"."""
    hint: str
    """One sentence for the request form."""
    renderer: str
    """The registry format that makes it."""
    options: tuple[str, ...]
    """The copy options it takes (size, grade, cells, lines, font, bold,
    line_spacing, sides, paper, envelope)."""
    extension: str
    """How its file's name ends (``.pdf``, ``.brf``)."""
    by_email: bool = False
    """Sent by email without a letter; otherwise posted with one."""

    @property
    def posted(self) -> bool:
        """Posted with a cover letter."""
        return not self.by_email

    @property
    def asked(self) -> tuple[str, ...]:
        """The options a customer chooses on the request form (size, grade)."""
        return tuple(o for o in self.options if o in ("size", "grade"))

    def sized(self, settings: Settings) -> FormatSettings | DocxSettings | None:
        """The settings that say its sizes (None: it has no size)."""
        if "size" not in self.options:
            return None
        if self.renderer == "docx":
            return settings.docx
        return settings.print.formats.get(self.renderer)

    def sizes(self, settings: Settings) -> tuple[int, ...]:
        """The sizes it may be asked for in, in points (none: no size to choose)."""
        sized = self.sized(settings)
        return sized.sizes if sized else ()

    def default_size(self, settings: Settings) -> int | None:
        """The size it is made in when none is asked for."""
        sized = self.sized(settings)
        return sized.size if sized else None


HINTS = {
    "print": "Printed on A4 paper and posted to you.",
    "large-print": "Printed in a larger text size and posted to you.",
    "braille": "Unified English Braille, posted to you.",
    "epub": "An e-book file on a USB stick, posted to you.",
    "docx": "A Word document on a USB stick, posted to you.",
    "text": "A plain text file on a USB stick, posted to you.",
    "audio": "The Code read by a computer voice, as MP3 files on a USB stick or CD.",
    "talking-book": "An e-book read aloud by a computer voice, each paragraph highlighted "
                    "as it is read, for e-reader apps that play it.",
    EMAIL_PDF: "A PDF that works with screen readers and text resizing, sent to your email.",
}

_EMAILED = Offer(EMAIL_PDF, "Accessible PDF by email", HINTS[EMAIL_PDF], EMAIL_PDF_OF,
                 ("size",), ".pdf", by_email=True)


def offers() -> list[Offer]:
    """Every format a copy can be asked for in: the registry's, in its
    order, then the emailed PDF."""
    return list(_offers(tuple(copy_formats())))


def offer(name: str) -> Offer | None:
    """One format by name; None if no copy can be made in it."""
    return _by_name(tuple(copy_formats())).get(name)


@caches.memo(4)
def _offers(formats: tuple[Format, ...]) -> tuple[Offer, ...]:
    # Made once for the registry as it is (every request asks several times).
    return (*(Offer(f.name, f.label, HINTS.get(f.name, f"{f.label}, posted to you."),
                    f.name, f.options, f.extension) for f in formats), _EMAILED)


@caches.memo(4)
def _by_name(formats: tuple[Format, ...]) -> dict[str, Offer]:
    found: dict[str, Offer] = {}
    for o in _offers(formats):
        found.setdefault(o.name, o)
    return found


def names() -> list[str]:
    """The names of the formats a copy can be made in."""
    return [o.name for o in offers()]
