"""One copy request: a copy of the Code in the format someone needs, with a
cover letter addressed to them. The one shape of a request everywhere: the
command line, batch files, the service's form and API, and fulfilment all
make a :class:`CopyRequest` with :meth:`CopyRequest.parse`, and the
renderers make it.

A request is checked once, completely, before anything is rendered: the
format and its options, a size offered, an address that fits the envelope
window, a postcode, a reference that fits the letter, characters the print
font can show. Every field's problem is reported together
(:class:`CopyRequestInvalid`); holding a CopyRequest means it can be made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from .. import renderers
from ..engines.pdf import render as pdf
from ..output import check_target, check_writable_dir, write_all
from ..renderers import Artifact, RenderContext
from ..settings import FormatSettings, Settings
from ..structure.model import Code
from .errors import FIELD_NAMES, CopyRequestInvalid
from .fields import Reader
from .letter import POSTCODE
from .offers import Offer, names, offer
from .options import apply_options, check_file, check_letter, check_options, letter_format


@dataclass(frozen=True)
class CopyRequest:
    """A copy as someone asked for it, checked: made only by :meth:`parse`.

    The fields are what was asked (None: not asked, the format's usual);
    ``settings`` and ``letter`` are what the renderer is given."""

    format: str = "large-print"
    """One of :func:`complaints_code.copies.offers.names`."""
    size: int | None = None
    """Body size in points (print formats and Word); for other formats the letter's."""
    grade: int | None = None
    cells: int | None = None
    lines: int | None = None
    """Braille grade, cells a line and lines a page."""
    font: str | None = None
    """A font family of print.font_choices."""
    bold: bool | None = None
    line_spacing: float | None = None
    sides: str | None = None
    """"single" or "double"."""
    paper: str | None = None
    """The paper tint, for the print room."""
    envelope: str | None = None
    """"DL" or "C4"."""
    name: str | None = None
    """Who the copy is for: the first line of the envelope address."""
    address_lines: tuple[str, ...] = ()
    """The postal address without the postcode."""
    postcode: str | None = None
    """A UK postcode, in capitals with one space."""
    email: str | None = None
    """Where an emailed copy goes."""
    reference: str | None = None
    """The reference printed on the letter."""
    salutation: str | None = None
    """The letter's greeting; None: from the name's title and surname."""
    file: str | None = None
    """The name of the file to write (a batch row's, or the command's --out)."""
    settings: Settings = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    """The settings with the copy's own size and options applied."""
    letter: pdf.Letter | None = field(default=None, compare=False)
    """The cover letter; None: none (no name and address given, or emailed)."""

    @classmethod
    def parse(cls, data: Mapping[str, object], settings: Settings, *,
              today: dt.date | None = None, deliver: bool = False) -> CopyRequest:
        """Read and check a request from ``data``: field names to values, as
        text (a command line, a CSV cell, a form) or JSON values. The address
        comes as ``address_lines`` and ``postcode``, or as ``address``: its
        lines with the postcode last (one text with new lines or semicolons
        between them, or a list).

        ``deliver``: the copy is to be sent to the person, so it needs a
        format, a name, and a postal address (posted) or an email address
        (emailed). Otherwise the format defaults to large print and the
        letter is made only when a name and address are given.

        Raises CopyRequestInvalid with every field's problem."""
        read = Reader(data)
        values = _read(read, deliver)
        found = offer(str(values["format"])) if values["format"] else None
        copy_settings, letter = settings, None
        _check_needed(read, found, values, deliver)
        if found is not None:
            check_options(read, found, values, settings)
            check_file(read, found, values)
            if not read.problems:
                copy_settings = apply_options(found, values, settings)
                letter = check_letter(read, found, values, copy_settings,
                                      today or dt.date.today())
        if read.problems:
            order = {name: n for n, name in enumerate(FIELD_NAMES)}
            raise CopyRequestInvalid(sorted(read.problems, key=lambda p: order.get(p.field, 99)))
        return cls(**values, settings=copy_settings, letter=letter)  # type: ignore[arg-type]

    @property
    def offer(self) -> Offer:
        """The format asked for, as offered."""
        found = offer(self.format)
        assert found is not None, self.format
        return found

    @property
    def print_format(self) -> FormatSettings | None:
        """The print format settings of a copy that is printed (None: braille
        and the other formats, and a PDF sent by email)."""
        if self.offer.by_email:
            return None
        return self.settings.print.formats.get(self.offer.renderer)

    @property
    def point_size(self) -> int:
        """The size the copy (or, for braille and the like, its letter) is set in."""
        if self.offer.renderer == "docx":
            return self.settings.docx.size
        return self.settings.print.formats[letter_format(self.offer, self.settings)].size

    def values(self) -> dict[str, object]:
        """What was asked, field by field (as :meth:`parse` reads it back)."""
        # Read field by field: ``asdict`` would deep-copy the settings too.
        return {name: list(self.address_lines) if name == "address_lines" else
                getattr(self, name) for name in _ASKED}


_ASKED = tuple(f.name for f in fields(CopyRequest) if f.name in FIELD_NAMES)
"""The fields that say what was asked, in their order."""


def _read(read: Reader, deliver: bool) -> dict[str, object]:
    """Every field of a request, typed (None where missing or wrong)."""
    fmt = read.text("format")
    if fmt is None and deliver:
        read.problem("format", "missing", "choose a format: {choices}",
                     choices=", ".join(names()))
    elif fmt is not None and offer(fmt) is None:
        read.problem("format", "choice", "unknown format '{value}'; choose from {choices}",
                     value=fmt, choices=", ".join(names()))
    values: dict[str, object] = {"format": fmt or ("" if deliver else "large-print")}
    for name in ("size", "grade", "cells", "lines"):
        values[name] = read.number(name)
    for name in ("font", "sides", "paper", "envelope", "name", "reference", "salutation"):
        values[name] = read.text(name)
    values["file"] = read.text("file", collapse=False)
    values["bold"] = read.yes_no("bold")
    values["line_spacing"] = read.decimal("line_spacing")
    values["email"] = read.email()
    values.update(_address(read))
    return values


def _address(read: Reader) -> dict[str, object]:
    """The address lines and the postcode: given apart, or the postcode as
    the last line of ``address``."""
    last_line = "address" in read.data
    raw = read.data.get("address") if last_line else read.data.get("address_lines")
    lines = read.lines("address_lines", raw)
    code = (lines.pop() if lines else None) if last_line else read.text("postcode")
    if code is None:
        return {"address_lines": tuple(lines or ()), "postcode": None}
    m = POSTCODE.match(" ".join(code.upper().split()))
    if m is None:
        read.problem("postcode", "postcode",
                     "the last address line “{value}” is not a UK postcode; put the postcode "
                     "(for example SW19 2TJ) on a line of its own, last" if last_line else
                     "“{value}” is not a UK postcode; write it as, for example, SW19 2TJ",
                     value=code)
        return {"address_lines": tuple(lines or ()), "postcode": None}
    outward, inward = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return {"address_lines": tuple(lines or ()), "postcode": f"{outward} {inward}"}


def _check_needed(read: Reader, found: Offer | None, values: dict[str, object],
                  deliver: bool) -> None:
    """What the way the copy goes out needs: a name and address for a posted
    copy's letter, an email address for an emailed copy. Without a format
    (one to be delivered), a posted copy is assumed unless an email address
    is given."""
    bad = {p.field for p in read.problems}
    has = {k: values[k] not in (None, ()) or k in bad for k in
           ("name", "address_lines", "postcode", "email", "reference", "salutation")}
    if "address_lines" in bad:
        has["postcode"] = True  # it may be among the lines that could not be read
    if found is None:
        if deliver:
            needed = ("name",) if has["email"] else ("name", "address_lines", "postcode")
            for name in needed:
                if not has[name]:
                    read.problem(name, "missing", "{" + name + "} is needed to send the copy; "
                                 "give it")
        return
    if found.by_email:
        for name in ("address_lines", "postcode", "salutation"):
            if has[name] and name not in bad:
                read.problem(name, "not_applicable", "{" + name + "} does not apply to an "
                             "{fmt} copy: it is sent by email, without a letter; leave it out",
                             fmt=found.name)
        if deliver and not has["email"]:
            read.problem("email", "missing", "an {fmt} copy is sent by email; give {email}",
                         fmt=found.name)
        if deliver and not has["name"]:
            read.problem("name", "missing", "{name} is needed to send the copy; give it")
        return
    wanted = deliver or has["name"] or has["address_lines"] or has["postcode"]
    if wanted:
        for name in ("name", "address_lines", "postcode"):
            if not has[name]:
                read.problem(name, "missing", "a cover letter needs both {name} and "
                             "{address_lines} (address lines separated by new lines or "
                             "semicolons)" if not deliver else
                             "{" + name + "} is needed to send the copy; give it")
                if not deliver:
                    break  # one problem says it
        return
    for name in ("reference", "salutation"):
        if has[name]:
            read.problem(name, "not_applicable", "{" + name + "} goes on the cover letter; "
                         "give {name} and {address_lines} too, or leave {" + name + "} out")
            break


def make_copy(code: Code, request: CopyRequest) -> list[Artifact]:
    """A request rendered by its format's renderer: the copy and the files
    that go with it (each with its copy_suffix)."""
    render = renderers.get(request.offer.renderer)
    made = render(code, request.settings, RenderContext(letter=request.letter))
    return [a for a in made if a.copy_suffix is not None]


def copy_path(out: Path, item: Artifact, main: Artifact) -> Path:
    """Where an artifact of a copy goes: the main file at ``out``, the others
    beside it, e.g. smith-letter.pdf beside smith.brf."""
    if item is main:
        return out
    return out.with_name(out.stem + (item.copy_suffix or ""))


def write_copy(code: Code, request: CopyRequest, out: Path) -> list[Path]:
    """Render and write one copy to ``out``; return the files written.
    Everything is rendered before anything is written."""
    check_target(out)  # before the render, not after a second's work
    check_writable_dir(out.parent)
    return write_artifacts(make_copy(code, request), out)


def write_artifacts(made: list[Artifact], out: Path) -> list[Path]:
    """Write a copy's artifacts: the first at ``out``, the others beside it;
    all of them or (if one cannot be written) none."""
    return write_all({copy_path(out, item, made[0]): item.data() for item in made})
