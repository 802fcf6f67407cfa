"""The renderer registry: one table from format name to renderer.

Every renderer module exposes one function with the same narrow interface::

    def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]

It reads only the model, the settings and the context, writes nothing into
the published site, and returns its outputs as artifacts: a name (the path
under the site folder), a media type, and the content as bytes or as a file
it staged in ``context.work_dir``. The publish step (:mod:`complaints_code.publish`)
stages every format's artifacts and swaps the whole site in at once; the
copy commands (:mod:`complaints_code.copies`) write them as one customer's
copy. Renderers never import each other; the engines below them
(:mod:`complaints_code.engines`) do the work.

Modules are imported lazily, so ``complaints-code check`` does not pay for
WeasyPrint or MkDocs.
"""

from __future__ import annotations

import importlib
import mimetypes
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import UsageError
from ..settings import Settings

if TYPE_CHECKING:
    from ..engines.pdf.render import Letter
    from ..structure.model import Code


@dataclass(frozen=True)
class Artifact:
    """One output file of a renderer."""

    name: str
    """Its path under the site folder, with forward slashes, e.g.
    ``downloads/complaints-code.brf``."""
    media_type: str
    """Its media type, e.g. ``application/pdf``."""
    content: bytes | None = None
    """Its bytes, or None when the renderer staged it at ``path``."""
    path: Path | None = None
    """A file the renderer staged in its work folder, when ``content`` is None."""
    label: str | None = None
    """The words of its link in the website's "Other formats" list; None: not listed."""
    kind: str = ""
    """The file type shown beside a listed link, e.g. "PDF"."""
    copy_suffix: str | None = None
    """In an on-request copy: what follows the copy's file stem (``.pdf``,
    ``-letter.pdf``, ``-braille.txt``); None: not part of a copy."""
    version: str = ""
    """For a past version's file kept in the site's archive: that version;
    "" for the current version's files."""

    def data(self) -> bytes:
        """The artifact's bytes."""
        if self.content is not None:
            return self.content
        assert self.path is not None, f"artifact {self.name} has neither content nor path"
        return self.path.read_bytes()

    @property
    def size(self) -> int:
        """Its size in bytes."""
        if self.content is not None:
            return len(self.content)
        assert self.path is not None
        return self.path.stat().st_size

    def write_into(self, folder: Path) -> Path:
        """Put the artifact at its name under ``folder`` (moved if staged)."""
        target = folder / self.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.content is not None:
            target.write_bytes(self.content)
        else:
            assert self.path is not None
            shutil.move(self.path, target)
        return target


def artifact(name: str, content: bytes | str, *, media_type: str | None = None,
             label: str | None = None, kind: str = "",
             copy_suffix: str | None = None) -> Artifact:
    """An artifact with its bytes; the media type is guessed from the name if not given."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    media = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Artifact(name, media, data, None, label, kind, copy_suffix)


@dataclass(frozen=True)
class RenderContext:
    """What a render may need besides the model and the settings."""

    work_dir: Path | None = None
    """A private folder for staging large outputs (the website's tree)."""
    downloads: tuple[Artifact, ...] = ()
    """The other formats' artifacts, built first (the website links to them)."""
    past_downloads: tuple[Artifact, ...] = ()
    """Past versions' files the new site keeps (the Changes page links
    them); read-only: they are files of the published site."""
    letter: Letter | None = None
    """An on-request copy's cover letter; None for the published formats."""
    cache_dir: Path | None = None
    """A folder of this format's own, kept from one build to the next, where
    it may keep pieces that are costly to make (the audio's spoken tracks);
    None: make everything afresh."""


class Renderer(Protocol):
    """The one interface every format implements."""

    def __call__(self, code: Code, settings: Settings,
                 context: RenderContext) -> list[Artifact]: ...


@dataclass(frozen=True)
class Format:
    """A format in the registry."""

    name: str
    module: str
    label: str
    """What a customer calls it, e.g. "Large print"."""
    on_request: bool = False
    """Offered as a customer's copy (``complaints-code copy``, the service)."""
    after_downloads: bool = False
    """Built after every other format, with their artifacts (the website)."""
    options: tuple[str, ...] = field(default=())
    """The copy options that apply (size, grade, cells, lines, and for print
    font, bold, line_spacing, sides, paper, envelope); a copy asked for with
    any other is refused."""
    extension: str = ""
    """How the file name of a copy's main file ends (``.pdf``, ``.brf``); a
    copy asked for under another name is refused."""
    cost: int = 1
    """Rough relative render time; the build starts the costliest first."""
    cache: str = ""
    """The cache folder it uses (``OUT/.cache/NAME``) when it shares
    another format's: the talking book speaks with the audio's tracks, so
    that one build speaks each once. Empty: a folder of its own."""
    inputs: bool = False
    """The module has ``inputs(code, settings)``: the part of the model it
    shows, for the build's fingerprint (a paragraph edit leaves the data
    export alone). Without it the whole model is fingerprinted. Declared
    here so that a build with nothing to do need not import every renderer
    and its engine to find out."""
    warm: tuple[str, ...] = ()
    """Modules its renderer imports on first use that take long to import
    (WeasyPrint, MkDocs): a build's workers import them as they start, while
    the build is still checking the source, so that the work does not wait
    for them."""


_PDF_ENGINE = ("weasyprint", "complaints_code.engines.pdf.render")
_WEB_ENGINE = ("mkdocs.commands.build", "mkdocs.config")

REGISTRY: dict[str, Format] = {f.name: f for f in (
    Format("data", "complaints_code.renderers.data", "Stages and timescales as data",
           inputs=True),
    Format("large-print", "complaints_code.renderers.large_print", "Large print",
           on_request=True, options=("size", "font", "bold", "line_spacing", "sides", "paper",
                                     "envelope"), extension=".pdf", cost=8, warm=_PDF_ENGINE),
    Format("print", "complaints_code.renderers.print_copy", "Standard print",
           on_request=True, options=("size", "sides", "paper", "envelope"), extension=".pdf",
           cost=5, warm=_PDF_ENGINE),
    Format("braille", "complaints_code.renderers.braille", "Braille", on_request=True,
           options=("grade", "cells", "lines"), extension=".brf"),
    Format("epub", "complaints_code.renderers.epub", "EPUB e-book", on_request=True,
           extension=".epub", cost=2),
    Format("docx", "complaints_code.renderers.docx", "Word document", on_request=True,
           options=("size",), extension=".docx", cost=2),
    Format("text", "complaints_code.renderers.text", "Plain text", on_request=True,
           extension=".txt"),
    Format("audio", "complaints_code.renderers.audio", "Audio", on_request=True,
           extension=".zip", cost=6, inputs=True),
    Format("talking-book", "complaints_code.renderers.talking_book", "Talking book",
           on_request=True, extension=".epub", cost=5, inputs=True, cache="audio"),
    Format("web", "complaints_code.renderers.web", "Website", after_downloads=True,
           warm=_WEB_ENGINE),
)}
"""Format name -> its entry, in build order."""


def formats() -> list[str]:
    """Every format name, in build order."""
    return list(REGISTRY)


def copy_formats() -> list[Format]:
    """The formats a customer can ask for a copy in."""
    return [f for f in REGISTRY.values() if f.on_request]


def get(name: str) -> Renderer:
    """The renderer of a format. Raises UsageError for an unknown name."""
    if name not in REGISTRY:
        raise UsageError(f"unknown format '{name}'; choose from {', '.join(REGISTRY)}")
    module = importlib.import_module(REGISTRY[name].module)
    render: Renderer = module.render
    return render


def select(only: str | None) -> list[str]:
    """Format names from a comma-separated ``--only`` value, in build order."""
    if not only:
        return formats()
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    unknown = [name for name in wanted if name not in REGISTRY]
    if unknown:
        raise UsageError(f"unknown format '{unknown[0]}' in --only; choose from "
                         f"{', '.join(REGISTRY)}")
    return [name for name in REGISTRY if name in wanted]
