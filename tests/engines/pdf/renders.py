"""PDFs shared by the PDF tests, each made once per test process: the Code in
a print format at a size, weight, line spacing and font, and a customer's
copy with its cover letter. Laying out the Code is most of a test's time, so
a test asks for one of these rather than rendering its own."""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache

import pdfplumber

from complaints_code.copies import request as copies
from complaints_code.engines.pdf import render as pdf
from complaints_code.resources import resources
from complaints_code.structure.model import Code
from complaints_code.structure.source import load
from tests.conftest import SOURCE, project_settings

SETTINGS = project_settings()
DAY = dt.date(2026, 12, 1)
ADDRESS = "Flat 2; 10 High Street; Wimbledon; London; SW19 1AA"
FOOTER = re.compile(r"^(Letter, page|Page) \d+ of \d+$")
MM = 72 / 25.4

# (format, size, bold, line spacing, font): every large-print size, both
# weights, the four spacings and both fonts, without rendering all 96.
LAYOUTS = [
    ("print", 12, False, 1.5, None), ("print", 14, False, 1.5, None),
    ("large-print", 16, False, 1.5, None), ("large-print", 18, False, 1.25, None),
    ("large-print", 20, True, 2.0, None), ("large-print", 24, True, 1.5, None),
    ("large-print", 28, False, 1.75, "dejavu-sans"), ("large-print", 32, False, 1.5, None),
    ("large-print", 32, True, 2.0, "dejavu-sans"),
]


@cache
def the_code() -> Code:
    """The shipped Code."""
    return load(SOURCE)


@cache
def code_pdf(name: str, size: int, bold: bool = False, spacing: float = 1.5,
             font: str | None = None, sides: str = "double") -> bytes:
    """The Code alone in a print format."""
    p = SETTINGS.print
    if font:
        p = p.model_copy(update={"body_fonts": p.font_choices[font].files})
    fmt = p.formats[name].model_copy(update={"size": size, "bold": bold,
                                             "line_spacing": spacing, "sides": sides})
    return pdf.code_pdf(the_code(), pdf.Setup(resources(SETTINGS), p), fmt, size)


def _request(fmt: str, **asked: object) -> copies.CopyRequest:
    """A checked request (None values left out, as not asked)."""
    fields = {"format": fmt} | {k: v for k, v in asked.items() if v is not None}
    return copies.CopyRequest.parse(fields, SETTINGS, today=DAY)


@cache
def copy_pdf(fmt: str = "large-print", size: int | None = None, bold: bool | None = None,
             spacing: float | None = None, font: str | None = None,
             name: str = "Mrs Jane Smith", address: str = ADDRESS,
             reference: str | None = "CS-2026-0042", sides: str | None = None,
             envelope: str | None = None) -> bytes:
    """A customer's copy with its cover letter, as the copy command makes it."""
    request = _request(fmt, size=size, bold=bold, line_spacing=spacing, font=font, name=name,
                       address=address, reference=reference, sides=sides, envelope=envelope)
    (made,) = copies.make_copy(the_code(), request)
    return made.data()


@cache
def letter_pdf(size: int = 18, bold: bool = False, spacing: float = 1.5,
               font: str | None = None, name: str = "Mrs Jane Smith", address: str = ADDRESS,
               reference: str | None = "CS-2026-0042") -> bytes:
    """A large-print copy's cover letter alone (as sent with a braille copy):
    the letter's own layout, without laying out the Code."""
    request = _request("large-print", size=size, bold=bold, line_spacing=spacing, font=font,
                       name=name, address=address, reference=reference)
    assert request.letter is not None and request.print_format is not None
    setup = pdf.Setup(resources(request.settings), request.settings.print)
    return pdf.letter_pdf(the_code(), setup, request.letter, request.print_format,
                          request.point_size)


@cache
def page_lines(data: bytes) -> list[list[dict[str, object]]]:
    """Each page's text lines (pdfplumber's, with their characters), footers
    left out; read once per PDF (do not change what it returns)."""
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [[line for line in page.extract_text_lines()
                 if not FOOTER.match(str(line["text"]))] for page in doc.pages]


def letter_text(data: bytes) -> str:
    """The words of a copy's cover letter (its pages up to "End of letter"),
    a line of text a line, page numbers left out."""
    texts: list[str] = []
    for lines in page_lines(data):
        texts += [str(line["text"]) for line in lines]
        if "End of letter" in texts:
            break
    return "\n".join(texts)
