"""Commands of the copy-request service: ``serve`` and ``service purge``
(the accounts, ``staff add|list|remove``, are in ``admin``)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .edge import edge, err, out, settings

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
              help="Worker processes (default: service.workers, 1). Several need PostgreSQL "
              "or SQLite's WAL mode (the default).")
@edge
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Run the copy-request and feedback service. Migrates the database first."""
    import uvicorn

    from ..service.db import migrate, open_database

    s = settings(service={"host": host, "port": port, "workers": workers})
    db = open_database(s.database)
    revision = migrate(db)
    db.dispose()
    err.print(f"database at revision {revision}; serving on http://{s.service.host}:"
              f"{s.service.port}/ with {s.service.workers} worker(s)", markup=False)
    config = _config()
    if config is not None:
        os.environ[CONFIG_ENV] = str(config)
    os.environ["COMPLAINTS_CODE_SERVICE__HOST"] = s.service.host
    os.environ["COMPLAINTS_CODE_SERVICE__PORT"] = str(s.service.port)
    os.environ["COMPLAINTS_CODE_SERVICE__WORKERS"] = str(s.service.workers)
    uvicorn.run("complaints_code.service.asgi:app", factory=True, host=s.service.host,
                port=s.service.port, workers=s.service.workers, proxy_headers=False,
                server_header=False, log_level="info", access_log=True)


@click.group("service")
def service_group() -> None:
    """Look after the service's data."""


@service_group.command("purge")
@click.option("--days", type=int, default=None, help="Copy requests fulfilled more than this "
              "many days ago (default: service.purge_after_days, 90).")
@click.option("--feedback-days", type=int, default=None, help="Comments older than this "
              "many days (default: service.feedback_purge_after_days, 90).")
@edge
def purge(days: int | None, feedback_days: int | None) -> None:
    """Remove the personal data of old requests and comments, keeping
    anonymised counts (format, dates, section, status)."""
    from ..service import store
    from ..service.db import migrate, now, open_database

    s = settings(service={"purge_after_days": days,
                          "feedback_purge_after_days": feedback_days})
    db = open_database(s.database)
    migrate(db)
    at = now()
    with db.writer.begin() as conn:
        done = store.purge(conn, at, s.service.purge_after_days,
                           s.service.feedback_purge_after_days)
        store.audit(conn, "(command line)", "purge", None,
                    f"{done.copy_requests} requests, {done.feedback} comments", at)
    db.dispose()
    out.print(f"Removed the personal data of {done.copy_requests} copy request(s) fulfilled "
              f"more than {s.service.purge_after_days} days ago and {done.feedback} comment(s) "
              f"older than {s.service.feedback_purge_after_days} days.", markup=False)


COMMANDS = (serve, service_group)
