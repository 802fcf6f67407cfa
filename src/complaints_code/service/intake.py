"""Taking in a copy request or a comment, the same way for the JSON API and
the HTML forms: check it, store it once, acknowledge it by email."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from functools import partial
from typing import Any

from sqlalchemy.engine import RowMapping

from ..copies import offers
from . import mail, store
from .context import Service
from .db import now, utc
from .schemas import CopyRequestIn, CopyRequestOut, FeedbackIn, FieldError

log = logging.getLogger("complaints_code.service")


def wanted(body: CopyRequestIn) -> offers.Wanted:
    """A request as the copies module takes it."""
    return offers.Wanted(body.format, body.size, body.grade, body.name,
                         tuple(body.address_lines), body.postcode, body.email)


def with_missing(svc: Service, errors: list[FieldError], data: object) -> list[FieldError]:
    """Field errors plus the fields the chosen format needs that are empty."""
    have = {e.field for e in errors}
    extra = [FieldError(field=f, loc=["body", f], msg=m, type="missing")
             for f, m in offers.missing_in(svc.settings, data).items() if f not in have]
    return errors + extra


def copy_problems(svc: Service, body: CopyRequestIn) -> list[FieldError]:
    """What is wrong with a request that passed the field checks."""
    found = offers.field_problems(wanted(body), svc.settings)
    return [FieldError(field=f, loc=["body", f], msg=m, type="value_error")
            for f, m in found.items()]


async def copy_request(svc: Service, body: CopyRequestIn,
                       key: str | None) -> store.Stored | list[FieldError] | None:
    """Store a request once: the stored request, the problems with it, or
    None when the idempotency key belongs to a different request."""
    errors = copy_problems(svc, body)
    if errors:
        return errors
    received = now()
    values: dict[str, Any] = {
        "fingerprint": store.fingerprint(body.model_dump()),
        "format": body.format, "size": body.size, "grade": body.grade,
        "name": body.name, "address": "\n".join(body.address_lines) or None,
        "postcode": body.postcode, "email": body.email, "access_needs": body.access_needs,
        "status": "received", "received_at": received,
        "due_by": svc.due_by(received).astimezone(dt.UTC),
    }
    try:
        stored = await svc.writer.run(partial(store.add_copy_request, values=values,
                                              idempotency_key=key))
    except store.IdempotencyConflict:
        return None
    if stored.created:
        log.info("copy request %s received (%s)", stored.row["reference"], body.format)
    else:
        log.info("copy request %s repeated with its idempotency key", stored.row["reference"])
    return stored


def out(svc: Service, row: RowMapping) -> CopyRequestOut:
    """A stored request as the API returns it."""
    return CopyRequestOut(reference=row["reference"], status=row["status"],
                          format=row["format"], due_by=due_date(svc, row))


def due_date(svc: Service, row: RowMapping) -> dt.date:
    """The working day a request is due by (in the Code's time zone)."""
    due = utc(row["due_by"])
    assert due is not None
    return due.astimezone(svc.calendar.zone).date()


def acknowledge(svc: Service, row: RowMapping) -> None:
    """Email the requester the reference (runs after the response is sent)."""
    if not row["email"]:
        return
    offer = offers.offer(svc.settings, row["format"])
    body = svc.render("mail/acknowledgement.txt", row=row, due_by=due_date(svc, row),
                      format_label=offer.label if offer else row["format"])
    with contextlib.suppress(mail.MailError):  # logged by mail.send; the request is stored
        mail.send(svc.settings, row["email"], f"Your request for a copy: {row['reference']}",
                  body, reference=row["reference"])


def feedback_problems(svc: Service, body: FeedbackIn) -> list[FieldError]:
    """What is wrong with a comment that passed the field checks."""
    ids = {s.id for s in svc.code.sections}
    if body.section_id and body.section_id not in ids:
        return [FieldError(field="section_id", loc=["body", "section_id"],
                           msg="Select a section of the Code from the list, or none",
                           type="value_error")]
    return []


async def feedback(svc: Service, body: FeedbackIn) -> RowMapping:
    """Store a comment."""
    values = {"section_id": body.section_id, "comment": body.comment, "name": body.name,
              "email": body.email, "received_at": now()}
    row = await svc.writer.run(partial(store.add_feedback, values=values))
    log.info("feedback %s received", row["reference"])
    return row
