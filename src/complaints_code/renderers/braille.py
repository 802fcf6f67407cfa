"""The ``braille`` format: the Code in Unified English Braille (grade 2 by
default), as paged BRF for embossers, Unicode braille text for braille
displays, PEF 2008-1, and an HTML proofing preview for sighted staff, under
``site/downloads/``. The work is done in :mod:`complaints_code.engines.braille`.
"""

from __future__ import annotations

from pathlib import Path

from ..engines.braille import formats
from ..engines.braille.document import BrailleDocument, compose
from ..engines.braille.settings import BrailleSettings, load_settings
from ..engines.braille.translate import UntranslatableText
from ..model import Code
from ..output import write_atomic
from . import RenderOptions

BRF_NAME = "complaints-code.brf"
TEXT_SUFFIX = "-braille.txt"
PREVIEW_SUFFIX = "-braille-preview.html"
PEF_NAME = "complaints-code.pef"


def render(code: Code, options: RenderOptions, out_dir: Path) -> list[Path]:
    """Write the BRF, Unicode text, PEF and preview with the shipped settings."""
    settings = load_settings(options.templates)
    folder = out_dir / "site" / "downloads"
    try:
        doc = compose(code, settings)
    except UntranslatableText as exc:
        raise exc.located(options.source) from None
    written = _write(doc, code, folder / BRF_NAME, options.templates)
    written.append(write_atomic(folder / PEF_NAME, formats.pef(doc, code)))
    return written


def write_copy(code: Code, out_path: Path, *, grade: int = 2, cells: int = 40,
               lines: int = 25, templates: Path = Path("templates")) -> list[Path]:
    """An on-request copy: the BRF at ``out_path``, with the Unicode text
    (``NAME-braille.txt``) and the proofing preview (``NAME-braille-preview.html``)
    beside it. Raises UsageError for a grade, cell or line count out of range,
    and UntranslatableText (naming the source field) before writing anything."""
    settings = copy_settings(templates, grade=grade, cells=cells, lines=lines)
    return _write(compose(code, settings), code, out_path, templates)


def copy_settings(templates: Path, *, grade: int, cells: int, lines: int) -> BrailleSettings:
    """The shipped settings with a copy's grade, cells and lines."""
    return load_settings(templates).with_options(grade=grade, cells=cells, lines=lines)


def _write(doc: BrailleDocument, code: Code, brf_path: Path, templates: Path) -> list[Path]:
    # Everything is made in memory first, so an error leaves no file behind.
    stem = brf_path.with_suffix("")
    contents = [
        (brf_path, formats.brf(doc)),
        (stem.with_name(stem.name + TEXT_SUFFIX), formats.unicode_text(doc).encode("utf-8")),
        (stem.with_name(stem.name + PREVIEW_SUFFIX),
         formats.preview(doc, code, templates).encode("utf-8")),
    ]
    return [write_atomic(path, data) for path, data in contents]
