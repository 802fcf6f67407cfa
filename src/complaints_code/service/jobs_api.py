"""The staff API for making and sending copies (Bearer token, staff role).

- ``POST /api/v1/staff/copy-requests/{reference}/fulfil``: 202 ``{"job", "status"}``
  with ``Location: /api/v1/staff/jobs/{ID}``; 409 ``{"job"}`` when the request
  already has a job.
- ``POST /api/v1/staff/print-runs`` ``{"references": [...]}``: 202 ``{"job"}``.
- ``GET /api/v1/staff/jobs/{ID}``: ``{"status", "requests", "files"}``; each
  file URL answers with the file.
- ``POST /api/v1/staff/copy-requests/{reference}/sent``: a posted copy is sent;
  ``POST /api/v1/staff/print-runs/{ID}/sent``: every copy of the run.
- ``POST /api/v1/staff/copy-requests/{reference}/send``: an emailed copy whose
  tries ran out is offered to the mail server again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from . import store
from .api import PROBLEMS, json_model
from .context import service
from .db import now
from .jobs import actions, files
from .jobs.views import JobView
from .schemas import StaffCopyRequest, refused_chars
from .sessions import member
from .staff_api import DENIED, staff_view

router = APIRouter(prefix="/api/v1/staff")
REFUSED: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such request or job."},
    409: {"description": "Not possible in the request's or job's present state."},
    410: {"description": "Purged: its personal data is gone."},
    **DENIED,
}


class JobQueued(BaseModel):
    """A job put on the queue."""

    job: int
    status: Literal["queued"] = "queued"


class HasJob(BaseModel):
    """The job the request already has."""

    job: int | None


class PrintRunIn(BaseModel):
    """The requests to print, by reference (duplicates are dropped)."""

    model_config = ConfigDict(extra="forbid")
    references: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                      max_length=40)]] = Field(
        min_length=1, max_length=actions.MAX_PRINT_RUN)

    @field_validator("references")
    @classmethod
    def _no_control(cls, value: list[str]) -> list[str]:
        for reference in value:
            refused_chars(reference, "references")
        return value


class PrintRunQueued(BaseModel):
    """A print run put on the queue."""

    job: int


class JobRequest(BaseModel):
    """One reference in a job."""

    reference: str
    outcome: Literal["queued", "made", "failed"]
    reason: str | None = None
    """Why it could not be made (only when it could not)."""


class JobOut(BaseModel):
    """A job: its status, each reference's outcome and the files made."""

    status: Literal["queued", "running", "made", "failed"]
    requests: list[JobRequest]
    files: list[str]
    """URLs of the made files (staff only)."""


class RunPosted(BaseModel):
    """A print run marked posted."""

    job: int
    sent: list[str]
    """The references the run made, now sent."""


@contextlib.contextmanager
def answering_refusals() -> Iterator[None]:
    """A refusal from the staff actions, answered as the API answers it: its
    status and its reason."""
    try:
        yield
    except actions.Refused as exc:
        raise HTTPException(exc.status, str(exc)) from None


def file_url(job: int, name: str) -> str:
    """Where staff download a made file."""
    return f"/api/v1/staff/jobs/{job}/files/{name}"


def job_out(view: JobView) -> dict[str, Any]:
    """A job as the API gives it ("reason" only where there is one)."""
    entries = []
    for e in view.entries:
        entry = {"reference": e.reference, "outcome": e.outcome}
        if e.reason:
            entry["reason"] = e.reason
        entries.append(entry)
    return {"status": view.status, "requests": entries,
            "files": [file_url(view.id, n) for n in view.files]}


@router.post("/copy-requests/{reference}/fulfil", status_code=202, response_model=JobQueued,
             responses={409: {"model": HasJob, "description": "It already has a job."},
                        **REFUSED})
def fulfil_copy_request(reference: str, request: Request) -> Response:
    """Queue the request's copy: a worker makes it (and, for an emailed copy,
    sends it). Answers at once; follow ``Location`` for the job."""
    svc = service(request)
    who = member(request, svc, "staff")
    with answering_refusals():
        claimed = actions.make_copy(svc, who.name, reference)
    if not claimed.created:
        return JSONResponse({"job": claimed.job}, status_code=409)
    return JSONResponse({"job": claimed.job, "status": "queued"}, status_code=202,
                        headers={"Location": f"/api/v1/staff/jobs/{claimed.job}"})


@router.post("/print-runs", status_code=202, response_model=PrintRunQueued,
             responses={**REFUSED, **PROBLEMS},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": PrintRunIn.model_json_schema()}}}})
async def queue_print_run(request: Request) -> Response:
    """Queue one print run of the references (each once): a worker makes
    one PDF of every copy that can be made; the job says, for each
    reference, made or why not."""
    svc = service(request)
    who = member(request, svc, "staff")  # before the body: 401 whatever it holds
    body = await json_model(request, PrintRunIn)
    if isinstance(body, JSONResponse):
        return body
    with answering_refusals():
        job = await run_in_threadpool(actions.print_run, svc, who.name, body.references)
    return JSONResponse({"job": job}, status_code=202,
                        headers={"Location": f"/api/v1/staff/jobs/{job}"})


@router.get("/jobs/{job}", response_model=JobOut, responses=REFUSED)
def get_job(job: int, request: Request) -> Any:
    """A job's progress: its status, each reference's outcome, and (once
    made) the URLs of its files."""
    svc = service(request)
    member(request, svc, "staff")
    view = actions.job_view(svc, job)
    if view is None:
        raise HTTPException(404, f"There is no job {job}")
    return JSONResponse(job_out(view))


@router.get("/jobs/{job}/files/{name}", responses={
    200: {"description": "The made file.",
          "content": {"application/pdf": {}, "application/zip": {}}}, **REFUSED})
def get_job_file(job: int, name: str, request: Request) -> Response:
    """A made file (staff only)."""
    return download(request, job, name)


def download(request: Request, job: int, name: str) -> Response:
    """A made file, to a signed-in member of staff (token or session)."""
    svc = service(request)
    who = member(request, svc, "staff", cookie=True)
    with answering_refusals():
        path = actions.download(svc, job, name)
    svc.writer.run_sync(lambda conn: store.audit(
        conn, who.name, "download", name, f"job {job}"))
    return FileResponse(path, media_type=files.media_type(name), filename=name,
                        content_disposition_type="attachment")


@router.post("/copy-requests/{reference}/sent", response_model=StaffCopyRequest,
             responses=REFUSED)
def mark_sent(reference: str, request: Request) -> Any:
    """A posted copy has been posted: it is sent. (An emailed copy is sent
    when the mail server takes it.)"""
    svc = service(request)
    who = member(request, svc, "staff")
    with answering_refusals():
        row = actions.mark_posted(svc, who.name, reference)
    return staff_view(svc, row, now())


@router.post("/print-runs/{job}/sent", response_model=RunPosted, responses=REFUSED)
def mark_run_sent(job: int, request: Request) -> Any:
    """Every copy a print run made has been posted: all are sent."""
    svc = service(request)
    who = member(request, svc, "staff")
    with answering_refusals():
        sent = actions.mark_run_posted(svc, who.name, job)
    return RunPosted(job=job, sent=sent)


@router.post("/copy-requests/{reference}/send", status_code=202, responses=REFUSED)
def send_again(reference: str, request: Request) -> Response:
    """Offer an emailed copy whose tries ran out to the mail server again
    (once the mail settings are put right)."""
    svc = service(request)
    who = member(request, svc, "staff")
    with answering_refusals():
        actions.send_again(svc, who.name, reference)
    return JSONResponse({"reference": actions.clean(reference), "status": "made"},
                        status_code=202)
