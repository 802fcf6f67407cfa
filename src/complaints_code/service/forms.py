"""The page a form is on, and what every public form shares: a CSRF token
for each page, the one-time key of Post/Redirect/Get (kept in a cookie, so
going Back or refreshing never makes a second request), the checks on a
post (the token, the honeypot, the rate limit), and the blank form page
rendered once and filled in with each visitor's token and key.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import RowMapping
from starlette.concurrency import run_in_threadpool

from . import sessions
from .context import Service

HONEYPOT = "website"
FORM_KEY = "form_key"
"""The hidden field with a form's one-time key."""
KEY_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
"""What a one-time key looks like (anything else was never one of ours)."""
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
    svc.code  # noqa: B018 (the Code as published now: a new version empties blank_forms)
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


class PageRefused(Exception):
    """A page's request refused before its route does any work: the way to
    the sign-in page, a 403 page, a 415 or a 429. Raised by the guards
    (:func:`public_post`, ``staff_pages.signed_in`` and ``staff_post``) and
    answered with its response by the service's HTTP edge (``app.py``), so
    that no route has to pass a refusal back by hand."""

    def __init__(self, response: Response):
        super().__init__(response.status_code)
        self.response = response


async def public_post(svc: Service, request: Request) -> tuple[Any, dict[str, str]]:
    """A public form post: the form, and what was typed (to show again with
    any errors). Raises :class:`PageRefused` with the refusal from
    :func:`guarded`, or a 415 for a body that is not a form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in FORM_TYPES:
        raise PageRefused(page(svc, request, "error.html", 415,
                               title="This form could not be read",
                               message="Send the form from its page."))
    form = await request.form()
    refused = await guarded(svc, request, form)
    if refused is not None:
        raise PageRefused(refused)
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
    return key if KEY_SHAPE.match(key) else None


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
    if KEY_SHAPE.match(key):
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
