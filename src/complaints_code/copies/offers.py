"""The formats the service offers: every on-request format in the renderer
registry (so a format added there appears on the form without editing it),
plus ``email-pdf``: the large-print PDF, tagged for screen readers, sent by
email instead of post.

A request is checked here with the same checks as ``complaints-code copy``
(size offered, address fits the envelope window, postcode, characters the
font can show), so the staff queue never holds a copy that cannot be made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..renderers import copy_formats
from ..settings import Settings
from .errors import AddressError, CharacterError, CopyRequestError, PostcodeError, SizeError
from .request import Checked, Request, check

EMAIL_PDF = "email-pdf"
EMAIL_PDF_OF = "large-print"
"""The renderer whose PDF an email-pdf request gets."""


@dataclass(frozen=True)
class Offer:
    """One format on the request form."""

    name: str
    label: str
    hint: str
    options: tuple[str, ...]
    """Which of size and grade the customer chooses."""
    sizes: tuple[int, ...] = ()
    default_size: int | None = None
    by_email: bool = False
    renderer: str = ""
    """The registry format that makes it."""


HINTS = {
    "print": "Printed on A4 paper and posted to you.",
    "large-print": "Printed in a larger text size and posted to you.",
    "braille": "Unified English Braille, posted to you.",
    "audio": "The Code read by a computer voice, as MP3 files on a USB stick or CD.",
    "talking-book": "An e-book read aloud by a computer voice, each paragraph highlighted "
                    "as it is read, for e-reader apps that play it.",
    EMAIL_PDF: "A PDF that works with screen readers and text resizing, sent to your email.",
}


_MADE: dict[int, tuple[Settings, list[Offer]]] = {}


def offers(settings: Settings) -> list[Offer]:
    """The formats offered, in registry order, then the emailed PDF (worked
    out once per settings object)."""
    made = _MADE.get(id(settings))
    if made is not None and made[0] is settings:
        return made[1]
    out = _offers(settings)
    if len(_MADE) > 64:
        _MADE.clear()
    _MADE[id(settings)] = (settings, out)
    return out


def _offers(settings: Settings) -> list[Offer]:
    out = []
    for fmt in copy_formats():
        options = tuple(o for o in fmt.options if o in ("size", "grade"))
        pdf = settings.print.formats.get(fmt.name)
        out.append(Offer(fmt.name, fmt.label, HINTS.get(fmt.name, ""), options,
                         pdf.sizes if pdf else (), pdf.size if pdf else None,
                         renderer=fmt.name))
    base = settings.print.formats[EMAIL_PDF_OF]
    out.append(Offer(EMAIL_PDF, "Accessible PDF by email", HINTS[EMAIL_PDF], (),
                     (), base.size, by_email=True, renderer=EMAIL_PDF_OF))
    return out


def offer(settings: Settings, name: str) -> Offer | None:
    """One offered format by name."""
    return next((o for o in offers(settings) if o.name == name), None)


@dataclass(frozen=True)
class Wanted:
    """What a request asks for, as the copies module takes it."""

    format: str
    size: int | None
    grade: int | None
    name: str
    address_lines: tuple[str, ...]
    postcode: str | None
    email: str | None
    reference: str | None = None


def field_problems(wanted: Wanted, settings: Settings,
                   today: dt.date | None = None) -> dict[str, str]:
    """Every problem with a request, by field ({} when it can be made)."""
    found = offer(settings, wanted.format)
    if found is None:
        names = ", ".join(o.name for o in offers(settings))
        return {"format": f"Select one of the formats offered: {names}"}
    problems = missing(found, bool(wanted.address_lines), bool(wanted.postcode),
                       bool(wanted.email))
    if "size" not in found.options and wanted.size is not None and not found.by_email:
        problems["size"] = f"{found.label} has no size to choose; leave the size out"
    if "grade" not in found.options and wanted.grade is not None:
        problems["grade"] = f"{found.label} has no braille grade; leave the grade out"
    if found.sizes and wanted.size is not None and wanted.size not in found.sizes:
        problems["size"] = (f"Choose a size from {found.sizes[0]} to {found.sizes[-1]} "
                            "points")
    if problems:
        return problems
    try:
        checked(wanted, settings, today)
    except PostcodeError as exc:
        problems["postcode"] = _sentence(exc)
    except CharacterError as exc:
        problems["name" if "name" in str(exc) else "address_lines"] = _sentence(exc)
    except AddressError as exc:
        problems["address_lines"] = _sentence(exc)
    except SizeError as exc:
        problems["size"] = _sentence(exc)
    except CopyRequestError as exc:
        problems["format"] = _sentence(exc)
    return problems


def missing(found: Offer, address: bool, postcode: bool, email: bool) -> dict[str, str]:
    """The fields a format needs that were left empty: a postal address for
    a posted copy, an email address for an emailed one."""
    problems: dict[str, str] = {}
    if found.by_email and not email:
        problems["email"] = "Enter your email address, so we can send your PDF"
    if not found.by_email:
        if not address:
            problems["address_lines"] = "Enter the first line of your address"
        if not postcode:
            problems["postcode"] = "Enter your postcode"
    return problems


def missing_in(settings: Settings, data: object) -> dict[str, str]:
    """``missing`` for a raw request body that failed validation (so that
    every field's problem is reported at once)."""
    if not isinstance(data, dict):
        return {}
    found = offer(settings, str(data.get("format")))
    if found is None:
        return {}
    lines = data.get("address_lines")
    return missing(found, bool(lines), bool(data.get("postcode")), bool(data.get("email")))


def checked(wanted: Wanted, settings: Settings, today: dt.date | None = None) -> Checked:
    """The request checked by the copies module, ready to render (raises
    CopyRequestError)."""
    found = offer(settings, wanted.format)
    assert found is not None, wanted.format
    if found.by_email:
        request = Request(found.renderer, size=wanted.size)
    else:
        address = "\n".join([*wanted.address_lines, wanted.postcode or ""])
        request = Request(found.renderer, size=wanted.size, name=wanted.name, address=address,
                          reference=wanted.reference, grade=wanted.grade)
    return check(request, settings, today)


def _sentence(exc: Exception) -> str:
    text = str(exc).replace("--name", "your name").replace("--address", "your address")
    return text[0].upper() + text[1:]
