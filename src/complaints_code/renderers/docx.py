"""The ``docx`` format: the Code as a Word document, with Word's heading
styles, a real table with a repeated header row, its title and language set,
and body text at ``[docx] size`` points (16 by default; a copy's ``--size``).
The work is done in :mod:`complaints_code.engines.docx`."""

from __future__ import annotations

from pathlib import PurePosixPath

from ..engines.docx import code_docx
from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext, artifact
from .digital import DOWNLOADS, letter

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """The DOCX (and the cover letter of a copy)."""
    name = settings.docx.file
    return [
        artifact(DOWNLOADS + name, code_docx(code, settings), media_type=MEDIA_TYPE,
                 label="Word document, to enlarge, restyle or edit", kind="DOCX",
                 copy_suffix=".docx"),
        *letter(code, settings, context, PurePosixPath(name).stem),
    ]
