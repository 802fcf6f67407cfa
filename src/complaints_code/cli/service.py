"""Commands of the copy-request service: ``serve``, ``staff add|list|remove``
and ``service purge|migrate``."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .edge import edge, err, out, settings, unchanged
from .ports import ensure_free

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
    unchanged("the service has stopped")
    ensure_free(s.service.host, s.service.port, "[service] port", "--port",
                "another service, or the preview?")
    db = open_database(s.database)
    revision = migrate(db)
    db.dispose()
    err.print(f"database at revision {revision}; serving on http://{s.service.host}:"
              f"{s.service.port}/ with {s.service.workers} worker(s)")
    config = _config()
    if config is not None:
        os.environ[CONFIG_ENV] = str(config)
    os.environ["COMPLAINTS_CODE_SERVICE__HOST"] = s.service.host
    os.environ["COMPLAINTS_CODE_SERVICE__PORT"] = str(s.service.port)
    os.environ["COMPLAINTS_CODE_SERVICE__WORKERS"] = str(s.service.workers)
    uvicorn.run("complaints_code.service.asgi:app", factory=True, host=s.service.host,
                port=s.service.port, workers=s.service.workers, proxy_headers=False,
                server_header=False, log_level="info", access_log=True)


@click.group()
def staff() -> None:
    """Staff and legal accounts of the service."""


@staff.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["staff", "legal"]), required=True,
              help="staff: the copy queue; legal: the feedback inbox.")
@edge
def staff_add(name: str, role: str) -> None:
    """Add an account and print its access token (shown only this once)."""
    from ..service import auth, store
    from ..service.db import migrate, open_database

    db = open_database(settings().database)
    migrate(db)
    with db.writer.begin() as conn:
        token = auth.add_staff(conn, name, role)
        store.audit(conn, "(command line)", "staff-add", name, role)
    db.dispose()
    err.print(f"Added {name} ({role}). Their access token, shown only now; they use it as "
              "the password on the sign-in page and as the API's Bearer token:")
    out.print(token)


@staff.command("list")
@edge
def staff_list() -> None:
    """List the accounts (never their tokens)."""
    from ..service import auth
    from ..service.db import migrate, open_database

    db = open_database(settings().database)
    migrate(db)
    with db.reader.connect() as conn:
        rows = auth.staff_list(conn)
    db.dispose()
    for name, role, created in rows:
        out.print(f"{name:<30} {role:<6} added {created:%Y-%m-%d}")
    if not rows:
        err.print("no accounts; add one with complaints-code staff add NAME --role staff")


@staff.command("remove")
@click.argument("name")
@edge
def staff_remove(name: str) -> None:
    """Remove an account: its token and sessions stop working at once."""
    from ..service import auth, store
    from ..service.db import migrate, open_database

    db = open_database(settings().database)
    migrate(db)
    with db.writer.begin() as conn:
        auth.remove_staff(conn, name)
        store.audit(conn, "(command line)", "staff-remove", name)
    db.dispose()
    err.print(f"Removed {name}.")


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
        store.audit(conn, "(command line)", "purge", None,
                    f"{done.copy_requests} requests, {done.feedback} comments", at)
    db.dispose()
    out.print(f"Removed the personal data of {done.copy_requests} copy request(s) fulfilled "
              f"more than {s.service.purge_after_days} days ago and {done.feedback} comment(s) "
              f"older than {s.service.feedback_purge_after_days} days.")


COMMANDS = (serve, staff, service_group)
