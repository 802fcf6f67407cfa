"""The drafts' records: a draft (``legal.drafts.Draft``) to and from its row,
and the audit log of its steps.

Every change is a conditional update on the draft's ``revision``: a save
made from what another save has since changed updates nothing (the caller
says so) instead of overwriting it. Every function takes an open
connection; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from ...legal.drafts import Acknowledgement, Conflict, Draft, Event, Person, Status
from .. import store
from ..db import utc
from ..tables import audit_log, drafts, jobs

SUBJECT = "draft {}"
"""How the audit log names a draft."""


@dataclass(frozen=True)
class Stored:
    """A draft as stored: the library's draft, its revision and its release job."""

    draft: Draft
    revision: int
    job: int | None
    progress: str | None
    """What its release job is doing now, in words."""

    @property
    def id(self) -> int:
        """The draft's number."""
        return int(self.draft.id)


def _person(name: str | None, approver: bool = False) -> Person | None:
    return Person(name, name, approver) if name else None


def _time(value: Any) -> dt.datetime:
    found = utc(value)
    assert found is not None
    return found


def from_row(row: RowMapping) -> Stored:
    """The draft a row holds."""
    author = _person(row["author"])
    assert author is not None
    draft = Draft(
        id=str(row["id"]), author=author, status=Status(row["status"]),
        base_version=row["base_version"], base_text=row["base_text"], text=row["text"],
        created_at=_time(row["created_at"]), updated_at=_time(row["updated_at"]),
        summary=row["summary"] or "",
        conflicts=tuple(Conflict(**c) for c in json.loads(row["conflicts"] or "[]")),
        acknowledged=tuple(Acknowledgement(a["rule"], a["field"], a["message"], a["by"],
                                           _time(dt.datetime.fromisoformat(a["at"])))
                           for a in json.loads(row["acknowledged"] or "[]")),
        release_version=row["release_version"], release_date=row["release_date"],
        approved_by=_person(row["approved_by"], True), comment=row["comment"] or "",
        version=row["version"], release_error=row["release_error"])
    return Stored(draft, row["revision"], row["job_id"], row["release_progress"])


def _values(draft: Draft) -> dict[str, Any]:
    return {
        "author": draft.author.id, "status": str(draft.status),
        "base_version": draft.base_version, "base_text": draft.base_text, "text": draft.text,
        "created_at": draft.created_at, "updated_at": draft.updated_at,
        "summary": draft.summary,
        "conflicts": json.dumps([c.as_json() for c in draft.conflicts], default=str),
        "acknowledged": json.dumps([{"rule": a.rule, "field": a.field, "message": a.message,
                                     "by": a.by, "at": a.at.isoformat()}
                                    for a in draft.acknowledged]),
        "release_version": draft.release_version, "release_date": draft.release_date,
        "approved_by": draft.approved_by.id if draft.approved_by else None,
        "comment": draft.comment, "version": draft.version,
        "release_error": draft.release_error}


def add(conn: Connection, draft: Draft, event: Event) -> int:
    """Store a new draft (its id is given by the database) and log its
    first step; its number."""
    ident = int(conn.execute(insert(drafts).values(**_values(draft), revision=1)
                             .returning(drafts.c.id)).scalar_one())
    log(conn, event, ident)
    return ident


def get(conn: Connection, ident: int) -> Stored | None:
    """One draft, by its number."""
    row = conn.execute(select(drafts).where(drafts.c.id == ident)).mappings().first()
    return from_row(row) if row is not None else None


def save(conn: Connection, stored: Stored, draft: Draft, event: Event | None,
         **extra: Any) -> bool:
    """Write a draft's next state, if it is still at the revision it was read
    at; log the step. False (nothing written) if it changed meanwhile.
    ``extra``: other columns (job_id, release_progress)."""
    done = conn.execute(update(drafts).where(
        drafts.c.id == stored.id, drafts.c.revision == stored.revision).values(
        **_values(draft), **extra, revision=stored.revision + 1)).rowcount == 1
    if done and event is not None:
        log(conn, event, stored.id)
    return done


def progress(conn: Connection, ident: int, job: int, words: str | None) -> None:
    """Note what the draft's release job is doing (only while it is its job)."""
    conn.execute(update(drafts).where(drafts.c.id == ident, drafts.c.job_id == job)
                 .values(release_progress=words))


def by_job(conn: Connection, job: int) -> Stored | None:
    """The draft a release job releases."""
    row = conn.execute(select(drafts).where(drafts.c.job_id == job)).mappings().first()
    return from_row(row) if row is not None else None


@dataclass(frozen=True)
class Listed:
    """A draft as the list shows it."""

    id: int
    status: str
    author: str
    base_version: str
    updated_at: dt.datetime
    version: str | None
    release_version: str | None
    release_error: str | None
    summary: str


def listing(conn: Connection) -> list[Listed]:
    """Every draft, the most recently changed first."""
    rows = conn.execute(select(
        drafts.c.id, drafts.c.status, drafts.c.author, drafts.c.base_version,
        drafts.c.updated_at, drafts.c.version, drafts.c.release_version,
        drafts.c.release_error, drafts.c.summary).order_by(
        drafts.c.updated_at.desc(), drafts.c.id.desc())).all()
    return [Listed(r[0], r[1], r[2], r[3], _time(r[4]), r[5], r[6], r[7], r[8] or "")
            for r in rows]


def approved(conn: Connection) -> int | None:
    """The draft approved and not yet published, if there is one."""
    found = conn.execute(select(drafts.c.id).where(drafts.c.status == "approved")).scalar()
    return int(found) if found is not None else None


def job_status(conn: Connection, job: int | None) -> RowMapping | None:
    """A release job's row."""
    if job is None:
        return None
    return conn.execute(select(jobs).where(jobs.c.id == job)).mappings().first()


def log(conn: Connection, event: Event, ident: int | None = None) -> None:
    """One step in the audit log: who, what (the step's name: drafted,
    edited, updated, resolved, submitted, returned, approved, published,
    release_failed), when, and its details as JSON."""
    detail = json.dumps(event.detail, default=str, ensure_ascii=False) if event.detail else None
    store.audit(conn, event.actor, event.kind, SUBJECT.format(ident or event.draft), detail,
                event.at)


@dataclass(frozen=True)
class Entry:
    """One step of a draft's history."""

    at: dt.datetime
    actor: str
    action: str
    detail: dict[str, Any]


def history(conn: Connection, ident: int) -> list[Entry]:
    """A draft's steps from the audit log, oldest first."""
    rows = conn.execute(select(audit_log.c.at, audit_log.c.actor, audit_log.c.action,
                               audit_log.c.detail)
                        .where(audit_log.c.subject == SUBJECT.format(ident))
                        .order_by(audit_log.c.at, audit_log.c.id)).all()
    return [Entry(_time(at), actor, action, json.loads(detail) if detail else {})
            for at, actor, action, detail in rows]
