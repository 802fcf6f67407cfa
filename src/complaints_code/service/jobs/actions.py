"""What staff can do with copies, the same for the JSON API and the staff
pages: make one copy, make a print run, mark copies posted, send an emailed
copy again, download a made file. Each answers at once: the making and the
sending are done by the workers.

Each raises ``Refused`` with the HTTP status the edges answer with and a
message for staff.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Connection, RowMapping

from ...copies import offers
from ...errors import visible
from .. import store
from ..context import Service
from ..db import now
from . import files, records, views

MAX_PRINT_RUN = 500
"""The most references one print run takes."""


class Refused(Exception):
    """An action that cannot be done: the status to answer with and why."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


def clean(reference: str) -> str:
    """A reference as staff may type it: spaces trimmed, capitals, at most 40
    characters, any control character written out by name (no reference
    holds one, and PostgreSQL refuses NUL outright: it is never looked up)."""
    return visible(reference.strip().upper())[:40]


def make_copy(svc: Service, who: str, reference: str) -> records.Claimed:
    """Queue one request's copy in a new job (``created``), or give the job it
    already has. Refused: 404 no such request, 410 purged."""
    reference = clean(reference)
    at = now()

    def claim(conn: Connection) -> records.Claimed:
        claimed = records.claim_copy(conn, reference, who, at)
        if claimed.created:
            store.audit(conn, who, "fulfil", reference, f"job {claimed.job}", at)
        return claimed

    try:
        claimed = svc.writer.run_sync(claim)
    except records.NoSuchRequest:
        raise Refused(404, f"There is no copy request {reference}") from None
    except records.PurgedRequest:
        raise Refused(410, f"{reference} was purged: its personal data is gone") from None
    if claimed.created and claimed.job is not None:
        svc.jobs.queue_job(claimed.job)
    return claimed


def print_run(svc: Service, who: str, references: list[str]) -> int:
    """Queue a print run of the references (duplicates dropped); those that
    cannot go in are recorded in it with the reason. Its job."""
    wanted = list(dict.fromkeys(clean(r) for r in references if r.strip()))
    if not wanted:
        raise Refused(422, "Select at least one request to print")
    if len(wanted) > MAX_PRINT_RUN:
        raise Refused(422, f"A print run takes at most {MAX_PRINT_RUN} copies; split it")
    printed = svc.settings.print.formats
    at = now()

    def refuse(row: RowMapping) -> str | None:
        if row["format"] in printed:
            return None
        offer = offers.offer(row["format"])
        label = offer.label if offer else row["format"]
        return (f"It is a {label} copy: only printed copies go in a print run; make it on "
                "its own with Make copy")

    def claim(conn: Connection) -> int:
        job = records.claim_print_run(conn, wanted, who, at, refuse)
        store.audit(conn, who, "print-run", None, f"job {job}: {len(wanted)} references", at)
        return job

    job = svc.writer.run_sync(claim)
    view = job_view(svc, job)
    if view is not None and view.status == "queued":
        svc.jobs.queue_job(job)
    return job


def job_view(svc: Service, job: int) -> views.JobView | None:
    """One job as staff see it."""
    with svc.db.reader.connect() as conn:
        return views.job(conn, job)


def mark_posted(svc: Service, who: str, reference: str) -> RowMapping:
    """A posted copy is sent (again: no change). Refused: 404, 410, or 409
    when it is not made yet or goes by email."""
    reference = clean(reference)
    with svc.db.reader.connect() as conn:
        row = store.copy_request(conn, reference)
    if row is None:
        raise Refused(404, f"There is no copy request {reference}")
    if row["purged_at"] is not None:
        raise Refused(410, f"{reference} was purged: its personal data is gone")
    if row["format"] == records.EMAIL_FORMAT:
        raise Refused(409, f"{reference} goes by email: it is sent when the mail server "
                      "takes it, not marked posted")
    if row["status"] in ("received", "queued"):
        raise Refused(409, f"{reference} is not made yet ({row['status']}); make it, then "
                      "post it")
    if row["status"] == "made":
        at = now()

        def post(conn: Connection) -> None:
            for done in records.mark_posted(conn, [row["id"]], who, at):
                store.audit(conn, who, "posted", done, None, at)

        svc.writer.run_sync(post)
    with svc.db.reader.connect() as conn:
        found = store.copy_request(conn, reference)
    assert found is not None
    return found


def mark_run_posted(svc: Service, who: str, job: int) -> list[str]:
    """Every copy a print run made is sent; the references of the run now
    sent. Refused: 404 no such run, 409 still being made."""
    view = job_view(svc, job)
    if view is None or not view.print_run:
        raise Refused(404, f"There is no print run {job}")
    if view.status in ("queued", "running"):
        raise Refused(409, f"Print run {job} is still being made; post it once it is made")
    at = now()

    def post(conn: Connection) -> None:
        for done in records.mark_posted(conn, records.made_in(conn, job), who, at):
            store.audit(conn, who, "posted", done, f"print run {job}", at)

    svc.writer.run_sync(post)
    return [e.reference for e in view.entries if e.outcome == "made"]


def send_again(svc: Service, who: str, reference: str) -> None:
    """Offer an emailed copy whose tries ran out to the mail server again.
    Refused: 409 unless it is an emailed copy made and not being sent."""
    reference = clean(reference)
    at = now()

    def again(conn: Connection) -> bool:
        if not records.send_again(conn, reference, at):
            return False
        store.audit(conn, who, "send-again", reference, None, at)
        return True

    if not svc.writer.run_sync(again):
        raise Refused(409, f"{reference} is not an emailed copy waiting to be sent again")
    svc.jobs.queue_mail(reference)


def download(svc: Service, job: int, name: str) -> Path:
    """A made file of a job. Refused: 404 (not one of its files), 410 (gone
    from this machine: purged, or made on a machine whose data folder this
    one does not share)."""
    view = job_view(svc, job)
    if view is None or name not in view.files:
        raise Refused(404, f"Job {job} has no file {name}")
    path = files.made_file(svc.settings.var, job, name)
    if path is None:
        raise Refused(410, f"{name} is not in this server's data folder: purged, or made on "
                      "a machine that does not share it")
    return path


def purge_files(conn: Connection, var: Path) -> int:
    """Remove the made files of jobs whose every made request has been
    purged (run after ``store.purge``, in its transaction); how many jobs'."""
    ids = records.purgeable(conn)
    for job in ids:
        files.remove(var, job)
    records.files_removed(conn, ids)
    return len(ids)
