"""The ``text`` format: the Code as plain UTF-8 text, wrapped at ``[text]
width`` characters, headings underlined and tables as labelled lists, for
email bodies and screen readers. The work is done in
:mod:`complaints_code.engines.text` (whose ``code_text`` the service uses for
an emailed copy's body)."""

from __future__ import annotations

from pathlib import PurePosixPath

from ..engines.text import code_text
from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext, artifact
from .digital import DOWNLOADS, letter

MEDIA_TYPE = "text/plain; charset=utf-8"


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """The text file (and the cover letter of a copy)."""
    name = settings.text.file
    return [
        artifact(DOWNLOADS + name, code_text(code, settings), media_type=MEDIA_TYPE,
                 label="Plain text, for email and screen readers", kind="TXT",
                 copy_suffix=".txt"),
        *letter(code, settings, context, PurePosixPath(name).stem),
    ]
