"""What staff see of the jobs: a job with its requests' outcomes and files,
the jobs being made, the copies made and not yet sent, the copies sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection, RowMapping

from ..db import utc
from ..tables import copy_requests, job_requests, jobs
from .records import COPY, PRINT_RUN


@dataclass(frozen=True)
class Entry:
    """One reference in a job."""

    reference: str
    outcome: str
    """queued (not made yet), made or failed."""
    reason: str | None
    status: str | None
    """The request's status now (None: no such request went in)."""
    format: str | None


@dataclass(frozen=True)
class JobView:
    """A job as staff see it."""

    id: int
    kind: str
    status: str
    created_at: dt.datetime
    created_by: str
    finished_at: dt.datetime | None
    attempts: int
    reason: str | None
    files: tuple[str, ...]
    entries: tuple[Entry, ...]

    @property
    def print_run(self) -> bool:
        """Whether it is a print run (else one "Make copy")."""
        return self.kind == PRINT_RUN

    def count(self, outcome: str) -> int:
        """How many of its references have this outcome."""
        return sum(e.outcome == outcome for e in self.entries)

    @property
    def total(self) -> int:
        """How many copies went in (not counting references refused at once)."""
        return sum(e.status is not None or e.outcome != "failed" for e in self.entries)

    @property
    def unsent(self) -> list[Entry]:
        """Made copies not yet sent."""
        return [e for e in self.entries if e.outcome == "made" and e.status == "made"]

    @property
    def title(self) -> str:
        """"Print run 12" or "Copy CR-… (job 12)"."""
        if self.print_run:
            return f"Print run {self.id}"
        first = self.entries[0].reference if self.entries else "?"
        return f"Copy {first} (job {self.id})"


def job(conn: Connection, ident: int) -> JobView | None:
    """One job, with its references in order."""
    row = conn.execute(select(jobs).where(jobs.c.id == ident)).mappings().first()
    if row is None:
        return None
    entries = conn.execute(select(
        job_requests.c.reference, job_requests.c.outcome, job_requests.c.reason,
        copy_requests.c.status, copy_requests.c.format).select_from(job_requests.outerjoin(
            copy_requests, copy_requests.c.id == job_requests.c.request_id))
        .where(job_requests.c.job_id == ident).order_by(job_requests.c.position)).all()
    return _view(row, [Entry(*e) for e in entries])


def _view(row: RowMapping, entries: list[Entry]) -> JobView:
    created = utc(row["created_at"])
    assert created is not None
    return JobView(row["id"], row["kind"], row["status"], created, row["created_by"],
                   utc(row["finished_at"]), row["attempts"], row["reason"],
                   tuple((row["files"] or "").split("\n")) if row["files"] else (),
                   tuple(entries))


def being_made(conn: Connection) -> list[JobView]:
    """Copy jobs queued or running, oldest first (not the legal team's releases)."""
    ids = [i for i, in conn.execute(select(jobs.c.id).where(
        jobs.c.status.in_(("queued", "running")), jobs.c.kind.in_((COPY, PRINT_RUN)))
        .order_by(jobs.c.id))]
    return [v for v in (job(conn, i) for i in ids) if v is not None]


def made_jobs(conn: Connection) -> list[JobView]:
    """Made jobs that still have copies to send, oldest first."""
    ids = [i for i, in conn.execute(select(copy_requests.c.job_id).where(
        copy_requests.c.status == "made").distinct().order_by(copy_requests.c.job_id))]
    return [v for v in (job(conn, i) for i in ids if i is not None) if v is not None]


def requests_made(conn: Connection) -> dict[str, RowMapping]:
    """Made requests not yet sent, by reference."""
    return {r["reference"]: r for r in conn.execute(select(copy_requests).where(
        copy_requests.c.status == "made")).mappings()}


def recently_sent(conn: Connection, limit: int = 20) -> list[RowMapping]:
    """The copies sent most recently."""
    return list(conn.execute(select(copy_requests).where(copy_requests.c.status == "sent")
                             .order_by(copy_requests.c.sent_at.desc()).limit(limit))
                .mappings())
