"""The legal team's JSON API for drafts (Bearer token, legal role; the
draft's author is the token's owner).

- ``GET  /api/v1/legal/drafts``: every draft.
- ``POST /api/v1/legal/drafts``: 201 ``{"id", "base_version", "status": "editing"}``.
- ``GET  /api/v1/legal/drafts/{id}``: ``{"id", "status", "base_version", "source",
  "findings": [{"line", "column", "rule", "severity", "message", ...}], "redline", ...}``.
- ``PUT  /api/v1/legal/drafts/{id}/source`` (``application/yaml``, the whole
  YAML): 200 with the findings; 422 with the problems at their lines.
- ``POST /api/v1/legal/drafts/{id}/fields`` ``{"edits": [{"field", "value"}]}``.
- ``POST /api/v1/legal/drafts/{id}/update``: brought up to date; ``.../resolve``
  ``{"field", "choice": "mine"|"theirs"|"value", "value"}``: one conflict resolved.
- ``POST /api/v1/legal/drafts/{id}/submit`` ``{"summary", "acknowledge_warnings"}``.
- ``POST /api/v1/legal/drafts/{id}/approve``: 202 ``{"job"}``; ``.../retry`` likewise.
- ``POST /api/v1/legal/drafts/{id}/return`` ``{"comment"}``.
- ``GET  /api/v1/legal/drafts/{id}/redline``: the redline (``?format=text|markdown``).

401 without credentials (``WWW-Authenticate: Bearer``), 403 for another
role or a step this person may not take, 404 for no such draft, 409 when
the draft's state stands in the way (with ``reason``), 415 for a body of
the wrong type, 422 for bad input (each problem with its line or field).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError
from starlette.concurrency import run_in_threadpool

from ..legal import drafts as library
from .auth import StaffMember
from .context import service
from .drafts import actions, records, views
from .drafts.actions import Refused
from .schemas import field_errors
from .sessions import member

router = APIRouter(prefix="/api/v1/legal")
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
ANSWERS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid credentials."},
    403: {"description": "Not the legal role, or a step this person may not take."},
    404: {"description": "No such draft."},
    409: {"description": "The draft's state stands in the way (see reason)."},
    415: {"description": "A body of the wrong Content-Type."},
    422: {"description": "Bad input: each problem with its line or field."},
}


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True,
                              use_attribute_docstrings=True)


class SubmitIn(_In):
    """The author submits the draft for approval."""

    summary: str = Field(max_length=2000)
    """What changed, in a sentence or two (the version history's entry and the
    git commit's message)."""
    acknowledge_warnings: StrictBool = False
    """The author has read the check's warnings and accepts them (recorded)."""


class ReturnIn(_In):
    """An approver sends the draft back to its author."""

    comment: str = Field(max_length=5000)
    """What the author should change."""


class EditIn(_In):
    """One field's new value (null removes an optional value)."""

    field: str = Field(max_length=300)
    value: Any = None


class FieldsIn(_In):
    """Field edits, made together."""

    edits: list[EditIn] = Field(min_length=1, max_length=500)


class ResolveIn(_In):
    """One conflict resolved."""

    field: str = Field(max_length=300)
    choice: Literal["mine", "theirs", "value"]
    value: Any = None


def _who(request: Request) -> StaffMember:
    return member(request, service(request), "legal")


def _refused(exc: Refused, request: Request | None = None) -> JSONResponse:
    status = exc.status
    if exc.reason == "changed" and request is not None and _revision(request) is not None:
        status = 412  # If-Match named a revision that is no longer the draft's
    return JSONResponse(exc.as_json(), status_code=status)


def _draft(request: Request, stored: records.Stored, status: int = 200,
           **headers: str) -> JSONResponse:
    body = views.as_json(views.view(service(request), stored))
    return JSONResponse(body, status_code=status,
                        headers={"ETag": f'"{stored.revision}"', **headers})


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _json(request: Request, model: type[BaseModel], *, optional: bool = False) -> Any:
    """The body as ``model``: 415 unless JSON, 422 naming each bad field."""
    raw = await request.body()
    if optional and not raw.strip():
        return None
    kind = _media_type(request)
    if kind != "application/json" and not kind.endswith("+json"):
        raise Refused(415, "Send the body as JSON (Content-Type: application/json).")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Refused(422, "The body is not valid JSON.",
                      details=[{"field": "body", "loc": ["body"], "type": "json_invalid",
                                "msg": "Send valid JSON", "message": "Send valid JSON"}]) \
            from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [{**e.model_dump(), "message": e.msg} for e in field_errors(exc)]
        raise Refused(422, "; ".join(p["msg"] for p in problems), details=problems) from None


def _revision(request: Request) -> int | None:
    """The revision an If-Match header names (a weak or strong ETag)."""
    match = request.headers.get("if-match", "").strip().removeprefix("W/").strip('"')
    return int(match) if match.isdigit() else None


@router.get("/drafts", responses=ANSWERS)
def list_drafts(request: Request) -> Any:
    """Every draft, the most recently changed first."""
    svc = service(request)
    _who(request)
    with svc.db.reader.connect() as conn:
        return [views.listed_json(item) for item in records.listing(conn)]


@router.post("/drafts", status_code=201, responses=ANSWERS)
async def new_draft(request: Request) -> Response:
    """Start a draft from the version now published; its author is you."""
    who = _who(request)
    try:
        await _json(request, _In, optional=True)
        stored = await run_in_threadpool(actions.start, service(request), who)
    except Refused as exc:
        return _refused(exc)
    d = stored.draft
    return JSONResponse({"id": stored.id, "base_version": d.base_version,
                         "status": str(d.status)}, status_code=201,
                        headers={"Location": f"/api/v1/legal/drafts/{stored.id}",
                                 "ETag": f'"{stored.revision}"'})


@router.get("/drafts/{ident}", responses=ANSWERS)
async def get_draft(ident: str, request: Request) -> Response:
    """A draft: its status, source, findings and the link to its redline."""
    _who(request)
    try:
        stored = await run_in_threadpool(actions.load, service(request), ident)
    except Refused as exc:
        return _refused(exc)
    return await run_in_threadpool(_draft, request, stored)


@router.put("/drafts/{ident}/source", responses=ANSWERS)
async def put_source(ident: str, request: Request) -> Response:
    """Replace the draft's whole source (Content-Type: application/yaml)."""
    who = _who(request)
    svc = service(request)
    try:
        actions.load(svc, ident)
        if _media_type(request) not in YAML_TYPES:
            raise Refused(415, "Send the whole YAML of the Code as the body, with "
                          "Content-Type: application/yaml.")
        try:
            text = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(422, "The body is not UTF-8 text; save the YAML as UTF-8.",
                          details=[{"line": 1, "column": 1, "field": None,
                                    "message": "The body is not UTF-8 text",
                                    "hint": "save the YAML as UTF-8"}]) from None
        stored = await run_in_threadpool(actions.edit_source, svc, who, ident,
                                         text.removeprefix("\ufeff"), _revision(request))
    except Refused as exc:
        return _refused(exc, request)
    return await run_in_threadpool(_draft, request, stored)


async def _act(request: Request, ident: str, act: Any, model: type[BaseModel] | None,
               status: int = 200) -> Response:
    who = _who(request)
    svc = service(request)
    try:
        actions.load(svc, ident)
        body = await _json(request, model) if model else await _json(request, _In,
                                                                      optional=True)
        result = await run_in_threadpool(act, svc, who, ident, body)
    except Refused as exc:
        return _refused(exc, request)
    if isinstance(result, tuple):
        stored, job = result
        return JSONResponse({"job": job, "status": str(stored.draft.status),
                             "draft": stored.id}, status_code=202,
                            headers={"Location": f"/api/v1/legal/drafts/{stored.id}"})
    return await run_in_threadpool(_draft, request, result, status)


@router.post("/drafts/{ident}/fields", responses=ANSWERS)
async def edit_fields(ident: str, request: Request) -> Response:
    """Change some fields of the draft at once (as the form does)."""
    return await _act(request, ident, lambda svc, who, i, body: actions.edit_fields(
        svc, who, i, [library.Edit(e.field, e.value) for e in body.edits],
        _revision(request)), FieldsIn)


@router.post("/drafts/{ident}/update", responses=ANSWERS)
async def update(ident: str, request: Request) -> Response:
    """Bring the draft up to date with the version now published; fields
    changed on both sides become its conflicts."""
    return await _act(request, ident, lambda svc, who, i, _: actions.bring_up_to_date(
        svc, who, i), None)


@router.post("/drafts/{ident}/resolve", responses=ANSWERS)
async def resolve(ident: str, request: Request) -> Response:
    """Resolve one conflict: keep mine, take theirs, or set a new value."""
    return await _act(request, ident, lambda svc, who, i, body: actions.resolve(
        svc, who, i, body.field, body.choice, body.value), ResolveIn)


@router.post("/drafts/{ident}/submit", responses=ANSWERS)
async def submit(ident: str, request: Request) -> Response:
    """Submit the draft for approval, with a summary of the change."""
    return await _act(request, ident, lambda svc, who, i, body: actions.submit(
        svc, who, i, body.summary, body.acknowledge_warnings), SubmitIn)


@router.post("/drafts/{ident}/return", responses=ANSWERS)
async def return_draft(ident: str, request: Request) -> Response:
    """Send the submitted draft back to its author with a comment."""
    return await _act(request, ident, lambda svc, who, i, body: actions.return_draft(
        svc, who, i, body.comment), ReturnIn)


@router.post("/drafts/{ident}/approve", status_code=202, responses=ANSWERS)
async def approve(ident: str, request: Request) -> Response:
    """Approve the submitted draft (not its author; approval rights needed):
    its release job is queued, and the draft becomes ``published`` once done."""
    return await _act(request, ident, lambda svc, who, i, _: actions.approve(svc, who, i),
                      None)


@router.post("/drafts/{ident}/retry", status_code=202, responses=ANSWERS)
async def retry(ident: str, request: Request) -> Response:
    """Try the release of an approved draft again after it failed."""
    return await _act(request, ident, lambda svc, who, i, _: actions.retry(svc, who, i), None)


@router.get("/drafts/{ident}/redline", responses=ANSWERS)
async def redline(ident: str, request: Request,
                  fmt: Annotated[Literal["html", "text", "markdown"],
                                 Query(alias="format")] = "html") -> Response:
    """The redline against the published version, as ``complaints-code diff``
    makes it."""
    _who(request)
    svc = service(request)
    try:
        stored = await run_in_threadpool(actions.load, svc, ident)
        page = await run_in_threadpool(_redline, svc, stored, fmt)
    except Refused as exc:
        return _refused(exc)
    headers = {"Content-Security-Policy": page.csp} if page.csp else {}
    return Response(page.body, media_type=page.media_type, headers=headers)


def _redline(svc: Any, stored: records.Stored, fmt: str) -> views.Redline:
    v = views.view(svc, stored)
    if not v.check.valid:
        raise Refused(409, "The draft is not a valid Code, so it has no redline; fix the "
                      "problems at their lines first.", "invalid",
                      [p.as_json() for p in v.check.problems])
    return views.redline(v, fmt)
