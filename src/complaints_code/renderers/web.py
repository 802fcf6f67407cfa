"""The ``web`` format: the Code as an accessible MkDocs Material website,
linking to the other formats' files. The work is done by
:mod:`complaints_code.engines.web.site`."""

from __future__ import annotations

import mimetypes
import tempfile
from pathlib import Path

from ..engines.web import site as web
from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """Build the site in the work folder; every page and asset is an artifact."""
    work = Path(tempfile.mkdtemp(prefix="web-", dir=context.work_dir))
    carried = work / "carried"
    for item in context.downloads:
        target = carried / item.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.data())
    build = web.BuildContext(code, settings, carried, tuple(downloads(context.downloads)),
                             tuple(downloads(context.past_downloads)))
    site = work / "site"
    files = web.build(build, site)
    return [Artifact(path.relative_to(site).as_posix(), _media(path), path=path)
            for path in files]


def downloads(artifacts: tuple[Artifact, ...]) -> list[web.Download]:
    """The listed artifacts as the page's links, in build order (a past
    version's file with its version and the file it is read from)."""
    return [web.Download(a.name, a.label, a.kind, a.media_type, a.size, a.version,
                         a.path if a.version else None)
            for a in artifacts if a.label]


def _media(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
