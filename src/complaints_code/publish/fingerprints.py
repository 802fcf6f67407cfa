"""Fingerprints: what a format's output is made from, as one SHA-256 (the
part of the model it shows, its settings, its templates and fonts, the
engines' versions, and the other formats' files for the website). Equal
fingerprints mean equal outputs, so an unchanged format is carried over from
the published site instead of rendered again."""

from __future__ import annotations

import hashlib
import importlib
import json
from importlib import metadata
from pathlib import Path

from .. import renderers
from ..renderers import Artifact
from ..resources import caches, read_bytes, resources, tree_digest
from ..settings import Settings
from ..structure.model import Code

ENGINE_PACKAGES = ("complaints-code", "weasyprint", "pydyf", "mkdocs", "mkdocs-material",
                   "jinja2", "pikepdf", "fonttools", "python-docx")
PACKAGE = Path(__file__).resolve().parents[1]
"""This package's own folder (complaints_code/)."""


def fingerprint(name: str, code: Code, settings: Settings,
                downloads: tuple[Artifact, ...] = ()) -> str:
    """The fingerprint of format ``name`` for this model and these settings
    (and, for the website, the other formats' files it links)."""
    entry = renderers.REGISTRY[name]
    if entry.inputs:
        shown = importlib.import_module(entry.module).inputs(code, settings)
    else:
        shown = code.model_dump(mode="json")
    parts = {
        "format": name,
        "model": shown,
        "settings": settings.model_dump(mode="json", exclude={"project", "out", "var", "batch"}),
        "templates": tree_digest(settings.templates),
        "mkdocs": _file_digest(settings.mkdocs_config) if name == "web" else "",
        "docs": _docs_digest(settings) if name == "web" else "",
        "engines": engine_versions(),
        "downloads": [(a.name, a.label, a.version, hashlib.sha256(a.data()).hexdigest())
                      for a in downloads],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(read_bytes(path)).hexdigest() if path.is_file() else ""


def _docs_digest(settings: Settings) -> str:
    docs = resources(settings).docs
    return tree_digest(docs) if docs.is_dir() else ""


@caches.memo(None)
def engine_versions() -> dict[str, str]:
    """The versions of the engines and libraries that shape the output."""
    versions = {}
    for package in ENGINE_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    versions["liblouis"] = _louis_version()
    versions["complaints-code"] += f" (source {tree_digest(PACKAGE)[:12]})"
    return versions


def _louis_version() -> str:
    try:
        import louis  # lazy: its binding loads the C library; only a build's fingerprint needs it
    except ImportError:
        return "absent"
    return str(louis.version())
