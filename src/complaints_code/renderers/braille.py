"""The ``braille`` format: the Code in Unified English Braille (grade 2 by
default), as paged BRF for embossers, Unicode braille text for braille
displays, PEF 2008-1, and an HTML proofing preview for sighted staff. The
work is done in :mod:`complaints_code.engines.braille`; settings: ``[braille]``.

With an on-request copy's letter, a short braille cover note (name,
reference, how to contact us) and the large-print cover letter come too.
"""

from __future__ import annotations

from ..engines.braille import formats
from ..engines.braille.document import compose, compose_cover_note
from ..engines.braille.translate import UntranslatableText
from ..processes import timing
from ..resources import resources
from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext, artifact

STEM = "downloads/complaints-code"


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """The BRF, Unicode text, PEF and preview (and a copy's cover note and letter)."""
    letter = context.letter
    try:
        with timing.phase("translation and layout"):
            doc = compose(code, settings.braille, letter.date if letter is not None else None)
        note = None if letter is None else compose_cover_note(
            code, settings.braille, letter.name, letter.reference, len(doc.pages))
    except UntranslatableText as exc:
        raise exc.located(settings.source) from None
    res = resources(settings)
    with timing.phase("BRF and text"):
        brf, text = formats.brf(doc), formats.unicode_text(doc)
    with timing.phase("PEF"):
        pef = formats.pef(doc, code)
    with timing.phase("preview"):
        preview = formats.preview(doc, code, res)
    made = [
        artifact(f"{STEM}.brf", brf, media_type="application/octet-stream",
                 label="Braille, for embossers and braille displays", kind="BRF",
                 copy_suffix=".brf"),
        artifact(f"{STEM}-braille.txt", text,
                 media_type="text/plain; charset=utf-8", copy_suffix="-braille.txt"),
        artifact(f"{STEM}.pef", pef, media_type="application/x-pef+xml"),
        artifact(f"{STEM}-braille-preview.html", preview,
                 media_type="text/html", copy_suffix="-braille-preview.html"),
    ]
    if note is not None:
        # The customer's braille cover note, embossed with the copy.
        made.append(artifact(f"{STEM}-cover-note.brf", formats.brf(note),
                             media_type="application/octet-stream",
                             copy_suffix="-cover-note.brf"))
        made.append(_letter(code, settings, context))
    return made


def _letter(code: Code, settings: Settings, context: RenderContext) -> Artifact:
    # lazy: the PDF engine (pikepdf, fontTools, WeasyPrint) only for copies with a letter
    from ..engines.pdf import render as pdf

    assert context.letter is not None
    fmt = settings.print.formats["large-print"]
    data = pdf.letter_pdf(code, pdf.Setup(resources(settings), settings.print),
                          context.letter, fmt, fmt.size)
    return artifact(f"{STEM}-letter.pdf", data, media_type="application/pdf",
                    copy_suffix="-letter.pdf")
