"""The staff pages for making and sending copies: the copy queue (waiting,
being made, made and not yet sent, recently sent), a job's page (progress,
each copy's outcome, the download, "Mark posted"), and the buttons. Every
button answers at once with a redirect (Post/Redirect/Get): the copies are
made by the workers, and the pages show how far they have got."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..output import human_size
from . import auth, store
from .context import Service, service
from .db import now
from .forms import page
from .jobs import actions, files, views
from .jobs_api import download
from .staff_api import audit, staff_view
from .staff_pages import signed_in, staff_post

router = APIRouter(prefix="/staff", include_in_schema=False)
MAX_SELECTED = actions.MAX_PRINT_RUN


def back(form: Any, default: str) -> str:
    """Where a button sends the browser back to: the page it was on."""
    target = str(form.get("next") or "")
    ok = target.startswith("/staff") and not target.startswith("//")
    return target if ok else default


@router.get("", response_class=HTMLResponse)
def queue(request: Request) -> Response:
    """The copy queue."""
    svc = service(request)
    who = signed_in(request, svc, "staff")
    return queue_page(svc, request, who)


def queue_page(svc: Service, request: Request, who: auth.StaffMember, status: int = 200,
               message: str = "", selected: tuple[str, ...] = ()) -> Response:
    """The copy queue: what is waiting (due soonest first, overdue marked),
    being made, made and not yet sent, and recently sent."""
    with svc.db.reader.connect() as conn:
        waiting = store.copy_requests_by(conn, "received")
        making = views.being_made(conn)
        ready = views.made_jobs(conn)
        made = views.requests_made(conn)
        sent = views.recently_sent(conn)
    audit(svc, who.name, "view-queue", None, f"{len(waiting)} waiting")
    at = now()
    return page(svc, request, "staff/queue.html", status, who=who,
                waiting=[staff_view(svc, r, at) for r in waiting],
                making=making, ready=ready,
                made=made, sent=[staff_view(svc, r, at) for r in sent],
                overdue=sum(store.is_overdue(r, at) for r in [*waiting, *made.values()]),
                message=message, selected=set(selected), zone=svc.calendar.zone,
                printable=set(svc.settings.print.formats))


@router.get("/jobs/{job}", response_class=HTMLResponse)
def job_page(job: int, request: Request, already: str = "") -> Response:
    """One job: its progress, each copy's outcome, its files."""
    svc = service(request)
    who = signed_in(request, svc, "staff")
    view = actions.job_view(svc, job)
    if view is None:
        return page(svc, request, "error.html", 404, title="Page not found",
                    message=f"There is no job {job}.")
    with svc.db.reader.connect() as conn:
        made = views.requests_made(conn)
    return page(svc, request, "staff/job.html", who=who, job=view, already=bool(already),
                made=made, zone=svc.calendar.zone,
                sizes={n: _size(svc, job, n) for n in view.files})


def _size(svc: Service, job: int, name: str) -> str:
    path = files.made_file(svc.settings.var, job, name)
    return human_size(files.size(path)) if path else ""


@router.get("/jobs/{job}/files/{name}")
def job_file(job: int, name: str, request: Request) -> Response:
    """A made file, for the download link on the staff pages."""
    return download(request, job, name)


@router.post("/copy-requests/{reference}/fulfil")
async def make_copy(reference: str, request: Request) -> Response:
    """The Make copy button: queue the job and show its page."""
    svc = service(request)
    checked = await staff_post(svc, request, "staff")
    who, _ = checked
    try:
        claimed = await run_in_threadpool(actions.make_copy, svc, who.name, reference)
    except actions.Refused as exc:
        return await run_in_threadpool(queue_page, svc, request, who, exc.status, str(exc))
    if claimed.job is None:
        return await run_in_threadpool(queue_page, svc, request, who, 409,
                                       f"{actions.clean(reference)} was sent already")
    suffix = "" if claimed.created else "?already=1"
    return RedirectResponse(f"/staff/jobs/{claimed.job}{suffix}", 303)


@router.post("/print-run")
async def print_run(request: Request) -> Response:
    """The print-run button: queue one run of the selected requests."""
    svc = service(request)
    checked = await staff_post(svc, request, "staff")
    who, form = checked
    references = [str(r) for r in form.getlist("reference")][:MAX_SELECTED + 1]
    try:
        job = await run_in_threadpool(actions.print_run, svc, who.name, references)
    except actions.Refused as exc:
        return await run_in_threadpool(queue_page, svc, request, who, 400, str(exc),
                                       tuple(references))
    return RedirectResponse(f"/staff/jobs/{job}", 303)


@router.post("/copy-requests/{reference}/sent")
async def mark_posted(reference: str, request: Request) -> Response:
    """The Mark posted button of one copy."""
    return await _act(request, lambda svc, who: actions.mark_posted(svc, who, reference))


@router.post("/print-runs/{job}/sent")
async def mark_run_posted(job: int, request: Request) -> Response:
    """The Mark all posted button of a print run."""
    return await _act(request, lambda svc, who: actions.mark_run_posted(svc, who, job),
                      f"/staff/jobs/{job}")


@router.post("/copy-requests/{reference}/send")
async def send_again(reference: str, request: Request) -> Response:
    """The Send again button of an emailed copy whose tries ran out."""
    return await _act(request, lambda svc, who: actions.send_again(svc, who, reference))


async def _act(request: Request, act: Any, default: str = "/staff") -> Response:
    svc = service(request)
    checked = await staff_post(svc, request, "staff")
    who, form = checked
    try:
        await run_in_threadpool(act, svc, who.name)
    except actions.Refused as exc:
        return await run_in_threadpool(queue_page, svc, request, who, exc.status, str(exc))
    return RedirectResponse(back(form, default), 303)
