"""Commands about the installation: ``config`` (the effective settings and
where each came from) and ``doctor`` (is every piece in place?)."""

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


COMMANDS = (config, doctor)
