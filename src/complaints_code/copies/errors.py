"""What can be wrong with a copy request.

A request is checked once, completely (:meth:`CopyRequest.parse
<complaints_code.copies.request.CopyRequest.parse>`), and every field's
problem is reported together as a :class:`CopyRequestInvalid`. Each
:class:`FieldProblem` names the request field at fault, says what sort of
problem it is (``kind``) and carries its words. The words name other fields
only through placeholders (``{size}``), so each edge says them in its own
terms: the command line as flags (``--size``), a batch file as its columns,
the service as the words on its form. The library never names a flag.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError, visible

FIELD_NAMES = ("format", "size", "grade", "cells", "lines", "font", "bold", "line_spacing",
               "sides", "paper", "envelope", "name", "address_lines", "postcode", "email",
               "reference", "salutation", "file")
"""Every field of a copy request, in the order problems are reported."""


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one field of a copy request."""

    field: str
    """The request field at fault (one of FIELD_NAMES)."""
    kind: str
    """What sort of problem: ``missing``, ``type``, ``control``, ``too_long``,
    ``choice`` (a value not offered), ``not_applicable`` (an option the format
    does not take), ``postcode``, ``email``, ``characters`` (the print font
    cannot show them), ``fit`` (does not fit the letter or envelope window),
    ``file`` (the output file name)."""
    template: str
    """What is wrong and how to fix it. ``{field}`` placeholders stand for
    field names; every other placeholder for one of ``values``."""
    values: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """The values the words quote (what was typed, the choices), inserted as
    they are: never read as placeholders."""

    def text(self, names: Mapping[str, str] | None = None) -> str:
        """The words, with each field named as ``names`` says (by default the
        field's own name, as a batch file's column is) and invisible
        characters spelled out."""
        return visible(self.template.format_map(_Names({**(names or {}), **self.values})))

    def __str__(self) -> str:
        return self.text()

    @classmethod
    def of(cls, exc: CopyRequestError, field: str, kind: str) -> FieldProblem:
        """A problem from one of the typed errors below, with its words as they are."""
        return cls(field, kind, "{message}", {"message": str(exc)})


class _Names(dict[str, str]):
    """Placeholder values; a name not given stands for itself (a field's own name)."""

    def __missing__(self, key: str) -> str:
        return key


class CopyRequestInvalid(UsageError):
    """A copy request with one or more problems; nothing was made."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(p.text() for p in self.problems))

    def fields(self) -> set[str]:
        """The fields at fault."""
        return {p.field for p in self.problems}


COLUMN_OF = {"address_lines": "address", "postcode": "address"}
"""The column a request field's problem is reported under, where it is not the field's name."""
BATCH_NAMES = {"out_dir": "an output folder (one file per copy)"}
"""How a batch problem names what is not a column, unless the edge says otherwise."""


@dataclass(frozen=True)
class BatchProblem:
    """One problem of a batch: its file, row and column, and what is wrong."""

    path: Path
    where: str
    """The row: "line 3" of a CSV, "request 2" of a JSON list; "" for the whole file."""
    row: int
    """The row's number, for putting problems in order (0: the whole file)."""
    column: str
    problem: FieldProblem

    def text(self, names: Mapping[str, str] | None = None) -> str:
        """``FILE:ROW: COLUMN: what is wrong; how to fix it``."""
        where = f"{self.path}:{self.where}:" if self.where else f"{self.path}:"
        column = f" {self.column}:" if self.column else ""
        shown = {**COLUMN_OF, **BATCH_NAMES, **(names or {})}
        return f"{where}{column} {self.problem.text(shown)}"

    def __str__(self) -> str:
        return self.text()


class BatchError(UsageError):
    """One or more requests of a batch file are wrong; nothing was written."""

    def __init__(self, found: list[BatchProblem]):
        self.found = tuple(found)
        super().__init__(self.text())

    @property
    def problems(self) -> list[str]:
        """One line per problem: file, row, column, what, fix."""
        return [p.text() for p in self.found]

    def text(self, names: Mapping[str, str] | None = None) -> str:
        """Every problem, then how many, with ``names`` for what is not a column."""
        count = len(self.found)
        return "\n".join([*(p.text(names) for p in self.found),
                          f"{count} problem{'s' * (count != 1)} in the batch; nothing was "
                          "written"])


class CopyRequestError(UsageError):
    """One thing about a copy that cannot be printed as asked, raised by the
    letter's checks. ``field`` names the request field at fault, if one is."""

    field = ""

    def __init__(self, message: str, field: str | None = None):
        if field is not None:
            self.field = field
        super().__init__(message)


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
