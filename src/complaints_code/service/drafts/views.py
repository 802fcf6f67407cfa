"""What the legal team sees of a draft, for the API and the pages alike:
the draft with its check (validation problems, or the findings, by field),
the version now published, its release job, its history, the JSON the API
gives, and the redline page."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from markupsafe import escape
from sqlalchemy.engine import RowMapping

from ...errors import ComplaintsCodeError
from ...legal import drafts
from ...legal.drafts import DraftCheck, Finding, Published, Status
from ...resources import resources
from ...settings import Settings
from ..context import Service
from ..db import utc
from ..security import CSP
from . import records
from .published import check, published

EDITABLE = (Status.EDITING, Status.RETURNED)


@dataclass
class DraftView:
    """A draft as the legal team sees it."""

    stored: records.Stored
    published: Published
    job: RowMapping | None
    settings: Settings

    @property
    def draft(self) -> drafts.Draft:
        """The library's draft."""
        return self.stored.draft

    @property
    def id(self) -> int:
        """Its number."""
        return self.stored.id

    @cached_property
    def check(self) -> DraftCheck:
        """Its validation problems, or its findings (checked once per view)."""
        return check(self.settings, self.draft.text)

    @property
    def out_of_date(self) -> bool:
        """Whether a newer version was published since it began (never for
        a published draft: it is the newer version)."""
        return self.draft.status != Status.PUBLISHED and self.draft.out_of_date(self.published)

    @property
    def editable(self) -> bool:
        """Whether its author may change it now."""
        return self.draft.status in EDITABLE

    @property
    def releasing(self) -> bool:
        """Whether its release job is waiting or running."""
        return self.job is not None and self.job["status"] in ("queued", "running")

    def count(self, severity: str) -> int:
        """How many findings of a severity."""
        return len(self.check.of(severity))

    def job_json(self) -> dict[str, Any] | None:
        """Its release job, for the API."""
        if self.job is None:
            return None
        return {"id": self.job["id"], "status": self.job["status"],
                "progress": self.stored.progress, "reason": self.job["reason"]}


def view(svc: Service, stored: records.Stored) -> DraftView:
    """The view of a stored draft."""
    with svc.db.reader.connect() as conn:
        job = records.job_status(conn, stored.job)
    return DraftView(stored, published(svc.settings), job, svc.settings)


def finding_json(f: Finding) -> dict[str, Any]:
    """A finding as the API gives it: where (line, column, field), the rule,
    its severity and words, as ``complaints-code check`` says them."""
    return {"line": f.line, "column": f.column, "rule": f.rule, "severity": f.severity,
            "message": f.message, "reference": f.reference, "field": f.field}


def as_json(v: DraftView) -> dict[str, Any]:
    """The draft as ``GET /api/v1/legal/drafts/{id}`` gives it."""
    d = v.draft
    plan = v.check.plan
    return {
        "id": v.id, "status": str(d.status), "author": d.author.name,
        "base_version": d.base_version, "published_version": v.published.version,
        "out_of_date": v.out_of_date, "revision": v.stored.revision, "source": d.text,
        "findings": [finding_json(f) for f in v.check.findings],
        "problems": [p.as_json() for p in v.check.problems],
        "counts": {s: v.count(s) for s in ("error", "warning", "note")},
        "release": None if plan is None else {
            "version": d.release_version or plan.version,
            "effective_date": _iso(d.release_date or plan.effective_date),
            "problem": plan.problem},
        "summary": d.summary or None,
        "acknowledged": [{"rule": a.rule, "field": a.field, "message": a.message,
                          "by": a.by, "at": a.at.isoformat()} for a in d.acknowledged],
        "conflicts": [c.as_json() for c in d.conflicts],
        "comment": d.comment or None,
        "approved_by": d.approved_by.name if d.approved_by else None,
        "version": d.version, "release_error": d.release_error, "job": v.job_json(),
        "created_at": d.created_at.isoformat(), "updated_at": d.updated_at.isoformat(),
        "redline": f"/api/v1/legal/drafts/{v.id}/redline",
        "page": f"/legal/drafts/{v.id}",
    }


def _iso(day: dt.date | None) -> str | None:
    """A date, or None for "the day it is published"."""
    return day.isoformat() if day else None


def listed_json(item: records.Listed) -> dict[str, Any]:
    """A draft in the list."""
    return {"id": item.id, "status": item.status, "author": item.author,
            "base_version": item.base_version, "updated_at": item.updated_at.isoformat(),
            "version": item.version, "release_version": item.release_version,
            "release_error": item.release_error, "summary": item.summary or None,
            "url": f"/api/v1/legal/drafts/{item.id}"}


def when(moment: dt.datetime | None, zone: Any) -> str:
    """A time as the pages show it, in the Code's time zone: 4 Dec 2026, 10:05."""
    found = utc(moment)
    if found is None:
        return ""
    local = found.astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M}"


# --- the redline ------------------------------------------------------------

_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_BACK_CSS = ("\n.cc-back { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 0; }\n"
             ".cc-back a { font-weight: 700; }\n")


@dataclass(frozen=True)
class Redline:
    """A redline page and the Content-Security-Policy that lets its own
    stylesheet (inline, as ``diff --format html`` writes it) apply."""

    body: str
    media_type: str
    csp: str | None


def redline(v: DraftView, fmt: str = "html", back: str | None = None) -> Redline:
    """The redline from the version now published to the draft (for a
    published draft: from the version it started from to what it became),
    as ``complaints-code diff --format html`` makes it. ``back``: a link to
    put at the top of an HTML page. Raises ComplaintsCodeError if the draft
    is not a valid Code."""
    d = v.draft
    base = d.base_text if d.status == Status.PUBLISHED else v.published.text
    text, label = _as_released(v)
    page = drafts.draft_redline_page(base, text, resources(v.settings).folder("redline"), fmt,
                                     draft_label=label)
    if fmt != "html":
        media = "text/markdown" if fmt == "markdown" else "text/plain"
        return Redline(page, f"{media}; charset=utf-8", None)
    if back:
        page = _STYLE.sub(lambda m: f"<style>{m.group(1)}{_BACK_CSS}</style>", page, count=1)
        page = page.replace("<body>", f'<body>\n<nav class="cc-back" aria-label="Draft"><a '
                            f'href="{escape(back)}">Back to draft {v.id}</a></nav>', 1)
    return Redline(page, "text/html; charset=utf-8", _csp(page))


def _as_released(v: DraftView) -> tuple[str, str]:
    """The draft's text with the version and effective date it will be
    released with (so the redline reads "version 1.0 to version 1.1"), and
    its label; as it is when that cannot be written."""
    d = v.draft
    if d.status == Status.PUBLISHED:
        return d.text, f"draft {v.id}, published as version {d.version}"
    plan = v.check.plan
    if plan is None or plan.problem is not None:
        return d.text, f"draft {v.id}"
    version = d.release_version or plan.version
    date = d.release_date or plan.effective_date or v.check.as_of
    edits = [drafts.Edit("metadata.version", version)]
    if date is not None:
        edits.append(drafts.Edit("metadata.effective_date", date.isoformat()))
    try:
        text = drafts.apply_edits(d.text, edits)
    except ComplaintsCodeError:
        return d.text, f"draft {v.id}"
    return text, f"draft {v.id}, to be released as version {version}"


def _csp(page: str) -> str:
    styles = [base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode()
              for m in _STYLE.finditer(page)]
    allowed = " ".join(f"'sha256-{h}'" for h in styles)
    return CSP.replace("style-src 'self'", f"style-src 'self' {allowed}")
