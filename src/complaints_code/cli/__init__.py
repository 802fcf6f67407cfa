"""The ``complaints-code`` command line: a thin layer over the library.

Only this module (and the HTTP layer) turns typed errors into messages and
exit statuses: 0 success, 1 a failure of the work asked for, 2 an invalid
source or bad usage.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from .. import data, renderers
from ..errors import ComplaintsCodeError, OutputError, SourceError
from ..model import Code
from ..output import check_writable_dir, write_atomic
from ..schema import SCHEMA_FILE, source_schema_text
from ..source import load

DEFAULT_SOURCE = Path("code_source/complaints-code.yaml")
F = TypeVar("F", bound=Callable[..., Any])

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def edge(func: F) -> F:
    """Turn the library's typed errors into a message and an exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SourceError as exc:
            for problem in exc.problems:
                err.print(str(problem), markup=False)
            count = len(exc.problems)
            err.print(f"{count} problem{'s' * (count != 1)} found; nothing was written.",
                      markup=False)
            sys.exit(exc.exit_status)
        except OutputError as exc:
            err.print(f"error: {exc}", markup=False)
            sys.exit(2)  # the output location was wrong: a usage problem, nothing written
        except ComplaintsCodeError as exc:
            err.print(f"error: {exc}", markup=False)
            sys.exit(exc.exit_status)

    return wrapper  # type: ignore[return-value]


source_option = click.option(
    "--source", type=click.Path(path_type=Path), default=DEFAULT_SOURCE, show_default=True,
    help="The Code source YAML.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="complaints-code")
def main() -> None:
    """Build every format of a telecoms Customer Complaints Code from one YAML source."""


@main.command()
@source_option
@click.option("--out", type=click.Path(path_type=Path), default=Path("dist"), show_default=True,
              help="Build folder; the site goes to OUT/site.")
@click.option("--only", metavar="FORMAT,...", help="Build only these formats "
              f"({', '.join(renderers.formats())}).")
@click.option("--service-url", envvar="COMPLAINTS_CODE_SERVICE_URL",
              help="Base URL of the copy-request service, for the website's links.")
@click.option("--strict", is_flag=True, help="Refuse to build if the compliance check "
              "finds any error or warning.")
@edge
def build(source: Path, out: Path, only: str | None, service_url: str | None,
          strict: bool) -> None:
    """Validate the source and build every format (or those in --only).

    Compliance findings are printed but do not stop the build, unless --strict.
    """
    from .legal import lint_before_build

    names = renderers.select(only)
    options = renderers.RenderOptions(source=source, service_url=service_url)
    code = lint_before_build(source, strict, options.templates, names)
    check_writable_dir(out)
    begun = time.perf_counter()
    for name in names:
        started = time.perf_counter()
        written = renderers.get(name)(code, options, out)
        took = time.perf_counter() - started
        err.print(f"[bold]{name:<12}[/] {len(written)} file{'s' * (len(written) != 1)} "
                  f"in {took:.2f} s")
        _list_written(written)
    err.print(f"built {', '.join(names)} into {out} in {time.perf_counter() - begun:.1f} s",
              markup=False)


SHOWN_FILES = 6
"""How many written files ``build`` names per format; the rest are counted."""


def _list_written(written: list[Path]) -> None:
    # The website writes dozens of theme assets: name its pages, count the rest.
    pages = [p for p in written if "assets" not in p.parts]
    for path in pages[:SHOWN_FILES]:
        err.print(f"  {path}", markup=False)
    hidden = len(written) - min(len(pages), SHOWN_FILES)
    if hidden:
        err.print(f"  ... and {hidden} more (theme assets and supporting files)", markup=False)


@main.command()
@source_option
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Apply the rules in force on this date, not the Code's effective date.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Findings as text lines, or as JSON for other tools.")
@edge
def check(source: Path, as_of: dt.datetime | None, strict: bool, fmt: str) -> None:
    """Validate the source, then check it against the complaints rules.

    Each finding is printed as FILE:LINE:COL: SEVERITY RULE-ID: message
    (reference). Exit status 0 when nothing is at error level (with --strict:
    nothing at error or warning level), 1 otherwise, 2 when the source is
    invalid.
    """
    from .legal import run_check

    sys.exit(run_check(source, as_of.date() if as_of else None, strict, fmt))


@main.command()
@source_option
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file "
              "(default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["json", "schema"]), default="json",
              show_default=True, help="The export, or its JSON Schema.")
@edge
def export(source: Path, out: Path | None, fmt: str) -> None:
    """Export the stages and timescales as JSON for other tools."""
    if fmt == "schema":
        text = json.dumps(data.export_schema(), indent=2) + "\n"
    else:
        text = data.export(load(source)).model_dump_json(indent=2) + "\n"
    _emit(text, out)


@main.command()
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
def sla(source: Path, raised: str, fold: int | None, as_json: bool) -> None:
    """Print every timescale's deadline for a complaint received at --raised.

    Times from 1900 to 2999 are accepted. A London time that does not exist
    (01:30 on the spring change day) or happens twice (01:30 on the autumn
    change day) needs an offset (2026-10-25T01:30+00:00) or --fold.
    """
    code = load(source)
    result = data.deadlines(code, raised, fold)
    if as_json:
        out.print(result.model_dump_json(indent=2), markup=False)
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
        out.print(f"{r.id}: read as {r.reading}.", markup=False)


@main.command()
@click.option("--out", type=click.Path(path_type=Path),
              default=Path("code_source") / SCHEMA_FILE, show_default=True)
@edge
def schema(out: Path) -> None:
    """Regenerate the source's JSON Schema for editors."""
    write_atomic(out, source_schema_text())
    err.print(f"wrote {out}", markup=False)


def _emit(text: str, path: Path | None) -> None:
    if path is None:
        sys.stdout.write(text)
    else:
        write_atomic(path, text)
        err.print(f"wrote {path}", markup=False)


from . import legal  # noqa: E402, F401  (registers the legal team's diff and release)
from .copy import copy_command  # noqa: E402

main.add_command(copy_command)
