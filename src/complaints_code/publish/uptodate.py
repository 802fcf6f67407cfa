"""The whole-build fast path: is the published site already what a build of
these inputs would make?

Every complete build records in ``build-info.json`` one SHA-256 of
everything it reads (:func:`digest`): the source's bytes, the settings, the
templates (with the shipped fonts), the website's MkDocs config and pages,
the tool's own version and code, the engines' versions, the environment
variables the engines read, and what depends on the date: which compliance
rules are in force today and the calendar year (the working-time calendar's bank
holidays come from the ``holidays`` package, whose version is counted too).
The next build computes the same digest before it loads the source or any
engine; when the two are equal and every file of the site is still there, at
the size recorded, there is nothing to do (:func:`up_to_date`).

Nothing that is checked is skipped by this. The validation, the compliance
lint, the check that every character can be printed and brailled, and the
checks of the staged site all ran when the published site was built, on
inputs byte for byte the same, and passed: a build that fails any of them
publishes nothing, so a recorded digest is always that of a build that
passed them. Run again on the same bytes they would give the same answers.
If anything differs, even by one byte, the whole pipeline runs (and, within
it, each format is still reused only when its own fingerprint is unchanged:
``fingerprints``).

This module is light to import on purpose (no model of the Code, no
engine): the fast path must answer in a small fraction of a cold build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from ..resources import caches, content_key, read_bytes, resources, tree_digest
from ..settings import Settings
from . import buildinfo
from .buildinfo import BuildInfo

ENGINE_PACKAGES = ("complaints-code", "weasyprint", "pydyf", "mkdocs", "mkdocs-material",
                   "jinja2", "pikepdf", "fonttools", "python-docx")
"""The Python packages whose version shapes a format's output."""
PACKAGE = Path(__file__).resolve().parents[1]
"""This package's own folder (complaints_code/)."""
RULES = PACKAGE / "legal" / "lint" / "rules.yaml"
"""The compliance rules, with the dates each is in force (``legal.lint.rules``)."""
ENGINE_ENVIRONMENT = ("SOURCE_DATE_EPOCH", "LOUIS_TABLEPATH")
"""Environment variables an engine reads (the EPUB's modified date, where
the braille tables are found)."""
NOT_OUTPUT: dict[str, Any] = {"project": True, "out": True, "var": True, "batch": True,
                              "build": {"workers", "lock_wait"}}
"""Settings that do not shape the site: where things are, how many workers
render, how long to wait for another build, batches of copies."""


def digest(settings: Settings, today: dt.date | None = None) -> str:
    """One SHA-256 of everything a complete build of these settings reads
    (``today``: the date the build runs, default today)."""
    on = today or dt.date.today()
    parts = {
        # A source that cannot be read digests as "": never up to date, so
        # the build goes on to report the problem as it always has.
        "source": file_digest(settings.source),
        "settings": settings.model_dump(mode="json", exclude=NOT_OUTPUT),
        "templates": tree_digest(settings.templates),
        "mkdocs": file_digest(settings.mkdocs_config),
        "docs": docs_digest(settings),
        "engines": engine_versions(),
        "environment": {name: os.environ.get(name) for name in ENGINE_ENVIRONMENT},
        "dated": dated(on),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def dated(on: dt.date) -> dict[str, Any]:
    """What a build depends on through the date it runs: which compliance
    rules are in force on ``on``, the calendar year, and the version of the
    bank-holiday data."""
    return {"rule_changes": [d.isoformat() for d in rule_changes() if d <= on],
            "calendar_year": on.year, "holidays": _version("holidays")}


_RULE_DATE = re.compile(r"^\s*(from|until):\s*[\"']?(\d{4}-\d{2}-\d{2})\b", re.MULTILINE)


@caches.memo(None)
def rule_changes() -> tuple[dt.date, ...]:
    """The days on which the set of compliance rules in force changes: each
    rule's ``from`` date and the day after its ``until`` date, in order.

    Which of them have passed says which rules are in force today; with the
    text of ``rules.yaml`` (part of the tool's own code, counted in
    :func:`engine_versions`) that is exactly the set of rules in force. Read
    from the file's lines, without loading the lint, its calendar or a YAML
    parser (a test holds this to ``legal.lint.rules.rules_in_force``)."""
    found = set()
    for key, day in _RULE_DATE.findall(read_bytes(RULES).decode("utf-8")):
        date = dt.date.fromisoformat(day)
        found.add(date if key == "from" else date + dt.timedelta(days=1))
    return tuple(sorted(found))


def up_to_date(settings: Settings, inputs: str, *, strict: bool = False) -> BuildInfo | None:
    """The record of the published site if it was built from exactly
    ``inputs`` (a :func:`digest`) and every file it lists is still there at
    its recorded size; None if a build has work to do. With ``strict``, a
    site whose compliance check reported errors or warnings (or recorded
    none) is not up to date: the build must refuse it again."""
    site = settings.out / "site"
    info = buildinfo.read(site)
    if info is None or not info.inputs or info.inputs != inputs:
        return None
    if strict and (info.compliance is None or info.compliance.errors
                   or info.compliance.warnings):
        return None
    return info if _intact(site, info) else None


def _intact(site: Path, info: BuildInfo) -> bool:
    for rel, meta in info.files.items():
        try:
            if (site / rel).stat().st_size != meta.size:
                return False
        except OSError:
            return False
    return True


def file_digest(path: Path) -> str:
    """SHA-256 of a file; "" if there is none or it cannot be read."""
    try:
        return content_key(path)
    except OSError:
        return ""


def docs_digest(settings: Settings) -> str:
    """One SHA-256 over the website's hand-written pages."""
    docs = resources(settings).docs
    return tree_digest(docs) if docs.is_dir() else ""


@caches.memo(None)
def engine_versions() -> dict[str, str]:
    """The versions of the engines and libraries that shape the output, and
    of this tool (with a digest of its own code, so that an edit counts)."""
    versions = {package: _version(package) for package in ENGINE_PACKAGES}
    versions["liblouis"] = _louis_version()
    versions["complaints-code"] += f" (source {tree_digest(PACKAGE)[:12]})"
    return versions


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def _louis_version() -> str:
    try:
        import louis  # lazy: loads the liblouis C library; only a build's fingerprints need it
    except ImportError:
        return "absent"
    return str(louis.version())
