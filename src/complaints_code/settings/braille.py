"""Braille settings (the ``[braille]`` section of ``complaints-code.toml``).
Cells, lines and grade may be overridden per copy."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from ..errors import UsageError, quoted
from .print import Section

CELLS_RANGE = (20, 100)
LINES_RANGE = (10, 50)
_FORBIDDEN_TABLES = ("en-gb-g2", "en_gb", "en-us-g2")


class BrailleSettingsError(UsageError):
    """A braille setting (in the settings file or an option) is out of range."""


def _tables() -> dict[int, tuple[str, ...]]:
    return {1: ("en-us-brf.dis", "en-ueb-g1.ctb"), 2: ("en-us-brf.dis", "en-ueb-g2.ctb")}


def _words() -> dict[str, str]:
    return {
        "version": "Version {version}",
        "effective": "Effective from {date}",
        "code": "Unified English Braille, grade {grade}",
        "pages": "{pages} braille pages",
        "contents": "Contents",
        "date_format": "%-d %B %Y",
        "producer": "Transcribed by {provider} in Unified English Braille, grade {grade}, "
                    "{date}",
        "tables_note": "Tables are set out as lists: each row is one item, its columns "
                       "separated by colons. The column headings of the stage table "
                       "come first, and a full stop follows each stage number.",
        "cover_note_title": "About this copy",
        "cover_note_for": "For {name}",
        "cover_note_reference": "Your reference: {reference}",
        "cover_note_body": "Here is the braille copy of our {title} that you asked for. "
                           "It has {pages} braille pages.",
        "cover_note_contact": "To contact us, email {email} or telephone {telephone}{hours}.",
    }


class BrailleSettings(Section):
    """Page size, grade, page-number place, tables and the added words."""

    cells: int = Field(40, ge=CELLS_RANGE[0], le=CELLS_RANGE[1])
    """Cells per line. 40 x 25 suits A4 and 11 x 11.5 in paper on most
    embossers; check the embosser's manual before changing it."""
    lines: int = Field(25, ge=LINES_RANGE[0], le=LINES_RANGE[1])
    """Lines per page, the page-number line included."""
    grade: Literal[1, 2] = 2
    """2 = contracted (what most UK adult readers expect); 1 = uncontracted."""
    page_number: Literal["top-right", "bottom-right"] = "top-right"
    """Where the braille page number goes. The line that carries the number
    carries nothing else; the title page shows no number."""
    centre_margin: int = Field(3, ge=0)
    """Blank cells kept at each side of a centred heading."""
    tables: dict[int, tuple[str, ...]] = Field(default_factory=lambda: _tables(), min_length=1)
    """liblouis table lists for Braille ASCII output, by grade. Unified English
    Braille only: never en-GB-g2 / en_GB.tbl (the old British code) or en-us-g2
    (the old American code)."""
    words: dict[str, str] = Field(default_factory=_words)
    """The words the braille copy adds around the Code's own ({grade},
    {pages}, {version}, {date}, {provider}, {name}, {reference}, {title},
    {telephone}, {hours}, {email} are filled in where they fit; {hours} is
    the telephone's opening hours in brackets after a space, or nothing). ``producer`` is the
    title page's transcription line, ``tables_note`` the transcriber's note
    before the first table, ``cover_note_*`` the braille cover note of a
    customer's copy (the email comes before any punctuation, which a reader
    could take for part of the address). A key left out keeps its default."""
    duplex: bool = True
    """Interpoint (double-sided) embossing, as UK braille usually is: the PEF
    says ``duplex="true"``. The BRF carries no such flag; set the embosser."""
    final_form_feed: bool = False
    """End the BRF with a form feed after the last page, as some embossers
    need to eject it; off, the form feed only separates pages."""
    source: str = "braille settings"
    """Where these settings came from, for messages (set by the program)."""

    @property
    def brf_tables(self) -> tuple[str, ...]:
        """The liblouis tables for this grade."""
        return self.tables[self.grade]

    @field_validator("tables")
    @classmethod
    def _ueb_only(cls, tables: dict[int, tuple[str, ...]]) -> dict[int, tuple[str, ...]]:
        for grade, tables_ in tables.items():
            if not tables_:
                raise ValueError(f"tables.{grade} is empty; list the liblouis tables for "
                                 f"grade {grade}, e.g. {list(_tables().get(grade, ()))}")
            bad = [t for t in tables_ if t.lower().startswith(_FORBIDDEN_TABLES)]
            if bad:
                raise ValueError(f"{quoted(bad[0])} is not Unified English Braille; use "
                                 "en-ueb-g1.ctb or en-ueb-g2.ctb")
        return tables

    @field_validator("words")
    @classmethod
    def _all_words(cls, words: dict[str, str]) -> dict[str, str]:
        # A settings file that sets some words keeps the defaults of the others
        # (new words, such as the cover note's, do not break older files).
        return {**_words(), **words}

    @model_validator(mode="after")
    def _consistent(self) -> BrailleSettings:
        if self.grade not in self.tables:
            raise ValueError(f"grade {self.grade} has no tables; add tables.{self.grade}")
        if self.centre_margin > self.cells // 4:
            raise ValueError(f"centre_margin {self.centre_margin} is too wide for "
                             f"{self.cells} cells; use a number from 0 to {self.cells // 4}")
        return self

    def with_options(self, *, grade: int | None = None, cells: int | None = None,
                     lines: int | None = None) -> BrailleSettings:
        """A copy with some settings overridden, checked like the file's.
        Raises BrailleSettingsError naming the bad option."""
        changes = {k: v for k, v in (("grade", grade), ("cells", cells), ("lines", lines))
                   if v is not None}
        try:
            return BrailleSettings.model_validate(
                {**self.model_dump(), **changes, "source": "braille copy option"})
        except ValidationError as exc:
            error = exc.errors()[0]
            name = ".".join(str(p) for p in error["loc"]) or "braille"
            value = changes.get(name, error.get("input"))
            raise BrailleSettingsError(f"braille copy option: {name} = {quoted(value)} is not "
                                       f"allowed; {_range_hint(name)}") from None


def _range_hint(name: str) -> str:
    ranges = {"cells": CELLS_RANGE, "lines": LINES_RANGE}
    if name in ranges:
        return f"use a number from {ranges[name][0]} to {ranges[name][1]}"
    if name == "grade":
        return "use one of [1, 2]"
    return "see complaints-code config"
