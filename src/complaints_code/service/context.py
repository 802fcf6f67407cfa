"""What every route needs, made once per app: the settings, the Code, the
database and its writer thread, the CSRF signer, the templates and the
rate limit."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import math
import os
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Connection

from ..errors import ComplaintsCodeError, UsageError
from ..resources import resources
from ..settings import Settings
from ..structure.model import Code
from ..structure.source import load
from ..timescales.calendar import WorkingCalendar
from . import store
from .auth import Signer, secret_key
from .db import Database
from .jobs import JobQueue
from .writer import Writer

log = logging.getLogger("complaints_code.service")
PERIODS = {"second": 1, "minute": 60, "hour": 3600}
RATE = re.compile(r"^\s*(\d+)\s*(?:/\s*(second|minute|hour)s?)?\s*$")


@dataclass(frozen=True)
class RateLimit:
    """N requests per period seconds (N = 0: no limit)."""

    count: int
    period: int


def parse_rate(text: str) -> RateLimit:
    """ "10/minute" -> RateLimit(10, 60); "0" -> no limit. Raises UsageError."""
    m = RATE.match(text)
    if m is None or (m.group(1) != "0" and m.group(2) is None):
        raise UsageError(f"rate_limit '{text}' is not N/second, N/minute or N/hour (or 0 for "
                         "no limit); fix COMPLAINTS_CODE_RATE_LIMIT or rate_limit in the "
                         "config file")
    return RateLimit(int(m.group(1)), PERIODS[m.group(2) or "minute"])


class Service:
    """The app's state. Holds nothing about any one client: sessions, sign-in
    failures and counters are in the database, so workers are interchangeable."""

    def __init__(self, settings: Settings, code: Code, db: Database):
        self.settings = settings
        self._code = (_stamp(settings.source), code)
        self.db = db
        self.writer = Writer(db.writer)
        self.jobs = JobQueue(settings)
        """The job queue: copies are made by the workers, never here."""
        self.signer = Signer(secret_key(settings), settings.service.session_hours)
        self.calendar = WorkingCalendar(code.calendar)
        self.rate = parse_rate(settings.rate_limit)
        self.trusted = tuple(ipaddress.ip_network(p, strict=False)
                             for p in settings.service.trusted_proxies)
        folder = resources(settings).service_templates
        # Read once: a page does not look at the template files again (restart
        # the service after editing them, as after editing its settings).
        self.templates = Environment(loader=FileSystemLoader(folder), auto_reload=False,
                                     autoescape=select_autoescape(["html", "j2"]),
                                     trim_blocks=True, lstrip_blocks=True)
        self.blank_forms: dict[str, str | None] = {}
        """Form pages as they first come, by template, with placeholders for
        their tokens (None: that template cannot be kept so), for the Code as
        published now (emptied when a new version is read); see
        :func:`complaints_code.service.forms.blank_form`."""
        self.templates.globals.update(code=code,
                                      settings_days=settings.service.due_working_days,
                                      purge_days=settings.service.purge_after_days)

    @property
    def code(self) -> Code:
        """The Code as published now: read again when its source changes (the
        legal team published a new version), so pages, deadlines and copies
        follow it without a restart. A source that cannot be read keeps the
        last one (and says so in the log)."""
        stamp = _stamp(self.settings.source)
        if stamp != self._code[0]:
            try:
                code = load(self.settings.source)
            except (ComplaintsCodeError, OSError) as exc:
                log.error("the Code's source changed but cannot be read (%s); the service "
                          "goes on with version %s", type(exc).__name__,
                          self._code[1].metadata.version)
                code = self._code[1]
            self._code = (stamp, code)
            self.calendar = WorkingCalendar(code.calendar)
            self.templates.globals["code"] = code
            self.blank_forms.clear()  # they show the Code's version
        return self._code[1]

    def render(self, name: str, **context: Any) -> str:
        """A page from templates/service/."""
        self.code  # noqa: B018 (the pages show the Code as published now)
        return self.templates.get_template(name).render(**context)

    def due_by(self, received: dt.datetime) -> dt.datetime:
        """Close of business on the last working day allowed for a copy."""
        self.code  # noqa: B018 (the calendar of the Code as published now)
        return self.calendar.add_working_days(received, self.settings.service.due_working_days)

    def client(self, request: Request) -> str:
        """Who is asking, for rate limiting: the connecting address, or the
        address a trusted proxy forwarded."""
        peer = request.client.host if request.client else "unknown"
        if not self.trusted:
            return peer
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
        chain = [h for h in hops if h] + [peer]
        for hop in reversed(chain):
            try:
                address = ipaddress.ip_address(hop)
            except ValueError:
                return hop[:64]
            if not any(address in net for net in self.trusted):
                return hop
        return chain[0]

    async def retry_after(self, request: Request) -> int | None:
        """Count a public POST; the seconds to wait if the client is over the limit."""
        count = self.rate_count(request)
        return None if count is None else await self.writer.run(count)

    def rate_count(self, request: Request) -> Callable[[Connection], int | None] | None:
        """The write that counts a public POST, as a job for the writer: it
        gives the seconds to wait if the client is over the limit (None:
        not). None when there is no limit. A caller with a write of its own
        runs both in one job (see ``intake.copy_request``)."""
        if self.rate.count == 0:
            return None
        now = time.time()
        window = int(now // self.rate.period)
        client = self.client(request)
        limit, period = self.rate.count, self.rate.period

        def count(conn: Connection) -> int | None:
            if random.random() < 0.01:
                store.forget_rate_hits(conn, window - 1)
            if store.rate_hit(conn, client, window) <= limit:
                return None
            return max(1, math.ceil((window + 1) * period - now))

        return count


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """When a file last changed (None: it cannot be read)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size, found.st_ino)


def service(request: Request) -> Service:
    """The Service of the app handling a request."""
    found: Service = request.app.state.service
    return found
