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
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .. import renderers
from ..engines.pdf import render as pdf
from ..output import check_target, check_writable_dir, write_all
from ..renderers import Artifact, RenderContext
from ..resources import resources
from ..settings import DocxSettings, FormatSettings, Settings
from ..structure.model import Code
from .errors import AddressError, CopyRequestError, OptionError, SizeError
from .letter import (
    check_chars,
    check_reference_fits,
    clean_line,
    format_words,
    recipient_lines,
    salutation,
)

LETTER_SUFFIX = "-letter.pdf"
OPTION_FLAGS = {"size": "--size", "grade": "--grade", "cells": "--cells", "lines": "--lines",
                "font": "--font", "bold": "--bold", "line_spacing": "--line-spacing",
                "sides": "--sides", "paper": "--paper", "envelope": "--envelope"}
"""Each copy option's command-line flag (a batch file's column is the option's name)."""
SIDES = ("single", "double")
ENVELOPES = ("DL", "C4")


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
        reference = clean_line(request.reference)
        if reference:
            check_chars("reference", reference, setup)
            check_reference_fits(reference, size, setup)
        greeting = salutation(lines[0], request.salutation)
        check_chars("salutation", greeting, setup)
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
    check_target(out)  # before the render, not after a second's work
    check_writable_dir(out.parent)
    return write_artifacts(make_copy(code, checked), out)


def write_artifacts(made: list[Artifact], out: Path) -> list[Path]:
    """Write a copy's artifacts: the first at ``out``, the others beside it;
    all of them or (if one cannot be written) none."""
    return write_all({copy_path(out, item, made[0]): item.data() for item in made})
