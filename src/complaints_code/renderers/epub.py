"""The ``epub`` format: the Code as an accessible EPUB 3 book (reflowable,
with navigation, structured headings, table headers, embedded fonts and
accessibility metadata), checked by EPUBCheck and DAISY Ace in the tests.
The work is done in :mod:`complaints_code.engines.epub`; settings: ``[epub]``."""

from __future__ import annotations

from pathlib import PurePosixPath

from ..engines.epub import code_epub
from ..resources import resources
from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext, artifact
from .digital import DOWNLOADS, letter

MEDIA_TYPE = "application/epub+zip"


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """The EPUB (and the cover letter of a copy)."""
    name = settings.epub.file
    return [
        artifact(DOWNLOADS + name, code_epub(code, settings, resources(settings)),
                 media_type=MEDIA_TYPE, label="EPUB e-book, for e-readers and screen readers",
                 kind="EPUB", copy_suffix=".epub"),
        *letter(code, settings, context, PurePosixPath(name).stem),
    ]
