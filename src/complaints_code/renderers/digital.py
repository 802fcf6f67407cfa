"""What the digital formats (EPUB, Word, plain text) share: where their
files go, and the cover letter of an on-request copy, which is printed in
large print and posted or sent beside the file."""

from __future__ import annotations

from ..resources import resources
from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext, artifact

DOWNLOADS = "downloads/"


def letter(code: Code, settings: Settings, context: RenderContext, stem: str) -> list[Artifact]:
    """The copy's cover letter as ``STEM-letter.pdf`` (large print, at the
    copy's size where that is a large-print size), or nothing without one."""
    if context.letter is None:
        return []
    # lazy: the PDF engine (pikepdf, fontTools, WeasyPrint) only for copies with a letter
    from ..engines.pdf import render as pdf

    fmt = settings.print.formats["large-print"]
    data = pdf.letter_pdf(code, pdf.Setup(resources(settings), settings.print),
                          context.letter, fmt, fmt.size)
    return [artifact(f"{DOWNLOADS}{stem}-letter.pdf", data, media_type="application/pdf",
                     copy_suffix="-letter.pdf")]
