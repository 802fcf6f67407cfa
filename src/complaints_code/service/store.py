"""Reading and writing the service's records. Every function takes an open
connection, so the caller decides the transaction (the writer thread batches
them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from ..copies.request import CopyRequest
from ..settings import Settings
from .db import now, utc
from .tables import PERSONAL, audit_log, copy_requests, feedback, job_requests, rate_hits

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U, so a reference read aloud is not misheard."""


def new_reference(prefix: str) -> str:
    """A fresh random reference, e.g. CR-7K3M9QXD (40 random bits, drawn at
    once: eight characters of five bits each)."""
    bits = int.from_bytes(secrets.token_bytes(5), "big")
    return prefix + "-" + "".join(ALPHABET[(bits >> shift) & 31] for shift in range(35, -1, -5))


def fingerprint(data: Mapping[str, Any]) -> str:
    """A hash of a request's content, to tell a retry from a different request."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


class IdempotencyConflict(Exception):
    """An Idempotency-Key was reused for a different request."""


@dataclass(frozen=True)
class Stored:
    """A stored copy request and whether this call created it."""

    row: RowMapping
    created: bool


def _prepared(build: Callable[[Any], Any]) -> Callable[[Connection], Any]:
    """A statement built once per dialect (``build`` is given the dialect's
    ``insert``, for ON CONFLICT) and executed with parameters. Built afresh
    for each request with its values inside, it cost more than running it
    (SQLAlchemy works out a cache key for every new statement object); the
    same object's compiled form is found in the engine's cache at once."""
    made: dict[str, Any] = {}

    def statement(conn: Connection) -> Any:
        name = conn.dialect.name
        if name not in made:
            made[name] = build(_dialect_insert(name))
        return made[name]

    return statement


def _dialect_insert(name: str) -> Callable[[Any], Any]:
    if name == "postgresql":
        # lazy: PostgreSQL's SQLAlchemy dialect takes 50 ms to import; only its databases need it
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        return pg_insert
    # lazy: SQLite's SQLAlchemy dialect, likewise, only for SQLite databases
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    return sqlite_insert


def _add_row(table: Any) -> Callable[[Any], Any]:
    return lambda insert_: insert_(table).on_conflict_do_nothing().returning(*table.c)


def _count_hit(insert_: Callable[[Any], Any]) -> Any:
    return insert_(rate_hits).on_conflict_do_update(
        index_elements=[rate_hits.c.client, rate_hits.c.window],
        set_={"hits": rate_hits.c.hits + 1}).returning(rate_hits.c.hits)


_ADD_REQUEST = _prepared(_add_row(copy_requests))
_ADD_FEEDBACK = _prepared(_add_row(feedback))
_RATE_HIT = _prepared(_count_hit)
_BY_KEY = select(copy_requests).where(copy_requests.c.idempotency_key == bindparam("key"))
_FEEDBACK_BY_KEY = select(feedback).where(feedback.c.idempotency_key == bindparam("key"))


def add_copy_request(conn: Connection, values: dict[str, Any], idempotency_key: str | None,
                     references: Iterator[str] | None = None) -> Stored:
    """Store a request once, under the first of ``references`` not taken
    (default: fresh random ones). With an idempotency key already used,
    return the request stored under it (raises IdempotencyConflict if its
    content differs). A concurrent insert with the same key loses on the
    unique index and returns the winner's row."""
    draw = references or iter(lambda: new_reference("CR"), None)
    for _ in range(5):
        row = {**values, "reference": next(draw), "idempotency_key": idempotency_key}
        created = conn.execute(_ADD_REQUEST(conn), row).mappings().first()
        if created is not None:
            return Stored(created, True)
        if idempotency_key is not None:
            existing = copy_request_by_key(conn, idempotency_key)
            if existing is not None:
                if existing["fingerprint"] != values["fingerprint"]:
                    raise IdempotencyConflict(idempotency_key)
                return Stored(existing, False)
        # Otherwise the random reference collided: draw another.
    raise RuntimeError("could not draw an unused reference")


def copy_request(conn: Connection, reference: str) -> RowMapping | None:
    """One request by its reference."""
    return conn.execute(select(copy_requests).where(
        copy_requests.c.reference == reference)).mappings().first()


def copy_request_by_key(conn: Connection, idempotency_key: str) -> RowMapping | None:
    """The request stored under an idempotency key (a form's one-time key)."""
    return conn.execute(_BY_KEY, {"key": idempotency_key}).mappings().first()


def copy_requests_by(conn: Connection, status: str | None = None) -> list[RowMapping]:
    """Requests, due soonest first."""
    query = select(copy_requests).order_by(copy_requests.c.due_by, copy_requests.c.id)
    if status:
        query = query.where(copy_requests.c.status == status)
    return list(conn.execute(query).mappings())


def add_feedback(conn: Connection, values: dict[str, Any],
                 idempotency_key: str | None = None) -> RowMapping:
    """Store a comment under a fresh reference; once for one idempotency key
    (a second call with the key returns the comment stored under it)."""
    for _ in range(5):
        created = conn.execute(_ADD_FEEDBACK(conn), {
            **values, "reference": new_reference("FB"), "idempotency_key": idempotency_key,
        }).mappings().first()
        if created is not None:
            return created
        existing = feedback_by_key(conn, idempotency_key) if idempotency_key else None
        if existing is not None:
            return existing
    raise RuntimeError("could not draw an unused reference")


def feedback_by_key(conn: Connection, idempotency_key: str) -> RowMapping | None:
    """The comment stored under an idempotency key (the form's one-time key)."""
    return conn.execute(_FEEDBACK_BY_KEY, {"key": idempotency_key}).mappings().first()


def feedback_items(conn: Connection) -> list[RowMapping]:
    """Every comment, by section then newest first."""
    return list(conn.execute(select(feedback).order_by(
        feedback.c.section_id, feedback.c.received_at.desc())).mappings())


def mark_reviewed(conn: Connection, reference: str, who: str, at: dt.datetime) -> bool:
    """Mark a comment reviewed; False if there is none with that reference."""
    result = conn.execute(update(feedback).where(feedback.c.reference == reference)
                          .values(reviewed_at=at, reviewed_by=who))
    return result.rowcount > 0


def audit(conn: Connection, actor: str, action: str, subject: str | None = None,
          detail: str | None = None, at: dt.datetime | None = None) -> None:
    """Write one line to the audit log (never personal data: references and counts)."""
    conn.execute(insert(audit_log).values(at=at or now(), actor=actor,
                                          action=action, subject=subject, detail=detail))


def rate_hit(conn: Connection, client: str, window: int) -> int:
    """Count one hit by ``client`` in the time window ``window``; return the
    hits in that window so far (shared by every worker)."""
    return int(conn.execute(_RATE_HIT(conn), {"client": client, "window": window, "hits": 1})
               .scalar_one())


def forget_rate_hits(conn: Connection, before_window: int) -> None:
    """Drop the counters of windows that have ended."""
    conn.execute(rate_hits.delete().where(rate_hits.c.window < before_window))


@dataclass(frozen=True)
class Purged:
    """What a purge cleared."""

    copy_requests: int
    feedback: int


def purge(conn: Connection, now: dt.datetime, request_days: int,
          feedback_days: int) -> Purged:
    """Clear the personal data of requests sent more than ``request_days``
    ago and of comments received more than ``feedback_days`` ago. The rows
    stay (format, dates, section, status) as anonymised counts; the
    idempotency key goes too, and the problems and reasons noted on the
    request and its jobs. (The made files go with ``jobs``' purge.)"""
    cleared = {c: None for c in PERSONAL["copy_requests"]}
    old = and_(copy_requests.c.status == "sent", copy_requests.c.purged_at.is_(None),
               copy_requests.c.sent_at < now - dt.timedelta(days=request_days))
    ids = [i for i, in conn.execute(select(copy_requests.c.id).where(old))]
    done = conn.execute(update(copy_requests).where(copy_requests.c.id.in_(ids))
                        .values(**cleared, idempotency_key=None, problem=None,
                                purged_at=now)).rowcount if ids else 0
    if ids:
        conn.execute(update(job_requests).where(job_requests.c.request_id.in_(ids))
                     .values(reason=None))
    cleared = {c: None for c in PERSONAL["feedback"]}
    comments = conn.execute(update(feedback).where(and_(
        feedback.c.purged_at.is_(None),
        feedback.c.received_at < now - dt.timedelta(days=feedback_days)))
        .values(**cleared, purged_at=now)).rowcount
    return Purged(done, comments)


def counts(conn: Connection) -> dict[str, Any]:
    """Anonymised counts: requests by format and status, comments by section."""
    requests = conn.execute(select(copy_requests.c.format, copy_requests.c.status,
                                   func.count()).group_by(copy_requests.c.format,
                                                          copy_requests.c.status))
    comments = conn.execute(select(feedback.c.section_id, func.count())
                            .group_by(feedback.c.section_id))
    return {"copy_requests": [{"format": f, "status": s, "count": n} for f, s, n in requests],
            "feedback": [{"section_id": s, "count": n} for s, n in comments]}


def address_lines(row: RowMapping) -> list[str]:
    """A stored address as its lines."""
    return [line for line in (row["address"] or "").split("\n") if line]


def is_overdue(row: RowMapping, now: dt.datetime) -> bool:
    """Whether a request not yet sent is past its due time."""
    due = utc(row["due_by"])
    return row["status"] != "sent" and due is not None and due < now


def stored_request(settings: Settings, row: RowMapping,
                   today: dt.date | None = None) -> CopyRequest:
    """A stored request as fulfilment makes it: checked as it was when it
    was taken in (raises CopyRequestInvalid only if the settings have
    changed since); its letter dated ``today`` (default: today)."""
    return CopyRequest.parse({
        "format": row["format"], "size": row["size"], "grade": row["grade"],
        "name": row["name"], "address_lines": address_lines(row),
        "postcode": row["postcode"], "email": row["email"],
        "reference": row["reference"]}, settings, today=today, deliver=True)
