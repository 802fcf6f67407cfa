"""What the ``large-print`` and ``print`` renderers share: one PDF of the
Code at the format's size, after the cover letter of an on-request copy."""

from __future__ import annotations

from ..resources import resources
from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext, artifact

LABELS = {"large-print": "Large print", "print": "Standard print"}


def render_format(name: str, code: Code, settings: Settings,
                  context: RenderContext) -> list[Artifact]:
    """The Code as a tagged PDF in the print format ``name``."""
    # lazy: the PDF engine (pikepdf, fontTools, WeasyPrint) only for the formats that need it
    from ..engines.pdf import render as pdf

    setup = pdf.Setup(resources(settings), settings.print)
    fmt = settings.print.formats[name]
    data = pdf.code_pdf(code, setup, fmt, fmt.size, context.letter)
    return [artifact(f"downloads/{fmt.file}", data, media_type="application/pdf",
                     label=LABELS.get(name, fmt.label_for(fmt.size)), kind="PDF",
                     copy_suffix=".pdf")]
