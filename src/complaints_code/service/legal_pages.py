"""The legal team's pages for drafts (legal role, signed in): the list of
drafts, a draft's page (its status, what the check found and where, its
parts, conflicts to resolve, the release's progress, its history), the
redline, and the steps: bring up to date, resolve a conflict, submit,
approve, return, try a release again. The part forms and the YAML view are
in ``legal_forms``. Every form posts and redirects (Post/Redirect/Get); a
refused step shows the page again with the reason in an error summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import SourceError
from ..legal import drafts as library
from . import auth
from .context import Service, service
from .drafts import actions, parts, records, views
from .drafts.actions import Refused
from .drafts.published import published, zone
from .forms import page
from .staff_pages import signed_in, staff_post

router = APIRouter(prefix="/legal", include_in_schema=False)
def legal_page(svc: Service, request: Request, who: auth.StaffMember, template: str,
               status: int = 200, **context: Any) -> HTMLResponse:
    """A page of the legal team's (its stylesheet and script are the app's
    static files, ``assets``)."""
    return page(svc, request, f"legal/{template}", status, who=who,
                when=lambda moment: views.when(moment, zone(svc.settings)),
                html_id=library.html_id, **context)


def error_page(svc: Service, request: Request, exc: Refused) -> HTMLResponse:
    """A 404 or 403 as a page."""
    titles = {404: "Page not found", 403: "You cannot do this"}
    return page(svc, request, "error.html", exc.status,
                title=titles.get(exc.status, "Sorry, there is a problem"), message=exc.message)


def signed(request: Request) -> tuple[Service, auth.StaffMember]:
    """The service and the signed-in member of the legal team (else
    :class:`PageRefused`, with the way to the sign-in page)."""
    svc = service(request)
    return svc, signed_in(request, svc, "legal")


@router.get("/drafts", response_class=HTMLResponse)
def list_drafts(request: Request) -> Response:
    """Every draft, with its status, author, base version and last change."""
    found = signed(request)
    svc, who = found
    with svc.db.reader.connect() as conn:
        items = records.listing(conn)
    return legal_page(svc, request, who, "drafts.html", items=items,
                      published=published(svc.settings))


@router.post("/drafts")
async def new_draft(request: Request) -> Response:
    """Start a draft from the version now published."""
    checked = await staff_post(service(request), request, "legal")
    stored = await run_in_threadpool(actions.start, service(request), checked[0])
    return RedirectResponse(f"/legal/drafts/{stored.id}", 303)


def can(v: views.DraftView, who: auth.StaffMember) -> dict[str, bool]:
    """What this person may do with the draft now."""
    d = v.draft
    author = who.name == d.author.id
    status = str(d.status)
    return {"author": author, "edit": author and v.editable,
            "review": who.approver and not author and status == "submitted",
            "retry": status == "approved" and bool(d.release_error) and not v.releasing}


def overview_context(svc: Service, v: views.DraftView, who: auth.StaffMember) -> dict[str, Any]:
    """What a draft's page shows."""
    try:
        form = library.form(v.draft.text)
    except SourceError:
        form = None
    placed = parts.place(form, v.check.findings or v.check.problems)
    counts: dict[str | None, Counter[str]] = {}
    for p in placed:
        counts.setdefault(p.page, Counter())[p.severity] += 1
    with svc.db.reader.connect() as conn:
        history = records.history(conn, v.id)
    pages = parts.pages(form) if form else []
    names = {path: name for page in pages for path, name in page.names().items()}
    return {"v": v, "d": v.draft, "form": form, "placed": placed, "names": names,
            "pages": pages, "counts": counts,
            "history": history, "can": can(v, who), "choice_words": parts.choice_words}


def draft_page(svc: Service, request: Request, who: auth.StaffMember, ident: str | int,
               status: int = 200, **extra: Any) -> HTMLResponse:
    """A draft's page (``extra``: a refusal to show, a notice)."""
    try:
        v = views.view(svc, actions.load(svc, ident))
    except Refused as exc:
        return error_page(svc, request, exc)
    return legal_page(svc, request, who, "draft.html", status,
                      **overview_context(svc, v, who), **extra)


@router.get("/drafts/{ident}", response_class=HTMLResponse)
def show_draft(ident: str, request: Request, done: str = "") -> Response:
    """A draft's page."""
    found = signed(request)
    svc, who = found
    return draft_page(svc, request, who, ident, done=DONE.get(done, ""))


DONE = {"updated": "The draft was brought up to date with the version published now.",
        "resolved": "The conflict is resolved.",
        "submitted": "The draft is submitted for approval.",
        "returned": "The draft is returned to its author with your comment.",
        "approved": "The draft is approved. It is being published now.",
        "retried": "The release is being tried again."}


@router.get("/drafts/{ident}/redline")
def redline(ident: str, request: Request) -> Response:
    """The redline against the published version, as ``complaints-code diff
    --format html`` makes it, with a link back to the draft."""
    found = signed(request)
    svc, who = found
    try:
        v = views.view(svc, actions.load(svc, ident))
    except Refused as exc:
        return error_page(svc, request, exc)
    if not v.check.valid:
        return draft_page(svc, request, who, ident, 409, refused=Refused(
            409, "The draft is not a valid Code, so it has no redline: fix the problems "
            "listed below first."))
    made = views.redline(v, "html", back=f"/legal/drafts/{v.id}")
    assert made.csp is not None
    return HTMLResponse(made.body, headers={"Content-Security-Policy": made.csp})


async def _step(request: Request, ident: str, act: Any, done: str,
                form_page: str | None = None) -> Response:
    """A button's step: on success back to the draft's page saying so; refused,
    the page again (``form_page``: that form's) with the reason."""
    svc = service(request)
    checked = await staff_post(svc, request, "legal")
    who, form = checked
    try:
        await run_in_threadpool(act, svc, who, form)
    except Refused as exc:
        if exc.status in (403, 404):
            return error_page(svc, request, exc)
        if form_page is not None:
            return await run_in_threadpool(_form_page, svc, request, who, ident, form_page,
                                           exc, form)
        return await run_in_threadpool(draft_page, svc, request, who, ident,
                                       400 if exc.status == 422 else exc.status, refused=exc)
    return RedirectResponse(f"/legal/drafts/{actions.parse_id(ident)}?done={done}", 303)


@router.post("/drafts/{ident}/update")
async def update(ident: str, request: Request) -> Response:
    """Bring the draft up to date with the version published now."""
    return await _step(request, ident, lambda svc, who, _: actions.bring_up_to_date(
        svc, who, ident), "updated")


@router.post("/drafts/{ident}/resolve")
async def resolve(ident: str, request: Request) -> Response:
    """Resolve one conflict (keep mine, take theirs, or a new value)."""
    def act(svc: Service, who: auth.StaffMember, form: Any) -> None:
        field = str(form.get("field") or "")
        choice = str(form.get("choice") or "")
        value: Any = None
        if choice == "value":
            value = _typed(svc, actions.load(svc, ident).draft.text, field,
                           str(form.get("value") or ""))
        actions.resolve(svc, who, ident, field, choice, value)
    return await _step(request, ident, act, "resolved")


def _typed(svc: Service, text: str, field: str, raw: str) -> Any:
    """A new value typed for a conflicting field, as its field holds it."""
    try:
        return library.value_from_form(library.form(text).field(field), raw)
    except (library.FieldError, SourceError):
        return raw


def _signed_form(request: Request, ident: str, template: str) -> Response:
    """A step's form, to a signed-in member of the legal team."""
    found = signed(request)
    return _form_page(found[0], request, found[1], ident, template)


@router.get("/drafts/{ident}/submit", response_class=HTMLResponse)
def submit_form(ident: str, request: Request) -> Response:
    """The form for submitting a draft."""
    return _signed_form(request, ident, "submit.html")


@router.post("/drafts/{ident}/submit")
async def submit(ident: str, request: Request) -> Response:
    """Submit the draft, with a summary and (if need be) the warnings acknowledged."""
    return await _step(request, ident, lambda svc, who, form: actions.submit(
        svc, who, ident, str(form.get("summary") or ""), form.get("acknowledge") == "yes"),
        "submitted", "submit.html")


@router.get("/drafts/{ident}/approve", response_class=HTMLResponse)
def approve_form(ident: str, request: Request) -> Response:
    """What an approver reads before approving or returning a draft."""
    return _signed_form(request, ident, "approve.html")


@router.post("/drafts/{ident}/approve")
async def approve(ident: str, request: Request) -> Response:
    """Approve the draft: its release starts at once."""
    return await _step(request, ident, lambda svc, who, _: actions.approve(svc, who, ident),
                       "approved", "approve.html")


@router.get("/drafts/{ident}/return", response_class=HTMLResponse)
def return_form(ident: str, request: Request) -> Response:
    """The form for returning a draft with a comment."""
    return _signed_form(request, ident, "return.html")


@router.post("/drafts/{ident}/return")
async def return_draft(ident: str, request: Request) -> Response:
    """Return the draft to its author with a comment."""
    return await _step(request, ident, lambda svc, who, form: actions.return_draft(
        svc, who, ident, str(form.get("comment") or "")), "returned", "return.html")


@router.post("/drafts/{ident}/retry")
async def retry(ident: str, request: Request) -> Response:
    """Try a failed release again."""
    return await _step(request, ident, lambda svc, who, _: actions.retry(svc, who, ident),
                       "retried")


def _form_page(svc: Service, request: Request, who: auth.StaffMember, ident: str,
               template: str, refused: Refused | None = None,
               form: Any = None) -> HTMLResponse:
    """The submit, approve or return page (with a refusal, and what was typed)."""
    try:
        v = views.view(svc, actions.load(svc, ident))
    except Refused as exc:
        return error_page(svc, request, exc)
    status = 200 if refused is None else (400 if refused.status == 422 else refused.status)
    typed = {k: str(val) for k, val in form.items() if k != "csrf_token"} if form else {}
    return legal_page(svc, request, who, template, status, **overview_context(svc, v, who),
                      refused=refused, typed=typed)
