"""The public JSON API under /api/v1: copy requests, feedback, and the Code's
stages, timescales and deadlines."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from ..copies.fields import control_chars
from ..errors import UsageError
from ..timescales import records as data
from . import intake
from .context import service
from .db import ping
from .schemas import (
    CopyRequestOut,
    FeedbackIn,
    FeedbackOut,
    FieldError,
    ValidationProblem,
    copy_request_schema,
    field_errors,
)

log = logging.getLogger("complaints_code.service")
router = APIRouter(prefix="/api/v1")

PROBLEMS: dict[int | str, dict[str, Any]] = {
    422: {"model": ValidationProblem, "description": "One entry per field that is wrong."},
    413: {"description": "The body is over the size limit."},
    415: {"description": "The body is not JSON (Content-Type: application/json)."},
    429: {"description": "Too many requests from this client; see Retry-After."},
}
MAX_KEY = 200


def problem(errors: list[FieldError]) -> JSONResponse:
    """A 422 with one entry per field."""
    return JSONResponse(ValidationProblem(detail=errors).model_dump(), status_code=422)


def too_many(seconds: int) -> JSONResponse:
    """A 429 with Retry-After."""
    return JSONResponse({"detail": f"Too many requests; try again in {seconds} seconds"},
                        status_code=429, headers={"Retry-After": str(seconds)})


async def json_body(request: Request) -> object | JSONResponse:
    """The request's JSON body; or a 415 when it is not sent as JSON, a 422
    when it does not parse."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json" and not (kind.startswith("application/")
                                           and kind.endswith("+json")):
        return JSONResponse({"detail": "Send the body as JSON, with the header Content-Type: "
                             "application/json"}, status_code=415)
    try:
        data: object = json.loads(await request.body())
        return data
    except (ValueError, RecursionError):
        return problem([FieldError(field="body", loc=["body"], type="json_invalid",
                                   msg="Send the body as valid JSON (a JSON object)")])


M = TypeVar("M", bound=BaseModel)


async def json_model(request: Request, model: type[M]) -> M | JSONResponse:
    """The request's JSON body read as ``model``; or the answer to send
    instead: 415 or 422 as :func:`json_body` says, or 422 with each field's
    problem."""
    data = await json_body(request)
    if isinstance(data, JSONResponse):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        return problem(field_errors(exc))


def key_problem(key: str | None) -> list[FieldError]:
    """What is wrong with an Idempotency-Key header (blank, too long, control characters)."""
    if key is None:
        return []
    if not key.strip():
        msg = "Give an Idempotency-Key that is not blank, or leave the header out"
    elif len(key) > MAX_KEY or control_chars(key) or not key.isascii():
        msg = (f"Give an Idempotency-Key of at most {MAX_KEY} printable ASCII characters, "
               "such as a UUID")
    else:
        return []
    return [FieldError(field="Idempotency-Key", loc=["header", "idempotency-key"],
                       type="value_error", msg=msg)]


@router.post("/copy-requests", status_code=201, response_model=CopyRequestOut,
             responses={200: {"model": CopyRequestOut,
                              "description": "A retry with the same Idempotency-Key."},
                        409: {"description": "The Idempotency-Key was used for another "
                                             "request."}, **PROBLEMS},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": copy_request_schema()}}}})
async def create_copy_request(
    request: Request, response: Response, background: BackgroundTasks,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Any:
    """Ask for a copy of the Code. Returns the reference and the date the
    copy is due by. Every field's problem is reported at once (422). Send an
    Idempotency-Key header to retry safely."""
    svc = service(request)
    # The post is counted for the rate limit whatever it holds, and a client
    # over the limit gets 429 whatever it sent. A request that can be stored
    # is counted in the same write as it is stored.
    count = svc.rate_count(request)
    data = await json_body(request)
    read = intake.read_copy_request(svc, data) if not isinstance(data, JSONResponse) else []
    errors = key_problem(idempotency_key) + (read if isinstance(read, list) else [])
    if isinstance(data, JSONResponse) or errors:
        wait = await svc.writer.run(count) if count is not None else None
        if wait is not None:
            return too_many(wait)
        return data if isinstance(data, JSONResponse) else problem(errors)
    assert isinstance(read, intake.Accepted)
    outcome = await intake.copy_request(svc, read, idempotency_key, count)
    if isinstance(outcome, intake.TooMany):
        return too_many(outcome.seconds)
    if outcome is None:
        return JSONResponse({"detail": "This Idempotency-Key was already used for a different "
                             "request; use a new key for a new request"}, status_code=409)
    if not outcome.created:
        response.status_code = 200
    elif outcome.row["email"]:
        background.add_task(intake.acknowledge, svc, outcome.row)
    return intake.out(svc, outcome.row)


@router.post("/feedback", status_code=201, response_model=FeedbackOut, responses=PROBLEMS,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": FeedbackIn.model_json_schema()}}}})
async def create_feedback(request: Request) -> Any:
    """Comment on the Code, optionally on one section."""
    svc = service(request)
    wait = await svc.retry_after(request)
    if wait is not None:
        return too_many(wait)
    body = await json_model(request, FeedbackIn)
    if isinstance(body, JSONResponse):
        return body
    errors = intake.feedback_problems(svc, body)
    if errors:
        return problem(errors)
    row = await intake.feedback(svc, body)
    return FeedbackOut(reference=row["reference"])


@router.get("/stages", response_model=list[data.StageRecord])
def stages(request: Request) -> Any:
    """The stages of the complaints procedure, in order."""
    return data.stages(service(request).code)


@router.get("/timescales", response_model=list[data.TimescaleRecord])
def timescales(request: Request) -> Any:
    """Every timescale the Code promises, with how it is counted."""
    return data.timescales(service(request).code)


@router.get("/deadlines", response_model=data.Deadlines, responses={422: PROBLEMS[422]})
def deadlines(request: Request,
              raised: Annotated[str, Query(max_length=40, description="ISO 8601 date and "
                                           "time the complaint was received")]) -> Any:
    """Every timescale's deadline for a complaint received at ``raised``
    (the same calculation as ``complaints-code sla``)."""
    try:
        if len(raised) == 10:
            dt.date.fromisoformat(raised)
        return data.deadlines(service(request).code, raised)
    except (UsageError, ValueError, OverflowError) as exc:
        message = str(exc) if isinstance(exc, UsageError) else (
            f"'{raised}' is not a date and time; write it as YYYY-MM-DDTHH:MM, "
            "e.g. 2026-12-24T16:00")
        return problem([FieldError(field="raised", loc=["query", "raised"],
                                   msg=message[0].upper() + message[1:], type="value_error")])


health = APIRouter()


@health.get("/healthz", responses={503: {"description": "The database does not answer."}})
def healthz(request: Request) -> Any:
    """200 when the database answers."""
    if ping(service(request).db):
        return {"status": "ok"}
    return JSONResponse({"status": "database unavailable"}, status_code=503)
