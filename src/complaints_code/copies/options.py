"""A copy request's checks that depend on its format: the options the format
takes and the choices it offers, the file's name, and the cover letter
(characters the print font can show, the envelope window, the reference in
the letter's heading). Each check records its problems on the request's
:class:`~complaints_code.copies.fields.Reader`, so every field is checked."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from ..engines.pdf import render as pdf
from ..resources import resources
from ..settings import Settings
from ..settings.braille import BrailleSettingsError
from .errors import AddressError, CharacterError, FieldProblem, ReferenceFitError
from .fields import Reader
from .letter import (
    check_chars,
    check_reference_fits,
    format_words,
    recipient_lines,
    salutation,
)
from .offers import Offer

OPTIONS = ("size", "grade", "cells", "lines", "font", "bold", "line_spacing", "sides",
           "paper", "envelope")
"""The copy options; each format takes some of them (Offer.options)."""
SIDES = ("single", "double")
ENVELOPES = ("DL", "C4")
_FILE_NAME = re.compile(r"[^\x00-\x1f\x7f/\\:*?\"<>|]{1,120}")


def article(word: str) -> str:
    """ "a braille", "an audio"."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def letter_format(found: Offer, settings: Settings) -> str:
    """The print format the copy's letter is set in: the copy's own, or large print."""
    return found.renderer if found.renderer in settings.print.formats else "large-print"


def check_options(read: Reader, found: Offer, values: dict[str, object],
                  settings: Settings) -> None:
    """Options the format does not take, and choices it does not offer.
    Normalises the paper (lower case) and envelope (capitals) in ``values``."""
    takes = ["{" + o + "}" for o in found.options]
    what = (", ".join(takes[:-1]) + f" and {takes[-1]}" if len(takes) > 1
            else "".join(takes)) or "no options"
    for option in OPTIONS:
        if values[option] is not None and option not in found.options:
            read.problem(option, "not_applicable", "{" + option + "} does not apply to {a} "
                         "copy; leave it out ({fmt} takes " + what + ")",
                         a=article(found.name), fmt=found.name)
            values[option] = None
    _check_size(read, found, values, settings)
    for option in ("grade", "cells", "lines"):
        if values[option] is not None:
            try:
                settings.braille.with_options(**{option: values[option]})  # type: ignore[arg-type]
            except BrailleSettingsError as exc:
                read.problem(option, "choice", "{message}",
                             message=str(exc).removeprefix("braille copy option: "))
    fmt = settings.print.formats.get(found.renderer)
    if fmt is None:
        return
    if isinstance(values["paper"], str):
        values["paper"] = values["paper"].lower()
    if isinstance(values["envelope"], str):
        values["envelope"] = values["envelope"].upper()
    for option, what_, offered in (
            ("line_spacing", "line spacing", fmt.line_spacings), ("sides", "sides", SIDES),
            ("paper", "paper", settings.print.paper_tints),
            ("font", "font", tuple(settings.print.font_choices)),
            ("envelope", "envelope", ENVELOPES)):
        value = values[option]
        if value is not None and value not in offered:
            read.problem(option, "choice", "{what} {value} is not offered for {fmt}; "
                         "choose {choices}", what=what_, value=_shown(value),
                         fmt=found.name, choices=_either([_shown(v) for v in offered]))


def _check_size(read: Reader, found: Offer, values: dict[str, object],
                settings: Settings) -> None:
    sized = found.sized(settings)
    size = values["size"]
    if size is not None and sized is not None and size not in sized.sizes:
        read.problem("size", "choice", "size {value} is not offered for {fmt}; choose "
                     "{choices}", value=str(size), fmt=found.name,
                     choices=_either([str(s) for s in sized.sizes]))


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _either(choices: list[str]) -> str:
    return ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]


def check_file(read: Reader, found: Offer, values: dict[str, object]) -> None:
    """The copy's file name: a plain name, ending as its format's files do."""
    name = values["file"]
    if not isinstance(name, str):
        return
    if not _FILE_NAME.fullmatch(name) or name.startswith("."):
        read.problem("file", "file", "'{value}' must be a plain file name of at most 120 "
                     "characters, without folders or any of / \\ : * ? \" < > |", value=name)
        return
    ending = found.extension
    if ending and not name.lower().endswith(ending):
        path = Path(name)
        better = path.stem + ending if path.suffix else name + ending
        read.problem("file", "file", "{a} copy is {ending_a} file, but the file name "
                     "“{value}” ends otherwise; name it {better}", a=article(found.name),
                     ending_a=f"a {ending}", value=name, better=better)


def apply_options(found: Offer, values: dict[str, object], settings: Settings) -> Settings:
    """The settings with the copy's own size and options (all checked)."""
    letter_fmt = letter_format(found, settings)
    sized = found.sized(settings) or settings.print.formats[letter_fmt]
    size = values["size"] if isinstance(values["size"], int) else sized.size
    braille = {k: values[k] for k in ("grade", "cells", "lines") if values[k] is not None}
    if braille:
        settings = settings.model_copy(update={
            "braille": settings.braille.with_options(**braille)})  # type: ignore[arg-type]
    if found.renderer == "docx":
        settings = settings.model_copy(
            update={"docx": settings.docx.model_copy(update={"size": size})})
    p = settings.print
    fmt = p.formats[letter_fmt]
    update: dict[str, object] = {"size": size}
    for option, key in (("bold", "bold"), ("line_spacing", "line_spacing"),
                        ("sides", "sides"), ("paper", "paper_tint")):
        if values[option] is not None:
            update[key] = values[option]
    print_update: dict[str, object] = {"formats": {**p.formats,
                                                   letter_fmt: fmt.model_copy(update=update)}}
    if values["font"] is not None:
        print_update["body_fonts"] = p.font_choices[str(values["font"])].files
    if values["envelope"] is not None:
        print_update["letter"] = p.letter.model_copy(update={"envelope": values["envelope"]})
    return settings.model_copy(update={"print": p.model_copy(update=print_update)})


def check_letter(read: Reader, found: Offer, values: dict[str, object], settings: Settings,
                 today: dt.date) -> pdf.Letter | None:
    """The cover letter of a posted copy with a name and address, checked:
    every character printable, the address in the envelope window, the
    reference in the letter's heading."""
    name = values["name"]
    if not found.posted or not isinstance(name, str) or values["postcode"] is None:
        return None
    lines = [*values["address_lines"], values["postcode"]]  # type: ignore[misc]
    setup = pdf.Setup(resources(settings), settings.print)
    size = settings.print.formats[letter_format(found, settings)].size
    greeting = salutation(name, values["salutation"])  # type: ignore[arg-type]
    reference = values["reference"]
    failed: set[str] = set()

    def check(field: str, kind: str, test: Callable[..., object], *args: object,
              **kwargs: object) -> None:
        if field in failed:
            return
        try:
            test(*args, **kwargs)
        except (CharacterError, AddressError, ReferenceFitError) as exc:
            read.problems.append(FieldProblem.of(exc, field, kind))
            failed.add(field)

    check("name", "characters", check_chars, "name", name, setup)
    check("name", "characters", check_chars, "name", name, setup, address=True)
    check("address_lines", "characters", check_chars, "address", "\n".join(lines), setup,
          address=True)
    if isinstance(reference, str):
        check("reference", "characters", check_chars, "reference", reference, setup)
        check("reference", "fit", check_reference_fits, reference, size, setup)
    check("salutation" if values["salutation"] else "name", "characters", check_chars,
          "salutation", greeting, setup)
    recipients: tuple[str, ...] = ()
    if "name" not in failed:
        # With the address unprintable, the name is measured on its own.
        shown = lines if "address_lines" not in failed else lines[-1:]
        try:
            recipients = recipient_lines(name, "\n".join(shown), setup)
        except AddressError as exc:
            field = "name" if exc.field == "name" else "address_lines"
            read.problems.append(FieldProblem.of(exc, field, "fit"))
            failed.add(field)
    if failed:
        return None
    return pdf.Letter(name, recipients,
                      reference if isinstance(reference, str) else None, today,
                      salutation=greeting,
                      format_words=format_words(found.renderer, settings, size),
                      envelope=values["envelope"])  # type: ignore[arg-type]
