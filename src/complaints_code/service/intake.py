"""Taking in a copy request or a comment, the same way for the JSON API and
the HTML forms: read it, check it once, store it once, acknowledge it by
email.

A copy request is checked by :meth:`CopyRequest.parse
<complaints_code.copies.request.CopyRequest.parse>` exactly as fulfilment
will check it (:func:`store.stored_request`), with the reference it will carry: so
a request accepted here can always be made. References are drawn at random;
one that would not fit the letter at the size asked for (about 3 in 1,000 at
32 point) is put back and another drawn, so no customer is refused for a
reference they did not choose.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from ..copies.errors import CopyRequestInvalid, FieldProblem
from ..copies.fields import LINE_BREAKS, control_chars
from ..copies.offers import offer
from ..copies.request import CopyRequest
from ..errors import visible
from ..settings import Settings
from . import mail, store
from .context import Service
from .db import now, utc
from .schemas import (
    BODY_FIELDS,
    MAX_ACCESS_NEEDS,
    MAX_ADDRESS_LINES,
    MISSING,
    WORDS,
    CopyRequestOut,
    FeedbackIn,
    FieldError,
    control_words,
    copy_field_errors,
)

log = logging.getLogger("complaints_code.service")
REFERENCE_TRIES = 20
"""References drawn before giving up on one that fits the letter."""
POSTAL = ("address_lines", "postcode")


@dataclass(frozen=True)
class Accepted:
    """A copy request that passed every check, ready to store."""

    request: CopyRequest
    access_needs: str | None
    fingerprint: str
    """A hash of what was asked, to tell a retry from a different request."""


def read_copy_request(svc: Service, data: object) -> Accepted | list[FieldError]:
    """A copy request's JSON body (or a form's values as one), checked: the
    request, or every field's problem in customers' words."""
    if not isinstance(data, dict):
        return [FieldError(field="body", loc=["body"], type="model_type",
                           msg="Send the request as a JSON object")]
    errors = _service_fields(data)
    chosen = offer(data["format"]) if isinstance(data.get("format"), str) else None
    fields = {k: v for k, v in data.items() if k in BODY_FIELDS and k not in (
        "access_needs", "consent") and not (chosen and chosen.by_email and k in POSTAL)}
    for key in ("size", "grade"):
        if fields.get(key) is not None and (isinstance(fields[key], bool)
                                            or not isinstance(fields[key], int)):
            fields.pop(key)  # a number, not text or true: said by _service_fields
    if any(e.field == "address_lines" for e in errors):
        fields.pop("address_lines", None)  # said by _service_fields
    checked = _checked(svc.settings, fields)
    if isinstance(checked, list):
        sizes = chosen.sizes(svc.settings) if chosen else ()
        have = {e.field for e in errors}
        errors += [e for e in copy_field_errors(checked, chosen, sizes) if e.field not in have]
    if errors:
        order = {name: n for n, name in enumerate(BODY_FIELDS)}
        return sorted(errors, key=lambda e: order.get(e.field, 99))
    assert isinstance(checked, CopyRequest)
    access = data.get("access_needs")
    asked = {**checked.values(), "reference": None, "access_needs": access}
    return Accepted(checked, access.strip() if isinstance(access, str) and access.strip()
                    else None, store.fingerprint(asked))


def _service_fields(data: Mapping[str, object]) -> list[FieldError]:
    """The service's own fields (consent, access needs) and the JSON shape."""
    errors = [FieldError(field=k, loc=["body", k], type="extra_forbidden",
                         msg=f"Remove the field “{visible(k)}”: it is not part of the request")
              for k in data if k not in BODY_FIELDS]

    def error(field: str, kind: str, msg: str) -> None:
        errors.append(FieldError(field=field, loc=["body", field], type=kind, msg=msg))

    if data.get("consent") is not True:
        error("consent", "missing", MISSING["consent"])
    needs = data.get("access_needs")
    if needs is not None and not isinstance(needs, str):
        error("access_needs", "type", "Give your access needs as text")
    elif isinstance(needs, str) and control_chars(needs, LINE_BREAKS):
        error("access_needs", "control", control_words("access_needs", ", ".join(
            visible(c) for c in control_chars(needs, LINE_BREAKS))))
    elif isinstance(needs, str) and len(needs.strip()) > MAX_ACCESS_NEEDS:
        error("access_needs", "too_long",
              f"Your access needs must be {MAX_ACCESS_NEEDS} characters or fewer")
    lines = data.get("address_lines")
    if lines is not None and not isinstance(lines, list):
        error("address_lines", "type", "Give your address as a list of lines")
    elif isinstance(lines, list) and len(lines) > MAX_ADDRESS_LINES:
        error("address_lines", "too_long", WORDS["address_lines"].format(most=MAX_ADDRESS_LINES))
    for key in ("size", "grade"):
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            error(key, "type", f"Choose {'a print size' if key == 'size' else 'a braille grade'}"
                  " from the list")
    return errors


def _checked(settings: Settings, fields: Mapping[str, object],
             reference: str | None = None) -> CopyRequest | list[FieldProblem]:
    """The request checked with a reference of its own (``reference``, or one
    drawn until it fits the letter), or its problems."""
    last: list[FieldProblem] = []
    for _ in range(1 if reference else REFERENCE_TRIES):
        try:
            return CopyRequest.parse({**fields, "reference": reference or
                                      store.new_reference("CR")}, settings, deliver=True)
        except CopyRequestInvalid as exc:
            others = [p for p in exc.problems if p.field != "reference"]
            if others:
                return others
            last = list(exc.problems)
    return last


def _references(settings: Settings, accepted: Accepted) -> Iterator[str]:
    """References for a request: its own, then others that also fit (should
    the first be taken already)."""
    assert accepted.request.reference is not None
    yield accepted.request.reference
    fields = {**accepted.request.values(), "reference": None}
    for _ in range(REFERENCE_TRIES):
        again = _checked(settings, fields)
        if isinstance(again, CopyRequest) and again.reference:
            yield again.reference


@dataclass(frozen=True)
class TooMany:
    """The client is over the rate limit: nothing was stored."""

    seconds: int
    """How long to wait (Retry-After)."""


async def copy_request(svc: Service, accepted: Accepted, key: str | None,
                       count: Callable[[Connection], int | None] | None = None,
                       ) -> store.Stored | TooMany | None:
    """Store a request once: the stored request, or None when the
    idempotency key belongs to a different request. With ``count`` (the
    rate limit's count of this post, :meth:`Service.rate_count`), the post
    is counted in the same write, and a client over the limit gets TooMany
    and stores nothing: one transaction, and one wait for the disk, instead
    of two."""
    request = accepted.request
    received = now()
    values: dict[str, Any] = {
        "fingerprint": accepted.fingerprint, "format": request.format, "size": request.size,
        "grade": request.grade, "name": request.name,
        "address": "\n".join(request.address_lines) or None, "postcode": request.postcode,
        "email": request.email, "access_needs": accepted.access_needs,
        "status": "received", "received_at": received,
        "due_by": svc.due_by(received).astimezone(dt.UTC),
    }
    references = _references(svc.settings, accepted)

    def write(conn: Connection) -> store.Stored | TooMany | None:
        wait = count(conn) if count is not None else None
        if wait is not None:
            return TooMany(wait)
        try:
            return store.add_copy_request(conn, values, key, references)
        except store.IdempotencyConflict:
            return None  # nothing written but the count, which stands

    stored = await svc.writer.run(write)
    if isinstance(stored, store.Stored) and stored.created:
        log.info("copy request %s received (%s)", stored.row["reference"], request.format)
    elif isinstance(stored, store.Stored):
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
    """Email the requester the reference (runs after the response is sent).
    The mail holds nothing the public typed but their own name and the
    reference."""
    if not row["email"]:
        return
    found = offer(row["format"])
    body = svc.render("mail/acknowledgement.txt", row=row, due_by=due_date(svc, row),
                      format_label=found.label if found else row["format"])
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


async def feedback(svc: Service, body: FeedbackIn, key: str | None = None) -> RowMapping:
    """Store a comment (once for one idempotency key)."""
    values = {"section_id": body.section_id, "comment": body.comment, "name": body.name,
              "email": body.email, "received_at": now()}
    row = await svc.writer.run(partial(store.add_feedback, values=values, idempotency_key=key))
    log.info("feedback %s received", row["reference"])
    return row
