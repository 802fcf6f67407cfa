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

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.engine import RowMapping
from starlette.concurrency import run_in_threadpool

from ..copies.offers import offer, offers
from . import intake, sessions, store
from .context import Service, service
from .schemas import FeedbackIn, FieldError, field_errors

router = APIRouter(include_in_schema=False)
HONEYPOT = "website"
FORM_KEY = "form_key"
"""The hidden field with a form's one-time key."""
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
FORM_COOKIES = {"/request-a-copy": "cc_copy_form", "/feedback": "cc_feedback_form"}
"""The cookie that keeps each form's one-time key."""
FIELD_IDS = {"address_lines": "address-line-1", "access_needs": "access-needs",
             "section_id": "section"}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def field_id(field: str, fmt: str = "") -> str:
    """The id of the input an error links to."""
    if field in ("size", "grade") and fmt:
        return f"{field}-{fmt}"
    return FIELD_IDS.get(field, field.replace("_", "-"))


def page(svc: Service, request: Request, template: str, status: int = 200,
         **context: Any) -> HTMLResponse:
    """A page, with a CSRF cookie and token for its forms."""
    token, fresh = sessions.csrf_for_page(svc, request)
    context.setdefault("values", {})
    context.setdefault("errors", [])
    context.setdefault("error_for", {e.field: e.msg for e in context["errors"]})
    html = svc.render(template, csrf_token=token, field_id=field_id, **context)
    response = HTMLResponse(html, status_code=status)
    if fresh:
        sessions.set_cookie(svc, response, sessions.CSRF_COOKIE, fresh)
    return response


_SLOTS = (("cc-slot-csrf-a", "cc-slot-key-a"), ("cc-slot-csrf-b", "cc-slot-key-b"))
_PLAIN = re.compile(r"^[A-Za-z0-9_-]+$")
"""Tokens that HTML escaping leaves as they are (hex, URL-safe base 64)."""


def blank_form(svc: Service, request: Request, template: str, key: str,
               **context: Any) -> HTMLResponse:
    """A form page as it first comes: nothing typed, no mistakes, its
    one-time key unused. That page is the same for everyone but its CSRF
    token and its key, so it is rendered once per template (with
    placeholders) and each request fills in its own two: a tenth of the
    time of rendering it. (The first render is done twice with different
    placeholders, and the page is kept only if the two agree once filled
    in, so a template that does more with a token than print it is always
    rendered in full.) ``context`` must be the same at every call for a
    template: the form's fixed choices."""
    token, fresh = sessions.csrf_for_page(svc, request)
    svc.code  # noqa: B018 (a newly published Code clears the kept pages)
    if template not in svc.blank_forms:
        svc.blank_forms[template] = _blank(svc, template, context)
    html = svc.blank_forms[template]
    if html is None or not (_PLAIN.match(token) and _PLAIN.match(key)):
        return page(svc, request, template, form_key=key, sent=None, **context)
    (csrf_slot, key_slot), _ = _SLOTS
    response = HTMLResponse(html.replace(csrf_slot, token).replace(key_slot, key))
    if fresh:
        sessions.set_cookie(svc, response, sessions.CSRF_COOKIE, fresh)
    return response


def _blank(svc: Service, template: str, context: dict[str, Any]) -> str | None:
    pages = [svc.render(template, csrf_token=csrf, form_key=key, field_id=field_id, values={},
                        errors=[], error_for={}, sent=None, **context) for csrf, key in _SLOTS]
    (csrf_a, key_a), (csrf_b, key_b) = _SLOTS
    same = pages[0].replace(csrf_a, "T").replace(key_a, "K") == \
        pages[1].replace(csrf_b, "T").replace(key_b, "K")
    return pages[0] if same else None


def csrf_failed(svc: Service, request: Request, form: Any) -> HTMLResponse | None:
    """A 403 page when the form's CSRF token is not the session's (or its
    cookie's), or the post comes from another site."""
    if sessions.csrf_ok(svc, request, form.get("csrf_token")):
        return None
    return expired(svc, request, 403)


def expired(svc: Service, request: Request, status: int) -> HTMLResponse:
    """The page for a form that cannot be sent as it is."""
    return page(svc, request, "error.html", status, title="This form has expired",
                message="For your security the form could not be sent. Go back, reload "
                "the page and send it again.")


async def public_post(svc: Service, request: Request) -> tuple[Any, dict[str, str]] | Response:
    """A public form post: the form, and what was typed (to show again with
    any errors); or the refusal from :func:`guarded`, or 415 for a body that
    is not a form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in FORM_TYPES:
        return page(svc, request, "error.html", 415, title="This form could not be read",
                    message="Send the form from its page.")
    form = await request.form()
    refused = await guarded(svc, request, form)
    if refused is not None:
        return refused
    return form, {k: str(v) for k, v in form.items() if k not in ("csrf_token", FORM_KEY)}


async def guarded(svc: Service, request: Request, form: Any) -> Response | None:
    """Refuse a form post: bad CSRF token (403), the honeypot filled or too
    many posts (429 with Retry-After)."""
    refused = csrf_failed(svc, request, form)
    if refused is not None:
        return refused
    wait = 3600 if form.get(HONEYPOT) else await svc.retry_after(request)
    if wait is None:
        return None
    response = page(svc, request, "error.html", 429, title="Too many requests",
                    message=f"Please wait {wait} seconds, then send the form again.")
    response.headers["Retry-After"] = str(wait)
    return response


def new_key() -> str:
    """A form's one-time key."""
    return secrets.token_urlsafe(24)


def posted_key(form: Any) -> str | None:
    """The one-time key a form came with (None if missing or malformed)."""
    key = str(form.get(FORM_KEY) or "")
    return key if _KEY.match(key) else None


def done(path: str, key: str) -> RedirectResponse:
    """303 to a form's confirmation page."""
    return RedirectResponse(f"{path}/received/{key}", status_code=303)


def confirmation(svc: Service, request: Request, template: str,
                 **context: Any) -> HTMLResponse:
    """A confirmation page: kept out of shared caches and history stores."""
    response = page(svc, request, template, **context)
    response.headers["Cache-Control"] = "no-store"
    return response


async def form_page(svc: Service, request: Request, path: str, template: str,
                    sent: Callable[[Service, str], RowMapping | None],
                    **context: Any) -> HTMLResponse:
    """A form page with its one-time key. The key is also kept in a cookie,
    so the page keeps it however the browser comes back to it: going Back
    after sending may fetch the page again (when the browser has not kept
    it), and it must come with the key already used, or sending it again
    would make a second request. A page whose key was used says so, with a
    link to start a new request (``PATH/new``: a new key).

    Only a key the browser brought back can have been used: a first visit
    (a new key, 192 random bits) is answered without asking the database,
    and without leaving the event loop."""
    cookie = FORM_COOKIES[path]
    key = request.cookies.get(cookie) or ""
    used = None
    if _KEY.match(key):
        used = await run_in_threadpool(sent, svc, key)
    else:
        key = new_key()
    response = (page(svc, request, template, form_key=key, sent=used, **context) if used
                else blank_form(svc, request, template, key, **context))
    response.headers["Cache-Control"] = "private, no-cache"
    keep_key(response, svc, path, key)
    return response


def keep_key(response: Response, svc: Service, path: str, key: str) -> Response:
    """Keep a form's one-time key in its cookie."""
    response.set_cookie(FORM_COOKIES[path], key, httponly=True, samesite="strict", path="/",
                        secure=svc.settings.service.secure_cookies)
    return response


def sent_before(svc: Service, request: Request, path: str, template: str,
                **context: Any) -> Response:
    """A form sent before and changed since (Back, edit, send): shown again
    with what was typed, saying it was sent, under a new key, so that
    sending it now makes a new request, and only then."""
    key = new_key()
    response = page(svc, request, template, 409, form_key=key, changed=True, **context)
    return keep_key(response, svc, path, key)


def new_form(svc: Service, path: str) -> Response:
    """303 to a form page with a new one-time key (a new request)."""
    return keep_key(RedirectResponse(path, status_code=303), svc, path, new_key())


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
    if isinstance(posted, Response):
        return posted
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
        return page(svc, request, "request.html", 400, values=values, errors=read,
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
    row = _copy_row(svc, key) if _KEY.match(key) else None
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
    if isinstance(posted, Response):
        return posted
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
    return page(svc, request, "feedback.html", 400, values=values, errors=errors,
                form_key=key)


def _feedback_row(svc: Service, key: str) -> RowMapping | None:
    with svc.db.reader.connect() as conn:
        return store.feedback_by_key(conn, f"form:{key}")


@router.get("/feedback/received/{key}", response_class=HTMLResponse)
def feedback_received(key: str, request: Request) -> HTMLResponse:
    """The confirmation of a comment, with its reference."""
    svc = service(request)
    row = _feedback_row(svc, key) if _KEY.match(key) else None
    if row is None:
        return gone(svc, request)
    return confirmation(svc, request, "feedback-done.html", row=row)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """A start page linking to the two forms."""
    svc = service(request)
    return page(svc, request, "home.html")
