"""The staff pages: for the legal role, the feedback inbox by section. The
copy queue is in ``jobs_pages``; signing in and out in ``signin``; sessions
and CSRF tokens in ``sessions``."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection

from . import auth, store
from .context import Service, service
from .db import now
from .forms import PageRefused, csrf_failed, page
from .sessions import member, to_sign_in
from .staff_api import audit

router = APIRouter(prefix="/staff", include_in_schema=False)
HOME = {"staff": "/staff", "legal": "/staff/feedback"}


def signed_in(request: Request, svc: Service, role: str) -> auth.StaffMember:
    """The signed-in member with the role. Raises :class:`PageRefused` with
    a redirect to the sign-in page, or a 403 page."""
    try:
        return member(request, svc, role, cookie=True)
    except HTTPException as exc:
        if exc.status_code == 401:
            raise PageRefused(to_sign_in(request)) from None
        raise PageRefused(page(svc, request, "error.html", 403,
                               title="You cannot see this page",
                               message=str(exc.detail))) from None


async def staff_post(svc: Service, request: Request,
                     role: str) -> tuple[auth.StaffMember, Any]:
    """A staff form post: the member and the form. Raises
    :class:`PageRefused` with the way to the sign-in page, a 403 page, or
    403 for a bad CSRF token (credentials are checked first)."""
    who = signed_in(request, svc, role)
    form = await request.form()
    refused = csrf_failed(svc, request, form)
    if refused is not None:
        raise PageRefused(refused)
    return who, form


@router.get("/feedback", response_class=HTMLResponse)
def inbox(request: Request) -> Response:
    """The feedback inbox, by section (legal role)."""
    svc = service(request)
    who = signed_in(request, svc, "legal")
    with svc.db.reader.connect() as conn:
        items = store.feedback_items(conn)
    audit(svc, who.name, "view-feedback", None, f"{len(items)} comments")
    titles = {s.id: s.title for s in svc.code.sections}
    groups: list[tuple[str, str, list[Any]]] = []
    for section, rows in groupby(items, key=lambda r: r["section_id"] or ""):
        groups.append((section, titles.get(section, "The whole Code"), list(rows)))
    return page(svc, request, "staff/feedback.html", who=who, groups=groups,
                waiting=sum(1 for r in items if r["reviewed_at"] is None))


@router.post("/feedback/{reference}/review")
async def review(reference: str, request: Request) -> Response:
    """Mark a comment reviewed."""
    svc = service(request)
    checked = await staff_post(svc, request, "legal")
    who, _ = checked
    at = now()
    ref = reference[:40]

    def record(conn: Connection) -> bool:
        if not store.mark_reviewed(conn, ref, who.name, at):
            return False
        store.audit(conn, who.name, "review", ref, None, at)
        return True

    found = await svc.writer.run(record)
    if not found:
        return page(svc, request, "error.html", 404, title="Page not found",
                    message=f"There is no comment {ref}.")
    return RedirectResponse("/staff/feedback", 303)
