"""The staff API (Bearer token): the queue of copy requests (making and
sending them is in ``jobs_api``).

Who may do what: the ``staff`` role works the copy queue; the ``legal`` role
reads the feedback. No credentials: 401; the wrong role: 403. Every action
is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy.engine import RowMapping

from . import store
from .context import Service, service
from .db import now, utc
from .intake import due_date
from .schemas import StaffCopyRequest
from .sessions import member

log = logging.getLogger("complaints_code.service")
router = APIRouter(prefix="/api/v1/staff")
DENIED: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid credentials."},
    403: {"description": "The account's role may not do this."},
}


def audit(svc: Service, who: str, action: str, subject: str | None = None,
          detail: str | None = None) -> None:
    """Write an audit log entry (from a worker thread)."""
    svc.writer.run_sync(lambda conn: store.audit(conn, who, action, subject, detail))


def staff_view(svc: Service, row: RowMapping, at: dt.datetime) -> StaffCopyRequest:
    """A request as staff see it."""
    received = utc(row["received_at"])
    assert received is not None
    return StaffCopyRequest(
        reference=row["reference"], status=row["status"], format=row["format"],
        due_by=due_date(svc, row), name=row["name"], address_lines=store.address_lines(row),
        postcode=row["postcode"], email=row["email"], size=row["size"], grade=row["grade"],
        access_needs=row["access_needs"], received_at=received,
        overdue=store.is_overdue(row, at), job=row["job_id"], made_at=utc(row["made_at"]),
        sent_at=utc(row["sent_at"]), sent_by=row["sent_by"], problem=row["problem"])


@router.get("/copy-requests", response_model=list[StaffCopyRequest], responses=DENIED)
def list_copy_requests(
    request: Request,
    status: Annotated[Literal["received", "queued", "made", "sent"] | None, Query()] = None,
) -> Any:
    """Copy requests, due soonest first (optionally only those with a status),
    each with its status and job."""
    svc = service(request)
    who = member(request, svc, "staff")
    with svc.db.reader.connect() as conn:
        rows = store.copy_requests_by(conn, status)
    audit(svc, who.name, "list", None, f"status={status or 'any'}; {len(rows)} requests")
    at = now()
    return [staff_view(svc, row, at) for row in rows]
