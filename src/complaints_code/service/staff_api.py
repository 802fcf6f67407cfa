"""The staff API (Bearer token): the queue of copy requests and fulfilment.

Who may do what: the ``staff`` role works the copy queue; the ``legal`` role
reads the feedback. No credentials: 401; the wrong role: 403. Every action
is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from sqlalchemy.engine import Connection, RowMapping

from . import auth, fulfil, mail, store
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
        overdue=store.is_overdue(row, at), fulfilled_at=utc(row["fulfilled_at"]),
        fulfilled_by=row["fulfilled_by"])


@router.get("/copy-requests", response_model=list[StaffCopyRequest], responses=DENIED)
def list_copy_requests(
    request: Request,
    status: Annotated[Literal["received", "fulfilled"] | None, Query()] = None,
) -> Any:
    """Copy requests, due soonest first (optionally only those with a status)."""
    svc = service(request)
    who = member(request, svc, "staff")
    with svc.db.reader.connect() as conn:
        rows = store.copy_requests_by(conn, status)
    audit(svc, who.name, "list", None, f"status={status or 'any'}; {len(rows)} requests")
    at = now()
    return [staff_view(svc, row, at) for row in rows]


def fulfil_one(svc: Service, who: auth.StaffMember, reference: str) -> fulfil.Made:
    """Render a request's copy, send it if it goes by email, and mark it
    fulfilled (once: a second fulfilment re-renders but keeps who and when)."""
    with svc.db.reader.connect() as conn:
        row = store.copy_request(conn, reference)
    if row is None:
        raise HTTPException(404, f"There is no copy request {reference}")
    if row["purged_at"] is not None:
        raise HTTPException(410, f"{reference} was purged: its personal data is gone")
    made = fulfil.render(svc.code, svc.settings, row)
    if row["format"] == "email-pdf" and row["status"] == "received":
        body = svc.render("mail/copy.txt", row=row)
        try:
            mail.send(svc.settings, row["email"], f"Your copy of the Code: {reference}", body,
                      (mail.Attachment(made.filename, made.media_type, made.data),),
                      reference=reference)
        except mail.MailError as exc:
            audit(svc, who.name, "fulfil-failed", reference, "mail not sent")
            raise HTTPException(502, str(exc)) from None
    at = now()

    def record(conn: Connection) -> None:
        store.mark_fulfilled(conn, [reference], who.name, at)
        store.audit(conn, who.name, "fulfil", reference, row["format"], at)

    svc.writer.run_sync(record)
    log.info("copy request %s fulfilled", reference)
    return made


@router.post("/copy-requests/{reference}/fulfil", responses={
    200: {"description": "The copy: a PDF, a BRF, or a zip of several files.",
          "content": {"application/pdf": {}, "application/zip": {}}},
    404: {"description": "No such request."}, **DENIED})
def fulfil_copy_request(reference: str, request: Request) -> Response:
    """Render the requested copy with its cover letter, return it, and mark
    the request fulfilled; an emailed PDF is sent to the requester."""
    svc = service(request)
    who = member(request, svc, "staff")
    made = fulfil_one(svc, who, reference[:40])
    return Response(made.data, media_type=made.media_type, headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"'})
