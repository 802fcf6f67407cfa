"""Signing in and out of the staff pages, and the throttle on sign-in.

Failed sign-ins are counted per client address and per account name over a
window (``service.signin_window_minutes``); past either limit the sign-in
page answers 429 with ``Retry-After`` and does not look at the token at all.
Every failure and every refusal is in the audit log with the client's
address; a name that is no account is not written down (it may be a token
pasted into the wrong field).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from . import auth, sessions, store
from .context import Service, service
from .db import now, utc
from .forms import csrf_failed, page
from .schemas import FieldError
from .staff_pages import HOME
from .tables import signin_failures

router = APIRouter(prefix="/staff", include_in_schema=False)
WRONG = "The name or access token is not right"


@dataclass(frozen=True)
class Attempt:
    """What a sign-in came to: a member and their new session's cookie; or
    a refusal, with the seconds to wait when throttled."""

    member: auth.StaffMember | None = None
    session: str = ""
    wait: int = 0


def account_key(name: str) -> str:
    """The throttle's key for a name as typed (a hash, never the name)."""
    return hashlib.sha256(b"signin:" + auth.normal_name(name).casefold().encode()).hexdigest()


def throttled(conn: Connection, address: str, key: str, at: dt.datetime,
              svc: Service) -> int:
    """Seconds until this address and this name may try again (0: now)."""
    window = dt.timedelta(minutes=svc.settings.service.signin_window_minutes)
    limits = ((signin_failures.c.address, address,
               svc.settings.service.signin_failures_per_address),
              (signin_failures.c.account_key, key,
               svc.settings.service.signin_failures_per_account))
    wait = 0.0
    for column, value, limit in limits:
        # The limit-th newest failure in the window: until it is older than
        # the window, there are `limit` failures in it.
        oldest = conn.execute(select(signin_failures.c.at).where(
            column == value, signin_failures.c.at > at - window)
            .order_by(signin_failures.c.at.desc()).offset(limit - 1).limit(1)).scalar()
        moment = utc(oldest)
        if moment is not None:
            wait = max(wait, (moment + window - at).total_seconds())
    return math.ceil(wait)


def attempt(svc: Service, name: str, token: str, address: str,
            old: str | None) -> Callable[[Connection], Attempt]:
    """The sign-in as one write job: throttle, check, then record the
    failure, or end the browser's old session (``old``) and start a new
    one; audit it."""
    def job(conn: Connection) -> Attempt:
        at = now()
        key = account_key(name)
        known = auth.known_name(conn, name)
        wait = throttled(conn, address, key, at, svc)
        if wait:
            store.audit(conn, "(unknown)", "login-throttled", known,
                        f"from {address}; may try again in {wait} s", at)
            return Attempt(wait=wait)
        who = auth.login(conn, name, token)
        if who is None:
            window = dt.timedelta(minutes=svc.settings.service.signin_window_minutes)
            conn.execute(signin_failures.delete().where(signin_failures.c.at <= at - window))
            conn.execute(insert(signin_failures).values(at=at, address=address,
                                                        account_key=key))
            store.audit(conn, "(unknown)", "login-failed", known, f"from {address}", at)
            return Attempt()
        conn.execute(signin_failures.delete().where(signin_failures.c.account_key == key))
        sessions.forget_expired(conn, at)
        if old:
            sessions.end(conn, old)
        value = sessions.start(conn, who, at, svc.settings.service.session_hours)
        store.audit(conn, who.name, "login", None, f"from {address}", at)
        return Attempt(member=who, session=value)
    return job


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    """The sign-in page: with a note when the browser's session has ended,
    or who is signed in already (signing in as someone else ends that)."""
    svc = service(request)
    value = sessions.cookie(svc, request, sessions.SESSION_COOKIE)
    who = None
    if value:
        with svc.db.reader.connect() as conn:
            who = sessions.found(conn, value, now())
    return page(svc, request, "staff/login.html", next=sessions.safe_next(next) or "/staff",
                ended=bool(value) and who is None, current=who,
                current_home=HOME.get(who.role, "/staff") if who else "")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the name and token; start a session."""
    svc = service(request)
    form = await request.form()
    refused = csrf_failed(svc, request, form)
    if refused is not None:
        return refused
    name = str(form.get("name") or "")[:100]
    token = str(form.get("token") or "").strip()[:200]
    target = sessions.safe_next(str(form.get("next") or "")) or "/staff"
    errors: list[tuple[str, str]] = []
    if not name.strip():
        errors.append(("name", "Enter your name"))
    if not token:
        errors.append(("token", "Enter your access token"))
    if errors:
        return _form_again(svc, request, 400, name, target, errors)
    old = sessions.cookie(svc, request, sessions.SESSION_COOKIE)
    outcome: Attempt = await svc.writer.run(attempt(svc, name, token, svc.client(request), old))
    if outcome.wait:
        minutes = math.ceil(outcome.wait / 60)
        refusal = _form_again(svc, request, 429, name, target, [(
            "name", f"Too many failed sign-ins. Wait {minutes} minute{'s' * (minutes != 1)}, "
            "then try again")])
        refusal.headers["Retry-After"] = str(outcome.wait)
        return refusal
    if outcome.member is None:
        return _form_again(svc, request, 401, name, target, [("name", WRONG)])
    who = outcome.member
    home = HOME.get(who.role, "/staff")
    response = RedirectResponse(home if target == "/staff" else target, 303)
    sessions.set_cookie(svc, response, sessions.SESSION_COOKIE, outcome.session,
                        max_age=svc.signer.max_age)
    sessions.renew_csrf(svc, response)
    return response


def _form_again(svc: Service, request: Request, status: int, name: str, target: str,
                errors: list[tuple[str, str]]) -> HTMLResponse:
    return page(svc, request, "staff/login.html", status, values={"name": name},
                errors=[FieldError(field=f, loc=[f], msg=m, type="value_error")
                        for f, m in errors], error_for=dict(errors), next=target)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session, here and in the database."""
    svc = service(request)
    form = await request.form()
    refused = csrf_failed(svc, request, form)
    if refused is not None:
        return refused
    value = sessions.cookie(svc, request, sessions.SESSION_COOKIE)

    def job(conn: Connection) -> None:
        who = sessions.end(conn, value) if value else None
        store.audit(conn, who.name if who else "(unknown)", "logout")

    await svc.writer.run(job)
    response = RedirectResponse("/staff/signed-out", 303)
    sessions.clear_cookie(svc, response, sessions.SESSION_COOKIE)
    sessions.renew_csrf(svc, response)
    return response


@router.get("/signed-out", response_class=HTMLResponse)
def signed_out(request: Request) -> Response:
    """The page after signing out."""
    return page(service(request), request, "staff/signed-out.html")
