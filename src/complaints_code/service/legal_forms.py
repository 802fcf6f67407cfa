"""The legal team's forms for changing a draft: one page per part of the
Code (its fields, the findings beside them, for a timescale the reading in
words, for a section the references panel and the preview as the website
will show it) and the whole YAML for experts. Both change one draft: a form
edit is written into its YAML, keeping comments and layout.

A save is refused (nothing written) if a field's value is wrong, if the
result is not a valid Code, or if the draft changed since the page was
opened; the page comes back with the problems beside their fields and what
was typed kept."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import SourceError
from ..legal import drafts as library
from ..legal.drafts import html_id as drafts_html_id
from ..structure.source import loads
from . import auth
from .context import Service, service
from .drafts import actions, parts, views
from .drafts.actions import Refused
from .drafts.preview import section_html
from .drafts.published import check
from .legal_pages import error_page, legal_page, overview_context, signed
from .staff_pages import staff_post

router = APIRouter(prefix="/legal", include_in_schema=False)


def _part_page(svc: Service, request: Request, who: auth.StaffMember, ident: str, key: str,
               status: int = 200, refused: Refused | None = None,
               errors: dict[str, str] | None = None, typed: dict[str, Any] | None = None,
               saved: bool = False) -> HTMLResponse:
    try:
        v = views.view(svc, actions.load(svc, ident))
    except Refused as exc:
        return error_page(svc, request, exc)
    context = overview_context(svc, v, who)
    found = next((p for p in context["pages"] if p.key == key), None)
    if found is None:
        what = "part" if context["form"] is not None else "form (the draft is not a valid Code)"
        return error_page(svc, request, Refused(404, f"Draft {v.id} has no {what} "
                                                f"'{key[:60]}'; edit it as YAML instead."))
    placed = [p for p in context["placed"] if p.page == key]
    problems = _problems(refused, found, errors or {})
    preview = None
    if found.section is not None and v.check.valid:
        preview = section_html(loads(v.draft.text, "draft"), svc.settings, found.section)
    return legal_page(svc, request, who, "part.html", status, **context, page_part=found,
                      here=placed, beside=parts.by_field(placed), problems=problems,
                      refused=refused, typed=typed or {}, saved=saved, preview=preview,
                      references=context["form"].references, shown=parts.shown)


def _problems(refused: Refused | None, page: parts.Page,
               errors: dict[str, str]) -> list[dict[str, str]]:
    """A refused save's problems, each with the id of the field it is about
    (the field on this page, or the page's top), its words beside the field
    (``message``) and in the error summary, with the field's name (``summary``)."""
    ids, names = page.ids(), page.names()
    found = [(path, message) for path, message in errors.items()]
    for item in (refused.details if refused and refused.status == 422 else []):
        message = item.get("message", "")
        if item.get("hint"):
            message = f"{message}: {item['hint']}"
        where = f" (line {item['line']}, column {item['column']})" if "line" in item else ""
        found.append((item.get("field") or "", message[:1].upper() + message[1:] + where))
    top = drafts_html_id(page.part.path)
    return [{"target": ids.get(path, top), "field": path, "message": message,
             "summary": f"{names[path]}: {message}" if path in names else message}
            for path, message in found]


@router.get("/drafts/{ident}/edit/{key}", response_class=HTMLResponse)
def edit_part(ident: str, key: str, request: Request, saved: str = "") -> Response:
    """One part of the Code as a form."""
    found = signed(request)
    svc, who = found
    return _part_page(svc, request, who, ident, key, saved=bool(saved))


@router.post("/drafts/{ident}/edit/{key}")
async def save_part(ident: str, key: str, request: Request) -> Response:
    """Save a part's form: the fields that changed are written into the draft."""
    svc = service(request)
    checked = await staff_post(svc, request, "legal")
    who, form = checked
    return await run_in_threadpool(_save_part, svc, request, who, ident, key, form)


def _save_part(svc: Service, request: Request, who: auth.StaffMember, ident: str, key: str,
               form: Any) -> Response:
    try:
        stored = actions.load(svc, ident)
        text = stored.draft.text
        page = next((p for p in parts.pages(library.form(text)) if p.key == key), None)
    except Refused as exc:
        return error_page(svc, request, exc)
    except SourceError:
        page = None
    if page is None:
        return _part_page(svc, request, who, ident, key)
    typed = parts.posted(page, form)
    revision = str(form.get("revision") or "")
    if typed.errors:
        return _part_page(svc, request, who, ident, key, 400, errors=typed.errors,
                          typed=typed.typed)
    try:
        actions.edit_fields(svc, who, ident, typed.edits,
                            int(revision) if revision.isdigit() else None)
    except Refused as exc:
        if exc.status in (403, 404):
            return error_page(svc, request, exc)
        return _part_page(svc, request, who, ident, key, 400 if exc.status == 422 else
                          exc.status, refused=exc, typed=typed.typed)
    return RedirectResponse(f"/legal/drafts/{stored.id}/edit/{key}?saved=1", 303)


@router.post("/drafts/{ident}/edit/{key}/check")
async def check_part(ident: str, key: str, request: Request) -> Response:
    """The check of a part's form as typed, not saved (the page's script
    posts the form here as the legal user types): the findings on this part,
    a value's problem at its field and, for a section, its preview, as a
    fragment of HTML for the page to put in place. The same form, CSRF
    check and refusals as a save; nothing is written."""
    svc = service(request)
    checked = await staff_post(svc, request, "legal")
    who, form = checked
    return await run_in_threadpool(_check_part, svc, request, who, ident, key, form)


def _check_part(svc: Service, request: Request, who: auth.StaffMember, ident: str, key: str,
                form: Any) -> Response:
    try:
        stored = actions.load(svc, ident)
        found = parts.pages(library.form(stored.draft.text))
    except Refused as exc:
        return error_page(svc, request, exc)
    except SourceError:
        found = []
    page = next((p for p in found if p.key == key), None)
    if page is None:
        return error_page(svc, request, Refused(404, f"Draft {stored.id} has no part "
                                                     f"'{key[:60]}' to check."))
    typed = parts.posted(page, form)
    text, refused = None, None
    if not typed.errors:
        try:
            text = actions.try_fields(svc, who, stored, typed.edits)
        except Refused as exc:
            if exc.status != 422:
                return error_page(svc, request, exc)
            refused = exc
    problems = _problems(refused, page, typed.errors)
    here: list[parts.Placed] = []
    preview = None
    if text is not None:
        result = check(svc.settings, text)
        placed = parts.place(library.form(text), result.findings or result.problems)
        here = [p for p in placed if p.page == key]
        if page.section is not None and result.valid:
            preview = section_html(loads(text, "draft"), svc.settings, page.section)
    return legal_page(svc, request, who, "live.html", problems=problems, here=here,
                      beside=parts.by_field(here), page_part=page, preview=preview,
                      ids=sorted(set(page.ids().values())), draft_id=stored.id)


@router.get("/drafts/{ident}/yaml", response_class=HTMLResponse)
def edit_yaml(ident: str, request: Request, saved: str = "") -> Response:
    """The whole draft as YAML, for experts."""
    found = signed(request)
    svc, who = found
    return _yaml_page(svc, request, who, ident, saved=bool(saved))


def _yaml_page(svc: Service, request: Request, who: auth.StaffMember, ident: str,
               status: int = 200, refused: Refused | None = None, typed: str | None = None,
               saved: bool = False) -> HTMLResponse:
    try:
        v = views.view(svc, actions.load(svc, ident))
    except Refused as exc:
        return error_page(svc, request, exc)
    return legal_page(svc, request, who, "yaml.html", status, **overview_context(svc, v, who),
                      refused=refused, source=v.draft.text if typed is None else typed,
                      saved=saved)


@router.post("/drafts/{ident}/yaml")
async def save_yaml(ident: str, request: Request) -> Response:
    """Save the whole YAML: refused, with each problem at its line, if it is
    not a valid Code."""
    svc = service(request)
    checked = await staff_post(svc, request, "legal")
    who, form = checked
    text = str(form.get("source") or "").replace("\r\n", "\n")
    revision = str(form.get("revision") or "")
    try:
        stored = await run_in_threadpool(actions.edit_source, svc, who, ident, text,
                                         int(revision) if revision.isdigit() else None)
    except Refused as exc:
        if exc.status in (403, 404):
            return error_page(svc, request, exc)
        return await run_in_threadpool(_yaml_page, svc, request, who, ident,
                                       400 if exc.status == 422 else exc.status, exc, text)
    return RedirectResponse(f"/legal/drafts/{stored.id}/yaml?saved=1", 303)
