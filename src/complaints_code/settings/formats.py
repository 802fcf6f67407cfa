"""Settings of the digital formats made from the Code: the EPUB 3 book
(``[epub]``), the Word document (``[docx]``) and the plain text (``[text]``)."""

from __future__ import annotations

from pydantic import Field, model_validator

from ..errors import quoted
from .print import Section


class EpubSettings(Section):
    """The accessible EPUB 3 (``[epub]``)."""

    file: str = "complaints-code.epub"
    """The published file's name under ``downloads/``."""
    fonts: tuple[str, str] = ("AtkinsonHyperlegible-Regular.ttf",
                              "AtkinsonHyperlegible-Bold.ttf")
    """The fonts embedded in the book, regular then bold, from templates/fonts/
    (each with its licence file, OFL-FAMILY.txt, beside it)."""
    certified_by: str | None = None
    """Who checked the book's accessibility by hand against EPUB
    Accessibility 1.1 and WCAG 2.2 AA (a11y:certifiedBy). Only with it does
    the book claim conformance (dcterms:conformsTo); None: no claim, and the
    accessibility summary says what was checked by machine and how."""
    talking_book_file: str = "complaints-code-talking-book.epub"
    """The talking book's file name under ``downloads/`` (the same book with
    the text read aloud, in the ``talking-book`` format; its voice, speed and
    pauses are the ``[audio]`` settings)."""


class DocxSettings(Section):
    """The Word document (``[docx]``)."""

    file: str = "complaints-code.docx"
    """The published file's name under ``downloads/``."""
    size: int = Field(default=16, ge=12, le=72)
    """The body size in points of the published document (UKAAF: at least 16)."""
    sizes: tuple[int, ...] = Field((16, 18, 20, 24, 28, 32), min_length=1)
    """The sizes a copy may be asked for in, in points (as for large print)."""
    font: str = "Arial"
    """The font named in the document. Word cannot be relied on to use an
    embedded font, so this is one every copy of Word has."""
    line_spacing: float = Field(default=1.5, ge=1.0, le=3.0)
    """Line spacing of the body text as a multiple of its size: 1.5, as the
    PDFs' (UKAAF and WCAG 1.4.12)."""

    @property
    def name(self) -> str:
        """The format's name, for messages about sizes."""
        return "docx"

    @model_validator(mode="after")
    def _size_offered(self) -> DocxSettings:
        if self.size not in self.sizes:
            raise ValueError(f"size {self.size} is not one of sizes {quoted(list(self.sizes))}; "
                             "add it to sizes or choose one of them")
        return self


class TextSettings(Section):
    """The plain text (``[text]``)."""

    file: str = "complaints-code.txt"
    """The published file's name under ``downloads/``."""
    width: int = Field(default=70, ge=30, le=200)
    """Lines are wrapped at this many characters (70 suits email bodies). A
    phone number, email or web address longer than a line is never split."""
