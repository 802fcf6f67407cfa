"""The staff pages: the copy queue (due soonest first, overdue
marked; fulfil one, or a selection as one print run) and, for the legal
role, the feedback inbox by section. Signing in and out is in ``signin``;
sessions and CSRF tokens in ``sessions``."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection

from . import auth, fulfil, store
from .context import Service, service
from .db import now
from .pages import csrf_failed, page
from .sessions import member, to_sign_in
from .staff_api import audit, fulfil_one, staff_view

router = APIRouter(prefix="/staff", include_in_schema=False)
HOME = {"staff": "/staff", "legal": "/staff/feedback"}


def signed_in(request: Request, svc: Service, role: str) -> auth.StaffMember | Response:
    """The member, or a redirect to the sign-in page, or a 403 page."""
    try:
        return member(request, svc, role, cookie=True)
    except HTTPException as exc:
        if exc.status_code == 401:
            return to_sign_in(request)
        return page(svc, request, "error.html", 403, title="You cannot see this page",
                    message=str(exc.detail))


async def staff_post(svc: Service, request: Request,
                     role: str) -> tuple[auth.StaffMember, Any] | Response:
    """A staff form post: the member and the form, or the way to the sign-in
    page, or a 403 page, or 403 for a bad CSRF token (credentials are checked
    first)."""
    who = signed_in(request, svc, role)
    if isinstance(who, Response):
        return who
    form = await request.form()
    refused = csrf_failed(svc, request, form)
    return refused if refused is not None else (who, form)


@router.get("", response_class=HTMLResponse)
def queue(request: Request) -> Response:
    """The copy queue: what is waiting, due soonest first, overdue marked."""
    svc = service(request)
    who = signed_in(request, svc, "staff")
    if isinstance(who, Response):
        return who
    return _queue_page(svc, request, who)


def _queue_page(svc: Service, request: Request, who: auth.StaffMember, status: int = 200,
                message: str = "") -> Response:
    with svc.db.reader.connect() as conn:
        waiting = store.copy_requests_by(conn, "received")
        done = store.copy_requests_by(conn, "fulfilled")[-20:]
    audit(svc, who.name, "view-queue", None, f"{len(waiting)} waiting")
    at = now()
    return page(svc, request, "staff/queue.html", status, who=who,
                waiting=[staff_view(svc, r, at) for r in waiting],
                done=[staff_view(svc, r, at) for r in reversed(done)],
                overdue=sum(store.is_overdue(r, at) for r in waiting), message=message,
                printable=set(svc.settings.print.formats))


@router.post("/copy-requests/{reference}/fulfil")
async def fulfil_page(reference: str, request: Request) -> Response:
    """Fulfil one request: download its copy."""
    svc = service(request)
    checked = await staff_post(svc, request, "staff")
    if isinstance(checked, Response):
        return checked
    who, _ = checked
    from starlette.concurrency import run_in_threadpool

    made = await run_in_threadpool(fulfil_one, svc, who, reference[:40])
    return Response(made.data, media_type=made.media_type, headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"'})


@router.post("/print-run")
async def print_run(request: Request) -> Response:
    """Fulfil the selected requests as one merged PDF for the print room."""
    svc = service(request)
    checked = await staff_post(svc, request, "staff")
    if isinstance(checked, Response):
        return checked
    who, form = checked
    references = [str(r)[:40] for r in form.getlist("reference")][:200]
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_print_run, svc, request, who, references)


def _print_run(svc: Service, request: Request, who: auth.StaffMember,
               references: list[str]) -> Response:
    if not references:
        return _queue_page(svc, request, who, 400, "Select at least one request to print")
    with svc.db.reader.connect() as conn:
        rows = [r for r in (store.copy_request(conn, ref) for ref in references)
                if r is not None and r["status"] == "received"]
    if len(rows) != len(references):
        return _queue_page(svc, request, who, 409, "Some of the selected requests are no "
                           "longer waiting; check the queue and select again")
    try:
        data = fulfil.print_run(svc.code, svc.settings, rows)
    except fulfil.PrintRunError as exc:
        return _queue_page(svc, request, who, 400, str(exc))
    at = now()

    def record(conn: Connection) -> None:
        store.mark_fulfilled(conn, references, who.name, at)
        for ref in references:
            store.audit(conn, who.name, "print-run", ref, f"{len(references)} copies", at)

    svc.writer.run_sync(record)
    name = f"print-run-{at:%Y%m%d-%H%M%S}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


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
