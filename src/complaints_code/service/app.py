"""``create_app(settings)``: the copy-request and feedback service as an ASGI
app (FastAPI), with its database migrated, its routes, its error pages and
its security headers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..resources import resources
from ..settings import Settings
from ..structure.source import load
from . import (
    api,
    forms,
    jobs_api,
    jobs_pages,
    legal_api,
    legal_forms,
    legal_pages,
    pages,
    signin,
    staff_api,
    staff_pages,
)
from .assets import CACHE, Assets
from .context import Service, service
from .db import DatabaseError, current_revision, head_revision, migrate, open_database
from .forms import PageRefused
from .schemas import ValidationProblem, field_errors
from .security import Compression, SecurityMiddleware

log = logging.getLogger("complaints_code.service")


def create_app(settings: Settings, *, run_migrations: bool = True) -> FastAPI:
    """The service for these settings. Runs the database migrations first
    (or, with ``run_migrations=False``, refuses a database that is behind)."""
    db = open_database(settings.database)
    if run_migrations:
        migrate(db)
    elif current_revision(db) != head_revision():
        raise DatabaseError("the database is not at the newest schema; run complaints-code "
                            "serve (which migrates) or migrate it first")
    svc = Service(settings, load(settings.source), db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        svc.writer.stop()
        svc.jobs.close()
        db.dispose()

    app = FastAPI(title="Customer Complaints Code: copies and feedback", version="1",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  lifespan=lifespan)
    app.state.service = svc
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(PageRefused, _refused)
    for router in (api.router, api.health, staff_api.router, jobs_api.router, pages.router,
                   staff_pages.router, jobs_pages.router, signin.router, legal_api.router,
                   legal_pages.router, legal_forms.router):
        app.include_router(router)
    app.add_api_route("/api/v1/openapi.json", lambda: JSONResponse(app.openapi()),
                      include_in_schema=False)
    assets = Assets(resources(settings))
    svc.templates.globals.update(asset=assets.url, integrity=assets.integrity)
    app.state.assets = assets
    app.add_api_route("/static/{name}", _static, include_in_schema=False)
    app.add_api_route("/favicon.ico", _favicon, include_in_schema=False)
    app.add_middleware(SecurityMiddleware, max_body=settings.service.max_body_bytes,
                       hsts=settings.service.secure_cookies,
                       large_body=settings.service.legal_max_body_bytes)
    app.add_middleware(Compression, minimum_size=500)
    _schema_422(app)
    return app


async def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors(list(exc.errors()))
    return JSONResponse(ValidationProblem(detail=errors).model_dump(), status_code=422)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageRefused)
    return exc.response


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if request.url.path.startswith(("/api/", "/healthz")):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                            headers=headers)
    svc = service(request)
    titles = {404: "Page not found", 405: "Page not found", 401: "Sign in",
              403: "You cannot see this page"}
    message = (str(exc.detail) if exc.status_code not in (404, 405) else
               "If you typed the web address, check it is correct.")
    response = forms.page(svc, request, "error.html", exc.status_code,
                          title=titles.get(exc.status_code, "Sorry, there is a problem"),
                          message=message)
    response.headers.update(headers)
    return response


def _static(name: str, request: Request) -> Response:
    """A static file by its hashed name, to be kept for a year."""
    found = request.app.state.assets.by_url.get(f"/static/{name}")
    if found is None:
        raise HTTPException(404)
    return Response(found.data, media_type=found.media_type, headers={"Cache-Control": CACHE})


def _favicon(request: Request) -> Response:
    """The icon, for browsers that ask for /favicon.ico without reading the page."""
    found = request.app.state.assets.by_name["favicon.svg"]
    return Response(found.data, media_type=found.media_type,
                    headers={"Cache-Control": "public, max-age=86400"})


def _schema_422(app: FastAPI) -> None:
    """Describe 422 in the OpenAPI document as this app sends it."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                answer = operation.get("responses", {}).get("422")
                if answer:
                    answer["content"] = {"application/json": {"schema": {
                        "$ref": "#/components/schemas/ValidationProblem"}}}
        schema.setdefault("components", {}).setdefault("schemas", {})
        problem = ValidationProblem.model_json_schema(
            ref_template="#/components/schemas/{model}")
        for name, sub in {**problem.pop("$defs", {}), "ValidationProblem": problem}.items():
            schema["components"]["schemas"].setdefault(name, sub)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
