"""A draft's redline against the published version: the page
``complaints-code diff --format html`` makes, for the draft page and the
approver."""

from __future__ import annotations

from pathlib import Path

from ...structure.source import loads
from ..redline import Redline, Version, redline
from ..redline.formats import render


def draft_redline(published: str, draft: str, *, draft_label: str = "this draft") -> Redline:
    """Every change from the published source to the draft's. Raises
    SourceError if the draft is not a valid Code."""
    old = loads(published, "published")
    new = loads(draft, "draft")
    return redline(Version(old, f"published version {old.metadata.version}"),
                   Version(new, draft_label))


def draft_redline_page(published: str, draft: str, templates: Path, fmt: str = "html", *,
                       draft_label: str = "this draft") -> str:
    """The redline as ``diff`` shows it: ``html`` (a standalone accessible
    page), ``text`` or ``markdown``. ``templates`` is the redline's template
    folder (``resources(settings).folder("redline")``)."""
    return render(draft_redline(published, draft, draft_label=draft_label), fmt, templates)
