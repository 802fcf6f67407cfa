"""HTTP hardening as plain ASGI middleware: security headers on every
response (with Strict-Transport-Security when cookies are Secure, that is
when the service is reached over HTTPS), and a 413 for a body over the limit
(counted as it arrives, so a missing or false Content-Length does not get
round it). And :class:`Compression`, gzip where an answer can be large.

The referrer policy is ``same-origin``, not ``no-referrer``: under
``no-referrer`` a browser sends ``Origin: null`` on every form post, and the
CSRF check (``sessions.same_origin``) needs the real origin. No address of
the service is ever sent to another site either way."""

from __future__ import annotations

import json
from typing import Any

from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
       "object-src 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")
"""A year; not includeSubDomains, since other services may share the domain."""
PRIVATE = ("/staff", "/api/v1/staff", "/legal", "/api/v1/legal")
"""Pages and API answers never kept by a browser or a proxy (Cache-Control: no-store)."""
LARGE = ("/legal/", "/api/v1/legal/")
"""The legal team's paths, which take a whole Code's YAML."""
TOO_LARGE = "The request is too large: at most {limit} bytes are accepted"
BODILESS = frozenset(("GET", "HEAD", "OPTIONS"))
"""Methods whose requests are not read for a body (one sent is left unread)."""


class SecurityMiddleware:
    """Adds the security headers and enforces the body size limit."""

    def __init__(self, app: ASGIApp, max_body: int, hsts: bool = False,
                 large_body: int | None = None):
        self.app = app
        self.max_body = max_body
        self.large_body = large_body or max_body
        """The limit on the legal team's paths (``LARGE``): a whole Code."""
        self.headers = [*HEADERS, HSTS] if hsts else HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = scope["path"].startswith(PRIVATE)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in self.headers if k not in have]
                if no_store:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        limit = self.large_body if scope["path"].startswith(LARGE) else self.max_body
        length = _content_length(scope)
        if length is not None and length > limit:
            await self._too_large(send_with_headers, limit)
            return
        if scope["method"] in BODILESS:
            await self.app(scope, receive, send_with_headers)  # no body to count
            return
        # Bodies here are small: read it whole (refusing past the limit), then
        # hand it on in one piece.
        chunks: list[bytes] = []
        seen = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > limit:
                await self._too_large(send_with_headers, limit)
                return
            more = message.get("more_body", False)
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_headers)

    async def _too_large(self, send: Any, limit: int) -> None:
        body = json.dumps({"detail": TOO_LARGE.format(limit=limit)}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class Compression:
    """Gzip for the answers that can be large: every GET and HEAD (pages,
    static files, the staff API's lists) and the forms' answers (a page with
    its errors). The JSON API's POST answers (a reference, a few hundred
    bytes) go straight out: there is nothing to compress in them, and
    Starlette's GZipMiddleware would still look at every one. Compressed at
    zlib's usual level 6 (level 9 costs more CPU for a page for a few bytes
    less); PDFs, compressed already, are left as they are."""

    def __init__(self, app: ASGIApp, minimum_size: int = 500):
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=6,
                                   exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES,
                                                          "application/pdf"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in BODILESS \
                and scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
        else:
            await self.gzip(scope, receive, send)
