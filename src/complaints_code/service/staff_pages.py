"""The staff pages: sign in and, for the legal role, the feedback inbox by
section (the copy queue is in ``jobs_pages``). Sessions are signed cookies
(Secure, HttpOnly, SameSite=Strict); every form carries a CSRF token."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection

from . import auth, store
from .context import Service, service
from .db import now
from .pages import csrf_failed, page
from .schemas import FieldError
from .staff_api import audit, member

router = APIRouter(prefix="/staff", include_in_schema=False)
HOME = {"staff": "/staff", "legal": "/staff/feedback"}


def signed_in(request: Request, svc: Service, role: str) -> auth.StaffMember | Response:
    """The member, or the sign-in page (401) or a 403 page."""
    try:
        return member(request, svc, role, cookie=True)
    except HTTPException as exc:
        if exc.status_code == 401:
            return page(svc, request, "staff/login.html", 401, next=request.url.path)
        return page(svc, request, "error.html", 403, title="You cannot see this page",
                    message=str(exc.detail))


async def staff_post(svc: Service, request: Request,
                     role: str) -> tuple[auth.StaffMember, Any] | Response:
    """A staff form post: the member and the form, or the 401/403 page, or
    403 for a bad CSRF token (credentials are checked first)."""
    who = signed_in(request, svc, role)
    if isinstance(who, Response):
        return who
    form = await request.form()
    refused = csrf_failed(svc, request, form)
    return refused if refused is not None else (who, form)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    """The sign-in page."""
    svc = service(request)
    return page(svc, request, "staff/login.html", next="/staff")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the name and token; start a session."""
    svc = service(request)
    form = await request.form()
    refused = csrf_failed(svc, request, form)
    if refused is not None:
        return refused
    name = str(form.get("name") or "")[:100]
    token = str(form.get("token") or "")[:200]
    errors: list[tuple[str, str]] = []
    if not name.strip():
        errors.append(("name", "Enter your name"))
    if not token.strip():
        errors.append(("token", "Enter your access token"))
    found = None
    if not errors:
        with svc.db.reader.connect() as conn:
            found = auth.login(conn, name, token.strip())
        if found is None:
            errors.append(("name", "The name or access token is not right"))
    if found is None:
        await svc.writer.run(lambda conn: store.audit(conn, "(unknown)", "login-failed"))
        return page(svc, request, "staff/login.html", 401, values={"name": name},
                    errors=[FieldError(field=f, loc=[f], msg=m, type="value_error")
                            for f, m in errors], error_for=dict(errors),
                    next=str(form.get("next") or "/staff"))
    member_found = found
    await svc.writer.run(lambda conn: store.audit(conn, member_found.name, "login"))
    target = str(form.get("next") or "")
    if not target.startswith("/staff") or target.startswith("/staff/login"):
        target = HOME[found.role]
    response = RedirectResponse(HOME[found.role] if target == "/staff" else target, 303)
    response.set_cookie(auth.SESSION_COOKIE, svc.signer.session(found),
                        max_age=svc.signer.max_age, httponly=True, samesite="strict",
                        secure=svc.settings.service.secure_cookies, path="/")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session."""
    svc = service(request)
    form = await request.form()
    refused = csrf_failed(svc, request, form)
    if refused is not None:
        return refused
    name = svc.signer.session_name(request.cookies.get(auth.SESSION_COOKIE, "")) or "(unknown)"
    await svc.writer.run(lambda conn: store.audit(conn, name, "logout"))
    response = RedirectResponse("/staff/login", 303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


@router.get("/feedback", response_class=HTMLResponse)
def inbox(request: Request) -> Response:
    """The feedback inbox, by section (legal role)."""
    svc = service(request)
    who = signed_in(request, svc, "legal")
    if isinstance(who, Response):
        return who
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
    if isinstance(checked, Response):
        return checked
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
