"""The jobs' records, written so that two web servers or two workers racing
each other cannot both win.

- Claiming: a request joins a job only by a conditional update from
  ``received`` (one statement: on SQLite the writer's lock, on PostgreSQL the
  row lock, lets one of two racers change it and the other change nothing),
  and a partial unique index refuses a second live job for one request.
- A worker holds a job by a lease: a random token and a time it renews; every
  write it makes checks it still holds the token, so a worker that stalled
  past its lease and woke up again writes nothing.

Every function takes an open connection; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection, RowMapping

from ..db import utc
from ..tables import copy_requests, job_requests, jobs

COPY, PRINT_RUN = "copy", "print-run"
EMAIL_FORMAT = "email-pdf"


@dataclass(frozen=True)
class Claimed:
    """What a "Make copy" got: a new job, or the job the request already has."""

    job: int | None
    """The job (None: the request was sent before jobs existed)."""
    created: bool


class NoSuchRequest(LookupError):
    """No copy request has this reference."""


class PurgedRequest(LookupError):
    """The request's personal data is gone: it cannot be made."""


def _request(conn: Connection, reference: str) -> RowMapping | None:
    return conn.execute(select(copy_requests).where(
        copy_requests.c.reference == reference)).mappings().first()


def _claim(conn: Connection, request_id: int, job: int) -> bool:
    """Move one request from received to queued in ``job``; False if it was
    not waiting (another job has it, or it is made or sent)."""
    return conn.execute(update(copy_requests).where(and_(
        copy_requests.c.id == request_id, copy_requests.c.status == "received",
        copy_requests.c.purged_at.is_(None))).values(
        status="queued", job_id=job, problem=None)).rowcount == 1


def _new_job(conn: Connection, kind: str, who: str, at: dt.datetime) -> int:
    return int(conn.execute(insert(jobs).values(
        kind=kind, status="queued", created_at=at, created_by=who, enqueued_at=at,
        attempts=0).returning(jobs.c.id)).scalar_one())


def claim_copy(conn: Connection, reference: str, who: str, at: dt.datetime) -> Claimed:
    """Queue one request in a new job, or say which job it already has.
    Raises NoSuchRequest or PurgedRequest."""
    row = _request(conn, reference)
    if row is None:
        raise NoSuchRequest(reference)
    if row["purged_at"] is not None:
        raise PurgedRequest(reference)
    if row["status"] == "received":
        job = _new_job(conn, COPY, who, at)
        if _claim(conn, row["id"], job):
            conn.execute(insert(job_requests).values(
                job_id=job, position=0, reference=reference, request_id=row["id"],
                outcome="queued"))
            return Claimed(job, True)
        conn.execute(jobs.delete().where(jobs.c.id == job))
    current = conn.execute(select(copy_requests.c.job_id).where(
        copy_requests.c.id == row["id"])).scalar_one()
    return Claimed(current, False)


def claim_print_run(conn: Connection, references: Iterable[str], who: str,
                    at: dt.datetime, refuse: Callable[[RowMapping], str | None]) -> int:
    """A print run of the references (each once, in the order given): each
    waiting request that ``refuse`` lets in is queued in it; every other
    reference is recorded as failed with the reason. A run nothing could go
    in is failed at once."""
    job = _new_job(conn, PRINT_RUN, who, at)
    queued = 0
    for position, reference in enumerate(dict.fromkeys(references)):
        row = _request(conn, reference)
        reason = _why_not(conn, row, reference, refuse)
        if reason is None and row is not None and not _claim(conn, row["id"], job):
            reason = _why_not(conn, _request(conn, reference), reference, refuse) or \
                "Another member of staff took it just now"
        conn.execute(insert(job_requests).values(
            job_id=job, position=position, reference=reference,
            request_id=row["id"] if row is not None and reason is None else None,
            outcome="failed" if reason else "queued", reason=reason))
        queued += reason is None
    if not queued:
        conn.execute(update(jobs).where(jobs.c.id == job).values(
            status="failed", finished_at=at, reason="None of the copies could go in the run"))
    return job


def _why_not(conn: Connection, row: RowMapping | None, reference: str,
             refuse: Callable[[RowMapping], str | None]) -> str | None:
    if row is None:
        return f"There is no copy request {reference}"
    if row["purged_at"] is not None:
        return "Its personal data was purged, so it cannot be made"
    if row["status"] == "sent":
        return "It was sent already"
    if row["status"] != "received":
        return f"It is in job {row['job_id']} already ({row['status']})"
    return refuse(row)


@dataclass(frozen=True)
class Started:
    """A worker's claim on a job."""

    kind: str
    attempts: int
    created_at: dt.datetime


def start(conn: Connection, job: int, worker: str, token: str, at: dt.datetime,
          lease: float) -> Started | None:
    """Take a queued job (or one whose worker's lease ran out); None if
    another worker has it or it is finished."""
    row = conn.execute(update(jobs).where(and_(jobs.c.id == job, or_(
        jobs.c.status == "queued",
        and_(jobs.c.status == "running", jobs.c.lease_until < at)))).values(
        status="running", worker=worker[:200], lease_token=token,
        lease_until=at + dt.timedelta(seconds=lease), attempts=jobs.c.attempts + 1,
        started_at=func.coalesce(jobs.c.started_at, at))
        .returning(jobs.c.kind, jobs.c.attempts, jobs.c.created_at)).first()
    return Started(row[0], row[1], row[2]) if row is not None else None


def holds(conn: Connection, job: int, token: str) -> bool:
    """Whether the worker with ``token`` still holds the job (locking its row
    on PostgreSQL until the transaction ends)."""
    return conn.execute(select(jobs.c.id).where(and_(
        jobs.c.id == job, jobs.c.lease_token == token, jobs.c.status == "running"))
        .with_for_update()).first() is not None


def renew(conn: Connection, job: int, token: str, at: dt.datetime, lease: float) -> bool:
    """The heartbeat: extend the lease; False if the worker lost the job."""
    return conn.execute(update(jobs).where(and_(
        jobs.c.id == job, jobs.c.lease_token == token, jobs.c.status == "running"))
        .values(lease_until=at + dt.timedelta(seconds=lease))).rowcount == 1


def job_row(conn: Connection, job: int) -> RowMapping | None:
    """One job."""
    return conn.execute(select(jobs).where(jobs.c.id == job)).mappings().first()


def todo(conn: Connection, job: int) -> list[tuple[RowMapping, RowMapping | None]]:
    """A job's entries in order, each with its request (None for a reference
    that never went in)."""
    entries = list(conn.execute(select(job_requests).where(job_requests.c.job_id == job)
                                .order_by(job_requests.c.position)).mappings())
    ids = [e["request_id"] for e in entries if e["request_id"] is not None]
    requests = {r["id"]: r for r in conn.execute(select(copy_requests).where(
        copy_requests.c.id.in_(ids))).mappings()} if ids else {}
    return [(e, requests.get(e["request_id"])) for e in entries]


def part_made(conn: Connection, job: int, token: str, reference: str) -> bool:
    """Record one request of the job made; False if the worker lost the job."""
    if not holds(conn, job, token):
        return False
    conn.execute(update(job_requests).where(and_(
        job_requests.c.job_id == job, job_requests.c.reference == reference))
        .values(outcome="made", reason=None))
    return True


def part_failed(conn: Connection, job: int, reference: str, reason: str) -> None:
    """Record that one request of the job could not be made: it goes back to
    the waiting requests, showing why."""
    conn.execute(update(job_requests).where(and_(
        job_requests.c.job_id == job, job_requests.c.reference == reference))
        .values(outcome="failed", reason=reason))
    conn.execute(update(copy_requests).where(and_(
        copy_requests.c.reference == reference, copy_requests.c.job_id == job,
        copy_requests.c.status == "queued")).values(
        status="received", job_id=None, problem=f"Job {job} could not make it: {reason}"))


def finish(conn: Connection, job: int, token: str, files: list[str], at: dt.datetime) -> bool:
    """Close a job its worker has done: ``made`` with its files if any copy
    was made (the made requests become ``made``; an emailed one is due to be
    sent now), else ``failed``. False if the worker lost the job."""
    if not holds(conn, job, token):
        return False
    made_ids = [r for r, in conn.execute(select(job_requests.c.request_id).where(and_(
        job_requests.c.job_id == job, job_requests.c.outcome == "made")))]
    conn.execute(update(jobs).where(jobs.c.id == job).values(
        status="made" if made_ids else "failed", finished_at=at, lease_token=None,
        lease_until=None, files="\n".join(files) or None,
        reason=None if made_ids else "No copy could be made"))
    live = and_(copy_requests.c.id.in_(made_ids), copy_requests.c.job_id == job,
                copy_requests.c.status == "queued")
    conn.execute(update(copy_requests).where(live).values(status="made", made_at=at))
    conn.execute(update(copy_requests).where(and_(
        copy_requests.c.id.in_(made_ids), copy_requests.c.format == EMAIL_FORMAT,
        copy_requests.c.status == "made", copy_requests.c.mail_next_at.is_(None)))
        .values(mail_next_at=at, mail_attempts=0))
    return True


def release(conn: Connection, job: int, token: str, *, count: bool) -> None:
    """Hand a job back to the queue (its worker was stopped, or failed in a
    way another try may not); ``count``: whether this start counts towards
    the job's attempts."""
    values: dict[str, object] = {"status": "queued", "lease_token": None,
                                 "lease_until": None, "enqueued_at": None}
    if not count:
        values["attempts"] = jobs.c.attempts - 1
    conn.execute(update(jobs).where(and_(
        jobs.c.id == job, jobs.c.lease_token == token, jobs.c.status == "running"))
        .values(**values))


def blame_first(conn: Connection, job: int, reason: str) -> str | None:
    """A job whose workers keep dying: fail the copy they died on (the first
    not yet made) so that the rest can be made; its reference, or None when
    every copy is done (then fail the job)."""
    first = conn.execute(select(job_requests.c.reference).where(and_(
        job_requests.c.job_id == job, job_requests.c.outcome == "queued"))
        .order_by(job_requests.c.position).limit(1)).scalar()
    if first is None:
        return None
    part_failed(conn, job, first, reason)
    conn.execute(update(jobs).where(jobs.c.id == job).values(attempts=1))
    return str(first)


def fail(conn: Connection, job: int, reason: str, at: dt.datetime) -> None:
    """Give a job up: every copy in it goes back to the waiting requests (a
    copy made in a run that never got its file is not made)."""
    for (reference,) in conn.execute(select(job_requests.c.reference).where(and_(
            job_requests.c.job_id == job,
            job_requests.c.outcome.in_(("queued", "made"))))).all():
        part_failed(conn, job, reference, reason)
    conn.execute(update(jobs).where(jobs.c.id == job).values(
        status="failed", finished_at=at, lease_token=None, lease_until=None, reason=reason))


def expire(conn: Connection, at: dt.datetime,
           dead: Callable[[str | None], bool] = lambda worker: False) -> list[int]:
    """Running jobs whose worker stopped renewing its lease, or is known to
    be ``dead``: queued again."""
    running = conn.execute(select(jobs.c.id, jobs.c.worker, jobs.c.lease_until,
                                  jobs.c.lease_token).where(jobs.c.status == "running")).all()
    gone = []
    for ident, worker, until, token in running:
        ends = utc(until)
        if (ends is not None and ends < at) or dead(worker):
            taken = conn.execute(update(jobs).where(and_(
                jobs.c.id == ident, jobs.c.status == "running", jobs.c.lease_token == token))
                .values(status="queued", lease_token=None, lease_until=None, enqueued_at=None))
            if taken.rowcount:
                gone.append(ident)
    return gone


def waiting(conn: Connection, before: dt.datetime) -> list[int]:
    """Queued jobs last put on the queue before ``before`` (or never)."""
    return [i for i, in conn.execute(select(jobs.c.id).where(and_(
        jobs.c.status == "queued",
        or_(jobs.c.enqueued_at.is_(None), jobs.c.enqueued_at < before)))
        .order_by(jobs.c.id))]


def enqueued(conn: Connection, ids: list[int], at: dt.datetime) -> None:
    """Note that jobs were put on the queue."""
    if ids:
        conn.execute(update(jobs).where(jobs.c.id.in_(ids)).values(enqueued_at=at))


def mail_due(conn: Connection, before: dt.datetime) -> list[str]:
    """Emailed copies made and due to be offered to the mail server."""
    return [r for r, in conn.execute(select(copy_requests.c.reference).where(and_(
        copy_requests.c.status == "made", copy_requests.c.mail_next_at <= before)))]


def claim_mail(conn: Connection, reference: str, at: dt.datetime,
               lease: float) -> RowMapping | None:
    """Take an emailed copy that is due to be sent (one sender at a time:
    the next try moves ``lease`` seconds on); None if it is not due."""
    return conn.execute(update(copy_requests).where(and_(
        copy_requests.c.reference == reference, copy_requests.c.status == "made",
        copy_requests.c.mail_next_at <= at)).values(
        mail_next_at=at + dt.timedelta(seconds=lease),
        mail_attempts=copy_requests.c.mail_attempts + 1)
        .returning(*copy_requests.c)).mappings().first()


def mail_sent(conn: Connection, reference: str, at: dt.datetime) -> bool:
    """The mail server took the copy: sent."""
    job_creator = select(jobs.c.created_by).where(
        jobs.c.id == copy_requests.c.job_id).scalar_subquery()
    return conn.execute(update(copy_requests).where(and_(
        copy_requests.c.reference == reference, copy_requests.c.status == "made"))
        .values(status="sent", sent_at=at, sent_by=job_creator, mail_next_at=None,
                problem=None)).rowcount == 1


def mail_refused(conn: Connection, reference: str, next_at: dt.datetime | None,
                 problem: str) -> None:
    """The mail server refused the copy: try again at ``next_at`` (None: the
    tries are used up), and show staff the problem."""
    conn.execute(update(copy_requests).where(and_(
        copy_requests.c.reference == reference, copy_requests.c.status == "made"))
        .values(mail_next_at=next_at, problem=problem))


def send_again(conn: Connection, reference: str, at: dt.datetime) -> bool:
    """Staff ask for an emailed copy whose tries ran out to be sent again."""
    return conn.execute(update(copy_requests).where(and_(
        copy_requests.c.reference == reference, copy_requests.c.status == "made",
        copy_requests.c.format == EMAIL_FORMAT, copy_requests.c.mail_next_at.is_(None)))
        .values(mail_next_at=at, mail_attempts=0, problem=None)).rowcount == 1


def made_in(conn: Connection, job: int) -> list[int]:
    """The requests a job made."""
    return [r for r, in conn.execute(select(job_requests.c.request_id).where(and_(
        job_requests.c.job_id == job, job_requests.c.outcome == "made")))]


def mark_posted(conn: Connection, request_ids: list[int], who: str,
                at: dt.datetime) -> list[str]:
    """Posted copies are sent; the references that changed."""
    changed = and_(copy_requests.c.id.in_(request_ids), copy_requests.c.status == "made",
                   copy_requests.c.format != EMAIL_FORMAT)
    references = [r for r, in conn.execute(select(copy_requests.c.reference).where(changed))]
    conn.execute(update(copy_requests).where(changed).values(
        status="sent", sent_at=at, sent_by=who))
    return references


def purgeable(conn: Connection) -> list[int]:
    """Jobs with files whose every made request is purged (the files hold the
    same personal data)."""
    unpurged = select(job_requests.c.job_id).select_from(job_requests.join(
        copy_requests, copy_requests.c.id == job_requests.c.request_id)).where(and_(
            job_requests.c.outcome == "made", copy_requests.c.purged_at.is_(None)))
    return [i for i, in conn.execute(select(jobs.c.id).where(and_(
        jobs.c.files.is_not(None), jobs.c.id.not_in(unpurged))))]


def files_removed(conn: Connection, ids: list[int]) -> None:
    """Note that jobs' files are gone."""
    if ids:
        conn.execute(update(jobs).where(jobs.c.id.in_(ids)).values(files=None))
