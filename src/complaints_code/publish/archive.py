"""Past versions' files, kept from build to build under
``downloads/archive/VERSION/`` and linked from the Changes page.

The one rule, used both to write the archive into the new site and to tell
the website what to link: the new site keeps every listed file already in the
published site's archive, and, when the Code's version changes, the
published version's listed PDFs move into the archive under that version.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..renderers import Artifact
from ..structure.versions import version_key
from .buildinfo import BuildInfo, ListedFile

ARCHIVE = "downloads/archive"


def past_downloads(site: Path, info: BuildInfo | None, current_version: str,
                   keep: bool = True) -> list[Artifact]:
    """The past versions' files the new site will hold, oldest version first,
    each an artifact named by its path in the new site and read from where it
    is now in the published ``site``. Empty when versions are not kept or
    nothing is published."""
    if not keep or info is None:
        return []
    found: dict[str, Artifact] = {}
    archive = site / ARCHIVE
    folders = sorted((p for p in archive.iterdir() if p.is_dir()),
                     key=lambda p: version_key(p.name)) if archive.is_dir() else []
    for folder in folders:
        for item in _named(folder, info.listed, folder.name):
            found[item.name] = item
    if info.code_version and info.code_version != current_version:
        for item in _named(site / "downloads", info.listed, info.code_version):
            if item.media_type == "application/pdf":
                found.setdefault(item.name, item)
    return sorted(found.values(), key=lambda a: version_key(a.version))


def _named(folder: Path, listed: tuple[ListedFile, ...], version: str) -> list[Artifact]:
    """The listed files found in ``folder`` by name, as copies of ``version``."""
    out = []
    for entry in listed:
        name = Path(entry.path).name
        if name and (folder / name).is_file():
            out.append(Artifact(f"{ARCHIVE}/{version}/{name}", entry.mime, path=folder / name,
                                label=entry.label, kind=entry.type, version=version))
    return out


def write(past: list[Artifact], staging: Path) -> None:
    """Put the past versions' files into the staged site: hard links to the
    published files where the file system allows, copies otherwise (never a
    move: they are still the live site's)."""
    for item in past:
        assert item.path is not None, item.name
        target = staging / item.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(item.path, target)
        except OSError:
            shutil.copy2(item.path, target)
