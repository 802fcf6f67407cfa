"""Commands of the copy-request service: ``serve`` (the web server and its
job workers), ``worker`` (job workers on their own) and ``service purge``
(the accounts, ``staff add|list|remove``, are in ``admin``)."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import click

from ..errors import UsageError
from ..settings import Settings
from .edge import edge, err, out, settings, unchanged
from .ports import ensure_free

LOG_FORMAT = "%(asctime)s %(processName)s %(levelname)s %(name)s: %(message)s"

CONFIG_ENV = "COMPLAINTSCODE_SERVE_CONFIG"
"""How ``serve`` tells its worker processes which config file to read (not a
COMPLAINTS_CODE_* name, which the settings would take as a setting); the
same name as in ``service.asgi``."""


def _config() -> Path | None:
    ctx = click.get_current_context()
    config: Path | None = (ctx.find_root().params or {}).get("config")
    return config.resolve() if config else None


@click.command()
@click.option("--host", default=None, help="Address to listen on (default: service.host, "
              "127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: service.port, 8000).")
@click.option("--workers", type=int, default=None,
              help="Web server processes (default: service.workers, 1). Several need "
              "PostgreSQL or SQLite's WAL mode (the default).")
@click.option("--job-workers", type=int, default=None,
              help="Processes that make copies beside the web server, one copy at a time "
              "each (default: service.job_workers, 2; 0: none, run complaints-code worker "
              "elsewhere).")
@edge
def serve(host: str | None, port: int | None, workers: int | None,
          job_workers: int | None) -> None:
    """Run the copy-request and feedback service and its job workers.
    Migrates the database first."""
    # lazy: the service's stack (FastAPI, SQLAlchemy: a second or more), for its commands only
    import uvicorn

    from ..service.db import migrate, open_database
    from ..service.jobs.queue import describe

    s = settings(service={"host": host, "port": port, "workers": workers,
                          "job_workers": job_workers})
    unchanged("the service has stopped")
    ensure_free(s.service.host, s.service.port, "[service] port", "--port",
                "another service, or the preview?")
    db = open_database(s.database)
    revision = migrate(db)
    db.dispose()
    err.print(f"database at revision {revision}; serving on http://{s.service.host}:"
              f"{s.service.port}/ with {s.service.workers} web worker(s) and "
              f"{s.service.job_workers} job worker(s) on the queue in {describe(s)}")
    config = _config()
    if config is not None:
        os.environ[CONFIG_ENV] = str(config)
    os.environ["COMPLAINTS_CODE_SERVICE__HOST"] = s.service.host
    os.environ["COMPLAINTS_CODE_SERVICE__PORT"] = str(s.service.port)
    os.environ["COMPLAINTS_CODE_SERVICE__WORKERS"] = str(s.service.workers)
    with _job_workers(s):
        uvicorn.run("complaints_code.service.asgi:app", factory=True, host=s.service.host,
                    port=s.service.port, workers=s.service.workers, proxy_headers=False,
                    server_header=False, log_level="info", access_log=True)


@contextlib.contextmanager
def _job_workers(s: Settings) -> Iterator[None]:
    """The job workers in a process of their own beside the web server,
    stopped with it (and stopping themselves if this process dies)."""
    if s.service.job_workers == 0:
        yield
        return
    # lazy: the service's stack (FastAPI, SQLAlchemy: a second or more), for its commands only
    from ..service.jobs import workers

    process = multiprocessing.get_context("fork").Process(
        target=_run_workers, args=(s, s.service.job_workers, os.getpid()),
        name="job-workers")
    process.start()
    try:
        yield
    finally:
        if process.is_alive():
            process.terminate()  # SIGTERM, graceful: the copies being made are finished
            process.join(workers.SHUTDOWN_SECONDS + 5)
        if process.is_alive():
            process.kill()
            process.join()


def _run_workers(s: Settings, count: int, parent: int | None) -> None:
    # lazy: the service's stack (FastAPI, SQLAlchemy: a second or more), for its commands only
    from ..service.jobs import workers

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    for chatty in ("weasyprint", "fontTools"):  # a line per page laid out
        logging.getLogger(chatty).setLevel(logging.WARNING)
    workers.run(s, count, parent)


@click.command()
@click.option("--job-workers", type=int, default=None,
              help="Processes that make copies, one copy at a time each (default: "
              "service.job_workers, 2).")
@edge
def worker(job_workers: int | None) -> None:
    """Make copies: run job workers on their own, without a web server (for
    a larger installation, on this machine or others sharing the queue, the
    database and VAR). SIGTERM stops after the copies being made; Ctrl-C at
    once (a copy cut short is made again)."""
    # lazy: the service's stack (FastAPI, SQLAlchemy: a second or more), for its commands only
    from ..service.db import migrate, open_database
    from ..service.jobs.queue import describe

    s = settings(service={"job_workers": job_workers})
    if s.service.job_workers < 1:
        raise UsageError("job_workers is 0, so there is nothing to run; give --job-workers 1 "
                         "or more")
    db = open_database(s.database)
    revision = migrate(db)
    db.dispose()
    err.print(f"database at revision {revision}; {s.service.job_workers} job worker(s) "
              f"making copies from the queue in {describe(s)}")
    _run_workers(s, s.service.job_workers, None)


@click.group("service")
def service_group() -> None:
    """Look after the service's data."""


@service_group.command("purge")
@click.option("--days", type=int, default=None, help="Copy requests sent more than this "
              "many days ago (default: service.purge_after_days, 90).")
@click.option("--feedback-days", type=int, default=None, help="Comments older than this "
              "many days (default: service.feedback_purge_after_days, 90).")
@edge
def purge(days: int | None, feedback_days: int | None) -> None:
    """Remove the personal data of old requests and comments, and the made
    files of the copies, keeping anonymised counts (format, dates, section,
    status)."""
    # lazy: the service's stack (FastAPI, SQLAlchemy: a second or more), for its commands only
    from ..service import store
    from ..service.db import migrate, now, open_database
    from ..service.jobs.actions import purge_files

    s = settings({"service.purge_after_days": "--days",
                  "service.feedback_purge_after_days": "--feedback-days"},
                 service={"purge_after_days": days, "feedback_purge_after_days": feedback_days})
    unchanged("nothing was removed")
    db = open_database(s.database)
    migrate(db)
    at = now()
    with db.writer.begin() as conn:
        done = store.purge(conn, at, s.service.purge_after_days,
                           s.service.feedback_purge_after_days)
        jobs = purge_files(conn, s.var)
        store.audit(conn, "(command line)", "purge", None,
                    f"{done.copy_requests} requests, {done.feedback} comments, "
                    f"{jobs} jobs' files", at)
    db.dispose()
    out.print(f"Removed the personal data of {done.copy_requests} copy request(s) sent "
              f"more than {s.service.purge_after_days} days ago (and the made files of "
              f"{jobs} job(s)) and {done.feedback} comment(s) older than "
              f"{s.service.feedback_purge_after_days} days.")


COMMANDS = (serve, worker, service_group)
