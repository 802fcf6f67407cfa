"""``build-info.json``: what a published site holds, as one typed record.

Written once per build, at the top of the staged site, and read back by the
next build (what can be reused, which version was published), by
``complaints-code preview`` (which files the site lists) and by the checks
before the swap. This module is the only code that reads or writes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

INFO_NAME = "build-info.json"


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileRecord(_Record):
    """One file of the site, as it was written."""

    sha256: str
    size: int


class FormatRecord(_Record):
    """One format's part of the build."""

    fingerprint: str
    """SHA-256 of what the format was made from (see ``fingerprints``)."""
    files: tuple[str, ...]
    """Its files, by their path under the site."""
    seconds: float
    reused: bool
    """Carried over from the previous site (its fingerprint was unchanged)."""
    phases: dict[str, float] = {}
    """Seconds in the worker: "render", the whole render, and the costly
    parts the engines name (layout, tagging, PEF, encoding ...)."""


class ListedFile(_Record):
    """A file the website lists under "Other formats"."""

    path: str
    label: str
    type: str
    mime: str


class Compliance(_Record):
    """What the compliance check said about the source the site was built
    from (the build's own check, on the Code's effective date)."""

    errors: int
    warnings: int
    notes: int
    summary: str
    """As the build printed it, e.g. "0 errors, 1 warning, 2 notes (rules in
    force on ...)"."""


class BuildInfo(_Record):
    """Everything a build records about the site it published."""

    code_version: str
    effective_date: dt.date
    source_sha256: str
    built_at: dt.datetime
    engines: dict[str, str]
    formats: dict[str, FormatRecord]
    listed: tuple[ListedFile, ...]
    files: dict[str, FileRecord]
    """Every file of the site (but this one), by its path under the site."""
    inputs: str = ""
    """SHA-256 of everything a complete build reads (see ``uptodate``), when
    every format was rendered or reused on its fingerprint; "" after a build
    of some formats only (``--only``), whose other formats were carried over
    as they were."""
    compliance: Compliance | None = None
    """The compliance check's counts, when the build recorded them."""


def read(site: Path) -> BuildInfo | None:
    """The record of a published site; None if there is none, or it cannot
    be read (a site from an older version of the tool is then rebuilt whole)."""
    try:
        return BuildInfo.model_validate_json((site / INFO_NAME).read_bytes())
    except (OSError, ValidationError):
        return None


def write(site: Path, info: BuildInfo) -> None:
    """Write the record into a staged site."""
    text = json.dumps(info.model_dump(mode="json"), indent=2) + "\n"
    (site / INFO_NAME).write_text(text, encoding="utf-8")


def file_records(site: Path) -> dict[str, FileRecord]:
    """Every file under ``site``: its SHA-256 and size, by its path."""
    records = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        records[path.relative_to(site).as_posix()] = FileRecord(
            sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return records
