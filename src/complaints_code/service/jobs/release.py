"""The release job: an approved draft becomes the published version.

A job of kind ``release`` (queued when a draft is approved, or tried again
after it failed) is run by a worker like any other job, holding its lease:

1. the draft's source is written over the published one, keeping its
   comments and layout, with the new version, effective date, approver and
   version-history entry, and recorded in git where the source is in a
   repository: one commit naming the author and the approver, tagged
   ``v<version>`` (``legal.drafts.release_draft``);
2. every format is built from it and the site is published at once
   (``publish``, in a process of its own: see ``build``);
3. the draft is ``published`` with its version, the job ``made``.

If the build or the publishing fails, the release is undone
(``undo_release``): the source, git and the website are as they were, and
the draft stays approved with the reason, to be tried again. A job run again
after its worker died finds the draft released already and only builds and
publishes it. Each step's progress is noted on the draft for its page; each
outcome is in the audit log.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.engine import Connection

from ...errors import ComplaintsCodeError
from ...legal.drafts import (
    Draft,
    DraftStateError,
    Event,
    Status,
    Step,
    published_as,
    release_draft,
    release_failed,
    undo_release,
)
from ...legal.release import ReleaseError
from ...renderers import REGISTRY
from ...settings import Settings
from ...settings.service import COMMITTER
from ..db import now
from ..drafts import records as drafts
from ..drafts.published import today
from ..tables import jobs
from . import records
from .work import WORKER, LostJob, Workshop, claim, heartbeat

log = logging.getLogger("complaints_code.service.jobs")
RELEASE = "release"
"""The kind of job that releases an approved draft."""
WAITING = "Waiting for a worker to publish it."


def new_job(conn: Connection, who: str, at: datetime) -> int:
    """A release job, queued (the caller points the draft at it)."""
    return int(conn.execute(insert(jobs).values(
        kind=RELEASE, status="queued", created_at=at, created_by=who, enqueued_at=at,
        attempts=0).returning(jobs.c.id)).scalar_one())


def run(shop: Workshop, job: int) -> None:
    """Release the draft of a release job, if it is still to be done and no
    other worker has it."""
    claimed = claim(shop, job)
    if claimed is None:
        return
    token, started = claimed
    tries = shop.settings.service.job_attempts
    if started.attempts > tries:
        _failed(shop, job, token, f"Its worker stopped each of the {tries} times it tried; "
                "the worker's log says why. The website is as it was.")
        return
    log.info("job %s (release): started, attempt %s", job, started.attempts)
    try:
        with heartbeat(shop, job, token) as lost:
            _release(shop, job, token, lost)
    except LostJob:
        log.warning("job %s: another worker took it over; leaving it", job)
    except Exception:
        log.exception("job %s: the release failed", job)
        _failed(shop, job, token, "An unexpected error stopped the release (the worker's log "
                "has the details). Try again; if it fails again, ask for help.")
    except BaseException:
        with shop.db.writer.begin() as conn:  # stopping: back to the queue
            records.release(conn, job, token, count=False)
        log.warning("job %s: stopped before it was published; it goes back to the queue", job)
        raise


def _release(shop: Workshop, job: int, token: str, lost: threading.Event) -> None:
    with shop.db.reader.connect() as conn:
        stored = drafts.by_job(conn, job)
    if stored is None or stored.draft.status != Status.APPROVED:
        _failed(shop, job, token, "The draft is no longer approved, so it was not released.")
        return
    draft, settings = stored.draft, shop.settings
    _progress(shop, stored.id, job, f"Writing version {draft.release_version} into the source "
              "and recording it in git.")
    try:
        with _git_identity(settings, draft.author.name):
            done = release_draft(draft, settings.source, today(settings))
    except DraftStateError as exc:
        if exc.reason == "out_of_date":
            _return(shop, job, token, _sentence(exc.message))
        else:
            _failed(shop, job, token, _sentence(exc.message))
        return
    except ComplaintsCodeError as exc:
        _failed(shop, job, token, _sentence(str(exc)))
        return
    log.info("job %s: draft %s released as version %s%s", job, stored.id, done.version,
             " (by an earlier try)" if done.already else "")
    _progress(shop, stored.id, job, "Building every format.")
    error = _build(shop, stored.id, job, lost)
    if error is None:
        _published(shop, job, token, done.version)
        return
    reason = f"Building and publishing every format failed: {_sentence(error)}"
    if done.already:
        reason += (f" The website is as it was. The source already holds version "
                   f"{done.version} (from an earlier try), so trying again publishes it.")
    else:
        try:
            undo_release(done)
        except ReleaseError as exc:
            reason += f" Undoing the release failed too: {_sentence(str(exc))}"
        else:
            reason += (" The release was undone: the source, its git history and the "
                       "website are as they were.")
    _failed(shop, job, token, reason)


def _build(shop: Workshop, draft: int, job: int, lost: threading.Event) -> str | None:
    """Build and publish every format in a process of its own; None when
    published, else why not. Raises LostJob if another worker took the job."""
    process = subprocess.Popen(
        [sys.executable, "-m", "complaints_code.service.jobs.build"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, start_new_session=True)
    assert process.stdin is not None and process.stdout is not None
    lines: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    stdout = process.stdout

    def read() -> None:
        for line in iter(stdout.readline, b""):
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, name=f"build-{job}", daemon=True)
    reader.start()
    made: list[str] = []
    error: str | None = None
    try:
        process.stdin.write(pickle.dumps(shop.settings))
        process.stdin.close()
        while True:
            if lost.is_set():
                raise LostJob
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line is None:
                break
            message = json.loads(line)
            if message.get("event") == "done":
                made.append(REGISTRY[message["format"]].label
                            if message["format"] in REGISTRY else message["format"])
                _progress(shop, draft, job, f"Building every format: {len(made)} made so far "
                          f"(the latest: {made[-1]}).")
            elif "error" in message:
                error = str(message["error"])
            elif "published" in message:
                _progress(shop, draft, job, "Published the new website; recording it.")
        status = process.wait()
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=10)
        stdout.close()
    if status != 0 and error is None:
        error = f"the build stopped (exit status {status}); the worker's log says why"
    return error


@contextlib.contextmanager
def _git_identity(settings: Settings, author: str) -> Iterator[None]:
    """git's author (the draft's author) and committer (the setting) while
    releasing; the worker does one job at a time, so its environment is its own."""
    env = {"GIT_AUTHOR_NAME": author}
    found = COMMITTER.match(settings.service.release_committer or "")
    if found:
        env.update(GIT_COMMITTER_NAME=found[1], GIT_COMMITTER_EMAIL=found[2],
                   GIT_AUTHOR_EMAIL=found[2])
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _progress(shop: Workshop, draft: int, job: int, words: str) -> None:
    with shop.db.writer.begin() as conn:
        drafts.progress(conn, draft, job, words)


def _close(shop: Workshop, job: int, token: str, status: str, reason: str | None,
           make: Callable[[Draft], Step], progress: str | None = None) -> None:
    """End the job (if this worker still holds it) and move its draft on."""
    for _ in range(3):
        with shop.db.writer.begin() as conn:
            if not records.holds(conn, job, token):
                raise LostJob
            stored = drafts.by_job(conn, job)
            saved = True
            if stored is not None and stored.draft.status == Status.APPROVED:
                step = make(stored.draft)
                saved = drafts.save(conn, stored, step.draft, step.event,
                                    release_progress=progress)
            if saved:
                conn.execute(update(jobs).where(jobs.c.id == job).values(
                    status=status, finished_at=now(), lease_token=None, lease_until=None,
                    reason=reason))
                return
    raise RuntimeError(f"job {job}: its draft kept changing while it was being closed")


def _published(shop: Workshop, job: int, token: str, version: str) -> None:
    _close(shop, job, token, "made", None, make=lambda d: published_as(d, version, now()),
           progress=f"Published as version {version}.")
    log.info("job %s: published as version %s", job, version)


def _failed(shop: Workshop, job: int, token: str, reason: str) -> None:
    _close(shop, job, token, "failed", reason, make=lambda d: release_failed(d, reason, now()))
    log.warning("job %s: not published: %s", job, reason)


def _return(shop: Workshop, job: int, token: str, reason: str) -> None:
    """A draft whose base is no longer the published source (it was changed
    outside the service): back to its author to bring up to date."""
    comment = f"It could not be published: {reason[:1].lower()}{reason[1:]}"

    def back(draft: Draft) -> Step:
        at = now()
        d = replace(draft, status=Status.RETURNED, comment=comment, approved_by=None,
                    release_error=None, updated_at=at)
        return Step(d, Event("returned", d.id, WORKER, at, {"comment": comment}))

    _close(shop, job, token, "failed", reason, make=back)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
