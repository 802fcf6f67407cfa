"""Making a requested copy: the same check and renderers as
``complaints-code copy``, with the cover letter addressed to the requester
and the service's reference on it; several files go out as one zip. A print
run merges many requests' PDFs into one for the print room."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from sqlalchemy.engine import RowMapping

from ..copies.batch import merge
from ..copies.request import make_copy
from ..renderers import Artifact
from ..settings import Settings
from ..structure.model import Code
from .intake import stored_request


@dataclass(frozen=True)
class Made:
    """A copy ready to hand over."""

    filename: str
    media_type: str
    data: bytes
    files: tuple[Artifact, ...]
    """The renderer's artifacts (the main file first)."""


def render(code: Code, settings: Settings, row: RowMapping) -> Made:
    """Render one request's copy: the single file, or a zip of several
    (a braille copy with its large-print letter and reading files)."""
    made = make_copy(code, stored_request(settings, row))
    reference = row["reference"]
    main = made[0]
    if len(made) == 1:
        return Made(f"{reference}{main.copy_suffix or ''}", main.media_type, main.data(),
                    tuple(made))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in made:
            archive.writestr(f"{reference}{item.copy_suffix or ''}", item.data())
    return Made(f"{reference}.zip", "application/zip", buffer.getvalue(), tuple(made))


class PrintRunError(Exception):
    """A selection that cannot go into one print run."""


def print_run(code: Code, settings: Settings, rows: list[RowMapping]) -> bytes:
    """One PDF with every selected copy (letters included), each starting on
    a fresh sheet. Only the printed formats (the PDF formats in the print
    settings) can go in it."""
    wrong = [r["reference"] for r in rows if r["format"] not in settings.print.formats]
    if wrong:
        raise PrintRunError(f"{', '.join(wrong)}: only print and large-print copies go in a "
                            "print run (braille, audio and emailed copies are not printed); "
                            "fulfil them one at a time")
    pdfs = []
    for row in rows:
        made = make_copy(code, stored_request(settings, row))
        pdfs.append(made[0].data())
    return merge(pdfs)
