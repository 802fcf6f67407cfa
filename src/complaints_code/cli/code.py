"""Commands about the Code's data: ``export``, ``sla`` and ``schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.table import Table

from ..output import check_target, write_atomic
from ..structure.model import Code
from ..structure.schema import SCHEMA_FILE, source_schema_text
from ..structure.source import load
from ..timescales import records as data
from ..timescales import tables
from .edge import edge, err, out, relative, settings, unchanged
from .options import PathArg, source_option


@click.command()
@source_option
@click.option("--out", "out_path", type=PathArg(path_type=Path), help="Write to this file "
              "(default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["json", "schema"]), default="json",
              show_default=True, help="The export, or its JSON Schema.")
@edge
def export(source: Path | None, out_path: Path | None, fmt: str) -> None:
    """Export the stages and timescales as JSON for other tools."""
    _target(out_path)
    code = load(settings(source=source).source)
    if fmt == "schema":
        url = tables.data_url(code, tables.EXPORT_SCHEMA_NAME)
        text = json.dumps(data.export_schema(url), indent=2) + "\n"
    else:
        text = data.export(code).model_dump_json(indent=2) + "\n"
    _emit(text, out_path)


@click.command()
@source_option
@click.option("--raised", required=True, metavar="TIME",
              help="When the complaint was received: YYYY-MM-DDTHH:MM, London time "
              "unless an offset is given.")
@click.option("--fold", type=click.IntRange(0, 1), metavar="0|1",
              help="For a London time the clocks skip (spring) or pass twice (autumn): "
              "0 reads it with the offset before the change, 1 with the offset after. "
              "Without it such a time is refused, listing both readings.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@edge
def sla(source: Path | None, raised: str, fold: int | None, as_json: bool) -> None:
    """Print every timescale's deadline for a complaint received at --raised.

    Times from 1900 to 2999 are accepted. A London time that does not exist
    (01:30 on the spring change day) or happens twice (01:30 on the autumn
    change day) needs an offset (2026-10-25T01:30+00:00) or --fold.
    """
    code = load(settings(source=source).source)
    result = data.deadlines(code, raised, fold)
    if as_json:
        out.print(result.model_dump_json(indent=2))
        return
    _sla_table(code, result)


def _sla_table(code: Code, result: data.Deadlines) -> None:
    when = f"{result.raised_at:%a %d %b %Y %H:%M %Z}"
    table = Table(title=f"Deadlines for a complaint received {when}", title_justify="left")
    table.add_column("Timescale", no_wrap=True)
    table.add_column("Words")
    table.add_column("Clock")
    table.add_column("Due", no_wrap=True)
    for d in result.deadlines:
        table.add_row(d.id, d.text, d.clock.value.replace("_", " "),
                      f"{d.due:%a %d %b %Y %H:%M %Z}")
    out.print(table)
    for r in data.timescales(code):
        out.print(f"{r.id}: read as {r.reading}.")


@click.command()
@click.option("--out", "out_path", type=PathArg(path_type=Path),
              help=f"Where to write it (default: code_source/{SCHEMA_FILE} beside the source).")
@edge
def schema(out_path: Path | None) -> None:
    """Regenerate the source's JSON Schema for editors."""
    target = out_path or settings().source.parent / SCHEMA_FILE
    _target(target)
    write_atomic(target, source_schema_text())
    err.print(f"wrote {relative(target)}")


def _target(path: Path | None) -> None:
    """Refuse a path that cannot be written before any work; say what an
    interruption leaves."""
    if path is not None:
        check_target(path)
        unchanged(f"nothing was written; {relative(path)} is as it was")


def _emit(text: str, path: Path | None) -> None:
    if path is None:
        sys.stdout.write(text)
    else:
        write_atomic(path, text)
        err.print(f"wrote {relative(path)}")


COMMANDS = (export, sla, schema)
