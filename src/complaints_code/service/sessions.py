"""Who is asking: server-side sessions of the staff pages, the CSRF token
bound to them, and ``member`` (a Bearer token, or a session cookie).

A session cookie holds 256 random bits and names a session, not a person:
the database keeps the session's row (the value's SHA-256, whose account,
when it ends). Signing out deletes the row, and removing an account deletes
all of its rows in the same transaction, so an old cookie never comes back
to life, whatever account is added later under the same name.

A form's CSRF token is an HMAC of the session cookie (before sign-in, of a
random value in its own cookie): a new session at sign-in means a new token.
Every form post is also checked against its ``Origin`` header.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import and_, insert, select
from sqlalchemy.engine import Connection

from .auth import StaffMember, by_token, hash_token
from .context import Service
from .db import now
from .tables import staff, staff_sessions

SESSION_COOKIE = "cc_session"
CSRF_COOKIE = "cc_csrf"
SIGN_IN = "/staff/login"


# --- the sessions' rows ------------------------------------------------------

def start(conn: Connection, member: StaffMember, at: dt.datetime, hours: float) -> str:
    """Start a session for ``member``; return the cookie's value."""
    value = secrets.token_urlsafe(32)
    conn.execute(insert(staff_sessions).values(
        token_hash=hash_token(value), staff_id=member.id, created_at=at,
        expires_at=at + dt.timedelta(hours=hours)))
    return value


def end(conn: Connection, value: str) -> StaffMember | None:
    """End the session a cookie names; return whose it was (None: no such
    session, perhaps ended already)."""
    who = found(conn, value, None)
    conn.execute(staff_sessions.delete().where(staff_sessions.c.token_hash == hash_token(value)))
    return who


def forget_expired(conn: Connection, at: dt.datetime) -> None:
    """Delete the rows of sessions that have expired."""
    conn.execute(staff_sessions.delete().where(staff_sessions.c.expires_at <= at))


def found(conn: Connection, value: str, at: dt.datetime | None) -> StaffMember | None:
    """The account of the session a cookie names, if it is signed in at
    ``at`` (None: whether or not it has expired)."""
    condition = [staff_sessions.c.token_hash == hash_token(value), staff.c.active.is_(True)]
    if at is not None:
        condition.append(staff_sessions.c.expires_at > at)
    row = conn.execute(select(staff.c.name, staff.c.role, staff.c.approver, staff.c.id)
                       .join(staff, staff.c.id == staff_sessions.c.staff_id)
                       .where(and_(*condition))).first()
    return StaffMember(row[0], row[1], bool(row[2]), row[3]) if row else None


# --- cookies ------------------------------------------------------------------

def cookie_name(svc: Service, base: str) -> str:
    """A cookie's name: with ``__Host-`` when cookies are Secure, so no other
    site (a sibling subdomain included) can set it."""
    return "__Host-" + base if svc.settings.service.secure_cookies else base


def cookie(svc: Service, request: Request, base: str) -> str | None:
    """The value of one of the service's cookies in a request."""
    return request.cookies.get(cookie_name(svc, base)) or None


def set_cookie(svc: Service, response: Response, base: str, value: str,
               max_age: int | None = None) -> None:
    """Set a cookie as every cookie of the service is set: HttpOnly,
    SameSite=Strict, Path=/, Secure unless turned off."""
    response.set_cookie(cookie_name(svc, base), value, max_age=max_age, httponly=True,
                        samesite="strict", secure=svc.settings.service.secure_cookies,
                        path="/")


def clear_cookie(svc: Service, response: Response, base: str) -> None:
    """Delete a cookie of the service from the browser."""
    response.delete_cookie(cookie_name(svc, base), path="/", httponly=True,
                           samesite="strict", secure=svc.settings.service.secure_cookies)


# --- who is asking --------------------------------------------------------------

def member(request: Request, svc: Service, role: str, *, cookie: bool = False) -> StaffMember:
    """The signed-in member with ``role``: a Bearer token, or (for the staff
    pages, ``cookie=True``) a session cookie. Raises 401 (with
    ``WWW-Authenticate: Bearer``) or 403."""
    header = request.headers.get("authorization", "")
    who: StaffMember | None = None
    scheme, _, token = header.partition(" ")
    presented = scheme.lower() == "bearer" and bool(token.strip())
    if presented:
        with svc.db.reader.connect() as conn:
            who = by_token(conn, token.strip())
    elif cookie and (value := _session_value(svc, request)):
        with svc.db.reader.connect() as conn:
            who = found(conn, value, now())
    if who is None:
        challenge = 'Bearer error="invalid_token"' if presented else "Bearer"
        raise HTTPException(401, "Sign in: send Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": challenge})
    if who.role != role:
        raise HTTPException(403, f"This needs the {role} role; your account has the "
                            f"{who.role} role")
    return who


def _session_value(svc: Service, request: Request) -> str | None:
    return cookie(svc, request, SESSION_COOKIE)


def to_sign_in(request: Request) -> RedirectResponse:
    """Send a person who is not signed in to the sign-in page (and, for a
    page they asked for, back to it afterwards)."""
    target = SIGN_IN
    if request.method in ("GET", "HEAD") and request.url.path != SIGN_IN:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target += "?next=" + quote(path, safe="/")
    return RedirectResponse(target, 303)


def safe_next(target: str | None) -> str | None:
    """A staff page (or a page of the legal team's, under /legal/) to go to
    after sign-in, or None if ``target`` is not one (another site, or the
    sign-in page itself)."""
    if not target or not target.startswith(("/staff", "/legal/")) or \
            target.startswith(SIGN_IN):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 33 for c in target):
        return None
    return target


# --- CSRF -------------------------------------------------------------------

def csrf_for_page(svc: Service, request: Request) -> tuple[str, str | None]:
    """The CSRF token for a page's forms, and a new value for the pre-sign-in
    cookie when the browser has none (None: nothing to set)."""
    session = _session_value(svc, request)
    if session:
        return svc.signer.csrf_token("session:" + session), None
    nonce = cookie(svc, request, CSRF_COOKIE)
    fresh = None
    if nonce is None:
        nonce = fresh = secrets.token_urlsafe(24)
    return svc.signer.csrf_token("form:" + nonce), fresh


def csrf_ok(svc: Service, request: Request, token: Any) -> bool:
    """Whether a form post is the service's own: it comes from this site
    (``Origin``) and its token goes with the browser's session (or, before
    sign-in, with its CSRF cookie)."""
    if not same_origin(svc, request) or not isinstance(token, str):
        return False
    session = _session_value(svc, request)
    if session:
        return svc.signer.csrf_ok("session:" + session, token)
    nonce = cookie(svc, request, CSRF_COOKIE)
    return svc.signer.csrf_ok("form:" + nonce if nonce else None, token)


def renew_csrf(svc: Service, response: Response) -> None:
    """Give the browser a new pre-sign-in CSRF cookie, so a token from before
    a sign-in or sign-out is no longer accepted."""
    set_cookie(svc, response, CSRF_COOKIE, secrets.token_urlsafe(24))


def same_origin(svc: Service, request: Request) -> bool:
    """Whether a post comes from this site, by its ``Origin`` header (or,
    without one, its ``Referer``). Every current browser sends ``Origin`` on
    a form post, so a cross-site post always has a foreign one (or ``null``);
    a client sending neither is not a browser and cannot be a forgery's
    victim: its CSRF token still has to be right."""
    origin = request.headers.get("origin")
    if origin is None:
        referer = request.headers.get("referer")
        if referer is None:
            return True
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    origin = origin.strip().lower()
    if origin == "null":
        return False
    allowed = set()
    host = request.headers.get("host")
    if host:
        allowed |= {f"http://{host.lower()}", f"https://{host.lower()}"}
    if svc.settings.service_url:
        public = urlsplit(svc.settings.service_url)
        allowed.add(f"{public.scheme}://{public.netloc}".lower())
    return _drop_default_port(origin) in {_drop_default_port(a) for a in allowed}


def _drop_default_port(origin: str) -> str:
    for scheme, port in (("http", ":80"), ("https", ":443")):
        if origin.startswith(scheme + "://") and origin.endswith(port):
            return origin[: -len(port)]
    return origin
