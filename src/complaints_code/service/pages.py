"""The public pages: ask for a copy, and comment on the Code. Plain HTML
forms that work without JavaScript, after the GOV.UK Design System's
patterns (labels, hints, an error summary linked to the fields and listing
every mistake at once, ``autocomplete``, conditional questions), in the
Code's own look.

Post/Redirect/Get: an accepted form answers 303 to its confirmation page.
Each form carries a one-time key, used as the request's idempotency key, so
refreshing the confirmation, or going Back and sending the form again,
never makes a second request: it leads to the first one's confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.engine import RowMapping

from ..copies.offers import offer, offers
from . import intake, store
from .context import Service, service
from .forms import (
    KEY_SHAPE,
    confirmation,
    done,
    expired,
    form_page,
    new_form,
    page,
    posted_key,
    public_post,
    sent_before,
)
from .schemas import FeedbackIn, FieldError, field_errors

router = APIRouter(include_in_schema=False)
# --- Ask for a copy -------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    """One format on the request form, with the questions that belong to it."""

    name: str
    label: str
    hint: str
    sizes: tuple[int, ...]
    """The text sizes to choose from (none: no size question)."""
    default_size: int | None
    grade: bool
    """Whether it asks the braille grade."""


def choices(svc: Service) -> list[Choice]:
    """The formats on the request form: every offered format, by its name
    as customers know it."""
    out = []
    for o in offers():
        sizes = o.sizes(svc.settings) if "size" in o.asked and o.posted else ()
        out.append(Choice(o.name, o.label, o.hint, sizes, o.default_size(svc.settings),
                          "grade" in o.asked))
    return out


def copy_data(form: Any) -> dict[str, Any]:
    """The API body a request form stands for (a size or grade chosen as
    digits becomes a number)."""
    fmt = str(form.get("format") or "")
    lines = [str(form.get(k) or "") for k in ("address-line-1", "address-line-2", "town",
                                                "county")]
    data: dict[str, Any] = {
        "name": form.get("name") or "", "address_lines": [x for x in lines if x.strip()],
        "postcode": form.get("postcode") or None, "email": form.get("email") or None,
        "format": fmt or None, "access_needs": form.get("access-needs") or None,
        "consent": form.get("consent") == "yes",
    }
    for option in ("size", "grade"):
        value = str(form.get(f"{option}-{fmt}") or "") if fmt else ""
        if value:
            data[option] = int(value) if value.isascii() and value.isdigit() and \
                len(value) < 4 else value
    return data


@router.get("/request-a-copy", response_class=HTMLResponse)
async def request_form(request: Request) -> HTMLResponse:
    """The form for asking for a copy."""
    svc = service(request)
    return await form_page(svc, request, "/request-a-copy", "request.html", _copy_row,
                           choices=choices(svc))


@router.get("/request-a-copy/new")
def request_new(request: Request) -> Response:
    """Start a new request (after one was sent from this browser)."""
    return new_form(service(request), "/request-a-copy")


@router.post("/request-a-copy", response_class=HTMLResponse)
async def request_submit(request: Request, background: BackgroundTasks) -> Response:
    """Send the form: 303 to the confirmation page, or the form again with
    every mistake listed. A form sent before, as it was, leads to its first
    request; changed (Back, edit, send), it comes back saying so, ready to
    be sent as a new request."""
    svc = service(request)
    posted = await public_post(svc, request)
    form, values = posted
    key = posted_key(form)
    if key is None:
        return expired(svc, request, 400)
    read = intake.read_copy_request(svc, copy_data(form))
    sent = _copy_row(svc, key)
    if sent is not None:
        if isinstance(read, intake.Accepted) and read.fingerprint == sent["fingerprint"]:
            return done("/request-a-copy", key)
        return sent_before(svc, request, "/request-a-copy", "request.html", values=values,
                           choices=choices(svc), sent=sent)
    if isinstance(read, list):
        return page(svc, request, "request.html", 422, values=values, errors=read,
                    choices=choices(svc), form_key=key)
    outcome = await intake.copy_request(svc, read, f"form:{key}")
    if isinstance(outcome, store.Stored) and outcome.created and outcome.row["email"]:
        background.add_task(intake.acknowledge, svc, outcome.row)
    return done("/request-a-copy", key)  # sent at the same moment with the key: the first


def _copy_row(svc: Service, key: str) -> RowMapping | None:
    with svc.db.reader.connect() as conn:
        return store.copy_request_by_key(conn, f"form:{key}")


@router.get("/request-a-copy/received/{key}", response_class=HTMLResponse)
def request_received(key: str, request: Request) -> HTMLResponse:
    """The confirmation: the reference and when the copy is due."""
    svc = service(request)
    row = _copy_row(svc, key) if KEY_SHAPE.match(key) else None
    if row is None:
        return gone(svc, request)
    return confirmation(svc, request, "request-done.html", row=row,
                        due_by=intake.due_date(svc, row), offer=offer(row["format"]))


def gone(svc: Service, request: Request) -> HTMLResponse:
    """404 for a confirmation page that is not (or no longer) there."""
    return page(svc, request, "error.html", 404, title="Page not found",
                message="This confirmation is not available. If you sent a form, the "
                "reference is in the email we sent you.")


# --- Comment on the Code -----------------------------------------------------------

@router.get("/feedback", response_class=HTMLResponse)
async def feedback_form(request: Request) -> HTMLResponse:
    """The form for commenting on the Code."""
    svc = service(request)
    return await form_page(svc, request, "/feedback", "feedback.html", _feedback_row)


@router.get("/feedback/new")
def feedback_new(request: Request) -> Response:
    """Start a new comment (after one was sent from this browser)."""
    return new_form(service(request), "/feedback")


@router.post("/feedback", response_class=HTMLResponse)
async def feedback_submit(request: Request) -> Response:
    """Send a comment: 303 to the confirmation page, or the form with errors."""
    svc = service(request)
    posted = await public_post(svc, request)
    form, values = posted
    key = posted_key(form)
    if key is None:
        return expired(svc, request, 400)
    data = {"comment": form.get("comment") or "", "section_id": form.get("section") or None,
            "name": form.get("name") or None, "email": form.get("email") or None}
    sent = _feedback_row(svc, key)
    if sent is not None:
        if str(sent["comment"]).strip() == str(data["comment"]).strip():
            return done("/feedback", key)
        return sent_before(svc, request, "/feedback", "feedback.html", values=values,
                           sent=sent)
    errors: list[FieldError]
    try:
        body = FeedbackIn.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
    else:
        errors = intake.feedback_problems(svc, body)
        if not errors:
            await intake.feedback(svc, body, f"form:{key}")
            return done("/feedback", key)
    return page(svc, request, "feedback.html", 422, values=values, errors=errors,
                form_key=key)


def _feedback_row(svc: Service, key: str) -> RowMapping | None:
    with svc.db.reader.connect() as conn:
        return store.feedback_by_key(conn, f"form:{key}")


@router.get("/feedback/received/{key}", response_class=HTMLResponse)
def feedback_received(key: str, request: Request) -> HTMLResponse:
    """The confirmation of a comment, with its reference."""
    svc = service(request)
    row = _feedback_row(svc, key) if KEY_SHAPE.match(key) else None
    if row is None:
        return gone(svc, request)
    return confirmation(svc, request, "feedback-done.html", row=row)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """A start page linking to the two forms."""
    svc = service(request)
    return page(svc, request, "home.html")
