"""Fingerprints: what a format's output is made from, as one SHA-256 (the
part of the model it shows, its settings, its templates and fonts, the
engines' versions, and the other formats' files for the website). Equal
fingerprints mean equal outputs, so an unchanged format is carried over from
the published site instead of rendered again."""

from __future__ import annotations

import hashlib
import importlib
import json

from .. import renderers
from ..renderers import Artifact
from ..resources import tree_digest
from ..settings import Settings
from ..structure.model import Code
from .uptodate import docs_digest, engine_versions, file_digest


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
        "mkdocs": file_digest(settings.mkdocs_config) if name == "web" else "",
        "docs": docs_digest(settings) if name == "web" else "",
        "engines": engine_versions(),
        "downloads": [(a.name, a.label, a.version, hashlib.sha256(a.data()).hexdigest())
                      for a in downloads],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

