"""Commands about the installation: ``config`` (the effective settings and
where each came from), ``doctor`` (is every piece in place?) and the
service's accounts (``staff add|list|remove``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from pydantic import BaseModel
from rich.table import Table

from ..settings import Settings
from .doctor import diagnose
from .edge import edge, err, out, settings, unchanged


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@edge
def config(as_json: bool) -> None:
    """Print the effective settings and where each value came from: the
    default, the config file, the environment or a flag."""
    s = settings()
    rows = list(_rows(s, s, ""))
    if as_json:
        out.print(json.dumps({"config_file": str(s.config_file) if s.config_file else None,
                              "settings": {k: {"value": v, "from": o} for k, v, o, _ in rows}},
                             indent=2, default=str))
        return
    where = s.config_file or "none found (defaults, environment and flags only)"
    out.print(f"config file: {where}")
    table = Table(box=None)
    for column in ("setting", "value", "from", "meaning"):
        table.add_column(column, overflow="fold")
    for key, value, origin, doc in rows:
        table.add_row(key, json.dumps(value, default=str), origin, doc)
    out.print(table)


def _rows(model: BaseModel, root: Settings, prefix: str) -> Any:
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        key = prefix + name
        if isinstance(value, BaseModel) and name != "formats":
            yield from _rows(value, root, key + ".")
            continue
        if isinstance(value, dict) and value and all(isinstance(v, BaseModel)
                                                     for v in value.values()):
            for sub, item in value.items():
                yield from _rows(item, root, f"{key}.{sub}.")
            continue
        shown = str(value) if isinstance(value, Path) else _plain(value)
        doc = " ".join((field.description or "").split())
        yield key, shown, root.origin(key), doc


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, tuple):
        return list(value)
    return value


@click.command()
@edge
def doctor() -> None:
    """Check that every piece the program needs is installed: the braille
    tables and the louis binding, the fonts, WeasyPrint's Pango, the speech
    programs, Chromium (for the tests) and the service's database. Prints
    the command that fixes each missing piece; exit status 1 if a required
    one is missing."""
    unchanged("doctor changes nothing")
    s = settings()
    checks = diagnose(s)
    for check in checks:
        mark = "ok" if check.ok else "MISSING" if check.required else "absent"
        err.print(f"{mark:<8} {check.name}: {check.detail}")
        if not check.ok and check.fix:
            err.print(f"         fix: {check.fix}")
    bad = [c for c in checks if not c.ok and c.required]
    optional = [c for c in checks if not c.ok and not c.required]
    if bad:
        err.print(f"{len(bad)} required piece{'s' * (len(bad) != 1)} missing.")
        sys.exit(1)
    if optional:
        names = ", ".join(c.name for c in optional)
        err.print(f"Everything the program needs is in place; not in place, and needed "
                  f"only for what it says: {names}.")
        return
    err.print("All is well.")


@click.group()
def staff() -> None:
    """Staff and legal accounts of the service."""


@staff.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["staff", "legal"]), required=True,
              help="staff: the copy queue; legal: the feedback inbox and drafts of the Code.")
@click.option("--approver", is_flag=True,
              help="Legal accounts only: may approve the legal team's drafts (never their "
              "own).")
@edge
def staff_add(name: str, role: str, approver: bool) -> None:
    """Add an account and print its access token (shown only this once)."""
    # lazy: the service's stack (FastAPI, SQLAlchemy: a second or more), for its commands only
    from ..service import auth, store
    from ..service.db import migrate, open_database

    db = open_database(settings().database)
    try:
        migrate(db)
        with db.writer.begin() as conn:
            token = auth.add_staff(conn, name, role, approver=approver)
            store.audit(conn, "(command line)", "staff-add", auth.normal_name(name),
                        role + (", approver" if approver else ""))
    finally:
        db.dispose()
    right = ", may approve drafts" if approver else ""
    err.print(f"Added {auth.normal_name(name)} ({role}{right}). Their access token, shown "
              "only now; they use it as the password on the sign-in page and as the API's "
              "Bearer token:", markup=False)
    out.print(token, markup=False)


@staff.command("list")
@edge
def staff_list() -> None:
    """List the accounts (never their tokens): name, role, when added, and
    the approvers and sessions signed in now."""
    # lazy: the service's stack (FastAPI, SQLAlchemy: a second or more), for its commands only
    from ..service import auth
    from ..service.db import migrate, now, open_database

    db = open_database(settings().database)
    try:
        migrate(db)
        with db.reader.connect() as conn:
            accounts = auth.staff_list(conn, now())
    finally:
        db.dispose()
    for a in accounts:
        extra = ["approver"] if a.approver else []
        if a.sessions:
            extra.append(f"{a.sessions} session{'s' * (a.sessions != 1)} signed in")
        out.print(f"{a.name:<30} {a.role:<6} added {a.created_at:%Y-%m-%d}"
                  + "".join(f"  {e}" for e in extra), markup=False)
    if not accounts:
        err.print("no accounts; add one with complaints-code staff add NAME --role staff",
                  markup=False)


@staff.command("remove")
@click.argument("name")
@edge
def staff_remove(name: str) -> None:
    """Remove an account: its token stops working and every session it has
    ends at once. Adding the name again makes a new account, with a new token
    and no sessions."""
    # lazy: the service's stack (FastAPI, SQLAlchemy: a second or more), for its commands only
    from ..service import auth, store
    from ..service.db import migrate, open_database

    db = open_database(settings().database)
    try:
        migrate(db)
        with db.writer.begin() as conn:
            removed, ended = auth.remove_staff(conn, name)
            store.audit(conn, "(command line)", "staff-remove", removed,
                        f"{ended} session(s) ended")
    finally:
        db.dispose()
    err.print(f"Removed {removed}; {ended} session{'s' * (ended != 1)} ended.", markup=False)


COMMANDS = (config, doctor, staff)
