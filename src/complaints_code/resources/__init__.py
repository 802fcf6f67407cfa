"""The one module that knows where the project's resources are: templates,
fonts, the MkDocs configuration, the hand-written pages and the braille
tables. Every other module asks it, with the settings, and never builds a
path to them itself.

Files read through here are cached by their content (a SHA-256 of the bytes),
so a long-running process (the service) sees an edited template or font at
once, and an unchanged one is parsed only once.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ComplaintsCodeError
from ..settings import Settings
from . import caches

LOUIS_TABLE_DIRS = (Path("/usr/share/liblouis/tables"),)
"""Where Debian's liblouis-data puts the braille tables."""


class ResourceError(ComplaintsCodeError):
    """A resource the program needs is missing."""


@dataclass(frozen=True)
class Resources:
    """Where each kind of resource lives, for one set of settings."""

    templates: Path
    mkdocs_config: Path

    def folder(self, kind: str) -> Path:
        """A format's template folder, e.g. ``folder("print")``."""
        return self.templates / kind

    def template(self, kind: str, name: str) -> Path:
        """One template file of a format; raises ResourceError if missing."""
        return _existing(self.folder(kind) / name, "template")

    def font(self, name: str) -> Path:
        """A shipped font file (templates/fonts/NAME); raises ResourceError if missing."""
        return _existing(self.templates / "fonts" / name, "font")

    @property
    def fonts_folder(self) -> Path:
        """The folder of the shipped fonts."""
        return self.templates / "fonts"

    @property
    def service_templates(self) -> Path:
        """The copy-request service's page templates, stylesheet and mail texts."""
        return self.folder("service")

    @property
    def docs(self) -> Path:
        """The website's hand-written pages: the ``docs_dir`` of the MkDocs
        config, which MkDocs resolves against the config file's folder."""
        return self.mkdocs_config.parent / _docs_dir(self.mkdocs_config)


def _docs_dir(config: Path) -> str:
    # A plain read of one key: loading the whole MkDocs config costs 0.3 s.
    try:
        for line in config.read_text(encoding="utf-8").splitlines():
            if line.startswith("docs_dir:"):
                return line.split(":", 1)[1].split("#", 1)[0].strip().strip("'\"") or "docs"
    except OSError:
        pass
    return "docs"


def resources(settings: Settings) -> Resources:
    """The resources of a set of settings."""
    return Resources(settings.templates, settings.mkdocs_config)


def braille_table(name: str) -> Path:
    """The file of a liblouis table; raises ResourceError if liblouis-data lacks it."""
    extra = os.environ.get("LOUIS_TABLEPATH", "")
    for folder in (*LOUIS_TABLE_DIRS, *(Path(p) for p in extra.split(",") if p)):
        if (folder / name).is_file():
            return folder / name
    raise ResourceError(f"the braille table {name} is not installed; install it with "
                        "apt-get install liblouis-data")


def _existing(path: Path, what: str) -> Path:
    if not path.is_file():
        raise ResourceError(f"{path}: the {what} is missing; restore it from the repository "
                            "or check the templates setting (complaints-code config)")
    return path


def read_bytes(path: Path) -> bytes:
    """A resource file's bytes; raises ResourceError naming the file."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ResourceError(f"{path}: cannot read it ({exc.strerror}); restore it from the "
                            "repository") from None


def content_key(path: Path) -> str:
    """A cache key for a file: the SHA-256 of its bytes."""
    return _digest(path, path.stat().st_mtime_ns, path.stat().st_size)


@caches.memo(512)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    # Hashing is cheap, but the stat pair saves re-reading fonts on every call;
    # the hash itself is what keys the caches, so a touched-but-unchanged file
    # still hits.
    return hashlib.sha256(read_bytes(path)).hexdigest()


def tree_digest(folder: Path) -> str:
    """One SHA-256 over every file under a folder (names and contents), for
    build fingerprints. Python's byte-code caches are left out: they come and
    go without any change to what a file says."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(content_key(path).encode())
    return h.hexdigest()
