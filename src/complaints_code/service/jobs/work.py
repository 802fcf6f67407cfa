"""What a worker process does: make a job's copies and send emailed ones.

A job is made the same way however often it is started: the letters carry
the date the job was queued, each copy is rendered by the same renderers as
``complaints-code copy`` and written whole (staged and renamed), so a job
that runs again after its worker died makes the same files. A print run
keeps each copy as it is made; a run taken over goes on from the last one.
One request that cannot be made is recorded with the reason and the others
go on.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import socket
import threading
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from jinja2 import Environment, FileSystemLoader
from sqlalchemy.engine import RowMapping

from ...copies.batch import merge
from ...copies.errors import CopyRequestError, CopyRequestInvalid
from ...copies.request import make_copy
from ...errors import ComplaintsCodeError
from ...resources import resources
from ...settings import Settings
from ...structure.model import Code
from ...structure.source import load
from ...timescales.calendar import WorkingCalendar
from .. import mail
from ..db import Database, now, open_database, utc
from ..store import audit, stored_request
from . import files, records

log = logging.getLogger("complaints_code.service.jobs")
WORKER = "(worker)"
"""Who the audit log names for what the workers do."""


class LostJob(Exception):
    """Another worker took the job over (this one stalled past its lease)."""


@dataclass(frozen=True)
class Made:
    """One file of a made copy."""

    name: str
    data: bytes


class Workshop:
    """What one worker process needs, made once in that process: the
    settings, its own database engines, the Code and the mail templates."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.pid = os.getpid()
        self.name = process_name(self.pid)
        self._code: tuple[tuple[int, int, int], Code] | None = None

    @cached_property
    def db(self) -> Database:
        """This process's database engines."""
        return open_database(self.settings.database)

    @property
    def code(self) -> Code:
        """The Code as published now: loaded once per process, and again when
        the source changes (the legal team published a new version)."""
        stat = os.stat(self.settings.source)
        key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if self._code is None or self._code[0] != key:
            self._code = (key, load(self.settings.source))
        return self._code[1]

    @property
    def zone(self) -> Any:
        """The Code's time zone (the date on a letter is the date there)."""
        return WorkingCalendar(self.code.calendar).zone

    @cached_property
    def templates(self) -> Environment:
        """The mail templates."""
        return Environment(loader=FileSystemLoader(resources(self.settings).service_templates),
                           autoescape=False, keep_trailing_newline=True)

    @property
    def lease(self) -> float:
        """The lease on a job, in seconds."""
        return self.settings.service.job_lease_seconds

    def close(self) -> None:
        """Close the database engines."""
        if "db" in self.__dict__:
            self.db.dispose()


def _pid_namespace() -> str:
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return "?"


def process_name(pid: int) -> str:
    """How a job names the worker process holding it: its machine, its
    process id and (on Linux) its process-id namespace."""
    return f"{socket.gethostname()} pid {pid} ns {_pid_namespace()}"


def died_here(worker: str | None) -> bool:
    """Whether ``worker`` names a process of this machine (and this process-id
    namespace) that no longer exists: its job need not wait for its lease."""
    found = re.fullmatch(r"(.*) pid (\d+) ns (\S+)", worker or "")
    if found is None or found[3] == "?" or (found[1], found[3]) != (
            socket.gethostname(), _pid_namespace()):
        return False
    try:
        os.kill(int(found[2]), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def render(shop: Workshop, row: RowMapping, day: date) -> Made:
    """One request's copy: its one file, or a zip of several (a braille copy
    with its large-print letter and reading files). Raises CopyRequestError."""
    made = make_copy(shop.code, stored_request(shop.settings, row, day))
    reference = row["reference"]
    if len(made) == 1:
        return Made(f"{reference}{made[0].copy_suffix or ''}", made[0].data())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in made:
            # A fixed time in each entry, so the same copy makes the same zip.
            entry = zipfile.ZipInfo(f"{reference}{item.copy_suffix or ''}",
                                    (day.year, day.month, day.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, item.data())
    return Made(f"{reference}.zip", buffer.getvalue())


def reason(exc: Exception) -> str:
    """Why a copy could not be made, for staff."""
    if isinstance(exc, CopyRequestError | CopyRequestInvalid | ComplaintsCodeError):
        text = str(exc)
        return text[:1].upper() + text[1:]
    return "An unexpected error stopped it (the worker's log has the details)"


def claim(shop: Workshop, job: int) -> tuple[str, records.Started] | None:
    """Take a job for this worker under a new lease token; None (and a log
    line) if it is finished or another worker has it."""
    token = uuid.uuid4().hex
    with shop.db.writer.begin() as conn:
        started = records.start(conn, job, shop.name, token, now(), shop.lease)
    if started is None:
        log.info("job %s: nothing to do (done, or another worker has it)", job)
        return None
    return token, started


@contextlib.contextmanager
def heartbeat(shop: Workshop, job: int, token: str) -> Iterator[threading.Event]:
    """Renew the job's lease every third of it while the work goes on (in a
    thread that only writes the lease; the renderers stay in the main
    thread). The event is set if the job was lost to another worker."""
    lost, stop = threading.Event(), threading.Event()

    def beat() -> None:
        while not stop.wait(shop.lease / 3):
            try:
                with shop.db.writer.begin() as conn:
                    held = records.renew(conn, job, token, now(), shop.lease)
            except Exception:
                log.exception("job %s: could not renew its lease", job)
                continue
            if not held:
                lost.set()
                return

    thread = threading.Thread(target=beat, name=f"lease-{job}", daemon=True)
    thread.start()
    try:
        yield lost
    finally:
        stop.set()
        thread.join()


def make_job(shop: Workshop, job: int, queue_mail: Callable[[str], None]) -> None:
    """Make a job's copies, if it is still to be made and no other worker has
    it; emailed copies are then queued to be sent."""
    claimed = claim(shop, job)
    if claimed is None:
        return
    token, started = claimed
    if started.attempts > shop.settings.service.job_attempts and not _give_up(shop, job):
        return
    log.info("job %s (%s): started, attempt %s", job, started.kind, started.attempts)
    queued_at = utc(started.created_at)
    assert queued_at is not None
    day = queued_at.astimezone(shop.zone).date()
    try:
        with heartbeat(shop, job, token) as lost:
            names = _make(shop, job, token, started.kind, day, lost)
            with shop.db.writer.begin() as conn:
                if not records.finish(conn, job, token, names, now()):
                    raise LostJob
                emailed = [r["reference"] for _, r in records.todo(conn, job)
                           if r is not None and r["status"] == "made"
                           and r["format"] == records.EMAIL_FORMAT]
    except LostJob:
        log.warning("job %s: another worker took it over; leaving it", job)
        return
    except BaseException as exc:
        # Stopped (the worker is shutting down: not a failed try) or an
        # unexpected error (a try: after job_attempts the job is failed).
        with shop.db.writer.begin() as conn:
            records.release(conn, job, token, count=isinstance(exc, Exception))
        if isinstance(exc, Exception):
            log.exception("job %s: failed; it will be tried again", job)
            return
        log.warning("job %s: stopped before it was made; it goes back to the queue", job)
        raise
    files.drop_parts(shop.settings.var, job)
    log.info("job %s: made (%s)", job, ", ".join(names) or "nothing")
    for reference in emailed:
        queue_mail(reference)


def _give_up(shop: Workshop, job: int) -> bool:
    """A job started more often than allowed (its workers died): fail the
    copy they died on and go on with the rest (True), or, when none is left,
    fail the job (False)."""
    tries = shop.settings.service.job_attempts
    why = "its worker stopped or hit an error each time; the worker's log says why"
    with shop.db.writer.begin() as conn:
        blamed = records.blame_first(conn, job, f"Making this copy failed {tries} times: {why}")
        if blamed is None:
            records.fail(conn, job, f"It failed {tries} times: {why}", now())
    log.error("job %s: failed %s times; %s", job, tries,
              f"{blamed} given up" if blamed else "job given up")
    return blamed is not None


def _make(shop: Workshop, job: int, token: str, kind: str, day: date,
          lost: threading.Event) -> list[str]:
    with shop.db.reader.connect() as conn:
        todo = records.todo(conn, job)
    if kind == records.COPY:
        entry, row = todo[0]
        if row is None or entry["outcome"] != "queued":
            return []
        try:
            made = render(shop, row, day)
        except Exception as exc:
            _failed(shop, job, row["reference"], exc)
            return []
        files.write_private(files.job_folder(shop.settings.var, job) / made.name, made.data)
        _record(shop, job, token, row["reference"])
        return [made.name]
    pdfs = []
    for entry, row in todo:
        if lost.is_set():
            raise LostJob
        if row is None or entry["outcome"] == "failed":
            continue
        part = files.part_path(shop.settings.var, job, row["reference"])
        if entry["outcome"] == "made" and part.is_file():
            pdfs.append(part.read_bytes())
            continue
        try:
            data = render(shop, row, day).data
        except Exception as exc:
            _failed(shop, job, row["reference"], exc)
            continue
        files.write_private(part, data)
        _record(shop, job, token, row["reference"])
        pdfs.append(data)
    if not pdfs:
        return []
    name = f"print-run-{job}.pdf"
    files.write_private(files.job_folder(shop.settings.var, job) / name, merge(pdfs))
    return [name]


def _record(shop: Workshop, job: int, token: str, reference: str) -> None:
    with shop.db.writer.begin() as conn:
        if not records.part_made(conn, job, token, reference):
            raise LostJob
        _audit(conn, "made", reference, f"job {job}")
    log.info("job %s: %s made", job, reference)


def _failed(shop: Workshop, job: int, reference: str, exc: Exception) -> None:
    if isinstance(exc, CopyRequestError | CopyRequestInvalid | ComplaintsCodeError):
        log.warning("job %s: %s could not be made (%s)", job, reference, type(exc).__name__)
    else:
        log.exception("job %s: %s could not be made", job, reference)
    with shop.db.writer.begin() as conn:
        records.part_failed(conn, job, reference, reason(exc))
        _audit(conn, "not-made", reference, f"job {job}: {type(exc).__name__}")


def send_copy(shop: Workshop, reference: str, retry: Callable[[str, float], None]) -> None:
    """Offer an emailed copy to the SMTP server, if it is due: ``sent`` once
    the server takes it; refused, tried again after a wait that doubles each
    time, until the tries are used up (then staff see the failure)."""
    s = shop.settings.service
    at = now()
    with shop.db.writer.begin() as conn:
        row = records.claim_mail(conn, reference, at, max(shop.lease, s.smtp_timeout * 3))
        job = records.job_row(conn, row["job_id"]) if row is not None else None
    if row is None:
        return
    name = (job["files"] or "").split("\n")[0] if job is not None else ""
    path = files.made_file(shop.settings.var, row["job_id"], name) if name else None
    try:
        if path is None:
            raise mail.MailError("the made copy is not in this machine's data folder (VAR); "
                                 "the workers and the web servers must share it")
        body = shop.templates.get_template("mail/copy.txt").render(row=row, code=shop.code)
        if not mail.send(shop.settings, row["email"], f"Your copy of the Code: {reference}",
                         body, (mail.Attachment(name, files.media_type(name),
                                                path.read_bytes()),), reference=reference):
            raise mail.MailError("no SMTP server is set (service.smtp_host), so nothing can "
                                 "be emailed")
    except mail.MailError as exc:
        tries = row["mail_attempts"]
        wait = s.mail_retry_seconds * 2 ** (tries - 1)
        last = tries >= s.mail_attempts or not s.smtp_host
        next_at = None if last else at + timedelta(seconds=wait)
        problem = f"Not sent: {exc} (try {tries} of {s.mail_attempts}; " + (
            "no more tries: use Send again once it is put right)" if next_at is None else
            f"the next at {next_at.astimezone(shop.zone):%H:%M:%S})")
        with shop.db.writer.begin() as conn:
            records.mail_refused(conn, reference, next_at, problem)
            _audit(conn, "mail-refused", reference, f"try {tries}")
        if not last:
            retry(reference, wait)
        return
    with shop.db.writer.begin() as conn:
        records.mail_sent(conn, reference, now())
        _audit(conn, "mail-sent", reference, f"try {row['mail_attempts']}")
    log.info("copy request %s sent by email", reference)


def _audit(conn: Any, action: str, reference: str, detail: str | None = None) -> None:
    audit(conn, WORKER, action, reference, detail)
