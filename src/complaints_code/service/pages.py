"""The public pages: ask for a copy, and comment on the Code. Plain HTML
forms that work without JavaScript, after the GOV.UK Design System's
patterns (labels, hints, an error summary linked to the fields,
``autocomplete``), in the Code's own look."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from ..copies import offers
from . import intake, sessions
from .context import Service, service
from .schemas import CopyRequestIn, FeedbackIn, FieldError, field_errors
from .store import Stored

router = APIRouter(include_in_schema=False)
HONEYPOT = "website"
FIELD_IDS = {"address_lines": "address-line-1", "access_needs": "access-needs",
             "section_id": "section"}


def field_id(field: str, fmt: str = "") -> str:
    """The id of the input an error links to."""
    if field in ("size", "grade") and fmt:
        return f"{field}-{fmt}"
    if field == "format":
        return "format"
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


def csrf_failed(svc: Service, request: Request, form: Any) -> HTMLResponse | None:
    """A 403 page when the form's CSRF token is not the session's (or its
    cookie's), or the post comes from another site."""
    if sessions.csrf_ok(svc, request, form.get("csrf_token")):
        return None
    return page(svc, request, "error.html", 403, title="This form has expired",
                message="For your security the form could not be sent. Go back, reload "
                "the page and send it again.")


async def public_post(svc: Service, request: Request) -> tuple[Any, dict[str, str]] | Response:
    """A public form post: the form, and what was typed (to show again with
    any errors); or the refusal from :func:`guarded`."""
    form = await request.form()
    refused = await guarded(svc, request, form)
    if refused is not None:
        return refused
    return form, {k: str(v) for k, v in form.items() if k != "csrf_token"}


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


def _copy_form(svc: Service) -> dict[str, Any]:
    return {"offers": offers.offers(svc.settings)}


@router.get("/request-a-copy", response_class=HTMLResponse)
def request_form(request: Request) -> HTMLResponse:
    """The form for asking for a copy."""
    svc = service(request)
    return page(svc, request, "request.html", values={}, errors=[], **_copy_form(svc))


def copy_data(form: Any) -> dict[str, Any]:
    """The API body a request form stands for."""
    fmt = str(form.get("format") or "")
    lines = [str(form.get(k) or "") for k in ("address-line-1", "address-line-2", "town",
                                                "county")]
    data: dict[str, Any] = {
        "name": form.get("name") or "", "address_lines": [x for x in lines if x.strip()],
        "postcode": form.get("postcode") or None, "email": form.get("email") or None,
        "format": fmt, "access_needs": form.get("access-needs") or None,
        "consent": form.get("consent") == "yes",
    }
    for option in ("size", "grade"):
        value = form.get(f"{option}-{fmt}")
        if value:
            data[option] = value
    return data


@router.post("/request-a-copy", response_class=HTMLResponse)
async def request_submit(request: Request, background: BackgroundTasks) -> Response:
    """Send the form: the confirmation page with the reference, or the form
    again with an error summary."""
    svc = service(request)
    posted = await public_post(svc, request)
    if isinstance(posted, Response):
        return posted
    form, values = posted
    data = copy_data(form)
    errors: list[FieldError]
    try:
        body = CopyRequestIn.model_validate(data)
    except ValidationError as exc:
        errors = intake.with_missing(svc, field_errors(exc), data)
        if not data["consent"] and all(e.field != "consent" for e in errors):
            errors.append(FieldError(field="consent", loc=["consent"], type="missing",
                                     msg="Agree that we can use your details to send your "
                                     "copy"))
    else:
        outcome = await intake.copy_request(svc, body, None)
        if isinstance(outcome, Stored):
            if body.email:
                background.add_task(intake.acknowledge, svc, outcome.row)
            return page(svc, request, "request-done.html", row=outcome.row,
                        due_by=intake.due_date(svc, outcome.row),
                        offer=offers.offer(svc.settings, body.format))
        errors = outcome or []
    order = ["name", "address_lines", "postcode", "email", "format", "size", "grade",
             "access_needs", "consent"]
    errors.sort(key=lambda e: order.index(e.field) if e.field in order else 99)
    return page(svc, request, "request.html", 400, values=values, errors=errors,
                error_for={e.field: e.msg for e in errors}, **_copy_form(svc))


@router.get("/feedback", response_class=HTMLResponse)
def feedback_form(request: Request) -> HTMLResponse:
    """The form for commenting on the Code."""
    svc = service(request)
    return page(svc, request, "feedback.html", values={}, errors=[], error_for={})


@router.post("/feedback", response_class=HTMLResponse)
async def feedback_submit(request: Request) -> Response:
    """Send a comment: the confirmation page, or the form with errors."""
    svc = service(request)
    posted = await public_post(svc, request)
    if isinstance(posted, Response):
        return posted
    form, values = posted
    data = {"comment": form.get("comment") or "", "section_id": form.get("section") or None,
            "name": form.get("name") or None, "email": form.get("email") or None}
    try:
        body = FeedbackIn.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
    else:
        errors = intake.feedback_problems(svc, body)
        if not errors:
            row = await intake.feedback(svc, body)
            return page(svc, request, "feedback-done.html", row=row)
    return page(svc, request, "feedback.html", 400, values=values, errors=errors,
                error_for={e.field: e.msg for e in errors})


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """A start page linking to the two forms."""
    svc = service(request)
    return page(svc, request, "home.html")
