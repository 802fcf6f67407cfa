"""The job queue: Huey, on a SQLite file in VAR (one machine) or on Redis
(several machines share the work).

The queue only wakes workers up; the service's database holds the truth
about every job. Huey takes a message off the queue before it runs it, so a
worker killed mid-job takes its message with it: the sweep, which the
workers' scheduler runs every few seconds and at start-up, puts back on the
queue every job whose worker stopped renewing its lease (or, on this
machine, is gone), every queued job with no message waiting, and every
emailed copy due to be sent with none waiting. A message for a job that is
done, or that another worker has, does nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey
from huey.api import Huey

from ...settings import Settings
from .. import tuning
from ..db import now
from . import records, release
from .warm import warm
from .work import Workshop, died_here, make_job, send_copy

log = logging.getLogger("complaints_code.service.jobs")
NAME = "complaints-code"
MAKE, SEND = "make-copies", "send-copy"
GRACE = dt.timedelta(seconds=5)
"""How long a job or a mail may go unclaimed before the sweep assumes its
message is lost (a web server queues a job just after it commits it)."""


def sqlite_path(settings: Settings) -> Path:
    """The queue's SQLite file (a relative path in queue_url is in VAR)."""
    url = settings.service.queue_url
    if url is None:
        return settings.var / "jobs.db"
    path = Path(url.removeprefix("sqlite:///"))
    return path if path.is_absolute() else settings.var / path


def make_huey(settings: Settings) -> Huey:
    """The Huey for these settings (no result store: the database has the results)."""
    url = settings.service.queue_url
    if url is not None and not url.startswith("sqlite:"):
        return RedisHuey(NAME, url=url, results=False, blocking=True, read_timeout=1)
    path = sqlite_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(NAME, filename=str(path), results=False, timeout=30)


def describe(settings: Settings) -> str:
    """Where the queue is, for messages (a Redis password left out)."""
    url = settings.service.queue_url
    if url is not None and not url.startswith("sqlite:"):
        scheme, _, rest = url.partition("://")
        return f"Redis at {scheme}://{rest.rpartition('@')[2]}"
    return f"SQLite file {sqlite_path(settings)}"


@dataclass
class Waiting:
    """What has a message on the queue or in the schedule."""

    jobs: set[int] = field(default_factory=set)
    mail: set[str] = field(default_factory=set)


class JobQueue:
    """The queue and its two tasks: ``make-copies`` (a job: copies, or the
    release of the legal team's approved draft) and ``send-copy`` (an
    emailed copy). The web server only puts work on it; a worker process
    runs the tasks, with its own Workshop made in that process."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.huey = make_huey(settings)
        self._make = self.huey.task(name=MAKE)(self._run_make)
        self._send = self.huey.task(name=SEND)(self._run_send)
        self._shop: Workshop | None = None
        self.huey.on_startup("start")(self._started)  # in each worker process, at its start

    @property
    def shop(self) -> Workshop:
        """This process's Workshop (a new one after a fork)."""
        if self._shop is None or self._shop.pid != os.getpid():
            self._shop = Workshop(self.settings)
        return self._shop

    def queue_job(self, job: int) -> bool:
        """Put a job on the queue; False (logged) if the queue cannot be
        reached: the job stays queued in the database for the sweep."""
        try:
            self._make(job)
        except Exception as exc:
            log.error("job %s not put on the queue (%s); the workers' sweep will put it "
                      "there", job, type(exc).__name__)
            return False
        return True

    def queue_mail(self, reference: str, delay: float = 0) -> None:
        """Put an emailed copy on the queue to be sent (after ``delay`` seconds)."""
        try:
            if delay > 0:
                self._send.schedule((reference,), delay=delay)
            else:
                self._send(reference)
        except Exception as exc:
            log.error("mail for %s not put on the queue (%s); the workers' sweep will put "
                      "it there", reference, type(exc).__name__)

    def _started(self) -> None:
        """A worker process has started: warm its renderers (``warm_workers``)
        and set its garbage collector for a long life."""
        if self.settings.service.warm_workers:
            warm(self.settings, self.shop.code)
        tuning.settle()

    def _run_make(self, job: int) -> None:
        with self.shop.db.reader.connect() as conn:
            row = records.job_row(conn, job)
        if row is not None and row["kind"] == release.RELEASE:
            release.run(self.shop, job)
        else:
            make_job(self.shop, job, self.queue_mail)

    def _run_send(self, reference: str) -> None:
        send_copy(self.shop, reference, self.queue_mail)

    def waiting(self) -> Waiting:
        """The jobs and mails with a message queued or scheduled."""
        found = Waiting()
        for task in [*self.huey.pending(), *self.huey.scheduled()]:
            args: tuple[Any, ...] = task.args or ()
            if task.name == MAKE and args:
                found.jobs.add(int(args[0]))
            elif task.name == SEND and args:
                found.mail.add(str(args[0]))
        return found

    def sweep(self) -> tuple[list[int], list[str]]:
        """Put back on the queue what lost its message: jobs whose worker
        died (lease run out), queued jobs and due mail with no message. The
        jobs and references queued."""
        at = now()
        db = self.shop.db
        with db.writer.begin() as conn:
            expired = records.expire(conn, at, died_here)
        with db.reader.connect() as conn:
            queued = records.waiting(conn, at - GRACE)
            due = records.mail_due(conn, at - GRACE)
        if not queued and not due:
            return [], []
        waiting = self.waiting()
        jobs = [j for j in queued if j not in waiting.jobs]
        mail = [r for r in due if r not in waiting.mail]
        done = [j for j in jobs if self.queue_job(j)]
        with db.writer.begin() as conn:
            records.enqueued(conn, done, at)
        for reference in mail:
            self.queue_mail(reference)
        if expired:
            log.warning("jobs %s: their workers stopped; queued again",
                        ", ".join(map(str, expired)))
        if done or mail:
            log.info("sweep: queued again jobs %s, mail for %s", done or "none",
                     mail or "none")
        return done, mail

    def close(self) -> None:
        """Close this process's connections."""
        if self._shop is not None and self._shop.pid == os.getpid():
            self._shop.close()
        self.huey.storage.close()
